package crawler_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/paperlist/paperlist"
	"github.com/paperlist/paperlist/crawler"
)

// fastOptions are transport options with delays in milliseconds.
func fastOptions() crawler.TransportOptions {
	return crawler.TransportOptions{
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
	s := &server{}
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		s.mu.Lock()
		s.arrivals = append(s.arrivals, time.Now())
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

func TestTransportRetries(t *testing.T) {
	tests := []struct {
		name         string
		codes        []int
		wantStatus   int
		wantRequests int
	}{
		{"503 then success", []int{503, 200}, 200, 2},
		{"two 500 then success", []int{500, 500, 200}, 200, 3},
		{"429 then success", []int{429, 200}, 200, 2},
		{"always 502 returns the last response", []int{502}, 502, 3},
		{"404 not retried", []int{404, 200}, 404, 1},
		{"403 without rate-limit headers not retried", []int{403, 200}, 403, 1},
		{"400 not retried", []int{400, 200}, 400, 1},
		{"304 not retried", []int{304, 200}, 304, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newServer(t, statuses(tt.codes...))
			tr := crawler.NewTransport(fastOptions())
			status, body, err := get(t.Context(), &http.Client{Transport: tr}, s.URL)
			if err != nil {
				t.Fatal(err)
			}
			if status != tt.wantStatus {
				t.Errorf("status = %d, want %d", status, tt.wantStatus)
			}
			if tt.wantStatus != 304 && body != "answer "+strconv.Itoa(tt.wantRequests) {
				t.Errorf("body = %q, want the answer to request %d", body, tt.wantRequests)
			}
			if got := s.count(); got != tt.wantRequests {
				t.Errorf("server saw %d requests, want %d", got, tt.wantRequests)
			}
			st := tr.Stats()[s.host()]
			if st.Requests != tt.wantRequests || st.Retries != tt.wantRequests-1 {
				t.Errorf("stats = %+v, want %d requests, %d retries", st, tt.wantRequests, tt.wantRequests-1)
			}
		})
	}
}

func TestTransportConnectionErrors(t *testing.T) {
	s := httptest.NewServer(http.NotFoundHandler())
	u := s.URL
	s.Close()
	tr := crawler.NewTransport(fastOptions())
	_, _, err := get(t.Context(), &http.Client{Transport: tr}, u)
	if err == nil {
		t.Fatal("no error from a closed server")
	}
	var a interface{ Attempts() int }
	if !errors.As(err, &a) || a.Attempts() != 3 {
		t.Errorf("error %v does not tell 3 attempts", err)
	}
	if !errors.Is(err, paperlist.ErrHostDown) {
		t.Errorf("error %v does not say the host is down", err)
	}
	host := strings.TrimPrefix(u, "http://")
	if got := tr.Requests()[host]; got != 3 {
		t.Errorf("Requests()[%s] = %d, want 3", host, got)
	}
	// The host is down for the run: later requests fail at once, without
	// another series of attempts.
	for range 2 {
		if _, _, err := get(t.Context(), &http.Client{Transport: tr}, u); !errors.Is(err, paperlist.ErrHostDown) {
			t.Errorf("later request: %v, want ErrHostDown", err)
		}
	}
	if got := tr.Requests()[host]; got != 3 {
		t.Errorf("Requests()[%s] = %d after the host was down, want still 3", host, got)
	}
	if st := tr.Stats()[host]; !strings.Contains(st.Stopped, "gave no answer") {
		t.Errorf("Stats().Stopped = %q", st.Stopped)
	}
}

// A host that answers again after a connection error is not down.
func TestTransportConnectionErrorThenAnswer(t *testing.T) {
	var calls atomic.Int64
	base := roundTripFunc(func(r *http.Request) (*http.Response, error) {
		if calls.Add(1) == 1 {
			return nil, errors.New("connection reset by peer")
		}
		return http.DefaultTransport.RoundTrip(r)
	})
	s := newServer(t, statuses(200))
	opts := fastOptions()
	opts.Base = base
	tr := crawler.NewTransport(opts)
	for i := range 2 {
		if code, _, err := get(t.Context(), &http.Client{Transport: tr}, s.URL); err != nil || code != 200 {
			t.Errorf("request %d: %d, %v", i+1, code, err)
		}
	}
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

func TestTransportRequestBody(t *testing.T) {
	tests := []struct {
		name         string
		body         func() io.Reader
		wantRequests int
		wantStatus   int
	}{
		{"rewindable body is retried", func() io.Reader { return bytes.NewReader([]byte("payload")) }, 2, 200},
		{"one-shot body is sent once", func() io.Reader { return io.MultiReader(strings.NewReader("payload")) }, 1, 503},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newServer(t, statuses(503, 200))
			req, err := http.NewRequestWithContext(t.Context(), http.MethodPost, s.URL, tt.body())
			if err != nil {
				t.Fatal(err)
			}
			resp, err := (&http.Client{Transport: crawler.NewTransport(fastOptions())}).Do(req)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if resp.StatusCode != tt.wantStatus || s.count() != tt.wantRequests {
				t.Errorf("status %d after %d requests, want %d after %d", resp.StatusCode, s.count(), tt.wantStatus, tt.wantRequests)
			}
			for i, b := range s.bodies {
				if b != "payload" {
					t.Errorf("request %d had body %q", i+1, b)
				}
			}
		})
	}
}

