package paperlist

import "errors"

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
