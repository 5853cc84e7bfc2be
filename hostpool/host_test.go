package hostpool_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"

	"github.com/paperlist/paperlist/hostpool"
)

// TestTransportSpacingBetweenEverySend runs its workers in a synctest
// bubble, whose clock moves only when every goroutine waits: a send is
// noted at the very time the transport let it go, so the spacing is
// checked exactly, with no allowance for a busy machine.
func TestTransportSpacingBetweenEverySend(t *testing.T) {
	const interval = 3 * time.Second
	tests := []struct {
		name    string
		policy  hostpool.Policy
		workers int
		// codes are the answers to each worker's attempts in turn, the
		// last repeated. They go by attempt, not by arrival, so that
		// the count of sends does not depend on the order in which
		// the jittered retries of different workers arrive.
		codes     []int
		wantSends int
		// late makes every other sleep end 1.3 s late, as a goroutine
		// woken late on a busy machine.
		late bool
	}{
		{"concurrent requests", hostpool.Policy{Interval: interval}, 10, []int{200}, 10, false},
		{"retries included", hostpool.Policy{Interval: interval}, 4, []int{503, 200}, 8, false},
		{"one at a time, as arXiv", hostpool.Policy{Interval: interval, Concurrency: 1}, 3, []int{503, 500, 200}, 9, false},
		{"after a Retry-After pause", hostpool.Policy{Interval: interval}, 3, []int{429, 200}, 6, false},
		{"waiters that wake late", hostpool.Policy{Interval: interval}, 6, []int{200}, 6, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				var mu sync.Mutex
				attempts := make(map[string]int)
				base := &inMemory{h: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
					mu.Lock()
					attempts[r.URL.RawQuery]++
					code := tt.codes[min(attempts[r.URL.RawQuery], len(tt.codes))-1]
					mu.Unlock()
					if code == http.StatusTooManyRequests {
						w.Header().Set("Retry-After", "1")
					}
					w.WriteHeader(code)
				})}
				opts := hostpool.Options{Base: base, Default: tt.policy, MaxAttempts: 3, MaxWait: time.Minute}
				if tt.late {
					opts.Clock = &lateClock{late: 1300 * time.Millisecond}
				}
				c := &http.Client{Transport: hostpool.New(opts)}
				var wg sync.WaitGroup
				for w := range tt.workers {
					wg.Go(func() {
						if _, _, err := get(t.Context(), c, fmt.Sprintf("https://export.arxiv.org/api/query?worker=%d", w)); err != nil {
							t.Error(err)
						}
					})
				}
				wg.Wait()
				sends := base.times()
				if len(sends) != tt.wantSends {
					t.Fatalf("%d sends, want %d", len(sends), tt.wantSends)
				}
				for i := 1; i < len(sends); i++ {
					if gap := sends[i].Sub(sends[i-1]); gap < interval {
						t.Errorf("send %d came %v after the one before, want at least %v", i+1, gap, interval)
					}
				}
				if tt.name == "concurrent requests" {
					// No time is lost either: one send an interval.
					if span, want := sends[len(sends)-1].Sub(sends[0]), time.Duration(len(sends)-1)*interval; span > want+time.Millisecond {
						t.Errorf("%d sends took %v, want %v", len(sends), span, want)
					}
				}
			})
		})
	}
}

// lateClock is the wall clock (of a synctest bubble) with every other
// sleep ending late.
type lateClock struct {
	late  time.Duration
	calls atomic.Int64
}

func (c *lateClock) Now() time.Time { return time.Now() }

func (c *lateClock) Sleep(ctx context.Context, d time.Duration) error {
	if c.calls.Add(1)%2 == 0 {
		d += c.late
	}
	select {
	case <-time.After(d):
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// inMemory is a base transport that answers with h in memory and notes the
// time of each send.
type inMemory struct {
	h     http.Handler
	mu    sync.Mutex
	sends []time.Time
}

func (m *inMemory) RoundTrip(r *http.Request) (*http.Response, error) {
	m.mu.Lock()
	m.sends = append(m.sends, time.Now())
	m.mu.Unlock()
	rec := httptest.NewRecorder()
	m.h.ServeHTTP(rec, r)
	resp := rec.Result()
	resp.Request = r
	return resp, nil
}

func (m *inMemory) times() []time.Time {
	m.mu.Lock()
	defer m.mu.Unlock()
	return slices.Clone(m.sends)
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
	opts.Hosts = map[hostpool.Host]hostpool.Policy{s.key(): {Concurrency: 2}}
	c := &http.Client{Transport: hostpool.New(opts)}
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

// TestTransportBackoffHoldsTheHost checks that after an overloaded answer
// with no Retry-After the next request to the host, a retry or another
// worker's, waits at least twice the host's interval, however the jitter
// falls.
func TestTransportBackoffHoldsTheHost(t *testing.T) {
	const interval = 200 * time.Millisecond
	for _, code := range []int{http.StatusTooManyRequests, http.StatusServiceUnavailable} {
		t.Run(http.StatusText(code), func(t *testing.T) {
			for range 20 {
				synctest.Test(t, func(t *testing.T) {
					var n atomic.Int64
					base := &inMemory{h: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
						if n.Add(1) == 1 {
							w.WriteHeader(code)
						}
					})}
					c := &http.Client{Transport: hostpool.New(hostpool.Options{
						Base: base, Default: hostpool.Policy{Interval: interval},
						MaxAttempts: 3, BaseDelay: time.Millisecond, MaxDelay: time.Minute, MaxWait: time.Minute,
					})}
					var wg sync.WaitGroup
					for w := range 3 {
						wg.Go(func() {
							if _, _, err := get(t.Context(), c, fmt.Sprintf("https://api.example.org/x?worker=%d", w)); err != nil {
								t.Error(err)
							}
						})
					}
					wg.Wait()
					sends := base.times()
					if len(sends) != 4 {
						t.Fatalf("%d sends, want 4", len(sends))
					}
					if gap := sends[1].Sub(sends[0]); gap < 2*interval {
						t.Errorf("the next send came %v after the %d, want at least %v", gap, code, 2*interval)
					}
					if gap := sends[1].Sub(sends[0]); gap > 3*interval {
						t.Errorf("the next send came %v after the %d, want at most %v (jitter of half the backoff)", gap, code, 3*interval)
					}
				})
			}
		})
	}
}
