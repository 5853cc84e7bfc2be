package github_test

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/paperlist/paperlist"
	"github.com/paperlist/paperlist/sources/github"
	"github.com/paperlist/paperlist/sources/github/githubtest"
)

// newGraphQL returns a GraphQL client of endpoint with the given token,
// whose FetchedAt is t0.
func newGraphQL(t testing.TB, endpoint, token string) *github.GraphQL {
	t.Helper()
	g, err := github.NewGraphQL(github.GraphQLOptions{
		Endpoint:   endpoint,
		Token:      token,
		HTTPClient: &http.Client{Timeout: 10 * time.Second},
		Now:        func() time.Time { return t0 },
	})
	if err != nil {
		t.Fatalf("github.NewGraphQL: %v", err)
	}
	return g
}

// fetchBatch fetches names and fails the test on an error of the batch.
func fetchBatch(t *testing.T, g *github.GraphQL, names ...string) ([]github.BatchResult, github.BatchInfo) {
	t.Helper()
	res, info, err := g.FetchBatch(context.Background(), names)
	if err != nil {
		t.Fatalf("FetchBatch(%d names): %v", len(names), err)
	}
	if len(res) != len(names) {
		t.Fatalf("FetchBatch(%d names): %d results", len(names), len(res))
	}
	return res, info
}

// graphqlQueries returns the GraphQL requests of a server's log.
func graphqlQueries(srv *githubtest.Server) []githubtest.Request {
	var out []githubtest.Request
	for _, r := range srv.Requests() {
		if r.Query != "" {
			out = append(out, r)
		}
	}
	return out
}

func TestGraphQLEndpoint(t *testing.T) {
	tests := []struct {
		name, rest, want string
		wantErr          bool
	}{
		{name: "github.com", rest: "https://api.github.com/", want: "https://api.github.com/graphql"},
		{name: "github.com without a slash", rest: "https://api.github.com", want: "https://api.github.com/graphql"},
		{name: "empty is github.com", rest: "", want: "https://api.github.com/graphql"},
		{name: "enterprise", rest: "https://ghe.example.com/api/v3/", want: "https://ghe.example.com/api/graphql"},
		{name: "enterprise without a slash", rest: "https://ghe.example.com/api/v3", want: "https://ghe.example.com/api/graphql"},
		{name: "a port and plain http", rest: "http://127.0.0.1:8080/", want: "http://127.0.0.1:8080/graphql"},
		{name: "under a path", rest: "http://127.0.0.1:8080/mirror/", want: "http://127.0.0.1:8080/mirror/graphql"},
		{name: "not http", rest: "ftp://api.github.com/", wantErr: true},
		{name: "not absolute", rest: "api.github.com", wantErr: true},
		{name: "a query", rest: "https://api.github.com/?x=1", wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := github.GraphQLEndpoint(tt.rest)
			if (err != nil) != tt.wantErr {
				t.Fatalf("GraphQLEndpoint(%q) = %q, %v; want error %v", tt.rest, got, err, tt.wantErr)
			}
			if got != tt.want {
				t.Errorf("GraphQLEndpoint(%q) = %q, want %q", tt.rest, got, tt.want)
			}
		})
	}
	for _, prefix := range []string{"", "/api/v3"} {
		srv := newServer(t, githubtest.Options{PathPrefix: prefix})
		if got, err := github.GraphQLEndpoint(srv.URL()); err != nil || got != srv.GraphQLURL() {
			t.Errorf("GraphQLEndpoint(%q) = %q, %v; want githubtest's %q", srv.URL(), got, err, srv.GraphQLURL())
		}
	}
}

