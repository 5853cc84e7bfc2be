package github_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/paperlist/paperlist"
	"github.com/paperlist/paperlist/sources/github"
	"github.com/paperlist/paperlist/sources/github/githubtest"
)

// TestBatcherBreaker: a GraphQL endpoint that answers 502 to every query
// costs at most 2n/100+10 queries for n repositories before the Batcher
// gives up on it; every repository is then fetched through REST.
func TestBatcherBreaker(t *testing.T) {
	for _, n := range []int{1, 30, 200, 1000} {
		t.Run(fmt.Sprint(n), func(t *testing.T) {
			srv := newServer(t, githubtest.Options{Now: func() time.Time { return t0 }, Quota: 100_000})
			batch := names(srv, n)
			endpoint, queries := badGateway(t)
			b := github.NewBatcher(newGraphQL(t, endpoint, testToken), newClient(t, srv.URL(), testToken))
			// The engine hands the Batcher 100 repositories at a time.
			reqs := requests(batch)
			for start := 0; start < n; start += 100 {
				got, err := collect(t, b, reqs[start:min(n, start+100)])
				if err != nil {
					t.Fatalf("FetchRepos: %v", err)
				}
				for i, r := range got {
					if r.State != paperlist.StateOK || r.Stats == nil || r.Stats.FullName != batch[start+i] {
						t.Errorf("%s: %+v", batch[start+i], r)
					}
				}
			}
			if limit := 2*n/100 + 10; int(queries.Load()) > limit {
				t.Errorf("%d GraphQL queries for %d repositories, want at most %d", queries.Load(), n, limit)
			}
			t.Logf("%d repositories: %d GraphQL queries, then REST", n, queries.Load())
		})
	}
}

// badGateway is a GraphQL endpoint that answers every query with a 502,
// as GitHub's front does when the API behind it is down, and the count of
// the queries it got.
func badGateway(t *testing.T) (string, *atomic.Int32) {
	t.Helper()
	var n atomic.Int32
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n.Add(1)
		w.Header().Set("Content-Type", "text/html")
		w.WriteHeader(http.StatusBadGateway)
		_, _ = io.WriteString(w, "<html><body><h1>502 Bad Gateway</h1></body></html>")
	}))
	t.Cleanup(ts.Close)
	return ts.URL + "/graphql", &n
}

// aliasRewriter is a GraphQL endpoint in front of srv that rewrites the
// data of every answer with rewrite, keyed by alias ("r0", "r1", …).
func aliasRewriter(t *testing.T, srv *githubtest.Server, rewrite func(data map[string]json.RawMessage)) string {
	t.Helper()
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		req, _ := http.NewRequestWithContext(r.Context(), http.MethodPost, srv.GraphQLURL(), bytes.NewReader(body))
		req.Header = r.Header.Clone()
		resp, err := http.DefaultTransport.RoundTrip(req)
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadGateway)
			return
		}
		defer resp.Body.Close()
		var ans map[string]json.RawMessage
		if err := json.NewDecoder(resp.Body).Decode(&ans); err != nil {
			http.Error(w, err.Error(), http.StatusBadGateway)
			return
		}
		var data map[string]json.RawMessage
		if err := json.Unmarshal(ans["data"], &data); err == nil {
			rewrite(data)
			ans["data"], _ = json.Marshal(data)
		}
		for k, v := range resp.Header {
			w.Header()[k] = v
		}
		w.Header().Del("Content-Length")
		w.WriteHeader(resp.StatusCode)
		_ = json.NewEncoder(w).Encode(ans)
	}))
	t.Cleanup(ts.Close)
	return ts.URL + "/graphql"
}

// TestBatcherConflictingAnswers: an answer whose aliases do not add up is
// not trusted for the repositories involved: each is confirmed through
// REST, which gives each its own name and stars; the others keep
// GraphQL's answer.
func TestBatcherConflictingAnswers(t *testing.T) {
	swap := func(a, b string) func(map[string]json.RawMessage) {
		return func(d map[string]json.RawMessage) { d[a], d[b] = d[b], d[a] }
	}
	tests := []struct {
		name     string
		rewrite  func(map[string]json.RawMessage)
		ids      map[int]int64 // the cache's database ids of asked repositories
		involved []int
	}{
		{"two aliases swapped", swap("r0", "r1"), nil, []int{0, 1}},
		{"a cycle of three", func(d map[string]json.RawMessage) {
			d["r0"], d["r1"], d["r2"] = d["r1"], d["r2"], d["r0"]
		}, nil, []int{0, 1, 2}},
		{"two names, one repository", func(d map[string]json.RawMessage) { d["r3"] = d["r2"] }, nil, []int{2, 3}},
		{"another's database id", func(d map[string]json.RawMessage) {
			// r1 answers a repository nobody asked for, under the id the
			// cache knows as r0's (100000001, the server's first id).
			var node map[string]any
			_ = json.Unmarshal(d["r1"], &node)
			node["nameWithOwner"], node["databaseId"] = "stranger/repo", 100000001
			d["r1"], _ = json.Marshal(node)
		}, map[int]int64{0: 100000001}, []int{0, 1}},
		{"untouched", func(map[string]json.RawMessage) {}, nil, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := newServer(t, githubtest.Options{Now: func() time.Time { return t0 }})
			batch := names(srv, 5)
			reqs := requests(batch)
			for i, id := range tt.ids {
				reqs[i].ID = id
			}
			b := github.NewBatcher(newGraphQL(t, aliasRewriter(t, srv, tt.rewrite), testToken), newClient(t, srv.URL(), testToken))
			got, err := collect(t, b, reqs)
			if err != nil {
				t.Fatalf("FetchRepos: %v", err)
			}
			for i, name := range batch {
				r := got[i]
				if r.Stats == nil || r.Stats.FullName != name || r.Stats.Stars != i {
					t.Errorf("%s: %+v, want its own name and %d stars", name, r.Stats, i)
				}
			}
			var rest []string
			for _, r := range srv.Requests() {
				if r.Query == "" {
					rest = append(rest, r.Path)
				}
			}
			if len(rest) != len(tt.involved) {
				t.Errorf("REST requests %v, want one for each of %v", rest, tt.involved)
			}
			for _, i := range tt.involved {
				all := strings.Join(rest, " ") + " "
				if !strings.Contains(all, "/repos/"+batch[i]+" ") && (reqs[i].ID == 0 || !strings.Contains(all, fmt.Sprintf("/repositories/%d ", reqs[i].ID))) {
					t.Errorf("%s was not confirmed through REST: %v", batch[i], rest)
				}
			}
		})
	}
}

// TestBatcherNegativeCost: a query whose rateLimit says a negative cost
// counts as free, not as points given back.
func TestBatcherNegativeCost(t *testing.T) {
	srv := newServer(t, githubtest.Options{Now: func() time.Time { return t0 }})
	batch := names(srv, 3)
	endpoint := aliasRewriter(t, srv, func(d map[string]json.RawMessage) {
		var rl map[string]any
		if json.Unmarshal(d["rateLimit"], &rl) == nil && rl != nil {
			rl["cost"] = -50
			d["rateLimit"], _ = json.Marshal(rl)
		}
	})
	b := github.NewBatcher(newGraphQL(t, endpoint, testToken), newClient(t, srv.URL(), testToken))
	if _, err := collect(t, b, requests(batch)); err != nil {
		t.Fatal(err)
	}
	if u := b.Usage(); u.Queries != 1 || u.Points != 0 {
		t.Errorf("usage %+v, want 1 query of 0 points", u)
	}
}
