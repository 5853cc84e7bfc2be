package arxiv

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/paperlist/paperlist/sources/internal/httpget"
)

// TestExcerpt: a failed answer's body is shown on one line, at most about
// 200 bytes of it, never cut inside a character.
func TestExcerpt(t *testing.T) {
	for _, tc := range []struct {
		name, body, want string
	}{
		{"short", "Service\nUnavailable", "Service Unavailable"},
		{"exactly the length", strings.Repeat("a", 200), strings.Repeat("a", 200)},
		{"long ASCII", strings.Repeat("a", 300), strings.Repeat("a", 200) + "…"},
		{"a character across the cut", strings.Repeat("a", 199) + "é" + strings.Repeat("b", 50), strings.Repeat("a", 199) + "…"},
		{"four-byte characters", strings.Repeat("😀", 100), strings.Repeat("😀", 50) + "…"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := excerpt(&httpget.Response{Body: []byte(tc.body)})
			if got != tc.want {
				t.Errorf("excerpt = %q, want %q", got, tc.want)
			}
			if !utf8.ValidString(got) {
				t.Errorf("excerpt %q is not valid UTF-8", got)
			}
		})
	}
}
