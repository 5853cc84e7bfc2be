package output

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/paperlist/paperlist"
)

// summary counts what the summary line says of a dataset's papers.
type summary struct {
	d                                  *paperlist.Dataset
	ids, idsDone, repos, reposDone     map[string]bool
	pages, pagesDone, problems, papers int
}

func newSummary(d *paperlist.Dataset) *summary {
	// Sized for the papers at once: growing them cost a run of 10,000
	// papers more than filling them.
	n := len(d.Papers)
	return &summary{d: d, ids: make(map[string]bool, n), idsDone: make(map[string]bool, n), repos: make(map[string]bool, n), reposDone: make(map[string]bool, n)}
}

func (s *summary) add(p *paperlist.Paper, h paperlist.Held) {
	s.papers++
	if p.ArxivID != "" {
		s.ids[p.ArxivID] = true
		if h.Arxiv {
			s.idsDone[p.ArxivID] = true
		}
	}
	if p.Repo != "" {
		k := paperlist.RepoKey(p.Repo)
		s.repos[k] = true
		if h.GitHub {
			s.reposDone[k] = true
		}
	}
	if p.ArxivID == "" && paperlist.IsHTTPURL(p.PaperURL) {
		s.pages++
		if h.Page {
			s.pagesDone++
		}
	}
	s.problems += len(p.Problems)
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
		parts = append(parts, fmt.Sprintf("arXiv %d/%d", len(s.idsDone), len(s.ids)))
	}
	if len(s.repos) > 0 {
		parts = append(parts, fmt.Sprintf("GitHub %d/%d repos", len(s.reposDone), len(s.repos)))
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
