package store_test

import (
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/paperlist/paperlist"
)

func TestSaveInvalid(t *testing.T) {
	type arxivEntry = paperlist.Entry[paperlist.ArxivRecord]
	tests := []struct {
		name  string
		batch paperlist.CacheBatch
		want  string // in the error
	}{
		{"arxiv entry without key", paperlist.CacheBatch{Arxiv: []*arxivEntry{{}}}, "entry without key"},
		{"nil arxiv entry", paperlist.CacheBatch{Arxiv: []*arxivEntry{nil}}, "nil entry"},
		{"arxiv key too large", paperlist.CacheBatch{Arxiv: []*arxivEntry{{Key: strings.Repeat("x", 40000)}}}, "key of 40000 bytes"},
		{"nil repo entry", paperlist.CacheBatch{Repos: []paperlist.ListedRepo{{Name: "a/b"}}}, "repo a/b: nil entry"},
		{"repo entry without name", paperlist.CacheBatch{Repos: []paperlist.ListedRepo{{Name: " ", Entry: &paperlist.Entry[paperlist.RepoStats]{}}}}, "entry without name"},
		{"page entry without key", paperlist.CacheBatch{Pages: []*paperlist.Entry[paperlist.PageRecord]{{}}}, "entry without key"},
		{"page key too large", paperlist.CacheBatch{Pages: []*paperlist.Entry[paperlist.PageRecord]{{Key: "https://x.org/" + strings.Repeat("a", 33000)}}}, "key of 33014 bytes"},
		{"stars without repo", paperlist.CacheBatch{Stars: []paperlist.StarCount{{At: checked, Stars: 1}}}, "empty repository name"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := openStore(t)
			good := &arxivEntry{Key: "2302.13971", State: paperlist.StateOK, CheckedAt: checked}
			tt.batch.Arxiv = append(tt.batch.Arxiv, good)
			tt.batch.Stars = append(tt.batch.Stars, paperlist.StarCount{Repo: "c/d", At: checked, Stars: 5})
			err := s.Save(&tt.batch)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("Save() = %v, want an error saying %q", err, tt.want)
			}
			// The rest of the batch is stored all the same.
			got, err := loadArxiv(s, good.Key)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(good, got); diff != "" {
				t.Errorf("valid entry of the batch (-want +got):\n%s", diff)
			}
			if stars, ok, err := s.StarsOn("c/d", checked); err != nil || !ok || stars != 5 {
				t.Errorf("StarsOn(c/d) = %d, %t, %v; want 5 from the batch", stars, ok, err)
			}
		})
	}
}

func TestSaveBatch(t *testing.T) {
	s := openStore(t)
	arxiv := &paperlist.Entry[paperlist.ArxivRecord]{Key: "2302.13971", State: paperlist.StateNotFound, CheckedAt: checked}
	page := &paperlist.Entry[paperlist.PageRecord]{Key: "https://x.org/p", State: paperlist.StateOK, CheckedAt: checked,
		Data: &paperlist.PageRecord{URL: "https://x.org/p", Title: "A page"}}
	err := s.Save(&paperlist.CacheBatch{
		Arxiv: []*paperlist.Entry[paperlist.ArxivRecord]{arxiv},
		Repos: []paperlist.ListedRepo{
			{Name: "Old/Tool", Entry: repoEntry("old/tool", 3, 10)},
			{Name: "a/b", Entry: repoEntry("a/b", 4, 1)},
			// Renamed within the batch: the history that follows includes
			// the count saved just before.
			{Name: "old/tool", Entry: repoEntry("new/tool", 3, 12)},
		},
		Pages: []*paperlist.Entry[paperlist.PageRecord]{page},
		Stars: []paperlist.StarCount{{Repo: "a/b", At: checked, Stars: 1}, {Repo: "new/tool", At: checked, Stars: 12}},
	})
	if err != nil {
		t.Fatal(err)
	}

	arxivs, err := s.ArxivEntries([]string{"2302.13971", "2302.00000"})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(map[string]*paperlist.Entry[paperlist.ArxivRecord]{arxiv.Key: arxiv}, arxivs); diff != "" {
		t.Errorf("ArxivEntries mismatch (-want +got):\n%s", diff)
	}
	pages, err := s.PageEntries([]string{page.Key, "https://x.org/none"})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(map[string]*paperlist.Entry[paperlist.PageRecord]{page.Key: page}, pages); diff != "" {
		t.Errorf("PageEntries mismatch (-want +got):\n%s", diff)
	}
	repos, err := s.RepoEntries([]string{"OLD/TOOL", "new/tool", "A/B", "x/y"})
	if err != nil {
		t.Fatal(err)
	}
	keys := map[string]string{}
	for name, e := range repos {
		keys[name] = e.Key
	}
	if diff := cmp.Diff(map[string]string{"OLD/TOOL": "new/tool", "new/tool": "new/tool", "A/B": "a/b"}, keys); diff != "" {
		t.Errorf("RepoEntries keys by name mismatch (-want +got):\n%s", diff)
	}
	stars, err := s.StarCounts([]string{"a/b", "New/Tool", "old/tool", ""}, checked)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(map[string]int{"a/b": 1, "New/Tool": 12}, stars); diff != "" {
		t.Errorf("StarCounts mismatch (-want +got):\n%s", diff)
	}
}

// TestReadMany reads more entries than one decoding goroutine takes.
func TestConcurrentPuts(t *testing.T) {
	s := openStore(t)
	const workers, perWorker = 8, 25
	var wg sync.WaitGroup
	errs := make(chan error, workers*perWorker)
	for w := range workers {
		wg.Go(func() {
			for i := range perWorker {
				name := fmt.Sprintf("Owner%d/Repo%d", w, i)
				if err := saveRepo(s, strings.ToLower(name), repoEntry(name, int64(w*1000+i+1), i)); err != nil {
					errs <- err
				}
				if err := saveStars(s, name, checked, i); err != nil {
					errs <- err
				}
				if _, err := loadRepo(s, name); err != nil {
					errs <- err
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	stats, err := s.Stats()
	if err != nil {
		t.Fatal(err)
	}
	want := workers * perWorker
	if stats["repos"] != want || stats["repo_names"] != want || stats["history"] != want {
		t.Errorf("Stats() = %v, want %d of each", stats, want)
	}
	e, err := loadRepo(s, "owner7/repo24")
	if err != nil || e == nil || e.Data.ID != 7025 {
		t.Errorf("RepoEntry(owner7/repo24) = %v, %v", e, err)
	}
}
