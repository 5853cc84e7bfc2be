package httpget_test

import (
	"strings"
	"testing"

	"github.com/paperlist/paperlist/sources/internal/httpget"
)

func TestParseEndpoint(t *testing.T) {
	tests := []struct {
		raw, def string
		want     string // the URL, or "" for an error
	}{
		{"", "https://api.example.org/v1", "https://api.example.org/v1"},
		{"http://127.0.0.1:8080/x/", "https://api.example.org/", "http://127.0.0.1:8080/x/"},
		{"api.example.org/", "https://api.example.org/", ""},
		{"ftp://example.org/", "", ""},
		{"http://[::1", "", ""},
		{"", "", ""},
	}
	for _, tc := range tests {
		u, err := httpget.ParseEndpoint(tc.raw, tc.def)
		switch {
		case tc.want == "" && (err == nil || !strings.Contains(err.Error(), "is not an absolute http or https url")):
			t.Errorf("ParseEndpoint(%q, %q) = %v, %v; want an error", tc.raw, tc.def, u, err)
		case tc.want != "" && (err != nil || u.String() != tc.want):
			t.Errorf("ParseEndpoint(%q, %q) = %v, %v; want %s", tc.raw, tc.def, u, err, tc.want)
		}
	}
}

func TestBadSecret(t *testing.T) {
	tests := []struct {
		s    string
		want bool
	}{
		{"", false},
		{"ghp_abcDEF123", false},
		{"with space", true},
		{"tab\there", true},
		{"newline\n", true},
		{"del\x7f", true},
	}
	for _, tc := range tests {
		if got := httpget.BadSecret(tc.s); got != tc.want {
			t.Errorf("BadSecret(%q) = %v, want %v", tc.s, got, tc.want)
		}
	}
}
