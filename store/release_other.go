//go:build !linux

package store

// releaseMapped leaves the pages of the memory map resident where the
// kernel offers no portable way to drop them.
func releaseMapped(uintptr, int64) {}
