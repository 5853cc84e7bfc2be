package crawler

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"golang.org/x/sync/errgroup"

	"github.com/paperlist/paperlist"
)

// fetchArxiv asks the arXiv source for every stale id in one call and
// saves each result as it is emitted.
func (r *run) fetchArxiv(ctx context.Context, items map[string]*item[paperlist.ArxivRecord], order []*item[paperlist.ArxivRecord]) {
	var ids []string
	for _, it := range order {
		if it.stale {
			ids = append(ids, it.key)
		}
	}
	r.start(SourceArxiv, len(ids))
	defer r.done(SourceArxiv)
	if len(ids) == 0 {
		return
	}
	var mu sync.Mutex // emit may be called from changing goroutines
	emitted := map[string]bool{}
	err := r.opts.Arxiv.FetchArxiv(ctx, ids, func(res paperlist.ArxivResult) {
		mu.Lock()
		defer mu.Unlock()
		it := items[res.ID]
		if it == nil || !it.stale || emitted[res.ID] {
			r.log.Debug("unexpected arxiv result", "id", res.ID)
			return
		}
		emitted[res.ID] = true
		r.arxivResult(ctx, it, res)
		r.advance(SourceArxiv)
	})
	mu.Lock()
	defer mu.Unlock()
	if err != nil && !interrupted(ctx, err) {
		r.stop(SourceArxiv, err)
	}
	var left []*item[paperlist.ArxivRecord]
	for _, id := range ids {
		if !emitted[id] {
			left = append(left, items[id])
		}
	}
	// Their cached records are kept (read back in a few transactions, not
	// one an id).
	wholeAll(r, left, r.cache.ArxivEntries)
	for _, it := range left {
		id := it.key
		res := paperlist.ArxivResult{ID: id, Err: err}
		switch {
		case res.Err != nil:
		case ctx.Err() != nil:
			res.Err = ctx.Err()
		default:
			res.Err = errors.New("arxiv: no answer for this id")
		}
		r.arxivResult(ctx, it, res)
	}
}

func (r *run) arxivResult(ctx context.Context, it *item[paperlist.ArxivRecord], res paperlist.ArxivResult) {
	if res.Record == nil {
		// What follows keeps the cached record.
		it.whole(r, r.cache.ArxivEntries)
	}
	switch {
	case res.Err != nil:
		r.failed(ctx, SourceArxiv, it.key, res.Err, func() { it.fail(res.Err, r.now) })
		if it.failed == nil {
			return
		}
	case res.NotFound:
		it.entry = it.entry.WithPermanent(it.key, paperlist.StateNotFound, "", r.now)
		r.answered(SourceArxiv, it.key, "not found", false)
	case res.Record != nil:
		rec := *res.Record
		rec.FetchedAt = r.now
		if rec.ID == "" {
			rec.ID = it.key
		}
		it.entry = it.entry.WithData(it.key, &rec, "", "", r.now)
		r.answered(SourceArxiv, it.key, "ok", false)
	default:
		err := fmt.Errorf("arxiv: empty result: %w", paperlist.ErrInvalidResponse)
		it.fail(err, r.now)
		r.count(SourceArxiv, func(s *SourceStats) { s.Failed++ })
	}
	it.answered = it.failed == nil
	e := it.entry
	r.saver.add(func(b *paperlist.CacheBatch) { b.Arxiv = append(b.Arxiv, e) }, savedInCache(r, it))
}

// fanOut fetches the stale items of a source with at most Workers at once.
func fanOut[T any](ctx context.Context, r *run, source string, order []*item[T],
	fetch func(context.Context, *item[T]),
) {
	var stale []*item[T]
	for _, it := range order {
		if it.stale {
			stale = append(stale, it)
		}
	}
	r.start(source, len(stale))
	defer r.done(source)
	var g errgroup.Group
	g.SetLimit(r.opts.Workers)
	for _, it := range stale {
		if ctx.Err() != nil {
			break
		}
		g.Go(func() error {
			if ctx.Err() == nil {
				fetch(ctx, it)
				r.advance(source)
			}
			return nil
		})
	}
	_ = g.Wait()
}

func (r *run) fetchRepo(ctx context.Context, it *item[paperlist.RepoStats]) {
	r.repoResult(ctx, it, r.opts.Repos.FetchRepo(ctx, repoRequest(it)))
}

// repoRequest asks for an item's repository, by the id and validators of
// its cached data when there are some.
func repoRequest(it *item[paperlist.RepoStats]) paperlist.RepoRequest {
	req := paperlist.RepoRequest{Name: it.name}
	if old := it.entry; old != nil && old.State == paperlist.StateOK && old.Data != nil {
		req.ID = old.Data.ID
		req.ETag, req.LastModified = old.ETag, old.LastModified
	}
	return req
}

