package github_test

import (
	"context"
	"errors"
	"fmt"
	"io"
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

// names returns n names of repositories that a server has.
func names(srv *githubtest.Server, n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = fmt.Sprintf("owner%d/repo%d", i%7, i)
		srv.Add(githubtest.Repo{FullName: out[i], Stars: i})
	}
	return out
}

func TestGraphQLBatchErrors(t *testing.T) {
	tests := []struct {
		name  string
		opts  githubtest.Options
		token string
		setup func(*githubtest.Server)
		n     int
		check func(t *testing.T, err error)
	}{
		{
			name:  "RATE_LIMITED is the primary limit until the reset",
			setup: func(s *githubtest.Server) { s.RateLimitedNext(1) },
			check: func(t *testing.T, err error) {
				e := wantRateLimit(t, err)
				if !e.Primary || e.StatusCode != http.StatusOK || !e.Reset.Equal(t0.Add(time.Hour)) {
					t.Errorf("got %+v, want a primary limit with status 200 and reset %v", e, t0.Add(time.Hour))
				}
			},
		},
		{
			name: "a used-up budget answers RATE_LIMITED",
			opts: githubtest.Options{GraphQLQuota: 1},
			setup: func(s *githubtest.Server) {
				g := newGraphQL(t, s.GraphQLURL(), testToken)
				if _, _, err := g.FetchBatch(context.Background(), []string{"owner0/repo0"}); err != nil {
					t.Fatalf("first query: %v", err)
				}
			},
			check: func(t *testing.T, err error) {
				if e := wantRateLimit(t, err); !e.Primary || e.Reset.IsZero() {
					t.Errorf("got %+v, want a primary limit with its reset", e)
				}
			},
		},
		{
			name:  "a secondary limit with Retry-After",
			setup: func(s *githubtest.Server) { s.SecondaryNext(1, "30") },
			check: func(t *testing.T, err error) {
				e := wantRateLimit(t, err)
				if e.Primary || e.StatusCode != http.StatusForbidden || e.RetryAfter != 30*time.Second {
					t.Errorf("got %+v, want a secondary 403 with retry after 30s", e)
				}
			},
		},
		{
			name:  "a secondary limit as 429 without Retry-After",
			opts:  githubtest.Options{SecondaryAs429: true},
			setup: func(s *githubtest.Server) { s.SecondaryNext(1, "") },
			check: func(t *testing.T, err error) {
				if e := wantRateLimit(t, err); e.Primary || e.StatusCode != http.StatusTooManyRequests {
					t.Errorf("got %+v, want a secondary 429", e)
				}
			},
		},
		{
			name:  "502 on a big batch is too heavy",
			setup: func(s *githubtest.Server) { s.FailBatchesOver(50, http.StatusBadGateway) },
			n:     100,
			check: func(t *testing.T, err error) {
				if !errors.Is(err, github.ErrBatchTooHeavy) || !strings.Contains(err.Error(), "502") {
					t.Errorf("err = %v, want ErrBatchTooHeavy with 502", err)
				}
			},
		},
		{
			name:  "503 is too heavy too",
			setup: func(s *githubtest.Server) { s.FailNext(1, http.StatusServiceUnavailable) },
			check: func(t *testing.T, err error) {
				if !errors.Is(err, github.ErrBatchTooHeavy) {
					t.Errorf("err = %v, want ErrBatchTooHeavy", err)
				}
			},
		},
		{
			name:  "500 is a server error, not a heavy batch",
			setup: func(s *githubtest.Server) { s.FailNext(1, http.StatusInternalServerError) },
			check: func(t *testing.T, err error) {
				if err == nil || errors.Is(err, github.ErrBatchTooHeavy) || errors.Is(err, paperlist.ErrWaitTooLong) {
					t.Errorf("err = %v, want a plain server error", err)
				}
			},
		},
		{
			name:  "a token the server refuses",
			opts:  githubtest.Options{Token: "the-right-one"},
			token: "the-wrong-one",
			check: func(t *testing.T, err error) {
				if !errors.Is(err, paperlist.ErrRejected) || !strings.Contains(err.Error(), "401 Bad credentials") {
					t.Errorf("err = %v, want ErrRejected with 401 Bad credentials", err)
				}
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.opts.Now = func() time.Time { return t0 }
			srv := newServer(t, tt.opts)
			n := tt.n
			if n == 0 {
				n = 3
			}
			batch := names(srv, n)
			if tt.setup != nil {
				tt.setup(srv)
			}
			token := tt.token
			if token == "" {
				token = testToken
			}
			g := newGraphQL(t, srv.GraphQLURL(), token)
			res, _, err := g.FetchBatch(context.Background(), batch)
			if res != nil {
				t.Errorf("results %v with an error of the batch", res)
			}
			tt.check(t, err)
		})
	}
}

