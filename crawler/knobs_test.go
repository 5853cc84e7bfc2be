package crawler_test

import (
	"runtime/metrics"
	"sync"
	"testing"

	"github.com/paperlist/paperlist"
	"github.com/paperlist/paperlist/crawler"
)

// runtimeKnobs reads the collector's settings without touching them.
func runtimeKnobs(t *testing.T) (gogc, memLimit uint64) {
	t.Helper()
	s := []metrics.Sample{{Name: "/gc/gogc:percent"}, {Name: "/gc/gomemlimit:bytes"}}
	metrics.Read(s)
	for _, x := range s {
		if x.Value.Kind() != metrics.KindUint64 {
			t.Fatalf("metric %s unsupported", x.Name)
		}
	}
	return s[0].Value.Uint64(), s[1].Value.Uint64()
}

// TestRunLeavesRuntimeKnobs runs two crawls at once, fetching and from the
// cache, as a library user or parallel tests would: the process's GOGC and
// memory limit are as they were before, whatever order the runs end in.
func TestRunLeavesRuntimeKnobs(t *testing.T) {
	gogc, limit := runtimeKnobs(t)
	for round := range 3 {
		var wg sync.WaitGroup
		for i := range 2 {
			wg.Go(func() {
				a := &fakeArxiv{results: map[string]paperlist.ArxivResult{"2302.13971": arxivOK("LLaMA")}}
				r := &fakeRepos{results: map[string]paperlist.RepoResult{"o/r": repoOK("o/r", 1, 10)}}
				l := newList(paperSpec{title: "LLaMA", arxiv: "2302.13971", repo: "o/r"})
				rep, err := crawler.Run(t.Context(), l, options(newMemCache(), a, r, nil))
				if err != nil {
					t.Errorf("round %d, run %d: %v", round, i, err)
					return
				}
				if rep.FromNetwork != 1 {
					t.Errorf("round %d, run %d: %d papers from the network, want 1", round, i, rep.FromNetwork)
				}
			})
		}
		wg.Wait()
		if g, l := runtimeKnobs(t); g != gogc || l != limit {
			t.Fatalf("round %d: after two parallel runs GOGC = %d, memory limit = %d; want %d, %d as before", round, g, l, gogc, limit)
		}
	}
}
