package main_test

import (
	byteorder "encoding/binary"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/paperlist/paperlist"
	"github.com/paperlist/paperlist/store"
)

// A cache cut short, as a full disk or a torn copy leaves it, is refused
// with exit 1 and one line, online and offline, and no output is written:
// never a crash, never a dataset without the cache's records.
func TestTornCacheRefused(t *testing.T) {
	t.Parallel()
	w := newWorld(t, worldOptions{})
	s, err := store.Open(w.db(), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	// Saved 30 at a time, as the arXiv source emits them.
	for lo := 0; lo < 2000; lo += 30 {
		var b paperlist.CacheBatch
		for i := lo; i < min(lo+30, 2000); i++ {
			id := fmt.Sprintf("2301.%05d", i)
			b.Arxiv = append(b.Arxiv, &paperlist.Entry[paperlist.ArxivRecord]{
				Key: id, State: paperlist.StateOK,
				Data: &paperlist.ArxivRecord{ID: id, Title: "A paper", Abstract: strings.Repeat("A study of language models. ", 110)},
			})
		}
		if err := s.Save(&b); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	whole, err := os.ReadFile(w.db())
	if err != nil {
		t.Fatal(err)
	}
	// The file is longer than the pages in use (bbolt grows it ahead):
	// cut both.
	used := int(byteorder.NativeEndian.Uint32(whole[24:])) * int(byteorder.NativeEndian.Uint64(whole[16+40:]))
	for _, cut := range []int{len(whole) / 3, len(whole) / 2, used / 3, used / 2, used * 3 / 4} {
		for _, offline := range []bool{true, false} {
			if err := os.WriteFile(w.db(), whole[:cut], 0o600); err != nil {
				t.Fatal(err)
			}
			r := runPaperlist(t, w.args("crawl", fmt.Sprintf("-offline=%t", offline))...)
			wantCode(t, r, 1)
			if !strings.Contains(r.stderr, "is corrupt") || !strings.Contains(r.stderr, "move it away") || strings.Count(strings.TrimSpace(r.stderr), "\n") != 0 {
				t.Errorf("cut at %d of %d, offline %t: stderr is not one line saying the cache is corrupt:\n%s", cut, len(whole), offline, r.stderr)
			}
			if _, err := os.Stat(filepath.Join(w.out(), "papers.json")); err == nil {
				t.Errorf("cut at %d of %d, offline %t: papers.json was written", cut, len(whole), offline)
			}
		}
	}
}
