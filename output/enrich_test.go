package output_test

import (
	"bytes"
	"errors"
	"fmt"
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
