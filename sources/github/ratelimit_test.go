package github_test

import (
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/paperlist/paperlist"
	"github.com/paperlist/paperlist/sources/github"
)

func TestReadRateLimit(t *testing.T) {
	reset := time.Unix(1764504000, 0)
	quota := map[string]string{"X-RateLimit-Limit": "5000", "X-RateLimit-Remaining": "17", "X-RateLimit-Reset": "1764504000"}
	usedUp := map[string]string{"X-RateLimit-Limit": "5000", "X-RateLimit-Remaining": "0", "X-RateLimit-Reset": "1764504000"}
	const secondary = `{"message":"You have exceeded a secondary rate limit. Please wait a few minutes before you try again."}`
	tests := []struct {
		name   string
		status int
		header map[string]string
		body   string
		want   paperlist.RateLimit
	}{
		{"quota of an answer", 200, quota, "{}", paperlist.RateLimit{Limit: 5000, Remaining: 17, Reset: reset}},
		{"quota of a 304", 304, usedUp, "", paperlist.RateLimit{Limit: 5000, Remaining: 0, Reset: reset}},
		{"no headers", 200, nil, "{}", paperlist.RateLimit{}},
		{"another resource", 200, map[string]string{"X-RateLimit-Resource": "search", "X-RateLimit-Remaining": "3", "X-RateLimit-Reset": "1764504000"}, "", paperlist.RateLimit{}},
		{"no reset", 200, map[string]string{"X-RateLimit-Remaining": "3"}, "", paperlist.RateLimit{}},
		{"primary as 403", 403, usedUp, `{"message":"API rate limit exceeded"}`, paperlist.RateLimit{Limit: 5000, Reset: reset, Exceeded: true}},
		{"primary as 429", 429, usedUp, "", paperlist.RateLimit{Limit: 5000, Reset: reset, Exceeded: true}},
		{"secondary as 403 with its message", 403, quota, secondary, paperlist.RateLimit{Limit: 5000, Remaining: 17, Reset: reset, Exceeded: true, Secondary: true}},
		{"secondary as 403 with Retry-After", 403, map[string]string{"Retry-After": "30"}, "", paperlist.RateLimit{Exceeded: true, Secondary: true}},
		{"abuse detection", 403, nil, `{"message":"You have triggered an abuse detection mechanism."}`, paperlist.RateLimit{Exceeded: true, Secondary: true}},
		{"secondary as 429", 429, nil, "", paperlist.RateLimit{Exceeded: true, Secondary: true}},
		{"a plain 403", 403, quota, `{"message":"Resource not accessible by integration"}`, paperlist.RateLimit{Limit: 5000, Remaining: 17, Reset: reset}},
		{"a 500 says no limit", 500, nil, secondary, paperlist.RateLimit{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp := &http.Response{StatusCode: tt.status, Header: http.Header{}, Body: io.NopCloser(strings.NewReader(tt.body))}
			for k, v := range tt.header {
				resp.Header.Set(k, v)
			}
			got := github.ReadRateLimit(resp)
			if !got.Reset.Equal(tt.want.Reset) {
				t.Errorf("Reset = %v, want %v", got.Reset, tt.want.Reset)
			}
			got.Reset, tt.want.Reset = time.Time{}, time.Time{}
			if got != tt.want {
				t.Errorf("ReadRateLimit = %+v, want %+v", got, tt.want)
			}
			if body, err := io.ReadAll(resp.Body); err != nil || string(body) != tt.body {
				t.Errorf("body after reading = %q, %v; want it put back: %q", body, err, tt.body)
			}
		})
	}
}
