//go:build linux

package output

import (
	"os"
	"syscall"
)

// syncFileRangeWrite is SYNC_FILE_RANGE_WRITE of <linux/fs.h>: start
// writing the range's dirty pages out, without waiting for them.
const syncFileRangeWrite = 0x2

// startWriteback asks the kernel to start writing the n bytes of f at off
// to the disk now, without waiting for them, so that the Sync that ends
// WriteTemp finds most of the file written already instead of waiting for
// all of it. An error changes nothing: Sync still writes what is left.
func startWriteback(f *os.File, off, n int64) {
	_ = syscall.SyncFileRange(int(f.Fd()), off, n, syncFileRangeWrite)
}
