//go:build !unix

package store

import (
	"os"
	"time"
)

// lockFile does nothing where flock is missing: Open verifies the file
// unlocked, and bbolt's own lock keeps writers apart.
func lockFile(*os.File, bool, time.Duration) error { return nil }

func unlockFile(*os.File) error { return nil }
