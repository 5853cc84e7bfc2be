// Package fakeserver holds what the project's fakes of outside services
// (sources/arxiv/arxivtest, sources/semanticscholar/s2test) share: the log
// of the requests a fake received, with the status it answered each with,
// and the queue of faults it answers the next requests with.
//
// The package does not depend on package testing.
package fakeserver

import (
	"context"
	"net/http"
	"sync"
	"time"
)

// Fault is a queued answer to one request: its status and, when not empty,
// the Retry-After header sent with it.
type Fault struct {
	Status     int
	RetryAfter string
}

// Journal is a fake's request log, of requests of type R, and its queue
// of faults. It is safe for concurrent use.
type Journal[R any] struct {
	setStatus func(*R, int)

	mu     sync.Mutex
	reqs   []R
	faults []Fault
	resets int // how many times Reset was called
}

// NewJournal returns an empty journal; setStatus records in a logged
// request the status it was answered with.
func NewJournal[R any](setStatus func(*R, int)) *Journal[R] {
	return &Journal[R]{setStatus: setStatus}
}

// FailNext queues n faults of status and retryAfter.
func (j *Journal[R]) FailNext(n, status int, retryAfter string) {
	j.mu.Lock()
	defer j.mu.Unlock()
	for range n {
		j.faults = append(j.faults, Fault{Status: status, RetryAfter: retryAfter})
	}
}

// Requests returns the requests logged so far, oldest first.
func (j *Journal[R]) Requests() []R {
	j.mu.Lock()
	defer j.mu.Unlock()
	return append([]R(nil), j.reqs...)
}

// Reset clears the log and every queued fault.
func (j *Journal[R]) Reset() {
	j.mu.Lock()
	defer j.mu.Unlock()
	j.reqs = nil
	j.faults = nil
	j.resets++
}

// Serve logs req, waits latency (or until r's context ends, which leaves
// r unanswered) and answers r: with the next queued fault through
// writeFault, else with h. The status answered is recorded in the log.
func (j *Journal[R]) Serve(w http.ResponseWriter, r *http.Request, req R, latency time.Duration, writeFault func(http.ResponseWriter, Fault), h http.Handler) {
	j.mu.Lock()
	i, resets := len(j.reqs), j.resets
	j.reqs = append(j.reqs, req)
	var f *Fault
	if len(j.faults) > 0 {
		f = &j.faults[0]
		j.faults = j.faults[1:]
	}
	j.mu.Unlock()

	if !Sleep(r.Context(), latency) {
		return
	}
	rec := &statusRecorder{ResponseWriter: w}
	if f != nil {
		writeFault(rec, *f)
	} else {
		h.ServeHTTP(rec, r)
	}
	j.mu.Lock()
	if j.resets == resets {
		// A Reset while r was served left no entry to record into.
		j.setStatus(&j.reqs[i], rec.status)
	}
	j.mu.Unlock()
}

// statusRecorder remembers the status a handler wrote.
type statusRecorder struct {
	http.ResponseWriter
	status int
}

func (w *statusRecorder) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusRecorder) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	return w.ResponseWriter.Write(b)
}

// Sleep waits d or until ctx is done, and reports whether d passed.
func Sleep(ctx context.Context, d time.Duration) bool {
	if d <= 0 {
		return true
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	}
}
