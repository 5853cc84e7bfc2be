package crawler_test

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"testing"

	"github.com/paperlist/paperlist"
	"github.com/paperlist/paperlist/crawler"
)

// fakeBatches is a RepoBatchSource that answers from fakeRepos's map, one
// call per batch; err, when set, is returned by the call number failAt
// (from 1) after emitting the first emitBeforeErr results.
type fakeBatches struct {
	fakeRepos
	failAt        int
	emitBeforeErr int
	err           error

	bmu     sync.Mutex
	batches [][]string
}

func (f *fakeBatches) FetchRepos(ctx context.Context, reqs []paperlist.RepoRequest, emit func(int, paperlist.RepoResult)) error {
	f.bmu.Lock()
	var names []string
	for _, r := range reqs {
		names = append(names, r.Name)
	}
	f.batches = append(f.batches, names)
	call := len(f.batches)
	f.bmu.Unlock()
	for i, req := range reqs {
		if call == f.failAt && i == f.emitBeforeErr {
			return f.err
		}
		emit(i, f.FetchRepo(ctx, req))
	}
	return nil
}

func batchList(n int) (*paperlist.List, map[string]paperlist.RepoResult) {
	var specs []paperSpec
	results := map[string]paperlist.RepoResult{}
	for i := range n {
		name := fmt.Sprintf("o/r%d", i)
		specs = append(specs, paperSpec{title: fmt.Sprintf("T%d", i), repo: name})
		results[name] = paperlist.RepoResult{State: paperlist.StateOK, Stats: &paperlist.RepoStats{FullName: name, ID: int64(i + 1), Stars: i}}
	}
	return newList(specs...), results
}

func TestRunRepoBatches(t *testing.T) {
	l, results := batchList(250)
	c := newMemCache()
	f := &fakeBatches{fakeRepos: fakeRepos{results: results}}
	o := options(c, nil, nil, nil)
	o.Repos = f
	rep := run(t, t.Context(), l, o)

	var sizes []int
	for _, b := range f.batches {
		sizes = append(sizes, len(b))
	}
	if !slices.Equal(sizes, []int{100, 100, 50}) {
		t.Errorf("batch sizes = %v, want [100 100 50]", sizes)
	}
	if got := rep.Sources[crawler.SourceGitHub]; got.Fetched != 250 || got.Failed != 0 {
		t.Errorf("github stats = %+v", got)
	}
	if p := rep.Dataset.Papers[249]; p.GitHub == nil || p.GitHub.Stars != 249 {
		t.Errorf("last paper's github = %+v", p.GitHub)
	}
}

func TestRunRepoBatchStops(t *testing.T) {
	l, results := batchList(250)
	c := newMemCache()
	f := &fakeBatches{
		fakeRepos: fakeRepos{results: results},
		failAt:    2, emitBeforeErr: 10,
		err: fmt.Errorf("github: graphql batch of 100: %w", paperlist.ErrWaitTooLong),
	}
	o := options(c, nil, nil, nil)
	o.Repos = f
	rep := run(t, t.Context(), l, o)

	if len(f.batches) != 2 {
		t.Errorf("batches asked = %d, want 2: the source stops at the limit", len(f.batches))
	}
	if got := rep.Sources[crawler.SourceGitHub]; got.Fetched != 110 || got.Failed != 140 {
		t.Errorf("github stats = %+v, want 110 fetched and 140 failed", got)
	}
	if rep.Stopped[crawler.SourceGitHub] == "" {
		t.Error("github not stopped")
	}
	if e, _ := c.RepoEntry("o/r200"); e == nil || e.Failure == nil || e.Failure.Kind != paperlist.FailureRateLimit {
		t.Errorf("entry of an unasked repository = %+v", e)
	}
}
