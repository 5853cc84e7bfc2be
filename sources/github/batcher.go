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
	// heavyInRow counts the queries GraphQL gave up on since the last
	// answer; at breakAfter, broken turns GraphQL off for the run.
	heavyInRow int
	broken     bool
}

// breakAfter is how many queries in a row GraphQL may give up on
// (ErrBatchTooHeavy: a 502, 503, 504 or a timeout) before a Batcher stops
// asking it for the run and fetches through REST, as the transport stops a
// host that is down: halving batches that fail at every size costs 2n-2
// queries for n repositories. Halving from 100, five failures reach
// batches of 6, past which halving saves little over REST.
const breakAfter = 5

// restFanOut is how many REST requests a Batcher that gave up on GraphQL
// has in flight; the transport paces them by the host's policy.
const restFanOut = 8

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
// still fails is asked through REST. After breakAfter such failures in
// a row, GraphQL is not asked again by this Batcher: every repository goes
// through REST. An answer that does not add up (two aliases swapped, a
// cycle of renames, two names asked answered by one repository, or a
// repository known by another asked name's id) is not trusted for the
// repositories involved: each is asked through REST. A name GraphQL cannot resolve is
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
	if b.isBroken() {
		return b.fetchREST(ctx, reqs, idx, emit)
	}
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
	if errors.Is(err, ErrBatchTooHeavy) && b.gaveUp() {
		return b.fetchREST(ctx, reqs, idx, emit)
	}
	switch {
	case errors.Is(err, ErrBatchTooHeavy) && len(idx) > 1:
		half := len(idx) / 2
		if err := b.fetch(ctx, reqs, idx[:half], emit); err != nil {
			return err
		}
		return b.fetch(ctx, reqs, idx[half:], emit)
	case errors.Is(err, ErrBatchTooHeavy):
		// One repository GraphQL gives up on is one REST request.
		emit(idx[0], b.rest.FetchRepo(ctx, reqs[idx[0]]))
		return nil
	case err != nil:
		return err
	}
	b.observe(info)
	untrusted := conflicts(reqs, idx, results)
	for k, r := range results {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		if untrusted[k] {
			emit(idx[k], b.rest.FetchRepo(ctx, reqs[idx[k]]))
			continue
		}
		emit(idx[k], b.result(ctx, reqs[idx[k]], r))
	}
	return nil
}

func (b *Batcher) isBroken() bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.broken
}

// gaveUp counts a query GraphQL gave up on and reports whether GraphQL is
// now off for the run.
func (b *Batcher) gaveUp() bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.heavyInRow++
	if b.heavyInRow >= breakAfter && !b.broken {
		b.broken = true
		if b.gql.log != nil {
			b.gql.log.Warn("github: graphql gave up on queries of every size; the rest goes through REST", "failures_in_a_row", b.heavyInRow)
		}
	}
	return b.broken
}

// fetchREST fetches the requests reqs[i] of i in idx through REST, a few
// at a time, emitting from one goroutine at a time.
func (b *Batcher) fetchREST(ctx context.Context, reqs []paperlist.RepoRequest, idx []int, emit func(int, paperlist.RepoResult)) error {
	var (
		mu  sync.Mutex
		wg  sync.WaitGroup
		sem = make(chan struct{}, restFanOut)
	)
	for _, i := range idx {
		select {
		case sem <- struct{}{}:
		case <-ctx.Done():
			wg.Wait()
			return ctx.Err()
		}
		wg.Go(func() {
			defer func() { <-sem }()
			res := b.rest.FetchRepo(ctx, reqs[i])
			mu.Lock()
			defer mu.Unlock()
			emit(i, res)
		})
	}
	wg.Wait()
	return ctx.Err()
}

// conflicts marks the results of a batch (results[k] answers reqs[idx[k]])
// that the answer itself contradicts: a repository answered for two names
// (by canonical name or database id), a rename onto another name of the
// batch (two aliases swapped, a cycle), or a database id that the cache
// knows as another asked repository's. Both sides of each are marked.
func conflicts(reqs []paperlist.RepoRequest, idx []int, results []BatchResult) map[int]bool {
	out := map[int]bool{}
	asked := map[string]int{}
	knownID := map[int64]int{}
	for k, i := range idx {
		asked[paperlist.RepoKey(reqs[i].Name)] = k
		if reqs[i].ID > 0 {
			knownID[reqs[i].ID] = k
		}
	}
	byName, byID := map[string]int{}, map[int64]int{}
	for k, r := range results {
		if r.Stats == nil {
			continue
		}
		canon := paperlist.RepoKey(r.Stats.FullName)
		if j, ok := byName[canon]; ok {
			out[j], out[k] = true, true
		}
		byName[canon] = k
		if j, ok := byID[r.Stats.ID]; ok {
			out[j], out[k] = true, true
		}
		byID[r.Stats.ID] = k
		if j, ok := asked[canon]; ok && j != k {
			out[j], out[k] = true, true
		}
		if j, ok := knownID[r.Stats.ID]; ok && j != k {
			out[j], out[k] = true, true
		}
	}
	return out
}

func (b *Batcher) observe(info BatchInfo) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.heavyInRow = 0
	b.usage.Queries++
	// A negative cost is no cost: it must not hide another query's.
	b.usage.Points += max(info.Cost, 0)
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
	scrub(r.Stats, b.gql.token)
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
