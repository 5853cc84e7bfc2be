package store_test

import (
	"bufio"
	"bytes"
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/paperlist/paperlist"
	"github.com/paperlist/paperlist/crawler"
	"github.com/paperlist/paperlist/store"
)

var _ crawler.Cache = (*store.Store)(nil)

// openStore opens a new store in a temporary folder and closes it when the
// test ends.
func openStore(t testing.TB) *store.Store {
	t.Helper()
	s, err := store.Open(filepath.Join(t.TempDir(), "cache.db"), store.Options{})
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// fileState is what a refusing Open must leave unchanged.
type fileState struct {
	data    []byte
	modTime time.Time
}

func readState(t *testing.T, path string) fileState {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	info, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	return fileState{data: data, modTime: info.ModTime()}
}

func assertUnchanged(t *testing.T, path string, before fileState) {
	t.Helper()
	after := readState(t, path)
	if !bytes.Equal(before.data, after.data) {
		t.Errorf("%s: content changed", path)
	}
	if !before.modTime.Equal(after.modTime) {
		t.Errorf("%s: mtime changed from %v to %v", path, before.modTime, after.modTime)
	}
}

// writeBolt makes a bbolt database at path with fill, as another program
// or another version of paperlist would.
func writeBolt(t *testing.T, path string, fill func(*bolt.Tx) error) {
	t.Helper()
	db, err := bolt.Open(path, 0o600, &bolt.Options{Timeout: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	if err := db.Update(fill); err != nil {
		t.Fatal(err)
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
}

func TestDefaultPath(t *testing.T) {
	dir := t.TempDir()
	t.Setenv("XDG_CACHE_HOME", dir)
	t.Setenv("HOME", dir)
	got, err := store.DefaultPath()
	if err != nil {
		t.Fatal(err)
	}
	cacheDir, err := os.UserCacheDir()
	if err != nil {
		t.Fatal(err)
	}
	if want := filepath.Join(cacheDir, "paperlist", "cache.db"); got != want {
		t.Errorf("DefaultPath() = %q, want %q", got, want)
	}
}

func TestOpenCreates(t *testing.T) {
	path := filepath.Join(t.TempDir(), "a", "b", "cache.db")
	s, err := store.Open(path, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if s.Path() != path {
		t.Errorf("Path() = %q, want %q", s.Path(), path)
	}
	for p, want := range map[string]fs.FileMode{filepath.Dir(path): 0o700 | fs.ModeDir, path: 0o600} {
		info, err := os.Stat(p)
		if err != nil {
			t.Fatal(err)
		}
		if info.Mode() != want {
			t.Errorf("%s: mode %v, want %v", p, info.Mode(), want)
		}
	}
	stats, err := s.Stats()
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]int{"arxiv": 0, "repos": 0, "repo_names": 0, "pages": 0, "history": 0, "searches": 0, "citations": 0, "title_matches": 0, "lists": 0}
	if fmt.Sprint(stats) != fmt.Sprint(want) {
		t.Errorf("Stats() = %v, want %v", stats, want)
	}
}

func TestOpenRefuses(t *testing.T) {
	random := make([]byte, 20000)
	if _, err := rand.Read(random); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name     string
		make     func(t *testing.T, path string)
		readOnly bool
		want     error
		message  string
	}{
		{
			name:    "text file",
			make:    func(t *testing.T, path string) { writeFile(t, path, []byte("# my notes\nnot a database\n")) },
			want:    store.ErrNotDatabase,
			message: "is not a bbolt database",
		},
		{
			name:    "text file of two pages",
			make:    func(t *testing.T, path string) { writeFile(t, path, bytes.Repeat([]byte("papers\n"), 1200)) },
			want:    store.ErrNotDatabase,
			message: "is not a bbolt database",
		},
		{
			name:    "random bytes",
			make:    func(t *testing.T, path string) { writeFile(t, path, random) },
			want:    store.ErrNotDatabase,
			message: "is not a bbolt database",
		},
		{
			name:     "random bytes read-only",
			make:     func(t *testing.T, path string) { writeFile(t, path, random) },
			readOnly: true,
			want:     store.ErrNotDatabase,
		},
		{
			name: "bbolt database of another program",
			make: func(t *testing.T, path string) {
				writeBolt(t, path, func(tx *bolt.Tx) error {
					b, err := tx.CreateBucket([]byte("widgets"))
					if err != nil {
						return err
					}
					return b.Put([]byte("a"), []byte("b"))
				})
			},
			want:    store.ErrNotDatabase,
			message: "of another program",
		},
		{
			name: "newer format",
			make: func(t *testing.T, path string) {
				writeBolt(t, path, func(tx *bolt.Tx) error {
					b, err := tx.CreateBucket([]byte("meta"))
					if err != nil {
						return err
					}
					return b.Put([]byte("schema_version"), []byte("99"))
				})
			},
			want:    store.ErrNewerFormat,
			message: "is format 99, this paperlist knows up to 2: upgrade paperlist or use another -db",
		},
		{
			name: "newer format read-only",
			make: func(t *testing.T, path string) {
				writeBolt(t, path, func(tx *bolt.Tx) error {
					b, err := tx.CreateBucket([]byte("meta"))
					if err != nil {
						return err
					}
					return b.Put([]byte("schema_version"), []byte("3"))
				})
			},
			readOnly: true,
			want:     store.ErrNewerFormat,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "cache.db")
			tt.make(t, path)
			// An mtime a write would visibly change.
			old := time.Date(2020, 1, 2, 3, 4, 5, 0, time.UTC)
			if err := os.Chtimes(path, old, old); err != nil {
				t.Fatal(err)
			}
			before := readState(t, path)

			s, err := store.Open(path, store.Options{ReadOnly: tt.readOnly})
			if err == nil {
				s.Close()
				t.Fatal("Open succeeded")
			}
			if !errors.Is(err, tt.want) {
				t.Errorf("Open error %q does not wrap %q", err, tt.want)
			}
			if !strings.Contains(err.Error(), path) || !strings.Contains(err.Error(), tt.message) {
				t.Errorf("Open error %q does not name %s and say %q", err, path, tt.message)
			}
			assertUnchanged(t, path, before)
		})
	}
}

func writeFile(t *testing.T, path string, data []byte) {
	t.Helper()
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
}

func TestOpenEmptyFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "cache.db")
	writeFile(t, path, nil)
	if _, err := store.Open(path, store.Options{ReadOnly: true}); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("read-only Open of an empty file: %v, want fs.ErrNotExist", err)
	}
	s, err := store.Open(path, store.Options{})
	if err != nil {
		t.Fatalf("Open of an empty file: %v", err)
	}
	defer s.Close()
	if err := saveArxiv(s, &paperlist.Entry[paperlist.ArxivRecord]{Key: "2302.13971"}); err != nil {
		t.Fatal(err)
	}
}

