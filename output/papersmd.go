package output

import (
	"bufio"
	"fmt"
	"io"

	"github.com/paperlist/paperlist"
)

// Orders of the entries within a section of papers.md.
const (
	// SortList keeps the entries in list order. It is the default.
	SortList = "list"
	// SortStars orders the entries by their repository's stars, most first;
	// entries with equal stars keep list order and entries without
	// repository stats come last.
	SortStars = "stars"
	// SortCitations orders the entries by their citation counts, most
	// first, as SortStars does by stars.
	SortCitations = "citations"
)

// MarkdownOptions choose how WriteMarkdown lays papers.md out.
type MarkdownOptions struct {
	// Sort is SortList (or empty) or SortStars.
	Sort string
	// Problems shows each entry's problems, and their count in the
	// summary line: notes for the list's maintainer, which the list's
	// visitors are spared by default.
	Problems bool
}

// Validate reports an error when the options are not ones WriteMarkdown
// accepts, so that a command can refuse a bad flag before it does any work.
func (o MarkdownOptions) Validate() error {
	switch o.Sort {
	case "", SortList, SortStars, SortCitations:
		return nil
	}
	return fmt.Errorf("unknown sort %q (want %s, %s or %s)", o.Sort, SortList, SortStars, SortCitations)
}

// WriteMarkdown writes the dataset to w as papers.md, the list again for
// people: its title, a line saying when it was generated and how much of it
// is enriched, then each section with its entries. An entry shows its title
// linked to the paper, venue and year, the code link and, once enriched, the
// repository's stars and their gain this week, its last push, whether it is
// archived, the entry's problems, the authors and the abstract folded in a
// <details> element.
//
// All text in the dataset is treated as untrusted: it is written so that it
// cannot start HTML, links, images or any block syntax, nor break out of its
// line, and only http and https URLs are linked, percent-encoded so that
// they cannot end the link early.
func WriteMarkdown(w io.Writer, d *paperlist.Dataset, opts MarkdownOptions) error {
	if err := opts.Validate(); err != nil {
		return fmt.Errorf("write markdown: %w", err)
	}
	if err := checkDataset(d); err != nil {
		return fmt.Errorf("write markdown: %w", err)
	}
	plan, err := planMarkdown(d, opts)
	if err != nil {
		return fmt.Errorf("write markdown: %w", err)
	}
	var rd paperReader
	if plan.inOrder {
		rd = newChunkReader(d)
	}
	if err := writeMarkdown(w, d, opts, plan, rd); err != nil {
		return fmt.Errorf("write markdown: %w", err)
	}
	return nil
}

// mdPlan is what papers.md says before its entries, and its entries'
// order.
type mdPlan struct {
	summary  string // the summary line
	sections []section
	// inOrder says that the sections hold the dataset's papers in list
	// order, so that they can be read in one pass with the JSON's.
	inOrder bool
}

// planMarkdown counts the papers for the summary line and puts them under
// their sections. It reads no records when d has none to read or says in
// Held what they are; otherwise it reads the papers once, a chunk at a
// time, for what they hold (and the stars to sort by).
func planMarkdown(d *paperlist.Dataset, opts MarkdownOptions) (*mdPlan, error) {
	byStars := opts.Sort == SortStars || opts.Sort == SortCitations
	sum := newSummary(d)
	var stars []int
	if byStars {
		stars = make([]int, len(d.Papers))
	}
	add := func(i int, p *paperlist.Paper, h paperlist.Held) {
		sum.add(p, h)
		if byStars {
			stars[i] = -1
			switch {
			case opts.Sort == SortCitations:
				stars[i] = citationsOf(p)
			case h.GitHub:
				stars[i] = h.Stars
			}
		}
	}
	if d.Enrich == nil || len(d.Held) == len(d.Papers) {
		for i, p := range d.Papers {
			h := heldBy(p)
			if d.Enrich != nil {
				h = d.Held[i]
			}
			add(i, p, h)
		}
	} else {
		err := eachPaper(d, d.Papers, func(i int, p *paperlist.Paper) error {
			add(i, p, heldBy(p))
			return nil
		})
		if err != nil {
			return nil, err
		}
	}
	plan := &mdPlan{summary: sum.line(opts.Problems), sections: groupSections(d, stars), inOrder: true}
	k := 0
	for _, s := range plan.sections {
		for _, p := range s.papers {
			if k >= len(d.Papers) || d.Papers[k] != p {
				plan.inOrder = false
			}
			k++
		}
	}
	plan.inOrder = plan.inOrder && k == len(d.Papers)
	return plan, nil
}

// heldBy says which records p holds.
func heldBy(p *paperlist.Paper) paperlist.Held {
	h := paperlist.Held{Arxiv: p.Arxiv != nil, GitHub: p.GitHub != nil, Page: p.Page != nil}
	if p.GitHub != nil {
		h.Stars = p.GitHub.Stars
	}
	return h
}

// writeMarkdown writes papers.md as plan lays it out, the entries from rd
// when the plan is in list order (read here, a section at a time, when it
// is not).
func writeMarkdown(w io.Writer, d *paperlist.Dataset, opts MarkdownOptions, plan *mdPlan, rd paperReader) error {
	bw := bufio.NewWriter(w)
	title := mdText(d.List.Title)
	if title == "" {
		title = "Papers"
	}
	fmt.Fprintf(bw, "# %s\n\n%s\n", title, plan.summary)
	var prev []string // the path of headings written
	for _, s := range plan.sections {
		bw.WriteString("\n")
		if s.path != nil {
			// The list's tree of sections: the headings of the path that
			// differ from the last section's, one level deeper each.
			prev = writePath(bw, prev, s.path)
		} else if s.name != "" {
			heading := mdText(s.name)
			if heading == "" {
				heading = "Untitled section"
			}
			fmt.Fprintf(bw, "## %s\n\n", heading)
		}
		if plan.inOrder {
			for range s.papers {
				p, err := rd.next()
				if err != nil {
					return err
				}
				writeEntry(bw, p, opts.Problems)
			}
			continue
		}
		err := eachPaper(d, s.papers, func(_ int, p *paperlist.Paper) error {
			writeEntry(bw, p, opts.Problems)
			return nil
		})
		if err != nil {
			return err
		}
	}
	// A bufio.Writer keeps its first error, so Flush reports any failed write.
	return bw.Flush()
}
