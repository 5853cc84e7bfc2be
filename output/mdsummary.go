package output

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/paperlist/paperlist"
)

// summary counts what the summary line says of a dataset's papers. Its
// sets are only needed until the line is made: the plan keeps the line.
type summary struct {
	d *paperlist.Dataset
	// ids and repos hold the distinct arXiv ids and repositories, each
	// marked seen, and done when a paper holds its record.
	ids, repos                         map[string]uint8
	pages, pagesDone, problems, papers int
}

// Marks of the summary's sets.
const (
	seen uint8 = 1 << iota
	done
)

func newSummary(d *paperlist.Dataset) *summary {
	// Sized for the papers at once: growing them cost a run of 10,000
	// papers more than filling them.
	n := len(d.Papers)
	return &summary{d: d, ids: make(map[string]uint8, n), repos: make(map[string]uint8, n)}
}

func (s *summary) add(p *paperlist.Paper, h paperlist.Held) {
	s.papers++
	if p.ArxivID != "" {
		s.ids[p.ArxivID] |= seen | mark(h.Arxiv)
	}
	if p.Repo != "" {
		s.repos[paperlist.RepoKey(p.Repo)] |= seen | mark(h.GitHub)
	}
	if p.ArxivID == "" && paperlist.IsHTTPURL(p.PaperURL) {
		s.pages++
		if h.Page {
			s.pagesDone++
		}
	}
	s.problems += len(p.Problems)
}

// mark is done when a paper holds the record, nothing otherwise.
func mark(held bool) uint8 {
	if held {
		return done
	}
	return 0
}

// countDone is how many of set's members are done.
func countDone(set map[string]uint8) int {
	n := 0
	for _, m := range set {
		if m&done != 0 {
			n++
		}
	}
	return n
}

// line says when the dataset was generated, from what, and how much of it
// is enriched: distinct arXiv ids with metadata, distinct repositories with
// stats, landing pages read, problems found.
func (s *summary) line(withProblems bool) string {
	d := s.d
	var parts []string
	head := ""
	if !d.GeneratedAt.IsZero() {
		head = "Generated " + d.GeneratedAt.UTC().Format("2006-01-02 15:04 UTC")
	}
	if src := mdText(d.List.Source); src != "" {
		if head == "" {
			head = "From " + src
		} else {
			head += " from " + src
		}
	}
	if head != "" {
		parts = append(parts, head)
	}
	parts = append(parts, plural(s.papers, "paper", "papers"))
	if len(s.ids) > 0 {
		parts = append(parts, fmt.Sprintf("arXiv %d/%d", countDone(s.ids), len(s.ids)))
	}
	if len(s.repos) > 0 {
		parts = append(parts, fmt.Sprintf("GitHub %d/%d repos", countDone(s.repos), len(s.repos)))
	}
	if s.pages > 0 {
		parts = append(parts, fmt.Sprintf("pages %d/%d", s.pagesDone, s.pages))
	}
	if withProblems {
		parts = append(parts, plural(s.problems, "problem", "problems"))
	}
	return strings.Join(parts, " · ")
}

func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return strconv.Itoa(n) + " " + many
}