// TestGraphQLMatchesREST asks the same repositories through REST and
// GraphQL and wants the same stats, field for field.
func TestGraphQLMatchesREST(t *testing.T) {
	pruner := llmPruner
	pruner.OpenPullRequests = 12 // of its 42 open issues
	srv := newServer(t, githubtest.Options{Now: func() time.Time { return t0 }})
	srv.Add(
		pruner,
		githubtest.Repo{FullName: "old/archived-repo", ID: 11, Archived: true, Stars: 5, OpenIssues: 3, OpenPullRequests: 3},
		githubtest.Repo{FullName: "tos/disabled-repo", ID: 12, Disabled: true, Stars: 3},
		githubtest.Repo{FullName: "bare/minimum", ID: 14},
		githubtest.Repo{FullName: "someone/a-fork", ID: 15, Fork: true, License: "NOASSERTION", Forks: 2, Watchers: 1},
		githubtest.Repo{FullName: "alice/old-name", ID: 42, Stars: 7, License: "MIT", Topics: []string{"x"}},
		githubtest.Repo{
			FullName: "big/answers", ID: 16, Description: strings.Repeat("d", paperlist.MaxTextLen+300),
			Topics: manyTopics(paperlist.MaxTopics + 10), Homepage: "https://example.com/",
			DefaultBranch: "trunk", Language: "Go",
		},
	)
	if err := srv.Rename("alice/old-name", "bob/new-name"); err != nil {
		t.Fatal(err)
	}
	names := []string{
		"horseee/LLM-Pruner", "HORSEEE/llm-pruner", "old/archived-repo", "tos/disabled-repo",
		"bare/minimum", "someone/a-fork", "Alice/Old-Name", "big/answers",
	}
	rest := newClient(t, srv.URL(), testToken)
	g := newGraphQL(t, srv.GraphQLURL(), testToken)
	results, _ := fetchBatch(t, g, names...)
	for i, name := range names {
		t.Run(name, func(t *testing.T) {
			want := rest.FetchRepo(context.Background(), paperlist.RepoRequest{Name: name})
			if want.Err != nil || want.Stats == nil {
				t.Fatalf("REST: %+v", want)
			}
			got := results[i]
			if got.Err != nil || got.NotFound || got.Name != name {
				t.Fatalf("GraphQL: %+v", got)
			}
			if diff := cmp.Diff(want.Stats, got.Stats); diff != "" {
				t.Errorf("GraphQL stats differ from REST (-rest +graphql):\n%s", diff)
			}
		})
	}
	// The sum REST gives is GraphQL's issues and pull requests together.
	if got := results[0].Stats.OpenIssues; got != 42 {
		t.Errorf("open issues = %d, want 42 (30 issues + 12 pull requests)", got)
	}
	if got := results[6].Stats.FullName; got != "bob/new-name" {
		t.Errorf("renamed repository: full name %q, want bob/new-name", got)
	}
}

func manyTopics(n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = "topic-" + strings.Repeat("t", i%5) + string(rune('a'+i%26))
	}
	return out
}

func TestGraphQLNotFound(t *testing.T) {
	srv := newServer(t, githubtest.Options{Now: func() time.Time { return t0 }})
	srv.Add(llmPruner, githubtest.Repo{FullName: "dmca/blocked-repo", ID: 13})
	if err := srv.Block("dmca/blocked-repo", "dmca"); err != nil {
		t.Fatal(err)
	}
	g := newGraphQL(t, srv.GraphQLURL(), testToken)
	hostile := `evil") { x } q: repository(owner: "a/b`
	results, info := fetchBatch(t, g, "nobody/nothing", "horseee/LLM-Pruner", "dmca/blocked-repo", hostile, "not-a-name")

	want := []github.BatchResult{
		{Name: "nobody/nothing", NotFound: true, Message: "Could not resolve to a Repository with the name 'nobody/nothing'."},
		{Name: "horseee/LLM-Pruner", Stats: &llmPrunerStats},
		{Name: "dmca/blocked-repo", NotFound: true, Message: "Could not resolve to a Repository with the name 'dmca/blocked-repo'."},
		{Name: hostile, NotFound: true, Message: "Could not resolve to a Repository with the name '" + hostile + "'."},
		{Name: "not-a-name"},
	}
	ignoreErr := cmp.FilterPath(func(p cmp.Path) bool { return p.Last().String() == ".Err" }, cmp.Ignore())
	if diff := cmp.Diff(want, results, ignoreErr); diff != "" {
		t.Errorf("results (-want +got):\n%s", diff)
	}
	if !errors.Is(results[4].Err, paperlist.ErrRejected) {
		t.Errorf("invalid name: err = %v, want ErrRejected", results[4].Err)
	}
	for i, r := range results[:4] {
		if r.Err != nil {
			t.Errorf("result %d: err = %v", i, r.Err)
		}
	}
	qs := graphqlQueries(srv)
	if len(qs) != 1 {
		t.Fatalf("%d queries, want 1", len(qs))
	}
	if strings.Contains(qs[0].Query, "evil") || qs[0].Variables["o3"] != `evil") { x } q: repository(owner: "a` {
		t.Errorf("the hostile name is not passed as a variable: query %q, variables %v", qs[0].Query, qs[0].Variables)
	}
	wantInfo := github.BatchInfo{Cost: 1, Limit: 5000, Remaining: 4999, Used: 1, ResetAt: t0.Add(time.Hour)}
	if diff := cmp.Diff(wantInfo, info); diff != "" {
		t.Errorf("info (-want +got):\n%s", diff)
	}
	if got := srv.GraphQLPointsUsed(); got != 1 {
		t.Errorf("points used = %d, want 1", got)
	}
	if got := srv.QuotaUsed(); got != 0 {
		t.Errorf("REST quota used = %d, want 0", got)
	}
	if limit, remaining, reset := g.Rate(); limit != 5000 || remaining != 4999 || !reset.Equal(t0.Add(time.Hour)) {
		t.Errorf("Rate() = %d, %d, %v; want the graphql budget's 5000, 4999, %v", limit, remaining, reset, t0.Add(time.Hour))
	}
}
