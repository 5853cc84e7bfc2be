//go:build unix

package store_test

import (
	"errors"
	"os"
	"path/filepath"
	"syscall"
	"testing"

	"github.com/paperlist/paperlist/store"
)

// A damaged file that another run holds is refused as corrupt by a
// read-only open too, from its copy, never crashed on.
func TestReadOnlyBesideAWriterDamaged(t *testing.T) {
	data := buildTornCache(t, 300)
	for _, n := range []int{len(data) / 3, len(data) / 2} {
		path := filepath.Join(t.TempDir(), "cache.db")
		if err := os.WriteFile(path, data[:n], 0o600); err != nil {
			t.Fatal(err)
		}
		f, err := os.Open(path)
		if err != nil {
			t.Fatal(err)
		}
		if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX); err != nil {
			t.Fatal(err)
		}
		s, err := store.Open(path, store.Options{ReadOnly: true})
		if err == nil {
			s.Close()
			t.Errorf("cut at %d of %d: a read-only Open accepted the damaged file", n, len(data))
		} else if !errors.Is(err, store.ErrCorrupt) {
			t.Errorf("cut at %d of %d: %v, want ErrCorrupt", n, len(data), err)
		}
		f.Close()
	}
}
