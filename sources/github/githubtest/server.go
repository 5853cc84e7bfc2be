// Package githubtest runs a local server that behaves like the GitHub REST
// API for the endpoints paperlist uses: GET /repos/{owner}/{repo} and
// GET /repositories/{id}; and like the GraphQL API's POST /graphql for
// repository queries, answered from the same repositories.
//
// It answers like the live service as recorded in the fixtures of
// sources/github/testdata: the full repository object, case-insensitive
// names with the canonical full_name in the body, 301 to /repositories/ID
// for a renamed repository, 404 and 451 with GitHub's bodies, weak ETags
// and 304 for conditional requests, X-RateLimit-* accounting in which a 304
// is free, primary and secondary rate limits, and injected 5xx failures.
// The GraphQL side (graphql.go) reads queries with gqlparser's parser
// and resolves repository(owner:, name:) and rateLimit, with a budget of
// its own. Every request is logged so that tests can check what a client
// sent.
//
// The server does not depend on package testing: benchmarks and end-to-end
// tests of the binary use it too.
package githubtest

import (
	"context"
	"maps"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"time"
)

// GitHub's hourly primary limits.
const (
	UnauthenticatedQuota = 60
	AuthenticatedQuota   = 5000
)

// Options configure a Server. The zero value is a server that accepts any
// token and has GitHub's quotas.
type Options struct {
	// Quota is the number of requests allowed per hour and identity; 0
	// means GitHub's: 60 without a token, 5,000 with one.
	Quota int
	// Token, when set, is the only token accepted; any other answers 401
	// Bad credentials. When empty, any "Bearer" or "token" credential is
	// accepted.
	Token string
	// PrimaryAs429 answers an exhausted quota with 429 instead of 403, and
	// SecondaryAs429 does the same for a secondary limit: GitHub uses both.
	PrimaryAs429   bool
	SecondaryAs429 bool
	// Latency is how long every answer is delayed.
	Latency time.Duration
	// Now is the server's clock, for rate-limit windows, Date and
	// Last-Modified; time.Now when nil.
	Now func() time.Time
	// PathPrefix serves the API under a path, such as "/api/v3" for a
	// GitHub Enterprise style base URL (GraphQL is then at /api/graphql).
	PathPrefix string
	// GraphQLQuota is the GraphQL budget in points per hour and token; 0
	// means GitHub's 5,000.
	GraphQLQuota int
}

// Repo is a repository the server knows.
type Repo struct {
	// FullName is the canonical "owner/name".
	FullName string
	// ID is the repository id; Add assigns one when it is 0.
	ID          int64
	Description string
	Stars       int
	Forks       int
	// OpenIssues counts open issues and open pull requests, as REST's
	// open_issues_count does; OpenPullRequests says how many of them are
	// pull requests, which GraphQL counts apart.
	OpenIssues       int
	OpenPullRequests int
	// Watchers is the number of subscribers (subscribers_count).
	Watchers int
	Language string
	// License is an SPDX id such as "MIT", or "" for none.
	License       string
	Topics        []string
	Archived      bool
	Disabled      bool
	Fork          bool
	PushedAt      time.Time
	CreatedAt     time.Time
	Homepage      string
	DefaultBranch string
}

// Request is one request the server received and how it answered.
type Request struct {
	Time   time.Time
	Method string
	// Path is the request path as received, including any PathPrefix.
	Path   string
	Header http.Header
	Status int
	// QuotaCost is what the request took from the primary quota: 1 for an
	// answer with data, a 301 or a 404, 0 for a 304 or a refusal. For a
	// GraphQL query it is the points taken from the GraphQL budget.
	QuotaCost int
	// Query and Variables are a GraphQL request's query and variables.
	Query     string
	Variables map[string]any
}

// Server is a local GitHub REST API. Its methods are safe for concurrent use.
type Server struct {
	ts     *httptest.Server
	opts   Options
	prefix string

	mu        sync.Mutex
	repos     map[int64]*repoState
	byName    map[string]int64 // lower-case full name → id
	moved     map[string]int64 // lower-case old full name → id
	nextID    int64
	log       []Request
	failN     int
	failCode  int
	secN      int
	secRetry  string
	used      map[string]int // identity → quota used in the window
	windowEnd time.Time
	usedTotal int
	requestN  int

	gqlUsed      map[string]int // identity → GraphQL points used in the window
	gqlUsedTotal int
	gqlLimitedN  int
	heavyOver    int
	heavyStatus  int
}

// NewServer starts a server on a loopback port. Close it when done.
func NewServer(opts Options) *Server {
	s := &Server{
		opts:    opts,
		prefix:  "/" + strings.Trim(opts.PathPrefix, "/"),
		repos:   make(map[int64]*repoState),
		byName:  make(map[string]int64),
		moved:   make(map[string]int64),
		nextID:  100000001,
		used:    make(map[string]int),
		gqlUsed: make(map[string]int),
	}
	if s.prefix == "/" {
		s.prefix = ""
	}
	s.ts = httptest.NewServer(http.HandlerFunc(s.serveHTTP))
	return s
}

// URL is the API base URL, ending with "/" (and with the PathPrefix).
func (s *Server) URL() string { return s.ts.URL + s.prefix + "/" }

// Close shuts the server down, waiting for requests in flight.
func (s *Server) Close() { s.ts.Close() }

func (s *Server) now() time.Time {
	if s.opts.Now != nil {
		return s.opts.Now()
	}
	return time.Now()
}

type answer struct {
	status int
	header http.Header
	body   []byte
	cost   int
}

func (s *Server) serveHTTP(w http.ResponseWriter, r *http.Request) {
	if s.opts.Latency > 0 {
		if err := sleep(r.Context(), s.opts.Latency); err != nil {
			return
		}
	}
	var g *gqlRequest
	if r.URL.Path == s.graphqlPath() {
		g = readGraphQL(r)
	}
	s.mu.Lock()
	logged := Request{Time: s.now(), Method: r.Method, Path: r.URL.Path, Header: r.Header.Clone()}
	var a answer
	if g != nil {
		a = s.graphqlAnswer(r, g)
		logged.Query, logged.Variables = g.query, maps.Clone(g.variables)
	} else {
		a = s.answer(r)
	}
	logged.Status, logged.QuotaCost = a.status, a.cost
	s.log = append(s.log, logged)
	s.mu.Unlock()

	for k, v := range a.header {
		w.Header()[k] = v
	}
	if a.status != http.StatusNotModified {
		w.Header().Set("Content-Length", strconv.Itoa(len(a.body)))
	}
	w.WriteHeader(a.status)
	if r.Method != http.MethodHead {
		_, _ = w.Write(a.body)
	}
}

func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
