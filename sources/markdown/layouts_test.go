package markdown_test

import (
	"bytes"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/paperlist/paperlist/sources/markdown"
)

// brief is what the layout tests assert about an entry: its line, title,
// ids and whether its links were placed in the source.
type brief struct {
	Line      int
	Title     string
	ArxivID   string
	Repo      string
	PaperSpan bool
	CodeSpan  bool
}

func TestParseLayouts(t *testing.T) {
	tests := []struct {
		file  string
		want  []brief
		stray []int // lines of the arXiv and GitHub links in no entry
	}{
		{"table.md", []brief{
			{Line: 7, Title: "Visual Instruction Tuning", ArxivID: "2304.08485", Repo: "haotian-liu/LLaVA", PaperSpan: true, CodeSpan: true},
			{Line: 8, Title: "Seeing Clearly, Answering Incorrectly: A Multimodal Robustness Benchmark", ArxivID: "2406.10638", Repo: "BAAI-DCAI/Multimodal-Robustness-Benchmark", PaperSpan: true, CodeSpan: true},
			{Line: 14, Title: "DeepSeek-V2: A Strong, Economical, and Efficient Mixture-of-Experts Language Model", ArxivID: "2405.04434", Repo: "deepseek-ai/DeepSeek-V2", PaperSpan: true, CodeSpan: true},
			{Line: 15, Title: "Dissecting the Runtime Performance of Large Language Models", ArxivID: "2311.03687", PaperSpan: true},
		}, nil},
		{"paragraphs.md", []brief{
			{Line: 5, Title: "Denoising Diffusion Probabilistic Models", ArxivID: "2006.11239", Repo: "hojonathanho/diffusion", PaperSpan: true, CodeSpan: true},
			{Line: 10, Title: "Score-Based Generative Modeling through Stochastic Differential Equations", ArxivID: "2011.13456", Repo: "yang-song/score_sde", PaperSpan: true, CodeSpan: true},
			{Line: 17, Title: "Very deep convolutional networks for large-scale image recognition", ArxivID: "1409.1556", PaperSpan: true},
			{Line: 19, Title: "Deep residual learning for image recognition", ArxivID: "1512.03385"},
		}, nil},
		{"html-refs.md", []brief{
			{Line: 5, Title: "FlashAttention: Fast and Memory-Efficient Exact Attention with IO-Awareness", ArxivID: "2205.14135", Repo: "Dao-AILab/flash-attention", PaperSpan: true, CodeSpan: true},
			{Line: 8, Title: "Efficient Memory Management for Large Language Model Serving with PagedAttention", ArxivID: "2309.06180", Repo: "vllm-project/vllm", PaperSpan: true, CodeSpan: true},
			{Line: 13, Title: "Distilling the Knowledge in a Neural Network", ArxivID: "1503.02531", Repo: "peterliht/knowledge-distillation-pytorch", CodeSpan: true},
			{Line: 14, Title: "FitNets: Hints for Thin Deep Nets", ArxivID: "1412.6550", PaperSpan: true},
			{Line: 15, Title: "A lazy line glued onto the item above", ArxivID: "2301.00001", PaperSpan: true},
		}, []int{19}},
		{"fields.md", []brief{
			{Line: 5, Title: "Scaffold-GS: Structured 3D Gaussians for View-Adaptive Rendering", ArxivID: "2312.00109", Repo: "city-super/Scaffold-GS", PaperSpan: true, CodeSpan: true},
			{Line: 11, Title: "A Paper Whose Code Is Not Out", ArxivID: "2312.02155", PaperSpan: true},
			{Line: 18, Title: "DRAW: A recurrent neural network for image generation", ArxivID: "1502.04623"},
		}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			src := readList(t, tt.file)
			l := mustParse(t, src, tt.file)
			checkInvariants(t, src, l)
			var got []brief
			for _, p := range l.Papers {
				got = append(got, brief{
					Line: p.Line, Title: p.Title, ArxivID: p.ArxivID, Repo: p.Repo,
					PaperSpan: !p.PaperSpan.IsZero(), CodeSpan: !p.CodeSpan.IsZero(),
				})
				if !p.PaperSpan.IsZero() {
					if s := string(src[p.PaperSpan.Start:p.PaperSpan.End]); s != p.PaperURL {
						t.Errorf("line %d: paper span holds %q, want %q", p.Line, s, p.PaperURL)
					}
				}
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("entries (-want +got):\n%s", diff)
			}
			var stray []int
			for _, sl := range l.Links {
				if !sl.InEntry {
					stray = append(stray, sl.Line)
				}
			}
			if diff := cmp.Diff(tt.stray, stray); diff != "" {
				t.Errorf("lines of links in no entry (-want +got):\n%s", diff)
			}
		})
	}
}

