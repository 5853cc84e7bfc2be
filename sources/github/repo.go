package github

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	gh "github.com/google/go-github/v60/github"

	"github.com/paperlist/paperlist"
	"github.com/paperlist/paperlist/sources/internal/httpget"
)

// RateLimitError reports a rate-limit refusal that reached the Client: the
// engine's transport did not wait it out (the wait was longer than allowed,
// or the attempts ran out). Primary is the hourly quota (403 or 429 with
// X-RateLimit-Remaining 0); otherwise it is a secondary limit. It wraps
// paperlist.ErrWaitTooLong, so the engine stops GitHub for the run and the
// next run goes on from there.
type RateLimitError struct {
	// StatusCode is 403 or 429.
	StatusCode int
	Primary    bool
	// Reset is when the primary quota is renewed, zero when not told.
	Reset time.Time
	// RetryAfter is the wait the answer asked for, 0 when not told.
	RetryAfter time.Duration
}

func (e *RateLimitError) Error() string {
	kind := "secondary"
	if e.Primary {
		kind = "primary"
	}
	s := fmt.Sprintf("%s rate limit exceeded (%d)", kind, e.StatusCode)
	if !e.Reset.IsZero() {
		s += ", quota resets at " + e.Reset.UTC().Format(time.RFC3339)
	}
	if e.RetryAfter > 0 {
		s += ", retry after " + e.RetryAfter.String()
	}
	return s
}

// Unwrap returns paperlist.ErrWaitTooLong.
func (e *RateLimitError) Unwrap() error { return paperlist.ErrWaitTooLong }

// FetchRepo fetches one repository, by id when req.ID is set (no redirect
// to pay for a renamed repository), else by name, conditionally when req
// carries validators. It implements crawler.RepoSource.
//
// GitHub API docs: https://docs.github.com/rest/repos/repos#get-a-repository
func (c *Client) FetchRepo(ctx context.Context, req paperlist.RepoRequest) paperlist.RepoResult {
	res := c.fetch(ctx, req)
	if req.ID > 0 && req.Name != "" && res.Err == nil && res.State == paperlist.StateNotFound {
		// A repository deleted and created again under the listed name has a
		// new id: ask by name before calling it gone.
		res = c.fetch(ctx, paperlist.RepoRequest{Name: req.Name})
	}
	res.Err = httpget.Redact(res.Err, c.token, "[token]")
	return res
}

func (c *Client) fetch(ctx context.Context, req paperlist.RepoRequest) paperlist.RepoResult {
	var path, what string
	if req.ID > 0 {
		path = "repositories/" + strconv.FormatInt(req.ID, 10)
		what = fmt.Sprintf("%s (id %d)", req.Name, req.ID)
	} else {
		owner, name, ok := strings.Cut(req.Name, "/")
		if !ok || owner == "" || name == "" || strings.Contains(name, "/") {
			return failed(fmt.Errorf("github: invalid repository name %q: %w", req.Name, paperlist.ErrRejected))
		}
		path = "repos/" + url.PathEscape(owner) + "/" + url.PathEscape(name)
		what = req.Name
	}

	// A fresh go-github client per request: v60 remembers the last rate
	// limit per client and refuses later calls itself until the reset, by
	// the wall clock. Pacing and waiting belong to the engine's transport
	// alone, which decides against -max-wait.
	api := gh.NewClient(c.http)
	api.BaseURL = c.base
	api.UserAgent = c.userAgent
	hreq, err := api.NewRequest(http.MethodGet, path, nil)
	if err != nil {
		return failed(fmt.Errorf("github: get %s: %w", what, err))
	}
	if req.ETag != "" {
		hreq.Header.Set("If-None-Match", req.ETag)
	}
	if req.LastModified != "" {
		hreq.Header.Set("If-Modified-Since", req.LastModified)
	}

	var repo gh.Repository
	resp, err := api.Do(ctx, hreq, &repo)
	if errors.Is(err, errRedirect) {
		var uerr *url.Error
		if errors.As(err, &uerr) {
			err = uerr.Err
		}
		return failed(fmt.Errorf("github: get %s: %w: %w", what, paperlist.ErrInvalidResponse, err))
	}
	if resp == nil || resp.Response == nil {
		// No answer: a connection error, a timeout, the context, or the
		// engine's transport giving up (paperlist.ErrWaitTooLong). The
		// *url.Error around it repeats the method and URL that what names.
		var uerr *url.Error
		if errors.As(err, &uerr) {
			err = uerr.Err
		}
		return failed(fmt.Errorf("github: get %s: %w", what, err))
	}
	status := resp.StatusCode
	if err != nil && status >= 200 && status < 300 {
		if isUnreadable(err) {
			return failed(fmt.Errorf("github: get %s: %w: %v", what, paperlist.ErrInvalidResponse, err))
		}
		return failed(fmt.Errorf("github: get %s: read answer: %w", what, err))
	}
	if err != nil {
		return c.refusal(what, req, resp.Response, err)
	}

	stats, err := c.stats(&repo)
	if err != nil {
		return failed(fmt.Errorf("github: get %s: %w: %v", what, paperlist.ErrInvalidResponse, err))
	}
	scrub(stats, c.token)
	res := paperlist.RepoResult{
		State:        paperlist.StateOK,
		Stats:        stats,
		ETag:         resp.Header.Get("ETag"),
		LastModified: resp.Header.Get("Last-Modified"),
	}
	if stats.Disabled {
		res.State, res.Reason = paperlist.StateUnavailable, "disabled"
	}
	return res
}

