package store_test

import (
	"strings"
	"time"

	"github.com/paperlist/paperlist"
	"github.com/paperlist/paperlist/store"
)

// The times the tests' records were fetched, checked and failed at.
var (
	fetched = time.Date(2026, 3, 1, 12, 30, 5, 0, time.UTC)
	checked = time.Date(2026, 3, 8, 9, 0, 0, 0, time.UTC)
	failed  = time.Date(2026, 3, 9, 1, 2, 3, 0, time.FixedZone("CET", 3600))
)

func intp(n int) *int { return &n }

// repoEntry is a repository entry with stats, under its canonical key.
func repoEntry(fullName string, id int64, stars int) *paperlist.Entry[paperlist.RepoStats] {
	return &paperlist.Entry[paperlist.RepoStats]{
		Key: strings.ToLower(fullName), State: paperlist.StateOK, FetchedAt: fetched, CheckedAt: checked, ETag: `"e1"`,
		Data: &paperlist.RepoStats{FullName: fullName, ID: id, Stars: stars, Topics: []string{"llm"}, PushedAt: fetched, Stars7d: intp(4)},
	}
}

// The tests store and read one record at a time through the API a run
// uses: Save with a batch of one, and the …Entries reads with one name.

func saveArxiv(s *store.Store, entries ...*paperlist.Entry[paperlist.ArxivRecord]) error {
	return s.Save(&paperlist.CacheBatch{Arxiv: entries})
}

func saveRepo(s *store.Store, name string, e *paperlist.Entry[paperlist.RepoStats]) error {
	return s.Save(&paperlist.CacheBatch{Repos: []paperlist.ListedRepo{{Name: name, Entry: e}}})
}

func savePage(s *store.Store, e *paperlist.Entry[paperlist.PageRecord]) error {
	return s.Save(&paperlist.CacheBatch{Pages: []*paperlist.Entry[paperlist.PageRecord]{e}})
}

func saveStars(s *store.Store, repo string, at time.Time, stars int) error {
	return s.Save(&paperlist.CacheBatch{Stars: []paperlist.StarCount{{Repo: repo, At: at, Stars: stars}}})
}

func loadArxiv(s *store.Store, id string) (*paperlist.Entry[paperlist.ArxivRecord], error) {
	m, err := s.ArxivEntries([]string{id})
	return m[id], err
}

func loadRepo(s *store.Store, name string) (*paperlist.Entry[paperlist.RepoStats], error) {
	m, err := s.RepoEntries([]string{name})
	return m[name], err
}

func loadPage(s *store.Store, url string) (*paperlist.Entry[paperlist.PageRecord], error) {
	m, err := s.PageEntries([]string{url})
	return m[url], err
}
