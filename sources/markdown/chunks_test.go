package markdown

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// testLists returns the lists of the repository's test data, by name: the
// built-in list, the corpus of real lists and the hand-written ones.
func testLists(t testing.TB) map[string][]byte {
	t.Helper()
	lists := map[string][]byte{"builtin": Builtin}
	for _, pattern := range []string{
		filepath.Join("testdata", "*", "*.md"),
		filepath.Join("..", "..", "testdata", "lists", "*.md"),
	} {
		names, err := filepath.Glob(pattern)
		if err != nil {
			t.Fatal(err)
		}
		for _, name := range names {
			src, err := os.ReadFile(name)
			if err != nil {
				t.Fatal(err)
			}
			lists[name] = src
		}
	}
	if len(lists) < 20 {
		t.Fatalf("found %d test lists, want the corpus and the hand-written lists too", len(lists))
	}
	return lists
}

// chunkCases are documents whose chunks are easy to get wrong: headings
// inside blocks that a blank line does not end, definitions below the
// links that use them, and what the reader reads across blocks.
var chunkCases = map[string]string{
	"fence":                  "# T\n\n- **a** [paper](https://arxiv.org/abs/2302.13971)\n\n```\ncode\n\n# not a heading\n- **b** [paper](https://arxiv.org/abs/1706.03762)\n```\n\n## S\n\n- **c** [paper](https://arxiv.org/abs/2106.09685)\n",
	"unclosed fence":         "# T\n\n- **a** [paper](https://arxiv.org/abs/2302.13971)\n\n~~~~\n\n## not a heading\n\n- **b** [paper](https://arxiv.org/abs/1706.03762)\n",
	"fence in an item":       "# T\n\n- **a** [paper](https://arxiv.org/abs/2302.13971)\n\n  ```\n  x\n\n## S\n\n- **c** [paper](https://arxiv.org/abs/2106.09685)\n",
	"indented fence":         "# T\n\n  ```\n x\n\n## not a heading\n\n- **b** [paper](https://arxiv.org/abs/1706.03762)\n  ```\n\n## S\n\n- **c** [paper](https://arxiv.org/abs/2106.09685)\n",
	"comment":                "# T\n\n<!--\n\n## hidden\n\n- **b** [paper](https://arxiv.org/abs/1706.03762)\n-->\n\n## S\n\n- **c** [paper](https://arxiv.org/abs/2106.09685)\n",
	"pre":                    "# T\n\n<pre>\n\n## hidden\n\n</pre>\n\n## S\n\n- **c** [paper](https://arxiv.org/abs/2106.09685)\n",
	"div":                    "# T\n\n<div>\n\n## S\n\n- **c** [paper](https://arxiv.org/abs/2106.09685)\n\n</div>\n",
	"indented code":          "# T\n\n    code\n\n## S\n\n    more\n\n- **c** [paper](https://arxiv.org/abs/2106.09685)\n",
	"later definitions":      "# T\n\n- **a** [paper][1] [code][c]\n\n## S\n\n- **b** [paper][2]\n\n## Links\n\n[1]: https://arxiv.org/abs/2302.13971\n[c]: https://github.com/a/b\n[2]: <https://arxiv.org/abs/1706.03762> 'x'\n[1]: https://arxiv.org/abs/1409.1556\n",
	"definitions in a fence": "# T\n\n- **a** [paper][1]\n\n## S\n\n```\n[1]: https://arxiv.org/abs/1409.1556\n```\n\n## U\n\n[1]: https://arxiv.org/abs/2302.13971\n",
	"heading entry":          "# T\n\n#### [A Paper Title](https://arxiv.org/abs/2302.13971)\nAuthors. [code](https://github.com/a/b)\n\n#### [Another Paper](https://arxiv.org/abs/1706.03762)\n\nIts paragraph.\n",
	"block quote":            "# T\n\n> - **a** [paper](https://arxiv.org/abs/2302.13971)\n>\n## S\n\n> ```\n\n## U\n\n- **c** [paper](https://arxiv.org/abs/2106.09685)\n",
	"crlf":                   "# T\r\n\r\n- **a** [paper](https://arxiv.org/abs/2302.13971)\r\n\r\n## S\r\n\r\n```\r\n\r\n## x\r\n```\r\n\r\n## U\r\n- **c** [paper](https://arxiv.org/abs/2106.09685)",
	"news":                   "# T\n\n## News\n\n- [2024/06/07] X released. Paper: [X](https://arxiv.org/abs/2302.13971)\n\n## Papers\n\n- **a** [paper](https://arxiv.org/abs/1706.03762)\n",
	"title only":             "# T\n\n## A\n\n- **A Title Only Entry Here**\n\n## B\n\n- **Linked** [paper](https://arxiv.org/abs/1706.03762)\n\n## A\n\n- **Another Title Only Entry**\n",
}

