package listedit_test

import (
	"bytes"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/paperlist/paperlist"
	"github.com/paperlist/paperlist/listedit"
)

func span(start, end int) paperlist.Span { return paperlist.Span{Start: start, End: end} }

func TestApply(t *testing.T) {
	const bomCRLF = "\ufeff# List\r\n\r\n- [P](https://arxiv.org/abs/2205.14135) \t \r\n<br/>\r\n"
	at := strings.Index(bomCRLF, "2205.14135")
	tests := []struct {
		name  string
		src   string
		edits []listedit.Edit
		want  string
	}{
		{"no edits", "abc\n", nil, "abc\n"},
		{"replace", "a 123 b", []listedit.Edit{{span(2, 5), "4567"}}, "a 4567 b"},
		{"insert", "a(b)c", []listedit.Edit{{span(4, 4), " ★ 5"}}, "a(b) ★ 5c"},
		{"delete", "a(b) ★ 5c", []listedit.Edit{{span(4, 10), ""}}, "a(b)c"},
		{"unsorted", "0123456789", []listedit.Edit{{span(7, 8), "x"}, {span(1, 2), "y"}}, "0y23456x89"},
		{"adjacent", "0123456789", []listedit.Edit{{span(2, 4), "A"}, {span(4, 4), "B"}, {span(4, 6), "C"}}, "01ABC6789"},
		{"at the end", "abc", []listedit.Edit{{span(3, 3), "!"}}, "abc!"},
		{
			"BOM, CRLF, tabs and HTML kept", bomCRLF,
			[]listedit.Edit{{span(at, at+len("2205.14135")), "2205.05198"}},
			strings.Replace(bomCRLF, "2205.14135", "2205.05198", 1),
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src := []byte(tt.src)
			got, err := listedit.Apply(src, tt.edits)
			if err != nil {
				t.Fatal(err)
			}
			if string(got) != tt.want {
				t.Errorf("Apply = %q, want %q", got, tt.want)
			}
			if string(src) != tt.src {
				t.Errorf("Apply changed its input to %q", src)
			}
		})
	}
}

func TestApplyErrors(t *testing.T) {
	tests := []struct {
		name  string
		edits []listedit.Edit
		want  string
	}{
		{"overlap", []listedit.Edit{{span(1, 4), "x"}, {span(3, 5), "y"}}, "overlaps"},
		{"nested", []listedit.Edit{{span(1, 8), "x"}, {span(3, 5), "y"}}, "overlaps"},
		{"same span twice", []listedit.Edit{{span(3, 5), "x"}, {span(3, 5), "y"}}, "overlaps"},
		{"two inserts at one place", []listedit.Edit{{span(3, 3), "x"}, {span(3, 3), "y"}}, "overlaps"},
		{"insert inside", []listedit.Edit{{span(2, 6), "x"}, {span(4, 4), "y"}}, "overlaps"},
		{"past the end", []listedit.Edit{{span(8, 11), "x"}}, "outside"},
		{"negative", []listedit.Edit{{span(-1, 2), "x"}}, "outside"},
		{"reversed", []listedit.Edit{{span(5, 3), "x"}}, "outside"},
		{"zero span", []listedit.Edit{{paperlist.Span{}, "x"}}, "no span"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := listedit.Apply([]byte("0123456789"), tt.edits)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("Apply = %q, %v; want an error about %q", got, err, tt.want)
			}
		})
	}
}

// FuzzApply checks that Apply changes no byte outside the spans it is
// given: every stretch of the source between two edits is found unchanged
// in the output, between the replacements.
func FuzzApply(f *testing.F) {
	f.Add([]byte("\ufeff- [P](https://arxiv.org/abs/2205.14135)\r\n"), uint64(1))
	f.Add([]byte("a\tb  \n<br>\n"), uint64(7))
	f.Add([]byte{}, uint64(3))
	f.Fuzz(func(t *testing.T, src []byte, seed uint64) {
		rng := rand.New(rand.NewPCG(seed, seed>>32))
		edits := randomEdits(rng, len(src))
		orig := bytes.Clone(src)
		out, err := listedit.Apply(src, edits)
		if err != nil {
			t.Fatalf("Apply(%d valid edits): %v", len(edits), err)
		}
		if !bytes.Equal(src, orig) {
			t.Fatal("Apply changed its input")
		}
		sorted := slices.Clone(edits)
		slices.SortFunc(sorted, func(a, b listedit.Edit) int {
			if a.Span.Start != b.Span.Start {
				return a.Span.Start - b.Span.Start
			}
			return a.Span.End - b.Span.End
		})
		pos, at := 0, 0
		for _, e := range sorted {
			gap := src[pos:e.Span.Start]
			if !bytes.HasPrefix(out[at:], gap) {
				t.Fatalf("bytes [%d,%d) of the source changed", pos, e.Span.Start)
			}
			at += len(gap)
			if !strings.HasPrefix(string(out[at:]), e.New) {
				t.Fatalf("replacement of [%d,%d) missing", e.Span.Start, e.Span.End)
			}
			at += len(e.New)
			pos = e.Span.End
		}
		if !bytes.Equal(out[at:], src[pos:]) {
			t.Fatalf("bytes after %d changed", pos)
		}
	})
}

// randomEdits returns up to 8 non-overlapping edits of a source of size n,
// in random order, none with a zero span and no two inserting at one place.
func randomEdits(rng *rand.Rand, n int) []listedit.Edit {
	var cuts []int
	for range rng.IntN(17) {
		cuts = append(cuts, rng.IntN(n+1))
	}
	slices.Sort(cuts)
	var edits []listedit.Edit
	lastInsert := -1
	for i := 0; i+1 < len(cuts); i += 2 {
		s := span(cuts[i], cuts[i+1])
		if s.IsZero() || s.Start == s.End && s.Start == lastInsert {
			continue
		}
		if s.Start == s.End {
			lastInsert = s.Start
		}
		edits = append(edits, listedit.Edit{Span: s, New: strings.Repeat("★x\r\n", rng.IntN(3))})
	}
	rng.Shuffle(len(edits), func(i, j int) { edits[i], edits[j] = edits[j], edits[i] })
	return edits
}
