package markdown_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/paperlist/paperlist"
	"github.com/paperlist/paperlist/sources/markdown"
)

// checkInvariants fails t when a parsed list breaks what every reader of a
// list relies on.
func checkInvariants(t *testing.T, src []byte, l *paperlist.List) {
	t.Helper()
	// CommonMark ends a line at "\n", "\r\n" or a lone "\r".
	lines := strings.Count(strings.ReplaceAll(string(src), "\r\n", "\n"), "\n") +
		strings.Count(strings.ReplaceAll(string(src), "\r\n", "\n"), "\r") + 1
	keys := map[string]bool{}
	sections := map[string]bool{}
	for _, s := range l.Sections {
		sections[s] = true
	}
	for i, p := range l.Papers {
		if p.Key == "" {
			t.Errorf("paper %d (line %d) has no key", i, p.Line)
		}
		if keys[p.Key] {
			t.Errorf("paper %d: key %q is not unique", i, p.Key)
		}
		keys[p.Key] = true
		if p.Line < 1 || p.Line > lines {
			t.Errorf("paper %d: line %d outside 1..%d", i, p.Line, lines)
		}
		if p.Section != "" && !sections[p.Section] {
			t.Errorf("paper %d: section %q not in the list's sections", i, p.Section)
		}
		if strings.ContainsAny(p.Title, "\n\r") {
			t.Errorf("paper %d: title %q spans lines", i, p.Title)
		}
		checkSpan(t, src, fmt.Sprintf("paper %d: paper link", i), p.PaperSpan, p.PaperURL)
		checkSpan(t, src, fmt.Sprintf("paper %d: code link", i), p.CodeSpan, p.CodeURL)
	}
	for i, sl := range l.Links {
		if sl.Line < 1 || sl.Line > lines {
			t.Errorf("link %d: line %d outside 1..%d", i, sl.Line, lines)
		}
		if sl.Span.IsZero() {
			continue
		}
		if sl.Span.Start < 0 || sl.Span.End > len(src) || sl.Span.Start > sl.Span.End {
			t.Errorf("link %d: span %v outside the source of %d bytes", i, sl.Span, len(src))
			continue
		}
		if got := string(src[sl.Span.Start:sl.Span.End]); got != sl.URL {
			t.Errorf("link %d: span %v holds %q, want %q", i, sl.Span, got, sl.URL)
		}
		if i > 0 && l.Links[i-1].Line > sl.Line {
			t.Errorf("link %d: line %d before the line %d of the link before it", i, sl.Line, l.Links[i-1].Line)
		}
	}
}

// checkSpan fails t when span is not a span of src that holds url as
// written: url itself, or url with its backslash escapes and character
// references.
func checkSpan(t *testing.T, src []byte, what string, span paperlist.Span, url string) {
	t.Helper()
	if span.IsZero() {
		return
	}
	if span.Start < 0 || span.End > len(src) || span.Start > span.End {
		t.Errorf("%s: span %v outside the source of %d bytes", what, span, len(src))
		return
	}
	got := string(src[span.Start:span.End])
	if got != url && !strings.ContainsAny(got, "\\&") {
		t.Errorf("%s: span %v holds %q, want %q", what, span, got, url)
	}
}

func FuzzParse(f *testing.F) {
	f.Add(markdown.Builtin)
	for _, name := range listFiles(f) {
		f.Add(readList(f, name))
	}
	for _, s := range []string{
		"",
		"# T",
		"- **",
		"- **a\n** [paper](",
		"- [code]() [paper]() **x**",
		"- [paper][x]\n\n[x]: <>",
		"1. - - - **t** [pdf](https://arxiv.org/pdf/.pdf)",
		"- t\n  - [paper](https://arxiv.org/abs/hep-th/9901001v0)\n  - [paper](#)",
		"- **a** [paper](https://arxiv.org/abs/2302.13971)\n- **a** [paper](https://arxiv.org/abs/2302.13971#2)\n- **b** [paper](https://arxiv.org/abs/2302.13971)",
		"- **x** <br\n*A, B and C, D*",
		"> - **q** [paper](http://[::1]:namedport)",
		"- ![](x) [![arXiv](b)](https://arxiv.org/abs/1706.03762) &#0; \\\x00",
		"\uFEFF\r\n- **\r\n** [code](ftp://github.com/a/b)\r",
		"|Title|Code|\n|-|-|\n|**T** [paper](https://arxiv.org/abs/2302.13971)|[![s](x)](https://github.com/a/b)|\n|x|\n",
		"| a | b |\n|---|---|\n| [[pdf]](https://arxiv.org/pdf/1409.1556) <br> [t t](https://github.com/a/b) | \\| |",
		"**T** \\\n*A, B* \\\narXiv 2023. [[Paper](https://arxiv.org/abs/2302.13971)] [[Github](https://github.com/a/b)] \\\n**U** [paper](https://arxiv.org/abs/1706.03762)",
		"**[5]** X. \"**Very deep**.\" arXiv preprint arXiv:1409.1556 (2014). [[pdf]](http://x)",
		"- **T**\n<div align='center'> [[📖 Paper](https://arxiv.org/abs/2205.14135)] [[Code](https://github.com/a/b)] </div>",
		"1. **T**\n   <p><a href=\"https://arxiv.org/abs/1\">x</a><a href='https://github.com/a/b'>y</a></p>\n<div>\n\n|a|\n|-|\n|b|\n</div>",
		"- **T** [[code]][4.4] arXiv:1412.6550\n\n[4.4]:\n  <https://github.com/a/b> 'title'",
		"- [2023/09/14] We made [our survey](https://arxiv.org/abs/2309.00001)\r- **x**\r  [paper](https://huggingface.co/papers/2305.14314)\r",
		"> > - > 1. **t** [paper](<https://arxiv.org/abs/2302.13971> \"t\")",
		"\t\t\t- x\n" + strings.Repeat("\t", 60) + "- y\n",
		"https://arxiv.org/abs/2302.13971 www.github.com/a/b <https://github.com/c/d>",
		"<div\n- **t** [paper](https://arxiv.org/abs/2302.13971)\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		l, err := markdown.Parse(src, "fuzz")
		if err != nil {
			return
		}
		if l == nil {
			t.Fatal("Parse returned neither a list nor an error")
		}
		checkInvariants(t, src, l)
	})
}

func BenchmarkParse(b *testing.B) {
	b.ReportAllocs()
	b.SetBytes(int64(len(markdown.Builtin)))
	for b.Loop() {
		if _, err := markdown.Parse(markdown.Builtin, markdown.BuiltinSource); err != nil {
			b.Fatal(err)
		}
	}
}
