package output_test

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"testing"

	"github.com/paperlist/paperlist"
	"github.com/paperlist/paperlist/output"
)

// onDemand returns d as a dataset whose papers carry no records, with an
// Enrich that gives them back, and the sizes of the chunks it was asked.
func onDemand(d *paperlist.Dataset) (*paperlist.Dataset, *[]int) {
	full := map[*paperlist.Paper]*paperlist.Paper{}
	light := *d
	light.Papers = make([]*paperlist.Paper, len(d.Papers))
	for i, p := range d.Papers {
		c := *p
		c.Arxiv, c.GitHub, c.Page = nil, nil, nil
		light.Papers[i] = &c
		full[&c] = p
	}
	var mu sync.Mutex
	var chunks []int
	light.Enrich = func(ps []*paperlist.Paper) ([]*paperlist.Paper, error) {
		mu.Lock()
		chunks = append(chunks, len(ps))
		mu.Unlock()
		out := make([]*paperlist.Paper, len(ps))
		for i, p := range ps {
			out[i] = full[p]
		}
		return out, nil
	}
	return &light, &chunks
}

// manyPapers is d with its papers repeated to n, each a copy of its own.
func manyPapers(d *paperlist.Dataset, n int) *paperlist.Dataset {
	c := *d
	c.Papers = nil
	for i := range n {
		p := *d.Papers[i%len(d.Papers)]
		p.Key = fmt.Sprintf("%s#%d", p.Key, i)
		c.Papers = append(c.Papers, &p)
	}
	return &c
}

// TestWritersEnrichOnDemand writes datasets whose records come from Enrich
// a chunk at a time: the bytes are those of the dataset with its records,
// and no chunk is larger than EnrichChunk.
func TestWritersEnrichOnDemand(t *testing.T) {
	tests := []struct {
		name string
		d    *paperlist.Dataset
	}{
		{"empty", emptyDataset()},
		{"full", fullDataset()},
		{"600 papers", manyPapers(fullDataset(), 600)},
	}
	for _, tt := range tests {
		for _, sort := range []string{output.SortList, output.SortStars} {
			t.Run(tt.name+"/"+sort, func(t *testing.T) {
				opts := output.MarkdownOptions{Sort: sort}
				light, chunks := onDemand(tt.d)
				if got, want := writeJSON(t, light), writeJSON(t, tt.d); !bytes.Equal(got, want) {
					t.Errorf("JSON with Enrich differs from JSON with the records:\n%s\nwant\n%s", got, want)
				}
				if got, want := writeMarkdown(t, light, opts), writeMarkdown(t, tt.d, opts); got != want {
					t.Errorf("markdown with Enrich differs from markdown with the records:\n%s\nwant\n%s", got, want)
				}
				if len(tt.d.Papers) > 0 && len(*chunks) == 0 {
					t.Error("Enrich was never called")
				}
				for _, n := range *chunks {
					if n < 1 || n > paperlist.EnrichChunk {
						t.Errorf("Enrich asked for %d papers at once, want 1 to %d", n, paperlist.EnrichChunk)
					}
				}
			})
		}
	}
}

func TestWritersEnrichFails(t *testing.T) {
	broken := errors.New("cache gone")
	d := fullDataset()
	d.Enrich = func([]*paperlist.Paper) ([]*paperlist.Paper, error) { return nil, broken }
	var buf bytes.Buffer
	if err := output.WriteJSON(&buf, d); !errors.Is(err, broken) {
		t.Errorf("WriteJSON = %v, want %v", err, broken)
	}
	if err := output.WriteMarkdown(&buf, d, output.MarkdownOptions{}); !errors.Is(err, broken) {
		t.Errorf("WriteMarkdown = %v, want %v", err, broken)
	}
}

// withHeld is d (made by onDemand from full) with Held saying what each
// paper of full holds.
func withHeld(d, full *paperlist.Dataset) *paperlist.Dataset {
	c := *d
	c.Held = make([]paperlist.Held, len(full.Papers))
	for i, p := range full.Papers {
		c.Held[i] = paperlist.Held{Arxiv: p.Arxiv != nil, GitHub: p.GitHub != nil, Page: p.Page != nil}
		if p.GitHub != nil {
			c.Held[i].Stars = p.GitHub.Stars
		}
	}
	return &c
}

