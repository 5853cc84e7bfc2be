// Package hostpool is an http.RoundTripper that paces and retries the
// requests to each host by a policy of its own: spacing between sends,
// requests in flight, retries with backoff, Retry-After, and the rate
// limits a host tells in its answers, read by a hook of its policy.
//
// It is the crawler's adapter to the outside world: it knows HTTP, not the
// sources, and imports only the standard library, golang.org/x/time/rate
// and the root package (for the sentinel errors and paperlist.RateLimit).
package hostpool

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"sync"
	"time"

	"github.com/paperlist/paperlist"
)

// Defaults of Options for fields left zero.
const (
	DefaultMaxAttempts   = 5
	DefaultBaseDelay     = time.Second
	DefaultMaxDelay      = time.Minute
	DefaultSecondaryWait = time.Minute
)

// Policy is how requests to one host are spaced and limited.
type Policy struct {
	// Interval is the minimum spacing between sends to the host, retries
	// included; 0 means no spacing.
	Interval time.Duration
	// Concurrency is the most requests in flight to the host at once, a
	// request being in flight until its response body is closed or read
	// to its end; 0 means unlimited.
	Concurrency int
	// RateLimits reads what an answer of the host says of its rate limits
	// (its quota, and whether it refuses the request for a limit); the
	// transport paces requests by the quota, waits for its reset when it is
	// used up, and backs off a secondary limit. Nil for a host that tells
	// none. The function may read a refusal's body if it puts it back.
	RateLimits func(*http.Response) paperlist.RateLimit
	// Resource names the rate-limit budget a request spends, for a host
	// with more than one: the requests of each resource keep their own
	// quota, pauses, stop and slots, so that one used-up budget holds its
	// own requests only (GitHub's REST core quota and its GraphQL points).
	// Nil, or "", is the host's one budget.
	Resource func(*http.Request) string
	// NoServerRetry reports whether a 502, 503 or 504 answer to a request
	// is handed back at once instead of retried: for a caller with a
	// better remedy than sending the same request again (a GraphQL client
	// halves a batch that timed out). Nil retries every request.
	NoServerRetry func(*http.Request) bool
	// Group names the service the host belongs to: when a host of a group
	// fails to connect ConnectAttempts times before any answer, every host
	// of the group is given up with it (arXiv's export API and its abstract
	// pages are one service behind one network). "" is a group of one.
	Group string
}

// Options configure a Transport.
type Options struct {
	// Base sends the requests; nil means a clone of http.DefaultTransport.
	Base http.RoundTripper
	// Hosts are the policies by host; Default is the policy of every other
	// host.
	Hosts   map[Host]Policy
	Default Policy
	// MaxAttempts bounds the attempts of one request (DefaultMaxAttempts
	// when zero).
	MaxAttempts int
	// BaseDelay and MaxDelay shape the exponential backoff between
	// attempts (DefaultBaseDelay and DefaultMaxDelay when zero): it starts
	// at the larger of BaseDelay and twice the host's Interval, doubles,
	// and its jitter only adds to it.
	BaseDelay, MaxDelay time.Duration
	// MaxWait is the longest wait a host may ask for (by Retry-After, a
	// rate-limit reset or a secondary limit); a longer one is not waited and
	// stops the host for the rest of the run. Zero means no such wait is
	// accepted at all. Backoff between attempts (bounded by MaxDelay) and
	// Interval spacing are not subject to it.
	MaxWait time.Duration
	// SecondaryWait is the first wait after a secondary rate limit that
	// came without Retry-After; it doubles on each further one until a
	// request succeeds (DefaultSecondaryWait when zero).
	SecondaryWait time.Duration
	// Timeout bounds each attempt, reading the response body included;
	// zero means no timeout of its own. It runs on the wall clock.
	Timeout time.Duration
	// ConnectAttempts bounds the attempts of a request to a host that has
	// not answered this run and fails to connect (DNS, refused, no route,
	// proxy): after them the host is down for the run
	// (DefaultConnectAttempts when zero). When no host has answered and
	// two fail that way, the network is down: every request ends at once.
	ConnectAttempts int
	// Logger receives a Debug line per retry and a Warn line when a host is
	// stopped; nil discards them.
	Logger *slog.Logger
	// Clock is the time the transport reads and waits by (spacing, pauses,
	// backoff, rate-limit resets); nil means the wall clock. Tests give one
	// that does not wait.
	Clock Clock
}

// Clock is the time a Transport reads and waits by.
type Clock interface {
	Now() time.Time
	// Sleep waits for d, or until ctx is done and then returns ctx.Err().
	Sleep(ctx context.Context, d time.Duration) error
}

// Transport is an http.RoundTripper that applies one retry and rate-limit
// policy to every request: per-host spacing and concurrency, retries with
// backoff on connection errors, timeouts, 429 and 5xx, Retry-After, and the
// rate limits a host's policy reads. It is safe for concurrent use.
type Transport struct {
	opts  Options
	base  http.RoundTripper
	log   *slog.Logger
	clock Clock

	mu    sync.Mutex
	hosts map[stateKey]*hostState
	net   network
}

// stateKey is what a hostState is kept by: a host and one of its rate-limit
// resources ("" for the host's one budget).
type stateKey struct {
	host     Host
	resource string
}

