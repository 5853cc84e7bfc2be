package paperlist

import (
	"errors"
	"time"
)

// State is what the last answer of a source said about a record.
type State string

// Record states. NotFound and Unavailable are permanent answers: they are
// cached like data and rechecked only after the source's max age.
const (
	StateOK          State = "ok"
	StateNotFound    State = "not_found"
	StateUnavailable State = "unavailable"
)

// Entry is the cached state of one thing fetched from a source: an arXiv id,
// a repository or a landing page.
type Entry[T any] struct {
	// Key is what the entry is stored under: an arXiv id, a canonical
	// lower-case "owner/name", a URL.
	Key   string `json:"key"`
	State State  `json:"state,omitempty"`
	// Reason says why a record is unavailable (a 451's block reason, "disabled").
	Reason string `json:"reason,omitempty"`
	// Data is the last good data; it survives later failures.
	Data *T `json:"data,omitempty"`
	// FetchedAt is when Data (or the permanent answer) was last received;
	// CheckedAt is when the source last confirmed it, by a full answer or a
	// 304 Not Modified.
	FetchedAt time.Time `json:"fetched_at,omitzero"`
	CheckedAt time.Time `json:"checked_at,omitzero"`
	// ETag and LastModified are the validators the server gave with Data.
	ETag         string `json:"etag,omitempty"`
	LastModified string `json:"last_modified,omitempty"`
	// Failure is the last failed attempt since the last success, if any.
	Failure *Failure `json:"failure,omitempty"`
}

// Answered reports whether the source has ever answered for this entry,
// with data or with a permanent answer.
func (e *Entry[T]) Answered() bool {
	return e != nil && e.State != "" && !e.CheckedAt.IsZero()
}

// Fresh reports whether the entry was answered within maxAge of now, so that
// a run need not fetch it again.
func (e *Entry[T]) Fresh(now time.Time, maxAge time.Duration) bool {
	return e.Answered() && now.Sub(e.CheckedAt) < maxAge
}

// WithData returns the entry after a full answer, stored under key: new
// data and validators, the failure cleared. e is not changed and may be
// nil (nothing cached yet).
func (e *Entry[T]) WithData(key string, data *T, etag, lastModified string, now time.Time) *Entry[T] {
	n := e.copyOr(key)
	n.Key = key
	n.State, n.Reason, n.Data = StateOK, "", data
	n.ETag, n.LastModified = etag, lastModified
	n.FetchedAt, n.CheckedAt, n.Failure = now, now, nil
	return n
}

// WithNotModified returns the entry after a 304 Not Modified: its data and
// validators confirmed at now, the failure cleared. e is not changed and
// must not be nil: a 304 answers the validators of a cached entry.
func (e *Entry[T]) WithNotModified(now time.Time) *Entry[T] {
	n := *e
	n.State, n.Reason = StateOK, ""
	n.CheckedAt, n.Failure = now, nil
	return &n
}

// WithPermanent returns the entry after a permanent answer (StateNotFound,
// StateUnavailable with its reason). The old data stays for reference but
// the validators go: they belong to data the source no longer serves. e is
// not changed and may be nil; key is used only when it is.
func (e *Entry[T]) WithPermanent(key string, state State, reason string, now time.Time) *Entry[T] {
	n := e.copyOr(key)
	n.State, n.Reason = state, reason
	n.ETag, n.LastModified = "", ""
	n.FetchedAt, n.CheckedAt, n.Failure = now, now, nil
	return n
}

// WithFailure returns the entry after a failed fetch: everything it had,
// and the failure f. e is not changed and may be nil; key is used only when
// it is.
func (e *Entry[T]) WithFailure(key string, f *Failure) *Entry[T] {
	n := e.copyOr(key)
	n.Failure = f
	return n
}

// copyOr returns a shallow copy of e, or a new entry under key when e is
// nil.
func (e *Entry[T]) copyOr(key string) *Entry[T] {
	if e == nil {
		return &Entry[T]{Key: key}
	}
	n := *e
	return &n
}

// Failure records a failed fetch: what kind of failure, what was said, when,
// and after how many attempts.
type Failure struct {
	Kind     string    `json:"kind"`
	Message  string    `json:"message"`
	At       time.Time `json:"at"`
	Attempts int       `json:"attempts,omitempty"`
}

// Failure kinds.
const (
	FailureTransient = "transient"  // a timeout, a connection error, a 5xx or 429 that outlasted the retries
	FailureRateLimit = "rate_limit" // the source's quota ran out and the wait was longer than allowed
	FailureInvalid   = "invalid"    // the answer could not be read (malformed, truncated, too large)
	FailureRejected  = "rejected"   // the source refused the request (a 400, a 401, a 403 that is no rate limit)
)

// Errors that sources wrap so that the engine can tell failures apart
// without knowing the source.
var (
	// ErrInvalidResponse marks an answer that could not be read: malformed,
	// truncated, of the wrong type or over the size limit.
	ErrInvalidResponse = errors.New("invalid response")
	// ErrRejected marks a request the source refused for good (a 400, a 401,
	// a 403 that is no rate limit).
	ErrRejected = errors.New("request rejected")
)

// UnreadableError is the error of a cache read that found records it could
// not decode: Names are the names they were asked for. The records asked
// for by other names are returned with it.
type UnreadableError struct {
	Names []string
	Err   error
}

func (e *UnreadableError) Error() string { return e.Err.Error() }

func (e *UnreadableError) Unwrap() error { return e.Err }
