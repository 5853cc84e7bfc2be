package github_test

import (
	"context"
	"errors"
	"net/http"
	"testing"
	"time"

	"github.com/paperlist/paperlist"
	"github.com/paperlist/paperlist/hostpool"
	"github.com/paperlist/paperlist/sources/github"
	"github.com/paperlist/paperlist/sources/github/githubtest"
)

// TestWithEngineTransport runs the client over the engine's transport, as
// cmd wires it: the transport waits out what it may, and what it does not
// reaches the client as an error the engine classifies.
func TestWithEngineTransport(t *testing.T) {
	tests := []struct {
		name       string
		opts       githubtest.Options
		setup      func(*githubtest.Server)
		wantOK     bool
		wantStatus []int // the server's answers, in order
	}{
		{
			name:       "secondary limit waited out",
			setup:      func(s *githubtest.Server) { s.SecondaryNext(1, "0") },
			wantOK:     true,
			wantStatus: []int{403, 200},
		},
		{
			name:       "secondary limit as 429 waited out",
			opts:       githubtest.Options{SecondaryAs429: true},
			setup:      func(s *githubtest.Server) { s.SecondaryNext(1, "0") },
			wantOK:     true,
			wantStatus: []int{429, 200},
		},
		{
			name:       "server error retried",
			setup:      func(s *githubtest.Server) { s.FailNext(2, http.StatusBadGateway) },
			wantOK:     true,
			wantStatus: []int{502, 502, 200},
		},
		{
			name: "primary limit longer than the max wait",
			opts: githubtest.Options{Quota: 1},
			setup: func(s *githubtest.Server) {
				s.Add(githubtest.Repo{FullName: "other/repo"})
			},
			// The transport reads remaining 0 on the first answer and does
			// not send the second before the reset, an hour away.
			wantStatus: []int{200},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.opts.Now = time.Now // the transport reads resets by the wall clock
			srv := newServer(t, tt.opts)
			srv.Add(llmPruner)
			tr := hostpool.New(hostpool.Options{
				Default:   hostpool.Policy{Concurrency: 4, RateLimits: github.ReadRateLimit},
				BaseDelay: time.Millisecond, MaxDelay: 5 * time.Millisecond,
				MaxWait: time.Second, SecondaryWait: time.Millisecond,
			})
			c, err := github.New(github.Options{BaseURL: srv.URL(), Token: testToken, HTTPClient: &http.Client{Transport: tr}})
			if err != nil {
				t.Fatal(err)
			}
			ctx := context.Background()
			if tt.setup != nil {
				tt.setup(srv)
			}
			if !tt.wantOK {
				// Spend the quota first.
				if res := c.FetchRepo(ctx, paperlist.RepoRequest{Name: "other/repo"}); res.Err != nil {
					t.Fatal(res.Err)
				}
			}
			res := c.FetchRepo(ctx, paperlist.RepoRequest{Name: "horseee/LLM-Pruner"})
			if tt.wantOK && (res.Err != nil || res.Stats == nil) {
				t.Fatalf("FetchRepo = %+v, want the stats", res)
			}
			if !tt.wantOK && !errors.Is(res.Err, paperlist.ErrWaitTooLong) {
				t.Fatalf("FetchRepo error = %v, want paperlist.ErrWaitTooLong", res.Err)
			}
			var got []int
			for _, r := range srv.Requests() {
				got = append(got, r.Status)
			}
			if len(got) != len(tt.wantStatus) {
				t.Fatalf("server answered %v, want %v", got, tt.wantStatus)
			}
			for i := range got {
				if got[i] != tt.wantStatus[i] {
					t.Errorf("server answered %v, want %v", got, tt.wantStatus)
					break
				}
			}
		})
	}
}
