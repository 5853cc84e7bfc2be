package github

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/paperlist/paperlist"
)

// gqlAnswer is the body of a GraphQL answer: the data of the aliases and of
// rateLimit, and the errors.
type gqlAnswer struct {
	Data      map[string]json.RawMessage
	RateLimit *rateLimitNode
	Errors    []*GraphQLError
}

type rateLimitNode struct {
	Cost      int       `json:"cost"`
	Limit     int       `json:"limit"`
	Remaining int       `json:"remaining"`
	Used      int       `json:"used"`
	ResetAt   time.Time `json:"resetAt"`
}

func (r *rateLimitNode) info() BatchInfo {
	return BatchInfo{Cost: r.Cost, Limit: r.Limit, Remaining: r.Remaining, Used: r.Used, ResetAt: r.ResetAt}
}

// wireError is an entry of the errors array as GitHub sends it; a path
// holds field names and list indexes.
type wireError struct {
	Type    string `json:"type"`
	Message string `json:"message"`
	Path    []any  `json:"path"`
}

// readAnswer decodes a 200 answer.
func readAnswer(resp *http.Response) (*gqlAnswer, error) {
	var wire struct {
		Data   map[string]json.RawMessage `json:"data"`
		Errors []wireError                `json:"errors"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&wire); err != nil {
		return nil, err
	}
	ans := &gqlAnswer{Data: wire.Data}
	if raw, ok := wire.Data["rateLimit"]; ok && string(raw) != "null" {
		var rl rateLimitNode
		if err := json.Unmarshal(raw, &rl); err != nil {
			return nil, fmt.Errorf("%w: rateLimit: %v", paperlist.ErrInvalidResponse, err)
		}
		ans.RateLimit = &rl
	}
	for _, w := range wire.Errors {
		e := &GraphQLError{Type: w.Type, Message: w.Message}
		for _, p := range w.Path {
			switch v := p.(type) {
			case string:
				e.Path = append(e.Path, v)
			case float64:
				e.Path = append(e.Path, strconv.FormatFloat(v, 'f', -1, 64))
			}
		}
		ans.Errors = append(ans.Errors, e)
	}
	if ans.Data == nil && len(ans.Errors) == 0 {
		return nil, fmt.Errorf("%w: an answer without data or errors", paperlist.ErrInvalidResponse)
	}
	return ans, nil
}

// resolve fills the results of the names asked (asked[k] is results[index[k]])
// from an answer, or returns the error of the whole batch.
func (g *GraphQL) resolve(what string, ans *gqlAnswer, asked []string, index []int, results []BatchResult) error {
	failed := make(map[int]bool)
	var whole *GraphQLError
	for _, e := range ans.Errors {
		e.Message = g.clean(e.Message)
		if e.Type == "RATE_LIMITED" {
			return fmt.Errorf("github: graphql %s: %w", what, g.rateLimited(ans))
		}
		k, ok := aliasIndex(e.Path, len(asked))
		if !ok {
			if whole == nil {
				whole = e
			}
			continue
		}
		r := &results[index[k]]
		if failed[k] {
			continue
		}
		failed[k] = true
		if e.Type == "NOT_FOUND" && len(e.Path) == 1 {
			r.NotFound, r.Message = true, e.Message
			continue
		}
		r.Err = fmt.Errorf("github: graphql get %s: %w", asked[k], e)
	}
	if whole != nil {
		if strings.Contains(strings.ToLower(whole.Message), "timeout") {
			return fmt.Errorf("github: graphql %s: %w: %w", what, ErrBatchTooHeavy, whole)
		}
		return fmt.Errorf("github: graphql %s: %w: %w", what, paperlist.ErrRejected, whole)
	}
	if ans.Data == nil {
		return fmt.Errorf("github: graphql %s: %w: no data", what, paperlist.ErrInvalidResponse)
	}
	for k, name := range asked {
		if failed[k] {
			continue
		}
		r := &results[index[k]]
		raw, ok := ans.Data[alias(k)]
		if !ok || string(raw) == "null" {
			r.Err = fmt.Errorf("github: graphql get %s: %w: no repository and no error for %s", name, paperlist.ErrInvalidResponse, alias(k))
			continue
		}
		var node repoNode
		if err := json.Unmarshal(raw, &node); err != nil {
			r.Err = fmt.Errorf("github: graphql get %s: %w: %v", name, paperlist.ErrInvalidResponse, err)
			continue
		}
		stats, err := g.stats(&node)
		if err != nil {
			r.Err = fmt.Errorf("github: graphql get %s: %w: %v", name, paperlist.ErrInvalidResponse, err)
			continue
		}
		r.Stats = stats
	}
	return nil
}

// rateLimited is the error of a RATE_LIMITED answer: the budget is used up
// until the reset the answer tells.
func (g *GraphQL) rateLimited(ans *gqlAnswer) *RateLimitError {
	e := &RateLimitError{StatusCode: http.StatusOK, Primary: true}
	if ans.RateLimit != nil {
		e.Reset = ans.RateLimit.ResetAt
	} else {
		_, _, e.Reset = g.Rate()
	}
	return e
}

// aliasIndex returns k when a path starts with the alias rk of a batch of
// n.
func aliasIndex(path []string, n int) (int, bool) {
	if len(path) == 0 {
		return 0, false
	}
	s, ok := strings.CutPrefix(path[0], "r")
	if !ok {
		return 0, false
	}
	k, err := strconv.Atoi(s)
	if err != nil || k < 0 || k >= n || alias(k) != path[0] {
		return 0, false
	}
	return k, true
}

// repoNode is a repository as the fragment of graphql_query.go asks for it.
type repoNode struct {
	DatabaseID      int64     `json:"databaseId"`
	NameWithOwner   string    `json:"nameWithOwner"`
	URL             string    `json:"url"`
	Description     string    `json:"description"`
	StargazerCount  int       `json:"stargazerCount"`
	ForkCount       int       `json:"forkCount"`
	Issues          countNode `json:"issues"`
	PullRequests    countNode `json:"pullRequests"`
	Watchers        countNode `json:"watchers"`
	PrimaryLanguage *nameNode `json:"primaryLanguage"`
	LicenseInfo     *struct {
		SPDXID string `json:"spdxId"`
	} `json:"licenseInfo"`
	RepositoryTopics struct {
		Nodes []struct {
			Topic nameNode `json:"topic"`
		} `json:"nodes"`
	} `json:"repositoryTopics"`
	IsArchived       bool       `json:"isArchived"`
	IsDisabled       bool       `json:"isDisabled"`
	IsFork           bool       `json:"isFork"`
	PushedAt         *time.Time `json:"pushedAt"`
	CreatedAt        *time.Time `json:"createdAt"`
	HomepageURL      string     `json:"homepageUrl"`
	DefaultBranchRef *nameNode  `json:"defaultBranchRef"`
}

type countNode struct {
	TotalCount int `json:"totalCount"`
}

type nameNode struct {
	Name string `json:"name"`
}

// stats maps a repository node to paperlist.RepoStats as Client.stats maps
// a REST repository object, with the same checks and bounds.
func (g *GraphQL) stats(r *repoNode) (*paperlist.RepoStats, error) {
	if r.NameWithOwner == "" || r.DatabaseID <= 0 {
		return nil, errors.New("repository without nameWithOwner or databaseId")
	}
	if len(r.NameWithOwner) > paperlist.MaxNameLen {
		return nil, fmt.Errorf("nameWithOwner of %d bytes", len(r.NameWithOwner))
	}
	if !paperlist.ValidGitHubName(r.NameWithOwner) {
		return nil, fmt.Errorf("nameWithOwner %q is not an owner/name GitHub gives", r.NameWithOwner)
	}
	for _, n := range []struct {
		name  string
		count int
	}{
		{"stargazerCount", r.StargazerCount}, {"forkCount", r.ForkCount},
		{"issues.totalCount", r.Issues.TotalCount}, {"pullRequests.totalCount", r.PullRequests.TotalCount},
		{"watchers.totalCount", r.Watchers.TotalCount},
	} {
		if n.count < 0 {
			return nil, fmt.Errorf("negative %s %d", n.name, n.count)
		}
	}
	s := &paperlist.RepoStats{
		FullName:    r.NameWithOwner,
		ID:          r.DatabaseID,
		HTMLURL:     r.URL,
		Description: r.Description,
		Stars:       r.StargazerCount,
		Forks:       r.ForkCount,
		OpenIssues:  r.Issues.TotalCount + r.PullRequests.TotalCount,
		Watchers:    r.Watchers.TotalCount,
		Archived:    r.IsArchived,
		Disabled:    r.IsDisabled,
		Fork:        r.IsFork,
		Homepage:    r.HomepageURL,
		FetchedAt:   g.now(),
	}
	if s.OpenIssues < 0 {
		return nil, fmt.Errorf("open issues and pull requests overflow: %d + %d", r.Issues.TotalCount, r.PullRequests.TotalCount)
	}
	if r.PrimaryLanguage != nil {
		s.Language = r.PrimaryLanguage.Name
	}
	if r.LicenseInfo != nil {
		s.License = r.LicenseInfo.SPDXID
	}
	if r.DefaultBranchRef != nil {
		s.DefaultBranch = r.DefaultBranchRef.Name
	}
	if r.PushedAt != nil {
		s.PushedAt = *r.PushedAt
	}
	if r.CreatedAt != nil {
		s.CreatedAt = *r.CreatedAt
	}
	for _, n := range r.RepositoryTopics.Nodes {
		s.Topics = append(s.Topics, n.Topic.Name)
	}
	g.cut.Note(g.log, "github", s.FullName, s.Bound())
	return s, nil
}

// ReadGraphQLRateLimit reads what an answer of the GraphQL endpoint says of
// its rate limits, as ReadRateLimit does for REST: the budget of the
// graphql resource (X-RateLimit-* with X-RateLimit-Resource: graphql, a
// budget apart from REST's), and whether a 403 or 429 refuses the query
// for the budget (Remaining 0 with a reset) or for a secondary limit. A
// used-up budget usually comes as a 200 with a RATE_LIMITED error instead,
// which only the GraphQL client reads.
//
// GitHub API docs: https://docs.github.com/graphql/overview/rate-limits-and-query-limits-for-the-graphql-api
func ReadGraphQLRateLimit(resp *http.Response) paperlist.RateLimit {
	q := graphqlQuota(resp.Header)
	rl := ReadRateLimit(resp) // the secondary limit reads the same; the quota is core's only
	rl.Limit, rl.Remaining, rl.Reset = q.Limit, q.Remaining, q.Reset
	if (resp.StatusCode == http.StatusForbidden || resp.StatusCode == http.StatusTooManyRequests) &&
		!q.Reset.IsZero() && q.Remaining == 0 {
		rl.Exceeded, rl.Secondary = true, false
	}
	return rl
}

// infoFromHeader is the budget an answer's headers tell, for an answer
// without rateLimit.
func infoFromHeader(h http.Header) BatchInfo {
	q := graphqlQuota(h)
	used, _ := strconv.Atoi(strings.TrimSpace(h.Get("X-RateLimit-Used")))
	return BatchInfo{Limit: q.Limit, Remaining: q.Remaining, Used: used, ResetAt: q.Reset}
}

// errorMessage reads the message of an error body, "" when there is none.
func errorMessage(resp *http.Response) string {
	var body struct {
		Message string `json:"message"`
	}
	b, _ := io.ReadAll(io.LimitReader(resp.Body, peekLimit))
	if json.Unmarshal(b, &body) != nil {
		return ""
	}
	return body.Message
}
