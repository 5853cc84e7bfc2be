package arxiv_test

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"sync/atomic"
	"testing"
	"time"

	"github.com/paperlist/paperlist"
	"github.com/paperlist/paperlist/sources/arxiv"
	"github.com/paperlist/paperlist/sources/arxiv/arxivtest"
)

// seedTitle is the title line 40 of the seed list gives, with a link to
// 2205.14135 (FlashAttention) instead of the paper's 2205.05198.
const seedTitle = "Reducing Activation Recomputation in Large Transformer Models"

// nearMisses are papers whose titles come close to the seed list's.
var nearMisses = []arxivtest.Paper{
	{ID: "2205.05198", Title: seedTitle, Published: fixedNow.AddDate(-4, 0, 0), PrimaryCategory: "cs.LG",
		Abstract: "Sequence parallelism and selective activation recomputation."},
	{ID: "2205.14135", Title: "FlashAttention: Fast and Memory-Efficient Exact Attention with IO-Awareness",
		Published: fixedNow.AddDate(-4, 0, 0), PrimaryCategory: "cs.LG", Abstract: "Activation recomputation in large transformer models."},
	{ID: "2304.11111", Title: "Reducing Activation Memory in Large Transformer Models", Published: fixedNow.AddDate(-3, 0, 0)},
	{ID: "2306.12345", Title: "Activation Recomputation for Large Transformer Models, Revisited", Published: fixedNow.AddDate(-3, 0, 0)},
	{ID: "2309.54321", Title: "Reducing Activation Recomputation in Large Transformer Models Efficiently", Published: fixedNow.AddDate(-3, 0, 0)},
	{ID: "2112.05682", Title: "Self-attention Does Not Need $O(n^2)$ Memory", Published: fixedNow.AddDate(-5, 0, 0)},
	{ID: "2303.08774", Title: "GPT-4 Technical Report", Published: fixedNow.AddDate(-3, 0, 0)},
}

// reproduction adds a subtitle to the seed title: by the rules of
// title_mismatch it is the same title, so a search that finds it too
// cannot tell the papers apart.
var reproduction = arxivtest.Paper{ID: "2401.00042", Title: seedTitle + ": A Reproduction", Published: fixedNow.AddDate(-2, 0, 0)}

func TestSearchTitleMatch(t *testing.T) {
	tests := []struct {
		name   string
		extra  []arxivtest.Paper
		listed string
		want   string // "" for no match
	}{
		{name: "the seed list's entry", listed: seedTitle, want: "2205.05198"},
		{name: "case and punctuation", listed: `"reducing activation recomputation in large transformer models."`, want: "2205.05198"},
		{name: "another near miss by its own title", listed: "Reducing Activation Memory in Large Transformer Models", want: "2304.11111"},
		{name: "a comma", listed: "Activation Recomputation for Large Transformer Models, Revisited", want: "2306.12345"},
		{name: "superscript for TeX", listed: "Self-Attention Does Not Need O(n²) Memory", want: "2112.05682"},
		{name: "a hyphen", listed: "GPT-4 Technical Report", want: "2303.08774"},
		{name: "part of a title matches none", listed: "Reducing Activation Recomputation"},
		{name: "a title arXiv lacks", listed: "Attention Is All You Need"},
		{name: "two papers match", extra: []arxivtest.Paper{reproduction}, listed: seedTitle},
		{name: "nothing to search for", listed: "— ∅ —"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := arxivtest.NewServer(arxivtest.Options{Now: now})
			t.Cleanup(srv.Close)
			srv.Add(nearMisses...)
			srv.Add(tt.extra...)
			c := newClient(srv, arxiv.Options{})
			results, err := c.SearchTitle(context.Background(), tt.listed, 10)
			if err != nil {
				t.Fatal(err)
			}
			id, ok := arxiv.MatchTitle(tt.listed, results)
			if id != tt.want || ok != (tt.want != "") {
				var titles []string
				for _, r := range results {
					titles = append(titles, r.ID+" "+r.Title)
				}
				t.Errorf("MatchTitle = %q, %v; want %q (results %q)", id, ok, tt.want, titles)
			}
		})
	}
}

