package githubtest

import (
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"
	"github.com/vektah/gqlparser/v2/parser"
)

// GraphQLQuota is GitHub's hourly GraphQL budget of a personal token, in
// points.
const GraphQLQuota = 5000

// maxQueryBody bounds the body of a query the server reads.
const maxQueryBody = 1 << 20

// Documentation URLs of the GraphQL side's error bodies.
const (
	docGraphQLAuth = "https://docs.github.com/graphql/guides/forming-calls-with-graphql#authenticating-with-graphql"
	docGraphQL     = "https://docs.github.com/graphql"
)

// GraphQLURL is the GraphQL endpoint: the root with "graphql" in place of
// a trailing "v3/" ("/api/v3/" gives "/api/graphql", as on GitHub
// Enterprise Server), else with "graphql" appended.
func (s *Server) GraphQLURL() string { return s.ts.URL + s.graphqlPath() }

func (s *Server) graphqlPath() string {
	return strings.TrimSuffix(s.prefix, "/v3") + "/graphql"
}

// RateLimitedNext answers the next n GraphQL queries with a RATE_LIMITED
// error (HTTP 200, no data, X-RateLimit-Remaining 0), as GitHub answers a
// used-up budget.
func (s *Server) RateLimitedNext(n int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.gqlLimitedN = n
}

// FailBatchesOver answers every GraphQL query that asks for more than n
// repositories with status (such as 502), as GitHub answers a query that
// runs too long; n <= 0 turns this off.
func (s *Server) FailBatchesOver(n, status int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.heavyOver, s.heavyStatus = n, status
}

// GraphQLPointsUsed is the GraphQL budget all queries took since the server
// started or was Reset.
func (s *Server) GraphQLPointsUsed() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.gqlUsedTotal
}

// gqlRequest is a GraphQL request as read, before the lock is taken.
type gqlRequest struct {
	query     string
	variables map[string]any
	doc       *ast.QueryDocument
	// bad is the message of a body that is no GraphQL request; parseErr is
	// the error of a query that does not parse.
	bad      string
	parseErr *gqlerror.Error
}

// readGraphQL reads and parses a GraphQL request body.
func readGraphQL(r *http.Request) *gqlRequest {
	var body struct {
		Query         string         `json:"query"`
		Variables     map[string]any `json:"variables"`
		OperationName string         `json:"operationName"`
	}
	b, err := io.ReadAll(io.LimitReader(r.Body, maxQueryBody))
	if err != nil || json.Unmarshal(b, &body) != nil {
		return &gqlRequest{bad: "Problems parsing JSON"}
	}
	g := &gqlRequest{query: body.Query, variables: body.Variables}
	if strings.TrimSpace(body.Query) == "" {
		g.bad = "A query attribute must be specified and must be a string."
		return g
	}
	doc, err := parser.ParseQuery(&ast.Source{Input: body.Query})
	if err != nil {
		var gerr *gqlerror.Error
		if !errors.As(err, &gerr) {
			gerr = gqlerror.Wrap(err)
		}
		g.parseErr = gerr
		return g
	}
	g.doc = doc
	return g
}

// repositoryCount is how many repository fields the first operation asks
// for at its top level.
func (g *gqlRequest) repositoryCount() int {
	if g.doc == nil || len(g.doc.Operations) == 0 {
		return 0
	}
	n := 0
	for _, sel := range g.doc.Operations[0].SelectionSet {
		if f, ok := sel.(*ast.Field); ok && f.Name == "repository" {
			n++
		}
	}
	return n
}

// graphqlAnswer decides the answer to a GraphQL request. It runs under s.mu.
func (s *Server) graphqlAnswer(r *http.Request, g *gqlRequest) answer {
	h := s.begin()
	if r.Method != http.MethodPost {
		return answer{status: http.StatusNotFound, header: h, body: jsonBody(map[string]string{
			"message": "Not Found", "documentation_url": docGraphQL,
		})}
	}
	if r.Header.Get("Authorization") == "" {
		return answer{status: http.StatusUnauthorized, header: h, body: jsonBody(map[string]string{
			"message": "This endpoint requires you to be authenticated.", "documentation_url": docGraphQLAuth,
		})}
	}
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
	limit := s.opts.GraphQLQuota
	if limit <= 0 {
		limit = GraphQLQuota
	}
	rate := func(cost int) { s.charge(h, "graphql", s.gqlUsed, &s.gqlUsedTotal, identity, limit, cost) }
	if s.secN > 0 {
		s.secN--
		rate(0)
		return s.secondary(h)
	}
	switch {
	case g.bad != "":
		rate(0)
		return answer{status: http.StatusBadRequest, header: h, body: jsonBody(map[string]string{
			"message": g.bad, "documentation_url": docGraphQL,
		})}
	case g.parseErr != nil:
		rate(0)
		return answer{status: http.StatusOK, header: h, body: jsonBody(map[string]any{
			"errors": []any{g.parseErr},
		})}
	case s.heavyOver > 0 && g.repositoryCount() > s.heavyOver:
		rate(0)
		return answer{status: s.heavyStatus, header: h, body: jsonBody(map[string]any{
			"data": nil,
			"errors": []map[string]string{{
				"message": "Something went wrong while executing your query. This may be the result of a timeout, or it could be a GitHub bug. Please include `0687:0D5B` when reporting this issue.",
			}},
		})}
	case s.gqlLimitedN > 0 || s.gqlUsed[identity] >= limit:
		if s.gqlLimitedN > 0 {
			s.gqlLimitedN--
		}
		rate(0)
		h.Set("X-RateLimit-Remaining", "0")
		return answer{status: http.StatusOK, header: h, body: jsonBody(map[string]any{
			"errors": []map[string]string{{"type": "RATE_LIMITED", "message": "API rate limit exceeded for user ID 1."}},
		})}
	}

	cost := (&executor{s: s, doc: g.doc, vars: g.variables}).queryCost()
	rate(cost)
	used := s.gqlUsed[identity]
	e := &executor{s: s, doc: g.doc, vars: g.variables, rateLimit: map[string]any{
		"cost": cost, "limit": limit, "remaining": max(limit-used, 0), "used": used,
		"resetAt": s.windowEnd.UTC().Format(time.RFC3339), "nodeCount": g.repositoryCount(),
	}}
	data := e.run()
	if e.invalid {
		// A query that does not fit the schema is refused before it runs,
		// and costs nothing.
		s.gqlUsed[identity] -= cost
		s.gqlUsedTotal -= cost
		rate(0)
		var refusals []gqlError
		for _, err := range e.errs {
			if err.Type != "NOT_FOUND" {
				refusals = append(refusals, err)
			}
		}
		return answer{status: http.StatusOK, header: h, body: jsonBody(map[string]any{"errors": refusals})}
	}
	out := map[string]any{"data": data}
	if len(e.errs) > 0 {
		out["errors"] = e.errs
	}
	return answer{status: http.StatusOK, header: h, body: jsonBody(out), cost: cost}
}
