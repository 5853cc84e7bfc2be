// Package semanticscholar fetches citation counts, venues and ids from
// Semantic Scholar's Academic Graph API: one POST of its batch endpoint
// asks for up to 500 papers by arXiv id, DOI or landing-page URL
// (https://api.semanticscholar.org/api-docs/graph#tag/Paper-Data/operation/post_graph_get_papers).
//
// Like the other sources, a Client sends one request at a time and never
// retries or sleeps: the *http.Client it is given (the crawler's transport)
// spaces the requests, backs off on 429 with or without Retry-After and
// retries. A Client adds the API key, when it has one, to the requests for
// its API host only, and never puts it in an error or a log line.
package semanticscholar

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/paperlist/paperlist"
	"github.com/paperlist/paperlist/sources/internal/cutnotice"
	"github.com/paperlist/paperlist/sources/internal/httpget"
)

// Defaults of Options, and the limits of the API.
const (
	// DefaultBaseURL is the root of the Academic Graph API; the batch
	// endpoint is DefaultBaseURL + "/paper/batch".
	DefaultBaseURL = "https://api.semanticscholar.org/graph/v1"
	// MaxBatch is the most ids one batch request may ask for; the API
	// refuses more with a 400.
	MaxBatch = 500
	// DefaultMaxBodyBytes bounds an answer; the API's own bound is 10 MB,
	// and 500 papers with the fields asked are about 250 KB.
	DefaultMaxBodyBytes = 16 << 20
	// Interval is the spacing the API asks of a client with a key (1
	// request a second), and the least a client without one should keep:
	// the crawler's host policy for the API host is one request at a
	// time, Interval apart, its backoff on 429 starting at twice Interval.
	Interval = time.Second
	// KeyHeader is the header the API key is sent in.
	KeyHeader = "x-api-key"
)

// Fields are the fields every batch request asks for, in the order sent.
var Fields = []string{
	"externalIds", "title", "venue", "publicationVenue", "year", "publicationDate",
	"citationCount", "influentialCitationCount", "referenceCount", "isOpenAccess", "openAccessPdf", "url",
}

// Options configure a Client. HTTPClient is required; the zero value of
// every other field picks its default.
type Options struct {
	// BaseURL is the API root, DefaultBaseURL when empty: the batch
	// endpoint is BaseURL + "/paper/batch".
	BaseURL string
	// APIKey is sent as x-api-key to the host of BaseURL and nowhere
	// else; empty means the anonymous pool (about 100 requests in 5
	// minutes, shared by everyone).
	APIKey string
	// HTTPClient sends every request; it spaces and retries them, the
	// Client does neither.
	HTTPClient *http.Client
	// UserAgent is sent with every request; by default it names paperlist,
	// its version and its project URL.
	UserAgent string
	// BatchSize is how many ids one request asks for; MaxBatch when 0 or
	// more than MaxBatch.
	BatchSize int
	// MaxBodyBytes bounds the body of an answer; DefaultMaxBodyBytes when 0.
	MaxBodyBytes int64
	// Now gives the time records are stamped with; time.Now when nil.
	Now func() time.Time
	// Logger receives a debug line per batch and a warning the first time
	// an answer is cut to paperlist's bounds; nothing is logged when nil.
	Logger *slog.Logger
}

// Client fetches papers from the Academic Graph API's batch endpoint. It is
// safe for concurrent use.
type Client struct {
	base      *url.URL
	batchURL  string
	key       string
	hc        *http.Client
	userAgent string
	batchSize int
	maxBody   int64
	now       func() time.Time
	log       *slog.Logger
	cut       cutnotice.Notice
}

// New returns a client with the given options, or an error for a missing
// HTTPClient, a BaseURL that is no absolute http(s) URL, or a key with
// spaces or control characters (the error never holds the key).
func New(opts Options) (*Client, error) {
	if opts.HTTPClient == nil {
		return nil, errors.New("semanticscholar: no http client given")
	}
	base, err := httpget.ParseEndpoint(opts.BaseURL, DefaultBaseURL)
	if err != nil {
		return nil, fmt.Errorf("semanticscholar: base url %w", err)
	}
	if base.User != nil {
		return nil, fmt.Errorf("semanticscholar: base url %q has a user", base.Redacted())
	}
	base.Path = strings.TrimSuffix(base.Path, "/")
	base.RawPath = ""
	if httpget.BadSecret(opts.APIKey) {
		return nil, errors.New("semanticscholar: api key contains spaces or control characters")
	}
	c := &Client{
		base:      base,
		key:       opts.APIKey,
		userAgent: opts.UserAgent,
		batchSize: opts.BatchSize,
		maxBody:   opts.MaxBodyBytes,
		now:       opts.Now,
		log:       opts.Logger,
	}
	u := *base
	u.Path += "/paper/batch"
	u.RawQuery = "fields=" + strings.Join(Fields, ",")
	c.batchURL = u.String()
	if c.userAgent == "" {
		c.userAgent = paperlist.DefaultUserAgent
	}
	if c.batchSize <= 0 || c.batchSize > MaxBatch {
		c.batchSize = MaxBatch
	}
	if c.maxBody <= 0 {
		c.maxBody = DefaultMaxBodyBytes
	}
	if c.now == nil {
		c.now = time.Now
	}
	if c.log == nil {
		c.log = slog.New(slog.DiscardHandler)
	}
	c.hc = httpget.Wrap(opts.HTTPClient, func(next http.RoundTripper) http.RoundTripper {
		return &keyTransport{next: next, client: c}
	}, c.checkRedirect)
	return c, nil
}

