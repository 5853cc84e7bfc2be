package github_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/paperlist/paperlist"
	"github.com/paperlist/paperlist/hostpool"
	"github.com/paperlist/paperlist/sources/github"
	"github.com/paperlist/paperlist/sources/github/githubtest"
)

// TestWorkersAboveQuota runs more workers than the quota has requests
// left, as an anonymous run with -workers 64 and 38 of 60 left: every
// request the quota allows is made, and when the quota runs out the error
// says so rather than that the server asked for a wait.
func TestWorkersAboveQuota(t *testing.T) {
	const left, workers = 38, 64
	tests := []struct {
		name       string
		repos      int
		concurrent bool
		wantOK     int
	}{
		{name: "fewer repositories than the quota, one at a time", repos: 30, wantOK: 30},
		{name: "fewer repositories than the quota, all at once", repos: 30, concurrent: true, wantOK: 30},
		{name: "more repositories than the quota, one at a time", repos: 50, wantOK: left},
		{name: "more repositories than the quota, all at once", repos: workers, concurrent: true, wantOK: left},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := newServer(t, githubtest.Options{Quota: left, Now: time.Now})
			for i := range tt.repos {
				srv.Add(githubtest.Repo{FullName: fmt.Sprintf("owner/repo%d", i), Stars: i})
			}
			tr := hostpool.New(hostpool.Options{
				Default: hostpool.Policy{Concurrency: workers, RateLimits: github.ReadRateLimit},
				MaxWait: 10 * time.Minute,
			})
			c, err := github.New(github.Options{BaseURL: srv.URL(), HTTPClient: &http.Client{Transport: tr}})
			if err != nil {
				t.Fatal(err)
			}
			results := make([]paperlist.RepoResult, tt.repos)
			fetch := func(i int) {
				results[i] = c.FetchRepo(context.Background(), paperlist.RepoRequest{Name: fmt.Sprintf("owner/repo%d", i)})
			}
			if tt.concurrent {
				var wg sync.WaitGroup
				for i := range tt.repos {
					wg.Add(1)
					go func() { defer wg.Done(); fetch(i) }()
				}
				wg.Wait()
			} else {
				for i := range tt.repos {
					fetch(i)
				}
			}
			ok := 0
			for i, res := range results {
				if res.Err == nil {
					ok++
					continue
				}
				if !errors.Is(res.Err, paperlist.ErrWaitTooLong) {
					t.Errorf("repo%d: err = %v, want ErrWaitTooLong", i, res.Err)
				}
				if msg := res.Err.Error(); !strings.Contains(msg, "used up its rate-limit quota until") || strings.Contains(msg, "asks to wait") {
					t.Errorf("repo%d: error %q does not say the quota is used up", i, msg)
				}
			}
			if ok != tt.wantOK {
				t.Errorf("%d repositories fetched, want %d", ok, tt.wantOK)
			}
			if used := srv.QuotaUsed(); used > left {
				t.Errorf("quota used %d, more than the %d left", used, left)
			}
		})
	}
}
