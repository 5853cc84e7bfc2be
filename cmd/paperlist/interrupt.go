package main

import (
	"context"
	"fmt"
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
