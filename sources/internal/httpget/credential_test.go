package httpget_test

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"net/url"
	"testing"

	"github.com/paperlist/paperlist/sources/internal/httpget"
)

func TestFirstEnv(t *testing.T) {
	tests := []struct {
		name string
		env  map[string]string
		want string
	}{
		{"none", nil, ""},
		{"first", map[string]string{"A": "one", "B": "two"}, "one"},
		{"blank first", map[string]string{"A": "  ", "B": " two\n"}, "two"},
		{"second only", map[string]string{"B": "two"}, "two"},
		{"not asked", map[string]string{"C": "three"}, ""},
	}
	for _, tc := range tests {
		if got := httpget.FirstEnv(func(k string) string { return tc.env[k] }, "A", "B"); got != tc.want {
			t.Errorf("%s: FirstEnv = %q, want %q", tc.name, got, tc.want)
		}
	}
}

func TestSameHost(t *testing.T) {
	base, _ := url.Parse("https://api.example.org/v1/")
	tests := []struct {
		url  string
		want bool
	}{
		{"https://api.example.org/v1/x", true},
		{"https://API.Example.org/other", true},
		{"http://api.example.org/v1/x", false},
		{"https://api.example.org:8443/v1/x", false},
		{"https://evil.example.org/v1/x", false},
	}
	for _, tc := range tests {
		u, _ := url.Parse(tc.url)
		if got := httpget.SameHost(u, base); got != tc.want {
			t.Errorf("SameHost(%s) = %v, want %v", tc.url, got, tc.want)
		}
	}
}

func TestCredential(t *testing.T) {
	tests := []struct {
		name      string
		toAPI     bool
		sent      string // the header on the request given
		value     string
		want      string
		sameAsReq bool
	}{
		{"set for the api", true, "", "secret", "secret", false},
		{"no value for the api", true, "", "", "", true},
		{"taken off another host", false, "secret", "secret", "", false},
		{"none to take off", false, "", "secret", "", true},
	}
	for _, tc := range tests {
		req := httptest.NewRequest(http.MethodGet, "https://api.example.org/", nil)
		if tc.sent != "" {
			req.Header.Set("X-Key", tc.sent)
		}
		got := httpget.Credential(req, tc.toAPI, "X-Key", tc.value)
		if got.Header.Get("X-Key") != tc.want || (got == req) != tc.sameAsReq {
			t.Errorf("%s: header %q, same request %v; want %q, %v", tc.name, got.Header.Get("X-Key"), got == req, tc.want, tc.sameAsReq)
		}
		if got != req && req.Header.Get("X-Key") != tc.sent {
			t.Errorf("%s: the caller's request was changed", tc.name)
		}
	}
}

type stubTransport struct{ name string }

func (*stubTransport) RoundTrip(*http.Request) (*http.Response, error) {
	return nil, http.ErrNotSupported
}

// TestWrap: the copy has the wrapped transport around the given one
// (http.DefaultTransport when none), the redirect check and the original's
// other fields; the original is not changed.
func TestWrap(t *testing.T) {
	given, wrapped := &stubTransport{"given"}, &stubTransport{"wrapped"}
	check := func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	for _, tc := range []struct {
		name     string
		hc       *http.Client
		wantNext http.RoundTripper
	}{
		{"default transport", &http.Client{}, http.DefaultTransport},
		{"given transport", &http.Client{Transport: given, Timeout: 7}, given},
	} {
		var next http.RoundTripper
		orig := *tc.hc
		c := httpget.Wrap(tc.hc, func(n http.RoundTripper) http.RoundTripper { next = n; return wrapped }, check)
		if next != tc.wantNext || c.Transport != wrapped {
			t.Errorf("%s: wrapped %v, transport %v; want %v wrapped", tc.name, next, c.Transport, tc.wantNext)
		}
		if c == tc.hc || c.Timeout != tc.hc.Timeout || c.CheckRedirect == nil || c.CheckRedirect(nil, nil) != http.ErrUseLastResponse {
			t.Errorf("%s: a copy %v, timeout %v, redirect check set %v", tc.name, c != tc.hc, c.Timeout, c.CheckRedirect != nil)
		}
		if tc.hc.Transport != orig.Transport || tc.hc.CheckRedirect != nil {
			t.Errorf("%s: the original client was changed", tc.name)
		}
	}
}

func TestRedact(t *testing.T) {
	base := errors.New(`get "https://x/?k=s3cret": s3cret refused`)
	tests := []struct {
		name     string
		err      error
		secret   string
		want     string
		sameErr  bool
		unwrapIs bool
	}{
		{"secret in the text", base, "s3cret", `get "https://x/?k=[key]": [key] refused`, false, true},
		{"no secret in the text", base, "other", base.Error(), true, true},
		{"empty secret", base, "", base.Error(), true, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := httpget.Redact(tt.err, tt.secret, "[key]")
			if got.Error() != tt.want {
				t.Errorf("Redact = %q, want %q", got.Error(), tt.want)
			}
			if (got == tt.err) != tt.sameErr {
				t.Errorf("Redact returned the same error: %v, want %v", got == tt.err, tt.sameErr)
			}
			if errors.Is(got, base) != tt.unwrapIs {
				t.Errorf("errors.Is(Redact(...), base) = %v", !tt.unwrapIs)
			}
		})
	}
	if httpget.Redact(nil, "s3cret", "[key]") != nil {
		t.Error("Redact(nil) is not nil")
	}
}
