package markdown_test

import (
	"testing"

	"github.com/paperlist/paperlist/sources/markdown"
)

// TestParseSpans checks, on every list of the tests, that each entry's
// paper and code spans hold its links as written and that the list's links
// are in source order with their lines.
func TestParseSpans(t *testing.T) {
	lists := map[string][]byte{"builtin": markdown.Builtin}
	for _, name := range listFiles(t) {
		lists[name] = readList(t, name)
	}
	for name, src := range lists {
		t.Run(name, func(t *testing.T) {
			l := mustParse(t, src, name)
			checkInvariants(t, src, l)
			placed := 0
			for _, p := range l.Papers {
				if p.PaperURL != "" && p.PaperSpan.IsZero() && p.PaperURL[:min(len(p.PaperURL), 22)] != "https://arxiv.org/abs/" {
					t.Errorf("line %d: paper link %q has no span", p.Line, p.PaperURL)
				}
				if p.CodeURL != "" && p.CodeSpan.IsZero() {
					t.Errorf("line %d: code link %q has no span", p.Line, p.CodeURL)
				}
				if !p.PaperSpan.IsZero() {
					placed++
				}
			}
			if len(l.Papers) > 0 && placed == 0 {
				t.Errorf("no paper link placed")
			}
			if len(l.Papers) > 0 && len(l.Links) == 0 {
				t.Errorf("no links found")
			}
		})
	}
}
