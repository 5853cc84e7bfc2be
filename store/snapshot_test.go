package store_test

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/paperlist/paperlist"
	"github.com/paperlist/paperlist/store"
)

// Read-only stores opened while a writer commits, again and again, each
// see one committed state: every batch whole or not at all, in order, and
// leave no copy behind.
func TestReadOnlyBesideAWriter(t *testing.T) {
	dir := t.TempDir()
	t.Setenv("TMPDIR", dir)
	path := filepath.Join(dir, "cache.db")
	w, err := store.Open(path, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	const batches, perBatch = 60, 20
	key := func(b, i int) string { return fmt.Sprintf("2401.%02d%03d", b, i) }
	var ids []string
	for b := range batches {
		for i := range perBatch {
			ids = append(ids, key(b, i))
		}
	}
	var wg sync.WaitGroup
	wg.Go(func() {
		for b := range batches {
			var batch paperlist.CacheBatch
			for i := range perBatch {
				batch.Arxiv = append(batch.Arxiv, &paperlist.Entry[paperlist.ArxivRecord]{
					Key: key(b, i), State: paperlist.StateOK,
					Data: &paperlist.ArxivRecord{ID: key(b, i), Abstract: strings.Repeat("x", 500*(1+b%7))},
				})
			}
			if err := w.Save(&batch); err != nil {
				t.Error(err)
				return
			}
		}
	})
	last := 0
	for range 40 {
		r, err := store.Open(path, store.Options{ReadOnly: true})
		if err != nil {
			t.Fatalf("read-only Open beside a writer: %v", err)
		}
		m, err := r.ArxivEntries(ids)
		if err != nil {
			t.Fatal(err)
		}
		if err := r.Close(); err != nil {
			t.Fatal(err)
		}
		// Batches are committed in order: the entries read are the first
		// n batches, whole.
		n := len(m) / perBatch
		if len(m)%perBatch != 0 || n < last {
			t.Fatalf("read %d entries after %d batches: not a committed state", len(m), last)
		}
		for i := range n * perBatch {
			if m[ids[i]] == nil {
				t.Fatalf("read %d entries but not %s", len(m), ids[i])
			}
		}
		last = n
	}
	wg.Wait()
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	left, _ := filepath.Glob(filepath.Join(dir, "paperlist-cache-*"))
	if len(left) > 0 {
		t.Errorf("copies left behind: %v", left)
	}
	if _, err := os.Stat(path); err != nil {
		t.Fatal(err)
	}
}
