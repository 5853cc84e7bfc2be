// Package s2test runs a local server that behaves like Semantic Scholar's
// Academic Graph API, for the tests of every package, the end-to-end test
// of the binary and the benchmark.
//
// It answers POST /graph/v1/paper/batch?fields=… with {"ids": [...]} as
// the recorded answers of the real API show (the package's testdata and
// its SOURCES.md): a JSON array in the order of the ids, null for an id it
// does not know, each paper with its paperId and the fields asked for, in
// the real API's key order and spacing. It refuses more than 500 ids, a
// body that is no {"ids": [...]}, and an unknown field with a 400 and a
// {"error": "..."} body; GET /graph/v1/paper/{id} answers one paper or the
// real 404 body. Ids are read as the API reads them: ARXIV:, DOI: (or a
// bare DOI), URL: (a paper's arXiv abstract or PDF page, its Semantic
// Scholar page, or a page it was added with), CorpusId: and a bare paperId.
// Faults can be queued (429 with or without Retry-After, 5xx), a key can
// be required, answers can be delayed, papers invented for any arXiv id
// (Options.Generate), and every request is logged with its headers.
//
// The server does not depend on package testing.
package s2test

import (
	"crypto/sha1"
	"encoding/binary"
	"encoding/hex"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"time"

	"github.com/paperlist/paperlist/sources/internal/fakeserver"
)

// Paper is a paper the server knows. The zero value of an optional field
// is answered as the real API answers a paper without it: null for
// PublicationVenue, PublicationDate and OpenAccessPDF, "" for Venue.
type Paper struct {
	// PaperID is the paper's 40-hex-digit id; made from ArxivID, DOI or
	// Title when empty.
	PaperID string
	// CorpusID is the paper's corpus id; made from the PaperID when 0.
	CorpusID int64
	Title    string
	// ArxivID (without version) and DOI are the paper's externalIds.
	ArxivID string
	DOI     string
	// URLs are landing pages the paper is found by with a URL: id,
	// besides its arXiv pages and its Semantic Scholar page.
	URLs []string
	// Venue is the normalised venue; PublicationVenue, when set, the name
	// of the venue's record.
	Venue            string
	PublicationVenue string
	Year             int
	// PublicationDate is "2001-10-01"; null when empty.
	PublicationDate      string
	Citations            int
	InfluentialCitations int
	References           int
	IsOpenAccess         bool
	// OpenAccessPDF is the open-access PDF's URL; null when empty.
	OpenAccessPDF string
}

// Options configure a Server.
type Options struct {
	// Generate makes the server invent a paper for every new-style arXiv
	// id it was not given, asked for as ARXIV:ID, as its arXiv DOI
	// (DOI:10.48550/arXiv.ID) or by its arXiv page (URL:…/abs/ID), except
	// ids whose number is all zeros ("2301.00000"), which stay unknown
	// (null).
	Generate bool
	// Latency is added to every answer.
	Latency time.Duration
	// Key, when set, is the API key the server requires in x-api-key: a
	// request without it, or with another, is answered 403.
	Key string
	// Now gives the time of the request log; time.Now when nil.
	Now func() time.Time
}

// Request is one request the server received.
type Request = fakeserver.Request

// Server is a local stand-in for the Academic Graph API. It is safe for
// concurrent use.
type Server struct {
	ts   *httptest.Server
	opts Options

	journal *fakeserver.Journal

	mu     sync.Mutex
	papers []Paper
}

// NewServer starts a server on loopback. Close it when done.
func NewServer(opts Options) *Server {
	if opts.Now == nil {
		opts.Now = time.Now
	}
	s := &Server{opts: opts, journal: &fakeserver.Journal{}}
	mux := http.NewServeMux()
	mux.HandleFunc("/graph/v1/paper/batch", s.serveBatch)
	mux.HandleFunc("/graph/v1/paper/", s.servePaper)
	s.ts = httptest.NewServer(s.logged(mux))
	return s
}

// URL is the API's root, to use as the client's base URL: the batch
// endpoint is URL() + "/paper/batch".
func (s *Server) URL() string { return s.ts.URL + "/graph/v1" }

// Close shuts the server down, waiting for the requests in flight.
func (s *Server) Close() { s.ts.Close() }

// Add adds papers to those the server knows, completing their ids.
func (s *Server) Add(papers ...Paper) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, p := range papers {
		s.papers = append(s.papers, complete(p))
	}
}

// FailNext makes the next n requests fail with status: a 429 has the API's
// "Too Many Requests" body, anything else a short {"message": ...}.
// retryAfter, when not empty, is sent as Retry-After.
func (s *Server) FailNext(n, status int, retryAfter string) {
	s.journal.FailNext(n, status, retryAfter)
}

// Requests returns the requests received so far, oldest first.
func (s *Server) Requests() []Request { return s.journal.Requests() }

// Reset clears the request log and every queued fault.
func (s *Server) Reset() { s.journal.Reset() }

// complete fills in the ids a paper was given without.
func complete(p Paper) Paper {
	if p.PaperID == "" {
		seed := p.ArxivID
		if seed == "" {
			seed = p.DOI
		}
		if seed == "" {
			seed = p.Title
		}
		sum := sha1.Sum([]byte(seed))
		p.PaperID = hex.EncodeToString(sum[:])
	}
	if p.CorpusID == 0 {
		sum := sha1.Sum([]byte(p.PaperID))
		p.CorpusID = int64(binary.BigEndian.Uint32(sum[:4])>>1) + 1
	}
	return p
}

// logged logs every request, checks the key and answers queued faults
// before h sees the request.
func (s *Server) logged(h http.Handler) http.Handler {
	keyed := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if s.opts.Key != "" && r.Header.Get("x-api-key") != s.opts.Key {
			writeJSON(w, http.StatusForbidden, forbiddenBody)
			return
		}
		h.ServeHTTP(w, r)
	})
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body := readBody(r)
		req := Request{
			Time:     s.opts.Now(),
			Method:   r.Method,
			Path:     r.URL.Path,
			RawQuery: r.URL.RawQuery,
			IDs:      requestedIDs(r, body),
			Header:   r.Header.Clone(),
		}
		s.journal.Serve(w, r, req, s.opts.Latency, writeFault, keyed)
	})
}

// Bodies of the answers the recordings do not hold (see SOURCES.md).
const (
	tooManyRequestsBody = `{"message": "Too Many Requests. Please wait and try again or apply for a key for higher rate limits. https://www.semanticscholar.org/product/api#api-key-form", "code": "429"}`
	forbiddenBody       = `{"message":"Forbidden"}`
)

func writeFault(w http.ResponseWriter, f fakeserver.Fault) {
	if f.RetryAfter != "" {
		w.Header().Set("Retry-After", f.RetryAfter)
	}
	if f.Status == http.StatusTooManyRequests {
		writeJSON(w, f.Status, tooManyRequestsBody)
		return
	}
	writeJSON(w, f.Status, `{"message":"`+http.StatusText(f.Status)+`"}`)
}

// writeJSON answers status with body and the newline the API ends its
// bodies with.
func writeJSON(w http.ResponseWriter, status int, body string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = w.Write([]byte(body + "\n"))
}

// writeError answers status with the API's {"error": ...} body.
func writeError(w http.ResponseWriter, status int, msg string) {
	writeJSON(w, status, `{"error":`+quote(msg)+`}`)
}

// pathID is the id of a single-paper request: what follows /paper/, which
// may hold slashes (a DOI).
func pathID(r *http.Request) string {
	return strings.TrimPrefix(r.URL.Path, "/graph/v1/paper/")
}
