package main_test

import (
	"bytes"
	binenc "encoding/binary"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	bolt "go.etcd.io/bbolt"

	"github.com/paperlist/paperlist"
	"github.com/paperlist/paperlist/sources/markdown"
	"github.com/paperlist/paperlist/store"
)

// TestCrawlKeepsTheList: a crawl keeps the list it read in the cache, and a
// rerun on the same bytes takes it from there (a title changed in the kept
// list shows in the outputs); a list edited since is read again.
func TestCrawlKeepsTheList(t *testing.T) {
	t.Parallel()
	w := newWorld(t, worldOptions{})
	list := writeList(t, t.TempDir(), markdown.Builtin, 0o644)
	wantCode(t, runPaperlist(t, w.args("crawl", list)...), 0)
	first := readFile(t, filepath.Join(w.out(), "papers.json"))

	// The kept list, its first title changed under the same head (build
	// and the bytes' sum).
	const forged = "A Title Only The Kept List Has"
	editKept(t, w.db(), list, markdown.Builtin, func(l *paperlist.List) { l.Papers[0].Title = forged })
	wantCode(t, runPaperlist(t, w.args("crawl", list)...), 0)
	if got := readFile(t, filepath.Join(w.out(), "papers.json")); !bytes.Contains(got, []byte(forged)) {
		t.Fatal("the rerun did not take the kept list")
	}

	// An edit of the list is read: the kept list is not used, and is
	// replaced.
	edited := append(bytes.Clone(markdown.Builtin), "\n"...)
	if err := os.WriteFile(list, edited, 0o644); err != nil {
		t.Fatal(err)
	}
	wantCode(t, runPaperlist(t, w.args("crawl", list)...), 0)
	got := readFile(t, filepath.Join(w.out(), "papers.json"))
	if bytes.Contains(got, []byte(forged)) {
		t.Fatal("the list was edited, and the kept one was used")
	}
	if a, b := withoutTime(first), withoutTime(got); a != b {
		t.Error("papers.json of the list read again differs from the first run's")
	}
}

// editKept changes the list the cache keeps for source, read from src,
// under the build that kept it.
func editKept(t *testing.T, dbPath, source string, src []byte, edit func(*paperlist.List)) {
	t.Helper()
	// The build is the head of the kept value.
	db, err := bolt.Open(dbPath, 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	var build string
	err = db.View(func(tx *bolt.Tx) error {
		b := tx.Bucket([]byte("lists"))
		if b == nil {
			return errors.New("no lists bucket")
		}
		v := b.Get([]byte(source))
		n, k := binenc.Uvarint(v)
		if k <= 0 || uint64(len(v)-k) < n {
			return errors.New("no list kept for " + source)
		}
		build = string(v[k : k+int(n)])
		return nil
	})
	if err := errors.Join(err, db.Close()); err != nil {
		t.Fatal(err)
	}
	s, err := store.Open(dbPath, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	m := s.Lists(build)
	l, err := m.List(source, src)
	if err != nil || l == nil {
		t.Fatalf("the kept list: %v, %v", l, err)
	}
	edit(l)
	if err := m.Remember(src, l); err != nil {
		t.Fatal(err)
	}
}

// withoutTime is papers.json without its generation time.
func withoutTime(b []byte) string {
	var keep []string
	for _, line := range strings.Split(string(b), "\n") {
		if !strings.Contains(line, `"generated_at"`) {
			keep = append(keep, line)
		}
	}
	return strings.Join(keep, "\n")
}