// TestChunkedParseIsWholeParse parses every test list and the cases above
// as one tree and chunk by chunk, in chunks as small as the headings allow
// and of the size Parse reads, and wants the same list.
func TestChunkedParseIsWholeParse(t *testing.T) {
	docs := testLists(t)
	for name, src := range chunkCases {
		docs["case "+name] = []byte(src)
	}
	for name, src := range docs {
		t.Run(name, func(t *testing.T) {
			want, err := parse(context.Background(), src, name, 0, false)
			if err != nil {
				t.Fatal(err)
			}
			if strings.HasPrefix(name, "case ") && len(want.Papers) == 0 {
				t.Fatal("the case has no papers")
			}
			for _, size := range []int{1, 512, chunkSize} {
				got, err := parse(context.Background(), bytes.Clone(src), name, size, true)
				if err != nil {
					t.Fatalf("chunks of %d: %v", size, err)
				}
				if diff := cmp.Diff(want, got); diff != "" {
					t.Errorf("chunks of %d differ from the whole parse (-whole +chunked):\n%s", size, diff)
				}
			}
		})
	}
}

// TestChunkBounds checks where chunks may start: at a heading at column 0
// after a blank line, at least size bytes after the chunk before.
func TestChunkBounds(t *testing.T) {
	tests := []struct {
		name string
		src  string
		size int
		want []int
	}{
		{"whole", "# a\n\n## b\n", 0, []int{0, 10}},
		{"every heading", "# a\n\n## b\n\n### c\n", 1, []int{0, 5, 11, 17}},
		{"no blank line before", "# a\n## b\n", 1, []int{0, 9}},
		{"indented", "# a\n\n ## b\n", 1, []int{0, 11}},
		{"not a heading", "# a\n\n#b\n\n####### c\n\n#\n", 1, []int{0, 22}},
		{"tab", "a\n\n#\tb\n", 1, []int{0, 3, 7}},
		{"blank with spaces and cr", "a\r\n \t\r\n# b\r\n", 1, []int{0, 7, 12}},
		{"size", "# a\n\n## b\n\n### c\n\n## d\n", 8, []int{0, 11, 23}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if diff := cmp.Diff(tt.want, chunkBounds([]byte(tt.src), tt.size)); diff != "" {
				t.Errorf("chunkBounds(%q, %d) (-want +got):\n%s", tt.src, tt.size, diff)
			}
		})
	}
}

// FuzzChunkedParse wants the list read chunk by chunk to be the list read
// as one tree.
func FuzzChunkedParse(f *testing.F) {
	for _, src := range chunkCases {
		f.Add([]byte(src))
	}
	for _, s := range []string{
		"# a\n\n## b\n",
		"- x\n\n# a\n\n    ```\n\n# b\n",
		"<script>\n\n# a\n</script>\n\n# b\n- **t** [paper](https://arxiv.org/abs/2302.13971)\n",
		"[a]:\n\n# b\n\n- **t** [paper][a]\n\n# c\n\n[a]: https://arxiv.org/abs/2302.13971\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		want, werr := parse(context.Background(), src, "fuzz", 0, false)
		got, gerr := parse(context.Background(), bytes.Clone(src), "fuzz", 1, true)
		if (werr == nil) != (gerr == nil) {
			t.Fatalf("whole parse error %v, chunked %v", werr, gerr)
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("chunked parse differs from the whole parse (-whole +chunked):\n%s", diff)
		}
	})
}