func TestTransportRetryAfterHonoured(t *testing.T) {
	s := newServer(t, func(n int, w http.ResponseWriter, _ *http.Request) {
		if n == 1 {
			w.Header().Set("Retry-After", "1")
			w.WriteHeader(http.StatusServiceUnavailable)
			return
		}
		w.WriteHeader(http.StatusOK)
	})
	status, _, err := get(t.Context(), &http.Client{Transport: crawler.NewTransport(fastOptions())}, s.URL)
	if err != nil || status != 200 {
		t.Fatalf("status %d, err %v", status, err)
	}
	at := s.times()
	if gap := at[1].Sub(at[0]); gap < time.Second {
		t.Errorf("second attempt %v after the first, want at least the 1s of Retry-After", gap)
	}
}

func TestRetryAfter(t *testing.T) {
	now := time.Date(2024, 5, 1, 12, 0, 0, 0, time.UTC)
	tests := []struct {
		name   string
		value  string
		want   time.Duration
		wantOK bool
	}{
		{"seconds", "120", 2 * time.Minute, true},
		{"zero", "0", 0, true},
		{"http date", now.Add(90 * time.Second).Format(http.TimeFormat), 90 * time.Second, true},
		{"date in the past", now.Add(-time.Hour).Format(http.TimeFormat), 0, true},
		{"absent", "", 0, false},
		{"negative", "-5", 0, false},
		{"garbage", "soon", 0, false},
		{"beyond a duration", "9223372037", 0, false},
		{"beyond int64", "99999999999999999999", 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := http.Header{}
			if tt.value != "" {
				h.Set("Retry-After", tt.value)
			}
			got, ok := crawler.RetryAfter(h, now)
			if got != tt.want || ok != tt.wantOK {
				t.Errorf("RetryAfter(%q) = %v, %v; want %v, %v", tt.value, got, ok, tt.want, tt.wantOK)
			}
		})
	}
}

