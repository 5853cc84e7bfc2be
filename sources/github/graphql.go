package github

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

// Errors of the GraphQL client, tested with errors.Is.
var (
	// ErrNoToken is returned by NewGraphQL without a token: GitHub's
	// GraphQL API refuses anonymous calls.
	ErrNoToken = errors.New("the graphql api needs a token")
	// ErrBatchTooHeavy marks a batch GitHub gave up on (502, 503 or 504,
	// or an error that says the query timed out): the caller halves the
	// batch and asks again, and only a batch of one that still fails
	// counts as a server error of its repository.
	ErrBatchTooHeavy = errors.New("batch too heavy")
)

// GraphQLOptions configure a GraphQL client.
type GraphQLOptions struct {
	// Endpoint is the GraphQL endpoint, as GraphQLEndpoint gives it for a
	// REST root; GraphQLEndpoint(DefaultBaseURL) when empty.
	Endpoint string
	// Token authenticates the queries, sent as "Authorization: Bearer" to
	// the host of Endpoint and nowhere else; it is required.
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

// GraphQL fetches batches of repositories from GitHub's GraphQL API, one
// query of up to MaxBatch repositories at a time. It is safe for
// concurrent use.
//
// GitHub API docs: https://docs.github.com/graphql/reference/queries#repository
type GraphQL struct {
	endpoint  *url.URL
	http      *http.Client
	userAgent string
	token     string
	now       func() time.Time
	log       *slog.Logger
	cut       cutnotice.Notice

	rate quotaSeen // the graphql budget
}

// BatchResult is what a batch query gave for one repository.
type BatchResult struct {
	// Name is the name asked for, as given to FetchBatch.
	Name string
	// Stats is the repository, set when it resolved; its FullName is the
	// canonical name, which differs from Name after a rename (GraphQL
	// follows renames).
	Stats *paperlist.RepoStats
	// NotFound says GraphQL could not resolve the name (a NOT_FOUND error
	// on its alias): deleted, private, blocked or never there. GraphQL
	// cannot tell these apart; one REST request can.
	NotFound bool
	// Message is GraphQL's message for NotFound, such as "Could not
	// resolve to a Repository with the name 'o/n'.".
	Message string
	// Err is set when this repository failed while the batch did not: a
	// name that cannot be a repository (paperlist.ErrRejected), an answer
	// that is not a repository (paperlist.ErrInvalidResponse), or a
	// *GraphQLError on its alias.
	Err error
}

// BatchInfo is what a batch query told of the GraphQL budget, from the
// query's rateLimit, or from the X-RateLimit headers of the graphql
// resource when the answer had none.
type BatchInfo struct {
	// Cost is the points the query took; Limit, Remaining and Used are the
	// points of the hour's budget until ResetAt.
	Cost, Limit, Remaining, Used int
	ResetAt                      time.Time
}

// GraphQLError is an entry of a GraphQL answer's errors array.
type GraphQLError struct {
	// Type is GitHub's error type, such as "NOT_FOUND", "FORBIDDEN" or
	// "RATE_LIMITED"; it can be empty.
	Type    string
	Message string
	// Path is the path of the field the error is about; its first element
	// is a repository's alias. Empty for an error of the whole query.
	Path []string
}

func (e *GraphQLError) Error() string {
	s := "graphql error"
	if e.Type != "" {
		s += " " + e.Type
	}
	if len(e.Path) > 0 {
		s += " at " + strings.Join(e.Path, ".")
	}
	return s + ": " + e.Message
}

// NewGraphQL returns a GraphQL client for opts.
func NewGraphQL(opts GraphQLOptions) (*GraphQL, error) {
	if opts.HTTPClient == nil {
		return nil, errors.New("github: no http client")
	}
	if opts.Token == "" {
		return nil, fmt.Errorf("github: %w (set GITHUB_TOKEN or GH_TOKEN)", ErrNoToken)
	}
	if httpget.BadSecret(opts.Token) {
		return nil, errors.New("github: token contains spaces or control characters")
	}
	raw := opts.Endpoint
	if raw == "" {
		raw, _ = GraphQLEndpoint(DefaultBaseURL)
	}
	ep, err := httpget.ParseEndpoint(raw, "")
	if err != nil {
		return nil, fmt.Errorf("github: graphql endpoint %w", err)
	}
	g := &GraphQL{
		endpoint:  ep,
		userAgent: opts.UserAgent,
		token:     opts.Token,
		now:       opts.Now,
		log:       opts.Logger,
	}
	if g.userAgent == "" {
		g.userAgent = paperlist.DefaultUserAgent
	}
	if g.now == nil {
		g.now = time.Now
	}
	hc := *opts.HTTPClient
	next := hc.Transport
	if next == nil {
		next = http.DefaultTransport
	}
	hc.Transport = &graphqlTransport{next: next, g: g}
	// GitHub answers a query where it is asked; a redirect would send the
	// query, and with it the list, somewhere else.
	hc.CheckRedirect = func(req *http.Request, _ []*http.Request) error {
		return fmt.Errorf("%w: to %s", errRedirect, req.URL.Redacted())
	}
	g.http = &hc
	return g, nil
}

// Endpoint returns the URL the queries go to.
func (g *GraphQL) Endpoint() string { return g.endpoint.String() }

// Rate returns the GraphQL budget as the latest answer told it (in its
// X-RateLimit headers of the graphql resource); zeros before any.
func (g *GraphQL) Rate() (limit, remaining int, reset time.Time) { return g.rate.get() }

func (g *GraphQL) observeRate(h http.Header) { g.rate.observe(graphqlQuota(h)) }

// FetchBatch fetches up to MaxBatch repositories, named "owner/name", in
// one query, and returns a result for each name in the order given. The
// error is for the whole batch, and then the results are nil: the engine's
// transport gave up, a rate limit (*RateLimitError, which wraps
// paperlist.ErrWaitTooLong; a RATE_LIMITED error arrives as one with
// StatusCode 200), ErrBatchTooHeavy, a refusal of the token
// (paperlist.ErrRejected), or an answer that is no GraphQL answer
// (paperlist.ErrInvalidResponse). A name that cannot be a repository is
// not asked for; its result carries the error.
//
// GitHub API docs: https://docs.github.com/graphql/overview/rate-limits-and-query-limits-for-the-graphql-api
func (g *GraphQL) FetchBatch(ctx context.Context, names []string) ([]BatchResult, BatchInfo, error) {
	if len(names) > MaxBatch {
		return nil, BatchInfo{}, fmt.Errorf("github: batch of %d repositories, more than %d", len(names), MaxBatch)
	}
	results := make([]BatchResult, len(names))
	var asked []string
	var index []int // index[k] is the result of the k-th name asked
	for i, n := range names {
		results[i].Name = n
		if _, _, err := splitName(n); err != nil {
			results[i].Err = err
			continue
		}
		asked = append(asked, n)
		index = append(index, i)
	}
	if len(asked) == 0 {
		return results, BatchInfo{}, nil
	}
	what := fmt.Sprintf("batch of %d", len(asked))
	ans, info, err := g.post(ctx, what, buildBatchQuery(asked))
	if err != nil {
		return nil, info, err
	}
	if err := g.resolve(what, ans, asked, index, results); err != nil {
		return nil, info, err
	}
	return results, info, nil
}

// post sends a query and reads its answer: a 200 with a GraphQL body, or
// the error of the whole batch.
func (g *GraphQL) post(ctx context.Context, what string, q batchQuery) (*gqlAnswer, BatchInfo, error) {
	body, err := json.Marshal(q)
	if err != nil {
		return nil, BatchInfo{}, fmt.Errorf("github: graphql %s: %w", what, err)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, g.endpoint.String(), bytes.NewReader(body))
	if err != nil {
		return nil, BatchInfo{}, fmt.Errorf("github: graphql %s: %w", what, err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "application/json")
	req.Header.Set("User-Agent", g.userAgent)
	resp, err := g.http.Do(req)
	if err != nil {
		var uerr *url.Error
		if errors.As(err, &uerr) {
			err = uerr.Err
		}
		if errors.Is(err, errRedirect) {
			return nil, BatchInfo{}, fmt.Errorf("github: graphql %s: %w: %w", what, paperlist.ErrInvalidResponse, err)
		}
		return nil, BatchInfo{}, fmt.Errorf("github: graphql %s: %w", what, httpget.Redact(err, g.token, "[token]"))
	}
	defer resp.Body.Close()
	info := infoFromHeader(resp.Header)
	if err := g.refusal(what, resp); err != nil {
		return nil, info, err
	}
	ans, err := readAnswer(resp)
	if err != nil {
		if errors.Is(err, paperlist.ErrInvalidResponse) {
			return nil, info, fmt.Errorf("github: graphql %s: %w", what, err)
		}
		if isUnreadable(err) {
			return nil, info, fmt.Errorf("github: graphql %s: %w: %v", what, paperlist.ErrInvalidResponse, err)
		}
		return nil, info, fmt.Errorf("github: graphql %s: read answer: %w", what, err)
	}
	if ans.RateLimit != nil {
		info = ans.RateLimit.info()
	}
	return ans, info, nil
}

// refusal returns the error of an answer that is not 200.
func (g *GraphQL) refusal(what string, resp *http.Response) error {
	status := resp.StatusCode
	if status == http.StatusOK {
		return nil
	}
	if lim := ReadGraphQLRateLimit(resp); lim.Exceeded {
		e := &RateLimitError{StatusCode: status, Primary: !lim.Secondary, RetryAfter: retryAfter(resp.Header)}
		if e.Primary {
			e.Reset = lim.Reset
		}
		return fmt.Errorf("github: graphql %s: %w", what, e)
	}
	message := g.clean(errorMessage(resp))
	switch {
	case status == http.StatusBadGateway || status == http.StatusServiceUnavailable || status == http.StatusGatewayTimeout:
		return fmt.Errorf("github: graphql %s: %w: %d %s", what, ErrBatchTooHeavy, status, message)
	case status >= 400 && status < 500:
		return fmt.Errorf("github: graphql %s: %w: %d %s", what, paperlist.ErrRejected, status, message)
	case status >= 500:
		return fmt.Errorf("github: graphql %s: server error %d %s", what, status, message)
	default:
		return fmt.Errorf("github: graphql %s: %w: unexpected status %d", what, paperlist.ErrInvalidResponse, status)
	}
}

// clean makes a server's message fit for an error, as Client.clean does.
func (g *GraphQL) clean(msg string) string {
	return (&Client{token: g.token}).clean(msg)
}

// graphqlTransport adds the token to requests for the endpoint's host
// only, records the GraphQL budget of its answers, and bounds the size of
// every answer.
type graphqlTransport struct {
	next http.RoundTripper
	g    *GraphQL
}

func (t *graphqlTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	ep := t.g.endpoint
	own := req.URL.Scheme == ep.Scheme && strings.EqualFold(req.URL.Host, ep.Host)
	switch {
	case own:
		req = req.Clone(req.Context())
		req.Header.Set("Authorization", "Bearer "+t.g.token)
	case req.Header.Get("Authorization") != "":
		req = req.Clone(req.Context())
		req.Header.Del("Authorization")
	}
	resp, err := t.next.RoundTrip(req)
	if err != nil {
		return nil, err
	}
	if own {
		t.g.observeRate(resp.Header)
	}
	resp.Body = &limitedBody{rc: resp.Body, left: maxBody}
	return resp, nil
}
