package crawler_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"sync/atomic"
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

// cachedRepo is a repository entry answered at checked with validators.
func cachedRepo(name string, stars int, checked time.Time) *paperlist.Entry[paperlist.RepoStats] {
	return &paperlist.Entry[paperlist.RepoStats]{
		Key: paperlist.RepoKey(name), State: paperlist.StateOK,
		Data:      &paperlist.RepoStats{FullName: name, ID: 42, Stars: stars, FetchedAt: checked},
		FetchedAt: checked, CheckedAt: checked, ETag: `W/"old"`, LastModified: "Mon, 01 Jan 2024 00:00:00 GMT",
	}
}

func TestRunFreshness(t *testing.T) {
	checked := now.Add(-2 * time.Hour)
	tests := []struct {
		name          string
		githubMaxAge  time.Duration
		arxivMaxAge   time.Duration
		wantRepoReqs  []paperlist.RepoRequest
		wantArxivCall bool
	}{
		{"fresh entries not refetched", 24 * time.Hour, 168 * time.Hour, nil, false},
		{"stale entries refetched conditionally", time.Hour, time.Hour,
			[]paperlist.RepoRequest{{Name: "o/r", ID: 42, ETag: `W/"old"`, LastModified: "Mon, 01 Jan 2024 00:00:00 GMT"}}, true},
		{"max age 0 refetches everything", 0, 0,
			[]paperlist.RepoRequest{{Name: "o/r", ID: 42, ETag: `W/"old"`, LastModified: "Mon, 01 Jan 2024 00:00:00 GMT"}}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := newMemCache()
			c.PutRepo("o/r", cachedRepo("o/r", 5, checked))
			c.PutArxiv(&paperlist.Entry[paperlist.ArxivRecord]{Key: "2302.13971", State: paperlist.StateOK,
				Data: &paperlist.ArxivRecord{ID: "2302.13971", Title: "T"}, FetchedAt: checked, CheckedAt: checked})
			a := &fakeArxiv{results: map[string]paperlist.ArxivResult{"2302.13971": arxivOK("T")}}
			r := &fakeRepos{results: map[string]paperlist.RepoResult{"o/r": repoOK("o/r", 42, 6)}}
			o := options(c, a, r, nil)
			o.GitHubMaxAge, o.ArxivMaxAge = tt.githubMaxAge, tt.arxivMaxAge
			rep := run(t, t.Context(), newList(paperSpec{title: "T", arxiv: "2302.13971", repo: "o/r"}), o)

			if diff := cmp.Diff(tt.wantRepoReqs, r.requests()); diff != "" {
				t.Errorf("repo requests (-want +got):\n%s", diff)
			}
			if got := len(a.calls) > 0; got != tt.wantArxivCall {
				t.Errorf("arXiv called: %v, want %v", got, tt.wantArxivCall)
			}
			wantNetwork := 0
			if tt.wantArxivCall {
				wantNetwork = 1
			}
			if rep.FromNetwork != wantNetwork || rep.FromCache != 1-wantNetwork {
				t.Errorf("from network %d, from cache %d; want %d, %d", rep.FromNetwork, rep.FromCache, wantNetwork, 1-wantNetwork)
			}
		})
	}
}

func TestRunNotModified(t *testing.T) {
	checked := now.Add(-48 * time.Hour)
	c := newMemCache()
	c.PutRepo("o/r", cachedRepo("o/r", 10, checked))
	r := &fakeRepos{results: map[string]paperlist.RepoResult{"o/r": {State: paperlist.StateOK, NotModified: true}}}
	l := newList(paperSpec{title: "T", repo: "o/r"})
	rep := run(t, t.Context(), l, options(c, nil, r, nil))

	e, _ := c.RepoEntry("o/r")
	if e.Data == nil || e.Data.Stars != 10 || !e.CheckedAt.Equal(now) || !e.FetchedAt.Equal(checked) || e.ETag != `W/"old"` || e.Failure != nil {
		t.Errorf("entry after 304 = %+v (data %+v)", e, e.Data)
	}
	if got := rep.Sources[crawler.SourceGitHub]; got.NotModified != 1 || got.Fetched != 0 {
		t.Errorf("github stats = %+v", got)
	}
	if rep.Dataset.Papers[0].GitHub == nil || rep.Dataset.Papers[0].GitHub.Stars != 10 {
		t.Errorf("paper github = %+v", rep.Dataset.Papers[0].GitHub)
	}
	if stars, ok, _ := c.StarsOn("o/r", now); !ok || stars != 10 {
		t.Errorf("stars recorded today = %d, %v; want 10", stars, ok)
	}
}

