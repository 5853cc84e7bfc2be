package crawler_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/paperlist/paperlist"
	"github.com/paperlist/paperlist/crawler"
)

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
