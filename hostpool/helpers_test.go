package hostpool_test

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/paperlist/paperlist"
	"github.com/paperlist/paperlist/hostpool"
)

// fastOptions are transport options with delays in milliseconds.
func fastOptions() hostpool.Options {
	return hostpool.Options{
		MaxAttempts: 3,
		BaseDelay:   time.Millisecond,
		MaxDelay:    5 * time.Millisecond,
		MaxWait:     time.Minute,
	}
}

// server is a test server that answers with the responses its handler
// gives for each request number (1-based) and records arrivals.
type server struct {
	*httptest.Server
	mu       sync.Mutex
	arrivals []time.Time
	bodies   []string
}

func newServer(t *testing.T, h func(n int, w http.ResponseWriter, r *http.Request)) *server {
	t.Helper()
	return newServerAt(t, time.Now, h)
}

// newServerAt is newServer with the arrivals noted at now's time.
func newServerAt(t *testing.T, now func() time.Time, h func(n int, w http.ResponseWriter, r *http.Request)) *server {
	t.Helper()
	s := &server{}
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		s.mu.Lock()
		s.arrivals = append(s.arrivals, now())
		s.bodies = append(s.bodies, string(body))
		n := len(s.arrivals)
		s.mu.Unlock()
		h(n, w, r)
	}))
	t.Cleanup(s.Close)
	return s
}

func (s *server) count() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.arrivals)
}

func (s *server) times() []time.Time {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.arrivals)
}

func (s *server) host() string {
	u, _ := url.Parse(s.URL)
	return u.Host
}

func (s *server) key() hostpool.Host {
	u, _ := url.Parse(s.URL)
	return hostpool.HostOf(u)
}

// githubLike reads GitHub's rate-limit headers the way sources/github does,
// for the tests of what the transport makes of them.
func githubLike(resp *http.Response) paperlist.RateLimit {
	var rl paperlist.RateLimit
	rem, err1 := strconv.Atoi(resp.Header.Get("X-RateLimit-Remaining"))
	reset, err2 := strconv.ParseInt(resp.Header.Get("X-RateLimit-Reset"), 10, 64)
	if err1 == nil && err2 == nil && reset > 0 {
		rl.Remaining, rl.Reset = rem, time.Unix(reset, 0)
	}
	if resp.StatusCode != http.StatusForbidden && resp.StatusCode != http.StatusTooManyRequests {
		return rl
	}
	if !rl.Reset.IsZero() && rl.Remaining == 0 {
		rl.Exceeded = true
		return rl
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body = io.NopCloser(bytes.NewReader(body))
	if resp.StatusCode == http.StatusTooManyRequests || resp.Header.Get("Retry-After") != "" ||
		strings.Contains(string(body), "secondary rate limit") || strings.Contains(string(body), "abuse") {
		rl.Exceeded, rl.Secondary = true, true
	}
	return rl
}

// get sends a GET through the client and returns the status and body.
func get(ctx context.Context, c *http.Client, u string) (int, string, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return 0, "", err
	}
	resp, err := c.Do(req)
	if err != nil {
		return 0, "", err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	return resp.StatusCode, string(body), err
}

// statuses answers request n with codes[n-1], repeating the last.
func statuses(codes ...int) func(int, http.ResponseWriter, *http.Request) {
	return func(n int, w http.ResponseWriter, _ *http.Request) {
		w.WriteHeader(codes[min(n, len(codes))-1])
		io.WriteString(w, "answer "+strconv.Itoa(n))
	}
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

// signalHandler is a slog handler that reports every message on a channel.
type signalHandler struct{ msgs chan string }

func (h signalHandler) Enabled(context.Context, slog.Level) bool { return true }
func (h signalHandler) Handle(_ context.Context, r slog.Record) error {
	select {
	case h.msgs <- r.Message:
	default:
	}
	return nil
}
func (h signalHandler) WithAttrs([]slog.Attr) slog.Handler { return h }
func (h signalHandler) WithGroup(string) slog.Handler      { return h }

// fakeClock is a hostpool.Clock whose Sleep does not wait: it moves the
// time on to the end of the sleep at once (never back). Every wait of the
// transport is a Sleep, so a test of minutes of waits takes none, and the
// times a test reads from it are exact as long as one request waits at a
// time (tests of several waiting at once run in a synctest bubble).
type fakeClock struct {
	mu  sync.Mutex
	now time.Time
}

func newFakeClock() *fakeClock {
	return &fakeClock{now: time.Date(2026, 11, 30, 12, 0, 0, 0, time.UTC)}
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *fakeClock) Sleep(ctx context.Context, d time.Duration) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(max(d, 0))
	return nil
}

// fakeOptions are transport options with realistic delays, on a fake
// clock.
func fakeOptions(c *fakeClock) hostpool.Options {
	return hostpool.Options{
		MaxAttempts: 3,
		BaseDelay:   time.Second,
		MaxDelay:    time.Minute,
		MaxWait:     10 * time.Minute,
		Clock:       c,
	}
}
