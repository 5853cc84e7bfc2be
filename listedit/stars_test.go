package listedit_test

import (
	"strings"
	"testing"

	"github.com/paperlist/paperlist"
	"github.com/paperlist/paperlist/listedit"
)

func TestStarsText(t *testing.T) {
	for stars, want := range map[int]string{0: "★ 0", 950: "★ 950", 56_123: "★ 56.1k", 1_000: "★ 1k", 1_234_567: "★ 1.2M"} {
		if got := listedit.StarsText(stars); got != want {
			t.Errorf("StarsText(%d) = %q, want %q", stars, got, want)
		}
	}
}

// codeSpan is the span of url in src.
func codeSpan(t *testing.T, src, url string) paperlist.Span {
	t.Helper()
	i := strings.Index(src, url)
	if i < 0 {
		t.Fatalf("%q not in %q", url, src)
	}
	return paperlist.Span{Start: i, End: i + len(url)}
}

const repo = "https://github.com/vllm-project/vllm"

func TestStarsEdit(t *testing.T) {
	tests := []struct {
		name string
		src  string
		want string // the source after the edit; "" for no edit
	}{
		{"new marker", "- [code](" + repo + ") · MIT\n", "- [code](" + repo + ") ★ 56.1k · MIT\n"},
		{"at the end of the file", "[code](" + repo + ")", "[code](" + repo + ") ★ 56.1k"},
		{"CRLF", "[code](" + repo + ")\r\n", "[code](" + repo + ") ★ 56.1k\r\n"},
		{"old count replaced", "[code](" + repo + ") ★ 950\n", "[code](" + repo + ") ★ 56.1k\n"},
		{"old count in millions", "[code](" + repo + ") ★ 1.2M, more\n", "[code](" + repo + ") ★ 56.1k, more\n"},
		{"same count", "[code](" + repo + ") ★ 56.1k\n", ""},
		{"title", "[code](" + repo + " \"the (engine)\")\n", "[code](" + repo + " \"the (engine)\") ★ 56.1k\n"},
		{"angle brackets", "[code](<" + repo + ">)\n", "[code](<" + repo + ">) ★ 56.1k\n"},
		{"a word after the star is no marker", "[code](" + repo + ") ★ 5kb\n", "[code](" + repo + ") ★ 56.1k ★ 5kb\n"},
		{"no space, no marker", "[code](" + repo + ")★ 5k\n", "[code](" + repo + ") ★ 56.1k★ 5k\n"},
		{"digits right after the link", "[code](" + repo + ")00\n", ""},
		{"a letter right after the link", "[code](" + repo + ")k\n", ""},
		{"a full stop right after the link", "[code](" + repo + ").\n", "[code](" + repo + ") ★ 56.1k.\n"},
		{"reference definition", "[code]: " + repo + "\n", ""},
		{"autolink", "<" + repo + ">\n", ""},
		{"bare URL", "see " + repo + " now\n", ""},
		{"unclosed", "[code](" + repo + "\n", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src := []byte(tt.src)
			e, ok := listedit.StarsEdit(src, codeSpan(t, tt.src, repo), 56_123)
			if !ok {
				if tt.want != "" {
					t.Fatalf("no edit, want %q", tt.want)
				}
				return
			}
			if tt.want == "" {
				t.Fatalf("edit %+v, want none", e)
			}
			got, err := listedit.Apply(src, []listedit.Edit{e})
			if err != nil {
				t.Fatal(err)
			}
			if string(got) != tt.want {
				t.Fatalf("after the edit: %q, want %q", got, tt.want)
			}
			// A second run with the same count finds its marker and has
			// nothing to do.
			if e, ok := listedit.StarsEdit(got, codeSpan(t, string(got), repo), 56_123); ok {
				t.Errorf("second run: edit %+v, want none", e)
			}
		})
	}
}

func TestUnstarEdit(t *testing.T) {
	src := "- [code](" + repo + ") ★ 56.1k · MIT\n"
	e, ok := listedit.UnstarEdit([]byte(src), codeSpan(t, src, repo))
	if !ok {
		t.Fatal("no edit")
	}
	got, err := listedit.Apply([]byte(src), []listedit.Edit{e})
	if err != nil {
		t.Fatal(err)
	}
	if want := "- [code](" + repo + ") · MIT\n"; string(got) != want {
		t.Errorf("after the edit: %q, want %q", got, want)
	}
	if e, ok := listedit.UnstarEdit(got, codeSpan(t, string(got), repo)); ok {
		t.Errorf("no marker left, yet edit %+v", e)
	}
}

func TestStarsSpanBadSpans(t *testing.T) {
	src := []byte("[code](" + repo + ")")
	for _, s := range []paperlist.Span{{}, {Start: 0, End: 3}, {Start: 7, End: 99}, {Start: 9, End: 8}} {
		if got, ok := listedit.StarsSpan(src, s); ok {
			t.Errorf("StarsSpan(%v) = %v, want none", s, got)
		}
	}
}
