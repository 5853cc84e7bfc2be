package github_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/paperlist/paperlist"
	"github.com/paperlist/paperlist/crawler"
	"github.com/paperlist/paperlist/sources/github"
	"github.com/paperlist/paperlist/sources/github/githubtest"
)

var _ crawler.RepoSource = (*github.Client)(nil)

var llmPruner = githubtest.Repo{
	FullName:      "horseee/LLM-Pruner",
	ID:            630455224,
	Description:   "[NeurIPS 2023] LLM-Pruner: On the Structural Pruning of Large Language Models.",
	Stars:         1012,
	Forks:         115,
	OpenIssues:    42,
	Watchers:      17,
	Language:      "Python",
	License:       "Apache-2.0",
	Topics:        []string{"llama", "pruning"},
	PushedAt:      time.Date(2024, 3, 2, 10, 0, 0, 0, time.UTC),
	CreatedAt:     time.Date(2023, 5, 17, 8, 30, 0, 0, time.UTC),
	Homepage:      "https://arxiv.org/abs/2305.11627",
	DefaultBranch: "main",
}

var llmPrunerStats = paperlist.RepoStats{
	FullName:      "horseee/LLM-Pruner",
	ID:            630455224,
	HTMLURL:       "https://github.com/horseee/LLM-Pruner",
	Description:   "[NeurIPS 2023] LLM-Pruner: On the Structural Pruning of Large Language Models.",
	Stars:         1012,
	Forks:         115,
	OpenIssues:    42,
	Watchers:      17,
	Language:      "Python",
	License:       "Apache-2.0",
	Topics:        []string{"llama", "pruning"},
	PushedAt:      time.Date(2024, 3, 2, 10, 0, 0, 0, time.UTC),
	CreatedAt:     time.Date(2023, 5, 17, 8, 30, 0, 0, time.UTC),
	Homepage:      "https://arxiv.org/abs/2305.11627",
	DefaultBranch: "main",
	FetchedAt:     t0,
}

// ignoreValidators compares results without the ETag and Last-Modified
// that the server makes up.
var ignoreValidators = cmp.FilterPath(func(p cmp.Path) bool {
	s := p.Last().String()
	return s == ".ETag" || s == ".LastModified" || s == ".Err"
}, cmp.Ignore())

