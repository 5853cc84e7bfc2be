package store_test

import (
	"errors"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	bolt "go.etcd.io/bbolt"

	"github.com/paperlist/paperlist"
	"github.com/paperlist/paperlist/store"
)

func TestArxivRoundTrip(t *testing.T) {
	tests := []*paperlist.Entry[paperlist.ArxivRecord]{
		{
			Key: "2302.13971", State: paperlist.StateOK, FetchedAt: fetched, CheckedAt: checked,
			ETag: `W/"abc"`, LastModified: "Wed, 01 Mar 2026 12:30:05 GMT",
			Data: &paperlist.ArxivRecord{
				ID: "2302.13971", Version: 1, Title: "LLaMA: Open and Efficient Foundation Language Models",
				Authors:   []paperlist.Author{{Name: "Hugo Touvron", Affiliations: []string{"Meta AI"}}, {Name: "Thibaut Lavril"}},
				Published: time.Date(2023, 2, 27, 18, 57, 54, 0, time.UTC), Updated: time.Date(2023, 2, 27, 18, 57, 54, 0, time.UTC),
				PrimaryCategory: "cs.CL", Categories: []string{"cs.CL"}, FetchedAt: fetched,
			},
		},
		{Key: "2401.99999", State: paperlist.StateNotFound, FetchedAt: fetched, CheckedAt: checked},
		{
			Key:     "hep-th/9901001",
			Failure: &paperlist.Failure{Kind: paperlist.FailureTransient, Message: "arxiv: fetch batch of 1: 503 Service Unavailable", At: failed, Attempts: 4},
		},
	}
	s := openStore(t)
	if err := saveArxiv(s, tests...); err != nil {
		t.Fatal(err)
	}
	for _, want := range tests {
		t.Run(want.Key, func(t *testing.T) {
			got, err := loadArxiv(s, want.Key)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("arXiv entry %q mismatch (-want +got):\n%s", want.Key, diff)
			}
		})
	}
	if got, err := loadArxiv(s, "2302.00000"); got != nil || err != nil {
		t.Errorf("entry of a missing arXiv id = %v, %v; want nil, nil", got, err)
	}
}

func TestPageRoundTrip(t *testing.T) {
	tests := []*paperlist.Entry[paperlist.PageRecord]{
		{
			Key: "https://aclanthology.org/2023.acl-long.1/", State: paperlist.StateOK, FetchedAt: fetched, CheckedAt: checked,
			Data: &paperlist.PageRecord{URL: "https://aclanthology.org/2023.acl-long.1/", Title: "A paper", Authors: []string{"A. Author"}, Published: "2023/07", FetchedAt: fetched},
		},
		{Key: "https://example.org/gone", State: paperlist.StateNotFound, CheckedAt: checked},
	}
	s := openStore(t)
	for _, want := range tests {
		if err := savePage(s, want); err != nil {
			t.Fatal(err)
		}
	}
	for _, want := range tests {
		got, err := loadPage(s, want.Key)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("PageEntry(%q) mismatch (-want +got):\n%s", want.Key, diff)
		}
	}
	if got, err := loadPage(s, "https://example.org/never"); got != nil || err != nil {
		t.Errorf("PageEntry of a missing URL = %v, %v; want nil, nil", got, err)
	}
}

func TestReadMany(t *testing.T) {
	s := openStore(t)
	entries := arxivEntries(1000, 0)
	if err := saveArxiv(s, entries...); err != nil {
		t.Fatal(err)
	}
	ids := make([]string, 0, len(entries)+1)
	for _, e := range entries {
		ids = append(ids, e.Key)
	}
	got, err := s.ArxivEntries(append(ids, "1234.56789"))
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != len(entries) {
		t.Fatalf("ArxivEntries returned %d entries, want %d", len(got), len(entries))
	}
	for _, e := range entries {
		if diff := cmp.Diff(e, got[e.Key]); diff != "" {
			t.Fatalf("ArxivEntries[%s] mismatch (-want +got):\n%s", e.Key, diff)
		}
	}
}

