//go:build unix

package store

import (
	"errors"
	"os"
	"syscall"
	"time"
)

// errWouldBlock means another open file holds a conflicting lock.
var errWouldBlock = errors.New("locked")

// lockFile takes the same flock that bbolt takes on the file, shared or
// exclusive, trying every 50ms until timeout has passed (once when timeout
// is zero or less). It lets Open verify the file while no writer can
// commit to it.
func lockFile(f *os.File, exclusive bool, timeout time.Duration) error {
	how := syscall.LOCK_SH
	if exclusive {
		how = syscall.LOCK_EX
	}
	deadline := time.Now().Add(timeout)
	for {
		err := syscall.Flock(int(f.Fd()), how|syscall.LOCK_NB)
		switch {
		case err == nil:
			return nil
		case !errors.Is(err, syscall.EWOULDBLOCK):
			return err
		case !time.Now().Before(deadline):
			return errWouldBlock
		}
		time.Sleep(min(50*time.Millisecond, time.Until(deadline)))
	}
}

func unlockFile(f *os.File) error {
	return syscall.Flock(int(f.Fd()), syscall.LOCK_UN)
}
