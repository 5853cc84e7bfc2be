package crawler_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/paperlist/paperlist"
	"github.com/paperlist/paperlist/crawler"
)

// citeCache is a memCache that also keeps citation records and title
// searches, as the store does.
type citeCache struct {
	*memCache
	cmu    sync.Mutex
	cites  map[string]paperlist.Entry[paperlist.CitationRecord]
	titles map[string]paperlist.TitleMatch
}

func newCiteCache() *citeCache {
	return &citeCache{memCache: newMemCache(), cites: map[string]paperlist.Entry[paperlist.CitationRecord]{}, titles: map[string]paperlist.TitleMatch{}}
}

func (c *citeCache) CitationEntries(ids []string) (map[string]*paperlist.Entry[paperlist.CitationRecord], error) {
	c.cmu.Lock()
	defer c.cmu.Unlock()
	out := map[string]*paperlist.Entry[paperlist.CitationRecord]{}
	for _, id := range ids {
		if e, ok := c.cites[id]; ok {
			out[id] = &e
		}
	}
	return out, nil
}

func (c *citeCache) TitleMatches(titles []string) (map[string]paperlist.TitleMatch, error) {
	c.cmu.Lock()
	defer c.cmu.Unlock()
	out := map[string]paperlist.TitleMatch{}
	for _, t := range titles {
		if m, ok := c.titles[t]; ok {
			out[t] = m
		}
	}
	return out, nil
}

func (c *citeCache) Save(b *paperlist.CacheBatch) error {
	c.cmu.Lock()
	for _, e := range b.Citations {
		c.cites[e.Key] = *e
	}
	for _, m := range b.TitleMatches {
		c.titles[m.Title] = m
	}
	c.cmu.Unlock()
	return c.memCache.Save(b)
}

// fakeCitations answers from a map; ids it lacks are not found.
type fakeCitations struct {
	records map[paperlist.CitationID]*paperlist.CitationRecord
	err     error

	mu    sync.Mutex
	calls [][]paperlist.CitationID
}

func (f *fakeCitations) FetchCitations(_ context.Context, ids []paperlist.CitationID, emit func(paperlist.CitationResult)) error {
	f.mu.Lock()
	f.calls = append(f.calls, slices.Clone(ids))
	f.mu.Unlock()
	if f.err != nil {
		return f.err
	}
	for _, id := range ids {
		if rec, ok := f.records[id]; ok {
			c := *rec
			emit(paperlist.CitationResult{ID: id, Record: &c})
		} else {
			emit(paperlist.CitationResult{ID: id, NotFound: true})
		}
	}
	return nil
}

// fakeTitles finds titles from a map of title → ids that have it.
type fakeTitles struct {
	ids map[string][]string

	mu    sync.Mutex
	calls [][]string
}

func (f *fakeTitles) SearchTitles(_ context.Context, titles []string, emit func(paperlist.TitleSearchResult)) error {
	f.mu.Lock()
	f.calls = append(f.calls, slices.Clone(titles))
	f.mu.Unlock()
	for _, t := range titles {
		ids := f.ids[t]
		r := paperlist.TitleSearchResult{Title: t, Matches: len(ids)}
		if len(ids) == 1 {
			r.ArxivID = ids[0]
			r.Record = &paperlist.ArxivRecord{ID: ids[0], Title: t}
		}
		emit(r)
	}
	return nil
}

func (f *fakeTitles) searched() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []string
	for _, c := range f.calls {
		out = append(out, c...)
	}
	return out
}

// citeList has an arXiv paper, a DOI-linked paper Semantic Scholar knows
// the arXiv id of, a title-only paper arXiv has once, one it has twice
// and a paper Semantic Scholar does not know.
func citeList() *paperlist.List {
	return &paperlist.List{Title: "L", Papers: []*paperlist.Paper{
		{Key: "arxiv:2302.13971", Line: 1, Title: "LLaMA", ArxivID: "2302.13971", PaperURL: "https://arxiv.org/abs/2302.13971"},
		{Key: "url:doi", Line: 2, Title: "Published Elsewhere", PaperURL: "https://doi.org/10.18653/v1/N19-1423"},
		{Key: "title:once", Line: 3, Title: "Found By Its Title", TitleOnly: true},
		{Key: "title:twice", Line: 4, Title: "Two Papers Have This Title", TitleOnly: true},
		{Key: "arxiv:2301.00002", Line: 5, Title: "Unknown", ArxivID: "2301.00002", PaperURL: "https://arxiv.org/abs/2301.00002"},
	}}
}

