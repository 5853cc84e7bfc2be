package githubtest_test

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/paperlist/paperlist/sources/github/githubtest"
)

// post sends a GraphQL request with a raw body.
func post(t *testing.T, url, auth, body string) reply {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, url, bytes.NewBufferString(body))
	if err != nil {
		t.Fatal(err)
	}
	if auth != "" {
		req.Header.Set("Authorization", auth)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	r := reply{status: resp.StatusCode, header: resp.Header}
	if err := json.Unmarshal(b, &r.body); err != nil {
		t.Fatalf("body %q: %v", b, err)
	}
	return r
}

// query is the JSON body of a query with variables.
func query(t *testing.T, q string, vars map[string]any) string {
	t.Helper()
	b, err := json.Marshal(map[string]any{"query": q, "variables": vars})
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestGraphQL(t *testing.T) {
	srv := githubtest.NewServer(githubtest.Options{Now: func() time.Time { return t0 }, Token: "good", GraphQLQuota: 100})
	defer srv.Close()
	srv.Add(
		githubtest.Repo{FullName: "Owner/Repo", ID: 7, Stars: 3, OpenIssues: 5, OpenPullRequests: 2, License: "MIT", Topics: []string{"a", "b", "c"}},
		githubtest.Repo{FullName: "alice/old", ID: 8},
	)
	if err := srv.Rename("alice/old", "bob/new"); err != nil {
		t.Fatal(err)
	}
	const auth = "Bearer good"
	tests := []struct {
		name       string
		auth, body string
		method     string
		wantStatus int
		want       map[string]any
		wantCost   int
	}{
		{
			name: "no token", body: query(t, `{ rateLimit { cost } }`, nil), wantStatus: http.StatusUnauthorized,
			want: map[string]any{
				"message":           "This endpoint requires you to be authenticated.",
				"documentation_url": "https://docs.github.com/graphql/guides/forming-calls-with-graphql#authenticating-with-graphql",
			},
		},
		{
			name: "a wrong token", auth: "Bearer bad", body: query(t, `{ rateLimit { cost } }`, nil), wantStatus: http.StatusUnauthorized,
			want: map[string]any{"message": "Bad credentials", "documentation_url": "https://docs.github.com/rest"},
		},
		{
			name: "aliases, variables, fragments, any case", auth: auth, wantStatus: http.StatusOK, wantCost: 1,
			body: query(t, `query q($o: String!) {
				a: repository(owner: $o, name: "REPO") { ...f }
				b: repository(owner: "Alice", name: "old") { nameWithOwner databaseId }
				rateLimit { cost remaining limit used resetAt }
			}
			fragment f on Repository {
				nameWithOwner stargazerCount licenseInfo { spdxId }
				issues(states: OPEN) { totalCount } pullRequests(states: [OPEN]) { totalCount }
				repositoryTopics(first: 2) { totalCount nodes { topic { name } } }
			}`, map[string]any{"o": "owner"}),
			want: map[string]any{"data": map[string]any{
				"a": map[string]any{
					"nameWithOwner": "Owner/Repo", "stargazerCount": 3.0, "licenseInfo": map[string]any{"spdxId": "MIT"},
					"issues": map[string]any{"totalCount": 3.0}, "pullRequests": map[string]any{"totalCount": 2.0},
					"repositoryTopics": map[string]any{"totalCount": 3.0, "nodes": []any{
						map[string]any{"topic": map[string]any{"name": "a"}},
						map[string]any{"topic": map[string]any{"name": "b"}},
					}},
				},
				"b":         map[string]any{"nameWithOwner": "bob/new", "databaseId": 8.0},
				"rateLimit": map[string]any{"cost": 1.0, "remaining": 99.0, "limit": 100.0, "used": 1.0, "resetAt": "2024-05-01T13:00:00Z"},
			}},
		},
		{
			name: "not found, and a rename not followed", auth: auth, wantStatus: http.StatusOK, wantCost: 1,
			body: query(t, `{ x: repository(owner: "no", name: "body") { nameWithOwner }
				y: repository(owner: "alice", name: "old", followRenames: false) { nameWithOwner } }`, nil),
			want: map[string]any{
				"data": map[string]any{"x": nil, "y": nil},
				"errors": []any{
					map[string]any{
						"type": "NOT_FOUND", "path": []any{"x"}, "locations": []any{map[string]any{"line": 1.0, "column": 3.0}},
						"message": "Could not resolve to a Repository with the name 'no/body'.",
					},
					map[string]any{
						"type": "NOT_FOUND", "path": []any{"y"}, "locations": []any{map[string]any{"line": 2.0, "column": 5.0}},
						"message": "Could not resolve to a Repository with the name 'alice/old'.",
					},
				},
			},
		},
		{
			name: "a field the server does not know is refused and costs nothing", auth: auth, wantStatus: http.StatusOK,
			body: query(t, `{ r: repository(owner: "owner", name: "repo") { stargazersCount } }`, nil),
			want: map[string]any{"errors": []any{map[string]any{
				"path": []any{"r", "stargazersCount"}, "locations": []any{map[string]any{"line": 1.0, "column": 49.0}},
				"extensions": map[string]any{"code": "undefinedField", "typeName": "Repository", "fieldName": "stargazersCount"},
				"message":    "Field 'stargazersCount' doesn't exist on type 'Repository'",
			}}},
		},
		{
			name: "a query that does not parse", auth: auth, wantStatus: http.StatusOK,
			body: query(t, `{ r: repository(`, nil),
			want: map[string]any{"errors": []any{map[string]any{
				"message": "Expected Name, found <EOF>", "locations": []any{map[string]any{"line": 1.0, "column": 17.0}},
			}}},
		},
		{
			name: "not JSON", auth: auth, body: "{", wantStatus: http.StatusBadRequest,
			want: map[string]any{"message": "Problems parsing JSON", "documentation_url": "https://docs.github.com/graphql"},
		},
		{
			name: "GET", auth: auth, method: http.MethodGet, wantStatus: http.StatusNotFound,
			want: map[string]any{"message": "Not Found", "documentation_url": "https://docs.github.com/graphql"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv.Reset()
			var got reply
			if tt.method == http.MethodGet {
				got = get(t, srv.GraphQLURL(), map[string]string{"Authorization": tt.auth})
			} else {
				got = post(t, srv.GraphQLURL(), tt.auth, tt.body)
			}
			if got.status != tt.wantStatus {
				t.Errorf("status %d, want %d", got.status, tt.wantStatus)
			}
			if diff := cmp.Diff(tt.want, got.body); diff != "" {
				t.Errorf("body (-want +got):\n%s", diff)
			}
			if got := srv.GraphQLPointsUsed(); got != tt.wantCost {
				t.Errorf("points used %d, want %d", got, tt.wantCost)
			}
			if got := srv.QuotaUsed(); got != 0 {
				t.Errorf("REST quota used %d, want 0", got)
			}
			if tt.wantStatus == http.StatusOK && got.header.Get("X-RateLimit-Resource") != "graphql" {
				t.Errorf("X-RateLimit-Resource %q, want graphql", got.header.Get("X-RateLimit-Resource"))
			}
		})
	}
}

func TestGraphQLEnterprisePath(t *testing.T) {
	srv := githubtest.NewServer(githubtest.Options{PathPrefix: "/api/v3"})
	defer srv.Close()
	if want := srv.URL()[:len(srv.URL())-len("v3/")] + "graphql"; srv.GraphQLURL() != want {
		t.Fatalf("GraphQLURL %q, want %q", srv.GraphQLURL(), want)
	}
	got := post(t, srv.GraphQLURL(), "Bearer x", query(t, `{ rateLimit { cost } }`, nil))
	if got.status != http.StatusOK {
		t.Errorf("status %d, want 200", got.status)
	}
	reqs := srv.Requests()
	if len(reqs) != 1 || reqs[0].Path != "/api/graphql" || reqs[0].Query != "{ rateLimit { cost } }" || reqs[0].QuotaCost != 1 {
		t.Errorf("log %+v", reqs)
	}
}
