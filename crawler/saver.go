package crawler

import (
	"log/slog"
	"sync"
	"time"

	"github.com/paperlist/paperlist"
)

// saver commits what a run fetched to the cache from one goroutine.
// Workers hand their results to add and move on; whenever the saver is
// free, it takes everything queued so far and commits it with one Save, so
// commits batch themselves as results arrive faster than the cache syncs,
// and nothing waits longer than the commit before it.
type saver struct {
	cache Cache
	log   *slog.Logger
	wake  chan struct{} // a pending commit, at most one
	done  chan struct{} // closed when the last commit has returned

	mu     sync.Mutex
	queued paperlist.CacheBatch
	saved  []func() // called once the queued records are committed
	failed error    // the first failed commit; read after done
}

func startSaver(cache Cache, log *slog.Logger) *saver {
	s := &saver{cache: cache, log: log, wake: make(chan struct{}, 1), done: make(chan struct{})}
	go s.loop()
	return s
}

// add queues records for the next commit: queue appends them to the
// batch. saved, when not nil, is called from the saver's goroutine once
// the commit that holds them has succeeded.
func (s *saver) add(queue func(*paperlist.CacheBatch), saved func()) {
	s.mu.Lock()
	queue(&s.queued)
	if saved != nil {
		s.saved = append(s.saved, saved)
	}
	s.mu.Unlock()
	select {
	case s.wake <- struct{}{}:
	default:
		// A commit is pending already; it will take these records too.
	}
}

func (s *saver) loop() {
	defer close(s.done)
	for range s.wake {
		s.commit()
	}
	s.commit()
}

func (s *saver) commit() {
	s.mu.Lock()
	b, saved := s.queued, s.saved
	s.queued, s.saved = paperlist.CacheBatch{}, nil
	s.mu.Unlock()
	// After a failed commit (a full disk, an I/O error) the next ones
	// would fail the same way, once per batch: the rest of the run is
	// not saved, and the failure is told once.
	if b.Len() == 0 || s.failed != nil {
		return
	}
	if err := s.cache.Save(&b); err != nil {
		s.log.Warn("cache write failed; not saving the rest of this run", "records", b.Len(), "err", err)
		s.failed = err
		return
	}
	for _, f := range saved {
		f()
	}
}

// close commits what is still queued and returns the error of the first
// failed commit once the last has returned. No add may follow.
func (s *saver) close() error {
	close(s.wake)
	<-s.done
	return s.failed
}

// noCache is the Cache of a run without one: nothing is stored.
type noCache struct{}

func (noCache) ArxivEntries([]string) (map[string]*paperlist.Entry[paperlist.ArxivRecord], error) {
	return nil, nil
}

func (noCache) RepoEntries([]string) (map[string]*paperlist.Entry[paperlist.RepoStats], error) {
	return nil, nil
}

func (noCache) PageEntries([]string) (map[string]*paperlist.Entry[paperlist.PageRecord], error) {
	return nil, nil
}

func (noCache) Save(*paperlist.CacheBatch) error { return nil }

func (noCache) StarCounts([]string, time.Time) (map[string]int, error) { return nil, nil }
