package semanticscholar_test

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/paperlist/paperlist"
	"github.com/paperlist/paperlist/sources/semanticscholar"
)

// fixedNow is the time records are stamped with in the tests.
var fixedNow = time.Date(2026, 12, 6, 19, 0, 0, 0, time.UTC)

func now() time.Time { return fixedNow }

// newClient returns a client of the API at baseURL, with opts for the
// rest; it fails the test if New refuses the options.
func newClient(t testing.TB, baseURL string, opts semanticscholar.Options) *semanticscholar.Client {
	t.Helper()
	opts.BaseURL = baseURL
	if opts.HTTPClient == nil {
		opts.HTTPClient = &http.Client{Timeout: 10 * time.Second}
	}
	if opts.Now == nil {
		opts.Now = now
	}
	c, err := semanticscholar.New(opts)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// fetch runs FetchCitations and returns what it emitted, by id; an id
// emitted twice fails the test.
func fetch(t testing.TB, c *semanticscholar.Client, ids ...paperlist.CitationID) (map[paperlist.CitationID]paperlist.CitationResult, error) {
	t.Helper()
	got := make(map[paperlist.CitationID]paperlist.CitationResult)
	err := c.FetchCitations(context.Background(), ids, func(r paperlist.CitationResult) {
		if _, dup := got[r.ID]; dup {
			t.Errorf("%s emitted twice", r.ID)
		}
		got[r.ID] = r
	})
	return got, err
}