func TestOpenOlderFormat(t *testing.T) {
	// A file of format 0 (a meta bucket without a version, as a run killed
	// while creating buckets would leave) is brought up to date.
	path := filepath.Join(t.TempDir(), "cache.db")
	writeBolt(t, path, func(tx *bolt.Tx) error {
		_, err := tx.CreateBucket([]byte("meta"))
		return err
	})
	s, err := store.Open(path, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	db, err := bolt.Open(path, 0o600, &bolt.Options{ReadOnly: true, Timeout: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	err = db.View(func(tx *bolt.Tx) error {
		if v := string(tx.Bucket([]byte("meta")).Get([]byte("schema_version"))); v != "2" {
			t.Errorf("schema_version = %q, want 2", v)
		}
		for _, name := range []string{"arxiv", "repos", "repo_names", "pages", "history"} {
			if tx.Bucket([]byte(name)) == nil {
				t.Errorf("bucket %s missing", name)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestOpenCurrentDoesNotWrite(t *testing.T) {
	path := filepath.Join(t.TempDir(), "cache.db")
	s, err := store.Open(path, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	old := time.Date(2020, 1, 2, 3, 4, 5, 0, time.UTC)
	if err := os.Chtimes(path, old, old); err != nil {
		t.Fatal(err)
	}
	before := readState(t, path)
	for _, readOnly := range []bool{false, true} {
		s, err := store.Open(path, store.Options{ReadOnly: readOnly})
		if err != nil {
			t.Fatal(err)
		}
		s.Close()
	}
	assertUnchanged(t, path, before)
}

func TestReadOnly(t *testing.T) {
	dir := t.TempDir()
	missing := filepath.Join(dir, "no", "cache.db")
	if _, err := store.Open(missing, store.Options{ReadOnly: true}); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("read-only Open of a missing file: %v, want fs.ErrNotExist", err)
	}
	if _, err := os.Stat(filepath.Dir(missing)); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("read-only Open created the folder: %v", err)
	}

	path := filepath.Join(dir, "cache.db")
	w, err := store.Open(path, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	want := &paperlist.Entry[paperlist.ArxivRecord]{Key: "2302.13971", State: paperlist.StateOK}
	if err := saveArxiv(w, want); err != nil {
		t.Fatal(err)
	}
	// A read-only store opens at once while a writer holds the file, and
	// reads what was committed.
	r0, err := store.Open(path, store.Options{ReadOnly: true})
	if err != nil {
		t.Fatalf("read-only Open while a writer holds the file: %v", err)
	}
	if got, err := loadArxiv(r0, "2302.13971"); err != nil || got == nil || got.State != paperlist.StateOK {
		t.Errorf("ArxivEntry on a read-only store beside a writer = %v, %v", got, err)
	}
	if err := r0.Close(); err != nil {
		t.Error(err)
	}
	w.Close()

	r1, err := store.Open(path, store.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer r1.Close()
	r2, err := store.Open(path, store.Options{ReadOnly: true})
	if err != nil {
		t.Fatalf("second read-only Open: %v", err)
	}
	defer r2.Close()
	if got, err := loadArxiv(r2, "2302.13971"); err != nil || got == nil || got.State != paperlist.StateOK {
		t.Errorf("ArxivEntry on read-only store = %v, %v", got, err)
	}
	if _, err := store.Open(path, store.Options{}); !errors.Is(err, store.ErrLocked) {
		t.Errorf("writable Open while a reader holds the file: %v, want ErrLocked", err)
	}

	writes := map[string]func() error{
		"PutArxiv":    func() error { return saveArxiv(r1, want) },
		"PutRepo":     func() error { return saveRepo(r1, "a/b", &paperlist.Entry[paperlist.RepoStats]{Key: "a/b"}) },
		"PutPage":     func() error { return savePage(r1, &paperlist.Entry[paperlist.PageRecord]{Key: "https://x.org/"}) },
		"RecordStars": func() error { return saveStars(r1, "a/b", time.Now(), 3) },
		"Save": func() error {
			return r1.Save(&paperlist.CacheBatch{Arxiv: []*paperlist.Entry[paperlist.ArxivRecord]{want}})
		},
	}
	for name, write := range writes {
		if err := write(); !errors.Is(err, store.ErrReadOnly) {
			t.Errorf("%s on a read-only store: %v, want ErrReadOnly", name, err)
		}
	}
}

func TestLockInProcess(t *testing.T) {
	path := filepath.Join(t.TempDir(), "cache.db")
	first, err := store.Open(path, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer first.Close()

	for _, timeout := range []time.Duration{0, -time.Second, 120 * time.Millisecond} {
		_, err := store.Open(path, store.Options{Timeout: timeout})
		if !errors.Is(err, store.ErrLocked) {
			t.Fatalf("second Open (timeout %v): %v, want ErrLocked", timeout, err)
		}
		want := fmt.Sprintf("cache %s is in use by another run (waited %s); try again later or raise -lock-timeout", path, max(timeout, 0))
		if err.Error() != want {
			t.Errorf("second Open error:\n got %s\nwant %s", err, want)
		}
	}

	// The first store is unaffected.
	e := &paperlist.Entry[paperlist.ArxivRecord]{Key: "2302.13971", State: paperlist.StateNotFound}
	if err := saveArxiv(first, e); err != nil {
		t.Fatal(err)
	}
	if got, err := loadArxiv(first, e.Key); err != nil || got == nil {
		t.Fatalf("ArxivEntry after a refused Open = %v, %v", got, err)
	}
}

// TestOpenContextEndsTheWait: a cancelled context ends the wait for a held
// lock at once, with the context's error, however long Timeout is.
func TestOpenContextEndsTheWait(t *testing.T) {
	path := filepath.Join(t.TempDir(), "cache.db")
	first, err := store.Open(path, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer first.Close()

	ctx, cancel := context.WithCancel(t.Context())
	time.AfterFunc(150*time.Millisecond, cancel)
	start := time.Now()
	s, err := store.OpenContext(ctx, path, store.Options{Timeout: time.Minute})
	if err == nil {
		s.Close()
	}
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("OpenContext on a held cache, cancelled: %v, want context.Canceled", err)
	}
	if waited := time.Since(start); waited > 20*time.Second {
		t.Errorf("the wait went on %s after the cancel, want it to end within an attempt", waited)
	}
}

// TestHelperProcess is not a test: TestLockAcrossProcesses runs the test
// binary again with it to open the cache from a second process.
func TestHelperProcess(t *testing.T) {
	path := os.Getenv("PAPERLIST_STORE_HELPER_DB")
	if path == "" {
		t.Skip("helper process only")
	}
	timeout, err := time.ParseDuration(os.Getenv("PAPERLIST_STORE_HELPER_TIMEOUT"))
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	fmt.Println("opening")
	s, err := store.Open(path, store.Options{Timeout: timeout})
	if errors.Is(err, store.ErrLocked) {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(3)
	}
	if err == nil {
		err = saveArxiv(s, &paperlist.Entry[paperlist.ArxivRecord]{Key: "child", State: paperlist.StateOK})
	}
	if err == nil {
		err = s.Close()
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	os.Exit(0)
}

func helperCommand(t *testing.T, path string, timeout time.Duration) *exec.Cmd {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^TestHelperProcess$")
	cmd.Env = append(os.Environ(),
		"PAPERLIST_STORE_HELPER_DB="+path,
		"PAPERLIST_STORE_HELPER_TIMEOUT="+timeout.String())
	return cmd
}

func TestLockAcrossProcesses(t *testing.T) {
	path := filepath.Join(t.TempDir(), "cache.db")
	parent, err := store.Open(path, store.Options{})
	if err != nil {
		t.Fatal(err)
	}

	t.Run("fails at once", func(t *testing.T) {
		var stderr bytes.Buffer
		cmd := helperCommand(t, path, 0)
		cmd.Stderr = &stderr
		err := cmd.Run()
		var exit *exec.ExitError
		if !errors.As(err, &exit) || exit.ExitCode() != 3 {
			t.Fatalf("child: %v (stderr %q), want exit status 3", err, stderr.String())
		}
		if want := "is in use by another run"; !strings.Contains(stderr.String(), want) {
			t.Errorf("child stderr %q does not say %q", stderr.String(), want)
		}
		// The parent is unaffected.
		if err := saveArxiv(parent, &paperlist.Entry[paperlist.ArxivRecord]{Key: "parent", State: paperlist.StateOK}); err != nil {
			t.Fatalf("parent write after the child failed: %v", err)
		}
	})

	t.Run("waits for the parent", func(t *testing.T) {
		var stderr bytes.Buffer
		cmd := helperCommand(t, path, 5*time.Second)
		cmd.Stderr = &stderr
		stdout, err := cmd.StdoutPipe()
		if err != nil {
			t.Fatal(err)
		}
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		// Close once the child is about to ask for the lock.
		if line, err := bufio.NewReader(stdout).ReadString('\n'); line != "opening\n" {
			t.Fatalf("child said %q, %v", line, err)
		}
		if err := parent.Close(); err != nil {
			t.Fatal(err)
		}
		if err := cmd.Wait(); err != nil {
			t.Fatalf("child: %v (stderr %q), want success", err, stderr.String())
		}
	})

	s, err := store.Open(path, store.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	for _, key := range []string{"parent", "child"} {
		if e, err := loadArxiv(s, key); err != nil || e == nil {
			t.Errorf("entry %q written by the %s: %v, %v", key, key, e, err)
		}
	}
}
