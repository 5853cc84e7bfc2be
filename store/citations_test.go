package store_test

import (
	"errors"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/paperlist/paperlist"
	"github.com/paperlist/paperlist/store"
	bolt "go.etcd.io/bbolt"
)

func TestCitationEntries(t *testing.T) {
	now := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	rec := &paperlist.CitationRecord{PaperID: "0123456789abcdef0123456789abcdef01234567", Citations: 1200, ArxivID: "2302.13971", Venue: "arXiv.org"}
	ok := (*paperlist.Entry[paperlist.CitationRecord])(nil).WithData("ARXIV:2302.13971", rec, "", "", now)
	doi := (*paperlist.Entry[paperlist.CitationRecord])(nil).WithData("DOI:10.1/x", &paperlist.CitationRecord{ArxivID: "2401.00001"}, "", "", now)
	unknown := (*paperlist.Entry[paperlist.CitationRecord])(nil).WithPermanent("URL:https://dl.acm.org/doi/1", paperlist.StateNotFound, "", now)
	s := openTemp(t)
	err := s.Save(&paperlist.CacheBatch{
		Citations:    []*paperlist.Entry[paperlist.CitationRecord]{ok, doi, unknown},
		TitleMatches: []paperlist.TitleMatch{{Title: "A title", ArxivID: "2401.00002", Matches: 1, At: now}, {Title: "Two", Matches: 2, At: now}},
	})
	if err != nil {
		t.Fatal(err)
	}
	got, err := s.CitationEntries([]string{"ARXIV:2302.13971", "DOI:10.1/x", "URL:https://dl.acm.org/doi/1", "ARXIV:9999.99999"})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 3 || got["ARXIV:2302.13971"].Data.Citations != 1200 || got["DOI:10.1/x"].Data.ArxivID != "2401.00001" ||
		got["URL:https://dl.acm.org/doi/1"].State != paperlist.StateNotFound {
		t.Errorf("CitationEntries = %v", got)
	}
	ms, err := s.TitleMatches([]string{"A title", "Two", "Never"})
	if err != nil {
		t.Fatal(err)
	}
	if len(ms) != 2 || ms["A title"].ArxivID != "2401.00002" || ms["Two"].Matches != 2 || ms["Two"].ArxivID != "" {
		t.Errorf("TitleMatches = %v", ms)
	}
}

// TestCitationsRefused: what is no record is refused when saved, and when
// it is in the file anyway, refused as it is read.
func TestCitationsRefused(t *testing.T) {
	now := time.Now()
	tests := []struct {
		name  string
		key   string
		value string
	}{
		{"another key", "ARXIV:1", `{"key":"ARXIV:2","state":"ok","checked_at":"2026-01-01T00:00:00Z","data":{"paper_id":"x","citations":1,"influential_citations":0,"references":0}}`},
		{"no prefix", "2302.13971", `{"key":"2302.13971","state":"ok","checked_at":"2026-01-01T00:00:00Z"}`},
		{"negative count", "ARXIV:2", `{"key":"ARXIV:2","state":"ok","checked_at":"2026-01-01T00:00:00Z","data":{"paper_id":"x","citations":-1,"influential_citations":0,"references":0}}`},
		{"bad arxiv id", "ARXIV:3", `{"key":"ARXIV:3","state":"ok","checked_at":"2026-01-01T00:00:00Z","data":{"paper_id":"x","citations":1,"influential_citations":0,"references":0,"arxiv_id":"../etc"}}`},
		{"not json", "ARXIV:4", `{`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "c.db")
			s := openAt(t, path)
			if err := s.Close(); err != nil {
				t.Fatal(err)
			}
			db, err := bolt.Open(path, 0o600, nil)
			if err != nil {
				t.Fatal(err)
			}
			err = db.Update(func(tx *bolt.Tx) error { return tx.Bucket([]byte("citations")).Put([]byte(tt.key), []byte(tt.value)) })
			if err != nil {
				t.Fatal(err)
			}
			db.Close()
			s = openAt(t, path)
			got, err := s.CitationEntries([]string{tt.key})
			var ue *paperlist.UnreadableError
			if !errors.As(err, &ue) || len(got) != 0 || len(ue.Names) != 1 || ue.Names[0] != tt.key {
				t.Errorf("CitationEntries = %v, %v; want the entry named unreadable", got, err)
			}
		})
	}
	s := openTemp(t)
	if err := s.Save(&paperlist.CacheBatch{TitleMatches: []paperlist.TitleMatch{{Title: "t", ArxivID: "2401.00001", Matches: 2, At: now}}}); err == nil {
		t.Error("Save of a title match with an id and two matches: no error")
	}
}

func openTemp(t *testing.T) *store.Store {
	t.Helper()
	return openAt(t, filepath.Join(t.TempDir(), "cache.db"))
}

func openAt(t *testing.T, path string) *store.Store {
	t.Helper()
	s, err := store.Open(path, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = s.Close() })
	return s
}

// TestCitationsEndpoint: another Semantic Scholar server drops the
// citation records, and another arXiv server the title searches; the
// other source's records stay.
func TestCitationsEndpoint(t *testing.T) {
	now := time.Now()
	s := openTemp(t)
	save := func() {
		t.Helper()
		e := (*paperlist.Entry[paperlist.CitationRecord])(nil).WithData("ARXIV:2302.13971", &paperlist.CitationRecord{PaperID: "a"}, "", "", now)
		err := s.Save(&paperlist.CacheBatch{Citations: []*paperlist.Entry[paperlist.CitationRecord]{e},
			TitleMatches: []paperlist.TitleMatch{{Title: "T", Matches: 0, At: now}}})
		if err != nil {
			t.Fatal(err)
		}
	}
	save()
	dropped, err := s.UseEndpoints(store.Endpoints{SemanticScholar: "127.0.0.1:9/graph/v1"})
	if err != nil || fmt.Sprint(dropped) != "[semantic_scholar]" {
		t.Fatalf("UseEndpoints = %v, %v; want semantic_scholar dropped", dropped, err)
	}
	c, _ := s.CitationEntries([]string{"ARXIV:2302.13971"})
	m, _ := s.TitleMatches([]string{"T"})
	if len(c) != 0 || len(m) != 1 {
		t.Errorf("after a new Semantic Scholar endpoint: %d citation records, %d title searches; want 0 and 1", len(c), len(m))
	}
	save()
	if dropped, err = s.UseEndpoints(store.Endpoints{SemanticScholar: "127.0.0.1:9/graph/v1", Arxiv: "127.0.0.1:8/api"}); err != nil || fmt.Sprint(dropped) != "[arxiv]" {
		t.Fatalf("UseEndpoints = %v, %v; want arxiv dropped", dropped, err)
	}
	c, _ = s.CitationEntries([]string{"ARXIV:2302.13971"})
	m, _ = s.TitleMatches([]string{"T"})
	if len(c) != 1 || len(m) != 0 {
		t.Errorf("after a new arXiv endpoint: %d citation records, %d title searches; want 1 and 0", len(c), len(m))
	}
}
