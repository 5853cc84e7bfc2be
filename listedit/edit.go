package listedit

import (
	"cmp"
	"fmt"
	"slices"

	"github.com/paperlist/paperlist"
)

// Edit replaces the bytes of Span in a source with New. An empty span
// inserts New at its position; an empty New deletes the span.
type Edit struct {
	Span paperlist.Span
	New  string
}

// Apply returns a copy of src with every edit made. The edits may come in
// any order but must not overlap: two edits overlap when one starts before
// the other ends, or when both insert at the same position (their order
// would be a guess). An edit whose span is zero (paperlist.Span.IsZero: a
// link the reader could not place), reversed or outside src is an error
// too, and then nothing is applied. Every byte outside the spans is copied
// unchanged. src is not modified.
func Apply(src []byte, edits []Edit) ([]byte, error) {
	sorted := slices.Clone(edits)
	slices.SortStableFunc(sorted, func(a, b Edit) int {
		if c := cmp.Compare(a.Span.Start, b.Span.Start); c != 0 {
			return c
		}
		return cmp.Compare(a.Span.End, b.Span.End)
	})
	size := len(src)
	for i, e := range sorted {
		s := e.Span
		switch {
		case s.IsZero():
			return nil, fmt.Errorf("listedit: edit to %q has no span", e.New)
		case s.Start < 0 || s.End < s.Start || s.End > len(src):
			return nil, fmt.Errorf("listedit: span [%d,%d) is outside a source of %d bytes", s.Start, s.End, len(src))
		}
		if i > 0 {
			p := sorted[i-1].Span
			if p.End > s.Start || p == s && s.Start == s.End {
				return nil, fmt.Errorf("listedit: span [%d,%d) overlaps [%d,%d)", p.Start, p.End, s.Start, s.End)
			}
		}
		size += len(e.New) - (s.End - s.Start)
	}
	out := make([]byte, 0, size)
	at := 0
	for _, e := range sorted {
		out = append(out, src[at:e.Span.Start]...)
		out = append(out, e.New...)
		at = e.Span.End
	}
	return append(out, src[at:]...), nil
}
