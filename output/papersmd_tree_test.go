package output_test

import (
	"regexp"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/paperlist/paperlist"
	"github.com/paperlist/paperlist/output"
)

// TestWriteMarkdownKeepsTheTree checks that papers.md keeps the list's tree
// of sections: two "Attack" sections under different parents stay apart,
// each under its parent's heading, one level deeper.
func TestWriteMarkdownKeepsTheTree(t *testing.T) {
	paper := func(title string, path ...string) *paperlist.Paper {
		return &paperlist.Paper{Key: "title:" + title, Title: title, Section: path[len(path)-1], SectionPath: path, Line: 1}
	}
	d := &paperlist.Dataset{
		List: paperlist.ListInfo{Title: "Tree"},
		Papers: []*paperlist.Paper{
			paper("One", "Vision", "Image", "Attack"),
			paper("Two", "Vision", "Image", "Attack"),
			paper("Three", "Vision", "Video", "Attack"),
			paper("Four", "Text", "Attack"),
		},
	}
	out := writeMarkdown(t, d, output.MarkdownOptions{})
	var got []string
	for _, line := range strings.Split(out, "\n") {
		if regexp.MustCompile(`^#{2,6} |^- `).MatchString(line) {
			got = append(got, line[:min(len(line), strings.IndexAny(line+"*", "*"))])
		}
	}
	want := []string{
		"## Vision", "### Image", "#### Attack", "- ", "- ",
		"### Video", "#### Attack", "- ",
		"## Text", "### Attack", "- ",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("headings and entries of papers.md (-want +got):\n%s\n%s", diff, out)
	}
}
