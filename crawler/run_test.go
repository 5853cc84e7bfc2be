package crawler_test

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/paperlist/paperlist"
	"github.com/paperlist/paperlist/crawler"
)

var now = time.Date(2024, 6, 1, 12, 0, 0, 0, time.UTC)

func clock() time.Time { return now }

type paperSpec struct {
	title, arxiv, repo, url string
}

func newList(specs ...paperSpec) *paperlist.List {
	l := &paperlist.List{Title: "Test list", Source: "test"}
	for i, s := range specs {
		p := &paperlist.Paper{Line: i + 1, Title: s.title, ArxivID: s.arxiv, Repo: s.repo, PaperURL: s.url}
		if s.arxiv != "" {
			p.Key = "arxiv:" + s.arxiv
			p.PaperURL = "https://arxiv.org/abs/" + s.arxiv
		}
		l.Papers = append(l.Papers, p)
	}
	return l
}

func arxivOK(title string) paperlist.ArxivResult {
	return paperlist.ArxivResult{Record: &paperlist.ArxivRecord{Title: title}}
}

func repoOK(fullName string, id int64, stars int) paperlist.RepoResult {
	return paperlist.RepoResult{
		State: paperlist.StateOK,
		Stats: &paperlist.RepoStats{FullName: fullName, ID: id, Stars: stars},
		ETag:  fmt.Sprintf("W/%q", fullName),
	}
}

// The max ages of the tests: paperlist's flag defaults.
const (
	arxivMaxAge  = 168 * time.Hour
	githubMaxAge = 24 * time.Hour
	pageMaxAge   = 168 * time.Hour
)

func options(c crawler.Cache, a *fakeArxiv, r *fakeRepos, p *fakePages) crawler.Options {
	o := crawler.Options{
		Cache:        c,
		ArxivMaxAge:  arxivMaxAge,
		GitHubMaxAge: githubMaxAge,
		PageMaxAge:   pageMaxAge,
		Now:          clock,
	}
	// Typed nils must not become non-nil interfaces.
	if a != nil {
		o.Arxiv = a
	}
	if r != nil {
		o.Repos = r
	}
	if p != nil {
		o.Pages = p
	}
	return o
}

func run(t *testing.T, ctx context.Context, l *paperlist.List, o crawler.Options) *crawler.Report {
	t.Helper()
	rep, err := crawler.Run(ctx, l, o)
	if err != nil {
		t.Fatalf("Run: %v", err)
	}
	return rep
}

func codes(p *paperlist.Paper) []string {
	var out []string
	for _, pr := range p.Problems {
		out = append(out, pr.Code)
	}
	return out
}