func TestFetchRepo(t *testing.T) {
	archived := githubtest.Repo{FullName: "old/archived-repo", ID: 11, Archived: true, Stars: 5}
	disabled := githubtest.Repo{FullName: "tos/disabled-repo", ID: 12, Disabled: true, Stars: 3}
	blocked := githubtest.Repo{FullName: "dmca/blocked-repo", ID: 13}
	minimal := githubtest.Repo{FullName: "bare/minimum", ID: 14}

	tests := []struct {
		name string
		req  paperlist.RepoRequest
		want paperlist.RepoResult
	}{
		{
			name: "all fields by the canonical name",
			req:  paperlist.RepoRequest{Name: "horseee/LLM-Pruner"},
			want: paperlist.RepoResult{State: paperlist.StateOK, Stats: &llmPrunerStats},
		},
		{
			name: "another case of the name gives the canonical name",
			req:  paperlist.RepoRequest{Name: "horseee/llm-pruner"},
			want: paperlist.RepoResult{State: paperlist.StateOK, Stats: &llmPrunerStats},
		},
		{
			name: "by id",
			req:  paperlist.RepoRequest{Name: "horseee/llm-pruner", ID: 630455224},
			want: paperlist.RepoResult{State: paperlist.StateOK, Stats: &llmPrunerStats},
		},
		{
			name: "no license, topics, language or homepage",
			req:  paperlist.RepoRequest{Name: "bare/minimum"},
			want: paperlist.RepoResult{State: paperlist.StateOK, Stats: &paperlist.RepoStats{
				FullName: "bare/minimum", ID: 14, HTMLURL: "https://github.com/bare/minimum",
				DefaultBranch: "main", CreatedAt: t0, PushedAt: t0, FetchedAt: t0,
			}},
		},
		{
			name: "not found",
			req:  paperlist.RepoRequest{Name: "nobody/nothing"},
			want: paperlist.RepoResult{State: paperlist.StateNotFound},
		},
		{
			name: "not found by id nor by name",
			req:  paperlist.RepoRequest{Name: "nobody/nothing", ID: 999},
			want: paperlist.RepoResult{State: paperlist.StateNotFound},
		},
		{
			name: "blocked with its reason",
			req:  paperlist.RepoRequest{Name: "dmca/blocked-repo"},
			want: paperlist.RepoResult{State: paperlist.StateUnavailable, Reason: "dmca"},
		},
		{
			name: "blocked by id",
			req:  paperlist.RepoRequest{Name: "dmca/blocked-repo", ID: 13},
			want: paperlist.RepoResult{State: paperlist.StateUnavailable, Reason: "dmca"},
		},
		{
			name: "archived is data, not a state",
			req:  paperlist.RepoRequest{Name: "old/archived-repo"},
			want: paperlist.RepoResult{State: paperlist.StateOK, Stats: &paperlist.RepoStats{
				FullName: "old/archived-repo", ID: 11, HTMLURL: "https://github.com/old/archived-repo",
				Stars: 5, Archived: true, DefaultBranch: "main", CreatedAt: t0, PushedAt: t0, FetchedAt: t0,
			}},
		},
		{
			name: "disabled is unavailable but keeps its stats",
			req:  paperlist.RepoRequest{Name: "tos/disabled-repo"},
			want: paperlist.RepoResult{State: paperlist.StateUnavailable, Reason: "disabled", Stats: &paperlist.RepoStats{
				FullName: "tos/disabled-repo", ID: 12, HTMLURL: "https://github.com/tos/disabled-repo",
				Stars: 3, Disabled: true, DefaultBranch: "main", CreatedAt: t0, PushedAt: t0, FetchedAt: t0,
			}},
		},
	}
	srv := newServer(t, githubtest.Options{Now: func() time.Time { return t0 }})
	srv.Add(llmPruner, archived, disabled, blocked, minimal)
	if err := srv.Block(blocked.FullName, "dmca"); err != nil {
		t.Fatal(err)
	}
	c := newClient(t, srv.URL(), testToken)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := c.FetchRepo(context.Background(), tt.req)
			if got.Err != nil {
				t.Fatalf("FetchRepo(%+v): %v", tt.req, got.Err)
			}
			if diff := cmp.Diff(tt.want, got, ignoreValidators); diff != "" {
				t.Errorf("FetchRepo(%+v) (-want +got):\n%s", tt.req, diff)
			}
			if got.Stats != nil && (!strings.HasPrefix(got.ETag, `W/"`) || got.LastModified == "") {
				t.Errorf("validators = %q, %q; want a weak ETag and a Last-Modified", got.ETag, got.LastModified)
			}
		})
	}
}

func TestFetchRepoRename(t *testing.T) {
	srv := newServer(t, githubtest.Options{Now: func() time.Time { return t0 }})
	srv.Add(githubtest.Repo{FullName: "alice/old-name", ID: 42, Stars: 7})
	if err := srv.Rename("alice/old-name", "bob/new-name"); err != nil {
		t.Fatal(err)
	}
	c := newClient(t, srv.URL(), "")
	ctx := context.Background()

	first := c.FetchRepo(ctx, paperlist.RepoRequest{Name: "Alice/Old-Name"})
	if first.Err != nil || first.Stats == nil {
		t.Fatalf("first run: %+v", first)
	}
	if first.Stats.FullName != "bob/new-name" || first.Stats.ID != 42 {
		t.Errorf("first run: got %s (id %d), want bob/new-name (id 42)", first.Stats.FullName, first.Stats.ID)
	}
	wantPaths := []string{"/repos/Alice/Old-Name", "/repositories/42"}
	if diff := cmp.Diff(wantPaths, paths(srv.Requests())); diff != "" {
		t.Errorf("first run requests (-want +got):\n%s", diff)
	}
	if got := srv.QuotaUsed(); got != 2 {
		t.Errorf("first run quota used = %d, want 2 (the 301 costs one)", got)
	}

	srv.Reset()
	next := c.FetchRepo(ctx, paperlist.RepoRequest{Name: "Alice/Old-Name", ID: first.Stats.ID, ETag: first.ETag})
	if next.Err != nil || !next.NotModified {
		t.Fatalf("next run by id: %+v, want 304", next)
	}
	reqs := srv.Requests()
	if diff := cmp.Diff([]string{"/repositories/42"}, paths(reqs)); diff != "" {
		t.Errorf("next run requests (-want +got):\n%s", diff)
	}
	if got := srv.QuotaUsed(); got != 0 {
		t.Errorf("next run quota used = %d, want 0", got)
	}
}

