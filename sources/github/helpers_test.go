package github_test

import (
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/paperlist/paperlist/sources/github"
	"github.com/paperlist/paperlist/sources/github/githubtest"
)

// t0 is the fixed time of the tests' clocks.
var t0 = time.Date(2024, 5, 1, 12, 0, 0, 0, time.UTC)

const testToken = "ghp_TESTTOKEN0123456789abcdefABCDEF0123"

// clock is a settable clock for servers and clients.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// newServer starts a githubtest server that is closed with the test.
func newServer(t testing.TB, opts githubtest.Options) *githubtest.Server {
	t.Helper()
	srv := githubtest.NewServer(opts)
	t.Cleanup(srv.Close)
	return srv
}

// newClient returns a client of baseURL with the given token, whose
// FetchedAt is t0.
func newClient(t testing.TB, baseURL, token string) *github.Client {
	t.Helper()
	c, err := github.New(github.Options{
		BaseURL:    baseURL,
		Token:      token,
		HTTPClient: &http.Client{Timeout: 10 * time.Second},
		Now:        func() time.Time { return t0 },
	})
	if err != nil {
		t.Fatalf("github.New: %v", err)
	}
	return c
}

// paths lists the paths of a server's request log.
func paths(reqs []githubtest.Request) []string {
	out := make([]string, len(reqs))
	for i, r := range reqs {
		out[i] = r.Path
	}
	return out
}
