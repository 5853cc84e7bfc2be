package github

import (
	"bytes"
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/paperlist/paperlist"
)

// peekLimit bounds how much of a 403 body is read to tell a secondary rate
// limit from a plain refusal.
const peekLimit = 4 << 10

// ReadRateLimit reads what an answer of the REST API says of its rate
// limits: the quota of the core resource (X-RateLimit-Limit, -Remaining and
// -Reset), and whether a 403 or 429 refuses the request for the quota
// (Remaining 0 with a reset) or for a secondary limit (a 429, a
// Retry-After, or a body that says so). It is the one place that reads
// GitHub's rate-limit headers: the Client's Rate and RateLimitError, and
// the engine's transport through its host policy, all take them from here.
// The body of a 403 is put back after it is read.
//
// GitHub API docs: https://docs.github.com/rest/using-the-rest-api/rate-limits-for-the-rest-api
func ReadRateLimit(resp *http.Response) paperlist.RateLimit {
	rl := quota(resp.Header)
	if resp.StatusCode != http.StatusForbidden && resp.StatusCode != http.StatusTooManyRequests {
		return rl
	}
	switch {
	case !rl.Reset.IsZero() && rl.Remaining == 0:
		rl.Exceeded = true
	case resp.StatusCode == http.StatusTooManyRequests || resp.Header.Get("Retry-After") != "" || secondaryBody(resp):
		rl.Exceeded, rl.Secondary = true, true
	}
	return rl
}

// quota reads the quota headers of the core resource; it is zero when they
// are not all there or count another resource, whose quota the requests
// do not spend. An answer without X-RateLimit-Resource counts core.
func quota(h http.Header) paperlist.RateLimit {
	if res := h.Get("X-RateLimit-Resource"); res != "" && res != "core" {
		return paperlist.RateLimit{}
	}
	return resourceQuota(h)
}

// graphqlQuota reads the quota headers of the graphql resource; it is zero
// when they are not all there or count another resource.
func graphqlQuota(h http.Header) paperlist.RateLimit {
	if h.Get("X-RateLimit-Resource") != "graphql" {
		return paperlist.RateLimit{}
	}
	return resourceQuota(h)
}

// resourceQuota reads X-RateLimit-Limit, -Remaining and -Reset, whatever
// resource they count; it is zero when Remaining or Reset is missing.
func resourceQuota(h http.Header) paperlist.RateLimit {
	remaining, err1 := strconv.Atoi(strings.TrimSpace(h.Get("X-RateLimit-Remaining")))
	reset, err2 := strconv.ParseInt(strings.TrimSpace(h.Get("X-RateLimit-Reset")), 10, 64)
	if err1 != nil || err2 != nil || reset <= 0 {
		return paperlist.RateLimit{}
	}
	limit, _ := strconv.Atoi(strings.TrimSpace(h.Get("X-RateLimit-Limit")))
	return paperlist.RateLimit{Limit: limit, Remaining: remaining, Reset: time.Unix(reset, 0)}
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
	}{io.MultiReader(bytes.NewReader(buf), readerOrError(err, resp.Body)), resp.Body}
	s := strings.ToLower(string(buf))
	return strings.Contains(s, "secondary rate limit") || strings.Contains(s, "abuse")
}

// readerOrError keeps a read error visible to whoever reads the restored
// body.
func readerOrError(err error, r io.Reader) io.Reader {
	if err != nil {
		return errReader{err}
	}
	return r
}

type errReader struct{ err error }

func (e errReader) Read([]byte) (int, error) { return 0, e.err }

// retryAfter is the wait a Retry-After header asks for, for
// RateLimitError; 0 without one.
func retryAfter(h http.Header) time.Duration {
	d, state := paperlist.ParseRetryAfter(h.Get("Retry-After"), time.Now())
	if state != paperlist.RetryAfterOK {
		return 0
	}
	return d
}

// quotaSeen is a budget as the latest answers told it, for Rate. Answers
// may arrive out of order: a later window, or a lower remaining count
// within the same window, wins. The zero value is no answer yet.
type quotaSeen struct {
	mu               sync.Mutex
	limit, remaining int
	reset            time.Time
}

func (q *quotaSeen) observe(r paperlist.RateLimit) {
	if r.Reset.IsZero() {
		return
	}
	q.mu.Lock()
	defer q.mu.Unlock()
	if r.Reset.After(q.reset) || (r.Reset.Equal(q.reset) && r.Remaining < q.remaining) {
		q.limit, q.remaining, q.reset = r.Limit, r.Remaining, r.Reset
	}
}

func (q *quotaSeen) get() (limit, remaining int, reset time.Time) {
	q.mu.Lock()
	defer q.mu.Unlock()
	return q.limit, q.remaining, q.reset
}