func TestFetchRepoByIDFallsBackToName(t *testing.T) {
	// The listed name was deleted and created again: the old id is gone.
	srv := newServer(t, githubtest.Options{})
	srv.Add(githubtest.Repo{FullName: "carol/reborn", ID: 77})
	c := newClient(t, srv.URL(), "")
	got := c.FetchRepo(context.Background(), paperlist.RepoRequest{Name: "carol/reborn", ID: 5, ETag: `W/"old"`})
	if got.Err != nil || got.State != paperlist.StateOK || got.Stats == nil || got.Stats.ID != 77 {
		t.Fatalf("FetchRepo = %+v, want carol/reborn with id 77", got)
	}
	reqs := srv.Requests()
	if diff := cmp.Diff([]string{"/repositories/5", "/repos/carol/reborn"}, paths(reqs)); diff != "" {
		t.Errorf("requests (-want +got):\n%s", diff)
	}
	if inm := reqs[1].Header.Get("If-None-Match"); inm != "" {
		t.Errorf("request by name sent If-None-Match %q; the validators were of the old id", inm)
	}
}

func TestFetchRepoConditional(t *testing.T) {
	clk := &clock{t: t0}
	srv := newServer(t, githubtest.Options{Now: clk.Now})
	srv.Add(llmPruner)
	c := newClient(t, srv.URL(), testToken)
	ctx := context.Background()

	first := c.FetchRepo(ctx, paperlist.RepoRequest{Name: "horseee/llm-pruner"})
	if first.Err != nil || first.ETag == "" || first.LastModified == "" {
		t.Fatalf("first fetch: %+v", first)
	}
	clk.Advance(2 * time.Hour) // a new quota window; Last-Modified stays

	tests := []struct {
		name      string
		req       paperlist.RepoRequest
		setStars  int // > 0: change the stars before fetching
		want304   bool
		wantStars int
		wantCost  int
		wantINM   string
		wantIMS   string
	}{
		{
			name:    "unchanged with If-None-Match is 304 and free",
			req:     paperlist.RepoRequest{Name: "horseee/llm-pruner", ETag: first.ETag, LastModified: first.LastModified},
			want304: true, wantCost: 0, wantINM: first.ETag, wantIMS: first.LastModified,
		},
		{
			name:    "If-Modified-Since alone",
			req:     paperlist.RepoRequest{Name: "horseee/llm-pruner", LastModified: first.LastModified},
			want304: true, wantCost: 0, wantIMS: first.LastModified,
		},
		{
			name:      "stars changed: a new body and ETag",
			req:       paperlist.RepoRequest{Name: "horseee/llm-pruner", ETag: first.ETag, LastModified: first.LastModified},
			setStars:  2000,
			wantStars: 2000, wantCost: 1, wantINM: first.ETag, wantIMS: first.LastModified,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.setStars > 0 {
				clk.Advance(time.Minute)
				if err := srv.SetStars("horseee/LLM-Pruner", tt.setStars); err != nil {
					t.Fatal(err)
				}
			}
			srv.Reset()
			got := c.FetchRepo(ctx, tt.req)
			if got.Err != nil {
				t.Fatal(got.Err)
			}
			if got.NotModified != tt.want304 || got.State != paperlist.StateOK {
				t.Fatalf("NotModified = %v, State = %q; want %v, ok", got.NotModified, got.State, tt.want304)
			}
			if tt.want304 {
				if got.Stats != nil || got.ETag != first.ETag || got.LastModified != first.LastModified {
					t.Errorf("304 result = %+v; want no stats and the same validators", got)
				}
			} else if got.Stats == nil || got.Stats.Stars != tt.wantStars || got.ETag == first.ETag {
				t.Errorf("result = %+v; want %d stars and a new ETag", got, tt.wantStars)
			}
			if q := srv.QuotaUsed(); q != tt.wantCost {
				t.Errorf("quota used = %d, want %d", q, tt.wantCost)
			}
			h := srv.Requests()[0].Header
			if h.Get("If-None-Match") != tt.wantINM || h.Get("If-Modified-Since") != tt.wantIMS {
				t.Errorf("sent If-None-Match %q, If-Modified-Since %q; want %q, %q",
					h.Get("If-None-Match"), h.Get("If-Modified-Since"), tt.wantINM, tt.wantIMS)
			}
		})
	}
}