func TestRunFailures(t *testing.T) {
	tests := []struct {
		name        string
		cached      bool
		err         error
		wantKind    string
		wantPartial bool
		wantStopped bool
	}{
		{"transient failure keeps old data", true, errors.New("github: get o/r: 503 Service Unavailable"), paperlist.FailureTransient, false, false},
		{"transient failure without data", false, errors.New("github: get o/r: 503 Service Unavailable"), paperlist.FailureTransient, true, false},
		{"rate limit stops the source", false, fmt.Errorf("github: get o/r: %w", crawler.ErrWaitTooLong), paperlist.FailureRateLimit, true, true},
		{"invalid answer", false, fmt.Errorf("github: decode: %w", paperlist.ErrInvalidResponse), paperlist.FailureInvalid, true, false},
		{"rejected request", true, fmt.Errorf("github: 401: %w", paperlist.ErrRejected), paperlist.FailureRejected, false, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := newMemCache()
			if tt.cached {
				c.PutRepo("o/r", cachedRepo("o/r", 10, now.Add(-48*time.Hour)))
			}
			r := &fakeRepos{results: map[string]paperlist.RepoResult{"o/r": {Err: tt.err}}}
			l := newList(paperSpec{title: "T", repo: "o/r"})
			rep := run(t, t.Context(), l, options(c, nil, r, nil))

			e, _ := c.RepoEntry("o/r")
			if e == nil || e.Failure == nil || e.Failure.Kind != tt.wantKind || e.Failure.Message != tt.err.Error() || !e.Failure.At.Equal(now) {
				t.Fatalf("cached entry = %+v", e)
			}
			p := rep.Dataset.Papers[0]
			if tt.cached {
				if e.Data == nil || e.Data.Stars != 10 || e.State != paperlist.StateOK || p.GitHub == nil || p.GitHub.Stars != 10 {
					t.Errorf("old data lost: entry %+v, paper %+v", e, p.GitHub)
				}
			} else if e.State != "" || e.Data != nil || p.GitHub != nil {
				t.Errorf("failure stored as data: entry %+v, paper %+v", e, p.GitHub)
			}
			if rep.Partial() != tt.wantPartial || p.HasProblem(paperlist.ProblemFetchFailed) != tt.wantPartial {
				t.Errorf("Partial %v, problems %v; want partial %v", rep.Partial(), p.Problems, tt.wantPartial)
			}
			if tt.wantPartial && (rep.Missing != 1 || p.Problems[0].Message != "github: "+tt.wantKind+": "+tt.err.Error()) {
				t.Errorf("missing %d, problem %+v", rep.Missing, p.Problems[0])
			}
			if _, stopped := rep.Stopped[crawler.SourceGitHub]; stopped != tt.wantStopped {
				t.Errorf("Stopped = %v, want github stopped %v", rep.Stopped, tt.wantStopped)
			}
			if rep.Sources[crawler.SourceGitHub].Failed != 1 {
				t.Errorf("github stats = %+v", rep.Sources[crawler.SourceGitHub])
			}
		})
	}
}

func TestRunArxivSourceError(t *testing.T) {
	c := newMemCache()
	a := &fakeArxiv{
		results: map[string]paperlist.ArxivResult{"2302.13971": arxivOK("LLaMA")},
		err:     errors.New("arxiv: fetch batch of 2: 503 Service Unavailable"),
	}
	l := newList(paperSpec{title: "LLaMA", arxiv: "2302.13971"}, paperSpec{title: "Other", arxiv: "2305.11627"})
	rep := run(t, t.Context(), l, options(c, a, nil, nil))
	if rep.Dataset.Papers[0].Arxiv == nil || len(rep.Dataset.Papers[0].Problems) != 0 {
		t.Errorf("emitted result lost: %+v, %v", rep.Dataset.Papers[0].Arxiv, rep.Dataset.Papers[0].Problems)
	}
	if !slices.Equal(codes(rep.Dataset.Papers[1]), []string{paperlist.ProblemFetchFailed}) {
		t.Errorf("second paper problems = %v", rep.Dataset.Papers[1].Problems)
	}
	if e, _ := c.ArxivEntry("2305.11627"); e == nil || e.Failure == nil {
		t.Errorf("failure not saved: %+v", e)
	}
	if rep.Stopped[crawler.SourceArxiv] == "" || !rep.Partial() {
		t.Errorf("Stopped %v, Partial %v", rep.Stopped, rep.Partial())
	}
}

