package output_test

import (
	"bytes"
	"errors"
	"regexp"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/paperlist/paperlist"
	"github.com/paperlist/paperlist/output"
)

func writeMarkdown(t *testing.T, d *paperlist.Dataset, opts output.MarkdownOptions) string {
	t.Helper()
	var buf bytes.Buffer
	if err := output.WriteMarkdown(&buf, d, opts); err != nil {
		t.Fatalf("WriteMarkdown: %v", err)
	}
	return buf.String()
}

func TestWriteMarkdownGolden(t *testing.T) {
	tests := []struct {
		name    string
		dataset *paperlist.Dataset
		opts    output.MarkdownOptions
	}{
		{"empty", emptyDataset(), output.MarkdownOptions{}},
		{"full", fullDataset(), output.MarkdownOptions{Sort: output.SortList, Problems: true}},
		{"full_stars", fullDataset(), output.MarkdownOptions{Sort: output.SortStars, Problems: true}},
		// What visitors see by default: no maintainer's problems.
		{"full_visitors", fullDataset(), output.MarkdownOptions{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			checkGolden(t, tt.name+".md", []byte(writeMarkdown(t, tt.dataset, tt.opts)))
		})
	}
}

func TestWriteMarkdownDefaultSortIsList(t *testing.T) {
	d := fullDataset()
	if a, b := writeMarkdown(t, d, output.MarkdownOptions{}), writeMarkdown(t, d, output.MarkdownOptions{Sort: output.SortList}); a != b {
		t.Error("the default order differs from -sort list")
	}
	if diff := cmp.Diff(fullDataset(), d); diff != "" {
		t.Errorf("WriteMarkdown changed the dataset (-before +after):\n%s", diff)
	}
}

// entryTitles returns the titles of the entries of papers.md in order, one
// slice per section heading ("" for entries before any heading).
func entryTitles(md string) map[string][]string {
	out := map[string][]string{}
	section := ""
	title := regexp.MustCompile(`^- \*\*\[?([^\]*]*)`)
	for _, line := range strings.Split(md, "\n") {
		if name, ok := strings.CutPrefix(line, "## "); ok {
			section = name
		}
		if m := title.FindStringSubmatch(line); m != nil {
			out[section] = append(out[section], m[1])
		}
	}
	return out
}

func TestWriteMarkdownOrder(t *testing.T) {
	stars := func(n int) *paperlist.RepoStats { return &paperlist.RepoStats{FullName: "o/r", Stars: n} }
	papers := func() []*paperlist.Paper {
		return []*paperlist.Paper{
			{Key: "a", Title: "A", Section: "Two", GitHub: stars(5)},
			{Key: "b", Title: "B", Section: "One"},
			{Key: "c", Title: "C", Section: "Two", GitHub: stars(10)},
			{Key: "d", Title: "D", Section: "Two"},
			{Key: "e", Title: "E", Section: "Two", GitHub: stars(5)},
			{Key: "f", Title: "F"},
			{Key: "g", Title: "G", Section: "Two", GitHub: stars(0)},
		}
	}
	tests := []struct {
		name     string
		sections []string
		sort     string
		want     map[string][]string
		wantHead []string // the headings in order
	}{
		{
			name:     "list order, sections as the list info gives them",
			sections: []string{"One", "Two"},
			want:     map[string][]string{"": {"F"}, "One": {"B"}, "Two": {"A", "C", "D", "E", "G"}},
			wantHead: []string{"One", "Two"},
		},
		{
			name:     "sections in order of first appearance without list info",
			want:     map[string][]string{"": {"F"}, "One": {"B"}, "Two": {"A", "C", "D", "E", "G"}},
			wantHead: []string{"Two", "One"},
		},
		{
			name:     "sections the list info lacks come after its own",
			sections: []string{"One"},
			want:     map[string][]string{"": {"F"}, "One": {"B"}, "Two": {"A", "C", "D", "E", "G"}},
			wantHead: []string{"One", "Two"},
		},
		{
			name:     "by stars, stable, entries without stats last",
			sections: []string{"One", "Two"},
			sort:     output.SortStars,
			want:     map[string][]string{"": {"F"}, "One": {"B"}, "Two": {"C", "A", "E", "G", "D"}},
			wantHead: []string{"One", "Two"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := &paperlist.Dataset{List: paperlist.ListInfo{Sections: tt.sections}, Papers: papers()}
			md := writeMarkdown(t, d, output.MarkdownOptions{Sort: tt.sort})
			if diff := cmp.Diff(tt.want, entryTitles(md)); diff != "" {
				t.Errorf("entries (-want +got):\n%s\n%s", diff, md)
			}
			var heads []string
			for _, line := range strings.Split(md, "\n") {
				if h, ok := strings.CutPrefix(line, "## "); ok {
					heads = append(heads, h)
				}
			}
			if diff := cmp.Diff(tt.wantHead, heads); diff != "" {
				t.Errorf("headings (-want +got):\n%s", diff)
			}
			if i, j := strings.Index(md, "- **F**"), strings.Index(md, "## "); i < 0 || i > j {
				t.Errorf("the entry without a section is not before the first heading:\n%s", md)
			}
		})
	}
}