func TestFetchRepoRateLimits(t *testing.T) {
	tests := []struct {
		name   string
		opts   githubtest.Options
		setup  func(*githubtest.Server)
		status int
		want   github.RateLimitError
	}{
		{
			name:   "primary as 403",
			opts:   githubtest.Options{Quota: 1},
			status: http.StatusForbidden,
			want:   github.RateLimitError{StatusCode: 403, Primary: true},
		},
		{
			name:   "primary as 429",
			opts:   githubtest.Options{Quota: 1, PrimaryAs429: true},
			status: http.StatusTooManyRequests,
			want:   github.RateLimitError{StatusCode: 429, Primary: true},
		},
		{
			name:  "secondary as 403 with Retry-After",
			setup: func(s *githubtest.Server) { s.SecondaryNext(1, "30") },
			want:  github.RateLimitError{StatusCode: 403, RetryAfter: 30 * time.Second},
		},
		{
			name:  "secondary as 403 without Retry-After",
			setup: func(s *githubtest.Server) { s.SecondaryNext(1, "") },
			want:  github.RateLimitError{StatusCode: 403},
		},
		{
			name:  "secondary as 429",
			opts:  githubtest.Options{SecondaryAs429: true},
			setup: func(s *githubtest.Server) { s.SecondaryNext(1, "7") },
			want:  github.RateLimitError{StatusCode: 429, RetryAfter: 7 * time.Second},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			// The wall clock: go-github v60 compares the reset with time.Now.
			tt.opts.Now = time.Now
			srv := newServer(t, tt.opts)
			srv.Add(llmPruner)
			c := newClient(t, srv.URL(), testToken)
			ctx := context.Background()
			req := paperlist.RepoRequest{Name: "horseee/LLM-Pruner"}
			if tt.setup != nil {
				tt.setup(srv)
			} else if first := c.FetchRepo(ctx, req); first.Err != nil {
				// Uses the whole quota: the answer says remaining 0.
				t.Fatal(first.Err)
			}
			got := c.FetchRepo(ctx, req)
			var rl *github.RateLimitError
			if !errors.As(got.Err, &rl) {
				t.Fatalf("FetchRepo error = %v, want a *github.RateLimitError", got.Err)
			}
			if rl.Primary && rl.Reset.IsZero() {
				t.Errorf("primary limit without its reset time")
			}
			rl.Reset = time.Time{}
			if *rl != tt.want {
				t.Errorf("RateLimitError = %+v, want %+v", *rl, tt.want)
			}
			if !errors.Is(got.Err, paperlist.ErrWaitTooLong) {
				t.Errorf("errors.Is(%v, paperlist.ErrWaitTooLong) = false: the engine would not stop GitHub", got.Err)
			}
			if errors.Is(got.Err, paperlist.ErrRejected) || errors.Is(got.Err, paperlist.ErrInvalidResponse) {
				t.Errorf("a rate limit classified as rejected or invalid: %v", got.Err)
			}
			// After a rate-limit answer go-github v60 would refuse calls
			// itself until the reset; the client leaves that decision to the
			// engine's transport, so the next call must reach the server.
			before := len(srv.Requests())
			again := c.FetchRepo(ctx, req)
			if sent := len(srv.Requests()) - before; sent != 1 {
				t.Errorf("the call after a rate-limit answer sent %d requests, want 1", sent)
			}
			if tt.want.Primary != (again.Err != nil) {
				t.Errorf("the call after the limit: error %v; want one only while the quota is exhausted", again.Err)
			}
		})
	}
}

