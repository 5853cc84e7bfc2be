package markdown_test

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/paperlist/paperlist"
	"github.com/paperlist/paperlist/sources/markdown"
)

func TestParseFragments(t *testing.T) {
	tests := []struct {
		name   string
		src    string
		title  string
		papers []view
	}{
		{name: "empty", src: ""},
		{name: "white space", src: " \n\n\t\n"},
		{
			name:  "no papers: contents, contributors, badges, contributing",
			src:   "# T\n\n[![x](https://img.shields.io/badge/a-b-c)](https://x.org)\n\n## Contents\n\n- [A](#a)\n- [B](#b)\n\n## Contributors\n\n- [@alice](https://github.com/alice)\n\n## How to contribute\n\nSee [CONTRIBUTING.md](CONTRIBUTING.md).\n",
			title: "T",
		},
		{
			name:  "link list that is not papers",
			src:   "# T\n## Links\n- [The Illustrated Transformer](https://jalammar.github.io/x/), a blog post\n- [Awesome-LLM](https://github.com/a/b)\n",
			title: "T",
		},
		{
			name: "a news section announces papers, the next section lists them",
			src: "# T\n## 🔥 News\n- ☄️ [2024/06/07] AgentGym has been released!\n  - Paper: [AgentGym](https://arxiv.org/abs/2406.04151).\n  - Codes: [Platform](https://github.com/o/agentgym).\n" +
				"- 🎉 [2024/05/02] R3 ([Training Language Models by Curriculum](https://arxiv.org/abs/2402.05808)) was accepted!\n" +
				"## News Recommendation\n- **A News Paper** [paper](https://arxiv.org/abs/2402.05808)\n",
			title: "T",
			papers: []view{{
				Line: 8, Section: "News Recommendation", Title: "A News Paper", PaperURL: "https://arxiv.org/abs/2402.05808",
				Key: "arxiv:2402.05808", ArxivID: "2402.05808",
			}},
		},
		{
			name:  "a title numbered 6) loses its number",
			src:   "# T\n## S\n| Paper | Links |\n|---|---|\n| 6) AlphaGenome | [Paper](https://arxiv.org/abs/2506.00001) |\n",
			title: "T",
			papers: []view{{
				Line: 5, Section: "S", Title: "AlphaGenome", PaperURL: "https://arxiv.org/abs/2506.00001",
				Key: "arxiv:2506.00001", ArxivID: "2506.00001",
			}},
		},
		{
			name: "entry before any heading, CRLF line ends",
			src:  "intro\r\n\r\n- **A Paper.** arxiv 2023. [paper](https://arxiv.org/abs/2302.13971)\r\n",
			papers: []view{{
				Line: 3, Title: "A Paper", Venue: "arxiv", Year: 2023, PaperURL: "https://arxiv.org/abs/2302.13971",
				Key: "arxiv:2302.13971", ArxivID: "2302.13971",
			}},
		},
		{
			name:  "byte-order mark, second H1 is a section",
			src:   "\uFEFF# Title\n# Part\n* **P** ICLR 2019 [PAPER](https://e.org/p)\n",
			title: "Title",
			papers: []view{{
				Line: 3, Section: "Part", Title: "P", Venue: "ICLR", Year: 2019, PaperURL: "https://e.org/p", Key: "url:https://e.org/p",
			}},
		},
		{
			name:  "escapes, entities, reference link, angle-bracket destination",
			src:   "# T\n## S\n- **Q\\*A &amp; More.** [paper][p] [code](<https://github.com/a/b c>)\n\n[p]: https://arxiv.org/abs/2302.13971v4\n",
			title: "T",
			papers: []view{{
				Line: 3, Section: "S", Title: "Q*A & More", PaperURL: "https://arxiv.org/abs/2302.13971v4", CodeURL: "https://github.com/a/b c",
				Key: "arxiv:2302.13971", ArxivID: "2302.13971", ArxivVersion: 4, Problems: []string{paperlist.ProblemBadCodeLink},
			}},
		},
		{
			name:  "bold title linked to the paper, no other link",
			src:   "# T\n## S\n1. **[Attention Is All You Need](https://arxiv.org/abs/1706.03762)** NeurIPS 2017\n",
			title: "T",
			papers: []view{{
				Line: 3, Section: "S", Title: "Attention Is All You Need", Venue: "NeurIPS", Year: 2017,
				PaperURL: "https://arxiv.org/abs/1706.03762", Key: "arxiv:1706.03762", ArxivID: "1706.03762",
			}},
		},
		{
			name:  "bold title without links, empty paper link",
			src:   "# T\n## S\n- **Unlinked.** arxiv 2023. <br/>\n  *Last, First*\n- **Empty.** [paper]()\n",
			title: "T",
			papers: []view{
				{
					Line: 3, Section: "S", Title: "Unlinked", Authors: []string{"Last", "First"}, Venue: "arxiv", Year: 2023,
					Key: "title:unlinked", Problems: []string{paperlist.ProblemNoPaperLink},
				},
				{
					Line: 5, Section: "S", Title: "Empty", Key: "title:empty", Problems: []string{paperlist.ProblemBadPaperLink},
				},
			},
		},
		{
			name:  "italic title is not the authors line",
			src:   "# T\n- *Italic Title* NeurIPS 2020 [paper](https://e.org/i)\n",
			title: "T",
			papers: []view{{
				Line: 2, Title: "Italic Title", Venue: "NeurIPS", Year: 2020, PaperURL: "https://e.org/i", Key: "url:https://e.org/i",
			}},
		},
		{
			name:  "same title twice without links",
			src:   "# T\n- **Same** [code](https://github.com/a/b)\n- **Same** [code](https://github.com/a/c)\n",
			title: "T",
			papers: []view{
				{Line: 2, Title: "Same", CodeURL: "https://github.com/a/b", Key: "title:same", Repo: "a/b", Problems: []string{paperlist.ProblemNoPaperLink}},
				{Line: 3, Title: "Same", CodeURL: "https://github.com/a/c", Key: "title:same#2", Repo: "a/c", Problems: []string{paperlist.ProblemNoPaperLink}},
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l := mustParse(t, []byte(tt.src), "frag")
			if l.Title != tt.title {
				t.Errorf("title = %q, want %q", l.Title, tt.title)
			}
			if diff := cmp.Diff(tt.papers, views(l)); diff != "" {
				t.Errorf("papers (-want +got):\n%s", diff)
			}
		})
	}
}

