package crawler

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"sync"
	"time"
)

// Defaults of TransportOptions for fields left zero.
const (
	DefaultMaxAttempts   = 5
	DefaultBaseDelay     = time.Second
	DefaultMaxDelay      = time.Minute
	DefaultSecondaryWait = time.Minute
)

// peekLimit bounds how much of a 403 body is read to tell a secondary rate
// limit from a plain refusal.
const peekLimit = 4 << 10

// HostPolicy is how requests to one host are spaced and limited.
type HostPolicy struct {
	// Interval is the minimum spacing between request starts to the host,
	// retries included; 0 means no spacing.
	Interval time.Duration
	// Concurrency is the most requests in flight to the host at once, a
	// request being in flight until its response body is closed; 0 means
	// unlimited.
	Concurrency int
	// RateLimitHeaders makes the transport read GitHub-style
	// X-RateLimit-Remaining and X-RateLimit-Reset headers, pace requests by
	// them, and recognise GitHub's primary and secondary rate limits.
	RateLimitHeaders bool
}

// TransportOptions configure a Transport.
type TransportOptions struct {
	// Base sends the requests; nil means a clone of http.DefaultTransport.
	Base http.RoundTripper
	// Hosts are the policies by host, as in req.URL.Host (with the port
	// when the URL has one); Default is the policy of every other host.
	Hosts   map[string]HostPolicy
	Default HostPolicy
	// MaxAttempts bounds the attempts of one request (DefaultMaxAttempts
	// when zero).
	MaxAttempts int
	// BaseDelay and MaxDelay shape the exponential backoff with full jitter
	// between attempts (DefaultBaseDelay and DefaultMaxDelay when zero).
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
	// zero means no timeout of its own.
	Timeout time.Duration
	// Logger receives a Debug line per retry and a Warn line when a host is
	// stopped; nil discards them.
	Logger *slog.Logger
}

// HostStats are the counters of one host.
type HostStats struct {
	// Requests counts every attempt sent, retries included.
	Requests int
	// Retries counts attempts after the first of each request.
	Retries int
	// Waited is the time spent waiting for spacing, pauses and backoff.
	Waited time.Duration
	// Stopped is the reason the host was stopped, empty when it was not.
	Stopped string
}

// Transport is an http.RoundTripper that applies one retry and rate-limit
// policy to every request: per-host spacing and concurrency, retries with
// backoff on connection errors, timeouts, 429 and 5xx, Retry-After, and
// GitHub-style rate limits. It is safe for concurrent use.
type Transport struct {
	opts TransportOptions
	base http.RoundTripper
	log  *slog.Logger

	mu    sync.Mutex
	hosts map[string]*hostState
}