func wantRateLimit(t *testing.T, err error) *github.RateLimitError {
	t.Helper()
	var e *github.RateLimitError
	if !errors.As(err, &e) || !errors.Is(err, paperlist.ErrWaitTooLong) {
		t.Fatalf("err = %v, want a *RateLimitError that wraps ErrWaitTooLong", err)
	}
	return e
}

// TestGraphQLHalving shows what the caller does with ErrBatchTooHeavy: the
// halves of a batch that timed out go through.
func TestGraphQLHalving(t *testing.T) {
	srv := newServer(t, githubtest.Options{Now: func() time.Time { return t0 }})
	batch := names(srv, github.MaxBatch)
	srv.FailBatchesOver(60, http.StatusBadGateway)
	g := newGraphQL(t, srv.GraphQLURL(), testToken)
	if _, _, err := g.FetchBatch(context.Background(), batch); !errors.Is(err, github.ErrBatchTooHeavy) {
		t.Fatalf("batch of 100: err = %v, want ErrBatchTooHeavy", err)
	}
	for _, half := range [][]string{batch[:50], batch[50:]} {
		res, _ := fetchBatch(t, g, half...)
		for _, r := range res {
			if r.Stats == nil {
				t.Errorf("%s: %+v", r.Name, r)
			}
		}
	}
	// Each half asks four connections of 50 repositories: 200 requests,
	// 2 points.
	if got := srv.GraphQLPointsUsed(); got != 4 {
		t.Errorf("points used = %d, want 4 (the 502 costs nothing)", got)
	}
}

func TestGraphQLTooManyOrNone(t *testing.T) {
	srv := newServer(t, githubtest.Options{})
	g := newGraphQL(t, srv.GraphQLURL(), testToken)
	if _, _, err := g.FetchBatch(context.Background(), make([]string, github.MaxBatch+1)); err == nil {
		t.Error("a batch of 101: no error")
	}
	res, _, err := g.FetchBatch(context.Background(), nil)
	if err != nil || len(res) != 0 {
		t.Errorf("an empty batch: %v, %v", res, err)
	}
	if got := len(srv.Requests()); got != 0 {
		t.Errorf("%d requests, want none", got)
	}
}

func TestGraphQLBadRepository(t *testing.T) {
	srv := newServer(t, githubtest.Options{Now: func() time.Time { return t0 }})
	srv.Add(githubtest.Repo{FullName: "neg/stars", Stars: -1}, githubtest.Repo{FullName: "ok/fine", Stars: 1})
	g := newGraphQL(t, srv.GraphQLURL(), testToken)
	res, _ := fetchBatch(t, g, "neg/stars", "ok/fine")
	if !errors.Is(res[0].Err, paperlist.ErrInvalidResponse) || res[0].Stats != nil {
		t.Errorf("negative stars: %+v, want ErrInvalidResponse", res[0])
	}
	if res[1].Err != nil || res[1].Stats == nil {
		t.Errorf("the other repository of the batch: %+v", res[1])
	}
}