func citeSources() (*fakeArxiv, *fakeCitations, *fakeTitles) {
	arx := &fakeArxiv{results: map[string]paperlist.ArxivResult{}}
	for _, id := range []string{"2302.13971", "1810.04805", "2401.00001", "2301.00002"} {
		arx.results[id] = paperlist.ArxivResult{Record: &paperlist.ArxivRecord{ID: id, Title: map[string]string{
			"2302.13971": "LLaMA", "1810.04805": "BERT: Pre-training of Deep Bidirectional Transformers", "2401.00001": "Found By Its Title", "2301.00002": "Unknown"}[id]}}
	}
	cites := &fakeCitations{records: map[paperlist.CitationID]*paperlist.CitationRecord{
		"ARXIV:2302.13971":         {PaperID: "a", Citations: 12345, Venue: "arXiv.org", Year: 2023, URL: "https://www.semanticscholar.org/paper/a"},
		"DOI:10.18653/v1/N19-1423": {PaperID: "b", Citations: 90000, ArxivID: "1810.04805", DOI: "10.18653/v1/N19-1423", Venue: "NAACL"},
		"ARXIV:2401.00001":         {PaperID: "c", Citations: 3},
	}}
	titles := &fakeTitles{ids: map[string][]string{
		"Found By Its Title":         {"2401.00001"},
		"Two Papers Have This Title": {"2401.00005", "2401.00006"},
	}}
	return arx, cites, titles
}

// TestCitationsAndFoundIDs runs the stages in both modes: the records in
// the papers, or left in the cache and read back by Enrich. The DOI
// paper's arXiv title is worded otherwise: no title_mismatch for an id the
// list does not give.
func TestCitationsAndFoundIDs(t *testing.T) {
	for _, onDemand := range []bool{false, true} {
		t.Run(fmt.Sprintf("on demand %v", onDemand), func(t *testing.T) {
			cache := newCiteCache()
			arx, cites, titles := citeSources()
			now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
			opts := crawler.Options{Arxiv: arx, Citations: cites, Titles: titles, Cache: cache, OnDemand: onDemand,
				ArxivMaxAge: time.Hour, CitationMaxAge: time.Hour, Now: func() time.Time { return now }}
			rep, err := crawler.Run(context.Background(), citeList(), opts)
			if err != nil {
				t.Fatal(err)
			}
			papers := enriched(t, rep.Dataset)
			type want struct {
				id, source string
				citations  any
				arxiv      bool
			}
			wants := []want{
				{"2302.13971", paperlist.ArxivIDFromList, 12345, true},
				{"1810.04805", paperlist.ArxivIDFromSemanticScholar, 90000, true},
				{"2401.00001", paperlist.ArxivIDFromTitleSearch, 3, true},
				{"", "", nil, false},
				{"2301.00002", paperlist.ArxivIDFromList, nil, true},
			}
			for i, p := range papers {
				got := want{p.ArxivID, p.ArxivIDSource, deref(p.Citations), p.Arxiv != nil}
				if fmt.Sprint(got) != fmt.Sprint(wants[i]) {
					t.Errorf("paper %d: got %+v, want %+v", i+1, got, wants[i])
				}
				if len(p.Problems) > 0 {
					t.Errorf("paper %d: problems %v", i+1, p.Problems)
				}
			}
			if p := papers[1]; p.Venue != "" || p.ScholarVenue != "NAACL" || p.DOI != "10.18653/v1/N19-1423" {
				t.Errorf("DOI paper: venue %q, scholar venue %q, doi %q", p.Venue, p.ScholarVenue, p.DOI)
			}
			// Semantic Scholar is asked first for the listed and DOI ids,
			// then for the id the title search found.
			if got := fmt.Sprint(cites.calls); got != "[[ARXIV:2302.13971 DOI:10.18653/v1/N19-1423 ARXIV:2301.00002] [ARXIV:2401.00001]]" {
				t.Errorf("citation calls %s", got)
			}
			if got := fmt.Sprint(arx.calls); got != "[[2302.13971 1810.04805 2401.00001 2301.00002]]" {
				t.Errorf("arXiv calls %s, want one with every id, listed and found", got)
			}
			if got := titles.searched(); fmt.Sprint(got) != "[Found By Its Title Two Papers Have This Title]" {
				t.Errorf("searched %v", got)
			}
			if rep.WithCitations != 3 || rep.FoundArxiv[paperlist.ArxivIDFromTitleSearch] != 1 || rep.FoundArxiv[paperlist.ArxivIDFromSemanticScholar] != 1 {
				t.Errorf("with citations %d, found %v", rep.WithCitations, rep.FoundArxiv)
			}
			if st := rep.Sources[crawler.SourceCitations]; st.Planned != 4 || st.Fetched != 4 {
				t.Errorf("semantic scholar stats %+v", st)
			}

			// A warm rerun asks no one and finds the same.
			arx2, cites2, titles2 := citeSources()
			opts.Arxiv, opts.Citations, opts.Titles = arx2, cites2, titles2
			rep2, err := crawler.Run(context.Background(), citeList(), opts)
			if err != nil {
				t.Fatal(err)
			}
			if len(arx2.calls)+len(cites2.calls)+len(titles2.calls) != 0 {
				t.Errorf("warm rerun: arXiv %v, citations %v, titles %v", arx2.calls, cites2.calls, titles2.calls)
			}
			for i, p := range enriched(t, rep2.Dataset) {
				if p.ArxivID != papers[i].ArxivID || fmt.Sprint(deref(p.Citations)) != fmt.Sprint(deref(papers[i].Citations)) {
					t.Errorf("warm paper %d: %s %v, cold %s %v", i+1, p.ArxivID, deref(p.Citations), papers[i].ArxivID, deref(papers[i].Citations))
				}
			}
		})
	}
}

