// Package github fetches repository stats from the GitHub REST API through
// github.com/google/go-github/v60.
//
// The engine's *http.Client does all waiting, retrying and rate-limit
// pacing; a Client adds the token (to the API host only), makes conditional
// requests with the validators of the cached data, follows renames, and
// turns GitHub's answers into results the crawler can store:
// https://docs.github.com/rest/repos/repos#get-a-repository.
package github

import (
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/paperlist/paperlist"
	"github.com/paperlist/paperlist/sources/internal/cutnotice"
	"github.com/paperlist/paperlist/sources/internal/httpget"
)

// DefaultBaseURL is the REST API of github.com.
const DefaultBaseURL = "https://api.github.com/"

// maxBody bounds the size of an answer; a repository object is about 7 KB.
const maxBody = 4 << 20

// Options configure a Client.
type Options struct {
	// BaseURL is the REST API root, DefaultBaseURL when empty. It is used as
	// given, with a "/" added when it lacks one: for GitHub Enterprise
	// Server give the full API root, "https://HOST/api/v3/" (unlike
	// go-github's WithEnterpriseURLs, "api/v3/" is not appended).
	BaseURL string
	// Token authenticates the requests, sent as "Authorization: Bearer" to
	// the host of BaseURL and nowhere else; empty means unauthenticated
	// (60 requests an hour on github.com).
	Token string
	// HTTPClient is the engine's client, whose transport paces and retries;
	// it is required.
	HTTPClient *http.Client
	// UserAgent is sent with every request; paperlist.DefaultUserAgent
	// when empty.
	UserAgent string
	// Now is the clock for FetchedAt; time.Now when nil.
	Now func() time.Time
	// Logger receives a warning the first time an answer is cut to
	// paperlist's bounds; nothing is logged when nil.
	Logger *slog.Logger
}

// Client fetches repositories from the GitHub REST API. It is safe for
// concurrent use.
type Client struct {
	base      *url.URL
	http      *http.Client
	userAgent string
	token     string
	now       func() time.Time
	log       *slog.Logger
	cut       cutnotice.Notice

	rate quotaSeen // the core quota
}

// New returns a Client for opts.
func New(opts Options) (*Client, error) {
	if opts.HTTPClient == nil {
		return nil, errors.New("github: no http client")
	}
	base, err := httpget.ParseEndpoint(opts.BaseURL, DefaultBaseURL)
	if err != nil {
		return nil, fmt.Errorf("github: base url %w", err)
	}
	if !strings.HasSuffix(base.Path, "/") {
		base.Path += "/"
	}
	if httpget.BadSecret(opts.Token) {
		return nil, errors.New("github: token contains spaces or control characters")
	}
	c := &Client{
		base:      base,
		userAgent: opts.UserAgent,
		token:     opts.Token,
		now:       opts.Now,
		log:       opts.Logger,
	}
	if c.userAgent == "" {
		c.userAgent = paperlist.DefaultUserAgent
	}
	if c.now == nil {
		c.now = time.Now
	}
	c.http = httpget.Wrap(opts.HTTPClient, func(next http.RoundTripper) http.RoundTripper {
		return &transport{next: next, client: c}
	}, c.checkRedirect)
	return c, nil
}

// TokenFromEnv returns the token in GITHUB_TOKEN, else in GH_TOKEN, else "".
func TokenFromEnv(getenv func(string) string) string {
	return httpget.FirstEnv(getenv, "GITHUB_TOKEN", "GH_TOKEN")
}

// Authenticated reports whether the Client sends a token.
func (c *Client) Authenticated() bool { return c.token != "" }

// Rate returns the primary rate limit as the latest answer of the API host
// told it (X-RateLimit-Limit, -Remaining and -Reset); zeros before any.
func (c *Client) Rate() (limit, remaining int, reset time.Time) { return c.rate.get() }

// observeRate records the quota an answer of the API host told (see
// ReadRateLimit).
func (c *Client) observeRate(h http.Header) { c.rate.observe(quota(h)) }

// isAPIHost reports whether u is on the scheme and host of the base URL.
func (c *Client) isAPIHost(u *url.URL) bool {
	return httpget.SameHost(u, c.base)
}

// transport adds the token to requests for the API host only (a redirect to
// another host never gets it), records the rate limit of its answers, and
// bounds the size of every answer.
type transport struct {
	next   http.RoundTripper
	client *Client
}

func (t *transport) RoundTrip(req *http.Request) (*http.Response, error) {
	api := t.client.isAPIHost(req.URL)
	var auth string
	if t.client.token != "" {
		auth = "Bearer " + t.client.token
	}
	resp, err := t.next.RoundTrip(httpget.Credential(req, api, "Authorization", auth))
	if err != nil {
		return nil, err
	}
	if api {
		t.client.observeRate(resp.Header)
	}
	resp.Body = &limitedBody{rc: resp.Body, left: maxBody}
	return resp, nil
}

// errBodyTooLarge is the read error of an answer over maxBody.
var errBodyTooLarge = fmt.Errorf("answer larger than %d bytes", maxBody)

// limitedBody reads at most left bytes of rc and then fails with
// errBodyTooLarge if there is more.
type limitedBody struct {
	rc   io.ReadCloser
	left int64
}

func (b *limitedBody) Read(p []byte) (int, error) {
	if b.left <= 0 {
		var one [1]byte
		n, err := io.ReadAtLeast(b.rc, one[:], 1)
		if n > 0 {
			return 0, errBodyTooLarge
		}
		return 0, err
	}
	if int64(len(p)) > b.left {
		p = p[:b.left]
	}
	n, err := b.rc.Read(p)
	b.left -= int64(n)
	return n, err
}

func (b *limitedBody) Close() error { return b.rc.Close() }
