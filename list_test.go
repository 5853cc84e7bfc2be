package paperlist_test

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/paperlist/paperlist"
)

// derived is what NewList derives for one entry.
type derived struct {
	Key          string
	ArxivID      string
	ArxivVersion int
	Repo         string
	Problems     []string
}

func derivedOf(p *paperlist.Paper) derived {
	d := derived{Key: p.Key, ArxivID: p.ArxivID, ArxivVersion: p.ArxivVersion, Repo: p.Repo}
	for _, pr := range p.Problems {
		d.Problems = append(d.Problems, pr.Code)
	}
	return d
}

func TestNewListDerivesEachEntry(t *testing.T) {
	tests := []struct {
		name  string
		entry paperlist.RawEntry
		want  derived
	}{
		{
			name:  "arxiv abs and github sub-path",
			entry: paperlist.RawEntry{Title: "LLaMA", PaperURL: "https://arxiv.org/abs/2302.13971", HasPaperLink: true, CodeURL: "https://github.com/facebookresearch/llama/tree/main", HasCodeLink: true},
			want:  derived{Key: "arxiv:2302.13971", ArxivID: "2302.13971", Repo: "facebookresearch/llama"},
		},
		{
			name:  "arxiv version kept apart",
			entry: paperlist.RawEntry{Title: "Wanda", PaperURL: "https://arxiv.org/abs/2306.11695v1", HasPaperLink: true},
			want:  derived{Key: "arxiv:2306.11695", ArxivID: "2306.11695", ArxivVersion: 1},
		},
		{
			name:  "arxiv pdf",
			entry: paperlist.RawEntry{Title: "NetGPT", PaperURL: "https://arxiv.org/pdf/2307.06148.pdf", HasPaperLink: true},
			want:  derived{Key: "arxiv:2307.06148", ArxivID: "2307.06148"},
		},
		{
			name:  "old-style arxiv id",
			entry: paperlist.RawEntry{Title: "Old", PaperURL: "https://arxiv.org/abs/hep-th/9901001v2", HasPaperLink: true},
			want:  derived{Key: "arxiv:hep-th/9901001", ArxivID: "hep-th/9901001", ArxivVersion: 2},
		},
		{
			name:  "non-arxiv paper and code on other hosts",
			entry: paperlist.RawEntry{Title: "SC", PaperURL: " https://openreview.net/forum?id=1PL1NIMMrw ", HasPaperLink: true, CodeURL: "https://huggingface.co/spaces/x/y", HasCodeLink: true},
			want:  derived{Key: "url:https://openreview.net/forum?id=1PL1NIMMrw"},
		},
		{
			name:  "no paper link",
			entry: paperlist.RawEntry{Title: "A Paper, Without Link."},
			want:  derived{Key: "title:a paper without link", Problems: []string{paperlist.ProblemNoPaperLink}},
		},
		{
			name:  "empty paper link",
			entry: paperlist.RawEntry{Title: "T", HasPaperLink: true},
			want:  derived{Key: "title:t", Problems: []string{paperlist.ProblemBadPaperLink}},
		},
		{
			name:  "paper link not a URL",
			entry: paperlist.RawEntry{Title: "RAG", PaperURL: "htps//arxiv.org/abs/2005.11401", HasPaperLink: true},
			want:  derived{Key: "title:rag", Problems: []string{paperlist.ProblemBadPaperLink}},
		},
		{
			name:  "arxiv link without an id",
			entry: paperlist.RawEntry{Title: "GPT-3", PaperURL: "https://arxiv.org/abs/gpt3", HasPaperLink: true},
			want:  derived{Key: "url:https://arxiv.org/abs/gpt3", Problems: []string{paperlist.ProblemBadPaperLink}},
		},
		{
			name:  "empty code link",
			entry: paperlist.RawEntry{Title: "T", PaperURL: "https://arxiv.org/abs/2307.03917", HasPaperLink: true, HasCodeLink: true},
			want:  derived{Key: "arxiv:2307.03917", ArxivID: "2307.03917", Problems: []string{paperlist.ProblemEmptyCodeLink}},
		},
		{
			name:  "code link not http",
			entry: paperlist.RawEntry{Title: "T", PaperURL: "https://example.com/p", HasPaperLink: true, CodeURL: "git@github.com:a/b.git", HasCodeLink: true},
			want:  derived{Key: "url:https://example.com/p", Problems: []string{paperlist.ProblemBadCodeLink}},
		},
		{
			name:  "github link naming no repository",
			entry: paperlist.RawEntry{Title: "T", PaperURL: "https://example.com/p", HasPaperLink: true, CodeURL: "https://github.com/Vahe1994", HasCodeLink: true},
			want:  derived{Key: "url:https://example.com/p", Problems: []string{paperlist.ProblemBadCodeLink}},
		},
		{
			name:  "nothing to key on",
			entry: paperlist.RawEntry{Line: 7, Title: " ** "},
			want:  derived{Key: "line:7", Problems: []string{paperlist.ProblemNoPaperLink}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l := paperlist.NewList("T", "src", []paperlist.RawEntry{tt.entry})
			if len(l.Papers) != 1 {
				t.Fatalf("got %d papers, want 1", len(l.Papers))
			}
			if diff := cmp.Diff(tt.want, derivedOf(l.Papers[0])); diff != "" {
				t.Errorf("derived (-want +got):\n%s", diff)
			}
			for _, pr := range l.Papers[0].Problems {
				if pr.Message == "" || strings.ContainsAny(pr.Message, "\n\r") {
					t.Errorf("problem %s message %q is not one non-empty line", pr.Code, pr.Message)
				}
			}
		})
	}
}

