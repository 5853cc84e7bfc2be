package store_test

import (
	"encoding/binary"
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/paperlist/paperlist"
	"github.com/paperlist/paperlist/store"
)

// Offsets in a bbolt file, from its on-disk format: a page starts with a
// 16-byte header whose flags are at byte 8; a meta page's body holds the
// root bucket's page id at byte 16 and the freelist's page id at byte 32.
const (
	pageFlagsOffset    = 8
	metaRootOffset     = 16 + 16
	metaFreelistOffset = 16 + 32
)

// damage overwrites the flags of the page that both meta pages name at
// the given offset, the way a torn copy or a bad disk leaves a file.
func damage(t *testing.T, path string, metaOffset int) {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	pageSize := int(binary.LittleEndian.Uint32(data[16+8:]))
	for meta := range 2 {
		pgid := int(binary.LittleEndian.Uint64(data[meta*pageSize+metaOffset:]))
		off := pgid*pageSize + pageFlagsOffset
		if off+2 > len(data) {
			t.Fatalf("page %d is past the end of the file", pgid)
		}
		binary.LittleEndian.PutUint16(data[off:], 0x7777)
	}
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
	past := time.Now().Add(-time.Hour)
	if err := os.Chtimes(path, past, past); err != nil {
		t.Fatal(err)
	}
}

// A damaged cache file gives a clear error, never a panic, and is left as
// it is: what it holds may still be recovered by hand.
func TestOpenDamagedFile(t *testing.T) {
	for _, tc := range []struct {
		name       string
		metaOffset int
		readOnly   bool
	}{
		{"freelist page", metaFreelistOffset, false},
		{"root bucket page", metaRootOffset, false},
		{"root bucket page, read-only", metaRootOffset, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "cache.db")
			s, err := store.Open(path, store.Options{})
			if err != nil {
				t.Fatal(err)
			}
			if err := saveArxiv(s, &paperlist.Entry[paperlist.ArxivRecord]{Key: "2302.13971", State: paperlist.StateOK}); err != nil {
				t.Fatal(err)
			}
			if err := s.Close(); err != nil {
				t.Fatal(err)
			}
			damage(t, path, tc.metaOffset)
			before := readState(t, path)

			s, err = store.Open(path, store.Options{ReadOnly: tc.readOnly})
			if err == nil {
				s.Close()
				t.Fatal("Open accepted a damaged file")
			}
			if !errors.Is(err, store.ErrCorrupt) || !errors.Is(err, store.ErrNotDatabase) {
				t.Errorf("error %v does not wrap ErrCorrupt and ErrNotDatabase", err)
			}
			t.Logf("Open: %v", err)
			assertUnchanged(t, path, before)
		})
	}
}
