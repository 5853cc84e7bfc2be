package arxiv_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/paperlist/paperlist"
	"github.com/paperlist/paperlist/sources/arxiv"
	"github.com/paperlist/paperlist/sources/arxiv/arxivtest"
)

// generatedPapers are n papers with titles of their own, none the
// subtitle of another.
func generatedPapers(n int) []arxivtest.Paper {
	adjectives := []string{"Efficient", "Scalable", "Robust", "Sparse", "Adaptive", "Contrastive", "Federated", "Causal"}
	nouns := []string{"Transformers", "Graph Networks", "Diffusion Models", "Language Models", "Vision Encoders", "Retrieval Systems", "Policy Gradients"}
	tasks := []string{"for Protein Design", "for Code Generation", "in Speech Recognition", "under Distribution Shift", "with Limited Labels"}
	var out []arxivtest.Paper
	for i := range n {
		out = append(out, arxivtest.Paper{
			ID:              fmt.Sprintf("2402.%05d", i+1),
			Title:           fmt.Sprintf("%s %s %s", adjectives[i%len(adjectives)], nouns[i/len(adjectives)%len(nouns)], tasks[i%len(tasks)]),
			Published:       fixedNow.AddDate(-1, 0, -i),
			PrimaryCategory: "cs.LG",
			Abstract:        "We study the problem and propose a method.",
		})
	}
	return out
}

// searchResults collects what SearchTitles emits, by title, and fails the
// test on a title emitted twice.
func searchTitles(t *testing.T, c *arxiv.Client, titles []string) (map[string]paperlist.TitleSearchResult, error) {
	t.Helper()
	got := make(map[string]paperlist.TitleSearchResult)
	err := c.SearchTitles(context.Background(), titles, func(r paperlist.TitleSearchResult) {
		if _, dup := got[r.Title]; dup {
			t.Errorf("%q emitted twice", r.Title)
		}
		got[r.Title] = r
	})
	return got, err
}

// searchQueries are the search_query and max_results of the requests
// srv received, checking that each URL is within the bound.
func searchQueries(t *testing.T, srv *arxivtest.Server) (queries []string, maxResults []int) {
	t.Helper()
	for _, r := range srv.Requests() {
		full := srv.URL() + "?" + r.RawQuery
		if len(full) > arxiv.MaxSearchURLLen && strings.Count(r.RawQuery, "ti%3A") > 1 {
			t.Errorf("a URL of %d characters holds more than one title", len(full))
		}
		q, err := url.ParseQuery(r.RawQuery)
		if err != nil {
			t.Fatal(err)
		}
		n, _ := strconv.Atoi(q.Get("max_results"))
		queries = append(queries, q.Get("search_query"))
		maxResults = append(maxResults, n)
	}
	return queries, maxResults
}

func TestSearchTitlesFifty(t *testing.T) {
	srv := arxivtest.NewServer(arxivtest.Options{Now: now})
	t.Cleanup(srv.Close)
	papers := generatedPapers(46)
	srv.Add(papers...)
	srv.Add(nearMisses...)
	srv.Add(reproduction)

	want := map[string]string{ // title → id, "" for none
		"GPT-4 Technical Report":                    "2303.08774",
		"Self-Attention Does Not Need O(n²) Memory": "2112.05682",
		seedTitle:                   "", // the paper and its reproduction match
		"Attention Is All You Need": "", // not on this arXiv
	}
	for _, p := range papers {
		want[p.Title] = p.ID
	}
	var titles []string
	for title := range want {
		titles = append(titles, title)
	}
	if len(titles) != 50 {
		t.Fatalf("%d titles, want 50", len(titles))
	}

	c := newClient(srv, arxiv.Options{})
	got, err := searchTitles(t, c, titles)
	if err != nil {
		t.Fatal(err)
	}
	for title, id := range want {
		res, ok := got[title]
		switch {
		case !ok:
			t.Errorf("%q: nothing emitted", title)
		case res.Err != nil:
			t.Errorf("%q: %v", title, res.Err)
		case res.ArxivID != id:
			t.Errorf("%q: found %q (%d matches), want %q", title, res.ArxivID, res.Matches, id)
		case id != "" && (res.Matches != 1 || res.Record == nil || res.Record.ID != id || !paperlist.SameTitle(title, res.Record.Title)):
			t.Errorf("%q: %d matches, record %+v", title, res.Matches, res.Record)
		case id == "" && res.Record != nil:
			t.Errorf("%q: a record without a match: %+v", title, res.Record)
		}
	}
	if res := got[seedTitle]; res.Matches != 2 {
		t.Errorf("%q: %d matches, want 2 (the paper and its reproduction)", seedTitle, res.Matches)
	}
	if res := got["Attention Is All You Need"]; res.Matches != 0 {
		t.Errorf("unknown title: %d matches, want 0", res.Matches)
	}

	queries, maxResults := searchQueries(t, srv)
	if len(queries) > 6 {
		t.Errorf("%d requests for 50 titles, want at most 6", len(queries))
	}
	t.Logf("50 titles in %d requests", len(queries))
	asked := 0
	for i, q := range queries {
		n := strings.Count(q, `ti:"`)
		asked += n
		if maxResults[i] != n*arxiv.SearchResultsPerTitle {
			t.Errorf("request %d: max_results %d for %d titles", i, maxResults[i], n)
		}
	}
	for title := range want {
		phrase := `ti:"` + arxiv.SearchPhrase(title) + `"`
		n := 0
		for _, q := range queries {
			n += strings.Count(q, phrase)
		}
		if n != 1 {
			t.Errorf("%q asked %d times, want once", title, n)
		}
	}
	if asked != 50 {
		t.Errorf("%d titles asked in all, want 50", asked)
	}
}

