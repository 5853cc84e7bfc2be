package store

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/paperlist/paperlist"
)

// BenchmarkVerify measures Open's check of a cache of 2,000 papers with
// an abstract of about 3 kB each (about 8 MB of pages), the size of the
// cache the torn-cache reports were made with.
func BenchmarkVerify(b *testing.B) {
	path := filepath.Join(b.TempDir(), "cache.db")
	s, err := Open(path, Options{})
	if err != nil {
		b.Fatal(err)
	}
	var batch paperlist.CacheBatch
	for i := range 2000 {
		id := fmt.Sprintf("2301.%05d", i)
		batch.Arxiv = append(batch.Arxiv, &paperlist.Entry[paperlist.ArxivRecord]{
			Key: id, State: paperlist.StateOK,
			Data: &paperlist.ArxivRecord{ID: id, Title: "A paper", Abstract: strings.Repeat("A study of language models. ", 110)},
		})
	}
	if err := s.Save(&batch); err != nil {
		b.Fatal(err)
	}
	if err := s.Close(); err != nil {
		b.Fatal(err)
	}
	f, err := os.Open(path)
	if err != nil {
		b.Fatal(err)
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil {
		b.Fatal(err)
	}
	m, err := verify(f, info.Size())
	if err != nil {
		b.Fatal(err)
	}
	b.Logf("%d pages of %d bytes in a file of %d bytes", m.hwm, m.pageSize, info.Size())
	for b.Loop() {
		if _, err := verify(f, info.Size()); err != nil {
			b.Fatal(err)
		}
	}
}
