package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/paperlist/paperlist/store"
)

// TestLoadAndOpen: the cache is opened while the list is read only when it
// exists; a list that cannot be read leaves no new cache file and no lock
// held on an old one, and its error is the one said.
func TestLoadAndOpen(t *testing.T) {
	for _, tc := range []struct {
		name      string
		cacheThen bool // the cache file exists before the run
		list      string
		wantCode  int
		wantErr   string
	}{
		{"no list, no cache", false, "missing.md", exitFatal, "missing.md"},
		{"no list, a cache", true, "missing.md", exitFatal, "missing.md"},
		{"a list without entries, a cache", true, "empty.md", exitFatal, "no paper entries found"},
		{"a list without entries, no cache", false, "empty.md", exitFatal, "no paper entries found"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			db := filepath.Join(dir, "cache.db")
			if tc.cacheThen {
				s, err := store.Open(db, store.Options{})
				if err != nil {
					t.Fatal(err)
				}
				if err := s.Close(); err != nil {
					t.Fatal(err)
				}
			}
			if err := os.WriteFile(filepath.Join(dir, "empty.md"), []byte("# A list\n\nNothing yet.\n"), 0o644); err != nil {
				t.Fatal(err)
			}
			r := runMain(t, nil, "crawl", "-db", db, "-out", filepath.Join(dir, "out"), filepath.Join(dir, tc.list))
			if r.code != tc.wantCode || !strings.Contains(r.stderr, tc.wantErr) {
				t.Fatalf("exit %d, stderr %q; want %d and %q", r.code, r.stderr, tc.wantCode, tc.wantErr)
			}
			_, err := os.Stat(db)
			if exists := err == nil; exists != tc.cacheThen {
				t.Errorf("cache file exists: %v, want %v", exists, tc.cacheThen)
			}
			if !tc.cacheThen {
				return
			}
			// The lock was let go: a writer opens the cache at once.
			s, err := store.OpenContext(t.Context(), db, store.Options{Timeout: 100 * time.Millisecond})
			if err != nil {
				t.Fatalf("the cache is still held: %v", err)
			}
			s.Close()
		})
	}
}
