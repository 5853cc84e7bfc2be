//go:build unix

package fix

import (
	"errors"
	"io/fs"
	"os"
	"syscall"
)

// hardLinks is the number of names of the file info describes.
func hardLinks(info fs.FileInfo) uint64 {
	if st, ok := info.Sys().(*syscall.Stat_t); ok {
		return uint64(st.Nlink)
	}
	return 1
}

// keepOwner gives the file named name the owner and group of the file info
// describes when the process may set them (as root): a list rewritten by
// root stays its owner's.
func keepOwner(name string, info fs.FileInfo) error {
	st, ok := info.Sys().(*syscall.Stat_t)
	if !ok || os.Geteuid() != 0 {
		return nil
	}
	return os.Lchown(name, int(st.Uid), int(st.Gid))
}

// processRuns reports whether a process with id pid runs on this machine.
func processRuns(pid int) bool {
	err := syscall.Kill(pid, 0)
	return err == nil || errors.Is(err, syscall.EPERM)
}
