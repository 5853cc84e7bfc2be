package store_test

import (
	"errors"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	bolt "go.etcd.io/bbolt"

	"github.com/paperlist/paperlist"
	"github.com/paperlist/paperlist/store"
)

var (
	fetched = time.Date(2026, 3, 1, 12, 30, 5, 0, time.UTC)
	checked = time.Date(2026, 3, 8, 9, 0, 0, 0, time.UTC)
	failed  = time.Date(2026, 3, 9, 1, 2, 3, 0, time.FixedZone("CET", 3600))
)

func intp(n int) *int { return &n }

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

func repoEntry(fullName string, id int64, stars int) *paperlist.Entry[paperlist.RepoStats] {
	return &paperlist.Entry[paperlist.RepoStats]{
		Key: strings.ToLower(fullName), State: paperlist.StateOK, FetchedAt: fetched, CheckedAt: checked, ETag: `"e1"`,
		Data: &paperlist.RepoStats{FullName: fullName, ID: id, Stars: stars, Topics: []string{"llm"}, PushedAt: fetched, Stars7d: intp(4)},
	}
}

func TestRepoAliases(t *testing.T) {
	type put struct {
		name  string
		entry *paperlist.Entry[paperlist.RepoStats]
	}
	type lookup struct {
		name     string
		wantKey  string // "" when nothing is found
		wantData string // Data.FullName
	}
	tests := []struct {
		name    string
		puts    []put
		lookups []lookup
	}{
		{
			name: "case-insensitive",
			puts: []put{{"horseee/llm-pruner", repoEntry("horseee/LLM-Pruner", 1, 800)}},
			lookups: []lookup{
				{"horseee/llm-pruner", "horseee/llm-pruner", "horseee/LLM-Pruner"},
				{"horseee/LLM-Pruner", "horseee/llm-pruner", "horseee/LLM-Pruner"},
				{" HORSEEE/LLM-PRUNER ", "horseee/llm-pruner", "horseee/LLM-Pruner"},
				{"horseee/other", "", ""},
			},
		},
		{
			name: "listed under an old name",
			puts: []put{{"facebookresearch/llama", repoEntry("meta-llama/llama", 2, 55000)}},
			lookups: []lookup{
				{"facebookresearch/llama", "meta-llama/llama", "meta-llama/llama"},
				{"Meta-Llama/Llama", "meta-llama/llama", "meta-llama/llama"},
			},
		},
		{
			name: "renamed between runs",
			puts: []put{
				{"old/tool", repoEntry("old/tool", 3, 10)},
				{"Old/Tool", repoEntry("old/tool", 3, 10)},
				{"old/tool", repoEntry("new/tool", 3, 12)},
			},
			lookups: []lookup{
				{"old/tool", "new/tool", "new/tool"},
				{"OLD/TOOL", "new/tool", "new/tool"},
				{"new/tool", "new/tool", "new/tool"},
			},
		},
		{
			name: "another repository took the name",
			puts: []put{
				{"a/x", repoEntry("a/x", 4, 10)},
				{"a/x", repoEntry("b/x", 5, 1)},
			},
			lookups: []lookup{
				{"a/x", "b/x", "b/x"},
				{"b/x", "b/x", "b/x"},
			},
		},
		{
			name: "permanent answer without data",
			puts: []put{{"Gone/Repo", &paperlist.Entry[paperlist.RepoStats]{State: paperlist.StateNotFound, CheckedAt: checked}}},
			lookups: []lookup{
				{"gone/repo", "gone/repo", ""},
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := openStore(t)
			for _, p := range tt.puts {
				if err := saveRepo(s, p.name, p.entry); err != nil {
					t.Fatal(err)
				}
			}
			for _, l := range tt.lookups {
				got, err := loadRepo(s, l.name)
				if err != nil {
					t.Fatal(err)
				}
				switch {
				case l.wantKey == "" && got != nil:
					t.Errorf("repo entry %q = %+v, want nil", l.name, got)
				case l.wantKey == "":
				case got == nil:
					t.Errorf("RepoEntry(%q) = nil, want %s", l.name, l.wantKey)
				case got.Key != l.wantKey:
					t.Errorf("RepoEntry(%q).Key = %q, want %q", l.name, got.Key, l.wantKey)
				case l.wantData == "" && got.Data != nil, l.wantData != "" && (got.Data == nil || got.Data.FullName != l.wantData):
					t.Errorf("RepoEntry(%q).Data = %+v, want full name %q", l.name, got.Data, l.wantData)
				}
			}
		})
	}
}

func TestPutRepoRoundTrip(t *testing.T) {
	s := openStore(t)
	want := repoEntry("horseee/LLM-Pruner", 1, 800)
	want.Key = "stale"
	want.Failure = &paperlist.Failure{Kind: paperlist.FailureRateLimit, Message: "wait of 40m0s exceeds -max-wait", At: failed, Attempts: 1}
	if err := saveRepo(s, "horseee/llm-pruner", want); err != nil {
		t.Fatal(err)
	}
	if want.Key != "horseee/llm-pruner" {
		t.Errorf("PutRepo set Key to %q, want the canonical key", want.Key)
	}
	got, err := loadRepo(s, "horseee/llm-pruner")
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("RepoEntry mismatch (-want +got):\n%s", diff)
	}
}

func TestRenameMovesHistory(t *testing.T) {
	s := openStore(t)
	day := func(d int) time.Time { return time.Date(2026, 3, d, 15, 0, 0, 0, time.UTC) }
	if err := saveRepo(s, "old/tool", repoEntry("old/tool", 3, 10)); err != nil {
		t.Fatal(err)
	}
	for d, stars := range map[int]int{1: 10, 2: 11} {
		if err := saveStars(s, "old/tool", day(d), stars); err != nil {
			t.Fatal(err)
		}
	}
	if err := saveRepo(s, "old/tool", repoEntry("new/tool", 3, 12)); err != nil {
		t.Fatal(err)
	}
	if stars, ok, err := s.StarsOn("new/tool", day(2)); err != nil || !ok || stars != 11 {
		t.Errorf("StarsOn(new/tool, day 2) = %d, %t, %v; want 11 from before the rename", stars, ok, err)
	}
	if _, ok, err := s.StarsOn("old/tool", day(2)); err != nil || ok {
		t.Errorf("StarsOn(old/tool) = %t, %v after the rename; want nothing", ok, err)
	}
	stats, err := s.Stats()
	if err != nil {
		t.Fatal(err)
	}
	if stats["repos"] != 1 || stats["repo_names"] != 1 || stats["history"] != 2 {
		t.Errorf("Stats() = %v, want 1 repo, 1 name, 2 days", stats)
	}
}

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
