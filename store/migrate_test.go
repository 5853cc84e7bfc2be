package store_test

import (
	"encoding/json"
	"path/filepath"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	bolt "go.etcd.io/bbolt"

	"github.com/paperlist/paperlist"
	"github.com/paperlist/paperlist/store"
)

// writeFormat1 writes a cache as format 1 did: every record as JSON.
func writeFormat1(t *testing.T, path string, arxiv []*paperlist.Entry[paperlist.ArxivRecord], repo *paperlist.Entry[paperlist.RepoStats], page *paperlist.Entry[paperlist.PageRecord]) {
	t.Helper()
	writeBolt(t, path, func(tx *bolt.Tx) error {
		for _, name := range []string{"meta", "arxiv", "repos", "repo_names", "pages", "history"} {
			if _, err := tx.CreateBucket([]byte(name)); err != nil {
				return err
			}
		}
		put := func(bucket, key string, v any) error {
			b, err := json.Marshal(v)
			if err != nil {
				return err
			}
			return tx.Bucket([]byte(bucket)).Put([]byte(key), b)
		}
		for _, e := range arxiv {
			if err := put("arxiv", e.Key, e); err != nil {
				return err
			}
		}
		if err := put("repos", repo.Key, repo); err != nil {
			return err
		}
		if err := put("pages", page.Key, page); err != nil {
			return err
		}
		// A record format 1 could not read stays as it was.
		if err := tx.Bucket([]byte("arxiv")).Put([]byte("2401.99999"), []byte(`{"key": "2401.9`)); err != nil {
			return err
		}
		return tx.Bucket([]byte("meta")).Put([]byte("schema_version"), []byte("1"))
	})
}

func TestOpenMigratesFormat1(t *testing.T) {
	at := time.Date(2026, 11, 27, 10, 0, 0, 0, time.UTC)
	arxiv := []*paperlist.Entry[paperlist.ArxivRecord]{
		{Key: "2401.00001", State: paperlist.StateOK, FetchedAt: at, CheckedAt: at, Data: &paperlist.ArxivRecord{
			ID: "2401.00001", Version: 2, Title: "T", Abstract: "A", Authors: []paperlist.Author{{Name: "N", Affiliations: []string{"X"}}},
			Published: at, Updated: at, Categories: []string{"cs.LG"}, FetchedAt: at,
		}},
		{Key: "2401.00002", State: paperlist.StateNotFound, CheckedAt: at},
	}
	repo := repoEntry("Owner/Name", 7, 42)
	page := &paperlist.Entry[paperlist.PageRecord]{Key: "https://example.org/p", State: paperlist.StateOK, CheckedAt: at,
		Data: &paperlist.PageRecord{URL: "https://example.org/p", Title: "P", Authors: []string{"a"}, FetchedAt: at}}

	for _, readOnly := range []bool{true, false} {
		path := filepath.Join(t.TempDir(), "cache.db")
		writeFormat1(t, path, arxiv, repo, page)
		s, err := store.Open(path, store.Options{ReadOnly: readOnly})
		if err != nil {
			t.Fatal(err)
		}
		got, err := s.ArxivEntries([]string{"2401.00001", "2401.00002", "2401.99999"})
		if err == nil {
			t.Errorf("read-only %v: the damaged record reads without an error", readOnly)
		}
		if diff := cmp.Diff(map[string]*paperlist.Entry[paperlist.ArxivRecord]{"2401.00001": arxiv[0], "2401.00002": arxiv[1]}, got); diff != "" {
			t.Errorf("read-only %v: arxiv entries (-want +got):\n%s", readOnly, diff)
		}
		r, err := loadRepo(s, "owner/name")
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(repo, r); diff != "" {
			t.Errorf("read-only %v: repo entry (-want +got):\n%s", readOnly, diff)
		}
		p, err := loadPage(s, page.Key)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(page, p); diff != "" {
			t.Errorf("read-only %v: page entry (-want +got):\n%s", readOnly, diff)
		}
		if err := s.Close(); err != nil {
			t.Fatal(err)
		}

		// Read-only leaves the file in format 1; a writer migrates it.
		wantVersion, wantFirst := "1", byte('{')
		if !readOnly {
			wantVersion, wantFirst = "2", 0
		}
		db, err := bolt.Open(path, 0o600, &bolt.Options{ReadOnly: true, Timeout: time.Second})
		if err != nil {
			t.Fatal(err)
		}
		err = db.View(func(tx *bolt.Tx) error {
			if v := string(tx.Bucket([]byte("meta")).Get([]byte("schema_version"))); v != wantVersion {
				t.Errorf("read-only %v: schema_version %q, want %q", readOnly, v, wantVersion)
			}
			for bucket, key := range map[string]string{"arxiv": "2401.00001", "repos": "owner/name", "pages": page.Key} {
				if v := tx.Bucket([]byte(bucket)).Get([]byte(key)); len(v) == 0 || v[0] != wantFirst {
					t.Errorf("read-only %v: %s %s starts %q, want %q", readOnly, bucket, key, v[:min(len(v), 1)], wantFirst)
				}
			}
			if v := string(tx.Bucket([]byte("arxiv")).Get([]byte("2401.99999"))); v != `{"key": "2401.9` {
				t.Errorf("read-only %v: the damaged record is now %q", readOnly, v)
			}
			return nil
		})
		db.Close()
		if err != nil {
			t.Fatal(err)
		}
	}
}
