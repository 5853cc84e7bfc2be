package paperlist_test

import (
	"strings"
	"testing"

	"github.com/paperlist/paperlist"
)

func TestFoldSpace(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"empty", "", ""},
		{"only space", " \t\n ", ""},
		{"folded", "a b c", "a b c"},
		{"one word", "word", "word"},
		{"ends trimmed", "  a b  ", "a b"},
		{"leading space", " a", "a"},
		{"trailing space", "a ", "a"},
		{"runs of spaces", "a   b", "a b"},
		{"tabs and line breaks", "a\tb\r\nc\vd\fe", "a b c d e"},
		{"hard wrap and indentation", "Attention Is\n    All You Need", "Attention Is All You Need"},
		{"no-break space", "a\u00a0b", "a b"},
		{"next line", "a\u0085b", "a b"},
		{"line and paragraph separators", "a\u2028b\u2029c", "a b c"},
		{"ideographic space", "a\u3000b", "a b"},
		{"non-ASCII kept", "  Über   naïve  ", "Über naïve"},
		{"LaTeX kept", "$O(n \\log n)$  bound", "$O(n \\log n)$ bound"},
		{"controls other than space kept", "a\x00b\x1bc", "a\x00b\x1bc"},
		{"zero-width space is not space", "a\u200bb", "a\u200bb"},
		{"invalid UTF-8 kept", "a \xff  b", "a \xff b"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := paperlist.FoldSpace(tt.in); got != tt.want {
				t.Errorf("FoldSpace(%q) = %q, want %q", tt.in, got, tt.want)
			}
			// Folding is idempotent and agrees with strings.Fields.
			if got := paperlist.FoldSpace(tt.want); got != tt.want {
				t.Errorf("FoldSpace(%q) = %q, not folded already", tt.want, got)
			}
			if fields := strings.Join(strings.Fields(tt.in), " "); fields != tt.want {
				t.Errorf("strings.Fields gives %q, want %q", fields, tt.want)
			}
		})
	}
}

func BenchmarkFoldSpace(b *testing.B) {
	for _, bm := range []struct{ name, in string }{
		{"folded", "Attention Is All You Need"},
		{"wrapped", "Attention Is\n    All You Need"},
	} {
		b.Run(bm.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				paperlist.FoldSpace(bm.in)
			}
		})
	}
}
