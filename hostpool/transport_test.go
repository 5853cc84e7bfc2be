package hostpool_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/paperlist/paperlist/hostpool"
)

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
			tr := hostpool.New(fastOptions())
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
			st := tr.Stats()[s.key()]
			if st.Requests != tt.wantRequests || st.Retries != tt.wantRequests-1 {
				t.Errorf("stats = %+v, want %d requests, %d retries", st, tt.wantRequests, tt.wantRequests-1)
			}
		})
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
	tr := hostpool.New(opts)
	for i := range 2 {
		if code, _, err := get(t.Context(), &http.Client{Transport: tr}, s.URL); err != nil || code != 200 {
			t.Errorf("request %d: %d, %v", i+1, code, err)
		}
	}
}

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
			resp, err := (&http.Client{Transport: hostpool.New(fastOptions())}).Do(req)
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
			opts.Hosts = map[hostpool.Host]hostpool.Policy{s.key(): {Concurrency: 1}}
			c := &http.Client{Transport: hostpool.New(opts)}
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
		policy hostpool.Policy
		handle func(w http.ResponseWriter)
	}{
		{"during a retry-after pause", hostpool.Policy{}, func(w http.ResponseWriter) {
			w.Header().Set("Retry-After", "3600")
			w.WriteHeader(http.StatusServiceUnavailable)
		}},
		{"during the interval", hostpool.Policy{Interval: time.Hour}, func(w http.ResponseWriter) {
			w.WriteHeader(http.StatusOK)
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newServer(t, func(_ int, w http.ResponseWriter, _ *http.Request) { tt.handle(w) })
			opts := fastOptions()
			opts.MaxWait = 2 * time.Hour
			opts.Default = tt.policy
			c := &http.Client{Transport: hostpool.New(opts)}
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
		status, body, err := get(t.Context(), &http.Client{Transport: hostpool.New(opts)}, s.URL)
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
		_, _, err := get(t.Context(), &http.Client{Transport: hostpool.New(opts)}, s.URL)
		if !errors.Is(err, context.DeadlineExceeded) {
			t.Fatalf("reading a hanging body: err = %v, want a deadline error", err)
		}
	})
}

func TestTransportRequestsPerHost(t *testing.T) {
	a := newServer(t, statuses(200))
	b := newServer(t, statuses(500, 200))
	tr := hostpool.New(fastOptions())
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
