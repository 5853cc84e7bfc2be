package githubtest_test

import (
	"encoding/json"
	"io"
	"net/http"
	"regexp"
	"strconv"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/paperlist/paperlist/sources/github/githubtest"
)

var t0 = time.Date(2024, 5, 1, 12, 0, 0, 0, time.UTC)

type reply struct {
	status int
	header http.Header
	body   map[string]any
}

func get(t *testing.T, url string, header map[string]string) reply {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range header {
		req.Header.Set(k, v)
	}
	// No redirects followed: the 301 itself is under test.
	c := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	r := reply{status: resp.StatusCode, header: resp.Header}
	if len(b) > 0 {
		if err := json.Unmarshal(b, &r.body); err != nil {
			t.Fatalf("body %q: %v", b, err)
		}
	}
	return r
}

func TestServer(t *testing.T) {
	srv := githubtest.NewServer(githubtest.Options{Now: func() time.Time { return t0 }, Token: "good"})
	t.Cleanup(srv.Close)
	srv.Add(
		githubtest.Repo{FullName: "horseee/LLM-Pruner", ID: 7, Stars: 3, License: "MIT", Topics: []string{"llm"}},
		githubtest.Repo{FullName: "old/name", ID: 8},
		githubtest.Repo{FullName: "legal/trouble", ID: 9},
	)
	if err := srv.Rename("old/name", "new/name"); err != nil {
		t.Fatal(err)
	}
	if err := srv.Block("legal/trouble", "dmca"); err != nil {
		t.Fatal(err)
	}
	if err := srv.Rename("no/such", "x/y"); err == nil {
		t.Errorf("Rename of an unknown repository: no error")
	}
	etag := get(t, srv.URL()+"repos/horseee/LLM-Pruner", nil).header.Get("ETag")
	srv.Reset()

	tests := []struct {
		name     string
		path     string
		header   map[string]string
		status   int
		cost     int
		wantBody map[string]any // the listed keys only
		wantHdr  map[string]string
	}{
		{
			name: "canonical name in any case", path: "repos/HORSEEE/llm-pruner", status: 200, cost: 1,
			wantBody: map[string]any{
				"full_name": "horseee/LLM-Pruner", "id": 7.0, "stargazers_count": 3.0, "watchers_count": 3.0,
				"topics": []any{"llm"}, "license": map[string]any{"key": "mit", "name": "MIT License", "spdx_id": "MIT", "url": srv.URL() + "licenses/mit", "node_id": "MDc6TGljZW5zZTA="},
			},
			wantHdr: map[string]string{
				"Content-Type": "application/json; charset=utf-8", "Cache-Control": "public, max-age=60, s-maxage=60",
				"X-RateLimit-Limit": "60", "X-RateLimit-Remaining": "59", "X-RateLimit-Used": "1",
				"X-RateLimit-Resource": "core", "X-RateLimit-Reset": strconv.FormatInt(t0.Add(time.Hour).Unix(), 10),
				"Last-Modified": "Wed, 01 May 2024 12:00:00 GMT", "X-GitHub-Media-Type": "github.v3; format=json",
			},
		},
		{
			name: "by id", path: "repositories/7", status: 200, cost: 1,
			wantBody: map[string]any{"full_name": "horseee/LLM-Pruner"},
		},
		{
			name: "authenticated quota", path: "repositories/7", header: map[string]string{"Authorization": "Bearer good"},
			status: 200, cost: 1,
			wantHdr: map[string]string{"X-RateLimit-Limit": "5000", "X-RateLimit-Remaining": "4999", "Cache-Control": "private, max-age=60, s-maxage=60"},
		},
		{
			name: "wrong token", path: "repositories/7", header: map[string]string{"Authorization": "Bearer bad"},
			status: 401, wantBody: map[string]any{"message": "Bad credentials"},
		},
		{
			name: "If-None-Match is a free 304", path: "repos/horseee/llm-pruner", header: map[string]string{"If-None-Match": etag},
			status: 304, cost: 0, wantHdr: map[string]string{"ETag": etag, "X-RateLimit-Remaining": "58"},
		},
		{
			name: "If-Modified-Since is a free 304", path: "repos/horseee/llm-pruner",
			header: map[string]string{"If-Modified-Since": "Wed, 01 May 2024 12:00:00 GMT"}, status: 304,
		},
		{
			name: "renamed is a 301 that costs one", path: "repos/OLD/name", status: 301, cost: 1,
			wantBody: map[string]any{"message": "Moved Permanently", "url": srv.URL() + "repositories/8", "documentation_url": "https://docs.github.com/v3/#http-redirects"},
			wantHdr:  map[string]string{"Location": srv.URL() + "repositories/8"},
		},
		{
			name: "new name", path: "repos/new/name", status: 200, cost: 1,
			wantBody: map[string]any{"full_name": "new/name", "id": 8.0},
		},
		{
			name: "not found", path: "repos/no/such", status: 404, cost: 1,
			wantBody: map[string]any{"message": "Not Found", "status": "404"},
		},
		{
			name: "unknown endpoint", path: "repos/horseee/LLM-Pruner/stargazers", status: 404, cost: 1,
		},
		{
			name: "blocked", path: "repos/legal/trouble", status: 451, cost: 1,
			wantBody: map[string]any{"message": "Repository access blocked"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := srv.QuotaUsed()
			got := get(t, srv.URL()+tt.path, tt.header)
			if got.status != tt.status {
				t.Fatalf("status %d, want %d", got.status, tt.status)
			}
			for k, v := range tt.wantBody {
				if diff := cmp.Diff(v, got.body[k]); diff != "" {
					t.Errorf("body %s (-want +got):\n%s", k, diff)
				}
			}
			for k, v := range tt.wantHdr {
				if got.header.Get(k) != v {
					t.Errorf("header %s = %q, want %q", k, got.header.Get(k), v)
				}
			}
			if cost := srv.QuotaUsed() - before; cost != tt.cost {
				t.Errorf("quota cost %d, want %d", cost, tt.cost)
			}
			log := srv.Requests()
			if last := log[len(log)-1]; last.Status != tt.status || last.QuotaCost != tt.cost || last.Path != "/"+tt.path {
				t.Errorf("logged %+v, want status %d, cost %d, path /%s", last, tt.status, tt.cost, tt.path)
			}
		})
	}

	block := get(t, srv.URL()+"repositories/9", nil).body["block"].(map[string]any)
	if block["reason"] != "dmca" || block["created_at"] != "2024-05-01T12:00:00Z" {
		t.Errorf("451 block = %v", block)
	}
	if !regexp.MustCompile(`^W/"[0-9a-f]{64}"$`).MatchString(etag) {
		t.Errorf("ETag %q is not a weak hash", etag)
	}
	if err := srv.SetStars("horseee/llm-pruner", 4); err != nil {
		t.Fatal(err)
	}
	if changed := get(t, srv.URL()+"repositories/7", map[string]string{"If-None-Match": etag}); changed.status != 200 || changed.header.Get("ETag") == etag {
		t.Errorf("after SetStars: status %d, ETag %q; want 200 and a new ETag", changed.status, changed.header.Get("ETag"))
	}
}

