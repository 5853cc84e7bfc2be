package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/paperlist/paperlist"
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

// A list whose source stopped has a problem on every entry: the summary
// lists a thousand and says how many more there are, so that GitHub, which
// drops a summary over 1 MiB, still shows it.
func TestWriteStepSummaryCapped(t *testing.T) {
	path := filepath.Join(t.TempDir(), "summary.md")
	getenv := func(k string) string {
		if k == stepSummaryEnv {
			return path
		}
		return ""
	}
	problems := make([]located, 10000)
	for i := range problems {
		problems[i].line = i + 1
		problems[i].Code, problems[i].Message = "fetch_failed", "arxiv: transient: "+strings.Repeat("x", 150)
	}
	if err := writeStepSummary(getenv, "paperlist crawl", "L.md", problems); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	got := string(b)
	if rows := strings.Count(got, "| `fetch_failed` |"); rows != maxSummaryRows {
		t.Errorf("%d rows, want %d", rows, maxSummaryRows)
	}
	if !strings.Contains(got, "10000 problems.") || !strings.Contains(got, "… and 9000 more") {
		t.Errorf("summary does not give the total and the rest:\n%s", got[len(got)-300:])
	}
	if len(b) >= 1<<20 {
		t.Errorf("summary is %d bytes, over GitHub's 1 MiB", len(b))
	}
}

// The terminal's list of problems quotes titles and answers from outside:
// no escape sequence of theirs reaches the terminal.
func TestPrintProblemsSafe(t *testing.T) {
	d := &paperlist.Dataset{Papers: []*paperlist.Paper{{Line: 4, Problems: []paperlist.Problem{
		{Code: "title_mismatch", Message: "listed as \"x\" but arXiv 2301.00001 is \"\x1b]0;pwned\x07\x1b[2JEvil\u202e\""},
	}}}}
	var b strings.Builder
	printProblems(&b, "L.md", d, nil)
	if got, want := b.String(), "L.md:4: title_mismatch: listed as \"x\" but arXiv 2301.00001 is \"Evil\"\n"; got != want {
		t.Errorf("printProblems = %q, want %q", got, want)
	}
}
