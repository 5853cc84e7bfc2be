package arxiv_test

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/paperlist/paperlist"
	"github.com/paperlist/paperlist/sources/arxiv"
	"github.com/paperlist/paperlist/sources/arxiv/arxivtest"
)

// TestFetchArxivBoundsStrings serves papers with megabyte titles,
// abstracts, author names and comments: the records keep at most
// paperlist's bounds, and the cut is logged once for the run.
func TestFetchArxivBoundsStrings(t *testing.T) {
	huge := strings.Repeat("word ", 200_000) + "end" // 1 MB
	srv := arxivtest.NewServer(arxivtest.Options{})
	t.Cleanup(srv.Close)
	ids := []string{"2302.13971", "2305.11627"}
	cats := []string{"cs.CL"}
	for i := range 100 {
		cats = append(cats, fmt.Sprintf("cs.%d%s", i, strings.Repeat("x", 300)))
	}
	for _, id := range ids {
		srv.Add(arxivtest.Paper{ID: id, Title: huge, Abstract: huge, Comment: huge, JournalRef: huge,
			Authors:         []paperlist.Author{{Name: huge, Affiliations: []string{huge}}, {Name: "Ada Lovelace"}},
			PrimaryCategory: "cs.CL", Categories: cats, Published: time.Date(2023, 2, 27, 0, 0, 0, 0, time.UTC)})
	}
	var logs bytes.Buffer
	c := arxiv.New(arxiv.Options{APIURL: srv.URL(), AbsURL: srv.AbsURL(), HTTPClient: &http.Client{Timeout: 10 * time.Second},
		Logger: slog.New(slog.NewTextHandler(&logs, nil))})
	var got []paperlist.ArxivResult
	if err := c.FetchArxiv(context.Background(), ids, func(r paperlist.ArxivResult) { got = append(got, r) }); err != nil {
		t.Fatal(err)
	}
	if len(got) != len(ids) {
		t.Fatalf("%d results, want %d", len(got), len(ids))
	}
	for _, res := range got {
		if res.Err != nil || res.Record == nil {
			t.Fatalf("%s: %+v", res.ID, res)
		}
		r := res.Record
		for field, tc := range map[string]struct {
			v string
			n int
		}{
			"title":       {r.Title, paperlist.MaxTitleLen},
			"abstract":    {r.Abstract, paperlist.MaxAbstractLen},
			"comment":     {r.Comment, paperlist.MaxTextLen},
			"journal_ref": {r.JournalRef, paperlist.MaxTextLen},
			"author":      {r.Authors[0].Name, paperlist.MaxNameLen},
			"affiliation": {r.Authors[0].Affiliations[0], paperlist.MaxNameLen},
		} {
			if n := utf8.RuneCountInString(tc.v); n > tc.n || !strings.HasSuffix(tc.v, paperlist.Ellipsis) {
				t.Errorf("%s: %s of %d characters, bound %d", res.ID, field, n, tc.n)
			}
		}
		if len(r.Categories) > paperlist.MaxCategories || r.Categories[0] != "cs.CL" {
			t.Errorf("%s: %d categories, the first %q", res.ID, len(r.Categories), r.Categories[0])
		}
		if r.Authors[1].Name != "Ada Lovelace" {
			t.Errorf("%s: second author %q", res.ID, r.Authors[1].Name)
		}
	}
	if n := strings.Count(logs.String(), "answer longer than paperlist keeps"); n != 1 {
		t.Errorf("the cut was logged %d times, want once:\n%s", n, logs.String())
	}
}
