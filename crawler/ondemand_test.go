package crawler_test

import (
	"bytes"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/paperlist/paperlist"
	"github.com/paperlist/paperlist/crawler"
	"github.com/paperlist/paperlist/output"
)

// written is the dataset as papers.json and papers.md (sorted by stars).
func written(t *testing.T, d *paperlist.Dataset) (string, string) {
	t.Helper()
	var js, md bytes.Buffer
	if err := output.WriteJSON(&js, d); err != nil {
		t.Fatal(err)
	}
	if err := output.WriteMarkdown(&md, d, output.MarkdownOptions{Sort: output.SortStars, Problems: true}); err != nil {
		t.Fatal(err)
	}
	return js.String(), md.String()
}

// TestRunOnDemand runs a list cold, warm (everything fresh: the records
// stay in the cache) and stale, each with and without OnDemand against
// copies of one cache: the report counts and the written bytes are the
// same, and an OnDemand dataset's papers carry no records.
func TestRunOnDemand(t *testing.T) {
	l := newList(
		paperSpec{title: "LLaMA", arxiv: "2302.13971", repo: "horseee/LLM-Pruner"},
		paperSpec{title: "LLaMA again", arxiv: "2302.13971", repo: "horseee/llm-pruner"},
		paperSpec{title: "Wrong title", arxiv: "2305.11627", repo: "o/gone"},
		paperSpec{title: "A proceedings paper", url: "https://proceedings.mlr.press/v202/a.html"},
		paperSpec{title: "Never answered", arxiv: "2401.00001"},
		paperSpec{title: "Withdrawn", arxiv: "2301.00002"},
	)
	a := &fakeArxiv{results: map[string]paperlist.ArxivResult{
		"2302.13971": arxivOK("LLaMA"), "2305.11627": arxivOK("LLM-Pruner"),
		"2301.00002": {Record: &paperlist.ArxivRecord{Title: "Withdrawn", Withdrawn: true, Comment: "an error in Lemma 2", Abstract: "Gone."}},
	}}
	r := &fakeRepos{results: map[string]paperlist.RepoResult{
		"horseee/llm-pruner": repoOK("horseee/LLM-Pruner", 7, 10),
		"o/gone":             {State: paperlist.StateNotFound},
	}}
	p := &fakePages{results: map[string]paperlist.PageResult{
		"https://proceedings.mlr.press/v202/a.html": {State: paperlist.StateOK, Page: &paperlist.PageRecord{Title: "A proceedings paper", Abstract: "An abstract."}},
	}}
	tests := []struct {
		name   string
		later  time.Duration // after the first run
		maxAge time.Duration
	}{
		{"cold", 0, githubMaxAge},
		{"warm", time.Hour, githubMaxAge},
		{"stale", 48 * time.Hour, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var outs [3][2]string
			var reports [3]*crawler.Report
			// Without OnDemand, with it, and with it against a cache that
			// reads entries without their records.
			for i, onDemand := range []bool{false, true, true} {
				c := newMemCache()
				c.RecordStars("horseee/llm-pruner", now.AddDate(0, 0, -8), 4)
				if tt.later > 0 {
					run(t, t.Context(), l, options(c, a, r, p))
				}
				var cache crawler.Cache = c
				partial := &partialCache{memCache: c}
				if i == 2 {
					cache = partial
				}
				o := options(cache, a, r, p)
				if tt.name == "stale" {
					// arXiv does not answer for a paper it answered before:
					// its cached record stays, failure and all.
					o.Arxiv = &fakeArxiv{results: map[string]paperlist.ArxivResult{
						"2302.13971": a.results["2302.13971"], "2301.00002": a.results["2301.00002"],
					}}
				}
				o.Now = func() time.Time { return now.Add(tt.later) }
				o.ArxivMaxAge, o.GitHubMaxAge, o.PageMaxAge = tt.maxAge, tt.maxAge, tt.maxAge
				if tt.maxAge > 0 {
					o.ArxivMaxAge, o.PageMaxAge = arxivMaxAge, pageMaxAge
				}
				o.OnDemand = onDemand
				rep := run(t, t.Context(), l, o)
				if onDemand {
					for _, p := range rep.Dataset.Papers {
						if p.Arxiv != nil || p.GitHub != nil || p.Page != nil {
							t.Errorf("line %d: OnDemand paper carries records", p.Line)
						}
					}
				}
				js, md := written(t, rep.Dataset)
				outs[i] = [2]string{js, md}
				if i == 2 && tt.name == "warm" && (partial.heads == 0 || partial.checks == 0) {
					t.Errorf("a warm run read %d heads and %d checks, want the partial reads used", partial.heads, partial.checks)
				}
				rep.Dataset, rep.Elapsed = nil, 0
				reports[i] = rep
			}
			for i := 1; i < 3; i++ {
				if diff := cmp.Diff(outs[0], outs[i]); diff != "" {
					t.Errorf("run %d: outputs differ with OnDemand (-without +with):\n%s", i, diff)
				}
				if diff := cmp.Diff(reports[0], reports[i]); diff != "" {
					t.Errorf("run %d: reports differ with OnDemand (-without +with):\n%s", i, diff)
				}
			}
			for _, want := range []string{"was withdrawn: an error in Lemma 2", "but arXiv 2305.11627 is", "GitHub has no repository o/gone"} {
				if !strings.Contains(outs[1][1], want) {
					t.Errorf("OnDemand papers.md lacks %q", want)
				}
			}
			if !bytes.Contains([]byte(outs[1][0]), []byte(`"stars_7d": 6`)) || !bytes.Contains([]byte(outs[1][0]), []byte("An abstract.")) {
				t.Errorf("OnDemand papers.json lacks the records:\n%s", outs[1][0])
			}
		})
	}
}

