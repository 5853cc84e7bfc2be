// What tests inject into the server (failures, limits) and read back from
// it (the request log, the quota used).

package githubtest

import (
	"maps"
	"time"
)

// SecondaryNext answers the next n requests with a secondary rate limit
// (403, or 429 with Options.SecondaryAs429), with the Retry-After header
// when retryAfter is not empty.
func (s *Server) SecondaryNext(n int, retryAfter string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.secN, s.secRetry = n, retryAfter
}

// FailNext answers the next n requests with status, such as 502.
func (s *Server) FailNext(n, status int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.failN, s.failCode = n, status
}

// Requests returns a copy of the request log, oldest first.
func (s *Server) Requests() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Request, len(s.log))
	for i, r := range s.log {
		r.Header = r.Header.Clone()
		r.Variables = maps.Clone(r.Variables)
		out[i] = r
	}
	return out
}

// QuotaUsed is the primary quota all requests took since the server
// started or was Reset.
func (s *Server) QuotaUsed() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.usedTotal
}

// Reset clears the request log, the quota used and any injected failures;
// the repositories stay.
func (s *Server) Reset() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.log = nil
	s.used = make(map[string]int)
	s.windowEnd = time.Time{}
	s.usedTotal = 0
	s.failN, s.secN = 0, 0
	s.gqlUsed = make(map[string]int)
	s.gqlUsedTotal, s.gqlLimitedN, s.heavyOver = 0, 0, 0
}

// answer is a response being built under the lock and written after it.
