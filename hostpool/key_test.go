package hostpool_test

import (
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/paperlist/paperlist/hostpool"
)

func TestHostOf(t *testing.T) {
	tests := []struct {
		url, want string
	}{
		{"https://export.arxiv.org/api/query", "export.arxiv.org"},
		{"https://Export.arXiv.org/api/query", "export.arxiv.org"},
		{"https://export.arxiv.org:443/api/query", "export.arxiv.org"},
		{"HTTPS://EXPORT.ARXIV.ORG:443/", "export.arxiv.org"},
		{"http://export.arxiv.org:80/", "export.arxiv.org"},
		{"https://export.arxiv.org./", "export.arxiv.org"},
		{"http://export.arxiv.org:443/", "export.arxiv.org:443"},
		{"https://export.arxiv.org:8443/", "export.arxiv.org:8443"},
		{"http://127.0.0.1:8080/x", "127.0.0.1:8080"},
		{"http://[::1]:8080/", "[::1]:8080"},
		{"https://[::1]:443/", "[::1]"},
		{"http://[::1]/", "[::1]"},
	}
	for _, tt := range tests {
		u, err := url.Parse(tt.url)
		if err != nil {
			t.Fatal(err)
		}
		if got := hostpool.HostOf(u).String(); got != tt.want {
			t.Errorf("HostOf(%s) = %q, want %q", tt.url, got, tt.want)
		}
	}
	if a, b := hostpool.NewHost("https", "Export.arXiv.org"), hostpool.NewHost("https", "export.arxiv.org:443"); a != b {
		t.Errorf("NewHost: %v and %v are two keys, want one", a, b)
	}
}

// A policy given under one spelling of a host applies to requests that
// spell it another way: a policy keyed "Export.arXiv.org" once went
// unnoticed, and requests to export.arxiv.org went out without spacing.
func TestPolicyAppliesToEverySpellingOfItsHost(t *testing.T) {
	const interval = 3 * time.Second
	for _, key := range []string{"Export.arXiv.org", "export.arxiv.org:443", "EXPORT.ARXIV.ORG."} {
		t.Run(key, func(t *testing.T) {
			clock := newFakeClock()
			var sends []time.Time
			base := roundTripFunc(func(r *http.Request) (*http.Response, error) {
				sends = append(sends, clock.Now())
				return &http.Response{StatusCode: 200, Body: http.NoBody, Request: r}, nil
			})
			opts := fakeOptions(clock)
			opts.Base = base
			opts.Hosts = map[hostpool.Host]hostpool.Policy{hostpool.NewHost("https", key): {Interval: interval}}
			c := &http.Client{Transport: hostpool.New(opts)}
			for _, u := range []string{
				"https://export.arxiv.org/api/query",
				"https://Export.arXiv.org/api/query",
				"https://export.arxiv.org:443/api/query",
			} {
				if _, _, err := get(t.Context(), c, u); err != nil {
					t.Fatal(err)
				}
			}
			for i := 1; i < len(sends); i++ {
				if gap := sends[i].Sub(sends[i-1]); gap != interval {
					t.Errorf("send %d came %v after the one before, want the policy's %v", i+1, gap, interval)
				}
			}
		})
	}
}