func TestTransportWaitTooLong(t *testing.T) {
	farReset := strconv.FormatInt(time.Now().Add(time.Hour).Unix(), 10)
	tests := []struct {
		name   string
		policy crawler.HostPolicy
		first  func(w http.ResponseWriter)
		// wantReason is in the error: what really stopped the host.
		wantReason string
	}{
		{
			name:       "retry-after beyond max wait",
			wantReason: "asks to wait 1h0m0s, longer than the max wait of 10s",
			policy:     crawler.HostPolicy{},
			first: func(w http.ResponseWriter) {
				w.Header().Set("Retry-After", "3600")
				w.WriteHeader(http.StatusTooManyRequests)
			},
		},
		{
			name:       "primary limit with a far reset",
			wantReason: "has used up its rate-limit quota until",
			policy:     crawler.HostPolicy{RateLimitHeaders: true},
			first: func(w http.ResponseWriter) {
				w.Header().Set("X-RateLimit-Remaining", "0")
				w.Header().Set("X-RateLimit-Reset", farReset)
				w.WriteHeader(http.StatusForbidden)
			},
		},
		{
			name:       "secondary limit without retry-after waits a minute",
			wantReason: "asks to wait 1m0s",
			policy:     crawler.HostPolicy{RateLimitHeaders: true},
			first: func(w http.ResponseWriter) {
				w.WriteHeader(http.StatusForbidden)
				io.WriteString(w, `{"message":"You have exceeded a secondary rate limit."}`)
			},
		},
		{
			name:       "quota used up until a far reset",
			wantReason: "has used up its rate-limit quota until",
			policy:     crawler.HostPolicy{RateLimitHeaders: true, Concurrency: 1},
			first: func(w http.ResponseWriter) {
				w.Header().Set("X-RateLimit-Remaining", "0")
				w.Header().Set("X-RateLimit-Reset", farReset)
				w.WriteHeader(http.StatusOK)
			},
		},
		{
			name:       "negative retry-after",
			wantReason: `Retry-After "-5", which is no wait`,
			first: func(w http.ResponseWriter) {
				w.Header().Set("Retry-After", "-5")
				w.WriteHeader(http.StatusTooManyRequests)
			},
		},
		{
			name:       "overflowing retry-after",
			wantReason: "which is no wait: taken as longer than the max wait of 10s",
			first: func(w http.ResponseWriter) {
				w.Header().Set("Retry-After", "99999999999999999999")
				w.WriteHeader(http.StatusServiceUnavailable)
			},
		},
		{
			name:       "negative retry-after on a secondary limit",
			wantReason: `Retry-After "-60"`,
			policy:     crawler.HostPolicy{RateLimitHeaders: true},
			first: func(w http.ResponseWriter) {
				w.Header().Set("Retry-After", "-60")
				w.WriteHeader(http.StatusForbidden)
				io.WriteString(w, `{"message":"You have exceeded a secondary rate limit."}`)
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newServer(t, func(n int, w http.ResponseWriter, _ *http.Request) {
				if n == 1 {
					tt.first(w)
					return
				}
				w.WriteHeader(http.StatusOK)
			})
			opts := fastOptions()
			opts.MaxWait = 10 * time.Second
			opts.Default = tt.policy
			tr := crawler.NewTransport(opts)
			c := &http.Client{Transport: tr}
			_, _, err := get(t.Context(), c, s.URL)
			if tt.name == "quota used up until a far reset" {
				// The first request succeeds; the next must wait.
				if err != nil {
					t.Fatal(err)
				}
				_, _, err = get(t.Context(), c, s.URL)
			}
			if !errors.Is(err, paperlist.ErrWaitTooLong) {
				t.Fatalf("err = %v, want ErrWaitTooLong", err)
			}
			if !strings.Contains(err.Error(), s.host()) {
				t.Errorf("error %q does not name the host", err)
			}
			if !strings.Contains(err.Error(), tt.wantReason) {
				t.Errorf("error %q does not say %q", err, tt.wantReason)
			}
			seen := s.count()
			for range 3 {
				if _, _, err := get(t.Context(), c, s.URL+"/later"); !errors.Is(err, paperlist.ErrWaitTooLong) {
					t.Errorf("later request: err = %v, want ErrWaitTooLong", err)
				}
			}
			if s.count() != seen || seen != 1 {
				t.Errorf("server saw %d requests (%d before the later ones), want 1", s.count(), seen)
			}
			if tr.Stats()[s.host()].Stopped == "" {
				t.Error("Stats does not say the host stopped")
			}
		})
	}
}

func TestTransportPrimaryLimitWaitsForReset(t *testing.T) {
	var reset atomic.Int64
	s := newServer(t, func(n int, w http.ResponseWriter, _ *http.Request) {
		if n == 1 {
			reset.Store(time.Now().Add(time.Second).Unix())
			w.Header().Set("X-RateLimit-Remaining", "0")
			w.Header().Set("X-RateLimit-Reset", strconv.FormatInt(reset.Load(), 10))
			w.WriteHeader(http.StatusTooManyRequests)
			return
		}
		w.WriteHeader(http.StatusOK)
	})
	opts := fastOptions()
	opts.Default = crawler.HostPolicy{RateLimitHeaders: true}
	status, _, err := get(t.Context(), &http.Client{Transport: crawler.NewTransport(opts)}, s.URL)
	if err != nil || status != 200 {
		t.Fatalf("status %d, err %v", status, err)
	}
	if at, r := s.times()[1], time.Unix(reset.Load(), 0); at.Before(r) {
		t.Errorf("retried at %v, before the reset %v", at, r)
	}
}

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