func TestCorruptRecord(t *testing.T) {
	path := filepath.Join(t.TempDir(), "cache.db")
	s, err := store.Open(path, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	writeBolt(t, path, func(tx *bolt.Tx) error {
		puts := []struct{ bucket, key, value string }{
			{"arxiv", "2302.13971", `{"key": "2302.13971", "data": {"title": 7}}`},
			{"repos", "a/b", `{"key"`},
			{"repo_names", "c/d", "a/b"},
			{"pages", "https://x.org/", "\x00\xff"},
			{"history", "a/b\x002026-03-01", "many"},
		}
		for _, p := range puts {
			if err := tx.Bucket([]byte(p.bucket)).Put([]byte(p.key), []byte(p.value)); err != nil {
				return err
			}
		}
		return nil
	})
	s, err = store.Open(path, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	tests := []struct {
		name string
		get  func() error
		want string
	}{
		{"arxiv", func() error { _, err := loadArxiv(s, "2302.13971"); return err }, `bucket arxiv, key "2302.13971"`},
		{"repo by alias", func() error { _, err := loadRepo(s, "C/D"); return err }, `bucket repos, key "a/b"`},
		{"page", func() error { _, err := loadPage(s, "https://x.org/"); return err }, `bucket pages, key "https://x.org/"`},
		{"history", func() error { _, _, err := s.StarsOn("a/b", checked); return err }, `bucket history, key "a/b\x002026-03-01"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.get()
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %v does not name %s", err, tt.want)
			}
		})
	}
	// Reading many, a corrupt record is left out and named; the others are
	// read all the same.
	if err := saveArxiv(s, &paperlist.Entry[paperlist.ArxivRecord]{Key: "2302.00001", State: paperlist.StateNotFound}); err != nil {
		t.Fatal(err)
	}
	arxivs, err := s.ArxivEntries([]string{"2302.13971", "2302.00001"})
	if err == nil || !strings.Contains(err.Error(), `key "2302.13971"`) || len(arxivs) != 1 || arxivs["2302.00001"] == nil {
		t.Errorf("ArxivEntries with a corrupt record = %v, %v; want the other entry and an error naming the corrupt one", arxivs, err)
	}
	if ue := (*paperlist.UnreadableError)(nil); !errors.As(err, &ue) || !slices.Equal(ue.Names, []string{"2302.13971"}) {
		t.Errorf("ArxivEntries error %v is not an UnreadableError naming 2302.13971", err)
	}
	if err := saveStars(s, "e/f", checked, 4); err != nil {
		t.Fatal(err)
	}
	stars, err := s.StarCounts([]string{"a/b", "e/f"}, checked)
	if err == nil || len(stars) != 1 || stars["e/f"] != 4 {
		t.Errorf("StarCounts with a corrupt count = %v, %v; want e/f's and an error", stars, err)
	}
	// A rename away from a corrupt record does not fail the put.
	if err := saveRepo(s, "C/D", repoEntry("g/h", 8, 2)); err != nil {
		t.Fatal(err)
	}
	if e, err := loadRepo(s, "c/d"); err != nil || e == nil || e.Key != "g/h" {
		t.Errorf("RepoEntry(c/d) after its rename = %v, %v; want g/h", e, err)
	}
	// A corrupt record is replaced by the next put.
	if err := saveRepo(s, "a/b", repoEntry("a/b", 9, 1)); err != nil {
		t.Fatal(err)
	}
	if e, err := loadRepo(s, "a/b"); err != nil || e == nil || e.Data.Stars != 1 {
		t.Errorf("RepoEntry after replacing the corrupt record = %v, %v", e, err)
	}
}

func TestGetMissing(t *testing.T) {
	s := openStore(t)
	if e, err := loadRepo(s, "a/b"); e != nil || err != nil {
		t.Errorf("RepoEntry of a missing repo = %v, %v", e, err)
	}
	if e, err := loadArxiv(s, ""); e != nil || err != nil {
		t.Errorf("ArxivEntry(\"\") = %v, %v", e, err)
	}
	if _, ok, err := s.StarsOn("", checked); ok || err != nil {
		t.Errorf("StarsOn(\"\") = %t, %v", ok, err)
	}
	if err := errors.Join(s.Close(), s.Close()); err != nil {
		t.Errorf("Close twice: %v", err)
	}
}
