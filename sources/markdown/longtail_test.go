package markdown_test

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/paperlist/paperlist"
)

// longTail is what TestLongTailLayouts compares: the fields an entry's
// layout decides.
type longTail struct {
	Line            int
	Path            string
	Title           string
	Authors         []string
	Venue           string
	Year            int
	Paper, Code     string
	TitleOnly       bool
	NoPaperLinkFlag bool
}

// TestLongTailLayouts reads testdata/lists/long-tail.md, one layout of the
// long tail per section: leading dates and venues set aside (bullets and
// paragraphs), a paper per heading, title-only bullets, a DOI badge as the
// only link in a table row, same-named sections under different parents,
// and a news section.
func TestLongTailLayouts(t *testing.T) {
	l := mustParse(t, readList(t, "long-tail.md"), "long-tail.md")
	var got []longTail
	for _, p := range l.Papers {
		got = append(got, longTail{
			Line: p.Line, Path: strings.Join(p.SectionPath, " › "), Title: p.Title, Authors: p.Authors,
			Venue: p.Venue, Year: p.Year, Paper: p.PaperURL, Code: p.CodeURL, TitleOnly: p.TitleOnly,
			NoPaperLinkFlag: p.HasProblem(paperlist.ProblemNoPaperLink),
		})
	}
	want := []longTail{
		// "- [2023/02] Title. *Authors. arXiv.* [[paper](…)]": the date is
		// set aside and gives the year; the italic after the title's full
		// stop is the authors line, and the venue that ends it the venue.
		{Line: 6, Path: "Vision › Image › Attack", Title: "A Title Without Bold: Its Subtitle", Authors: []string{"First Author et al"},
			Venue: "arXiv", Year: 2023, Paper: "https://arxiv.org/abs/2302.04761"},
		// "- [AIJ'2017] [Title](publisher)": the venue in brackets.
		{Line: 7, Path: "Vision › Image › Attack", Title: "A Title Linked to the Publisher", Venue: "AIJ", Year: 2017,
			Paper: "https://www.sciencedirect.com/science/article/pii/S0004370217300000"},
		// "(WWW 2024) **Title** [[Paper]](…) [[Code]](…)" paragraphs,
		// under an "Attack" of another parent.
		{Line: 11, Path: "Vision › Video › Attack", Title: "Graph Prompt Learning for Video", Venue: "WWW", Year: 2024,
			Paper: "https://arxiv.org/pdf/2401.00001.pdf", Code: "https://github.com/owner/gpl"},
		{Line: 13, Path: "Vision › Video › Attack", Title: "Another Paper Title Here", Venue: "CVPR", Year: 2023,
			Paper: "https://arxiv.org/pdf/2401.00002.pdf"},
		// "#### [Title](arXiv)" and the paragraph under it.
		{Line: 16, Path: "Heading entries", Title: "A Paper Title In A Heading", Venue: "ICLR", Year: 2024,
			Paper: "https://arxiv.org/abs/2401.00003", Code: "https://github.com/owner/heading"},
		// Title-only bullets: no link at all, no_paper_link as any entry
		// without one, in a section that holds linked entries too; prose
		// is not an entry.
		{Line: 20, Path: "Title only", Title: "A System Name: What It Does", Venue: "arXiv", Year: 2024, TitleOnly: true, NoPaperLinkFlag: true},
		{Line: 21, Path: "Title only", Title: "Learning Without Any Links At All", TitleOnly: true, NoPaperLinkFlag: true},
		{Line: 22, Path: "Title only", Title: "A Linked Paper In The Same Section", Paper: "https://arxiv.org/abs/2401.00004"},
		// A DOI badge as the row's only paper link.
		{Line: 28, Path: "Table", Title: "A DOI Badge Paper Title", Paper: "https://doi.org/10.1145/3580305.3599780"},
		// A dash-separated date, a venue in brackets before a title link to
		// a proceedings page, an emoji, a bold reference number and a
		// venue in parentheses.
		{Line: 31, Path: "More prefixes", Title: "A Dated Bold Title For Testing", Year: 2024, Paper: "https://arxiv.org/abs/2405.00001"},
		{Line: 32, Path: "More prefixes", Title: "A Bracketed Venue Title Here", Venue: "CVPR", Year: 2023,
			Paper: "https://openaccess.thecvf.com/content/CVPR2023/html/X_paper.html"},
		{Line: 33, Path: "More prefixes", Title: "An Emoji Before The Title", Paper: "https://arxiv.org/abs/2405.00002"},
		// A linked stars badge before a plain title: the badge is set
		// aside from the title, and its repository is the code link.
		{Line: 34, Path: "More prefixes", Title: "A Plain Title After A Badge", Paper: "https://arxiv.org/abs/2405.00004", Code: "https://github.com/owner/badge"},
		{Line: 36, Path: "More prefixes", Title: "A Reference Number And A Venue", Venue: "ICML", Year: 2021, Paper: "https://arxiv.org/pdf/2405.00003"},
		// An emoji a maintainer puts after a title marks it: it is no
		// part of the title.
		{Line: 37, Path: "More prefixes", Title: "A Starred Favourite Of The Maintainer", Paper: "https://arxiv.org/abs/2405.00005"},
		{Line: 38, Path: "More prefixes", Title: "A Plain Title With A Flame After It", Paper: "https://arxiv.org/abs/2405.00006"},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("entries (-want +got):\n%s", diff)
	}
	// The news section's date-led line is no entry, and its link stays
	// in no entry.
	for _, k := range l.Links {
		if strings.Contains(k.URL, "2401.00009") && k.InEntry {
			t.Errorf("news link %s is in an entry", k.URL)
		}
	}
}

