package github

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/paperlist/paperlist"
)

// Batcher fetches repositories through the GraphQL API in batches, and
// through the REST API the one question GraphQL cannot answer: why a name
// does not resolve (deleted, blocked or moved). It implements
// crawler.RepoBatchSource; its FetchRepo is the REST client's. It is safe
// for concurrent use.
type Batcher struct {
	gql  *GraphQL
	rest *Client

	mu     sync.Mutex
	usage  GraphQLUsage
	latest BatchInfo
}

// GraphQLUsage counts what a Batcher's queries took.
type GraphQLUsage struct {
	// Queries counts the queries answered with data; Points sums their
	// cost.
	Queries, Points int
	// Limit, Remaining and Reset are the GraphQL budget as the latest
	// answer told it; Limit is 0 before any.
	Limit, Remaining int
	Reset            time.Time
}

// NewBatcher returns a Batcher that asks gql for batches and rest for the
// names gql cannot resolve.
func NewBatcher(gql *GraphQL, rest *Client) *Batcher {
	return &Batcher{gql: gql, rest: rest}
}

// Usage returns what the queries took so far and the budget left.
func (b *Batcher) Usage() GraphQLUsage {
	b.mu.Lock()
	defer b.mu.Unlock()
	u := b.usage
	// The headers count every answer, a refused query's too; a query's
	// rateLimit tells when no header did.
	u.Limit, u.Remaining, u.Reset = b.gql.Rate()
	if u.Limit == 0 {
		u.Limit, u.Remaining, u.Reset = b.latest.Limit, b.latest.Remaining, b.latest.ResetAt
	}
	return u
}

// FetchRepo fetches one repository through REST.
func (b *Batcher) FetchRepo(ctx context.Context, req paperlist.RepoRequest) paperlist.RepoResult {
	return b.rest.FetchRepo(ctx, req)
}

// FetchRepos fetches reqs in queries of at most MaxBatch repositories and
// emits each result with its index in reqs. A batch GitHub gives up on
// (ErrBatchTooHeavy) is halved and asked again; a single repository that
// still fails is emitted with the error. A name GraphQL cannot resolve is
// asked once through REST, which tells 404, 451 and 301 apart. GraphQL
// sends no validators: the results carry no ETag. The error is that of a
// whole batch (a rate limit, a refused token, an unreadable answer): the
// requests not emitted yet fail with it.
func (b *Batcher) FetchRepos(ctx context.Context, reqs []paperlist.RepoRequest, emit func(int, paperlist.RepoResult)) error {
	idx := make([]int, len(reqs))
	for i := range idx {
		idx[i] = i
	}
	for len(idx) > 0 {
		n := min(len(idx), MaxBatch)
		if err := b.fetch(ctx, reqs, idx[:n], emit); err != nil {
			return err
		}
		idx = idx[n:]
	}
	return nil
}

// fetch asks for the requests reqs[i] of i in idx in one query, halving on
// ErrBatchTooHeavy.
func (b *Batcher) fetch(ctx context.Context, reqs []paperlist.RepoRequest, idx []int, emit func(int, paperlist.RepoResult)) error {
	names := make([]string, len(idx))
	for k, i := range idx {
		names[k] = reqs[i].Name
	}
	results, info, err := b.gql.FetchBatch(ctx, names)
	if rl := (*RateLimitError)(nil); errors.As(err, &rl) && rl.StatusCode == http.StatusOK {
		// A RATE_LIMITED answer comes as a 200, which the engine's transport
		// passes on; it read the used-up budget from its headers, though,
		// and holds the query asked again until the reset, or stops GitHub
		// for the run when the reset is further off than it may wait.
		results, info, err = b.gql.FetchBatch(ctx, names)
	}
	switch {
	case errors.Is(err, ErrBatchTooHeavy) && len(idx) > 1:
		half := len(idx) / 2
		if err := b.fetch(ctx, reqs, idx[:half], emit); err != nil {
			return err
		}
		return b.fetch(ctx, reqs, idx[half:], emit)
	case errors.Is(err, ErrBatchTooHeavy):
		emit(idx[0], paperlist.RepoResult{Err: err})
		return nil
	case err != nil:
		return err
	}
	b.observe(info)
	for k, r := range results {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		emit(idx[k], b.result(ctx, reqs[idx[k]], r))
	}
	return nil
}

func (b *Batcher) observe(info BatchInfo) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.usage.Queries++
	b.usage.Points += info.Cost
	if !info.ResetAt.IsZero() && (info.ResetAt.After(b.latest.ResetAt) ||
		(info.ResetAt.Equal(b.latest.ResetAt) && info.Remaining < b.latest.Remaining)) {
		b.latest = info
	}
}

// result is what a batch result means as a repository result.
func (b *Batcher) result(ctx context.Context, req paperlist.RepoRequest, r BatchResult) paperlist.RepoResult {
	switch {
	case r.Err != nil:
		return paperlist.RepoResult{Err: r.Err}
	case r.NotFound:
		// GraphQL cannot tell a deletion from a block or a move: REST can.
		// It is asked without validators, which would only make sense for
		// the data GraphQL could not find.
		return b.rest.FetchRepo(ctx, paperlist.RepoRequest{Name: req.Name, ID: req.ID})
	case r.Stats == nil:
		return paperlist.RepoResult{Err: fmt.Errorf("github: graphql get %s: %w: no stats", req.Name, paperlist.ErrInvalidResponse)}
	}
	res := paperlist.RepoResult{State: paperlist.StateOK, Stats: r.Stats}
	if r.Stats.Disabled {
		res.State, res.Reason = paperlist.StateUnavailable, "disabled"
	}
	return res
}

// IsGraphQL reports whether req is a query of a GraphQL endpoint (a POST
// to a path ending in /graphql), which counts against the graphql budget
// rather than REST's core quota.
func IsGraphQL(req *http.Request) bool {
	return req != nil && req.Method == http.MethodPost && strings.HasSuffix(req.URL.Path, "/graphql")
}

// Resource names the rate-limit budget a request spends, for a transport
// that keeps GitHub's budgets apart: "graphql" for a GraphQL query, "" for
// every other request, which spends the host's REST quota.
func Resource(req *http.Request) string {
	if IsGraphQL(req) {
		return "graphql"
	}
	return ""
}

// ReadAPIRateLimit reads the rate limits of any answer of the API host:
// ReadGraphQLRateLimit's for a GraphQL query, ReadRateLimit's otherwise.
func ReadAPIRateLimit(resp *http.Response) paperlist.RateLimit {
	if IsGraphQL(resp.Request) || resp.Header.Get("X-RateLimit-Resource") == "graphql" {
		return ReadGraphQLRateLimit(resp)
	}
	return ReadRateLimit(resp)
}