// inListOrder is d with its papers sorted by section, so that papers.md
// shows them in list order.
func inListOrder(d *paperlist.Dataset) *paperlist.Dataset {
	c := *d
	c.Papers = slices.Clone(d.Papers)
	rank := map[string]int{"": -1}
	for i, s := range d.List.Sections {
		rank[s] = i
	}
	slices.SortStableFunc(c.Papers, func(a, b *paperlist.Paper) int {
		ra, oka := rank[a.Section]
		rb, okb := rank[b.Section]
		if !oka {
			ra = len(rank)
		}
		if !okb {
			rb = len(rank)
		}
		return ra - rb
	})
	return &c
}

// TestWriteFilesReadsOnce writes on-demand datasets with WriteFiles: the
// files are those of the dataset with its records, and each paper's
// records are read once for both files when papers.md is in list order
// and Held says what the papers hold, once more for the summary without
// Held, and once more for papers.md when it orders the papers otherwise.
func TestWriteFilesReadsOnce(t *testing.T) {
	ordered := inListOrder(manyPapers(fullDataset(), 600))
	if len(ordered.List.Sections) < 2 {
		t.Fatal("the dataset has too few sections to be out of order")
	}
	tests := []struct {
		name  string
		d     *paperlist.Dataset
		sort  string
		held  bool
		reads int // times each paper is read
	}{
		{"in order, held", ordered, output.SortList, true, 1},
		{"in order, not held", ordered, output.SortList, false, 2},
		{"by stars, held", ordered, output.SortStars, true, 2},
		{"by stars, not held", ordered, output.SortStars, false, 3},
		{"by citations (none: list order), not held", ordered, output.SortCitations, false, 2},
		{"out of order, held", manyPapers(fullDataset(), 600), output.SortList, true, 2},
		{"small, held", fullDataset(), output.SortList, true, 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			opts := output.MarkdownOptions{Sort: tt.sort, Problems: true}
			light, chunks := onDemand(tt.d)
			if tt.held {
				light = withHeld(light, tt.d)
			}
			wantDir, gotDir := t.TempDir(), t.TempDir()
			if err := output.WriteFiles(wantDir, tt.d, opts); err != nil {
				t.Fatalf("WriteFiles with the records: %v", err)
			}
			if err := output.WriteFiles(gotDir, light, opts); err != nil {
				t.Fatalf("WriteFiles with Enrich: %v", err)
			}
			for _, name := range []string{output.JSONFile, output.MarkdownFile} {
				got, want := readFile(t, filepath.Join(gotDir, name)), readFile(t, filepath.Join(wantDir, name))
				if !bytes.Equal(got, want) {
					t.Errorf("%s with Enrich differs from %s with the records:\n%s\nwant\n%s", name, name, got, want)
				}
			}
			read := 0
			for _, n := range *chunks {
				read += n
			}
			if want := tt.reads * len(tt.d.Papers); read != want {
				t.Errorf("Enrich was asked for %d papers, want %d (%d× %d)", read, want, tt.reads, len(tt.d.Papers))
			}
		})
	}
}

// TestWriteFilesEnrichFails: a failing Enrich fails WriteFiles, with the
// records read once for both files or apart, and leaves no file behind.
func TestWriteFilesEnrichFails(t *testing.T) {
	broken := errors.New("cache gone")
	for _, sort := range []string{output.SortList, output.SortStars} {
		t.Run(sort, func(t *testing.T) {
			full := inListOrder(manyPapers(fullDataset(), 600))
			light, _ := onDemand(full)
			light = withHeld(light, full)
			enrich, calls := light.Enrich, 0
			var mu sync.Mutex
			light.Enrich = func(ps []*paperlist.Paper) ([]*paperlist.Paper, error) {
				mu.Lock()
				calls++
				n := calls
				mu.Unlock()
				if n == 2 {
					return nil, broken
				}
				return enrich(ps)
			}
			dir := t.TempDir()
			if err := output.WriteFiles(dir, light, output.MarkdownOptions{Sort: sort}); !errors.Is(err, broken) {
				t.Errorf("WriteFiles = %v, want %v", err, broken)
			}
			if left, _ := os.ReadDir(dir); len(left) != 0 {
				t.Errorf("WriteFiles left %d files behind", len(left))
			}
		})
	}
}

func readFile(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