func TestTransportSecondaryLimitPausesEveryWorker(t *testing.T) {
	const pause = 300 * time.Millisecond
	tests := []struct {
		name  string
		limit func(w http.ResponseWriter)
	}{
		{"403 with the secondary message", func(w http.ResponseWriter) {
			w.WriteHeader(http.StatusForbidden)
			io.WriteString(w, `{"message":"You have exceeded a secondary rate limit. Please wait a few minutes before you try again."}`)
		}},
		{"429 without headers", func(w http.ResponseWriter) { w.WriteHeader(http.StatusTooManyRequests) }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var limitedAt, other atomic.Int64
			s := newServer(t, func(n int, w http.ResponseWriter, r *http.Request) {
				if r.URL.Path == "/first" && n == 1 {
					limitedAt.Store(time.Now().UnixNano())
					tt.limit(w)
					return
				}
				if r.URL.Path == "/other" {
					other.Store(time.Now().UnixNano())
				}
				w.WriteHeader(http.StatusOK)
			})
			msgs := make(chan string, 16)
			opts := fastOptions()
			opts.Default = crawler.HostPolicy{RateLimitHeaders: true, Concurrency: 4}
			opts.SecondaryWait = pause
			opts.Logger = slog.New(signalHandler{msgs})
			c := &http.Client{Transport: crawler.NewTransport(opts)}

			firstDone := make(chan error, 1)
			go func() {
				_, _, err := get(t.Context(), c, s.URL+"/first")
				firstDone <- err
			}()
			if m := <-msgs; m != "retrying" {
				t.Fatalf("log %q, want the retry", m)
			}
			// The first worker is now waiting out the limit: another one
			// must wait as long.
			if status, _, err := get(t.Context(), c, s.URL+"/other"); err != nil || status != 200 {
				t.Fatalf("other: status %d, err %v", status, err)
			}
			if err := <-firstDone; err != nil {
				t.Fatal(err)
			}
			if gap := time.Unix(0, other.Load()).Sub(time.Unix(0, limitedAt.Load())); gap < pause {
				t.Errorf("other worker sent %v after the limit, want at least %v", gap, pause)
			}
		})
	}
}

func TestTransportSecondaryLimitBacksOffExponentially(t *testing.T) {
	s := newServer(t, func(_ int, w http.ResponseWriter, _ *http.Request) {
		w.WriteHeader(http.StatusForbidden)
		io.WriteString(w, `{"message":"You have triggered an abuse detection mechanism."}`)
	})
	opts := fastOptions()
	opts.Default = crawler.HostPolicy{RateLimitHeaders: true}
	opts.SecondaryWait = 20 * time.Millisecond
	opts.MaxWait = 30 * time.Millisecond // the first wait fits, the doubled one does not
	_, _, err := get(t.Context(), &http.Client{Transport: crawler.NewTransport(opts)}, s.URL)
	if !errors.Is(err, paperlist.ErrWaitTooLong) {
		t.Fatalf("err = %v, want ErrWaitTooLong after the doubled wait", err)
	}
	if s.count() != 2 {
		t.Errorf("server saw %d requests, want 2", s.count())
	}
}

func TestTransportIntervalSpacing(t *testing.T) {
	const interval = 40 * time.Millisecond
	tests := []struct {
		name         string
		codes        []int
		requests     int
		wantArrivals int
	}{
		{"sequential and concurrent requests", []int{200}, 4, 4},
		{"retries included", []int{503, 503, 200}, 2, 4},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newServer(t, statuses(tt.codes...))
			opts := fastOptions()
			opts.Default = crawler.HostPolicy{Interval: interval}
			c := &http.Client{Transport: crawler.NewTransport(opts)}
			var wg sync.WaitGroup
			for range tt.requests {
				wg.Go(func() {
					if _, _, err := get(t.Context(), c, s.URL); err != nil {
						t.Error(err)
					}
				})
			}
			wg.Wait()
			at := s.times()
			if len(at) != tt.wantArrivals {
				t.Fatalf("server saw %d requests, want %d", len(at), tt.wantArrivals)
			}
			span := at[len(at)-1].Sub(at[0])
			if want := time.Duration(len(at)-1) * interval; span < want-5*time.Millisecond {
				t.Errorf("%d requests came within %v, want at least %v", len(at), span, want)
			}
		})
	}
}