func TestSearchTitlesBatches(t *testing.T) {
	long := strings.Repeat("Very Long Title Words ", 120) + "End"
	tests := []struct {
		name     string
		titles   []string
		requests []int // titles per request
		want     map[string]string
	}{
		{
			name:     "duplicates are asked once",
			titles:   []string{"GPT-4 Technical Report", "GPT-4 Technical Report"},
			requests: []int{1},
			want:     map[string]string{"GPT-4 Technical Report": "2303.08774"},
		},
		{
			name:     "two spellings of one phrase share a clause",
			titles:   []string{"GPT-4 Technical Report", "GPT 4: technical report", seedTitle},
			requests: []int{2},
			want:     map[string]string{"GPT-4 Technical Report": "2303.08774", "GPT 4: technical report": "2303.08774", seedTitle: "2205.05198"},
		},
		{
			name:     "nothing to search for",
			titles:   []string{"— ∅ —", ""},
			requests: nil,
			want:     map[string]string{"— ∅ —": "", "": ""},
		},
		{
			name:     "a title too long to share a URL goes alone",
			titles:   []string{"GPT-4 Technical Report", long, seedTitle},
			requests: []int{1, 1, 1},
			want:     map[string]string{"GPT-4 Technical Report": "2303.08774", long: "", seedTitle: "2205.05198"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := arxivtest.NewServer(arxivtest.Options{Now: now})
			t.Cleanup(srv.Close)
			srv.Add(nearMisses...)
			got, err := searchTitles(t, newClient(srv, arxiv.Options{}), tt.titles)
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != len(tt.want) {
				t.Errorf("%d titles emitted, want %d", len(got), len(tt.want))
			}
			for title, id := range tt.want {
				if res := got[title]; res.Err != nil || res.ArxivID != id {
					t.Errorf("%.40q: %+v, want %q", title, res, id)
				}
			}
			queries, _ := searchQueries(t, srv)
			var sizes []int
			for _, q := range queries {
				sizes = append(sizes, strings.Count(q, `ti:"`))
			}
			if fmt.Sprint(sizes) != fmt.Sprint(tt.requests) {
				t.Errorf("titles per request %v, want %v", sizes, tt.requests)
			}
		})
	}
}

func TestSearchTitlesErrors(t *testing.T) {
	srv := arxivtest.NewServer(arxivtest.Options{Now: now})
	t.Cleanup(srv.Close)
	papers := generatedPapers(40)
	srv.Add(papers...)
	var titles []string
	for _, p := range papers {
		titles = append(titles, p.Title)
	}
	srv.FailNext(1, http.StatusForbidden, "")
	got, err := searchTitles(t, newClient(srv, arxiv.Options{}), titles)
	if err != nil {
		t.Fatal(err)
	}
	failed, found := 0, 0
	for _, p := range papers {
		res := got[p.Title]
		switch {
		case res.Err != nil:
			failed++
			if !errors.Is(res.Err, paperlist.ErrRejected) || res.ArxivID != "" {
				t.Errorf("%q: %+v, want ErrRejected", p.Title, res)
			}
		case res.ArxivID == p.ID:
			found++
		default:
			t.Errorf("%q: %+v", p.Title, res)
		}
	}
	if requests := len(srv.Requests()); failed == 0 || found == 0 || requests < 2 {
		t.Errorf("%d failed, %d found in %d requests; want the first request's titles failed and the rest found", failed, found, requests)
	}

	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	emitted := 0
	err = newClient(srv, arxiv.Options{}).SearchTitles(ctx, titles, func(paperlist.TitleSearchResult) { emitted++ })
	if !errors.Is(err, context.Canceled) || emitted != 0 {
		t.Errorf("cancelled: %v, %d emitted; want context.Canceled and nothing emitted", err, emitted)
	}
}
