//go:build !unix

package store_test

import "errors"

// mkfifo fails: the system has no named pipes in its file system.
func mkfifo(string) error { return errors.New("no named pipes on this system") }