func TestWriteMarkdownStats(t *testing.T) {
	tests := []struct {
		name  string
		stats paperlist.RepoStats
		want  string
	}{
		{"none", paperlist.RepoStats{}, "★ 0"},
		{"hundreds", paperlist.RepoStats{Stars: 950}, "★ 950"},
		{"just under a thousand", paperlist.RepoStats{Stars: 999}, "★ 999"},
		{"a thousand", paperlist.RepoStats{Stars: 1000}, "★ 1k"},
		{"rounded down", paperlist.RepoStats{Stars: 1099}, "★ 1k"},
		{"tenths", paperlist.RepoStats{Stars: 12345}, "★ 12.3k"},
		{"never a thousand k", paperlist.RepoStats{Stars: 999_999}, "★ 999.9k"},
		{"millions", paperlist.RepoStats{Stars: 1_234_567}, "★ 1.2M"},
		{"gain this week", paperlist.RepoStats{Stars: 10, Stars7d: intPtr(1500)}, "★ 10 · +1.5k this week"},
		{"no gain shows nothing", paperlist.RepoStats{Stars: 10, Stars7d: intPtr(0), Stars30d: intPtr(9)}, "★ 10\n"},
		{"a loss shows nothing", paperlist.RepoStats{Stars: 10, Stars7d: intPtr(-2)}, "★ 10\n"},
		{"archived", paperlist.RepoStats{Stars: 3, Archived: true}, "★ 3 · archived\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := &paperlist.Dataset{Papers: []*paperlist.Paper{{Key: "k", Title: "T", GitHub: &tt.stats}}}
			if md := writeMarkdown(t, d, output.MarkdownOptions{}); !strings.Contains(md, "- **T** · "+tt.want) {
				t.Errorf("output lacks %q:\n%s", tt.want, md)
			}
		})
	}
}

func TestWriteMarkdownSummary(t *testing.T) {
	tests := []struct {
		name string
		d    *paperlist.Dataset
		want string
	}{
		{
			name: "full",
			d:    fullDataset(),
			want: "Generated 2026-11-27 08:00 UTC from testdata/llama.md · 6 papers · arXiv 1/3 · GitHub 4/4 repos · pages 1/1 · 6 problems",
		},
		{
			name: "empty",
			d:    emptyDataset(),
			want: "Generated 2026-11-27 08:00 UTC from empty.md · 0 papers · 0 problems",
		},
		{
			name: "one of each, no time",
			d: &paperlist.Dataset{Papers: []*paperlist.Paper{{
				Key: "k", Title: "T", Problems: []paperlist.Problem{{Code: "c", Message: "m"}},
			}}},
			want: "1 paper · 1 problem",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			md := writeMarkdown(t, tt.d, output.MarkdownOptions{Problems: true})
			lines := strings.Split(md, "\n")
			if len(lines) < 3 || lines[2] != tt.want {
				t.Errorf("summary line = %q, want %q", lines[2], tt.want)
			}
		})
	}
}

func TestWriteMarkdownErrors(t *testing.T) {
	errDisk := errors.New("disk full")
	tests := []struct {
		name   string
		d      *paperlist.Dataset
		opts   output.MarkdownOptions
		w      *failingWriter
		want   string
		wantIs error
	}{
		{name: "unknown sort", d: fullDataset(), opts: output.MarkdownOptions{Sort: "Stars"}, want: `write markdown: unknown sort "Stars" (want list, stars or citations)`},
		{name: "no dataset", want: "write markdown: no dataset"},
		{name: "missing paper", d: &paperlist.Dataset{Papers: []*paperlist.Paper{nil}}, want: "write markdown: paper 1 is missing"},
		{name: "writer fails", d: largeDataset(50), w: &failingWriter{errDisk}, want: "write markdown: disk full", wantIs: errDisk},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var buf bytes.Buffer
			var err error
			if tt.w != nil {
				err = output.WriteMarkdown(tt.w, tt.d, tt.opts)
			} else {
				err = output.WriteMarkdown(&buf, tt.d, tt.opts)
			}
			if err == nil || err.Error() != tt.want {
				t.Fatalf("error = %v, want %q", err, tt.want)
			}
			if tt.wantIs != nil && !errors.Is(err, tt.wantIs) {
				t.Errorf("error %v does not wrap %v", err, tt.wantIs)
			}
			if buf.Len() != 0 {
				t.Errorf("wrote %d bytes before failing", buf.Len())
			}
		})
	}
}

func TestMarkdownOptionsValidate(t *testing.T) {
	tests := []struct {
		sort string
		ok   bool
	}{
		{"", true}, {output.SortList, true}, {output.SortStars, true}, {"STARS", false}, {"date", false},
	}
	for _, tt := range tests {
		t.Run(tt.sort, func(t *testing.T) {
			if err := (output.MarkdownOptions{Sort: tt.sort}).Validate(); (err == nil) != tt.ok {
				t.Errorf("Validate() = %v, want ok=%v", err, tt.ok)
			}
		})
	}
}

func BenchmarkWriteMarkdown(b *testing.B) {
	d := largeDataset(10_000)
	for _, sort := range []string{output.SortList, output.SortStars} {
		b.Run(sort, func(b *testing.B) {
			var buf bytes.Buffer
			b.ReportAllocs()
			for b.Loop() {
				buf.Reset()
				if err := output.WriteMarkdown(&buf, d, output.MarkdownOptions{Sort: sort}); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(buf.Len()), "out-bytes")
		})
	}
}