// TestCitationsStopped: a citation source that stops fails its papers
// with fetch_failed and stops the run; the other sources are not held.
func TestCitationsStopped(t *testing.T) {
	arx, cites, titles := citeSources()
	cites.err = fmt.Errorf("semanticscholar: %w", paperlist.ErrWaitTooLong)
	rep, err := crawler.Run(context.Background(), citeList(), crawler.Options{Arxiv: arx, Citations: cites, Titles: titles})
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := rep.Stopped[crawler.SourceCitations]; !ok || rep.Incomplete() == "" {
		t.Errorf("stopped %v, incomplete %q", rep.Stopped, rep.Incomplete())
	}
	if !rep.Dataset.Papers[0].HasProblem(paperlist.ProblemFetchFailed) || rep.Dataset.Papers[0].Arxiv == nil {
		t.Errorf("paper 1: problems %v, arXiv record %v", rep.Dataset.Papers[0].Problems, rep.Dataset.Papers[0].Arxiv != nil)
	}
}

// TestCitationsOff: without a citation source, nothing is asked and no
// paper misses citations (the DOI paper misses its page: no page source).
func TestCitationsOff(t *testing.T) {
	arx, _, _ := citeSources()
	rep, err := crawler.Run(context.Background(), citeList(), crawler.Options{Arxiv: arx})
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := rep.Sources[crawler.SourceCitations]; ok || rep.WithCitations != 0 {
		t.Errorf("sources %v, with citations %d", rep.Sources, rep.WithCitations)
	}
	for _, p := range rep.Dataset.Papers {
		if p.Citations != nil || len(p.Problems) > 0 && p.Line != 2 {
			t.Errorf("paper %d: citations %v, problems %v", p.Line, deref(p.Citations), p.Problems)
		}
	}
}

