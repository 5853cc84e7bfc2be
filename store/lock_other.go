//go:build !unix

package store

import (
	"errors"
	"os"
	"time"
)

// errWouldBlock means another open file holds a conflicting lock; lockFile
// never returns it here, but the callers that test for it build everywhere.
var errWouldBlock = errors.New("locked")

// lockFile does nothing where flock is missing: Open verifies the file
// unlocked, and bbolt's own lock keeps writers apart.
func lockFile(*os.File, bool, time.Duration) error { return nil }

func unlockFile(*os.File) error { return nil }
