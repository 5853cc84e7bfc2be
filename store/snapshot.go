package store

import (
	"errors"
	"fmt"
	"io"
	"os"
)

// snapshotAttempts is how many copies snapshot takes before it gives up on
// a writer that commits faster than the file can be copied.
const snapshotAttempts = 32

// errBusy means every copy raced a commit of the writer's.
var errBusy = errors.New("the writer committed during every copy")

// snapshot copies the cache at path, held by a writer, into a temporary
// file that a read-only store can open and lock on its own, and returns
// the copy's path. A reader needs no lock to copy a consistent tree:
//
// A writer commits transaction T by writing T's pages, syncing, then
// writing T's meta page into the slot of T-2 and syncing again. The pages
// of T's tree are freed by commit T+1 at the earliest, and written over by
// commit T+2 at the earliest. So a copy whose newest valid meta page is T
// holds T's tree whole as long as T+1 was not committed before the copy
// ended: the copy reads the meta pages first, then every other page, then
// the live meta pages once more; when their newest valid transaction is
// still T, the copy is T exactly, and verify checks it like any file. A
// copy that raced a commit is taken again.
func snapshot(path string) (string, error) {
	for range snapshotAttempts {
		tmp, damage, consistent, err := copyOnce(path)
		switch {
		case err != nil:
			return "", err
		case consistent && damage != nil:
			_ = os.Remove(tmp)
			return "", &corruptError{path: path, what: damage.Error()}
		case consistent:
			return tmp, nil
		}
		_ = os.Remove(tmp)
	}
	return "", errBusy
}

// copyOnce copies path to a new temporary file, verifies the copy, and
// reports whether the copy is a consistent snapshot (the live file's
// newest valid meta page is still the copy's): then damage, when not nil,
// is in the file, not a commit the copy raced. The copy is removed on an
// error.
func copyOnce(path string) (tmp string, damage error, consistent bool, err error) {
	src, err := os.Open(path)
	if err != nil {
		return "", nil, false, err
	}
	defer src.Close()
	dst, err := os.CreateTemp("", "paperlist-cache-*.db")
	if err != nil {
		return "", nil, false, err
	}
	defer func() {
		if cerr := dst.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			_ = os.Remove(dst.Name())
		}
	}()
	n, err := io.Copy(dst, src)
	if err != nil {
		return "", nil, false, err
	}
	// The live meta pages are read right after the copy, before the copy
	// is verified, to keep the window a commit can race small.
	info, err := src.Stat()
	if err != nil {
		return "", nil, false, err
	}
	live, lerr := chooseMeta(src, info.Size())
	copied, cerr := chooseMeta(dst, n)
	consistent = lerr == nil && cerr == nil && live.txid == copied.txid || lerr != nil && cerr != nil
	if !consistent {
		return dst.Name(), nil, false, nil
	}
	_, damage = verify(dst, n)
	return dst.Name(), damage, true, nil
}

// snapshotOf is snapshot with Open's errors.
func snapshotOf(path string) (string, error) {
	snap, err := snapshot(path)
	var ce *corruptError
	switch {
	case errors.Is(err, errBusy):
		return "", &openError{
			msg:  fmt.Sprintf("cache %s is being written by another run faster than a read-only run can copy it; try again later", path),
			kind: ErrLocked,
		}
	case errors.As(err, &ce):
		return "", err
	case err != nil:
		return "", fmt.Errorf("store: copy %s held by another run: %w", path, err)
	}
	return snap, nil
}
