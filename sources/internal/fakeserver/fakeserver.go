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

// Request is one request a fake received.
type Request struct {
	Time     time.Time
	Method   string
	Path     string
	RawQuery string
	// IDs are the ids asked for, as the fake reads them from the request
	// (arXiv's id_list, a batch body, the id of a single-paper page).
	IDs []string
	// Header is a copy of the request's headers.
	Header http.Header
	// Status is the status the fake answered with.
	Status int
}

// Journal is a fake's request log and its queue of faults. It is safe for
// concurrent use.
type Journal struct {
	mu     sync.Mutex
	reqs   []Request
	faults []Fault
	resets int // how many times Reset was called
}

// FailNext queues n faults of status and retryAfter.
func (j *Journal) FailNext(n, status int, retryAfter string) {
	j.mu.Lock()
	defer j.mu.Unlock()
	for range n {
		j.faults = append(j.faults, Fault{Status: status, RetryAfter: retryAfter})
	}
}

// Requests returns the requests logged so far, oldest first.
func (j *Journal) Requests() []Request {
	j.mu.Lock()
	defer j.mu.Unlock()
	return append([]Request(nil), j.reqs...)
}

// Reset clears the log and every queued fault.
func (j *Journal) Reset() {
	j.mu.Lock()
	defer j.mu.Unlock()
	j.reqs = nil
	j.faults = nil
	j.resets++
}

// Serve logs req, waits latency (or until r's context ends, which leaves
// r unanswered) and answers r: with the next queued fault through
// writeFault, else with h. The status answered is recorded in the log.
func (j *Journal) Serve(w http.ResponseWriter, r *http.Request, req Request, latency time.Duration, writeFault func(http.ResponseWriter, Fault), h http.Handler) {
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
		j.reqs[i].Status = rec.status
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