func TestRunFetchesEachDistinctRecordOnce(t *testing.T) {
	l := newList(
		paperSpec{title: "LLaMA", arxiv: "2302.13971", repo: "horseee/LLM-Pruner"},
		paperSpec{title: "LLaMA", arxiv: "2302.13971", repo: "horseee/llm-pruner"},
		paperSpec{title: "LLM-Pruner", arxiv: "2305.11627", repo: "HORSEEE/LLM-PRUNER"},
		paperSpec{title: "A proceedings paper", url: "https://proceedings.mlr.press/v202/a.html"},
		paperSpec{title: "A proceedings paper", url: "https://proceedings.mlr.press/v202/a.html"},
	)
	a := &fakeArxiv{results: map[string]paperlist.ArxivResult{
		"2302.13971": arxivOK("LLaMA"), "2305.11627": arxivOK("LLM-Pruner"),
	}}
	r := &fakeRepos{results: map[string]paperlist.RepoResult{"horseee/llm-pruner": repoOK("horseee/LLM-Pruner", 7, 10)}}
	p := &fakePages{results: map[string]paperlist.PageResult{
		"https://proceedings.mlr.press/v202/a.html": {State: paperlist.StateOK, Page: &paperlist.PageRecord{Title: "A proceedings paper"}},
	}}
	c := newMemCache()
	rep := run(t, t.Context(), l, options(c, a, r, p))

	if diff := cmp.Diff([][]string{{"2302.13971", "2305.11627"}}, a.calls); diff != "" {
		t.Errorf("arXiv calls (-want +got):\n%s", diff)
	}
	if reqs := r.requests(); len(reqs) != 1 || reqs[0].Name != "horseee/LLM-Pruner" {
		t.Errorf("repo requests = %+v, want one for horseee/LLM-Pruner", reqs)
	}
	if len(p.urls) != 1 {
		t.Errorf("page requests = %v, want one", p.urls)
	}
	for _, paper := range rep.Dataset.Papers {
		if len(paper.Problems) != 0 {
			t.Errorf("line %d: problems %v", paper.Line, paper.Problems)
		}
		if paper.Arxiv == nil && paper.Page == nil {
			t.Errorf("line %d: not enriched", paper.Line)
		}
	}
	if rep.Entries != 5 || rep.FromNetwork != 5 || rep.Missing != 0 {
		t.Errorf("report counts: %d entries, %d from network, %d missing", rep.Entries, rep.FromNetwork, rep.Missing)
	}
	want := map[string]crawler.SourceStats{
		crawler.SourceArxiv:  {Planned: 2, Fetched: 2},
		crawler.SourceGitHub: {Planned: 1, Fetched: 1},
		crawler.SourcePages:  {Planned: 1, Fetched: 1},
	}
	if diff := cmp.Diff(want, rep.Sources); diff != "" {
		t.Errorf("source stats (-want +got):\n%s", diff)
	}
	e, _ := c.RepoEntry("HorSeee/llm-PRUNER")
	if e == nil || e.Key != "horseee/llm-pruner" || e.ETag != `W/"horseee/LLM-Pruner"` || !e.FetchedAt.Equal(now) || !e.CheckedAt.Equal(now) {
		t.Errorf("cached repo entry = %+v", e)
	}
	if rep.Partial() || rep.Interrupted {
		t.Errorf("Partial %v, Interrupted %v", rep.Partial(), rep.Interrupted)
	}
	if rep.Dataset == nil || len(rep.Dataset.Papers) != 5 || !rep.Dataset.GeneratedAt.Equal(now) {
		t.Errorf("dataset = %+v", rep.Dataset)
	}
}

func TestRunOffline(t *testing.T) {
	c := newMemCache()
	c.PutRepo("o/cached", cachedRepo("o/cached", 3, now.Add(-1000*time.Hour)))
	a := &fakeArxiv{}
	r := &fakeRepos{}
	o := options(c, a, r, nil)
	o.Offline = true
	l := newList(paperSpec{title: "A", repo: "o/cached"}, paperSpec{title: "B", arxiv: "2302.13971", repo: "o/new"}, paperSpec{title: "C"})
	rep := run(t, t.Context(), l, o)
	if len(a.calls) != 0 || len(r.requests()) != 0 {
		t.Errorf("offline fetched: arxiv %v, repos %v", a.calls, r.requests())
	}
	if rep.Dataset.Papers[0].GitHub == nil || rep.Dataset.Papers[1].GitHub != nil || rep.Dataset.Papers[1].Arxiv != nil {
		t.Errorf("papers: %+v, %+v", rep.Dataset.Papers[0].GitHub, rep.Dataset.Papers[1])
	}
	if rep.Partial() || len(rep.Dataset.Papers[1].Problems) != 0 {
		t.Errorf("offline failed something: %v", rep.Dataset.Papers[1].Problems)
	}
	if rep.FromCache != 1 || rep.Missing != 1 || rep.NoLinks != 1 {
		t.Errorf("from cache %d, missing %d, no links %d", rep.FromCache, rep.Missing, rep.NoLinks)
	}
	if got := rep.Sources[crawler.SourceGitHub]; got != (crawler.SourceStats{Planned: 2, Skipped: 2}) {
		t.Errorf("github stats = %+v", got)
	}
}