func TestFetchRepoErrors(t *testing.T) {
	tests := []struct {
		name    string
		handler http.HandlerFunc
		req     paperlist.RepoRequest
		wantIs  error // nil: a transient error (neither rejected nor invalid)
		wantMsg string
	}{
		{
			name:    "bad credentials",
			handler: status(401, `{"message":"Bad credentials","documentation_url":"https://docs.github.com/rest"}`),
			wantIs:  paperlist.ErrRejected, wantMsg: "401 Bad credentials",
		},
		{
			name:    "forbidden without rate limit",
			handler: status(403, `{"message":"Resource not accessible"}`),
			wantIs:  paperlist.ErrRejected, wantMsg: "403 Resource not accessible",
		},
		{
			name:    "server error",
			handler: status(502, `{"message":"Bad Gateway"}`),
			wantMsg: "server error 502",
		},
		{
			name:    "html instead of json",
			handler: status(200, `<!DOCTYPE html><html><body>Unicorn!</body></html>`),
			wantIs:  paperlist.ErrInvalidResponse,
		},
		{
			name:    "truncated json",
			handler: status(200, `{"id": 1, "full_name": "a/b", "stargazers_`),
			wantIs:  paperlist.ErrInvalidResponse,
		},
		{
			name:    "json of the wrong type",
			handler: status(200, `{"id": "one", "full_name": "a/b"}`),
			wantIs:  paperlist.ErrInvalidResponse,
		},
		{
			name:    "json without a repository",
			handler: status(200, `{"message": "ok"}`),
			wantIs:  paperlist.ErrInvalidResponse,
		},
		{
			name:    "empty body",
			handler: status(200, ``),
			wantIs:  paperlist.ErrInvalidResponse,
		},
		{
			name: "too large",
			handler: func(w http.ResponseWriter, r *http.Request) {
				fmt.Fprint(w, `{"id": 1, "full_name": "a/b", "description": "`+strings.Repeat("x", 5<<20)+`"}`)
			},
			wantIs: paperlist.ErrInvalidResponse,
		},
		{
			name:    "304 to an unconditional request",
			handler: status(304, ``),
			wantIs:  paperlist.ErrInvalidResponse,
		},
		{
			name:    "redirect without Location",
			handler: status(301, `{"message":"Moved Permanently"}`),
			wantIs:  paperlist.ErrInvalidResponse,
		},
		{
			name:    "invalid name is not sent",
			handler: status(500, `{}`),
			req:     paperlist.RepoRequest{Name: "no-slash"},
			wantIs:  paperlist.ErrRejected, wantMsg: `invalid repository name "no-slash"`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ts := httptest.NewServer(tt.handler)
			t.Cleanup(ts.Close)
			c := newClient(t, ts.URL, "")
			req := tt.req
			if req.Name == "" {
				req.Name = "a/b"
			}
			got := c.FetchRepo(context.Background(), req)
			if got.Err == nil {
				t.Fatalf("FetchRepo = %+v, want an error", got)
			}
			if got.Stats != nil || got.State != "" {
				t.Errorf("failed result carries State %q, Stats %v", got.State, got.Stats)
			}
			for _, sentinel := range []error{paperlist.ErrRejected, paperlist.ErrInvalidResponse} {
				if errors.Is(got.Err, sentinel) != (sentinel == tt.wantIs) {
					t.Errorf("errors.Is(%v, %v) = %v", got.Err, sentinel, !(sentinel == tt.wantIs))
				}
			}
			if !strings.HasPrefix(got.Err.Error(), "github: ") || !strings.Contains(got.Err.Error(), tt.wantMsg) {
				t.Errorf("error %q, want it to start with github: and contain %q", got.Err, tt.wantMsg)
			}
		})
	}
}

func status(code int, body string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		w.WriteHeader(code)
		fmt.Fprint(w, body)
	}
}

