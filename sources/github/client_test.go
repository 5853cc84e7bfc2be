package github_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/paperlist/paperlist"
	"github.com/paperlist/paperlist/sources/github"
	"github.com/paperlist/paperlist/sources/github/githubtest"
)

func TestNew(t *testing.T) {
	hc := &http.Client{}
	tests := []struct {
		name    string
		opts    github.Options
		wantErr string
	}{
		{name: "defaults", opts: github.Options{HTTPClient: hc}},
		{name: "no http client", opts: github.Options{}, wantErr: "no http client"},
		{name: "relative base url", opts: github.Options{HTTPClient: hc, BaseURL: "api.github.com/"}, wantErr: "not an absolute"},
		{name: "other scheme", opts: github.Options{HTTPClient: hc, BaseURL: "ftp://ghe.example.com/api/v3/"}, wantErr: "not an absolute"},
		{name: "unparsable base url", opts: github.Options{HTTPClient: hc, BaseURL: "http://[::1"}, wantErr: "not an absolute"},
		{name: "token with a newline", opts: github.Options{HTTPClient: hc, Token: testToken + "\n"}, wantErr: "control characters"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := github.New(tt.opts)
			if (err != nil) != (tt.wantErr != "") || (err != nil && !strings.Contains(err.Error(), tt.wantErr)) {
				t.Fatalf("New error = %v, want %q", err, tt.wantErr)
			}
			if err != nil && strings.Contains(err.Error(), testToken) {
				t.Errorf("error %q contains the token", err)
			}
		})
	}
}

func TestTokenFromEnv(t *testing.T) {
	tests := []struct {
		name string
		env  map[string]string
		want string
	}{
		{"none", nil, ""},
		{"GITHUB_TOKEN", map[string]string{"GITHUB_TOKEN": "a"}, "a"},
		{"GH_TOKEN", map[string]string{"GH_TOKEN": "b"}, "b"},
		{"GITHUB_TOKEN first", map[string]string{"GITHUB_TOKEN": "a", "GH_TOKEN": "b"}, "a"},
		{"blank GITHUB_TOKEN falls to GH_TOKEN", map[string]string{"GITHUB_TOKEN": " ", "GH_TOKEN": "b\n"}, "b"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := github.TokenFromEnv(func(k string) string { return tt.env[k] }); got != tt.want {
				t.Errorf("TokenFromEnv = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestBaseURL(t *testing.T) {
	root := newServer(t, githubtest.Options{})
	root.Add(llmPruner)
	ghe := newServer(t, githubtest.Options{PathPrefix: "/api/v3"})
	ghe.Add(llmPruner)
	gheHost := strings.TrimSuffix(ghe.URL(), "api/v3/")
	tests := []struct {
		name     string
		base     string
		wantPath string
		wantOK   bool
	}{
		{"with trailing slash", root.URL(), "/repos/horseee/LLM-Pruner", true},
		{"without trailing slash", strings.TrimSuffix(root.URL(), "/"), "/repos/horseee/LLM-Pruner", true},
		{"enterprise api/v3/", ghe.URL(), "/api/v3/repos/horseee/LLM-Pruner", true},
		{"enterprise api/v3 without slash", strings.TrimSuffix(ghe.URL(), "/"), "/api/v3/repos/horseee/LLM-Pruner", true},
		// The base URL is used as given: api/v3/ is not appended.
		{"enterprise host alone", gheHost, "/repos/horseee/LLM-Pruner", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			root.Reset()
			ghe.Reset()
			res := newClient(t, tt.base, "").FetchRepo(context.Background(), paperlist.RepoRequest{Name: "horseee/LLM-Pruner"})
			if res.Err != nil {
				t.Fatal(res.Err)
			}
			if ok := res.Stats != nil && res.Stats.FullName == "horseee/LLM-Pruner"; ok != tt.wantOK {
				t.Errorf("FetchRepo = %+v, want found %v", res, tt.wantOK)
			}
			reqs := append(root.Requests(), ghe.Requests()...)
			if len(reqs) != 1 || reqs[0].Path != tt.wantPath {
				t.Errorf("requests %v, want one to %s", paths(reqs), tt.wantPath)
			}
		})
	}
}

func TestAuthorization(t *testing.T) {
	tests := []struct {
		name      string
		token     string
		wantAuth  string
		wantAuthd bool
	}{
		{"unauthenticated", "", "", false},
		{"authenticated", testToken, "Bearer " + testToken, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := newServer(t, githubtest.Options{Token: testToken})
			srv.Add(llmPruner)
			c := newClient(t, srv.URL(), tt.token)
			if c.Authenticated() != tt.wantAuthd {
				t.Errorf("Authenticated() = %v, want %v", c.Authenticated(), tt.wantAuthd)
			}
			if res := c.FetchRepo(context.Background(), paperlist.RepoRequest{Name: "horseee/LLM-Pruner"}); res.Err != nil {
				t.Fatal(res.Err)
			}
			reqs := srv.Requests()
			if len(reqs) != 1 {
				t.Fatalf("%d requests, want 1", len(reqs))
			}
			if got := reqs[0].Header.Get("Authorization"); got != tt.wantAuth {
				t.Errorf("Authorization = %q, want %q", got, tt.wantAuth)
			}
			if got := reqs[0].Header.Get("User-Agent"); got != paperlist.DefaultUserAgent {
				t.Errorf("User-Agent = %q, want %q", got, paperlist.DefaultUserAgent)
			}
		})
	}
}

// recorder is a server on another host that records the headers it gets.
type recorder struct {
	mu      sync.Mutex
	headers []http.Header
}

func (rec *recorder) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	rec.mu.Lock()
	rec.headers = append(rec.headers, r.Header.Clone())
	rec.mu.Unlock()
	fmt.Fprint(w, `{"id": 9, "full_name": "elsewhere/repo"}`)
}

func TestTokenOnlyToAPIHost(t *testing.T) {
	rec := &recorder{}
	other := httptest.NewServer(rec)
	t.Cleanup(other.Close)
	var apiAuth string
	api := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		apiAuth = r.Header.Get("Authorization")
		http.Redirect(w, r, other.URL+"/repositories/9", http.StatusMovedPermanently)
	}))
	t.Cleanup(api.Close)

	// A redirect off the API host is no rename: it is not followed.
	res := newClient(t, api.URL, testToken).FetchRepo(context.Background(), paperlist.RepoRequest{Name: "a/b"})
	if !errors.Is(res.Err, paperlist.ErrInvalidResponse) || strings.Contains(res.Err.Error(), testToken) {
		t.Fatalf("FetchRepo = %+v, want an invalid answer without the token", res)
	}
	if apiAuth != "Bearer "+testToken {
		t.Errorf("API host got Authorization %q, want the token", apiAuth)
	}
	if len(rec.headers) != 0 {
		t.Fatalf("other host got %d requests, want none", len(rec.headers))
	}
}

