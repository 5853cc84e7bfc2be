package markdown_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/paperlist/paperlist/sources/markdown"
)

// hostile are shapes of input on which a CommonMark parser can take time
// or memory that grows faster than the input: unclosed link destinations,
// unclosed brackets, very wide tables, runs of emphasis delimiters. Each
// makes about n bytes.
var hostile = []struct {
	name string
	make func(n int) []byte
}{
	{"unclosed-link-destinations", func(n int) []byte {
		var b bytes.Buffer
		b.WriteString("- **x** [paper](https://arxiv.org/abs/2301.00001) ")
		for b.Len() < n {
			b.WriteString("[a](")
		}
		return b.Bytes()
	}},
	{"unclosed-link-destinations-under-the-bound", func(n int) []byte {
		block := "- **x** [paper](https://arxiv.org/abs/2301.00001) " + strings.Repeat("[a](x y z abcdefghijklmnopqrstuvwxyz ", 60) + "\n\n"
		return bytes.Repeat([]byte(block), n/len(block)+1)[:n]
	}},
	{"open-brackets-under-the-bound", func(n int) []byte {
		block := strings.Repeat("[ abcdefghijklmnop ", 60) + "\n\n"
		return bytes.Repeat([]byte(block), n/len(block)+1)[:n]
	}},
	{"dense-emphasis-under-the-bound", func(n int) []byte {
		block := strings.Repeat("*a _b cdefghijklmnopqrstuvwxyz ", 1000) + "\n\n"
		return bytes.Repeat([]byte(block), n/len(block)+1)[:n]
	}},
	{"table-under-the-bound", func(n int) []byte {
		cols := 900
		var b bytes.Buffer
		b.WriteString(strings.Repeat("|h", cols) + "|\n" + strings.Repeat("|-", cols) + "|\n")
		row := strings.Repeat("|abcdefghijklmnopqrstuvwxyz", cols) + "|\n"
		for b.Len() < n {
			b.WriteString(row)
		}
		return b.Bytes()
	}},
	{"open-brackets", func(n int) []byte { return bytes.Repeat([]byte("["), n) }},
	{"open-brackets-lines", func(n int) []byte { return bytes.Repeat([]byte("[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[\n"), n/40) }},
	{"wide-table", func(n int) []byte {
		cols := 2000
		var b bytes.Buffer
		b.WriteString(strings.Repeat("|h", cols) + "|\n" + strings.Repeat("|-", cols) + "|\n")
		row := strings.Repeat("|a", cols) + "|\n"
		for b.Len() < n {
			b.WriteString(row)
		}
		return b.Bytes()
	}},
	{"emphasis-delimiters", func(n int) []byte {
		var b bytes.Buffer
		for b.Len() < n {
			b.WriteString("*a _b ")
		}
		return b.Bytes()
	}},
	{"link-openers-and-closers", func(n int) []byte {
		var b bytes.Buffer
		for b.Len() < n {
			b.WriteString("[a]")
		}
		return b.Bytes()
	}},
}

// BenchmarkParseHostile parses each hostile shape at 100 KB, 1 MB and
// 5 MB: time and memory per byte stay flat (linear growth) because such
// blocks are refused or neutralised before goldmark reads them.
func BenchmarkParseHostile(b *testing.B) {
	for _, h := range hostile {
		for _, size := range []int{100 << 10, 1 << 20, 5 << 20} {
			src := h.make(size)
			if len(src) > markdown.MaxSize {
				src = src[:markdown.MaxSize]
			}
			b.Run(fmt.Sprintf("%s/%dKB", h.name, size>>10), func(b *testing.B) {
				b.SetBytes(int64(len(src)))
				b.ReportAllocs()
				for i := 0; i < b.N; i++ {
					_, _ = markdown.Parse(src, "hostile.md")
				}
			})
		}
	}
}

// TestParseHostileRefused checks that each hostile shape over the bounds is
// refused, at 1 MB, with the line of the block in the message, and that the
// shapes under the bounds parse.
func TestParseHostileRefused(t *testing.T) {
	for _, h := range hostile {
		t.Run(h.name, func(t *testing.T) {
			_, err := markdown.Parse(h.make(1<<20), "hostile.md")
			under := strings.Contains(h.name, "under-the-bound")
			switch {
			case under && err != nil:
				t.Errorf("refused a list under the bounds: %v", err)
			case !under && err == nil:
				t.Errorf("accepted a hostile list")
			case !under && !strings.Contains(err.Error(), "line"):
				t.Errorf("error %q names no line", err)
			}
		})
	}
}

// TestParseContextEnds checks that a done context ends a parse.
func TestParseContextEnds(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	src := bytes.Repeat([]byte("- **A Paper Title** [paper](https://arxiv.org/abs/2301.00001)\n"), 1000)
	if _, err := markdown.ParseContext(ctx, src, "list.md"); !errors.Is(err, context.Canceled) {
		t.Errorf("ParseContext with a done context: %v, want context.Canceled", err)
	}
}