// fullDiskCache is a cache whose saves fail, as on a full disk.
type fullDiskCache struct{ *memCache }

func (fullDiskCache) Save(*paperlist.CacheBatch) error { return errors.New("no space left on device") }

// TestRunOnDemandSaveFails: with OnDemand, records whose save failed stay
// in memory, and the outputs still show what the run fetched.
func TestRunOnDemandSaveFails(t *testing.T) {
	l := newList(paperSpec{title: "LLaMA", arxiv: "2302.13971"}, paperSpec{title: "A page", url: "https://proceedings.mlr.press/v202/a.html"})
	a := &fakeArxiv{results: map[string]paperlist.ArxivResult{"2302.13971": arxivOK("LLaMA")}}
	p := &fakePages{results: map[string]paperlist.PageResult{
		"https://proceedings.mlr.press/v202/a.html": {State: paperlist.StateOK, Page: &paperlist.PageRecord{Title: "A page", Abstract: "Kept."}},
	}}
	o := options(fullDiskCache{newMemCache()}, a, nil, p)
	o.OnDemand = true
	rep, err := crawler.Run(t.Context(), l, o)
	if err == nil {
		t.Fatal("Run reported no save error")
	}
	js, _ := written(t, rep.Dataset)
	for _, want := range []string{`"arxiv": {`, `"abstract": "Kept."`} {
		if !strings.Contains(js, want) {
			t.Errorf("papers.json lacks %s:\n%s", want, js)
		}
	}
}

// partialCache is a memCache that also reads entries without their
// records, and arXiv entries with only what the checks read, as
// store.Store does, and counts the entries so read.
type partialCache struct {
	*memCache
	// The sources plan at once: the counts are taken under the lock.
	countMu       sync.Mutex
	heads, checks int
}

func (c *partialCache) count(n *int, k int) {
	c.countMu.Lock()
	*n += k
	c.countMu.Unlock()
}

func (c *partialCache) ArxivHeads(ids []string) (map[string]*paperlist.Entry[paperlist.ArxivRecord], error) {
	m, err := c.ArxivEntries(ids)
	for _, e := range m {
		e.Data = nil
	}
	c.count(&c.heads, len(m))
	return m, err
}

