package output

import (
	"strings"
	"testing"
)

// TestIsSafeLine checks the word-at-a-time reading of isSafeLine against
// every byte at every place of an eight-byte word and of the tail after the
// last whole word, and the rules on spaces.
func TestIsSafeLine(t *testing.T) {
	tests := []struct {
		s    string
		want bool
	}{
		{"", true},
		{"Attention is all you need", true},
		{" leading", false},
		{"trailing ", false},
		{"two  spaces", false},
		{"a double space  across the eighth byte", false},
		{"tab\there", false},
		{"caf\u00e9", false},
		{"!\"#$%&'()*+,-./0123456789:;<=>?@AZ[\\]^_`az{|}~", true},
	}
	// Each byte in turn at each place of a 19-byte line (two words and a
	// tail of three): safe exactly when it is printable ASCII and not a
	// space, which would sit at the start, the end or beside another one
	// only at the ends.
	for pos := range 19 {
		for c := range 256 {
			b := []byte(strings.Repeat("x", 19))
			b[pos] = byte(c)
			want := c > ' ' && c <= '~' || c == ' ' && pos > 0 && pos < 18
			tests = append(tests, struct {
				s    string
				want bool
			}{string(b), want})
		}
	}
	for _, tt := range tests {
		if got := isSafeLine(tt.s); got != tt.want {
			t.Errorf("isSafeLine(%q) = %v, want %v", tt.s, got, tt.want)
		}
	}
}
