package paperlist

import (
	"errors"
	"time"
)

// Errors of the transport that paces and retries the requests to a host,
// which sources wrap and the engine tests with errors.Is to stop a source
// for the rest of the run.
var (
	// ErrWaitTooLong marks a request not sent because its host asked for a
	// wait longer than the run allows (by Retry-After, a used-up quota or
	// a secondary rate limit): the host is stopped for the rest of the run
	// and every later request to it fails at once with the same error.
	ErrWaitTooLong = errors.New("wait too long")
	// ErrHostDown marks a request to a host that failed every attempt of a
	// whole series without an answer (connection errors, timeouts): the
	// host counts as down for the rest of the run, and later requests to it
	// fail at once instead of paying the retries again.
	ErrHostDown = errors.New("host down")
)

// RateLimit is what one answer says of the rate limits of the host that
// sent it, as read by the source that knows the host's headers, for the
// transport to pace and wait by.
type RateLimit struct {
	// Limit, Remaining and Reset are the quota the answer tells: Remaining
	// of Limit requests are left until Reset. Reset is zero when the answer
	// tells no quota (Limit is 0 when it tells no limit).
	Limit, Remaining int
	Reset            time.Time
	// Exceeded says the answer refuses the request for a rate limit: the
	// quota (the primary limit: Remaining is 0 until Reset) unless
	// Secondary is set.
	Exceeded bool
	// Secondary says the refusal is for a limit other than the quota, which
	// is waited out by Retry-After or else by a backoff of its own.
	Secondary bool
}

// QuotaUsedUp reports whether the answer refuses the request because the
// quota is used up until a known reset.
func (r RateLimit) QuotaUsedUp() bool {
	return r.Exceeded && !r.Secondary && !r.Reset.IsZero()
}
