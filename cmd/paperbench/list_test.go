package main

import (
	"testing"

	"github.com/paperlist/paperlist"
	"github.com/paperlist/paperlist/sources/markdown"
)

// TestGenerate checks that a generated list reads back, through the real
// parser, as the papers, ids and repositories the servers are given.
func TestGenerate(t *testing.T) {
	for _, n := range []int{1, 32, 2000} {
		c := generate(n)
		l, err := markdown.Parse(c.markdown, "generated.md")
		if err != nil {
			t.Fatalf("%d papers: %v", n, err)
		}
		if len(l.Papers) != n {
			t.Fatalf("%d papers generated, %d parsed", n, len(l.Papers))
		}
		ids := map[string]bool{}
		repos := map[string]bool{}
		withCode := 0
		for i, p := range l.Papers {
			if p.ArxivID != c.entries[i].id || p.Title != c.entries[i].title || p.Repo != c.entries[i].repo {
				t.Fatalf("paper %d parsed as %q %q %q, generated as %+v", i, p.ArxivID, p.Title, p.Repo, c.entries[i])
			}
			if len(p.Problems) > 0 {
				t.Errorf("paper %d has problems: %v", i, p.Problems)
			}
			ids[p.ArxivID] = true
			if p.Repo != "" {
				withCode++
				repos[paperlist.RepoKey(p.Repo)] = true
			}
		}
		if len(ids) != n || len(repos) != len(c.repos) || withCode != c.withCode {
			t.Errorf("%d papers: %d distinct ids, %d repositories (want %d), %d with code (want %d)",
				n, len(ids), len(repos), len(c.repos), withCode, c.withCode)
		}
		if n >= 32 && (withCode*10 < n*6 || withCode*10 > n*8 || len(c.repos) == withCode) {
			t.Errorf("%d papers: %d with code, %d repositories: want about 70%% with code, some shared", n, withCode, len(c.repos))
		}
	}
}