// TestParseUnclosedTag is the list FuzzParse found recursing for ever: an
// HTML block whose tag has no end is left in the block that is read again.
func TestParseUnclosedTag(t *testing.T) {
	src := []byte("<div\n- **T** [paper](https://arxiv.org/abs/2302.13971)\n")
	l := mustParse(t, src, "unclosed")
	checkInvariants(t, src, l)
	if len(l.Links) != 1 {
		t.Errorf("links = %+v, want the one arXiv link", l.Links)
	}
}

// TestParseSpansOffsets checks that spans and lines point into the bytes
// given, with a byte-order mark, CRLF and lone-CR line ends.
func TestParseSpansOffsets(t *testing.T) {
	body := "# T\n\n- **A Paper** [paper](https://arxiv.org/abs/2302.13971) [code](https://github.com/a/b)\n- **B Paper** [[pdf]][b]\n\n[b]: https://arxiv.org/abs/1706.03762\n"
	for _, c := range []struct{ name, src string }{
		{"LF", body},
		{"BOM", "\uFEFF" + body},
		{"CRLF", strings.ReplaceAll(body, "\n", "\r\n")},
		{"lone CR", strings.ReplaceAll(body, "\n", "\r")},
	} {
		t.Run(c.name, func(t *testing.T) {
			src := []byte(c.src)
			l := mustParse(t, src, c.name)
			checkInvariants(t, src, l)
			if len(l.Papers) != 2 {
				t.Fatalf("got %d papers, want 2", len(l.Papers))
			}
			for i, want := range []struct {
				line  int
				paper string
			}{{3, "https://arxiv.org/abs/2302.13971"}, {4, "https://arxiv.org/abs/1706.03762"}} {
				p := l.Papers[i]
				if p.Line != want.line {
					t.Errorf("paper %d: line %d, want %d", i, p.Line, want.line)
				}
				if p.PaperSpan.IsZero() || string(src[p.PaperSpan.Start:p.PaperSpan.End]) != want.paper {
					t.Errorf("paper %d: span %v does not hold %s", i, p.PaperSpan, want.paper)
				}
			}
			if s := l.Papers[0].CodeSpan; s.IsZero() || string(src[s.Start:s.End]) != "https://github.com/a/b" {
				t.Errorf("code span %v does not hold the code link", s)
			}
			if len(l.Links) != 3 || l.Links[2].Line != 4 {
				t.Errorf("links = %+v, want 3, the last on line 4, where it is used", l.Links)
			}
		})
	}
}

// craftedNesting is the list issue 10 found taking a minute in goldmark:
// thousands of bullets, each nested one tab deeper than the one before.
func craftedNesting(levels int, indent string) []byte {
	var b bytes.Buffer
	for i := 0; i < levels && b.Len() < markdown.MaxSize-4096; i++ {
		b.WriteString(strings.Repeat(indent, i))
		fmt.Fprintf(&b, "- **Paper %d** [paper](https://arxiv.org/abs/2302.%05d)\n", i, i)
	}
	return b.Bytes()
}