// NewTransport returns a Transport with the given options.
func NewTransport(opts TransportOptions) *Transport {
	if opts.MaxAttempts <= 0 {
		opts.MaxAttempts = DefaultMaxAttempts
	}
	if opts.BaseDelay <= 0 {
		opts.BaseDelay = DefaultBaseDelay
	}
	if opts.MaxDelay <= 0 {
		opts.MaxDelay = DefaultMaxDelay
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
	return &Transport{opts: opts, base: base, log: log, hosts: map[string]*hostState{}}
}

// Requests returns the number of attempts sent per host.
func (t *Transport) Requests() map[string]int {
	out := map[string]int{}
	for name, s := range t.Stats() {
		out[name] = s.Requests
	}
	return out
}

// Stats returns the counters of every host the transport has seen.
func (t *Transport) Stats() map[string]HostStats {
	t.mu.Lock()
	hosts := make([]*hostState, 0, len(t.hosts))
	for _, h := range t.hosts {
		hosts = append(hosts, h)
	}
	t.mu.Unlock()
	out := make(map[string]HostStats, len(hosts))
	for _, h := range hosts {
		h.mu.Lock()
		out[h.name] = h.stats
		h.mu.Unlock()
	}
	return out
}

// attemptError is the error of a request whose attempts all failed to get
// a response; Attempts lets the crawler record how many were made.
type attemptError struct {
	attempts int
	err      error
}

func (e *attemptError) Error() string {
	return fmt.Sprintf("%v (after %d attempts)", e.err, e.attempts)
}
func (e *attemptError) Unwrap() error { return e.err }

// Attempts returns the number of attempts made.
func (e *attemptError) Attempts() int { return e.attempts }

// RoundTrip implements http.RoundTripper.
func (t *Transport) RoundTrip(req *http.Request) (*http.Response, error) {
	ctx := req.Context()
	h := t.host(req.URL.Host)
	maxAttempts := t.opts.MaxAttempts
	if req.Body != nil && req.Body != http.NoBody && req.GetBody == nil {
		// The body cannot be sent twice.
		maxAttempts = 1
	}
	for attempt := 1; ; attempt++ {
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
				return nil, fmt.Errorf("crawler: %s: rewind request body: %w", h.name, err)
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
			if attempt >= maxAttempts {
				if attempt >= t.opts.MaxAttempts {
					err = t.down(h, err)
				}
				return nil, &attemptError{attempts: attempt, err: err}
			}
			t.log.Debug("retrying", "host", h.name, "attempt", attempt, "err", err)
			if err := t.backoff(ctx, h, attempt); err != nil {
				return nil, err
			}
			continue
		}

		now := time.Now()
		h.observe(resp.Header, now)
		wait, retry, why := t.classify(h, resp, now)
		if why != "" {
			discard(resp.Body)
			done()
			return nil, t.stop(h, why)
		}
		if wait > 0 {
			// The wait holds every request to the host, this one's next
			// attempt included.
			if err := t.pause(h, now.Add(wait), wait, primaryLimit(h, resp)); err != nil {
				discard(resp.Body)
				done()
				return nil, err
			}
		}
		if !retry || attempt >= maxAttempts {
			if resp.StatusCode < 400 {
				h.succeeded()
			}
			resp.Body = &attemptBody{ReadCloser: resp.Body, done: done}
			return resp, nil
		}
		discard(resp.Body)
		done()
		t.log.Debug("retrying", "host", h.name, "attempt", attempt, "status", resp.StatusCode, "wait", wait)
		if wait == 0 {
			if err := t.backoff(ctx, h, attempt); err != nil {
				return nil, err
			}
		}
	}
}

// classify tells whether a response is to be retried, and how long the
// host asked every request to it to wait first (0: ordinary backoff); why
// is set when the answer stops the host instead.
func (t *Transport) classify(h *hostState, resp *http.Response, now time.Time) (wait time.Duration, retry bool, why string) {
	code := resp.StatusCode
	ra, raState := readRetryAfter(resp.Header, now)
	hasRA := raState == retryAfterOK
	limited := h.policy.RateLimitHeaders && (code == http.StatusForbidden || code == http.StatusTooManyRequests)
	if limited && resp.Header.Get("X-RateLimit-Remaining") == "0" {
		if reset, ok := resetTime(resp.Header); ok {
			// The primary limit: wait for the reset.
			return max(reset.Sub(now), time.Millisecond), true, ""
		}
	}
	if raState == retryAfterInvalid && (limited || code == http.StatusTooManyRequests || code >= 500) {
		// A negative or overflowing wait is no wait at all: counting it as
		// one longer than any max wait beats backing off blindly.
		return 0, false, fmt.Sprintf("sent Retry-After %q, which is no wait: taken as longer than the max wait of %s",
			resp.Header.Get("Retry-After"), t.opts.MaxWait)
	}
	if limited {
		if hasRA {
			return max(ra, time.Millisecond), true, ""
		}
		if code == http.StatusTooManyRequests || secondaryBody(resp) {
			return h.nextSecondary(t.opts.SecondaryWait), true, ""
		}
		return 0, false, ""
	}
	if code == http.StatusTooManyRequests || code >= 500 {
		if hasRA && ra > 0 {
			return ra, true, ""
		}
		return 0, true, ""
	}
	return 0, false, ""
}

// primaryLimit reports whether resp refuses a request for a used-up
// quota of GitHub-style rate-limit headers.
func primaryLimit(h *hostState, resp *http.Response) bool {
	_, ok := resetTime(resp.Header)
	return h.policy.RateLimitHeaders && ok && resp.Header.Get("X-RateLimit-Remaining") == "0" &&
		(resp.StatusCode == http.StatusForbidden || resp.StatusCode == http.StatusTooManyRequests)
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

// sleep waits for d or until ctx is done.
func sleep(ctx context.Context, d time.Duration) error {
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
