package github_test

import (
	"context"
	"net/http"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/paperlist/paperlist"
	"github.com/paperlist/paperlist/sources/github"
	"github.com/paperlist/paperlist/sources/github/githubtest"
)

// collect runs FetchRepos and returns its results by index.
func collect(t *testing.T, b *github.Batcher, reqs []paperlist.RepoRequest) (map[int]paperlist.RepoResult, error) {
	t.Helper()
	var mu sync.Mutex
	got := map[int]paperlist.RepoResult{}
	err := b.FetchRepos(context.Background(), reqs, func(i int, r paperlist.RepoResult) {
		mu.Lock()
		defer mu.Unlock()
		if _, dup := got[i]; dup {
			t.Errorf("result %d emitted twice", i)
		}
		got[i] = r
	})
	return got, err
}

func requests(names []string) []paperlist.RepoRequest {
	reqs := make([]paperlist.RepoRequest, len(names))
	for i, n := range names {
		reqs[i] = paperlist.RepoRequest{Name: n}
	}
	return reqs
}

// TestBatcherHalves: a batch the server gives up on is halved until it
// goes through; a single repository that still fails is asked through
// REST.
func TestBatcherHalves(t *testing.T) {
	srv := newServer(t, githubtest.Options{Now: func() time.Time { return t0 }})
	batch := names(srv, 150)
	srv.FailBatchesOver(30, http.StatusBadGateway)
	b := github.NewBatcher(newGraphQL(t, srv.GraphQLURL(), testToken), newClient(t, srv.URL(), testToken))
	got, err := collect(t, b, requests(batch))
	if err != nil {
		t.Fatalf("FetchRepos: %v", err)
	}
	for i, n := range batch {
		if r := got[i]; r.State != paperlist.StateOK || r.Stats == nil || r.Err != nil {
			t.Errorf("%s: %+v", n, r)
		}
	}
	// 100 → 50 → 25 + 25, and 50 → 25 + 25: every repository once.
	if u := b.Usage(); u.Queries != 6 || u.Points != 6 || u.Limit != githubtest.GraphQLQuota {
		t.Errorf("usage = %+v, want 6 queries of 1 point", u)
	}

	srv.FailBatchesOver(0, 0)
	srv.FailNext(1, http.StatusBadGateway)
	got, err = collect(t, b, requests(batch[:1]))
	if err != nil || got[0].State != paperlist.StateOK || got[0].Stats == nil || got[0].Stats.FullName != batch[0] {
		t.Errorf("a batch of one that fails, then asked through REST: result %+v, err %v", got[0], err)
	}
}

// TestBatcherNotFound: a name GraphQL cannot resolve is asked once
// through REST, which tells a deletion from a block; renames come back
// with their canonical name.
func TestBatcherNotFound(t *testing.T) {
	srv := newServer(t, githubtest.Options{Now: func() time.Time { return t0 }})
	srv.Add(githubtest.Repo{FullName: "o/ok", Stars: 5}, githubtest.Repo{FullName: "o/blocked"},
		githubtest.Repo{FullName: "o/old", Stars: 7}, githubtest.Repo{FullName: "o/off", Disabled: true})
	if err := srv.Block("o/blocked", "dmca"); err != nil {
		t.Fatal(err)
	}
	if err := srv.Rename("o/old", "o/new"); err != nil {
		t.Fatal(err)
	}
	b := github.NewBatcher(newGraphQL(t, srv.GraphQLURL(), testToken), newClient(t, srv.URL(), testToken))
	got, err := collect(t, b, requests([]string{"o/ok", "o/gone", "o/blocked", "o/old", "o/off"}))
	if err != nil {
		t.Fatalf("FetchRepos: %v", err)
	}
	if r := got[0]; r.State != paperlist.StateOK || r.Stats.Stars != 5 || r.ETag != "" {
		t.Errorf("o/ok: %+v", r)
	}
	if r := got[1]; r.State != paperlist.StateNotFound || r.Err != nil {
		t.Errorf("o/gone: %+v, want not found", r)
	}
	if r := got[2]; r.State != paperlist.StateUnavailable || r.Err != nil {
		t.Errorf("o/blocked: %+v, want unavailable", r)
	}
	if r := got[3]; r.State != paperlist.StateOK || r.Stats.FullName != "o/new" || r.Stats.ID == 0 {
		t.Errorf("o/old: %+v, want o/new with its id", r)
	}
	if r := got[4]; r.State != paperlist.StateUnavailable || r.Reason != "disabled" || r.Stats == nil {
		t.Errorf("o/off: %+v, want unavailable (disabled) with stats", r)
	}
	var rest []string
	for _, r := range srv.Requests() {
		if r.Query == "" {
			rest = append(rest, r.Path)
		}
	}
	if !slices.Equal(rest, []string{"/repos/o/gone", "/repos/o/blocked"}) {
		t.Errorf("REST requests = %v, want one per name GraphQL could not resolve", rest)
	}
}