func TestParseRefusesDeepNesting(t *testing.T) {
	for _, c := range []struct {
		name string
		src  []byte
		line int
	}{
		{"tabs", craftedNesting(3000, "\t"), 51},
		{"spaces", craftedNesting(2200, "  "), 100},
		{"block quotes", []byte(strings.Repeat("> ", 150) + "- x\n"), 1},
		{"markers on one line", []byte("# T\n" + strings.Repeat("- ", 150) + "x\n"), 2},
	} {
		t.Run(c.name, func(t *testing.T) {
			start := time.Now()
			_, err := markdown.Parse(c.src, c.name)
			want := fmt.Sprintf("line %d nests lists or block quotes more than %d levels deep", c.line, markdown.MaxDepth)
			if err == nil || err.Error() != want {
				t.Errorf("Parse() error = %v, want %q", err, want)
			}
			if d := time.Since(start); d > time.Second {
				t.Errorf("refusing took %v", d)
			}
		})
	}
	// Real nesting, a few levels deep, is read.
	l := mustParse(t, craftedNesting(6, "  "), "shallow")
	if len(l.Papers) != 6 {
		t.Errorf("shallow nesting: %d papers, want 6", len(l.Papers))
	}
}

// nestedAtLimit is about the costliest list Parse accepts: bullets nested
// up to 45 levels deep and out again, as many as the bound on the weight of
// a list (about 6 units a line and one a level) lets through.
func nestedAtLimit() []byte {
	var b bytes.Buffer
	weight := 0
	for i := 0; ; i++ {
		level := i % 45
		if weight += 6 + level; weight > 540_000 {
			return b.Bytes()
		}
		b.WriteString(strings.Repeat("\t", level/2))
		b.WriteString(strings.Repeat(" ", 2*(level%2)))
		b.WriteString("- x [paper](https://arxiv.org/abs/2302.13971)\n")
	}
}

func TestParseRefusesHeavyLists(t *testing.T) {
	src := []byte(strings.Repeat("- x\n", 200_000))
	_, err := markdown.Parse(src, "heavy")
	if err == nil || !strings.Contains(err.Error(), "list is too large to read: by line 100001") {
		t.Errorf("Parse() error = %v, want the list refused at line 100001", err)
	}
	if _, err := markdown.Parse(nestedAtLimit(), "at the limit"); err != nil {
		t.Errorf("Parse(nestedAtLimit) = %v", err)
	}
}

// generatedList is a list of about 1 MB and 15,000 lines made of the
// layouts of testdata/lists, repeated.
func generatedList(t testing.TB) []byte {
	var parts [][]byte
	parts = append(parts, markdown.Builtin)
	for _, name := range listFiles(t) {
		parts = append(parts, readList(t, name))
	}
	var b bytes.Buffer
	for b.Len() < 1<<20 {
		for _, p := range parts {
			b.Write(p)
			b.WriteString("\n\n")
		}
	}
	return b.Bytes()
}

// TestParseLargeLists reads the lists the benchmarks time (see
// BenchmarkParseLarge and BenchmarkParseNestedAtLimit for how long they
// take; a test on a shared machine cannot time them reliably).
func TestParseLargeLists(t *testing.T) {
	if testing.Short() {
		t.Skip("reads 6 MB of lists")
	}
	src := generatedList(t)
	l := mustParse(t, src, "large")
	checkInvariants(t, src, l)
	if len(l.Papers) < 1000 {
		t.Errorf("%d papers in the generated list", len(l.Papers))
	}
	if _, err := markdown.Parse(nestedAtLimit(), "nested"); err != nil {
		t.Fatal(err)
	}
}

func BenchmarkParseLarge(b *testing.B) {
	src := generatedList(b)
	b.Logf("%d bytes, %d lines", len(src), bytes.Count(src, []byte("\n")))
	b.ReportAllocs()
	b.SetBytes(int64(len(src)))
	for b.Loop() {
		if _, err := markdown.Parse(src, "large"); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkParseNestedAtLimit(b *testing.B) {
	src := nestedAtLimit()
	b.ReportAllocs()
	b.SetBytes(int64(len(src)))
	for b.Loop() {
		if _, err := markdown.Parse(src, "nested"); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkParseCraftedNesting(b *testing.B) {
	src := craftedNesting(3000, "\t")
	b.ReportAllocs()
	for b.Loop() {
		if _, err := markdown.Parse(src, "crafted"); err == nil {
			b.Fatal("crafted nesting accepted")
		}
	}
}