func TestSearchTitleRequest(t *testing.T) {
	srv := arxivtest.NewServer(arxivtest.Options{Now: now})
	t.Cleanup(srv.Close)
	srv.Add(nearMisses...)
	var sent atomic.Int32
	c := arxiv.New(arxiv.Options{
		APIURL: srv.URL(), Now: now,
		HTTPClient: &http.Client{Timeout: 10 * time.Second, Transport: countingTransport{&sent}},
	})

	results, err := c.SearchTitle(context.Background(), seedTitle, 3)
	if err != nil {
		t.Fatal(err)
	}
	if len(results) == 0 || results[0].ID != "2205.05198" || results[0].Title != seedTitle || !results[0].FetchedAt.Equal(fixedNow) {
		t.Errorf("first result %+v, want 2205.05198 stamped %v", results[0], fixedNow)
	}
	if len(results) > 3 {
		t.Errorf("%d results for max_results=3", len(results))
	}
	if sent.Load() != 1 {
		t.Errorf("%d requests through the client's transport, want 1", sent.Load())
	}
	reqs := srv.Requests()
	if len(reqs) != 1 {
		t.Fatalf("%d requests, want 1", len(reqs))
	}
	q, err := url.ParseQuery(reqs[0].RawQuery)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := q.Get("search_query"), `ti:"`+seedTitle+`"`; got != want {
		t.Errorf("search_query %q, want %q", got, want)
	}
	if q.Get("max_results") != "3" || q.Has("id_list") {
		t.Errorf("query %q", reqs[0].RawQuery)
	}

	srv.Reset()
	if _, err := c.SearchTitle(context.Background(), "", 0); err != nil || len(srv.Requests()) != 0 {
		t.Errorf("empty title: %v, %d requests; want no error and no request", err, len(srv.Requests()))
	}
	if _, err := c.SearchTitle(context.Background(), "GPT-4", 0); err != nil {
		t.Fatal(err)
	}
	if q, _ := url.ParseQuery(srv.Requests()[0].RawQuery); q.Get("max_results") != "10" {
		t.Errorf("max_results %q, want the default 10", q.Get("max_results"))
	}
}

type countingTransport struct{ n *atomic.Int32 }

func (c countingTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	c.n.Add(1)
	return http.DefaultTransport.RoundTrip(r)
}

func TestSearchTitleErrors(t *testing.T) {
	tests := []struct {
		name    string
		fault   func(*arxivtest.Server)
		wantIs  error
		wantNot error
	}{
		{"503", func(s *arxivtest.Server) { s.FailNext(1, http.StatusServiceUnavailable, "") }, nil, paperlist.ErrRejected},
		{"429", func(s *arxivtest.Server) { s.FailNext(1, http.StatusTooManyRequests, "") }, nil, paperlist.ErrRejected},
		{"403", func(s *arxivtest.Server) { s.FailNext(1, http.StatusForbidden, "") }, paperlist.ErrRejected, nil},
		{"HTML page", func(s *arxivtest.Server) { s.GarbageNext(1, arxivtest.GarbageHTML) }, paperlist.ErrInvalidResponse, nil},
		{"truncated feed", func(s *arxivtest.Server) { s.GarbageNext(1, arxivtest.GarbageTruncated) }, paperlist.ErrInvalidResponse, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := arxivtest.NewServer(arxivtest.Options{Now: now})
			t.Cleanup(srv.Close)
			srv.Add(nearMisses...)
			tt.fault(srv)
			results, err := newClient(srv, arxiv.Options{}).SearchTitle(context.Background(), seedTitle, 10)
			if err == nil {
				t.Fatalf("no error, results %v", results)
			}
			if tt.wantIs != nil && !errors.Is(err, tt.wantIs) {
				t.Errorf("error %v does not wrap %v", err, tt.wantIs)
			}
			if tt.wantNot != nil && errors.Is(err, tt.wantNot) {
				t.Errorf("error %v wraps %v", err, tt.wantNot)
			}
		})
	}

	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	srv := arxivtest.NewServer(arxivtest.Options{Now: now})
	t.Cleanup(srv.Close)
	if _, err := newClient(srv, arxiv.Options{}).SearchTitle(ctx, seedTitle, 10); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled: %v", err)
	}
	if _, err := arxiv.New(arxiv.Options{}).SearchTitle(context.Background(), seedTitle, 10); err == nil {
		t.Error("a client without an HTTP client searched")
	}
}