// refusal turns an answer that is no 2xx into a result: 304, a permanent
// answer (404, 451), or an error.
func (c *Client) refusal(what string, req paperlist.RepoRequest, resp *http.Response, err error) paperlist.RepoResult {
	status := resp.StatusCode
	var (
		rl    *gh.RateLimitError
		abuse *gh.AbuseRateLimitError
		er    *gh.ErrorResponse
	)
	message := ""
	lim := ReadRateLimit(resp)
	switch {
	case lim.Exceeded:
		// go-github replaced the body it read with a copy, which
		// ReadRateLimit may read again for the secondary-limit message.
		e := &RateLimitError{StatusCode: status, Primary: !lim.Secondary, RetryAfter: retryAfter(resp.Header)}
		if e.Primary {
			e.Reset = lim.Reset
		}
		return failed(fmt.Errorf("github: get %s: %w", what, e))
	case errors.As(err, &rl):
		// What v60 returns for X-RateLimit-Remaining 0 without a readable
		// reset, and, with a made-up 403, when it refuses a call itself
		// after a rate-limit answer.
		return failed(fmt.Errorf("github: get %s: %w", what, &RateLimitError{
			StatusCode: status, Primary: true, Reset: rl.Rate.Reset.Time, RetryAfter: retryAfter(resp.Header),
		}))
	case errors.As(err, &abuse):
		return failed(fmt.Errorf("github: get %s: %w", what, &RateLimitError{StatusCode: status, RetryAfter: retryAfter(resp.Header)}))
	case errors.As(err, &er):
		message = er.Message
		if er.Block != nil && status == http.StatusUnavailableForLegalReasons {
			reason := er.Block.Reason
			if reason == "" {
				reason = "blocked"
			}
			return paperlist.RepoResult{State: paperlist.StateUnavailable, Reason: reason}
		}
	}

	switch {
	case status == http.StatusNotModified:
		if req.ETag == "" && req.LastModified == "" {
			return failed(fmt.Errorf("github: get %s: %w: 304 to an unconditional request", what, paperlist.ErrInvalidResponse))
		}
		return paperlist.RepoResult{
			State: paperlist.StateOK, NotModified: true,
			ETag: resp.Header.Get("ETag"), LastModified: resp.Header.Get("Last-Modified"),
		}
	case status == http.StatusNotFound || status == http.StatusGone:
		return paperlist.RepoResult{State: paperlist.StateNotFound}
	case status == http.StatusUnavailableForLegalReasons:
		return paperlist.RepoResult{State: paperlist.StateUnavailable, Reason: "blocked"}
	case status >= 400 && status < 500:
		return failed(fmt.Errorf("github: get %s: %w: %d %s", what, paperlist.ErrRejected, status, c.clean(message)))
	case status >= 500:
		return failed(fmt.Errorf("github: get %s: server error %d %s", what, status, c.clean(message)))
	default:
		return failed(fmt.Errorf("github: get %s: %w: unexpected status %d", what, paperlist.ErrInvalidResponse, status))
	}
}

