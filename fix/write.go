package fix

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/paperlist/paperlist/output"
)

// ErrChanged is the error of Guard.Write when the list is no longer the
// file, or no longer holds the bytes, that were read: an edit saved while
// fix ran. Nothing is written.
var ErrChanged = errors.New("changed while fix ran; nothing written; run fix again")

// Guard is a list file watched from before it is read until it is
// rewritten: WatchList before reading it, Write after.
type Guard struct {
	path string // the file itself, symbolic links followed
	info fs.FileInfo
}

// WatchList starts watching the list file at path, which is about to be
// read. It refuses a list -w could not rewrite as it is: not a regular
// file, read-only, or with more than one hard link (a rename would cut the
// other names off from the fixed list).
func WatchList(path string) (*Guard, error) {
	real, err := filepath.EvalSymlinks(path)
	if err != nil {
		return nil, fmt.Errorf("watch list %s: %w", path, err)
	}
	fi, err := os.Stat(real)
	if err != nil {
		return nil, fmt.Errorf("watch list %s: %w", path, err)
	}
	switch {
	case !fi.Mode().IsRegular():
		return nil, fmt.Errorf("%s is not a regular file", path)
	case fi.Mode().Perm()&0o200 == 0:
		return nil, fmt.Errorf("%s is read-only (mode %04o): -w does not write it", path, fi.Mode().Perm())
	case hardLinks(fi) > 1:
		return nil, fmt.Errorf("%s has %d hard links, which a rewrite would cut off: fix it with -d and patch", path, hardLinks(fi))
	}
	// A killed fix's temporary files go now, whether or not this one
	// writes.
	removeLeftovers(real)
	return &Guard{path: real, info: fi}, nil
}

// Write replaces the list with fixed when it is still the file that was
// watched and still holds read, the bytes fix read; otherwise it writes
// nothing and returns ErrChanged. The new file has the old one's mode, and
// its owner and group when the process may set them.
//
// The check is made before the new file is written and again right before
// it is renamed over the list; an edit saved in place between that last
// check and the rename is still lost.
func (g *Guard) Write(read, fixed []byte) error {
	if err := g.check(read); err != nil {
		return err
	}
	tmp, err := output.WriteTemp(filepath.Dir(g.path), tempPattern(g.path), g.info.Mode().Perm(), func(w io.Writer) error {
		_, err := w.Write(fixed)
		return err
	})
	if err != nil {
		return fmt.Errorf("write %s: %w", g.path, err)
	}
	if err := keepOwner(tmp, g.info); err != nil {
		_ = os.Remove(tmp)
		return fmt.Errorf("write %s: %w", g.path, err)
	}
	if err := g.check(read); err != nil {
		_ = os.Remove(tmp)
		return err
	}
	if err := os.Rename(tmp, g.path); err != nil {
		_ = os.Remove(tmp)
		return fmt.Errorf("write %s: %w", g.path, err)
	}
	return nil
}

// check returns ErrChanged unless the file at the guard's path is the one
// watched and holds read.
func (g *Guard) check(read []byte) error {
	f, err := os.Open(g.path)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return ErrChanged
		}
		return fmt.Errorf("check %s: %w", g.path, err)
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return fmt.Errorf("check %s: %w", g.path, err)
	}
	if !os.SameFile(fi, g.info) || fi.Size() != int64(len(read)) {
		return ErrChanged
	}
	// One byte more than was read tells a file that grew.
	now, err := io.ReadAll(io.LimitReader(f, int64(len(read))+1))
	if err != nil {
		return fmt.Errorf("check %s: %w", g.path, err)
	}
	if !bytes.Equal(now, read) {
		return ErrChanged
	}
	return nil
}

// tempPrefix is the start of the names of the temporary files fix writes
// beside the list at path; tempPattern(path) adds this process's id, by
// which removeLeftovers tells the files of a fix that still runs.
func tempPrefix(path string) string { return "." + filepath.Base(path) + ".fix-" }

// tempPattern is the os.CreateTemp pattern of this process's temporary
// files beside the list at path: "<tempPrefix>p<pid>-<random>".
func tempPattern(path string) string {
	return tempPrefix(path) + fmt.Sprintf("p%d-", os.Getpid()) + "*"
}

// removeLeftovers removes the temporary files of fixes on the list at path
// that were killed before they renamed theirs: regular files named
// tempPrefix(path), followed by a process id that no longer runs (or by
// none, as fix named them before).
func removeLeftovers(path string) {
	dir, prefix := filepath.Dir(path), tempPrefix(path)
	entries, err := os.ReadDir(dir)
	if err != nil {
		return
	}
	for _, e := range entries {
		rest, ok := strings.CutPrefix(e.Name(), prefix)
		if !ok || !e.Type().IsRegular() {
			continue
		}
		if pid, ok := tempPID(rest); ok && processRuns(pid) {
			continue
		}
		_ = os.Remove(filepath.Join(dir, e.Name()))
	}
}

// tempPID reads the process id out of the rest of a temporary file's name,
// "p<pid>-<random>".
func tempPID(rest string) (int, bool) {
	digits, ok := strings.CutPrefix(rest, "p")
	if !ok {
		return 0, false
	}
	digits, _, ok = strings.Cut(digits, "-")
	pid := 0
	for _, c := range digits {
		if c < '0' || c > '9' || pid > 1<<30 {
			return 0, false
		}
		pid = pid*10 + int(c-'0')
	}
	return pid, ok && digits != "" && pid > 0
}