func TestNewListKeepsRawFields(t *testing.T) {
	e := paperlist.RawEntry{
		Section: "S", Line: 3, Title: "T", Authors: []string{"A B"}, Venue: "ICLR", Year: 2019,
		PaperURL: "https://arxiv.org/abs/1711.05101", HasPaperLink: true,
		CodeURL: "https://github.com/loshchil/AdamW-and-SGDW", HasCodeLink: true,
	}
	l := paperlist.NewList("Title", "source", []paperlist.RawEntry{e})
	want := &paperlist.Paper{
		Key: "arxiv:1711.05101", Section: "S", Line: 3, Title: "T", Authors: []string{"A B"}, Venue: "ICLR", Year: 2019,
		PaperURL: e.PaperURL, CodeURL: e.CodeURL, ArxivID: "1711.05101", Repo: "loshchil/AdamW-and-SGDW",
	}
	if diff := cmp.Diff(want, l.Papers[0]); diff != "" {
		t.Errorf("paper (-want +got):\n%s", diff)
	}
	if l.Title != "Title" || l.Source != "source" {
		t.Errorf("list title, source = %q, %q; want %q, %q", l.Title, l.Source, "Title", "source")
	}
}

func TestNewListSections(t *testing.T) {
	l := paperlist.NewList("T", "s", []paperlist.RawEntry{
		{Section: "B"}, {Section: "A"}, {Section: "B"}, {Section: ""}, {Section: "C"},
	})
	if diff := cmp.Diff([]string{"B", "A", "C"}, l.Sections); diff != "" {
		t.Errorf("sections (-want +got):\n%s", diff)
	}
	if l := paperlist.NewList("T", "s", nil); len(l.Papers) != 0 || len(l.Sections) != 0 {
		t.Errorf("no entries gave %d papers and %d sections", len(l.Papers), len(l.Sections))
	}
}

