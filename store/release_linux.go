//go:build linux

package store

import "syscall"

// releaseMapped tells the kernel that the process no longer needs the size
// bytes of the cache's memory map at data. The map is shared and read-only,
// so nothing is lost: a later read faults the pages in again from the page
// cache. Without it, every page a run has read stays in the process's
// resident set until the cache is closed, and a run that reads its records
// as it writes its outputs would hold the whole file on top of its heap.
func releaseMapped(data uintptr, size int64) {
	if data == 0 || size <= 0 {
		return
	}
	// An error leaves the pages resident, as they were.
	_, _, _ = syscall.Syscall(syscall.SYS_MADVISE, data, uintptr(size), syscall.MADV_DONTNEED)
}
