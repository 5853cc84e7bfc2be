package output

import (
	"bufio"
	"cmp"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"

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
	summary  *summary
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
	plan := &mdPlan{summary: sum, sections: groupSections(d, stars), inOrder: true}
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
	fmt.Fprintf(bw, "# %s\n\n%s\n", title, plan.summary.line(opts.Problems))
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

// section is a heading of papers.md with its entries in the order shown.
type section struct {
	name string
	// path is the section's path of headings, when the papers carry one.
	path   []string
	papers []*paperlist.Paper
}

// writePath writes the headings of path that differ from prev, "##" for
// the first level and one "#" more for each level under it (at most six),
// and returns path.
func writePath(bw *bufio.Writer, prev, path []string) []string {
	same := 0
	for same < len(prev) && same < len(path) && prev[same] == path[same] {
		same++
	}
	if same == len(path) && same > 0 {
		same-- // the same path again: its last heading is written again
	}
	for i := same; i < len(path); i++ {
		heading := mdText(path[i])
		if heading == "" {
			heading = "Untitled section"
		}
		fmt.Fprintf(bw, "%s %s\n\n", strings.Repeat("#", min(2+i, 6)), heading)
	}
	return path
}

// pathKey is the key of a paper's path of headings.
func pathKey(p *paperlist.Paper) string {
	return strings.Join(p.SectionPath, "\x00")
}

// groupSections puts the papers under their sections: papers without a
// section first, then the sections in the list's order, then any section
// the list info does not name, in the order its first paper appears.
// Sections without papers are left out. With stars (one per paper), the
// papers of each section are ordered by them, most first.
func groupSections(d *paperlist.Dataset, stars []int) []section {
	if hasPaths(d) {
		return groupPaths(d, stars)
	}
	order := []string{""}
	seen := map[string]bool{"": true}
	add := func(name string) {
		if !seen[name] {
			seen[name] = true
			order = append(order, name)
		}
	}
	for _, name := range d.List.Sections {
		add(name)
	}
	members := map[string][]int{}
	for i, p := range d.Papers {
		add(p.Section)
		members[p.Section] = append(members[p.Section], i)
	}
	var out []section
	for _, name := range order {
		is := members[name]
		if len(is) == 0 {
			continue
		}
		if stars != nil {
			slices.SortStableFunc(is, func(a, b int) int { return cmp.Compare(stars[b], stars[a]) })
		}
		ps := make([]*paperlist.Paper, len(is))
		for k, i := range is {
			ps[k] = d.Papers[i]
		}
		out = append(out, section{name: name, papers: ps})
	}
	return out
}

// hasPaths reports whether the papers carry their paths of headings.
func hasPaths(d *paperlist.Dataset) bool {
	for _, p := range d.Papers {
		if len(p.SectionPath) > 0 {
			return true
		}
	}
	return false
}

// groupPaths puts the papers under their paths of headings, so that
// same-named sections under different parents stay apart: papers without a
// path first, then each path in the order its first paper appears.
func groupPaths(d *paperlist.Dataset, stars []int) []section {
	order := []string{""}
	members := map[string][]int{}
	paths := map[string][]string{}
	for i, p := range d.Papers {
		k := pathKey(p)
		if _, ok := members[k]; !ok && k != "" {
			order = append(order, k)
			paths[k] = p.SectionPath
		}
		members[k] = append(members[k], i)
	}
	var out []section
	for _, k := range order {
		is := members[k]
		if len(is) == 0 {
			continue
		}
		if stars != nil {
			slices.SortStableFunc(is, func(a, b int) int { return cmp.Compare(stars[b], stars[a]) })
		}
		ps := make([]*paperlist.Paper, len(is))
		for n, i := range is {
			ps[n] = d.Papers[i]
		}
		s := section{papers: ps, path: paths[k]}
		if len(s.path) > 0 {
			s.name = s.path[len(s.path)-1]
		}
		out = append(out, s)
	}
	return out
}

// citationsOf is the paper's citation count, -1 without one so that such
// entries sort after every count, as entries without stars do.
func citationsOf(p *paperlist.Paper) int {
	if p.Citations == nil {
		return -1
	}
	return *p.Citations
}

// writeEntry writes one paper as a list item: a first line with the title
// and facts, further lines for the authors and problems, and the abstract.
func writeEntry(w *bufio.Writer, p *paperlist.Paper, withProblems bool) {
	title := mdText(p.Title)
	if title == "" {
		title = "Untitled"
	}
	// The facts and lines live on the stack: Join keeps neither.
	var factsBuf [10]string
	facts := factsBuf[:0]
	if u, ok := linkURL(p.PaperURL); ok {
		facts = append(facts, "**["+title+"]("+u+")**")
	} else {
		facts = append(facts, "**"+title+"**")
		if t := mdText(p.PaperURL); t != "" {
			facts = append(facts, "paper: "+t)
		}
	}
	venue := mdText(p.Venue)
	if p.Year != 0 {
		venue = strings.TrimSpace(venue + " " + strconv.Itoa(p.Year))
	}
	if venue != "" {
		facts = append(facts, venue)
	}
	if u, ok := linkURL(canonicalCodeURL(p)); ok {
		link := "[code](" + u
		if g := p.GitHub; g != nil && mdText(g.Description) != "" {
			// The description is shown as the link's tooltip; mdText
			// turns its quotes into entities, so it cannot end the title.
			link += ` "` + mdText(g.Description) + `"`
		}
		facts = append(facts, link+")")
	} else if t := mdText(p.CodeURL); t != "" {
		facts = append(facts, "code: "+t)
	}
	var cited string
	if p.Citations != nil {
		cited = "📄 " + paperlist.CompactCount(*p.Citations) + " citations"
		if *p.Citations == 1 {
			cited = "📄 1 citation"
		}
	}
	if g := p.GitHub; g != nil {
		facts = append(facts, "★ "+paperlist.CompactCount(g.Stars))
		if g.Stars7d != nil && *g.Stars7d > 0 {
			facts = append(facts, "+"+paperlist.CompactCount(*g.Stars7d)+" this week")
		}
		// The citations beside the stars.
		if cited != "" {
			facts = append(facts, cited)
			cited = ""
		}
		if !g.PushedAt.IsZero() {
			facts = append(facts, "pushed "+g.PushedAt.UTC().Format("2006-01-02"))
		}
		if g.Archived {
			facts = append(facts, "archived")
		}
	}
	if cited != "" {
		facts = append(facts, cited)
	}

	var linesBuf [8]string
	lines := append(linesBuf[:0], strings.Join(facts, " · "))
	if authors := mdText(strings.Join(authorsOf(p), ", ")); authors != "" {
		lines = append(lines, authors)
	}
	for _, pr := range p.Problems {
		if !withProblems {
			break
		}
		line := "⚠ " + mdText(pr.Code)
		if msg := mdText(pr.Message); msg != "" {
			line += ": " + msg
		}
		lines = append(lines, line)
	}
	w.WriteString("- ")
	w.WriteString(strings.Join(lines, "<br>\n  "))
	w.WriteString("\n")
	// The abstract is an HTML block inside the list item: it is on one
	// line, so no blank line can end the block early.
	if abs := htmlText(abstractOf(p)); abs != "" {
		w.WriteString("  <details><summary>Abstract</summary>")
		w.WriteString(abs)
		w.WriteString("</details>\n")
	}
}

// canonicalCodeURL is the entry's code link with a renamed repository's
// owner/name replaced by the canonical one GitHub answered with (the rest
// of the URL kept), so that visitors are sent where the code is.
func canonicalCodeURL(p *paperlist.Paper) string {
	g := p.GitHub
	if g == nil || g.FullName == "" || p.Repo == "" || strings.EqualFold(g.FullName, p.Repo) {
		return p.CodeURL
	}
	i := strings.Index(strings.ToLower(p.CodeURL), "github.com/"+strings.ToLower(p.Repo))
	if i < 0 {
		return p.CodeURL
	}
	start := i + len("github.com/")
	return p.CodeURL[:start] + g.FullName + p.CodeURL[start+len(p.Repo):]
}

// authorsOf is the paper's authors as the list gives them, else as arXiv or
// the landing page does.
func authorsOf(p *paperlist.Paper) []string {
	if len(p.Authors) > 0 {
		return p.Authors
	}
	if p.Arxiv != nil && len(p.Arxiv.Authors) > 0 {
		names := make([]string, len(p.Arxiv.Authors))
		for i, a := range p.Arxiv.Authors {
			names[i] = a.Name
		}
		return names
	}
	if p.Page != nil {
		return p.Page.Authors
	}
	return nil
}

// abstractOf is the paper's abstract from arXiv, else from its landing page.
func abstractOf(p *paperlist.Paper) string {
	if p.Arxiv != nil && strings.TrimSpace(p.Arxiv.Abstract) != "" {
		return p.Arxiv.Abstract
	}
	if p.Page != nil {
		return p.Page.Abstract
	}
	return ""
}
