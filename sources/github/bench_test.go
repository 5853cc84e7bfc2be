package github_test

import (
	"context"
	"testing"

	"github.com/paperlist/paperlist"
	"github.com/paperlist/paperlist/sources/github/githubtest"
)

// BenchmarkFetchRepo measures one FetchRepo against githubtest on loopback:
// a full answer, and a conditional one answered 304.
func BenchmarkFetchRepo(b *testing.B) {
	srv := newServer(b, githubtest.Options{Quota: 1 << 30})
	srv.Add(llmPruner)
	c := newClient(b, srv.URL(), testToken)
	ctx := context.Background()
	first := c.FetchRepo(ctx, paperlist.RepoRequest{Name: "horseee/LLM-Pruner"})
	if first.Err != nil {
		b.Fatal(first.Err)
	}
	cases := []struct {
		name string
		req  paperlist.RepoRequest
	}{
		{"200", paperlist.RepoRequest{Name: "horseee/LLM-Pruner"}},
		{"304", paperlist.RepoRequest{Name: "horseee/LLM-Pruner", ID: first.Stats.ID, ETag: first.ETag}},
	}
	for _, bc := range cases {
		b.Run(bc.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if res := c.FetchRepo(ctx, bc.req); res.Err != nil {
					b.Fatal(res.Err)
				}
			}
		})
	}
}
