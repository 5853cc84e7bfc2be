package output

import (
	"bufio"
	"io"
	"io/fs"
	"os"
)

// writeBufferSize is the buffer between a writer and its file: large
// enough that a 26 MB papers.json costs a few hundred writes, not thousands.
const writeBufferSize = 64 << 10

// WriteTemp is the first half of replacing a file atomically, the one way
// paperlist writes a file that others read (papers.json, papers.md, a list
// that fix rewrites): it streams write's output through a buffer into a new
// temporary file in dir, named after pattern as os.CreateTemp names it,
// syncs it, gives it perm and closes it, and returns its path. The caller
// renames that path over the file it replaces once all it writes is
// complete, so that a reader sees the old file or the new one, never part
// of one, and removes it if it decides not to. On a failure no temporary
// file is left.
func WriteTemp(dir, pattern string, perm fs.FileMode, write func(io.Writer) error) (path string, err error) {
	f, err := os.CreateTemp(dir, pattern)
	if err != nil {
		return "", err
	}
	defer func() {
		if err != nil {
			f.Close()
			os.Remove(f.Name())
		}
	}()
	bw := bufio.NewWriterSize(&writeback{f: f}, writeBufferSize)
	if err := write(bw); err != nil {
		return "", err
	}
	if err := bw.Flush(); err != nil {
		return "", err
	}
	if err := f.Sync(); err != nil {
		return "", err
	}
	// CreateTemp makes the file 0600, whatever the umask.
	if err := f.Chmod(perm); err != nil {
		return "", err
	}
	if err := f.Close(); err != nil {
		return "", err
	}
	return f.Name(), nil
}

// writebackEvery is how many bytes written to a file make writeback start
// writing them to the disk (see startWriteback).
const writebackEvery = 4 << 20

// writeback writes to f and starts the disk writes of every writebackEvery
// bytes as they are written, so that the file's Sync, which the files'
// renames wait for, does not write the whole file after the last byte: for
// the 26 MB papers.json of 10,000 papers it took about 20 ms.
type writeback struct {
	f *os.File
	// off is how many bytes were written; started, how many of them
	// startWriteback was called for.
	off, started int64
}

func (w *writeback) Write(p []byte) (int, error) {
	n, err := w.f.Write(p)
	w.off += int64(n)
	if w.off-w.started >= writebackEvery {
		startWriteback(w.f, w.started, w.off-w.started)
		w.started = w.off
	}
	return n, err
}