func TestNewListDuplicatePaper(t *testing.T) {
	arxiv := func(title, u string, line int) paperlist.RawEntry {
		return paperlist.RawEntry{Title: title, Line: line, PaperURL: u, HasPaperLink: true}
	}
	l := paperlist.NewList("T", "s", []paperlist.RawEntry{
		arxiv("FlashAttention", "https://arxiv.org/abs/2205.14135", 38),
		arxiv("Other", "https://arxiv.org/abs/2302.13971", 39),
		arxiv("Reducing Activation Recomputation", "https://arxiv.org/abs/2205.14135", 40),
		arxiv("Third", "https://arxiv.org/pdf/2205.14135v2.pdf", 41),
	})
	var got []derived
	for _, p := range l.Papers {
		got = append(got, derivedOf(p))
	}
	want := []derived{
		{Key: "arxiv:2205.14135", ArxivID: "2205.14135"},
		{Key: "arxiv:2302.13971", ArxivID: "2302.13971"},
		{Key: "arxiv:2205.14135#2", ArxivID: "2205.14135", Problems: []string{paperlist.ProblemDuplicatePaper}},
		{Key: "arxiv:2205.14135#3", ArxivID: "2205.14135", ArxivVersion: 2, Problems: []string{paperlist.ProblemDuplicatePaper}},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("papers (-want +got):\n%s", diff)
	}
	for _, i := range []int{2, 3} {
		msg := l.Papers[i].Problems[0].Message
		for _, part := range []string{"2205.14135", `"FlashAttention"`, "line 38"} {
			if !strings.Contains(msg, part) {
				t.Errorf("paper %d: duplicate message %q does not name %s", i, msg, part)
			}
		}
	}
}

// The same paper under two sections is the list's choice; twice in one
// section, or under another title, it is a duplicate.
func TestNewListDuplicateAcrossSections(t *testing.T) {
	tests := []struct {
		name    string
		entries [][2]string // section, title
		want    []bool      // duplicate_paper on each entry
	}{
		{"two sections, one title", [][2]string{{"A", "FlashAttention"}, {"B", "FlashAttention"}}, []bool{false, false}},
		{"two sections, title spelled apart", [][2]string{{"A", "FlashAttention."}, {"B", "flashattention"}}, []bool{false, false}},
		{"one section twice", [][2]string{{"A", "FlashAttention"}, {"A", "FlashAttention"}}, []bool{false, true}},
		{"two sections, two titles", [][2]string{{"A", "FlashAttention"}, {"B", "Reducing Activation Recomputation"}}, []bool{false, true}},
		{"third in a section seen", [][2]string{{"A", "F"}, {"B", "F"}, {"A", "F"}}, []bool{false, false, true}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var raw []paperlist.RawEntry
			for i, e := range tt.entries {
				raw = append(raw, paperlist.RawEntry{Section: e[0], Title: e[1], Line: 10 + i,
					PaperURL: "https://arxiv.org/abs/2205.14135", HasPaperLink: true})
			}
			l := paperlist.NewList("T", "s", raw)
			for i, p := range l.Papers {
				if got := p.HasProblem(paperlist.ProblemDuplicatePaper); got != tt.want[i] {
					t.Errorf("entry %d: duplicate_paper %v, want %v (%v)", i, got, tt.want[i], p.Problems)
				}
			}
		})
	}
}

func TestNewListKeysUnique(t *testing.T) {
	// A repeated key takes the lowest free "#n": not "#2" or "#3", which
	// other entries have as their own keys (URLs with those fragments).
	l := paperlist.NewList("T", "s", []paperlist.RawEntry{
		{Title: "x", PaperURL: "https://e.com/#2", HasPaperLink: true},
		{Title: "y", PaperURL: "https://e.com/", HasPaperLink: true},
		{Title: "z", PaperURL: "https://e.com/", HasPaperLink: true},
		{Title: "w", PaperURL: "https://e.com/", HasPaperLink: true},
		{Title: "v", PaperURL: "https://e.com/#3", HasPaperLink: true},
	})
	var got []string
	for _, p := range l.Papers {
		got = append(got, p.Key)
	}
	want := []string{"url:https://e.com/#2", "url:https://e.com/", "url:https://e.com/#4", "url:https://e.com/#5", "url:https://e.com/#3"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("keys (-want +got):\n%s", diff)
	}
}
