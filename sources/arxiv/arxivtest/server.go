// Package arxivtest runs a local server that behaves like the arXiv export
// API and its abstract pages, for the tests of every package, the
// end-to-end test of the binary and the benchmark.
//
// Like the real service it answers in Atom with arXiv's namespaces, wraps
// titles and abstracts over indented lines, returns at most max_results
// entries (10 when not given), lists entries in its own "relevance" order
// rather than in id_list order, leaves unknown ids out, and refuses a
// request with a malformed id with a 400 error feed. It searches the papers
// added to it with search_query as the real API reads it (search.go): the
// field prefixes ti, au, abs, co, jr, cat, rn, id, doi, all,
// submittedDate and lastUpdatedDate, quoted phrases, AND, OR, ANDNOT (and
// NOT), parentheses, ti:(a b), a trailing "*"; words are compared as
// paperlist.NormalizeTitle leaves them, without stemming. Results come in
// relevance order (title words weigh most), or by sortBy=submittedDate or
// lastUpdatedDate, in sortOrder, paged by start and max_results, with the
// feed title and OpenSearch counts of the real feed. Invented papers
// (Options.Generate) are found by id_list only. Faults can be queued:
// a status (429 "Rate exceeded.", 503 with Retry-After), a valid feed with
// no entries, a truncated or non-feed body. Every request is logged.
//
// The server does not depend on package testing.
package arxivtest

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"time"

	"github.com/paperlist/paperlist"
	"github.com/paperlist/paperlist/sources/internal/fakeserver"
)

// Paper is a paper the server knows.
type Paper struct {
	// ID is the identifier without version: "2302.13971", "hep-th/9901001".
	ID string
	// Version is the latest version; 1 when 0.
	Version  int
	Title    string
	Abstract string
	Authors  []paperlist.Author
	// Published is when version 1 appeared; Updated when the latest did
	// (Published when zero).
	Published       time.Time
	Updated         time.Time
	PrimaryCategory string
	// Categories include the primary one; [PrimaryCategory] when empty.
	Categories []string
	Comment    string
	JournalRef string
	DOI        string
}

// Options configure a Server.
type Options struct {
	// Generate makes the server invent a plausible paper for every
	// well-formed id it was not given, except ids whose number is all
	// zeros ("0000.0000", "2301.00000"), which stay unknown.
	Generate bool
	// Latency is added to every answer.
	Latency time.Duration
	// Now gives the time of the feeds and of the request log; time.Now
	// when nil.
	Now func() time.Time
	// Seed seeds the order in which entries are listed.
	Seed uint64
}

// Request is one request the server received.
type Request = fakeserver.Request

// Garbage is a kind of unreadable answer that GarbageNext queues.
type Garbage int

// Kinds of unreadable answers.
const (
	// GarbageTruncated is a feed cut off in the middle of an entry.
	GarbageTruncated Garbage = iota + 1
	// GarbageHTML is an HTML error page sent with status 200.
	GarbageHTML
	// GarbageMalformed is a body that is not well-formed XML.
	GarbageMalformed
)

// Server is a local stand-in for the arXiv export API and abstract pages.
// It is safe for concurrent use.
type Server struct {
	ts   *httptest.Server
	opts Options

	journal *fakeserver.Journal

	mu      sync.Mutex
	papers  map[string]Paper
	empty   int
	garbage []Garbage
}

// NewServer starts a server on loopback. Close it when done.
func NewServer(opts Options) *Server {
	if opts.Now == nil {
		opts.Now = time.Now
	}
	s := &Server{opts: opts, papers: make(map[string]Paper), journal: &fakeserver.Journal{}}
	mux := http.NewServeMux()
	mux.HandleFunc("/api/query", s.serveQuery)
	mux.HandleFunc("/abs/", s.serveAbs)
	s.ts = httptest.NewServer(s.logged(mux))
	return s
}

// URL is the API's query endpoint, to use as the client's API URL.
func (s *Server) URL() string { return s.ts.URL + "/api/query" }

// AbsURL is the prefix of the abstract pages, to which an id is appended.
func (s *Server) AbsURL() string { return s.ts.URL + "/abs/" }

// Close shuts the server down, waiting for the requests in flight.
func (s *Server) Close() { s.ts.Close() }

// Add adds papers to the corpus, replacing any with the same id.
func (s *Server) Add(papers ...Paper) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, p := range papers {
		s.papers[p.ID] = p
	}
}

// FailNext makes the next n requests, to the API or the abstract pages,
// fail with status: a 429 has the body "Rate exceeded.", anything else a
// short text. retryAfter, when not empty, is sent as Retry-After.
func (s *Server) FailNext(n, status int, retryAfter string) {
	s.journal.FailNext(n, status, retryAfter)
}

// EmptyNext makes the next n API requests answer with a valid feed that
// has no entries, as arXiv intermittently does under load.
func (s *Server) EmptyNext(n int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.empty += n
}

// GarbageNext makes the next n API requests answer, with status 200, a
// body that is no readable feed: the given kinds in turn, or every kind in
// turn (truncated, HTML page, malformed) when none is given.
func (s *Server) GarbageNext(n int, kinds ...Garbage) {
	if len(kinds) == 0 {
		kinds = []Garbage{GarbageTruncated, GarbageHTML, GarbageMalformed}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	for i := range n {
		s.garbage = append(s.garbage, kinds[i%len(kinds)])
	}
}

// Requests returns the requests received so far, oldest first.
func (s *Server) Requests() []Request { return s.journal.Requests() }

// Reset clears the request log and every queued fault.
func (s *Server) Reset() {
	s.journal.Reset()
	s.mu.Lock()
	defer s.mu.Unlock()
	s.empty = 0
	s.garbage = nil
}

// logged logs every request, waits the latency, and answers queued status
// faults before h sees the request.
func (s *Server) logged(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		req := Request{
			Time:     s.opts.Now(),
			Method:   r.Method,
			Path:     r.URL.Path,
			RawQuery: r.URL.RawQuery,
			IDs:      requestedIDs(r),
			Header:   r.Header.Clone(),
		}
		s.journal.Serve(w, r, req, s.opts.Latency, writeFault, h)
	})
}

func writeFault(w http.ResponseWriter, f fakeserver.Fault) {
	if f.RetryAfter != "" {
		w.Header().Set("Retry-After", f.RetryAfter)
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.WriteHeader(f.Status)
	if f.Status == http.StatusTooManyRequests {
		_, _ = w.Write([]byte("Rate exceeded."))
		return
	}
	_, _ = w.Write([]byte(http.StatusText(f.Status)))
}

// requestedIDs are the ids a request asks for.
func requestedIDs(r *http.Request) []string {
	if id, ok := strings.CutPrefix(r.URL.Path, "/abs/"); ok {
		return []string{id}
	}
	return splitIDList(r.URL.Query().Get("id_list"))
}

func splitIDList(s string) []string {
	var ids []string
	for _, id := range strings.Split(s, ",") {
		if id = strings.TrimSpace(id); id != "" {
			ids = append(ids, id)
		}
	}
	return ids
}
