package crawler

import (
	"bytes"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// maxRetryAfterSecs is the largest Retry-After in seconds that a
// time.Duration holds; a larger one overflows.
const maxRetryAfterSecs = int64(1<<63-1) / int64(time.Second)

// RetryAfter reads a Retry-After header, in seconds or as an HTTP date,
// into how long to wait from now. It reports false when there is no
// readable header.
func RetryAfter(h http.Header, now time.Time) (time.Duration, bool) {
	d, state := readRetryAfter(h, now)
	return d, state == retryAfterOK
}

// retryAfterState tells a missing Retry-After from a readable one and from
// one that is a number no wait can be: negative, or beyond a Duration.
type retryAfterState int

const (
	retryAfterNone retryAfterState = iota
	retryAfterOK
	retryAfterInvalid
)

func readRetryAfter(h http.Header, now time.Time) (time.Duration, retryAfterState) {
	v := strings.TrimSpace(h.Get("Retry-After"))
	if v == "" {
		return 0, retryAfterNone
	}
	if isInteger(v) {
		secs, err := strconv.ParseInt(v, 10, 64)
		if err != nil || secs < 0 || secs > maxRetryAfterSecs {
			return 0, retryAfterInvalid
		}
		return time.Duration(secs) * time.Second, retryAfterOK
	}
	at, err := http.ParseTime(v)
	if err != nil {
		return 0, retryAfterNone
	}
	return max(at.Sub(now), 0), retryAfterOK
}

// isInteger reports whether s is digits with an optional sign.
func isInteger(s string) bool {
	s = strings.TrimLeft(s, "+-")
	return s != "" && strings.Trim(s, "0123456789") == ""
}

// secondaryBody peeks at a 403 body for GitHub's secondary-limit message
// and puts back what it read.
func secondaryBody(resp *http.Response) bool {
	if resp.StatusCode != http.StatusForbidden || resp.Body == nil {
		return false
	}
	buf, err := io.ReadAll(io.LimitReader(resp.Body, peekLimit))
	resp.Body = struct {
		io.Reader
		io.Closer
	}{io.MultiReader(bytes.NewReader(buf), readerOrEmpty(err, resp.Body)), resp.Body}
	s := strings.ToLower(string(buf))
	return strings.Contains(s, "secondary rate limit") || strings.Contains(s, "abuse")
}

// readerOrEmpty keeps a read error visible to whoever reads the restored
// body.
func readerOrEmpty(err error, r io.Reader) io.Reader {
	if err != nil {
		return errReader{err}
	}
	return r
}

type errReader struct{ err error }

func (e errReader) Read([]byte) (int, error) { return 0, e.err }

func resetTime(h http.Header) (time.Time, bool) {
	v, err := strconv.ParseInt(strings.TrimSpace(h.Get("X-RateLimit-Reset")), 10, 64)
	if err != nil || v <= 0 {
		return time.Time{}, false
	}
	return time.Unix(v, 0), true
}

// hold is what keeps a host from being sent to.
type hold struct {
	// until is when the host may be sent to again, zero when now.
	until time.Time
	// quota says that the host has no quota left until then, rather than
	// that it asked for a pause.
	quota bool
	// answer, when not nil, is closed at the next answer of a request in
	// flight: the quota is used up only by the count of requests whose
	// answers may yet say that some is left.
	answer <-chan struct{}
}

// holdUntil returns what keeps the host from being sent to now.
func (h *hostState) holdUntil(now time.Time) (hold, error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.stopErr != nil {
		return hold{}, h.stopErr
	}
	var hd hold
	if h.pausedUntil.After(now) {
		hd.until = h.pausedUntil
	}
	if h.haveRemaining && !h.reset.After(now) {
		// The quota was renewed: what is left is unknown until the next
		// response says.
		h.haveRemaining = false
	}
	// remaining counts the requests in flight as spent already, so the
	// reserve kept for them never exceeds what is left: only when nothing
	// is left does the host wait for the reset.
	if h.haveRemaining && h.remaining <= 0 && h.reset.After(hd.until) {
		hd.until, hd.quota = h.reset, true
		if h.inflight > 0 {
			hd.answer = h.answered
		}
	}
	return hd, nil
}

// observe ends the flight of a request that got an answer, and reads the
// rate-limit headers of the answer. The requests still in flight were sent
// against what the headers call remaining and may not be counted in it yet:
// they are taken off, so that the workers never send more than the quota
// allows, however many there are.
func (h *hostState) observe(hd http.Header, now time.Time) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.land()
	if !h.policy.RateLimitHeaders {
		return
	}
	rem, err := strconv.Atoi(strings.TrimSpace(hd.Get("X-RateLimit-Remaining")))
	reset, ok := resetTime(hd)
	if err != nil || !ok || !reset.After(now) {
		return
	}
	h.haveRemaining, h.remaining, h.reset = true, rem-h.inflight, reset
}

// unanswered ends the flight of a request that got no answer.
func (h *hostState) unanswered() {
	h.mu.Lock()
	h.land()
	h.mu.Unlock()
}

// land counts a request out of flight and wakes whoever waits for an
// answer. It runs under h.mu.
func (h *hostState) land() {
	h.inflight--
	if h.answered != nil {
		close(h.answered)
	}
	h.answered = make(chan struct{})
}

func (h *hostState) nextSecondary(first time.Duration) time.Duration {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.secondary == 0 {
		h.secondary = first
	} else {
		h.secondary *= 2
	}
	return h.secondary
}

func (h *hostState) succeeded() {
	h.mu.Lock()
	h.secondary = 0
	h.mu.Unlock()
}