// sendRecorder is a base transport that notes when each request is sent.
type sendRecorder struct {
	mu    sync.Mutex
	sends []time.Time
	base  http.RoundTripper
}

func (r *sendRecorder) RoundTrip(req *http.Request) (*http.Response, error) {
	r.mu.Lock()
	r.sends = append(r.sends, time.Now())
	r.mu.Unlock()
	return r.base.RoundTrip(req)
}

// Every gap between two sends to a host is at least its interval, however
// the goroutines that wait for their turn are scheduled: the spacing holds
// between sends, not only between the limiter's reservations.
func TestTransportIntervalBetweenEverySend(t *testing.T) {
	const interval = 15 * time.Millisecond
	s := newServer(t, statuses(200))
	rec := &sendRecorder{base: http.DefaultTransport}
	opts := fastOptions()
	opts.Base = rec
	opts.Default = crawler.HostPolicy{Interval: interval}
	c := &http.Client{Transport: crawler.NewTransport(opts)}
	var wg sync.WaitGroup
	for range 10 {
		wg.Go(func() {
			if _, _, err := get(t.Context(), c, s.URL); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	rec.mu.Lock()
	defer rec.mu.Unlock()
	if len(rec.sends) != 10 {
		t.Fatalf("%d sends, want 10", len(rec.sends))
	}
	slices.SortFunc(rec.sends, func(a, b time.Time) int { return a.Compare(b) })
	// A send follows its claim by the few statements that build the
	// request: allow a millisecond for them.
	for i := 1; i < len(rec.sends); i++ {
		if gap := rec.sends[i].Sub(rec.sends[i-1]); gap < interval-time.Millisecond {
			t.Errorf("send %d came %v after the one before, want at least %v", i+1, gap, interval)
		}
	}
}

func TestTransportConcurrency(t *testing.T) {
	var inFlight, most atomic.Int64
	s := newServer(t, func(int, http.ResponseWriter, *http.Request) {
		n := inFlight.Add(1)
		for {
			m := most.Load()
			if n <= m || most.CompareAndSwap(m, n) {
				break
			}
		}
		time.Sleep(10 * time.Millisecond) // hold the request so that others pile up
		inFlight.Add(-1)
	})
	opts := fastOptions()
	opts.Hosts = map[string]crawler.HostPolicy{s.host(): {Concurrency: 2}}
	c := &http.Client{Transport: crawler.NewTransport(opts)}
	var wg sync.WaitGroup
	for range 12 {
		wg.Go(func() {
			if _, _, err := get(t.Context(), c, s.URL); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	if got := most.Load(); got < 1 || got > 2 {
		t.Errorf("at most %d requests in flight, want 1 or 2", got)
	}
	if s.count() != 12 {
		t.Errorf("server saw %d requests, want 12", s.count())
	}
}

// A client that reads a body to its end and closes something else (as
// go-github does with error responses, a 304 among them) must not keep the
// host's slot.
func TestTransportSlotFreedAtEndOfBody(t *testing.T) {
	for _, tc := range []struct {
		name   string
		status int
		body   string
	}{
		{"304 with no body", http.StatusNotModified, ""},
		{"404 with a body", http.StatusNotFound, `{"message":"Not Found"}`},
		{"200 with a body", http.StatusOK, "{}"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := newServer(t, func(_ int, w http.ResponseWriter, _ *http.Request) {
				w.WriteHeader(tc.status)
				io.WriteString(w, tc.body)
			})
			opts := fastOptions()
			opts.Hosts = map[string]crawler.HostPolicy{s.host(): {Concurrency: 1}}
			c := &http.Client{Transport: crawler.NewTransport(opts)}
			ctx, cancel := context.WithTimeout(t.Context(), 5*time.Second)
			defer cancel()
			for i := range 3 {
				req, err := http.NewRequestWithContext(ctx, http.MethodGet, s.URL, nil)
				if err != nil {
					t.Fatal(err)
				}
				resp, err := c.Do(req)
				if err != nil {
					t.Fatalf("request %d: %v (the slot of an earlier one was kept)", i+1, err)
				}
				if _, err := io.ReadAll(resp.Body); err != nil {
					t.Fatal(err)
				}
				// Deliberately not closed.
			}
			if s.count() != 3 {
				t.Errorf("server saw %d requests, want 3", s.count())
			}
		})
	}
}

func TestTransportCancelDuringWait(t *testing.T) {
	tests := []struct {
		name   string
		policy crawler.HostPolicy
		handle func(w http.ResponseWriter)
	}{
		{"during a retry-after pause", crawler.HostPolicy{}, func(w http.ResponseWriter) {
			w.Header().Set("Retry-After", "3600")
			w.WriteHeader(http.StatusServiceUnavailable)
		}},
		{"during the interval", crawler.HostPolicy{Interval: time.Hour}, func(w http.ResponseWriter) {
			w.WriteHeader(http.StatusOK)
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newServer(t, func(_ int, w http.ResponseWriter, _ *http.Request) { tt.handle(w) })
			opts := fastOptions()
			opts.MaxWait = 2 * time.Hour
			opts.Default = tt.policy
			c := &http.Client{Transport: crawler.NewTransport(opts)}
			ctx, cancel := context.WithCancel(t.Context())
			errc := make(chan error, 2)
			go func() {
				// With the interval, the first request passes and the
				// second waits.
				_, _, err := get(ctx, c, s.URL)
				if err == nil {
					_, _, err = get(ctx, c, s.URL)
				}
				errc <- err
			}()
			for s.count() == 0 {
				time.Sleep(time.Millisecond)
			}
			cancel()
			select {
			case err := <-errc:
				if !errors.Is(err, context.Canceled) {
					t.Errorf("err = %v, want context.Canceled", err)
				}
			case <-time.After(10 * time.Second):
				t.Fatal("request still waiting 10s after cancel")
			}
		})
	}
}

func TestTransportAttemptTimeout(t *testing.T) {
	t.Run("hanging server is retried", func(t *testing.T) {
		s := newServer(t, func(n int, w http.ResponseWriter, r *http.Request) {
			if n == 1 {
				<-r.Context().Done()
				return
			}
			io.WriteString(w, "ok")
		})
		opts := fastOptions()
		opts.Timeout = 50 * time.Millisecond
		status, body, err := get(t.Context(), &http.Client{Transport: crawler.NewTransport(opts)}, s.URL)
		if err != nil || status != 200 || body != "ok" {
			t.Fatalf("status %d, body %q, err %v", status, body, err)
		}
		if s.count() != 2 {
			t.Errorf("server saw %d requests, want 2", s.count())
		}
	})
	t.Run("timeout covers the body", func(t *testing.T) {
		s := newServer(t, func(_ int, w http.ResponseWriter, r *http.Request) {
			io.WriteString(w, "start of the body")
			w.(http.Flusher).Flush()
			<-r.Context().Done()
		})
		opts := fastOptions()
		opts.Timeout = 50 * time.Millisecond
		_, _, err := get(t.Context(), &http.Client{Transport: crawler.NewTransport(opts)}, s.URL)
		if !errors.Is(err, context.DeadlineExceeded) {
			t.Fatalf("reading a hanging body: err = %v, want a deadline error", err)
		}
	})
}

func TestTransportRequestsPerHost(t *testing.T) {
	a := newServer(t, statuses(200))
	b := newServer(t, statuses(500, 200))
	tr := crawler.NewTransport(fastOptions())
	c := &http.Client{Transport: tr}
	for _, u := range []string{a.URL, a.URL, b.URL} {
		if _, _, err := get(t.Context(), c, u); err != nil {
			t.Fatal(err)
		}
	}
	got := tr.Requests()
	if got[a.host()] != 2 || got[b.host()] != 2 || len(got) != 2 {
		t.Errorf("Requests() = %v, want 2 for %s and 2 for %s", got, a.host(), b.host())
	}
}