func TestFetchRepoServerFailure(t *testing.T) {
	srv := newServer(t, githubtest.Options{})
	srv.Add(llmPruner)
	c := newClient(t, srv.URL(), "")
	srv.FailNext(1, http.StatusServiceUnavailable)
	got := c.FetchRepo(context.Background(), paperlist.RepoRequest{Name: "horseee/LLM-Pruner"})
	if got.Err == nil || !strings.Contains(got.Err.Error(), "503") {
		t.Fatalf("FetchRepo error = %v, want a 503 server error", got.Err)
	}
	if again := c.FetchRepo(context.Background(), paperlist.RepoRequest{Name: "horseee/LLM-Pruner"}); again.Err != nil {
		t.Errorf("after the failure: %v", again.Err)
	}
}

type failingTransport struct{ err error }

func (f failingTransport) RoundTrip(*http.Request) (*http.Response, error) { return nil, f.err }

func TestFetchRepoTransportError(t *testing.T) {
	c, err := github.New(github.Options{
		BaseURL:    "http://127.0.0.1:1/",
		HTTPClient: &http.Client{Transport: failingTransport{fmt.Errorf("crawler: api.github.com: %w", paperlist.ErrWaitTooLong)}},
	})
	if err != nil {
		t.Fatal(err)
	}
	got := c.FetchRepo(context.Background(), paperlist.RepoRequest{Name: "a/b"})
	if !errors.Is(got.Err, paperlist.ErrWaitTooLong) {
		t.Fatalf("FetchRepo error = %v, want it to wrap the transport's error", got.Err)
	}
	if !strings.HasPrefix(got.Err.Error(), "github: get a/b: ") {
		t.Errorf("error %q lacks its context", got.Err)
	}

	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	srv := newServer(t, githubtest.Options{})
	if got := newClient(t, srv.URL(), "").FetchRepo(ctx, paperlist.RepoRequest{Name: "a/b"}); !errors.Is(got.Err, context.Canceled) {
		t.Errorf("cancelled: error = %v, want context.Canceled", got.Err)
	}
}

func TestRate(t *testing.T) {
	srv := newServer(t, githubtest.Options{Now: func() time.Time { return t0 }})
	srv.Add(llmPruner)
	tests := []struct {
		name      string
		token     string
		wantLimit int
	}{
		{"unauthenticated", "", githubtest.UnauthenticatedQuota},
		{"authenticated", testToken, githubtest.AuthenticatedQuota},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := newClient(t, srv.URL(), tt.token)
			if l, r, reset := c.Rate(); l != 0 || r != 0 || !reset.IsZero() {
				t.Errorf("Rate before any request = %d, %d, %v; want zeros", l, r, reset)
			}
			for range 3 {
				if res := c.FetchRepo(context.Background(), paperlist.RepoRequest{Name: "horseee/LLM-Pruner"}); res.Err != nil {
					t.Fatal(res.Err)
				}
			}
			limit, remaining, reset := c.Rate()
			if limit != tt.wantLimit || remaining != tt.wantLimit-3 || !reset.Equal(t0.Add(time.Hour)) {
				t.Errorf("Rate = %d, %d, %v; want %d, %d, %v", limit, remaining, reset, tt.wantLimit, tt.wantLimit-3, t0.Add(time.Hour))
			}
		})
	}
}

func TestFetchRepoConcurrent(t *testing.T) {
	srv := newServer(t, githubtest.Options{})
	var want []string
	for i := range 20 {
		name := "owner/repo-" + strconv.Itoa(i)
		srv.Add(githubtest.Repo{FullName: name, Stars: i})
		want = append(want, name)
	}
	c := newClient(t, srv.URL(), testToken)
	results := make([]paperlist.RepoResult, len(want))
	done := make(chan int)
	for i, name := range want {
		go func() {
			results[i] = c.FetchRepo(context.Background(), paperlist.RepoRequest{Name: strings.ToUpper(name)})
			done <- i
		}()
	}
	for range want {
		<-done
	}
	for i, res := range results {
		if res.Err != nil || res.Stats == nil || res.Stats.FullName != want[i] || res.Stats.Stars != i {
			t.Errorf("result %d = %+v, want %s with %d stars", i, res, want[i], i)
		}
	}
	if _, remaining, _ := c.Rate(); remaining != githubtest.AuthenticatedQuota-len(want) {
		t.Errorf("Rate remaining = %d, want the lowest, %d", remaining, githubtest.AuthenticatedQuota-len(want))
	}
}