// repoResult records what the source answered for an item's repository.
func (r *run) repoResult(ctx context.Context, it *item[paperlist.RepoStats], res paperlist.RepoResult) {
	old := it.entry
	switch {
	case res.Err != nil:
		r.failed(ctx, SourceGitHub, it.key, res.Err, func() { it.fail(res.Err, r.now) })
		if it.failed == nil {
			return
		}
	case res.NotModified && (old == nil || old.Data == nil):
		it.fail(fmt.Errorf("github: 304 without cached data: %w", paperlist.ErrInvalidResponse), r.now)
		r.count(SourceGitHub, func(s *SourceStats) { s.Failed++ })
	case res.NotModified:
		it.entry = old.WithNotModified(r.now)
		r.answered(SourceGitHub, it.key, "not modified", true)
	case res.State == paperlist.StateOK && res.Stats != nil:
		st := *res.Stats
		st.FetchedAt = r.now
		key := it.key
		if st.FullName != "" {
			key = paperlist.RepoKey(st.FullName)
		}
		it.entry = old.WithData(key, &st, res.ETag, res.LastModified, r.now)
		r.answered(SourceGitHub, it.key, "ok", false)
	case res.State == paperlist.StateNotFound || res.State == paperlist.StateUnavailable:
		it.entry = old.WithPermanent(it.key, res.State, res.Reason, r.now)
		if res.Stats != nil {
			// A disabled repository still has its stats: keep the fresh ones.
			st := *res.Stats
			st.FetchedAt = r.now
			it.entry.Data = &st
		}
		r.answered(SourceGitHub, it.key, string(res.State), false)
	default:
		err := fmt.Errorf("github: result in state %q without stats: %w", res.State, paperlist.ErrInvalidResponse)
		it.fail(err, r.now)
		r.count(SourceGitHub, func(s *SourceStats) { s.Failed++ })
	}
	it.answered = it.failed == nil
	e := it.entry
	var stars []paperlist.StarCount
	if it.answered && e.State == paperlist.StateOK && e.Data != nil {
		stars = append(stars, paperlist.StarCount{Repo: paperlist.RepoKey(e.Data.FullName), At: r.now, Stars: e.Data.Stars})
	}
	r.saver.add(func(b *paperlist.CacheBatch) {
		b.Repos = append(b.Repos, paperlist.ListedRepo{Name: it.name, Entry: e})
		b.Stars = append(b.Stars, stars...)
	}, nil)
}

func (r *run) fetchPage(ctx context.Context, it *item[paperlist.PageRecord]) {
	res := r.opts.Pages.FetchPage(ctx, it.key)
	switch {
	case res.Err != nil:
		r.failed(ctx, SourcePages, it.key, res.Err, func() { it.fail(res.Err, r.now) })
		if it.failed == nil {
			return
		}
	case res.State == paperlist.StateOK && res.Page != nil:
		page := *res.Page
		page.FetchedAt = r.now
		if page.URL == "" {
			page.URL = it.key
		}
		it.entry = it.entry.WithData(it.key, &page, "", "", r.now)
		r.answered(SourcePages, it.key, "ok", false)
	case res.State == paperlist.StateNotFound || res.State == paperlist.StateUnavailable:
		it.entry = it.entry.WithPermanent(it.key, res.State, "", r.now)
		r.answered(SourcePages, it.key, string(res.State), false)
	default:
		err := fmt.Errorf("pages: result in state %q without a page: %w", res.State, paperlist.ErrInvalidResponse)
		it.fail(err, r.now)
		r.count(SourcePages, func(s *SourceStats) { s.Failed++ })
	}
	it.answered = it.failed == nil
	e := it.entry
	r.saver.add(func(b *paperlist.CacheBatch) { b.Pages = append(b.Pages, e) }, savedInCache(r, it))
}

// fail records a failed fetch on the item: the failure, and the entry
// with it.
func (it *item[T]) fail(err error, now time.Time) {
	it.failed = failure(err, now)
	it.entry = it.entry.WithFailure(it.key, it.failed)
}

// failed handles a fetch error: one caused by the run being interrupted is
// no failure of the source and leaves the entry alone (the record counts as
// skipped, see assemble); any other is recorded by record and counted.
func (r *run) failed(ctx context.Context, source, key string, err error, record func()) {
	if interrupted(ctx, err) {
		return
	}
	record()
	r.count(source, func(s *SourceStats) { s.Failed++ })
	r.log.Debug("fetch failed", "source", source, "key", key, "kind", failureKind(err), "err", err)
	if errors.Is(err, paperlist.ErrWaitTooLong) || errors.Is(err, paperlist.ErrHostDown) {
		r.stop(source, err)
	}
}

func (r *run) answered(source, key, outcome string, notModified bool) {
	r.count(source, func(s *SourceStats) {
		if notModified {
			s.NotModified++
		} else {
			s.Fetched++
		}
	})
	r.log.Debug("fetched", "source", source, "key", key, "outcome", outcome)
}

// interrupted reports whether err comes from the run being cancelled.
func interrupted(ctx context.Context, err error) bool {
	return ctx.Err() != nil && (errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded))
}

// failureKind classifies a fetch error for the cache.
func failureKind(err error) string {
	switch {
	case errors.Is(err, paperlist.ErrWaitTooLong):
		return paperlist.FailureRateLimit
	case errors.Is(err, paperlist.ErrInvalidResponse):
		return paperlist.FailureInvalid
	case errors.Is(err, paperlist.ErrRejected):
		return paperlist.FailureRejected
	default:
		return paperlist.FailureTransient
	}
}

// failure is the record of a failed fetch: its kind, its message and, when
// the error tells, how many attempts were made.
func failure(err error, now time.Time) *paperlist.Failure {
	f := &paperlist.Failure{Kind: failureKind(err), Message: err.Error(), At: now}
	var a interface{ Attempts() int }
	if errors.As(err, &a) {
		f.Attempts = a.Attempts()
	}
	return f
}
