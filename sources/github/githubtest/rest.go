// The REST side: routing, authentication, the primary and secondary
// limits, conditional requests and the answers' bodies.

package githubtest

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"
)

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
	rate := func(cost int) { s.charge(h, "core", s.used, &s.usedTotal, identity, limit, cost) }
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

// charge takes cost from identity's budget of a resource (core or graphql:
// used and total are that budget's counts) and writes the X-RateLimit
// headers of the answer as they then stand. It runs under s.mu.
func (s *Server) charge(h http.Header, resource string, used map[string]int, total *int, identity string, limit, cost int) {
	used[identity] += cost
	*total += cost
	n := used[identity]
	h.Set("X-RateLimit-Limit", strconv.Itoa(limit))
	h.Set("X-RateLimit-Remaining", strconv.Itoa(max(limit-n, 0)))
	h.Set("X-RateLimit-Reset", strconv.FormatInt(s.windowEnd.Unix(), 10))
	h.Set("X-RateLimit-Used", strconv.Itoa(n))
	h.Set("X-RateLimit-Resource", resource)
}