func (c *partialCache) PageHeads(urls []string) (map[string]*paperlist.Entry[paperlist.PageRecord], error) {
	m, err := c.PageEntries(urls)
	for _, e := range m {
		e.Data = nil
	}
	c.count(&c.heads, len(m))
	return m, err
}

func (c *partialCache) ArxivChecks(ids []string) (map[string]*paperlist.Entry[paperlist.ArxivRecord], error) {
	m, err := c.ArxivEntries(ids)
	for _, e := range m {
		if d := e.Data; d != nil {
			e.Data = &paperlist.ArxivRecord{ID: d.ID, Title: d.Title, Comment: d.Comment, Withdrawn: d.Withdrawn}
		}
	}
	c.count(&c.checks, len(m))
	return m, err
}

// countingCache counts the calls that read arXiv entries whole.
type countingCache struct {
	*partialCache
	wholeReads int
}

func (c *countingCache) ArxivEntries(ids []string) (map[string]*paperlist.Entry[paperlist.ArxivRecord], error) {
	c.count(&c.wholeReads, 1)
	return c.partialCache.ArxivEntries(ids)
}

// TestRunOnDemandStoppedArxivReadsBackInBatches: when arXiv stops with
// every stale id of a rerun unanswered, their cached records are read back
// (and saved again, kept) a chunk of ids at a time, not one id a read.
func TestRunOnDemandStoppedArxivReadsBackInBatches(t *testing.T) {
	const n = 1200
	var papers []*paperlist.Paper
	for i := range n {
		papers = append(papers, &paperlist.Paper{Line: i + 1, Title: fmt.Sprintf("Paper %d", i), ArxivID: fmt.Sprintf("2301.%05d", i+1)})
	}
	l := &paperlist.List{Papers: papers}
	now := time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)
	c := newMemCache()
	for _, p := range papers {
		rec := &paperlist.ArxivRecord{ID: p.ArxivID, Title: p.Title, Abstract: "Kept."}
		if err := c.PutArxiv(&paperlist.Entry[paperlist.ArxivRecord]{Key: p.ArxivID, State: paperlist.StateOK, Data: rec, FetchedAt: now, CheckedAt: now}); err != nil {
			t.Fatal(err)
		}
	}
	cache := &countingCache{partialCache: &partialCache{memCache: c}}
	o := crawler.Options{
		Cache:       cache,
		Arxiv:       &fakeArxiv{err: fmt.Errorf("arxiv down: %w", paperlist.ErrHostDown)},
		ArxivMaxAge: time.Hour,
		OnDemand:    true,
		Now:         func() time.Time { return now.Add(48 * time.Hour) },
	}
	rep := run(t, t.Context(), l, o)
	if rep.Sources[crawler.SourceArxiv].Failed == 0 && rep.Stopped[crawler.SourceArxiv] == "" {
		t.Fatalf("arXiv neither failed nor stopped: %+v", rep.Sources[crawler.SourceArxiv])
	}
	// Read back in chunks of 512 ids, then read once more a chunk of 256
	// papers at a time as the outputs are written.
	if max := 3 + (n+255)/256; cache.wholeReads > max {
		t.Errorf("%d whole reads of arXiv entries for %d unanswered ids, want at most %d", cache.wholeReads, n, max)
	}
	for _, p := range papers[:3] {
		e, err := c.ArxivEntry(p.ArxivID)
		if err != nil || e == nil || e.Data == nil || e.Data.Abstract != "Kept." {
			t.Errorf("%s: the cached record was not kept: %+v, %v", p.ArxivID, e, err)
		}
	}
}

// readCountingCache counts the arXiv and repository records read, whole or
// as the checks read them, by name.
type readCountingCache struct {
	*partialCache
	mu          sync.Mutex
	arxivWhole  map[string]int
	arxivChecks map[string]int
	repos       map[string]int
}

func (c *readCountingCache) add(m map[string]int, names []string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, n := range names {
		m[n]++
	}
}

