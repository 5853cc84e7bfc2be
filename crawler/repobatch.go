package crawler

import (
	"context"
	"errors"
	"sync"

	"github.com/paperlist/paperlist"
)

// fetchRepos fetches the stale repositories: in batches when the source
// can, one by one with at most Workers at once otherwise.
func (r *run) fetchRepos(ctx context.Context, order []*item[paperlist.RepoStats]) {
	bs, ok := r.opts.Repos.(RepoBatchSource)
	if !ok {
		fanOut(ctx, r, SourceGitHub, order, r.fetchRepo)
		return
	}
	var stale []*item[paperlist.RepoStats]
	for _, it := range order {
		if it.stale {
			stale = append(stale, it)
		}
	}
	r.start(SourceGitHub, len(stale))
	defer r.done(SourceGitHub)
	var stopErr error // the error that stopped the source, for the batches after it
	for len(stale) > 0 && ctx.Err() == nil {
		n := min(len(stale), MaxRepoBatch)
		batch := stale[:n]
		stale = stale[n:]
		if stopErr != nil {
			for _, it := range batch {
				r.repoResult(ctx, it, paperlist.RepoResult{Err: stopErr})
				r.advance(SourceGitHub)
			}
			continue
		}
		stopErr = r.fetchRepoBatch(ctx, bs, batch)
	}
}

// fetchRepoBatch asks the source for one batch and records each result as
// it is emitted; the repositories it did not answer fail with the error of
// the call. It returns that error when it stops the source for the run (a
// wait longer than allowed, a host down), so that the batches after it are
// not asked for.
func (r *run) fetchRepoBatch(ctx context.Context, bs RepoBatchSource, batch []*item[paperlist.RepoStats]) error {
	reqs := make([]paperlist.RepoRequest, len(batch))
	for i, it := range batch {
		reqs[i] = repoRequest(it)
	}
	var mu sync.Mutex // emit may be called from changing goroutines
	emitted := make([]bool, len(batch))
	err := bs.FetchRepos(ctx, reqs, func(i int, res paperlist.RepoResult) {
		mu.Lock()
		defer mu.Unlock()
		if i < 0 || i >= len(batch) || emitted[i] {
			r.log.Debug("unexpected repository result", "index", i)
			return
		}
		emitted[i] = true
		r.repoResult(ctx, batch[i], res)
		r.advance(SourceGitHub)
	})
	mu.Lock()
	defer mu.Unlock()
	for i, it := range batch {
		if emitted[i] {
			continue
		}
		res := paperlist.RepoResult{Err: err}
		switch {
		case res.Err != nil:
		case ctx.Err() != nil:
			res.Err = ctx.Err()
		default:
			res.Err = errors.New("github: no answer for this repository")
		}
		r.repoResult(ctx, it, res)
		r.advance(SourceGitHub)
	}
	if err != nil && !interrupted(ctx, err) &&
		(errors.Is(err, paperlist.ErrWaitTooLong) || errors.Is(err, paperlist.ErrHostDown)) {
		return err
	}
	return nil
}