func TestRunPermanentAnswers(t *testing.T) {
	c := newMemCache()
	c.PutRepo("o/gone", cachedRepo("o/gone", 99, now.Add(-48*time.Hour)))
	a := &fakeArxiv{results: map[string]paperlist.ArxivResult{
		"2302.00001": {NotFound: true},
		"2302.00002": {Record: &paperlist.ArxivRecord{Title: "FlashAttention: Fast and Memory-Efficient Exact Attention"}},
		"2302.00003": {Record: &paperlist.ArxivRecord{Title: "Withdrawn", Withdrawn: true, Comment: "This paper has been withdrawn"}},
	}}
	r := &fakeRepos{results: map[string]paperlist.RepoResult{
		"o/gone":     {State: paperlist.StateNotFound},
		"o/dmca":     {State: paperlist.StateUnavailable, Reason: "dmca"},
		"o/old-name": repoOK("o/new-name", 3, 1),
		"o/archived": {State: paperlist.StateOK, Stats: &paperlist.RepoStats{FullName: "O/Archived", Archived: true}},
		"o/disabled": {State: paperlist.StateUnavailable, Reason: "disabled", Stats: &paperlist.RepoStats{FullName: "o/disabled", Stars: 77, Disabled: true}},
	}}
	p := &fakePages{results: map[string]paperlist.PageResult{
		"https://openreview.net/forum?id=x": {State: paperlist.StateOK, Page: &paperlist.PageRecord{Title: "Something else entirely"}},
	}}
	l := newList(
		paperSpec{title: "Unknown", arxiv: "2302.00001", repo: "o/gone"},
		paperSpec{title: "Reducing Activation Recomputation in Large Transformer Models", arxiv: "2302.00002", repo: "o/dmca"},
		paperSpec{title: "Withdrawn", arxiv: "2302.00003", repo: "o/old-name"},
		paperSpec{title: "Archived", repo: "o/archived", url: "https://openreview.net/forum?id=x"},
		paperSpec{title: "Disabled", repo: "o/disabled"},
	)
	rep := run(t, t.Context(), l, options(c, a, r, p))

	want := [][]string{
		{paperlist.ProblemArxivNotFound, paperlist.ProblemRepoNotFound},
		{paperlist.ProblemTitleMismatch, paperlist.ProblemRepoUnavailable},
		{paperlist.ProblemArxivWithdrawn, paperlist.ProblemRepoRenamed},
		{paperlist.ProblemRepoArchived, paperlist.ProblemTitleMismatch},
		{paperlist.ProblemRepoUnavailable},
	}
	for i, p := range rep.Dataset.Papers {
		if diff := cmp.Diff(want[i], codes(p)); diff != "" {
			t.Errorf("line %d problems (-want +got):\n%s", p.Line, diff)
		}
	}
	if rep.Dataset.Papers[0].GitHub != nil || rep.Dataset.Papers[0].Arxiv != nil {
		t.Errorf("a permanent answer shows data: %+v, %+v", rep.Dataset.Papers[0].GitHub, rep.Dataset.Papers[0].Arxiv)
	}
	gone, _ := c.RepoEntry("o/gone")
	if gone.State != paperlist.StateNotFound || !gone.CheckedAt.Equal(now) || gone.ETag != "" || gone.Data == nil {
		t.Errorf("gone entry = %+v", gone)
	}
	if e, _ := c.RepoEntry("o/dmca"); e == nil || e.State != paperlist.StateUnavailable || e.Reason != "dmca" {
		t.Errorf("dmca entry = %+v", e)
	}
	if e, _ := c.RepoEntry("o/disabled"); e == nil || e.State != paperlist.StateUnavailable || e.Data == nil || e.Data.Stars != 77 || !e.Data.FetchedAt.Equal(now) {
		t.Errorf("disabled entry does not keep its fresh stats: %+v", e)
	}
	if e, _ := c.ArxivEntry("2302.00001"); e == nil || e.State != paperlist.StateNotFound || !e.Answered() {
		t.Errorf("arXiv not-found entry = %+v", e)
	}
	if rep.Partial() || rep.Missing != 0 || rep.Problems[paperlist.ProblemTitleMismatch] != 2 {
		t.Errorf("Partial %v, missing %d, problems %v", rep.Partial(), rep.Missing, rep.Problems)
	}
	if rep.Dataset.Papers[2].GitHub == nil || rep.Dataset.Papers[2].GitHub.FullName != "o/new-name" {
		t.Errorf("renamed repo data = %+v", rep.Dataset.Papers[2].GitHub)
	}

	// A rerun within the max age asks nothing and finds the same problems.
	l2 := newList(paperSpec{title: "Unknown", arxiv: "2302.00001", repo: "o/gone"})
	r2 := &fakeRepos{}
	a2 := &fakeArxiv{}
	rep2 := run(t, t.Context(), l2, options(c, a2, r2, nil))
	if len(r2.requests()) != 0 || len(a2.calls) != 0 {
		t.Errorf("rerun fetched: repos %v, arxiv %v", r2.requests(), a2.calls)
	}
	if diff := cmp.Diff(want[0], codes(rep2.Dataset.Papers[0])); diff != "" {
		t.Errorf("rerun problems (-want +got):\n%s", diff)
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

func TestRunStarsHistory(t *testing.T) {
	c := newMemCache()
	c.RecordStars("o/r", now.AddDate(0, 0, -8), 100)
	c.RecordStars("o/r", now.AddDate(0, 0, -31), 40)
	c.RecordStars("o/young", now.AddDate(0, 0, -2), 1)
	r := &fakeRepos{results: map[string]paperlist.RepoResult{
		"o/r": repoOK("O/R", 1, 150), "o/young": repoOK("o/young", 2, 5),
	}}
	l := newList(paperSpec{title: "A", repo: "o/R"}, paperSpec{title: "B", repo: "o/young"})
	rep := run(t, t.Context(), l, options(c, nil, r, nil))
	gh := rep.Dataset.Papers[0].GitHub
	if gh == nil || gh.Stars7d == nil || *gh.Stars7d != 50 || gh.Stars30d == nil || *gh.Stars30d != 110 {
		t.Fatalf("stars gained = %+v", gh)
	}
	if young := rep.Dataset.Papers[1].GitHub; young.Stars7d != nil || young.Stars30d != nil {
		t.Errorf("young repo has gains without history: %v, %v", young.Stars7d, young.Stars30d)
	}
	if stars, ok, _ := c.StarsOn("o/r", now); !ok || stars != 150 {
		t.Errorf("today's stars = %d, %v", stars, ok)
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

func TestRunSavesWithoutHoldingWorkers(t *testing.T) {
	const n = 12
	allAsked := make(chan struct{})
	var asked int
	var specs []paperSpec
	results := map[string]paperlist.RepoResult{}
	for i := range n {
		name := fmt.Sprintf("o/r%d", i)
		specs = append(specs, paperSpec{title: name, repo: name})
		results[name] = repoOK(name, int64(i+1), i)
	}
	r := &fakeRepos{results: results}
	r.block = func(context.Context, paperlist.RepoRequest) error {
		r.mu.Lock()
		defer r.mu.Unlock()
		if asked++; asked == n {
			close(allAsked)
		}
		return nil
	}
	c := newMemCache()
	// Every commit waits until the source was asked for every repository:
	// a worker that waited for its result's commit would never get there.
	c.beforeSave = func(*paperlist.CacheBatch) error {
		select {
		case <-allAsked:
			return nil
		case <-time.After(10 * time.Second):
			t.Error("the source was not asked for every repository while a commit was pending")
			return errors.New("timed out")
		}
	}
	o := options(c, nil, r, nil)
	o.Workers = 2
	rep := run(t, t.Context(), newList(specs...), o)
	if rep.FromNetwork != n {
		t.Errorf("from network %d, want %d", rep.FromNetwork, n)
	}
	for _, s := range specs {
		if e, _ := c.RepoEntry(s.repo); e == nil || e.Data == nil {
			t.Errorf("%s not saved: %+v", s.repo, e)
		}
		if _, ok, _ := c.StarsOn(s.repo, now); !ok {
			t.Errorf("stars of %s not saved", s.repo)
		}
	}
	// One commit held while all were asked, one for what was queued
	// meanwhile, and at most one per worker that queued late.
	if saves := c.saveCalls(); len(saves) > 2+o.Workers {
		t.Errorf("%d commits %v for %d repositories, want them batched", len(saves), saves, n)
	}
}

func TestRunSaveFails(t *testing.T) {
	c := newMemCache()
	full := errors.New("disk full")
	c.beforeSave = func(*paperlist.CacheBatch) error { return full }
	a := &fakeArxiv{results: map[string]paperlist.ArxivResult{"2302.13971": arxivOK("LLaMA")}}
	r := &fakeRepos{results: map[string]paperlist.RepoResult{"o/r": repoOK("o/r", 1, 5)}}
	l := newList(paperSpec{title: "LLaMA", arxiv: "2302.13971", repo: "o/r"})
	rep, err := crawler.Run(t.Context(), l, options(c, a, r, nil))
	if !errors.Is(err, full) {
		t.Errorf("Run error = %v, want it to wrap %v", err, full)
	}
	// The report is complete all the same, from what was fetched.
	if rep == nil || rep.FromNetwork != 1 || rep.Dataset.Papers[0].Arxiv == nil || rep.Dataset.Papers[0].GitHub == nil {
		t.Errorf("report %+v, paper %+v", rep, rep.Dataset.Papers[0])
	}
}

// After the first failed commit (a full disk) the run saves nothing more:
// one warning, one Save, and an error that names the failure once, while
// the report is still assembled from everything fetched.
func TestRunStopsSavingAfterAFailure(t *testing.T) {
	const n = 30
	allAsked := make(chan struct{})
	var asked int
	var specs []paperSpec
	results := map[string]paperlist.RepoResult{}
	for i := range n {
		name := fmt.Sprintf("o/r%d", i)
		specs = append(specs, paperSpec{title: name, repo: name})
		results[name] = repoOK(name, int64(i+1), i)
	}
	r := &fakeRepos{results: results}
	r.block = func(context.Context, paperlist.RepoRequest) error {
		r.mu.Lock()
		defer r.mu.Unlock()
		if asked++; asked == n {
			close(allAsked)
		}
		return nil
	}
	c := newMemCache()
	full := errors.New("write cache.db: no space left on device")
	// The first commit fails once every repository was asked, so results
	// are queued behind it.
	var saves atomic.Int32
	c.beforeSave = func(*paperlist.CacheBatch) error {
		saves.Add(1)
		<-allAsked
		return full
	}
	var logs bytes.Buffer
	o := options(c, nil, r, nil)
	o.Workers = 2
	o.Logger = slog.New(slog.NewTextHandler(&logs, nil))
	rep, err := crawler.Run(t.Context(), newList(specs...), o)
	if !errors.Is(err, full) || strings.Count(err.Error(), full.Error()) != 1 {
		t.Errorf("Run error = %v, want it to name %q once", err, full)
	}
	if saves.Load() != 1 {
		t.Errorf("%d commits after the first failed, want none", saves.Load()-1)
	}
	if got := strings.Count(logs.String(), "cache write failed"); got != 1 {
		t.Errorf("%d warnings of a failed write, want 1:\n%s", got, logs.String())
	}
	if rep == nil || rep.FromNetwork != n {
		t.Errorf("report %+v, want %d papers from the network", rep, n)
	}
}

// unreadableCache is a cache whose arXiv records of some ids are stored
// but cannot be decoded, as a damaged value in a real cache.
type unreadableCache struct {
	*memCache
	ids map[string]bool
}

func (c unreadableCache) ArxivEntries(ids []string) (map[string]*paperlist.Entry[paperlist.ArxivRecord], error) {
	var readable, bad []string
	for _, id := range ids {
		if c.ids[id] {
			bad = append(bad, id)
		} else {
			readable = append(readable, id)
		}
	}
	m, err := c.memCache.ArxivEntries(readable)
	if err == nil && len(bad) > 0 {
		err = &paperlist.UnreadableError{Names: bad, Err: errors.New("decode: invalid character")}
	}
	return m, err
}

// A cached record that cannot be decoded is a problem of its paper when
// it is not fetched again (offline), not a silent absence; fetched again,
// it is no problem.
func TestRunUnreadableCacheRecord(t *testing.T) {
	for _, offline := range []bool{true, false} {
		t.Run(fmt.Sprintf("offline=%t", offline), func(t *testing.T) {
			c := unreadableCache{memCache: newMemCache(), ids: map[string]bool{"2302.13971": true}}
			a := &fakeArxiv{results: map[string]paperlist.ArxivResult{"2302.13971": arxivOK("LLaMA")}}
			l := newList(paperSpec{title: "LLaMA", arxiv: "2302.13971"})
			o := options(c, a, nil, nil)
			o.Offline = offline
			rep := run(t, t.Context(), l, o)
			got := codes(rep.Dataset.Papers[0])
			if offline {
				if !slices.Contains(got, paperlist.ProblemCacheUnreadable) || !rep.Partial() {
					t.Errorf("problems %v, partial %t; want %s and partial", got, rep.Partial(), paperlist.ProblemCacheUnreadable)
				}
				return
			}
			if len(got) != 0 || rep.Dataset.Papers[0].Arxiv == nil || rep.Partial() {
				t.Errorf("problems %v, record %+v, partial %t; want the record fetched again", got, rep.Dataset.Papers[0].Arxiv, rep.Partial())
			}
		})
	}
}

// TestRunTwiceOnOneList runs one list twice, each run against the same
// sources and a cache of its own: the datasets are equal, and the list, with
// the problem its parser found, is as it was.
func TestRunTwiceOnOneList(t *testing.T) {
	specs := []paperSpec{
		{title: "LLaMA", arxiv: "2302.13971", repo: "horseee/LLM-Pruner"},
		{title: "Gone", arxiv: "2305.11627", repo: "nobody/nothing"},
		{title: "A proceedings paper", url: "https://proceedings.mlr.press/v202/a.html"},
		{title: "No links"},
	}
	parsed := func() *paperlist.List {
		l := newList(specs...)
		l.Sections = []string{"Models"}
		l.Papers[3].AddProblem(paperlist.ProblemNoPaperLink, "no paper link")
		return l
	}
	a := &fakeArxiv{results: map[string]paperlist.ArxivResult{
		"2302.13971": arxivOK("LLaMA"), "2305.11627": {Err: errors.New("boom")},
	}}
	r := &fakeRepos{results: map[string]paperlist.RepoResult{"horseee/llm-pruner": repoOK("horseee/LLM-Pruner", 7, 10)}}
	p := &fakePages{results: map[string]paperlist.PageResult{
		"https://proceedings.mlr.press/v202/a.html": {State: paperlist.StateOK, Page: &paperlist.PageRecord{Title: "A proceedings paper"}},
	}}
	l := parsed()
	first := run(t, t.Context(), l, options(newMemCache(), a, r, p))
	second := run(t, t.Context(), l, options(newMemCache(), a, r, p))

	if diff := cmp.Diff(first.Dataset, second.Dataset); diff != "" {
		t.Errorf("second dataset differs (-first +second):\n%s", diff)
	}
	if diff := cmp.Diff(first.Problems, second.Problems); diff != "" {
		t.Errorf("second problem counts differ (-first +second):\n%s", diff)
	}
	if diff := cmp.Diff(parsed(), l); diff != "" {
		t.Errorf("Run changed the list (-parsed +after two runs):\n%s", diff)
	}
	if got := codes(first.Dataset.Papers[1]); !slices.Contains(got, paperlist.ProblemFetchFailed) {
		t.Errorf("failed paper problems = %v, want %s among them", got, paperlist.ProblemFetchFailed)
	}
	if got := codes(first.Dataset.Papers[3]); !slices.Equal(got, []string{paperlist.ProblemNoPaperLink}) {
		t.Errorf("parser's problem in the dataset = %v, want [%s] once", got, paperlist.ProblemNoPaperLink)
	}
	if first.Dataset.Papers[0].Arxiv == nil || first.Dataset.Papers[0].GitHub == nil || first.Dataset.Papers[2].Page == nil {
		t.Errorf("dataset not enriched: %+v", first.Dataset.Papers)
	}
}