// New returns a Transport with the given options.
func New(opts Options) *Transport {
	if opts.MaxAttempts <= 0 {
		opts.MaxAttempts = DefaultMaxAttempts
	}
	if opts.BaseDelay <= 0 {
		opts.BaseDelay = DefaultBaseDelay
	}
	if opts.MaxDelay <= 0 {
		opts.MaxDelay = DefaultMaxDelay
	}
	if opts.ConnectAttempts <= 0 {
		opts.ConnectAttempts = DefaultConnectAttempts
	}
	if opts.SecondaryWait <= 0 {
		opts.SecondaryWait = DefaultSecondaryWait
	}
	base := opts.Base
	if base == nil {
		base = http.DefaultTransport.(*http.Transport).Clone()
	}
	log := opts.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	clock := opts.Clock
	if clock == nil {
		clock = wallClock{}
	}
	return &Transport{opts: opts, base: base, log: log, clock: clock, hosts: map[stateKey]*hostState{}, net: newNetwork()}
}

// RoundTrip implements http.RoundTripper.
func (t *Transport) RoundTrip(req *http.Request) (*http.Response, error) {
	ctx := req.Context()
	h := t.host(req)
	maxAttempts := t.opts.MaxAttempts
	if req.Body != nil && req.Body != http.NoBody && req.GetBody == nil {
		// The body cannot be sent twice.
		maxAttempts = 1
	}
	for attempt := 1; ; attempt++ {
		if err := t.held(h); err != nil {
			closeBody(req)
			return nil, err
		}
		if err := t.acquire(ctx, h); err != nil {
			closeBody(req)
			return nil, err
		}
		actx, cancel := ctx, context.CancelFunc(func() {})
		if t.opts.Timeout > 0 {
			actx, cancel = context.WithTimeout(ctx, t.opts.Timeout)
		}
		r := req.Clone(actx)
		if attempt > 1 && req.GetBody != nil {
			body, err := req.GetBody()
			if err != nil {
				cancel()
				h.release()
				return nil, fmt.Errorf("hostpool: %s: rewind request body: %w", h.name(), err)
			}
			r.Body = body
		}
		h.count(attempt)
		done := func() { cancel(); h.release() }

		resp, err := t.base.RoundTrip(r)
		if err != nil {
			h.unanswered()
			done()
			if ctx.Err() != nil {
				return nil, ctx.Err()
			}
			if ConnectFailure(err) {
				if end := t.connectFailed(h, attempt, err); end != nil {
					return nil, &attemptError{attempts: attempt, err: end}
				}
			}
			if attempt >= maxAttempts {
				if attempt >= t.opts.MaxAttempts {
					err = t.down(h, err)
				}
				return nil, &attemptError{attempts: attempt, err: err}
			}
			t.log.Debug("retrying", "host", h.name(), "attempt", attempt, "err", err)
			if err := t.backoff(ctx, h, attempt); err != nil {
				return nil, err
			}
			continue
		}

		now := t.clock.Now()
		rl := h.observe(resp, now)
		t.heard(h)
		v := t.classify(h, resp, rl, now)
		if v.stop != "" {
			discard(resp.Body)
			done()
			return nil, t.stop(h, v.stop)
		}
		if v.wait > 0 {
			// The wait holds every request to the host, this one's next
			// attempt included.
			if err := t.pause(h, now.Add(v.wait), v.wait, v.quota); err != nil {
				discard(resp.Body)
				done()
				return nil, err
			}
		}
		if v.retry && !rl.Exceeded && serverTimeout(resp.StatusCode) &&
			h.policy.NoServerRetry != nil && h.policy.NoServerRetry(req) {
			v.retry = false
		}
		if !v.retry || attempt >= maxAttempts {
			if resp.StatusCode < 400 {
				h.succeeded()
			}
			resp.Body = &attemptBody{ReadCloser: resp.Body, done: done}
			return resp, nil
		}
		discard(resp.Body)
		done()
		t.log.Debug("retrying", "host", h.name(), "attempt", attempt, "status", resp.StatusCode, "wait", v.wait)
		if v.wait == 0 {
			// An overloaded host (429, 5xx) that named no wait holds
			// every request to it, not just this retry: the others
			// would add to the load it refused.
			h.backOff(now.Add(t.backoffDelay(h, attempt)))
		}
	}
}

// attemptBody ends an attempt (its timeout and its slot) when the body is
// closed or read to its end. The end counts too because some clients read
// a body to EOF and close another: go-github's CheckResponse swaps an error
// response's body for an in-memory copy, so the body it closes is not ours.
type attemptBody struct {
	io.ReadCloser
	once sync.Once
	done func()
}

func (b *attemptBody) Read(p []byte) (int, error) {
	n, err := b.ReadCloser.Read(p)
	if err != nil {
		b.once.Do(b.done)
	}
	return n, err
}

func (b *attemptBody) Close() error {
	err := b.ReadCloser.Close()
	b.once.Do(b.done)
	return err
}

func discard(body io.ReadCloser) {
	_, _ = io.Copy(io.Discard, io.LimitReader(body, 64<<10))
	_ = body.Close()
}

func closeBody(req *http.Request) {
	if req.Body != nil {
		_ = req.Body.Close()
	}
}

// wallClock is the Clock of time.Now and timers.
type wallClock struct{}

func (wallClock) Now() time.Time { return time.Now() }

func (wallClock) Sleep(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	timer := time.NewTimer(d)
	defer timer.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-timer.C:
		return nil
	}
}

// serverTimeout reports whether status is one a server sends when it gave
// up on a request (502, 503, 504).
func serverTimeout(status int) bool {
	return status == http.StatusBadGateway || status == http.StatusServiceUnavailable || status == http.StatusGatewayTimeout
}
