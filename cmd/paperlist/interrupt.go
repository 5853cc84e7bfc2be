package main

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/paperlist/paperlist/store"
)

// interruptedOr returns err, or one that exits 130 when ctx is done: a
// signal during the list's fetch or the wait for the cache's lock is an
// interruption, not a failure.
func interruptedOr(ctx context.Context, err error) error {
	if ctx.Err() != nil {
		return &exitError{code: exitInterrupted, err: fmt.Errorf("interrupted: %w", err)}
	}
	return err
}

// lockPoll is the longest single wait for the cache's lock: bbolt's own
// wait cannot be cancelled, so a long -lock-timeout is waited in tries of
// this length, and a signal ends the wait within one.
const lockPoll = 100 * time.Millisecond

// openStore opens the cache as store.Open does, waiting up to opts.Timeout
// for another run to release it, but returning ctx's error as soon as ctx
// is done.
func openStore(ctx context.Context, path string, opts store.Options) (*store.Store, error) {
	deadline := time.Now().Add(opts.Timeout)
	for {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		try := opts
		try.Timeout = min(lockPoll, time.Until(deadline))
		s, err := store.Open(path, try)
		if err == nil || !errors.Is(err, store.ErrLocked) {
			return s, err
		}
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		if !time.Now().Before(deadline) {
			if opts.Timeout <= 0 {
				return nil, err
			}
			return nil, fmt.Errorf("cache %s is in use by another run (waited %s); try again later or raise -lock-timeout: %w",
				path, opts.Timeout, store.ErrLocked)
		}
	}
}