func TestRunWithoutCache(t *testing.T) {
	r := &fakeRepos{results: map[string]paperlist.RepoResult{"o/r": repoOK("o/r", 1, 5)}}
	l := newList(paperSpec{title: "A", repo: "o/r"})
	rep := run(t, t.Context(), l, options(nil, nil, r, nil))
	if rep.Dataset.Papers[0].GitHub == nil || rep.Dataset.Papers[0].GitHub.Stars != 5 || rep.Dataset.Papers[0].GitHub.Stars7d != nil || rep.FromNetwork != 1 {
		t.Errorf("paper github = %+v, report %+v", rep.Dataset.Papers[0].GitHub, rep)
	}
}

func TestRunCancelled(t *testing.T) {
	c := newMemCache()
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	r := &fakeRepos{
		results: map[string]paperlist.RepoResult{"o/a": repoOK("o/a", 1, 1), "o/b": repoOK("o/b", 2, 2)},
		block: func(ctx context.Context, req paperlist.RepoRequest) error {
			if req.Name == "o/a" {
				return nil
			}
			// The second repository is in flight when the run is
			// interrupted.
			cancel()
			<-ctx.Done()
			return fmt.Errorf("github: get %s: %w", req.Name, ctx.Err())
		},
	}
	o := options(c, nil, r, nil)
	o.Workers = 1
	l := newList(paperSpec{title: "A", repo: "o/a"}, paperSpec{title: "B", repo: "o/b"}, paperSpec{title: "C", repo: "o/c"}, paperSpec{title: "D", repo: "o/d"})
	rep, err := crawler.Run(ctx, l, o)
	if err != nil {
		t.Fatalf("Run: %v", err)
	}
	if !rep.Interrupted || rep.Partial() {
		t.Errorf("Interrupted %v, Partial %v", rep.Interrupted, rep.Partial())
	}
	if e, _ := c.RepoEntry("o/a"); e == nil || e.Data == nil {
		t.Errorf("result before the interrupt not saved: %+v", e)
	}
	if e, _ := c.RepoEntry("o/b"); e != nil {
		t.Errorf("interrupted fetch stored: %+v", e)
	}
	if n := len(r.requests()); n > 2 {
		t.Errorf("%d repositories asked for after the interrupt, want at most 2 in all", n)
	}
	if rep.Dataset.Papers[0].GitHub == nil || rep.FromNetwork != 1 || rep.Missing != 3 {
		t.Errorf("from network %d, missing %d", rep.FromNetwork, rep.Missing)
	}
	if got := rep.Sources[crawler.SourceGitHub]; got.Fetched != 1 || got.Skipped != 3 || got.Failed != 0 {
		t.Errorf("github stats = %+v", got)
	}
}

func TestRunProgress(t *testing.T) {
	c := newMemCache()
	c.PutRepo("o/fresh", cachedRepo("o/fresh", 1, now))
	a := &fakeArxiv{results: map[string]paperlist.ArxivResult{"2302.13971": arxivOK("T"), "2302.13972": arxivOK("U")}}
	r := &fakeRepos{results: map[string]paperlist.RepoResult{"o/a": repoOK("o/a", 1, 1), "o/b": {Err: errors.New("boom")}}}
	p := &fakePages{results: map[string]paperlist.PageResult{"https://example.org/p": {State: paperlist.StateNotFound}}}
	pr := newFakeProgress()
	o := options(c, a, r, p)
	o.Progress = pr
	l := newList(
		paperSpec{title: "T", arxiv: "2302.13971", repo: "o/a"},
		paperSpec{title: "U", arxiv: "2302.13972", repo: "o/b"},
		paperSpec{title: "V", repo: "o/fresh", url: "https://example.org/p"},
	)
	run(t, t.Context(), l, o)
	wantTotal := map[string]int{crawler.SourceArxiv: 2, crawler.SourceGitHub: 2, crawler.SourcePages: 1}
	if diff := cmp.Diff(wantTotal, pr.total); diff != "" {
		t.Errorf("Start totals (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(wantTotal, pr.advanced); diff != "" {
		t.Errorf("Advance sums (-want +got):\n%s", diff)
	}
	if len(pr.done) != 3 {
		t.Errorf("Done for %v, want all three", pr.done)
	}
}