// echoAuth answers with status and a message that repeats the request's
// Authorization header, as a misbehaving server might.
func echoAuth(status int, extra map[string]string, bodyFmt string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		for k, v := range extra {
			w.Header().Set(k, v)
		}
		w.WriteHeader(status)
		fmt.Fprintf(w, bodyFmt, r.Header.Get("Authorization"))
	}
}

func TestTokenNeverInErrors(t *testing.T) {
	tests := []struct {
		name    string
		handler http.HandlerFunc
	}{
		{"401", echoAuth(401, nil, `{"message":"Bad credentials: %s"}`)},
		{"403", echoAuth(403, nil, `{"message":"Forbidden for %s"}`)},
		{"403 primary", echoAuth(403, map[string]string{"X-RateLimit-Remaining": "0", "X-RateLimit-Reset": "1900000000"}, `{"message":"API rate limit exceeded for %s"}`)},
		{"403 secondary", echoAuth(403, map[string]string{"Retry-After": "60"}, `{"message":"secondary rate limit for %s","documentation_url":"https://docs.github.com/rest/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits"}`)},
		{"429", echoAuth(429, nil, `{"message":"Too many requests from %s"}`)},
		{"422", echoAuth(422, nil, `{"message":"Validation Failed","errors":[{"resource":"Repo","code":"custom","message":"%s"}]}`)},
		{"500", echoAuth(500, nil, `{"message":"Server Error %s"}`)},
		{"502 html", echoAuth(502, nil, `<html>%s</html>`)},
		{"200 garbage", echoAuth(200, nil, `%s`)},
		{"200 wrong type", echoAuth(200, nil, `{"id": "%s"}`)},
		{"200 no repository", echoAuth(200, nil, `{"full_name": "%s"}`)},
		{"301 without location", echoAuth(301, nil, `{"message":"Moved %s"}`)},
		{"304 unconditional", echoAuth(304, map[string]string{"ETag": "x"}, `%s`)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ts := httptest.NewServer(tt.handler)
			t.Cleanup(ts.Close)
			res := newClient(t, ts.URL, testToken).FetchRepo(context.Background(), paperlist.RepoRequest{Name: "a/b"})
			if res.Err == nil {
				t.Fatalf("FetchRepo = %+v, want an error", res)
			}
			assertNoToken(t, res.Err)
		})
	}

	t.Run("transport error quoting the header", func(t *testing.T) {
		c, err := github.New(github.Options{
			BaseURL: "http://127.0.0.1:1/", Token: testToken,
			HTTPClient: &http.Client{Transport: echoTransport{}},
		})
		if err != nil {
			t.Fatal(err)
		}
		res := c.FetchRepo(context.Background(), paperlist.RepoRequest{Name: "a/b"})
		if !errors.Is(res.Err, paperlist.ErrWaitTooLong) {
			t.Fatalf("FetchRepo error = %v, want it to wrap the transport's", res.Err)
		}
		if strings.Contains(res.Err.Error(), testToken) {
			t.Errorf("error %q contains the token", res.Err)
		}
	})
}

// echoTransport fails with an error that quotes the Authorization header.
type echoTransport struct{}

func (echoTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	return nil, fmt.Errorf("refused %q: %w", r.Header.Get("Authorization"), paperlist.ErrWaitTooLong)
}

// assertNoToken checks that no error in err's chain shows the token.
func assertNoToken(t *testing.T, err error) {
	t.Helper()
	for e := err; e != nil; e = errors.Unwrap(e) {
		if s := fmt.Sprintf("%v %+v", e, e); strings.Contains(s, testToken) {
			t.Errorf("error %q shows the token", s)
		}
	}
}