func TestSearchPhrase(t *testing.T) {
	tests := map[string]string{
		seedTitle:                                      seedTitle,
		`"Quoted" (and) Parenthesised: AND/OR`:         "Quoted and Parenthesised AND OR",
		`Self-attention Does Not Need $O(n^2)$ Memory`: "Self attention Does Not Need O n 2 Memory",
		"Self-Attention Does Not Need O(n²) Memory":    "Self Attention Does Not Need O n 2 Memory",
		`\emph{Gödel}'s ti:title* a_b`:                 "emph Gödel s ti title a b",
		"LLaMA’s GPT-3.5 beats 1,000 models, 2.":       "LLaMA's GPT 3.5 beats 1,000 models 2",
		"  tabs\tand\nnewlines  ":                      "tabs and newlines",
		"— ∅ —":                                        "",
		"Ré-cap\u0301":                                 "Ré cap\u0301",
	}
	for in, want := range tests {
		if got := arxiv.SearchPhrase(in); got != want {
			t.Errorf("SearchPhrase(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestMatchTitle(t *testing.T) {
	rec := func(id, title string) *paperlist.ArxivRecord { return &paperlist.ArxivRecord{ID: id, Title: title} }
	tests := []struct {
		name    string
		listed  string
		results []*paperlist.ArxivRecord
		want    string
	}{
		{"one of several", seedTitle, []*paperlist.ArxivRecord{rec("2309.54321", seedTitle+" Efficiently"), rec("2205.05198", seedTitle)}, "2205.05198"},
		{"none", seedTitle, []*paperlist.ArxivRecord{rec("2309.54321", seedTitle+" Efficiently")}, ""},
		{"no results", seedTitle, nil, ""},
		{"two papers", seedTitle, []*paperlist.ArxivRecord{rec("2205.05198", seedTitle), rec("2401.00042", seedTitle+": A Reproduction")}, ""},
		{"one paper twice", seedTitle, []*paperlist.ArxivRecord{rec("2205.05198", seedTitle), rec("2205.05198", seedTitle)}, "2205.05198"},
		{"the list adds a subtitle", "FlashAttention: Fast and Memory-Efficient Exact Attention", []*paperlist.ArxivRecord{rec("2205.14135", "FlashAttention")}, "2205.14135"},
		{"TeX in arXiv's title", "Self-Attention Does Not Need O(n²) Memory", []*paperlist.ArxivRecord{rec("2112.05682", "Self-attention Does Not Need $O(n^2)$ Memory")}, "2112.05682"},
		{"nil and id-less records", seedTitle, []*paperlist.ArxivRecord{nil, rec("", seedTitle), rec("2205.05198", seedTitle)}, "2205.05198"},
		{"empty listed title", "", []*paperlist.ArxivRecord{rec("2205.05198", "")}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			id, ok := arxiv.MatchTitle(tt.listed, tt.results)
			if id != tt.want || ok != (tt.want != "") {
				t.Errorf("MatchTitle = %q, %v; want %q", id, ok, tt.want)
			}
		})
	}
}

// TestSearchTitleRecorded reads arXiv's recorded answer to a search, in
// relevance order and with every entry.
func TestSearchTitleRecorded(t *testing.T) {
	c, rs := newRecordedClient(t, map[string]route{"": {file: "search_testing.xml"}})
	results, err := c.SearchTitle(context.Background(), "testing", 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(results) != 10 || len(rs.Requests()) != 1 {
		t.Fatalf("%d results from %d requests, want 10 from 1", len(results), len(rs.Requests()))
	}
	first := results[0]
	if first.ID != "2202.12139" || first.Version != 1 || first.DOI != "10.1109/ICSTW55395.2022.00035" ||
		first.Title != "Testing Deep Learning Models: A First Comparative Study of Multiple Testing Techniques" {
		t.Errorf("first result %+v", first)
	}
	if id, ok := arxiv.MatchTitle("Testing deep learning models", results); id != "2202.12139" || !ok {
		t.Errorf("MatchTitle = %q, %v; want 2202.12139, whose title only adds a subtitle", id, ok)
	}
}
