package hostpool_test

import (
	"errors"
	"io"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"

	"github.com/paperlist/paperlist"
	"github.com/paperlist/paperlist/hostpool"
)

func TestTransportRetryAfterHonoured(t *testing.T) {
	for _, tc := range []struct {
		name, value string
		want        time.Duration
	}{
		{"in seconds", "90", 90 * time.Second},
		// The fake clock starts on a whole second, so the date loses nothing.
		{"as a date", newFakeClock().Now().Add(2 * time.Minute).Format(http.TimeFormat), 2 * time.Minute},
	} {
		t.Run(tc.name, func(t *testing.T) {
			clock := newFakeClock()
			s := newServerAt(t, clock.Now, func(n int, w http.ResponseWriter, _ *http.Request) {
				if n == 1 {
					w.Header().Set("Retry-After", tc.value)
					w.WriteHeader(http.StatusServiceUnavailable)
					return
				}
				w.WriteHeader(http.StatusOK)
			})
			tr := hostpool.New(fakeOptions(clock))
			status, _, err := get(t.Context(), &http.Client{Transport: tr}, s.URL)
			if err != nil || status != 200 {
				t.Fatalf("status %d, err %v", status, err)
			}
			at := s.times()
			if gap := at[1].Sub(at[0]); gap != tc.want {
				t.Errorf("second attempt %v after the first, want the %v of Retry-After", gap, tc.want)
			}
			if w := tr.Stats()[s.key()].Waited; w != tc.want {
				t.Errorf("Stats().Waited = %v, want %v", w, tc.want)
			}
		})
	}
}

func TestTransportWaitTooLong(t *testing.T) {
	farReset := strconv.FormatInt(time.Now().Add(time.Hour).Unix(), 10)
	tests := []struct {
		name   string
		policy hostpool.Policy
		first  func(w http.ResponseWriter)
		// wantReason is in the error: what really stopped the host.
		wantReason string
	}{
		{
			name:       "retry-after beyond max wait",
			wantReason: "asks to wait 1h0m0s, longer than the max wait of 10s",
			policy:     hostpool.Policy{},
			first: func(w http.ResponseWriter) {
				w.Header().Set("Retry-After", "3600")
				w.WriteHeader(http.StatusTooManyRequests)
			},
		},
		{
			name:       "retry-after of days is said as a date",
			wantReason: "asks to wait until 2", // a year: 2026-12-09 15:04 UTC, not 72h0m0s
			policy:     hostpool.Policy{},
			first: func(w http.ResponseWriter) {
				w.Header().Set("Retry-After", strconv.Itoa(3*24*3600))
				w.WriteHeader(http.StatusTooManyRequests)
			},
		},
		{
			name:       "retry-after of centuries is no date",
			wantReason: "asks to wait until more than a year from now",
			policy:     hostpool.Policy{},
			first: func(w http.ResponseWriter) {
				w.Header().Set("Retry-After", "9223372036")
				w.WriteHeader(http.StatusTooManyRequests)
			},
		},
		{
			name:       "primary limit with a far reset",
			wantReason: "has used up its rate-limit quota until",
			policy:     hostpool.Policy{RateLimits: githubLike},
			first: func(w http.ResponseWriter) {
				w.Header().Set("X-RateLimit-Remaining", "0")
				w.Header().Set("X-RateLimit-Reset", farReset)
				w.WriteHeader(http.StatusForbidden)
			},
		},
		{
			name:       "secondary limit without retry-after waits a minute",
			wantReason: "asks to wait 1m0s",
			policy:     hostpool.Policy{RateLimits: githubLike},
			first: func(w http.ResponseWriter) {
				w.WriteHeader(http.StatusForbidden)
				io.WriteString(w, `{"message":"You have exceeded a secondary rate limit."}`)
			},
		},
		{
			name:       "quota used up until a far reset",
			wantReason: "has used up its rate-limit quota until",
			policy:     hostpool.Policy{RateLimits: githubLike, Concurrency: 1},
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
			policy:     hostpool.Policy{RateLimits: githubLike},
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
			tr := hostpool.New(opts)
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
			if tr.Stats()[s.key()].Stopped == "" {
				t.Error("Stats does not say the host stopped")
			}
		})
	}
}

