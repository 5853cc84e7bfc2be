// Package githubtest runs a local server that behaves like the GitHub REST
// API for the endpoints paperlist uses: GET /repos/{owner}/{repo} and
// GET /repositories/{id}; and like the GraphQL API's POST /graphql for
// repository queries, answered from the same repositories.
//
// It answers like the live service as recorded in the fixtures of
// testdata/github: the full repository object, case-insensitive
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
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
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

type repoState struct {
	repo     Repo
	modified time.Time
	body     []byte
	etag     string
	block    *blockState
}

type blockState struct {
	reason  string
	created time.Time
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

// Add adds repositories, or replaces the one with the same id or name (in
// any case). A repository without an id gets one.
func (s *Server) Add(repos ...Repo) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, r := range repos {
		if r.ID == 0 {
			if id, ok := s.byName[strings.ToLower(r.FullName)]; ok {
				r.ID = id
			} else {
				r.ID = s.nextID
				s.nextID++
			}
		}
		r.Topics = append([]string(nil), r.Topics...)
		if old, ok := s.repos[r.ID]; ok {
			delete(s.byName, strings.ToLower(old.repo.FullName))
		}
		st := &repoState{repo: r}
		s.repos[r.ID] = st
		s.byName[strings.ToLower(r.FullName)] = r.ID
		delete(s.moved, strings.ToLower(r.FullName))
		s.touch(st)
	}
}

// touch renders a repository's body anew, with a new ETag and Last-Modified.
func (s *Server) touch(st *repoState) {
	st.modified = s.now().UTC().Truncate(time.Second)
	st.body = repoBody(s.URL(), &st.repo, st.modified)
	sum := sha256.Sum256(st.body)
	st.etag = `W/"` + hex.EncodeToString(sum[:]) + `"`
}

func (s *Server) lookup(fullName string) (*repoState, error) {
	id, ok := s.byName[strings.ToLower(fullName)]
	if !ok {
		return nil, fmt.Errorf("githubtest: no repository %q", fullName)
	}
	return s.repos[id], nil
}

// Rename renames a repository (or moves it to another owner): its old
// name then answers 301 with Location /repositories/ID, as GitHub does.
func (s *Server) Rename(oldFullName, newFullName string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	st, err := s.lookup(oldFullName)
	if err != nil {
		return err
	}
	if _, taken := s.byName[strings.ToLower(newFullName)]; taken && !strings.EqualFold(oldFullName, newFullName) {
		return fmt.Errorf("githubtest: %q already exists", newFullName)
	}
	delete(s.byName, strings.ToLower(st.repo.FullName))
	s.moved[strings.ToLower(st.repo.FullName)] = st.repo.ID
	st.repo.FullName = newFullName
	s.byName[strings.ToLower(newFullName)] = st.repo.ID
	delete(s.moved, strings.ToLower(newFullName))
	s.touch(st)
	return nil
}

// Block makes a repository answer 451 with the given block reason (such as
// "dmca"), by name and by id.
func (s *Server) Block(fullName, reason string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	st, err := s.lookup(fullName)
	if err != nil {
		return err
	}
	st.block = &blockState{reason: reason, created: s.now().UTC().Truncate(time.Second)}
	return nil
}

// SetStars changes a repository's star count, and so its body, ETag and
// Last-Modified.
func (s *Server) SetStars(fullName string, stars int) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	st, err := s.lookup(fullName)
	if err != nil {
		return err
	}
	st.repo.Stars = stars
	s.touch(st)
	return nil
}

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

// Documentation URLs of GitHub's error bodies; go-github recognises a
// secondary limit by the suffix of its documentation_url.
const (
	docRepos      = "https://docs.github.com/rest/repos/repos#get-a-repository"
	docRedirects  = "https://docs.github.com/v3/#http-redirects"
	docPrimary    = "https://docs.github.com/rest/overview/resources-in-the-rest-api#rate-limiting"
	docSecondary  = "https://docs.github.com/rest/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits"
	docAuth       = "https://docs.github.com/rest"
	dmcaNoticeURL = "https://github.com/github/dmca/blob/master/2024/01/2024-01-01-example.md"
)

