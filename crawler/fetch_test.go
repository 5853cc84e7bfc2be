package crawler_test

import (
	"errors"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/paperlist/paperlist"
	"github.com/paperlist/paperlist/crawler"
)

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
		{"rate limit stops the source", false, fmt.Errorf("github: get o/r: %w", paperlist.ErrWaitTooLong), paperlist.FailureRateLimit, true, true},
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