// TestCitationsOffOffline: NoCitations on an offline run over a cache
// holding Semantic Scholar's records gives no paper a citation field and
// uses no arXiv id those records name; the title search's id stays.
func TestCitationsOffOffline(t *testing.T) {
	cache := newCiteCache()
	arx, cites, titles := citeSources()
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	opts := crawler.Options{Arxiv: arx, Citations: cites, Titles: titles, Cache: cache,
		ArxivMaxAge: time.Hour, CitationMaxAge: time.Hour, Now: func() time.Time { return now }}
	if _, err := crawler.Run(context.Background(), citeList(), opts); err != nil {
		t.Fatal(err)
	}
	for _, onDemand := range []bool{false, true} {
		t.Run(fmt.Sprintf("on demand %v", onDemand), func(t *testing.T) {
			rep, err := crawler.Run(context.Background(), citeList(), crawler.Options{Cache: cache, Offline: true, NoCitations: true, OnDemand: onDemand,
				ArxivMaxAge: time.Hour, CitationMaxAge: time.Hour, Now: func() time.Time { return now }})
			if err != nil {
				t.Fatal(err)
			}
			if rep.WithCitations != 0 || rep.FoundArxiv[paperlist.ArxivIDFromSemanticScholar] != 0 {
				t.Errorf("with citations %d, found %v", rep.WithCitations, rep.FoundArxiv)
			}
			wantIDs := []string{"2302.13971", "", "2401.00001", "", "2301.00002"}
			for i, p := range enriched(t, rep.Dataset) {
				if p.Citations != nil || p.ScholarVenue != "" || p.SemanticScholarURL != "" || p.ArxivID != wantIDs[i] {
					t.Errorf("paper %d: citations %v, scholar venue %q, url %q, id %q (%s); want no citation field and id %q",
						i+1, deref(p.Citations), p.ScholarVenue, p.SemanticScholarURL, p.ArxivID, p.ArxivIDSource, wantIDs[i])
				}
			}
		})
	}
}

// enriched is the dataset's papers with their records, read through
// Enrich when the run left them in the cache.
func enriched(t *testing.T, d *paperlist.Dataset) []*paperlist.Paper {
	t.Helper()
	if d.Enrich == nil {
		return d.Papers
	}
	out, err := d.Enrich(d.Papers)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func deref(p *int) any {
	if p == nil {
		return nil
	}
	return *p
}

// TestRunFillList: with FillList the dataset's papers are the list's own,
// filled as the copies are without it (found ids included), in both modes.
func TestRunFillList(t *testing.T) {
	for _, onDemand := range []bool{false, true} {
		t.Run(fmt.Sprintf("on demand %v", onDemand), func(t *testing.T) {
			var outs [2][2]string
			var reports [2]*crawler.Report
			for i, fill := range []bool{false, true} {
				arx, cites, titles := citeSources()
				now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
				opts := crawler.Options{Arxiv: arx, Citations: cites, Titles: titles, Cache: newCiteCache(), OnDemand: onDemand, FillList: fill,
					ArxivMaxAge: time.Hour, CitationMaxAge: time.Hour, Now: func() time.Time { return now }}
				l := citeList()
				before := slices.Clone(l.Papers)
				rep, err := crawler.Run(context.Background(), l, opts)
				if err != nil {
					t.Fatal(err)
				}
				for k, p := range rep.Dataset.Papers {
					if own := p == before[k]; own != fill {
						t.Errorf("paper %d is the list's own: %v, want %v", k+1, own, fill)
					}
				}
				if !fill && l.Papers[2].ArxivID != "" {
					t.Errorf("without FillList the list's paper was filled: %+v", l.Papers[2])
				}
				js, md := written(t, rep.Dataset)
				outs[i] = [2]string{js, md}
				rep.Dataset, rep.Elapsed = nil, 0
				reports[i] = rep
			}
			if diff := cmp.Diff(outs[0], outs[1]); diff != "" {
				t.Errorf("outputs differ with FillList (-without +with):\n%s", diff)
			}
			if diff := cmp.Diff(reports[0], reports[1]); diff != "" {
				t.Errorf("reports differ with FillList (-without +with):\n%s", diff)
			}
			if !strings.Contains(outs[1][0], `"arxiv_id_source": "title_search"`) {
				t.Errorf("papers.json lacks the id found by its title:\n%s", outs[1][0])
			}
		})
	}
}
