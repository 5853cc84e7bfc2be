package store_test

import (
	"slices"
	"testing"
	"time"

	"github.com/paperlist/paperlist"
	"github.com/paperlist/paperlist/store"
)

// Records fetched from one server are never served for another; the
// default servers ("") keep the records of files that never named one.
func TestUseEndpoints(t *testing.T) {
	s := openStore(t)
	now := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	fill := func() {
		t.Helper()
		b := &paperlist.CacheBatch{
			Arxiv: []*paperlist.Entry[paperlist.ArxivRecord]{(*paperlist.Entry[paperlist.ArxivRecord])(nil).WithData("2302.13971", &paperlist.ArxivRecord{ID: "2302.13971", Title: "T"}, "", "", now)},
			Repos: []paperlist.ListedRepo{{Name: "a/b", Entry: (*paperlist.Entry[paperlist.RepoStats])(nil).WithData("a/b", &paperlist.RepoStats{FullName: "a/b", Stars: 3}, "", "", now)}},
			Pages: []*paperlist.Entry[paperlist.PageRecord]{(*paperlist.Entry[paperlist.PageRecord])(nil).WithData("https://e.org/p", &paperlist.PageRecord{URL: "https://e.org/p", Title: "P"}, "", "", now)},
		}
		if err := s.Save(b); err != nil {
			t.Fatal(err)
		}
	}
	counts := func() [3]int {
		t.Helper()
		st, err := s.Stats()
		if err != nil {
			t.Fatal(err)
		}
		return [3]int{st["arxiv"], st["repos"], st["pages"]}
	}
	// A new file names no server: another one drops nothing, there being
	// nothing to drop.
	if got, err := s.UseEndpoints(store.Endpoints{Arxiv: "mock:1/api"}); err != nil || got != nil {
		t.Fatalf("new file: dropped %v, %v; want nothing", got, err)
	}
	if _, err := s.UseEndpoints(store.Endpoints{}); err != nil {
		t.Fatal(err)
	}
	fill()
	steps := []struct {
		name        string
		endpoints   store.Endpoints
		wantDropped []string
		wantCounts  [3]int // arxiv, repos, pages after the step
		refill      bool
	}{
		{"default servers keep a file as it is", store.Endpoints{}, nil, [3]int{1, 1, 1}, false},
		{"another GitHub drops GitHub's records only", store.Endpoints{GitHub: "ghe.example.com/api/v3"}, []string{"github"}, [3]int{1, 0, 1}, true},
		{"the same again drops nothing", store.Endpoints{GitHub: "ghe.example.com/api/v3"}, nil, [3]int{1, 1, 1}, false},
		{"back to the default, and a mock arXiv", store.Endpoints{Arxiv: "127.0.0.1:8080/api/query"}, []string{"arxiv", "github"}, [3]int{0, 0, 1}, false},
	}
	for _, st := range steps {
		got, err := s.UseEndpoints(st.endpoints)
		if err != nil {
			t.Fatalf("%s: %v", st.name, err)
		}
		if !slices.Equal(got, st.wantDropped) {
			t.Errorf("%s: dropped %v, want %v", st.name, got, st.wantDropped)
		}
		if c := counts(); c != st.wantCounts {
			t.Errorf("%s: records %v, want %v", st.name, c, st.wantCounts)
		}
		if st.refill {
			fill()
		}
	}
}
