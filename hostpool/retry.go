package hostpool

// When an attempt is tried again, and how long it waits first: backoff,
// Retry-After, and the rate limits of the host's policy.

import (
	"context"
	"fmt"
	"math/rand/v2"
	"net/http"
	"time"

	"github.com/paperlist/paperlist"
)

// verdict is what the transport makes of an answer.
type verdict struct {
	// wait is how long the host asked every request to it to wait first;
	// 0 means the ordinary backoff before a retry.
	wait  time.Duration
	retry bool
	// quota says that wait is the reset of a used-up quota.
	quota bool
	// stop, when set, is why the answer stops the host instead.
	stop string
}

// classify tells whether an answer is to be retried and after what wait,
// from its status, its Retry-After and what the host's policy read of its
// rate limits.
func (t *Transport) classify(h *hostState, resp *http.Response, rl paperlist.RateLimit, now time.Time) verdict {
	code := resp.StatusCode
	if rl.QuotaUsedUp() {
		// The primary limit: wait for the reset, whatever else it says.
		return verdict{wait: max(rl.Reset.Sub(now), time.Millisecond), retry: true, quota: true}
	}
	ra, raState := paperlist.ParseRetryAfter(resp.Header.Get("Retry-After"), now)
	if raState == paperlist.RetryAfterInvalid && (rl.Exceeded || code == http.StatusTooManyRequests || code >= 500) {
		// A negative or overflowing wait is no wait at all: counting it as
		// one longer than any max wait beats backing off blindly.
		return verdict{stop: fmt.Sprintf("sent Retry-After %q, which is no wait: taken as longer than the max wait of %s",
			resp.Header.Get("Retry-After"), t.opts.MaxWait)}
	}
	hasRA := raState == paperlist.RetryAfterOK
	switch {
	case rl.Exceeded && hasRA:
		return verdict{wait: max(ra, time.Millisecond), retry: true}
	case rl.Exceeded:
		return verdict{wait: h.nextSecondary(t.opts.SecondaryWait), retry: true}
	case code == http.StatusTooManyRequests || code >= 500:
		if hasRA && ra > 0 {
			return verdict{wait: ra, retry: true}
		}
		return verdict{retry: true}
	}
	return verdict{}
}

// backoffDelay is how long to wait before attempt+1 after attempt failed
// with no wait told: it grows from the host's interval up, at least twice
// the interval after the first failure and doubling after each further
// one (or from BaseDelay, when that is longer), up to MaxDelay. The jitter,
// up to half the delay, only ever adds to it: a backoff that could come
// sooner than twice the interval would be barely slower than the host's
// ordinary pace.
func (t *Transport) backoffDelay(h *hostState, attempt int) time.Duration {
	shift := min(max(attempt-1, 0), 30)
	floor := max(t.opts.BaseDelay<<shift, h.policy.Interval<<(shift+1))
	if floor <= 0 || floor > t.opts.MaxDelay {
		floor = t.opts.MaxDelay
	}
	// Past MaxDelay only the twice-the-interval rule may keep it longer.
	floor = max(floor, 2*h.policy.Interval)
	return floor + time.Duration(rand.Int64N(int64(floor/2)+1))
}

// backoff waits before the next attempt after a failure to get an answer.
func (t *Transport) backoff(ctx context.Context, h *hostState, attempt int) error {
	d := t.backoffDelay(h, attempt)
	// The network going down ends the wait: the next attempt is not made.
	wctx, cancel := context.WithCancel(ctx)
	defer cancel()
	defer context.AfterFunc(t.net.downCtx, cancel)()
	if err := t.clock.Sleep(wctx, d); err != nil {
		if ctx.Err() == nil {
			if down := t.held(h); down != nil {
				return down
			}
		}
		return err
	}
	h.addWaited(d)
	return nil
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