// KeyFromEnv returns the API key in S2_API_KEY, else in
// SEMANTIC_SCHOLAR_API_KEY, else "".
func KeyFromEnv(getenv func(string) string) string {
	return httpget.FirstEnv(getenv, "S2_API_KEY", "SEMANTIC_SCHOLAR_API_KEY")
}

// Authenticated reports whether the Client sends an API key.
func (c *Client) Authenticated() bool { return c.key != "" }

// FetchCitations looks ids up and calls emit once per distinct id as soon
// as its outcome is known: a Record, NotFound for an id Semantic Scholar
// answers null, or an Err.
//
// An id the API would not read (CitationID's constructors make ARXIV:,
// DOI: and URL: ids; the API also reads CorpusId:, MAG:, ACL:, PMID:,
// PMCID:, a bare DOI and a bare paperId) is emitted with an error wrapping
// paperlist.ErrRejected and never sent. The rest go out in batches of
// BatchSize (at most MaxBatch), each one POST of /paper/batch?fields=… with
// {"ids": [...]}; the answer is an array in the order asked. A batch that
// fails (a refusal, an unreadable answer, an array of another length than
// the ids asked) fails its ids and the next batch is sent; a paper of an
// answer that cannot be read fails its id alone. FetchCitations returns an
// error only for a cancelled context or the crawler's rate-limit stop
// (paperlist.ErrWaitTooLong); the ids not emitted by then are not emitted.
func (c *Client) FetchCitations(ctx context.Context, ids []paperlist.CitationID, emit func(paperlist.CitationResult)) error {
	var valid []paperlist.CitationID
	seen := make(map[paperlist.CitationID]bool, len(ids))
	for _, id := range ids {
		if seen[id] {
			continue
		}
		seen[id] = true
		if !wellFormed(id) {
			emit(paperlist.CitationResult{ID: id, Err: fmt.Errorf("semanticscholar: malformed id %q: %w", id, paperlist.ErrRejected)})
			continue
		}
		valid = append(valid, id)
	}
	for start := 0; start < len(valid); start += c.batchSize {
		batch := valid[start:min(start+c.batchSize, len(valid))]
		c.log.Debug("semanticscholar: batch", "ids", len(batch))
		papers, err := c.fetchBatch(ctx, batch)
		if err != nil {
			err = fmt.Errorf("semanticscholar: fetch batch of %d: %w", len(batch), err)
			if stops(ctx, err) {
				return err
			}
			for _, id := range batch {
				emit(paperlist.CitationResult{ID: id, Err: err})
			}
			continue
		}
		now := c.now()
		for i, id := range batch {
			emit(c.result(id, papers[i], now))
		}
	}
	return nil
}

// result turns the answer for id into its result.
func (c *Client) result(id paperlist.CitationID, raw json.RawMessage, now time.Time) paperlist.CitationResult {
	rec, err := parsePaper(raw)
	switch {
	case err != nil:
		return paperlist.CitationResult{ID: id, Err: fmt.Errorf("semanticscholar: paper %s: %w", id, err)}
	case rec == nil:
		return paperlist.CitationResult{ID: id, NotFound: true}
	}
	rec.FetchedAt = now
	c.cut.Note(c.log, "semanticscholar", string(id), rec.Bound())
	return paperlist.CitationResult{ID: id, Record: rec}
}

// idPrefixes are the prefixes of the ids the API reads
// (https://api.semanticscholar.org/api-docs/graph#tag/Paper-Data/operation/post_graph_get_papers).
var idPrefixes = []string{"ARXIV:", "DOI:", "URL:", "CORPUSID:", "MAG:", "ACL:", "PMID:", "PMCID:"}