// stats maps a repository object to paperlist.RepoStats, checking that it
// names a repository.
func (c *Client) stats(r *gh.Repository) (*paperlist.RepoStats, error) {
	if r.GetFullName() == "" || r.GetID() <= 0 {
		return nil, errors.New("repository object without full_name or id")
	}
	if len(r.GetFullName()) > paperlist.MaxNameLen {
		return nil, fmt.Errorf("full_name of %d bytes", len(r.GetFullName()))
	}
	if !paperlist.ValidGitHubName(r.GetFullName()) {
		return nil, fmt.Errorf("full_name %q is not an owner/name GitHub gives", r.GetFullName())
	}
	s := &paperlist.RepoStats{
		FullName:      r.GetFullName(),
		ID:            r.GetID(),
		HTMLURL:       r.GetHTMLURL(),
		Description:   r.GetDescription(),
		Stars:         r.GetStargazersCount(),
		Forks:         r.GetForksCount(),
		OpenIssues:    r.GetOpenIssuesCount(),
		Watchers:      r.GetSubscribersCount(), // watchers_count is the star count
		Language:      r.GetLanguage(),
		License:       r.GetLicense().GetSPDXID(),
		Archived:      r.GetArchived(),
		Disabled:      r.GetDisabled(),
		Fork:          r.GetFork(),
		PushedAt:      r.GetPushedAt().Time,
		CreatedAt:     r.GetCreatedAt().Time,
		Homepage:      r.GetHomepage(),
		DefaultBranch: r.GetDefaultBranch(),
		FetchedAt:     c.now(),
	}
	if len(r.Topics) > 0 {
		s.Topics = append([]string(nil), r.Topics...)
	}
	for _, n := range []struct {
		name  string
		count int
	}{{"stargazers_count", s.Stars}, {"forks_count", s.Forks}, {"open_issues_count", s.OpenIssues}, {"subscribers_count", s.Watchers}} {
		if n.count < 0 {
			return nil, fmt.Errorf("negative %s %d", n.name, n.count)
		}
	}
	c.cut.Note(c.log, "github", s.FullName, s.Bound())
	return s, nil
}

// isUnreadable reports whether decoding a 2xx body failed because of the
// body itself (malformed, truncated, of the wrong type, too large) rather
// than because the connection failed while it was read.
func isUnreadable(err error) bool {
	var syntax *json.SyntaxError
	var typ *json.UnmarshalTypeError
	return errors.As(err, &syntax) || errors.As(err, &typ) ||
		errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, errBodyTooLarge)
}

// scrub removes from a repository's stats what must not be stored: the
// token, should a server echo it in a text, and a link with a scheme other
// than http or https (a javascript: html_url or homepage).
func scrub(s *paperlist.RepoStats, token string) {
	if token != "" {
		for _, f := range []*string{&s.Description, &s.Homepage, &s.HTMLURL, &s.Language, &s.License, &s.DefaultBranch} {
			*f = strings.ReplaceAll(*f, token, "[token]")
		}
		for i := range s.Topics {
			s.Topics[i] = strings.ReplaceAll(s.Topics[i], token, "[token]")
		}
	}
	if s.HTMLURL != "" && !paperlist.IsHTTPURL(s.HTMLURL) {
		s.HTMLURL = ""
	}
	// A homepage is often written without a scheme ("example.org"); one
	// with a scheme other than http or https goes.
	if scheme, _, ok := strings.Cut(s.Homepage, ":"); ok && !strings.ContainsAny(scheme, "/.") && !strings.EqualFold(scheme, "http") && !strings.EqualFold(scheme, "https") {
		s.Homepage = ""
	}
}

// clean makes a server's message fit for an error: without the token, on
// one line, and short.
func (c *Client) clean(msg string) string {
	if c.token != "" {
		msg = strings.ReplaceAll(msg, c.token, "[token]")
	}
	msg = strings.Join(strings.Fields(msg), " ")
	const maxLen = 200
	if len(msg) > maxLen {
		cut := maxLen
		for cut > 0 && !utf8.RuneStart(msg[cut]) {
			cut--
		}
		msg = msg[:cut] + "…"
	}
	return msg
}

func failed(err error) paperlist.RepoResult { return paperlist.RepoResult{Err: err} }
