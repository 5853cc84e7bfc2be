package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Text in the step summary comes from the list and the services: it must
// stay one cell of text, whatever it holds.
func TestSummaryCell(t *testing.T) {
	tests := []struct{ in, want string }{
		{"plain title", "plain title"},
		{"a | b", `a \| b`},
		{"line\nbreak\r\nand\ttab", "line break and tab"},
		{"\x1b[31mred\x1b[0m", "red"},
		{"<script>x</script>", "&lt;script&gt;x&lt;/script&gt;"},
		{"[link](http://x) *bold* `code`", "\\[link\\](http://x) \\*bold\\* \\`code\\`"},
		{`back\slash`, `back\\slash`},
	}
	for _, tt := range tests {
		if got := summaryCell(tt.in); got != tt.want {
			t.Errorf("summaryCell(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestWriteStepSummary(t *testing.T) {
	path := filepath.Join(t.TempDir(), "summary.md")
	getenv := func(k string) string {
		if k == stepSummaryEnv {
			return path
		}
		return ""
	}
	problems := []located{{line: 3}, {line: 9}}
	problems[0].Code, problems[0].Message = "title_mismatch", "listed as \"a | b\"\nnext"
	problems[1].Code, problems[1].Message = "repo_archived", "archived"
	if err := writeStepSummary(getenv, "paperlist check", "L.md", problems); err != nil {
		t.Fatal(err)
	}
	if err := writeStepSummary(getenv, "paperlist fix", "L.md", nil); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	got := string(b)
	for _, want := range []string{
		"### paperlist check\n\n2 problems.\n\n| Where | Code | Message |\n|---|---|---|\n",
		"| L.md:3 | `title_mismatch` | listed as \"a \\| b\" next |\n",
		"| L.md:9 | `repo_archived` | archived |\n",
		"### paperlist fix\n\nNo problems.\n",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("summary lacks %q:\n%s", want, got)
		}
	}
	if err := writeStepSummary(func(string) string { return "" }, "x", "L.md", problems); err != nil {
		t.Errorf("no GITHUB_STEP_SUMMARY: %v", err)
	}
}