func TestServerLimits(t *testing.T) {
	clk := t0
	tests := []struct {
		name   string
		opts   githubtest.Options
		setup  func(*githubtest.Server)
		want   []int // statuses of four requests
		header map[string]string
	}{
		{
			name: "primary limit as 403 until the reset",
			opts: githubtest.Options{Quota: 2},
			want: []int{200, 200, 403, 403},
		},
		{
			name: "primary limit as 429",
			opts: githubtest.Options{Quota: 1, PrimaryAs429: true},
			want: []int{200, 429, 429, 429},
		},
		{
			name:   "secondary limit with Retry-After",
			setup:  func(s *githubtest.Server) { s.SecondaryNext(2, "30") },
			want:   []int{403, 403, 200, 200},
			header: map[string]string{"Retry-After": "30"},
		},
		{
			name:  "secondary limit as 429",
			opts:  githubtest.Options{SecondaryAs429: true},
			setup: func(s *githubtest.Server) { s.SecondaryNext(1, "") },
			want:  []int{429, 200, 200, 200},
		},
		{
			name:  "server errors",
			setup: func(s *githubtest.Server) { s.FailNext(3, 502) },
			want:  []int{502, 502, 502, 200},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.opts.Now = func() time.Time { return clk }
			srv := githubtest.NewServer(tt.opts)
			t.Cleanup(srv.Close)
			srv.Add(githubtest.Repo{FullName: "a/b"})
			if tt.setup != nil {
				tt.setup(srv)
			}
			var got []int
			for range tt.want {
				r := get(t, srv.URL()+"repos/a/b", nil)
				got = append(got, r.status)
				if r.status >= 400 && r.status < 500 {
					for k, v := range tt.header {
						if r.header.Get(k) != v {
							t.Errorf("header %s = %q, want %q", k, r.header.Get(k), v)
						}
					}
					if r.status != 451 && r.header.Get("X-RateLimit-Remaining") == "" {
						t.Errorf("a limit answer without X-RateLimit-Remaining")
					}
				}
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("statuses (-want +got):\n%s", diff)
			}
		})
	}

	t.Run("the quota is renewed after an hour", func(t *testing.T) {
		now := t0
		srv := githubtest.NewServer(githubtest.Options{Quota: 1, Now: func() time.Time { return now }})
		t.Cleanup(srv.Close)
		srv.Add(githubtest.Repo{FullName: "a/b"})
		first, second := get(t, srv.URL()+"repos/a/b", nil), get(t, srv.URL()+"repos/a/b", nil)
		now = now.Add(time.Hour)
		third := get(t, srv.URL()+"repos/a/b", nil)
		if first.status != 200 || second.status != 403 || third.status != 200 {
			t.Errorf("statuses %d, %d, %d; want 200, 403, 200", first.status, second.status, third.status)
		}
		if second.body["message"] == nil || second.header.Get("X-RateLimit-Remaining") != "0" {
			t.Errorf("403 without a message or remaining 0: %v %v", second.body, second.header)
		}
	})
}

func TestServerPathPrefix(t *testing.T) {
	srv := githubtest.NewServer(githubtest.Options{PathPrefix: "api/v3/"})
	t.Cleanup(srv.Close)
	srv.Add(githubtest.Repo{FullName: "a/b", ID: 3})
	if err := srv.Rename("a/b", "a/c"); err != nil {
		t.Fatal(err)
	}
	if !regexp.MustCompile(`^http://127\.0\.0\.1:\d+/api/v3/$`).MatchString(srv.URL()) {
		t.Errorf("URL() = %q", srv.URL())
	}
	if r := get(t, srv.URL()+"repos/a/b", nil); r.status != 301 || r.header.Get("Location") != srv.URL()+"repositories/3" {
		t.Errorf("301 to %q, want %q", r.header.Get("Location"), srv.URL()+"repositories/3")
	}
	if r := get(t, srv.URL()+"repositories/3", nil); r.status != 200 {
		t.Errorf("by id under the prefix: %d", r.status)
	}
	root := srv.URL()[:len(srv.URL())-len("api/v3/")]
	if r := get(t, root+"repos/a/c", nil); r.status != 404 {
		t.Errorf("outside the prefix: %d, want 404", r.status)
	}
}
