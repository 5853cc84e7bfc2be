package githubtest_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/paperlist/paperlist/sources/github/githubtest"
)

// TestGraphQLCost charges queries by GitHub's rule: the requests of every
// connection (one per node of its parent connection, which is assumed to
// reach its first or last), divided by 100 and rounded, at least 1. The
// cost is both taken from the budget and told in rateLimit.cost.
func TestGraphQLCost(t *testing.T) {
	srv := githubtest.NewServer(githubtest.Options{Now: func() time.Time { return t0 }, Token: "good"})
	defer srv.Close()
	var names []string
	for i := range 100 {
		name := fmt.Sprintf("o/r%d", i)
		srv.Add(githubtest.Repo{FullName: name, ID: int64(i + 1), Topics: []string{"t"}})
		names = append(names, name)
	}
	// batch asks n repositories for what paperlist's query asks: the open
	// issues, pull requests, watchers and topics, four connections each.
	batch := func(n int, topics string) string {
		var b strings.Builder
		b.WriteString("query { rateLimit { cost } ")
		for i, name := range names[:n] {
			owner, repo, _ := strings.Cut(name, "/")
			fmt.Fprintf(&b, `r%d: repository(owner: %q, name: %q) { ...f } `, i, owner, repo)
		}
		b.WriteString("} fragment f on Repository { stargazerCount issues(states: OPEN) { totalCount } pullRequests(states: OPEN) { totalCount } watchers { totalCount } repositoryTopics(" + topics + ") { nodes { topic { name } } } }")
		return b.String()
	}
	tests := []struct {
		name string
		q    string
		vars map[string]any
		want int
	}{
		{"no connection", `{ rateLimit { cost } }`, nil, 1},
		{"one repository, four connections", batch(1, "first: 20"), nil, 1},
		{"50 repositories: 200 requests", batch(50, "first: 20"), nil, 2},
		{"100 repositories: 400 requests", batch(100, "first: 20"), nil, 4},
		{"first from a variable", strings.Replace(batch(100, "first: $n"), "query {", "query($n: Int!) {", 1), map[string]any{"n": 20}, 4},
		// Topics' nodes hold no connection: their first does not multiply.
		{"100 repositories, 100 topics each", batch(100, "first: 100"), nil, 4},
		{"75 repositories: 300 requests", batch(75, "first: 20"), nil, 3},
		{"30 repositories: 120 requests, rounded down", batch(30, "first: 20"), nil, 1},
		{"40 repositories: 160 requests, rounded up", batch(40, "first: 20"), nil, 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv.Reset()
			got := post(t, srv.GraphQLURL(), "Bearer good", query(t, tt.q, tt.vars))
			if got.status != http.StatusOK {
				t.Fatalf("status %d: %v", got.status, got.body)
			}
			if used := srv.GraphQLPointsUsed(); used != tt.want {
				t.Errorf("points used %d, want %d (body %v)", used, tt.want, got.body["errors"])
			}
			if data, ok := got.body["data"].(map[string]any); ok && data["rateLimit"] != nil {
				if c := data["rateLimit"].(map[string]any)["cost"]; c != float64(tt.want) {
					t.Errorf("rateLimit.cost %v, want %d", c, tt.want)
				}
			}
		})
	}
}
