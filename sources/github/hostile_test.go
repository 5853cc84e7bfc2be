package github_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/paperlist/paperlist"
	"github.com/paperlist/paperlist/sources/github"
	"github.com/paperlist/paperlist/sources/github/githubtest"
)

// TestFetchRepoNegativeCounts checks that a repository object with a
// negative count is an invalid answer, not stats to store.
func TestFetchRepoNegativeCounts(t *testing.T) {
	tests := []struct {
		name    string
		repo    githubtest.Repo
		wantMsg string
	}{
		{"stars", githubtest.Repo{Stars: -5}, "negative stargazers_count -5"},
		{"forks", githubtest.Repo{Forks: -1}, "negative forks_count -1"},
		{"watchers", githubtest.Repo{Watchers: -2}, "negative subscribers_count -2"},
		{"open issues", githubtest.Repo{OpenIssues: -3}, "negative open_issues_count -3"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := newServer(t, githubtest.Options{})
			tt.repo.FullName = "foo/bar"
			srv.Add(tt.repo)
			res := newClient(t, srv.URL(), "").FetchRepo(context.Background(), paperlist.RepoRequest{Name: "foo/bar"})
			if !errors.Is(res.Err, paperlist.ErrInvalidResponse) {
				t.Fatalf("err = %v, want ErrInvalidResponse (stats %+v)", res.Err, res.Stats)
			}
			if !strings.Contains(res.Err.Error(), tt.wantMsg) {
				t.Errorf("error %q does not say %q", res.Err, tt.wantMsg)
			}
		})
	}
}

// TestFetchRepoRedirects checks that only a redirect within the API host
// counts as a rename, and that a chain of them stops after a few hops.
func TestFetchRepoRedirects(t *testing.T) {
	other := newServer(t, githubtest.Options{})
	other.Add(githubtest.Repo{FullName: "evil/repo", ID: 666, Stars: 1})
	tests := []struct {
		name string
		// hops is how many redirects the front server answers before
		// the repository; to, when set, is where the first one points.
		hops     int
		to       string
		wantErr  string
		wantSent int // requests to the front server
	}{
		{name: "one rename", hops: 1, wantSent: 2},
		{name: "three hops", hops: 3, wantSent: 4},
		{name: "ten hops", hops: 10, wantErr: "more than 3 redirects", wantSent: 4},
		{name: "another host", hops: 1, to: other.URL() + "repos/evil/repo", wantErr: "off the API host", wantSent: 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var sent atomic.Int32
			front := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				n := int(sent.Add(1))
				switch {
				case n == 1 && tt.to != "":
					w.Header().Set("Location", tt.to)
				case n <= tt.hops:
					w.Header().Set("Location", fmt.Sprintf("/repositories/%d", n))
				default:
					w.Header().Set("Content-Type", "application/json")
					fmt.Fprint(w, `{"id":42,"full_name":"bob/new-name","stargazers_count":7}`)
					return
				}
				w.WriteHeader(http.StatusMovedPermanently)
			}))
			t.Cleanup(front.Close)
			c := newClient(t, front.URL+"/", "")
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			res := c.FetchRepo(ctx, paperlist.RepoRequest{Name: "foo/bar"})
			if tt.wantErr == "" {
				if res.Err != nil || res.Stats == nil || res.Stats.FullName != "bob/new-name" {
					t.Fatalf("got %+v, want bob/new-name", res)
				}
			} else {
				if !errors.Is(res.Err, paperlist.ErrInvalidResponse) || !strings.Contains(res.Err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want ErrInvalidResponse saying %q (stats %+v)", res.Err, tt.wantErr, res.Stats)
				}
			}
			if got := int(sent.Load()); got != tt.wantSent {
				t.Errorf("front server got %d requests, want %d", got, tt.wantSent)
			}
			if got := len(other.Requests()); got != 0 {
				t.Errorf("the other host got %d requests, want none", got)
			}
		})
	}
}

// hostileNames are canonical names a hostile or broken server could give:
// none is an owner/name GitHub gives, and none may reach a list.
var hostileNames = []string{
	"evil/x) [click](javascript:alert(1)",
	"evil/x\n- [spam](https://spam.example)",
	"evil/x\x1b]0;pwned\x07",
	"e--vil/x",
	"evil/..",
	"evil/x/y",
}

// TestHostileCanonicalName checks that a full_name (REST) or nameWithOwner
// (GraphQL) outside GitHub's grammar is an invalid answer, and that its
// error shows no control character.
func TestHostileCanonicalName(t *testing.T) {
	for _, bad := range hostileNames {
		t.Run(fmt.Sprintf("%q", bad), func(t *testing.T) {
			srv := newServer(t, githubtest.Options{})
			srv.Add(githubtest.Repo{FullName: "foo/bar", Stars: 3})
			if err := srv.Rename("foo/bar", bad); err != nil {
				t.Fatal(err)
			}
			rest := newClient(t, srv.URL(), "").FetchRepo(context.Background(), paperlist.RepoRequest{Name: "foo/bar"})
			gql, _ := fetchBatch(t, newGraphQL(t, srv.GraphQLURL(), "t"), "foo/bar")
			for _, got := range []struct {
				api   string
				err   error
				stats *paperlist.RepoStats
			}{{"rest", rest.Err, rest.Stats}, {"graphql", gql[0].Err, gql[0].Stats}} {
				if !errors.Is(got.err, paperlist.ErrInvalidResponse) || got.stats != nil {
					t.Errorf("%s: err %v, stats %+v; want ErrInvalidResponse and no stats", got.api, got.err, got.stats)
					continue
				}
				if strings.ContainsAny(got.err.Error(), "\n\x1b\x07") {
					t.Errorf("%s: the error carries a control character: %q", got.api, got.err)
				}
			}
		})
	}
}

// TestScrubbedStats: a token a server echoes back, and a link that is not
// http or https, are not in the stats of either API.
func TestScrubbedStats(t *testing.T) {
	srv := newServer(t, githubtest.Options{})
	srv.Add(githubtest.Repo{FullName: "foo/bar", Stars: 3, Description: "leaked " + testToken + " here", Homepage: "javascript:alert(1)"},
		githubtest.Repo{FullName: "foo/kept", Homepage: "example.org/docs"})
	rest := newClient(t, srv.URL(), testToken).FetchRepo(context.Background(), paperlist.RepoRequest{Name: "foo/bar"})
	b := github.NewBatcher(newGraphQL(t, srv.GraphQLURL(), testToken), newClient(t, srv.URL(), testToken))
	got, err := collect(t, b, requests([]string{"foo/bar", "foo/kept"}))
	if err != nil {
		t.Fatal(err)
	}
	for api, s := range map[string]*paperlist.RepoStats{"rest": rest.Stats, "graphql": got[0].Stats} {
		if s == nil {
			t.Fatalf("%s: no stats", api)
		}
		if strings.Contains(s.Description, testToken) || s.Description != "leaked [token] here" {
			t.Errorf("%s: description %q", api, s.Description)
		}
		if s.Homepage != "" || !paperlist.IsHTTPURL(s.HTMLURL) {
			t.Errorf("%s: homepage %q, html_url %q", api, s.Homepage, s.HTMLURL)
		}
	}
	if got[1].Stats == nil || got[1].Stats.Homepage != "example.org/docs" {
		t.Errorf("a homepage without a scheme went: %+v", got[1].Stats)
	}
}