func TestSplitAuthorsForms(t *testing.T) {
	tests := []struct {
		name    string
		authors string
		want    []string
	}{
		{"first last, comma separated", "Biao Zhang, Rico Sennrich", []string{"Biao Zhang", "Rico Sennrich"}},
		{"two joined by and", "Markus N. Rabe and Charles Staats", []string{"Markus N. Rabe", "Charles Staats"}},
		{"oxford comma", "A B, C D, and E F", []string{"A B", "C D", "E F"}},
		{"last, first and last, first", "Zhang, Renrui and Han, Jiaming", []string{"Renrui Zhang", "Jiaming Han"}},
		{"single author", "Noam Shazeer", []string{"Noam Shazeer"}},
		{"trailing period", "Noam Shazeer.", []string{"Noam Shazeer"}},
		{"and inside a name is kept", "Alexander Anderson, Sandy Grand", []string{"Alexander Anderson", "Sandy Grand"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src := "- **T** [paper](https://e.org/x)<br />\n*" + tt.authors + "*\n"
			l := mustParse(t, []byte(src), "authors")
			if len(l.Papers) != 1 {
				t.Fatalf("got %d papers, want 1", len(l.Papers))
			}
			if diff := cmp.Diff(tt.want, l.Papers[0].Authors); diff != "" {
				t.Errorf("authors (-want +got):\n%s", diff)
			}
		})
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct {
		name string
		src  []byte
		want string
	}{
		{"not UTF-8", []byte("# T\n\n- **a** [paper](https://e.org)\n\xff\xfe\n"), "not UTF-8 text (invalid byte on line 4)"},
		{"too large", []byte(strings.Repeat("a", markdown.MaxSize+1)), "more than the limit"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l, err := markdown.Parse(tt.src, "x")
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("Parse() = %v, %v; want an error containing %q", l, err, tt.want)
			}
		})
	}
}
