package arxiv_test

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/paperlist/paperlist"
	"github.com/paperlist/paperlist/sources/arxiv"
)

// An error reaches a person's screen once per entry (fetch_failed): it says
// what failed in one short line, without the request URL, a hundred ids
// long for a batch, that net/http's *url.Error would repeat.
func TestErrorsDoNotRepeatTheURL(t *testing.T) {
	dead := httptest.NewServer(http.NotFoundHandler())
	base := dead.URL
	dead.Close()
	c := arxiv.New(arxiv.Options{
		APIURL:     base + "/api/query",
		AbsURL:     base + "/abs/",
		HTTPClient: &http.Client{},
	})
	var results []paperlist.ArxivResult
	err := c.FetchArxiv(t.Context(), []string{"2302.13971", "2203.15556"}, func(r paperlist.ArxivResult) {
		results = append(results, r)
	})
	if err != nil {
		t.Fatalf("FetchArxiv: %v", err)
	}
	if len(results) != 2 {
		t.Fatalf("%d results, want 2", len(results))
	}
	for _, r := range results {
		if r.Err == nil {
			t.Fatalf("%s: no error from a dead server", r.ID)
		}
		msg := r.Err.Error()
		if strings.Contains(msg, "id_list=") || strings.Contains(msg, base) {
			t.Errorf("%s: error repeats the URL: %s", r.ID, msg)
		}
		if !strings.Contains(msg, "connection refused") {
			t.Errorf("%s: error does not say what went wrong: %s", r.ID, msg)
		}
	}
}