func (c *readCountingCache) ArxivEntries(ids []string) (map[string]*paperlist.Entry[paperlist.ArxivRecord], error) {
	c.add(c.arxivWhole, ids)
	return c.partialCache.ArxivEntries(ids)
}

func (c *readCountingCache) ArxivChecks(ids []string) (map[string]*paperlist.Entry[paperlist.ArxivRecord], error) {
	c.add(c.arxivChecks, ids)
	return c.partialCache.ArxivChecks(ids)
}

func (c *readCountingCache) RepoEntries(names []string) (map[string]*paperlist.Entry[paperlist.RepoStats], error) {
	c.add(c.repos, names)
	return c.partialCache.RepoEntries(names)
}

// TestRunWarmReadsEachRecordOnce: in a warm rerun the plan reads what the
// checks need of each arXiv record and each repository, and the assembly
// reads none of them again; the outputs, which read them whole, are as a
// run that keeps the records in memory writes them.
func TestRunWarmReadsEachRecordOnce(t *testing.T) {
	l := newList(
		paperSpec{title: "LLaMA", arxiv: "2302.13971", repo: "horseee/LLM-Pruner"},
		paperSpec{title: "LLaMA again", arxiv: "2302.13971", repo: "horseee/llm-pruner"},
		paperSpec{title: "Wrong title", arxiv: "2305.11627", repo: "o/renamed"},
		paperSpec{title: "Withdrawn", arxiv: "2301.00002", repo: "o/archived"},
	)
	a := &fakeArxiv{results: map[string]paperlist.ArxivResult{
		"2302.13971": arxivOK("LLaMA"), "2305.11627": arxivOK("LLM-Pruner"),
		"2301.00002": {Record: &paperlist.ArxivRecord{Title: "Withdrawn", Withdrawn: true, Comment: "an error in Lemma 2", Abstract: "Gone."}},
	}}
	archived := repoOK("o/archived", 3, 1)
	archived.Stats.Archived = true
	r := &fakeRepos{results: map[string]paperlist.RepoResult{
		"horseee/llm-pruner": repoOK("horseee/LLM-Pruner", 7, 10),
		"o/renamed":          repoOK("o/new-name", 5, 2),
		"o/archived":         archived,
	}}
	var outs [2][2]string
	for i, onDemand := range []bool{false, true} {
		c := newMemCache()
		run(t, t.Context(), l, options(c, a, r, nil))
		cache := &readCountingCache{partialCache: &partialCache{memCache: c}, arxivWhole: map[string]int{}, arxivChecks: map[string]int{}, repos: map[string]int{}}
		o := options(cache, a, r, nil)
		o.Now = func() time.Time { return now.Add(time.Hour) }
		o.OnDemand = onDemand
		rep := run(t, t.Context(), l, o)
		if onDemand {
			for id, n := range cache.arxivChecks {
				if n != 1 {
					t.Errorf("arXiv %s: the checks' fields read %d times, want once", id, n)
				}
			}
			if len(cache.arxivWhole) != 0 {
				t.Errorf("arXiv records read whole before the outputs: %v", cache.arxivWhole)
			}
			for name, n := range cache.repos {
				if n != 1 {
					t.Errorf("repository %s read %d times before the outputs, want once", name, n)
				}
			}
			if len(cache.arxivChecks) != 3 || len(cache.repos) != 3 {
				t.Errorf("read %d arXiv records and %d repositories, want 3 and 3", len(cache.arxivChecks), len(cache.repos))
			}
		}
		js, md := written(t, rep.Dataset)
		outs[i] = [2]string{js, md}
	}
	if diff := cmp.Diff(outs[0], outs[1]); diff != "" {
		t.Errorf("outputs differ with OnDemand (-without +with):\n%s", diff)
	}
	for _, want := range []string{"was withdrawn: an error in Lemma 2", "but arXiv 2305.11627 is", "repository o/renamed → o/new-name", "repository o/archived is archived"} {
		if !strings.Contains(outs[1][1], want) {
			t.Errorf("papers.md lacks %q", want)
		}
	}
}