// begin starts an answer: it opens a new rate-limit window when the last
// one ended, and returns the headers of every answer. It runs under s.mu.
func (s *Server) begin() http.Header {
	now := s.now()
	if s.windowEnd.IsZero() || !now.Before(s.windowEnd) {
		s.used = make(map[string]int)
		s.gqlUsed = make(map[string]int)
		s.windowEnd = now.Add(time.Hour).Truncate(time.Second)
	}
	s.requestN++
	h := http.Header{}
	h.Set("Server", "GitHub.com")
	h.Set("Date", now.UTC().Format(http.TimeFormat))
	h.Set("Content-Type", "application/json; charset=utf-8")
	h.Set("X-GitHub-Media-Type", "github.v3; format=json")
	h.Set("X-GitHub-Request-Id", fmt.Sprintf("0687:0D5B:%X:%X:%08X", s.requestN, s.requestN*7, now.Unix()))
	return h
}

// secondary is the answer of a secondary rate limit, with the Retry-After
// that SecondaryNext set. It runs under s.mu.
func (s *Server) secondary(h http.Header) answer {
	if s.secRetry != "" {
		h.Set("Retry-After", s.secRetry)
	}
	status := http.StatusForbidden
	if s.opts.SecondaryAs429 {
		status = http.StatusTooManyRequests
	}
	return answer{status: status, header: h, body: jsonBody(map[string]string{
		"message":           "You have exceeded a secondary rate limit. Please wait a few minutes before you try again. If you reach out to GitHub Support for help, please include the request ID " + h.Get("X-GitHub-Request-Id") + ".",
		"documentation_url": docSecondary,
	})}
}

// answer decides the response to a REST request. It runs under s.mu.
func (s *Server) answer(r *http.Request) answer {
	h := s.begin()
	identity, ok := s.identity(r.Header.Get("Authorization"))
	if !ok {
		return answer{status: http.StatusUnauthorized, header: h, body: jsonBody(map[string]string{
			"message": "Bad credentials", "documentation_url": docAuth,
		})}
	}
	if s.failN > 0 {
		s.failN--
		return answer{status: s.failCode, header: h, body: jsonBody(map[string]string{
			"message": http.StatusText(s.failCode),
		})}
	}
	limit := s.limit(identity)
	rate := func(cost int) {
		s.used[identity] += cost
		s.usedTotal += cost
		used := s.used[identity]
		h.Set("X-RateLimit-Limit", strconv.Itoa(limit))
		h.Set("X-RateLimit-Remaining", strconv.Itoa(max(limit-used, 0)))
		h.Set("X-RateLimit-Reset", strconv.FormatInt(s.windowEnd.Unix(), 10))
		h.Set("X-RateLimit-Used", strconv.Itoa(used))
		h.Set("X-RateLimit-Resource", "core")
	}
	if s.secN > 0 {
		s.secN--
		rate(0)
		return s.secondary(h)
	}
	if s.used[identity] >= limit {
		rate(0)
		status := http.StatusForbidden
		if s.opts.PrimaryAs429 {
			status = http.StatusTooManyRequests
		}
		who := "127.0.0.1. (But here's the good news: Authenticated requests get a higher rate limit. Check out the documentation for more details.)"
		if identity != "" {
			who = "user ID 1."
		}
		return answer{status: status, header: h, body: jsonBody(map[string]string{
			"message": "API rate limit exceeded for " + who, "documentation_url": docPrimary,
		})}
	}

	if identity != "" {
		h.Set("Cache-Control", "private, max-age=60, s-maxage=60")
	} else {
		h.Set("Cache-Control", "public, max-age=60, s-maxage=60")
	}
	h.Add("Vary", "Accept, Authorization, Cookie, X-GitHub-OTP")
	h.Add("Vary", "Accept-Encoding, Accept, X-Requested-With")

	st, movedID := s.route(r)
	switch {
	case movedID != 0:
		rate(1)
		loc := s.URL() + "repositories/" + strconv.FormatInt(movedID, 10)
		h.Set("Location", loc)
		return answer{status: http.StatusMovedPermanently, header: h, cost: 1, body: jsonBody(map[string]string{
			"message": "Moved Permanently", "url": loc, "documentation_url": docRedirects,
		})}
	case st == nil:
		rate(1)
		return answer{status: http.StatusNotFound, header: h, cost: 1, body: jsonBody(map[string]string{
			"message": "Not Found", "documentation_url": docRepos, "status": "404",
		})}
	case st.block != nil:
		rate(1)
		return answer{status: http.StatusUnavailableForLegalReasons, header: h, cost: 1, body: jsonBody(map[string]any{
			"message": "Repository access blocked",
			"block": map[string]string{
				"reason":     st.block.reason,
				"created_at": st.block.created.Format(time.RFC3339),
				"html_url":   dmcaNoticeURL,
			},
		})}
	}
	h.Set("ETag", st.etag)
	h.Set("Last-Modified", st.modified.Format(http.TimeFormat))
	if notModified(r.Header, st) {
		rate(0)
		h.Del("Content-Type")
		return answer{status: http.StatusNotModified, header: h}
	}
	rate(1)
	return answer{status: http.StatusOK, header: h, body: st.body, cost: 1}
}