func TestTransportPrimaryLimitWaitsForReset(t *testing.T) {
	clock := newFakeClock()
	reset := clock.Now().Add(5 * time.Minute)
	s := newServerAt(t, clock.Now, func(n int, w http.ResponseWriter, _ *http.Request) {
		if n == 1 {
			w.Header().Set("X-RateLimit-Remaining", "0")
			w.Header().Set("X-RateLimit-Reset", strconv.FormatInt(reset.Unix(), 10))
			w.WriteHeader(http.StatusTooManyRequests)
			return
		}
		w.WriteHeader(http.StatusOK)
	})
	opts := fakeOptions(clock)
	opts.Default = hostpool.Policy{RateLimits: githubLike}
	status, _, err := get(t.Context(), &http.Client{Transport: hostpool.New(opts)}, s.URL)
	if err != nil || status != 200 {
		t.Fatalf("status %d, err %v", status, err)
	}
	if at := s.times()[1]; !at.Equal(reset) {
		t.Errorf("retried at %v, want at the reset %v", at, reset)
	}
}

// TestTransportSecondaryLimitPausesEveryWorker runs in a synctest bubble:
// its clock stands still while the test sends the other request, so that
// request meets the pause whatever the scheduling.
func TestTransportSecondaryLimitPausesEveryWorker(t *testing.T) {
	const pause = time.Minute
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
			synctest.Test(t, func(t *testing.T) {
				var limitedAt, other time.Time
				var n atomic.Int64
				base := &inMemory{h: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
					if r.URL.Path == "/first" && n.Add(1) == 1 {
						limitedAt = time.Now()
						tt.limit(w)
						return
					}
					if r.URL.Path == "/other" {
						other = time.Now()
					}
					w.WriteHeader(http.StatusOK)
				})}
				msgs := make(chan string, 16)
				opts := hostpool.Options{
					Base:          base,
					Default:       hostpool.Policy{RateLimits: githubLike, Concurrency: 4},
					MaxWait:       10 * time.Minute,
					SecondaryWait: pause,
					Logger:        slog.New(signalHandler{msgs}),
				}
				c := &http.Client{Transport: hostpool.New(opts)}
				const u = "https://api.github.com"

				firstDone := make(chan error, 1)
				go func() {
					_, _, err := get(t.Context(), c, u+"/first")
					firstDone <- err
				}()
				if m := <-msgs; m != "retrying" {
					t.Fatalf("log %q, want the retry", m)
				}
				// The first worker is now waiting out the limit: another one
				// must wait as long.
				if status, _, err := get(t.Context(), c, u+"/other"); err != nil || status != 200 {
					t.Fatalf("other: status %d, err %v", status, err)
				}
				if err := <-firstDone; err != nil {
					t.Fatal(err)
				}
				if gap := other.Sub(limitedAt); gap != pause {
					t.Errorf("other worker sent %v after the limit, want %v", gap, pause)
				}
			})
		})
	}
}

func TestTransportSecondaryLimitBacksOffExponentially(t *testing.T) {
	clock := newFakeClock()
	s := newServerAt(t, clock.Now, func(_ int, w http.ResponseWriter, _ *http.Request) {
		w.WriteHeader(http.StatusForbidden)
		io.WriteString(w, `{"message":"You have triggered an abuse detection mechanism."}`)
	})
	opts := fakeOptions(clock)
	opts.Default = hostpool.Policy{RateLimits: githubLike}
	opts.SecondaryWait = time.Minute
	opts.MaxWait = 90 * time.Second // the first wait fits, the doubled one does not
	_, _, err := get(t.Context(), &http.Client{Transport: hostpool.New(opts)}, s.URL)
	if !errors.Is(err, paperlist.ErrWaitTooLong) {
		t.Fatalf("err = %v, want ErrWaitTooLong after the doubled wait", err)
	}
	if !strings.Contains(err.Error(), "asks to wait 2m0s") {
		t.Errorf("err = %v, want the doubled wait of 2m0s", err)
	}
	if s.count() != 2 {
		t.Errorf("server saw %d requests, want 2", s.count())
	}
	if at := s.times(); at[1].Sub(at[0]) != time.Minute {
		t.Errorf("second request %v after the first, want the first wait of 1m0s", at[1].Sub(at[0]))
	}
}
