package store_test

import (
	"errors"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	bolt "go.etcd.io/bbolt"

	"github.com/paperlist/paperlist"
	"github.com/paperlist/paperlist/store"
)

// TestHeadsAndChecks reads records stored in both encodings (compact, as
// Save writes them, and JSON, as format 1 did) with the partial reads, and
// wants what the full read gives, less what each leaves out.
func TestHeadsAndChecks(t *testing.T) {
	path := filepath.Join(t.TempDir(), "cache.db")
	s, err := store.Open(path, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	arxivs := []*paperlist.Entry[paperlist.ArxivRecord]{
		{
			Key: "2302.13971", State: paperlist.StateOK, FetchedAt: fetched, CheckedAt: checked, ETag: `W/"abc"`,
			Data: &paperlist.ArxivRecord{
				ID: "2302.13971", Version: 1, Title: "LLaMA: Open and Efficient Foundation Language Models", Abstract: "We introduce LLaMA.",
				Authors:   []paperlist.Author{{Name: "Hugo Touvron", Affiliations: []string{"Meta AI"}}},
				Published: time.Date(2023, 2, 27, 18, 57, 54, 0, time.UTC), Categories: []string{"cs.CL"},
				Comment: "withdrawn: a mistake", Withdrawn: true, FetchedAt: fetched,
			},
		},
		{Key: "2401.99999", State: paperlist.StateNotFound, FetchedAt: fetched, CheckedAt: checked},
		{
			Key: "hep-th/9901001", Data: &paperlist.ArxivRecord{ID: "hep-th/9901001", Title: "Old"},
			Failure: &paperlist.Failure{Kind: paperlist.FailureTransient, Message: "503", At: failed, Attempts: 4},
		},
	}
	if err := saveArxiv(s, arxivs...); err != nil {
		t.Fatal(err)
	}
	page := &paperlist.Entry[paperlist.PageRecord]{
		Key: "https://x.org/a", State: paperlist.StateOK, FetchedAt: fetched, CheckedAt: checked, LastModified: "Wed, 01 Mar 2026 12:30:05 GMT",
		Data: &paperlist.PageRecord{URL: "https://x.org/a", Title: "A", Authors: []string{"B"}},
	}
	if err := savePage(s, page); err != nil {
		t.Fatal(err)
	}
	s.Close()
	writeBolt(t, path, func(tx *bolt.Tx) error {
		b := tx.Bucket([]byte("arxiv"))
		if err := b.Put([]byte("1706.03762"), []byte(`{"key": "1706.03762", "state": "ok", "checked_at": "2026-03-08T09:00:00Z", "data": {"id": "1706.03762", "title": "Attention", "abstract": "x", "withdrawn": true}}`)); err != nil {
			return err
		}
		// A compact record whose data ends early.
		return b.Put([]byte("1409.1556"), []byte("\x00\x01\x091409.1556\x02ok\x00\x00\x00\x00\x00\x00\x00\x01\x20"))
	})
	if s, err = store.Open(path, store.Options{}); err != nil {
		t.Fatal(err)
	}
	defer s.Close()

	ids := []string{"2302.13971", "2401.99999", "hep-th/9901001", "1706.03762", "1409.1556", "2302.00000"}
	full, ferr := s.ArxivEntries(ids)
	reads := []struct {
		name string
		read func([]string) (map[string]*paperlist.Entry[paperlist.ArxivRecord], error)
		data func(*paperlist.ArxivRecord) *paperlist.ArxivRecord
	}{
		{"heads", s.ArxivHeads, func(*paperlist.ArxivRecord) *paperlist.ArxivRecord { return nil }},
		{"checks", s.ArxivChecks, func(d *paperlist.ArxivRecord) *paperlist.ArxivRecord {
			return &paperlist.ArxivRecord{ID: d.ID, Title: d.Title, Comment: d.Comment, Withdrawn: d.Withdrawn}
		}},
	}
	for _, rd := range reads {
		t.Run(rd.name, func(t *testing.T) {
			got, err := rd.read(ids)
			if ue := (*paperlist.UnreadableError)(nil); !errors.As(err, &ue) || !slices.Equal(ue.Names, []string{"1409.1556"}) {
				t.Errorf("error %v does not name the record that ends early (the full read's: %v)", err, ferr)
			}
			want := map[string]*paperlist.Entry[paperlist.ArxivRecord]{}
			for id, e := range full {
				w := *e
				if e.Data != nil {
					w.Data = rd.data(e.Data)
				}
				want[id] = &w
			}
			if len(want) != 4 {
				t.Fatalf("the full read gave %d entries, want 4", len(want))
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("mismatch (-want +got):\n%s", diff)
			}
		})
	}
	pages, err := s.PageHeads([]string{page.Key})
	want := *page
	want.Data = nil
	if err != nil || len(pages) != 1 || !cmp.Equal(&want, pages[page.Key]) {
		t.Errorf("PageHeads = %v, %v; want the entry without its data", pages, err)
	}
}