// identity tells who a request is from: "" for anonymous, else its token.
// It reports false for credentials the server does not accept.
func (s *Server) identity(auth string) (string, bool) {
	if auth == "" {
		return "", true
	}
	scheme, token, _ := strings.Cut(auth, " ")
	if (!strings.EqualFold(scheme, "bearer") && !strings.EqualFold(scheme, "token")) || token == "" {
		return "", false
	}
	if s.opts.Token != "" && token != s.opts.Token {
		return "", false
	}
	return token, true
}

func (s *Server) limit(identity string) int {
	switch {
	case s.opts.Quota > 0:
		return s.opts.Quota
	case identity == "":
		return UnauthenticatedQuota
	default:
		return AuthenticatedQuota
	}
}

// route finds the repository a request names, or the id it moved to.
func (s *Server) route(r *http.Request) (st *repoState, movedID int64) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		return nil, 0
	}
	path, ok := strings.CutPrefix(r.URL.Path, s.prefix+"/")
	if !ok {
		return nil, 0
	}
	parts := strings.Split(path, "/")
	switch {
	case len(parts) == 3 && parts[0] == "repos" && parts[1] != "" && parts[2] != "":
		name := strings.ToLower(parts[1] + "/" + parts[2])
		if id, ok := s.byName[name]; ok {
			return s.repos[id], 0
		}
		return nil, s.moved[name]
	case len(parts) == 2 && parts[0] == "repositories":
		id, err := strconv.ParseInt(parts[1], 10, 64)
		if err != nil {
			return nil, 0
		}
		return s.repos[id], 0
	}
	return nil, 0
}

// notModified applies If-None-Match (weak comparison) and, only when that is
// absent, If-Modified-Since.
func notModified(h http.Header, st *repoState) bool {
	if inm := h.Get("If-None-Match"); inm != "" {
		for _, tag := range strings.Split(inm, ",") {
			tag = strings.TrimSpace(tag)
			if tag == "*" || strings.TrimPrefix(tag, "W/") == strings.TrimPrefix(st.etag, "W/") {
				return true
			}
		}
		return false
	}
	if ims := h.Get("If-Modified-Since"); ims != "" {
		t, err := http.ParseTime(ims)
		return err == nil && !st.modified.After(t)
	}
	return false
}

func jsonBody(v any) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		// Only maps of strings come here: this cannot fail.
		panic("githubtest: marshal error body: " + err.Error())
	}
	return b
}