// wellFormed reports whether id is one the API reads: a prefix of
// idPrefixes (in any case) and something after it, a bare DOI or a bare
// paperId; without white space.
func wellFormed(id paperlist.CitationID) bool {
	s := string(id)
	if s == "" || paperlist.HasSpaceOrControl(s) {
		return false
	}
	for _, prefix := range idPrefixes {
		if len(s) > len(prefix) && strings.EqualFold(s[:len(prefix)], prefix) {
			return true
		}
	}
	if strings.HasPrefix(s, "10.") && strings.Contains(s, "/") {
		return true
	}
	return len(s) == 40 && strings.Trim(s, "0123456789abcdef") == ""
}

// batchBody is the body of a batch request.
type batchBody struct {
	IDs []paperlist.CitationID `json:"ids"`
}

// fetchBatch sends one batch request and returns the answer's items, one
// per id, in the order asked.
func (c *Client) fetchBatch(ctx context.Context, ids []paperlist.CitationID) ([]json.RawMessage, error) {
	body, err := json.Marshal(batchBody{IDs: ids})
	if err != nil {
		return nil, err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.batchURL, bytes.NewReader(body))
	if err != nil {
		return nil, err
	}
	req.Header.Set("User-Agent", c.userAgent)
	req.Header.Set("Accept", "application/json")
	req.Header.Set("Content-Type", "application/json")
	resp, err := httpget.Do(ctx, c.hc, req, c.maxBody)
	if err != nil {
		return nil, httpget.Redact(err, c.key, "[api key]")
	}
	if err := c.statusError(resp); err != nil {
		return nil, err
	}
	return parseBatch(resp.Body, len(ids))
}

// statusError is the error a non-200 answer means: 429 (the transport's
// retries ran out) and 5xx are worth another run; any other 4xx wraps
// paperlist.ErrRejected, since asking again gets the same answer.
func (c *Client) statusError(resp *httpget.Response) error {
	switch {
	case resp.Status == http.StatusOK:
		if mt := resp.MediaType(); mt != "application/json" && mt != "" {
			return fmt.Errorf("content type %q, not JSON: %w", mt, paperlist.ErrInvalidResponse)
		}
		return nil
	case resp.Status == http.StatusTooManyRequests:
		return fmt.Errorf("rate limited (status 429): %s", c.excerpt(resp))
	case resp.Status >= 400 && resp.Status <= 499 && resp.Status != http.StatusRequestTimeout:
		return fmt.Errorf("status %d: %s: %w", resp.Status, c.excerpt(resp), paperlist.ErrRejected)
	default:
		return fmt.Errorf("status %d: %s", resp.Status, c.excerpt(resp))
	}
}

// excerpt is the start of a failed answer's body, on one line, for an
// error message: the API's "error" or "message" when it gives one. The
// key never shows, even if a server echoed it.
func (c *Client) excerpt(resp *httpget.Response) string {
	var e struct {
		Error   string `json:"error"`
		Message string `json:"message"`
	}
	s := string(resp.Body)
	if json.Unmarshal(resp.Body, &e) == nil && (e.Error != "" || e.Message != "") {
		s = e.Error
		if s == "" {
			s = e.Message
		}
	}
	s = paperlist.FoldSpace(s)
	if c.key != "" {
		s = strings.ReplaceAll(s, c.key, "[api key]")
	}
	if len(s) > 200 {
		s, _ = paperlist.Clip(s, 200)
	}
	return s
}

// stops reports whether err must end the fetch: the context is done or the
// crawler stopped the host for this run.
func stops(ctx context.Context, err error) bool {
	return ctx.Err() != nil || errors.Is(err, context.Canceled) || errors.Is(err, paperlist.ErrWaitTooLong)
}

// isAPIHost reports whether u is on the scheme and host of the base URL.
func (c *Client) isAPIHost(u *url.URL) bool {
	return httpget.SameHost(u, c.base)
}

// checkRedirect follows no redirect off the API host: another host's
// answer is no answer of Semantic Scholar's, and the key must not go
// there.
func (c *Client) checkRedirect(req *http.Request, via []*http.Request) error {
	if !c.isAPIHost(req.URL) {
		return fmt.Errorf("redirect to %s, off the api host, not followed", req.URL.Host)
	}
	if len(via) >= 3 {
		return errors.New("more than 3 redirects")
	}
	return nil
}

// keyTransport adds the key to the requests for the API host, and takes
// any key header off a request for another host.
type keyTransport struct {
	next   http.RoundTripper
	client *Client
}

func (t *keyTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	return t.next.RoundTrip(httpget.Credential(req, t.client.isAPIHost(req.URL), KeyHeader, t.client.key))
}