// TestTitleOnlySections checks where title-only entries count: in a
// section that holds linked entries, and in a list of titles only; not in
// an introduction's bullets of a list whose papers are linked.
func TestTitleOnlySections(t *testing.T) {
	tests := []struct {
		name, src string
		want      []string
	}{
		{"titles only", "# T\n\n## Papers\n+ **Learning Without Any Links At All**\n+ A System Name: What It Does (arXiv 2024)\n",
			[]string{"Learning Without Any Links At All", "A System Name: What It Does"}},
		{"features before linked papers", "# T\n\n## Features\n- **Per-paper detail pages**\n- **One-click BibTeX copy here**\n\n## Papers\n- **A Linked Paper Title** [paper](https://arxiv.org/abs/2401.00001)\n",
			[]string{"A Linked Paper Title"}},
		{"mixed section", "# T\n\n## Papers\n- **A Linked Paper Title** [paper](https://arxiv.org/abs/2401.00001)\n- **An Unlinked Paper Title**\n- Some prose that names nothing.\n",
			[]string{"A Linked Paper Title", "An Unlinked Paper Title"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l := mustParse(t, []byte(tt.src), "list.md")
			var got []string
			for _, p := range l.Papers {
				got = append(got, p.Title)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("titles (-want +got):\n%s", diff)
			}
		})
	}
}

// TestAuthorsSpanVenue: a venue that ends an italic authors span, arXiv or
// a venue and year, is the entry's venue, not an author; a name and a year
// are not a venue.
func TestAuthorsSpanVenue(t *testing.T) {
	const link = " [[paper](https://arxiv.org/abs/2302.04761)]"
	tests := []struct {
		name, italic string
		authors      []string
		venue        string
		year         int
	}{
		{"arXiv after et al", "First Author et al. arXiv.", []string{"First Author et al"}, "arXiv", 0},
		{"arXiv and a year", "Ann Smith, Bob Jones, arXiv 2023", []string{"Ann Smith", "Bob Jones"}, "arXiv", 2023},
		{"venue and year", "Ann Smith, Bob Jones. NeurIPS 2023.", []string{"Ann Smith", "Bob Jones"}, "NeurIPS", 2023},
		{"a name and a year", "Ann Smith, Bob Brown 2020.", []string{"Ann Smith", "Bob Brown 2020"}, "", 0},
		{"authors only", "Ann Smith and Bob Jones.", []string{"Ann Smith", "Bob Jones"}, "", 0},
		{"arXiv alone", "arXiv.", []string{"arXiv"}, "", 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			src := "# L\n\n## Papers\n\n- A Title Without Bold: Its Subtitle. *" + tc.italic + "*" + link + "\n"
			l := mustParse(t, []byte(src), "span.md")
			if len(l.Papers) != 1 {
				t.Fatalf("%d entries, want 1", len(l.Papers))
			}
			p := l.Papers[0]
			if diff := cmp.Diff(tc.authors, p.Authors); diff != "" || p.Venue != tc.venue || p.Year != tc.year {
				t.Errorf("venue %q, year %d, want %q, %d; authors (-want +got):\n%s", p.Venue, p.Year, tc.venue, tc.year, diff)
			}
		})
	}
}
