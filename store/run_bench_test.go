package store_test

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/paperlist/paperlist"
	"github.com/paperlist/paperlist/crawler"
	"github.com/paperlist/paperlist/store"
)

// benchList is a list of n papers shaped like paperbench's: every paper on
// arXiv, seven in ten with a code link, and some repositories listed twice.
func benchList(n int) *paperlist.List {
	list := &paperlist.List{Title: "bench", Sections: []string{"Papers"}}
	for i := range n {
		p := &paperlist.Paper{
			Key: fmt.Sprintf("arxiv:2302.%05d", i), Section: "Papers", Line: i + 1,
			Title: fmt.Sprintf("Paper %d", i), ArxivID: fmt.Sprintf("2302.%05d", i),
			PaperURL: fmt.Sprintf("https://arxiv.org/abs/2302.%05d", i),
		}
		if i%10 < 7 {
			p.Repo = fmt.Sprintf("owner%d/repo%d", i%(n*6/10), i%(n*6/10))
			p.CodeURL = "https://github.com/" + p.Repo
		}
		list.Papers = append(list.Papers, p)
	}
	return list
}

// instantArxiv and instantRepos answer at once, as a source with no
// latency would.
type instantArxiv struct{}

func (instantArxiv) FetchArxiv(_ context.Context, ids []string, emit func(paperlist.ArxivResult)) error {
	for _, id := range ids {
		emit(paperlist.ArxivResult{ID: id, Record: &paperlist.ArxivRecord{
			ID: id, Version: 1, Title: "Paper " + id, Abstract: "An abstract of some length that stands for a real one.",
			Authors: []paperlist.Author{{Name: "Hugo Touvron"}, {Name: "Thibaut Lavril"}}, PrimaryCategory: "cs.CL",
		}})
	}
	return nil
}

type instantRepos struct{}

func (instantRepos) FetchRepo(_ context.Context, req paperlist.RepoRequest) paperlist.RepoResult {
	return paperlist.RepoResult{State: paperlist.StateOK, ETag: `"e"`, Stats: &paperlist.RepoStats{
		FullName: req.Name, ID: int64(len(req.Name)), Stars: 100, Forks: 10, Language: "Python", Topics: []string{"llm"},
	}}
}

func benchRun(b *testing.B, s *store.Store, now time.Time, n int) *crawler.Report {
	b.Helper()
	rep, err := crawler.Run(context.Background(), benchList(n), crawler.Options{
		Arxiv: instantArxiv{}, Repos: instantRepos{}, Cache: s,
		ArxivMaxAge: 168 * time.Hour, GitHubMaxAge: 24 * time.Hour, PageMaxAge: 168 * time.Hour,
		Now: func() time.Time { return now },
	})
	if err != nil {
		b.Fatal(err)
	}
	return rep
}

// BenchmarkRunCold crawls 2,000 papers into an empty cache with sources
// that answer at once: what is left is the cost of saving.
func BenchmarkRunCold(b *testing.B) {
	dir := b.TempDir()
	i := 0
	for b.Loop() {
		s, err := store.Open(filepath.Join(dir, fmt.Sprintf("cache%d.db", i)), store.Options{})
		if err != nil {
			b.Fatal(err)
		}
		rep := benchRun(b, s, checked, 2000)
		s.Close()
		if rep.FromNetwork != 2000 {
			b.Fatalf("%d of 2000 papers from the network", rep.FromNetwork)
		}
		i++
	}
}

// BenchmarkRunWarm reruns 2,000 papers whose records are all fresh in the
// cache: nothing is fetched, everything is read.
func BenchmarkRunWarm(b *testing.B) {
	s := openStore(b)
	benchRun(b, s, checked, 2000)
	for b.Loop() {
		if rep := benchRun(b, s, checked.Add(time.Hour), 2000); rep.FromCache != 2000 {
			b.Fatalf("%d of 2000 papers from the cache", rep.FromCache)
		}
	}
}