// TestGraphQLErrorsOfTheAnswer replays answers GitHub gives with errors
// beside the data.
func TestGraphQLErrorsOfTheAnswer(t *testing.T) {
	repo := `{"databaseId":1,"nameWithOwner":"a/b","url":"https://github.com/a/b","stargazerCount":1,"forkCount":0,
		"issues":{"totalCount":0},"pullRequests":{"totalCount":0},"watchers":{"totalCount":0},
		"repositoryTopics":{"nodes":[]},"isArchived":false,"isDisabled":false,"isFork":false}`
	tests := []struct {
		name, body string
		wantErr    error
		check      func(t *testing.T, res []github.BatchResult)
	}{
		{
			name: "an error on one alias fails that repository only",
			body: `{"data":{"r0":null,"r1":` + repo + `},"errors":[{"type":"FORBIDDEN","path":["r0"],"message":"Resource not accessible"}]}`,
			check: func(t *testing.T, res []github.BatchResult) {
				var ge *github.GraphQLError
				if !errors.As(res[0].Err, &ge) || ge.Type != "FORBIDDEN" || res[0].NotFound {
					t.Errorf("r0: %+v, want a FORBIDDEN GraphQLError", res[0])
				}
				if res[1].Stats == nil || res[1].Stats.FullName != "a/b" {
					t.Errorf("r1: %+v", res[1])
				}
			},
		},
		{
			name:    "an error without a path fails the batch",
			body:    `{"errors":[{"message":"Parse error on \"}\" (RCURLY) at [1, 2]","locations":[{"line":1,"column":2}]}]}`,
			wantErr: paperlist.ErrRejected,
		},
		{
			name:    "a timeout in the errors is too heavy",
			body:    `{"data":null,"errors":[{"message":"Something went wrong while executing your query. This may be the result of a timeout, or it could be a GitHub bug."}]}`,
			wantErr: github.ErrBatchTooHeavy,
		},
		{
			name:    "no data and no errors",
			body:    `{}`,
			wantErr: paperlist.ErrInvalidResponse,
		},
		{
			name:    "not JSON",
			body:    `<html>`,
			wantErr: paperlist.ErrInvalidResponse,
		},
		{
			name: "an alias missing from the data",
			body: `{"data":{"r1":` + repo + `}}`,
			check: func(t *testing.T, res []github.BatchResult) {
				if !errors.Is(res[0].Err, paperlist.ErrInvalidResponse) {
					t.Errorf("r0: %+v, want ErrInvalidResponse", res[0])
				}
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", "application/json")
				_, _ = io.WriteString(w, tt.body)
			}))
			t.Cleanup(ts.Close)
			g := newGraphQL(t, ts.URL+"/graphql", testToken)
			res, _, err := g.FetchBatch(context.Background(), []string{"x/y", "a/b"})
			if tt.wantErr != nil {
				if !errors.Is(err, tt.wantErr) {
					t.Fatalf("err = %v, want %v", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			tt.check(t, res)
		})
	}
}

func TestGraphQLToken(t *testing.T) {
	t.Run("none is a clear error", func(t *testing.T) {
		_, err := github.NewGraphQL(github.GraphQLOptions{HTTPClient: &http.Client{}})
		if !errors.Is(err, github.ErrNoToken) || !strings.Contains(err.Error(), "GITHUB_TOKEN") {
			t.Errorf("err = %v, want ErrNoToken naming GITHUB_TOKEN", err)
		}
	})

	t.Run("sent to the endpoint, never through a redirect", func(t *testing.T) {
		var elsewhere atomic.Int32
		other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			elsewhere.Add(1)
		}))
		t.Cleanup(other.Close)
		var auth atomic.Value
		ep := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			auth.Store(r.Header.Get("Authorization"))
			http.Redirect(w, r, other.URL+"/graphql", http.StatusTemporaryRedirect)
		}))
		t.Cleanup(ep.Close)
		g := newGraphQL(t, ep.URL+"/graphql", testToken)
		_, _, err := g.FetchBatch(context.Background(), []string{"a/b"})
		if !errors.Is(err, paperlist.ErrInvalidResponse) {
			t.Errorf("err = %v, want ErrInvalidResponse for a redirect", err)
		}
		if got := auth.Load(); got != "Bearer "+testToken {
			t.Errorf("endpoint got Authorization %q", got)
		}
		if n := elsewhere.Load(); n != 0 {
			t.Errorf("the other host got %d requests", n)
		}
	})

	t.Run("never in an error", func(t *testing.T) {
		ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.WriteHeader(http.StatusBadRequest)
			_, _ = io.WriteString(w, `{"message":"bad header `+r.Header.Get("Authorization")+`"}`)
		}))
		t.Cleanup(ts.Close)
		g := newGraphQL(t, ts.URL+"/graphql", testToken)
		_, _, err := g.FetchBatch(context.Background(), []string{"a/b"})
		if err == nil || strings.Contains(err.Error(), testToken) || !strings.Contains(err.Error(), "[token]") {
			t.Errorf("err = %v, want the token replaced by [token]", err)
		}
	})
}
