package store_test

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/paperlist/paperlist"
	"github.com/paperlist/paperlist/store"
)

func openSearchStore(t *testing.T, path string, readOnly bool) *store.Store {
	t.Helper()
	s, err := store.Open(path, store.Options{Timeout: time.Second, ReadOnly: readOnly})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = s.Close() })
	return s
}

func TestSearchRoundTrip(t *testing.T) {
	path := filepath.Join(t.TempDir(), "cache.db")
	s := openSearchStore(t, path, false)
	at := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	if got, when, err := s.Search("never"); got != nil || !when.IsZero() || err != nil {
		t.Fatalf("Search of a phrase never searched: %v, %v, %v", got, when, err)
	}
	want := []*paperlist.ArxivRecord{{ID: "2205.05198", Title: "Reducing Activation Recomputation"}, {ID: "hep-th/9901001", Title: "Old"}}
	if err := s.SaveSearch("reducing activation", want, at); err != nil {
		t.Fatal(err)
	}
	got, when, err := s.Search("reducing activation")
	if err != nil || !when.Equal(at) || len(got) != 2 || got[0].ID != want[0].ID || got[0].Title != want[0].Title || got[1].ID != want[1].ID || got[1].Title != want[1].Title {
		t.Fatalf("Search = %+v, %v, %v", got, when, err)
	}
}

// TestSaveSearchRefuses: an answer that is no answer is not stored.
func TestSaveSearchRefuses(t *testing.T) {
	s := openSearchStore(t, filepath.Join(t.TempDir(), "cache.db"), false)
	at := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	tests := []struct {
		name    string
		phrase  string
		results []*paperlist.ArxivRecord
		at      time.Time
	}{
		{"forged id", "p", []*paperlist.ArxivRecord{{ID: "2205.05198) [x](javascript:alert(1)", Title: "T"}}, at},
		{"month 13", "p", []*paperlist.ArxivRecord{{ID: "2213.05198", Title: "T"}}, at},
		{"with version", "p", []*paperlist.ArxivRecord{{ID: "2205.05198v2", Title: "T"}}, at},
		{"no time", "p", nil, time.Time{}},
		{"no phrase", "", nil, at},
		{"long title", "p", []*paperlist.ArxivRecord{{ID: "2205.05198", Title: strings.Repeat("t", 5000)}}, at},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := s.SaveSearch(tt.phrase, tt.results, tt.at); err == nil {
				t.Fatal("SaveSearch took it")
			}
			if got, _, _ := s.Search(tt.phrase); got != nil {
				t.Errorf("Search finds %+v", got)
			}
		})
	}
}

// TestSearchForgedRecord: a record written into the bucket by someone
// else is checked when read; a forged id is an error, not an answer.
func TestSearchForgedRecord(t *testing.T) {
	path := filepath.Join(t.TempDir(), "cache.db")
	s, err := store.Open(path, store.Options{Timeout: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	db, err := bolt.Open(path, 0o600, &bolt.Options{Timeout: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	forged := map[string]string{
		"forged id":     `{"at":"2026-01-02T03:04:05Z","results":[{"id":"2205.05198) [x](javascript:alert(1)","title":"T"}]}`,
		"not json":      `{"at":`,
		"unknown field": `{"at":"2026-01-02T03:04:05Z","results":[],"evil":1}`,
		"no time":       `{"results":[{"id":"2205.05198","title":"T"}]}`,
	}
	err = db.Update(func(tx *bolt.Tx) error {
		for k, v := range forged {
			if err := tx.Bucket([]byte("searches")).Put([]byte(k), []byte(v)); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	for _, ro := range []bool{false, true} {
		s := openSearchStore(t, path, ro)
		for phrase := range forged {
			if got, _, err := s.Search(phrase); err == nil || got != nil {
				t.Errorf("read-only %v: Search(%q) = %+v, %v; want an error", ro, phrase, got, err)
			}
		}
		_ = s.Close()
	}
}

// TestMigrateSearchFile: the side file of old is read once, its valid
// answers moved into the bucket, and removed; what is not a regular file
// is never read nor followed, and goes.
func TestMigrateSearchFile(t *testing.T) {
	const side = `{"searches":{
	  "good":   {"at":"2025-01-02T03:04:05Z","results":[{"id":"2205.05198","title":"Good"}]},
	  "forged": {"at":"2025-01-02T03:04:05Z","results":[{"id":"2205.05198\n- [x](y)","title":"Bad"}]}
	}}`
	tests := []struct {
		name string
		// setup puts something at the side file's path; it returns a
		// file that must be left as it was.
		setup    func(t *testing.T, side string) (keep string)
		migrated bool
		wantErr  string
	}{
		{"regular file", func(t *testing.T, path string) string {
			write(t, path, side)
			return ""
		}, true, `search "forged"`},
		{"symbolic link", func(t *testing.T, path string) string {
			target := filepath.Join(t.TempDir(), "target.json")
			write(t, target, side)
			if err := os.Symlink(target, path); err != nil {
				t.Fatal(err)
			}
			return target
		}, false, "not a regular file"},
		{"dangling symbolic link", func(t *testing.T, path string) string {
			if err := os.Symlink(filepath.Join(t.TempDir(), "made.json"), path); err != nil {
				t.Fatal(err)
			}
			return ""
		}, false, "not a regular file"},
		{"fifo", func(t *testing.T, path string) string {
			if err := mkfifo(path); err != nil {
				t.Skip("no FIFO here:", err)
			}
			return ""
		}, false, "not a regular file"},
		{"too large", func(t *testing.T, path string) string {
			f, err := os.Create(path)
			if err != nil {
				t.Fatal(err)
			}
			if err := f.Truncate(17 << 20); err != nil {
				t.Fatal(err)
			}
			_ = f.Close()
			return ""
		}, false, "more than"},
		{"corrupt", func(t *testing.T, path string) string {
			write(t, path, `{"searches":`)
			return ""
		}, false, "unexpected end"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "cache.db")
			keep := tt.setup(t, store.SearchFile(path))
			var keepData []byte
			if keep != "" {
				keepData, _ = os.ReadFile(keep)
			}
			s := openSearchStore(t, path, false)
			err := s.MigrateSearchFile()
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("MigrateSearchFile: %v, want an error with %q", err, tt.wantErr)
			}
			if _, err := os.Lstat(store.SearchFile(path)); !errors.Is(err, fs.ErrNotExist) {
				t.Errorf("the side file is still there: %v", err)
			}
			if keep != "" {
				if got, err := os.ReadFile(keep); err != nil || string(got) != string(keepData) {
					t.Errorf("the link's target changed: %q, %v", got, err)
				}
			}
			got, at, err := s.Search("good")
			if tt.migrated != (got != nil) || err != nil {
				t.Fatalf("Search(good) = %+v, %v; want migrated: %v", got, err, tt.migrated)
			}
			if tt.migrated && (got[0].ID != "2205.05198" || !at.Equal(time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC))) {
				t.Errorf("migrated answer %+v at %v", got[0], at)
			}
			if got, _, _ := s.Search("forged"); got != nil {
				t.Errorf("the forged answer was migrated: %+v", got)
			}
			if err := s.MigrateSearchFile(); err != nil {
				t.Errorf("a second migration: %v", err)
			}
		})
	}
}

func write(t *testing.T, path, data string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(data), 0o600); err != nil {
		t.Fatal(err)
	}
}
