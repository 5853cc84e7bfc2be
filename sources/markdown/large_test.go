package markdown_test

import (
	"bytes"
	"fmt"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/paperlist/paperlist"
	"github.com/paperlist/paperlist/sources/markdown"
)

// generatedBlock is what generatedList repeats.
func generatedBlock(t testing.TB) []byte {
	var b bytes.Buffer
	b.Write(markdown.Builtin)
	b.WriteString("\n\n")
	for _, name := range listFiles(t) {
		b.Write(readList(t, name))
		b.WriteString("\n\n")
	}
	return b.Bytes()
}

// readEntry is what the reader gives an entry, without what NewList
// derives across entries (keys, problems).
type readEntry struct {
	Section, Title, Venue, PaperURL, CodeURL, ArxivID, Repo string
	Line, Year                                              int
	Authors                                                 []string
	PaperSpan, CodeSpan                                     paperlist.Span
}

// copyOf splits what a list read from copies of one block into the copies:
// the entries and links of each, with their lines, and their spans that
// point into their own copy, moved back to the first copy.
func copyOf(l *paperlist.List, blockLen, blockLines, copies int) ([][]readEntry, [][]paperlist.SourceLink) {
	entries := make([][]readEntry, copies)
	links := make([][]paperlist.SourceLink, copies)
	back := func(s paperlist.Span, k int) paperlist.Span {
		if s.IsZero() || s.Start < k*blockLen {
			return s // a reference definition of an earlier copy
		}
		return paperlist.Span{Start: s.Start - k*blockLen, End: s.End - k*blockLen}
	}
	for _, p := range l.Papers {
		k := (p.Line - 1) / blockLines
		entries[k] = append(entries[k], readEntry{
			Section: p.Section, Title: p.Title, Venue: p.Venue, PaperURL: p.PaperURL, CodeURL: p.CodeURL,
			ArxivID: p.ArxivID, Repo: p.Repo, Line: p.Line - k*blockLines, Year: p.Year, Authors: p.Authors,
			PaperSpan: back(p.PaperSpan, k), CodeSpan: back(p.CodeSpan, k),
		})
	}
	for _, sl := range l.Links {
		k := (sl.Line - 1) / blockLines
		sl.Line -= k * blockLines
		sl.Span = back(sl.Span, k)
		links[k] = append(links[k], sl)
	}
	return entries, links
}

// TestParseLargeIsItsCopies checks the large list of the benchmark against
// a reference computed from a small one: the large list is one block of
// lists repeated, so every copy of the block after the first must read as
// the second copy reads in a list of two copies (the first reads apart:
// its heading is the list's title), lines and spans moved by the copies
// before it, and the first as the first.
func TestParseLargeIsItsCopies(t *testing.T) {
	if testing.Short() {
		t.Skip("reads 1 MB")
	}
	block := generatedBlock(t)
	src := generatedList(t)
	copies := len(src) / len(block)
	if !bytes.Equal(src, bytes.Repeat(block, copies)) {
		t.Fatal("the generated list is not copies of the block")
	}
	blockLines := bytes.Count(block, []byte("\n"))
	two := mustParse(t, bytes.Repeat(block, 2), "two")
	wantEntries, wantLinks := copyOf(two, len(block), blockLines, 2)
	if len(wantEntries[1]) < 50 || len(wantLinks[1]) < 50 {
		t.Fatalf("the second copy reads %d entries and %d links", len(wantEntries[1]), len(wantLinks[1]))
	}
	large := mustParse(t, src, "large")
	entries, links := copyOf(large, len(block), blockLines, copies)
	for k := range copies {
		w := min(k, 1)
		if diff := cmp.Diff(wantEntries[w], entries[k]); diff != "" {
			t.Fatalf("copy %d of %d: entries differ from copy %d of two (-want +got):\n%s", k, copies, w, diff)
		}
		if diff := cmp.Diff(wantLinks[w], links[k]); diff != "" {
			t.Fatalf("copy %d of %d: links differ from copy %d of two (-want +got):\n%s", k, copies, w, diff)
		}
	}
}

// TestParseConcurrently reads lists at once from several goroutines, as
// they share the goldmark parser: each must read as it reads alone.
func TestParseConcurrently(t *testing.T) {
	srcs := [][]byte{markdown.Builtin, generatedBlock(t)}
	for _, name := range listFiles(t) {
		srcs = append(srcs, readList(t, name))
	}
	want := make([]*paperlist.List, len(srcs))
	for i, src := range srcs {
		want[i] = mustParse(t, src, fmt.Sprint(i))
	}
	var wg sync.WaitGroup
	for g := range 4 {
		wg.Go(func() {
			for j := range srcs {
				i := (j + g) % len(srcs)
				got, err := markdown.Parse(srcs[i], fmt.Sprint(i))
				if err != nil {
					t.Error(err)
					return
				}
				if diff := cmp.Diff(want[i], got); diff != "" {
					t.Errorf("list %d read concurrently differs (-alone +concurrently):\n%s", i, diff)
				}
			}
		})
	}
	wg.Wait()
}
