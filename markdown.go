package paperlist

import (
	"bufio"
	"cmp"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Orders of the entries within a section of papers.md.
const (
	// SortList keeps the entries in list order. It is the default.
	SortList = "list"
	// SortStars orders the entries by their repository's stars, most first;
	// entries with equal stars keep list order and entries without
	// repository stats come last.
	SortStars = "stars"
)

// MarkdownOptions choose how WriteMarkdown lays papers.md out.
type MarkdownOptions struct {
	// Sort is SortList (or empty) or SortStars.
	Sort string
}

// Validate reports an error when the options are not ones WriteMarkdown
// accepts, so that a command can refuse a bad flag before it does any work.
func (o MarkdownOptions) Validate() error {
	switch o.Sort {
	case "", SortList, SortStars:
		return nil
	}
	return fmt.Errorf("unknown sort %q (want %s or %s)", o.Sort, SortList, SortStars)
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
func WriteMarkdown(w io.Writer, d *Dataset, opts MarkdownOptions) error {
	if err := opts.Validate(); err != nil {
		return fmt.Errorf("write markdown: %w", err)
	}
	if err := checkDataset(d); err != nil {
		return fmt.Errorf("write markdown: %w", err)
	}
	bw := bufio.NewWriter(w)
	title := mdText(d.List.Title)
	if title == "" {
		title = "Papers"
	}
	fmt.Fprintf(bw, "# %s\n\n%s\n", title, summaryLine(d))
	for _, s := range groupSections(d, opts.Sort == SortStars) {
		bw.WriteString("\n")
		if s.name != "" {
			heading := mdText(s.name)
			if heading == "" {
				heading = "Untitled section"
			}
			fmt.Fprintf(bw, "## %s\n\n", heading)
		}
		for _, p := range s.papers {
			writeEntry(bw, p)
		}
	}
	// A bufio.Writer keeps its first error, so Flush reports any failed write.
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("write markdown: %w", err)
	}
	return nil
}

// summaryLine says when the dataset was generated, from what, and how much
// of it is enriched: distinct arXiv ids with metadata, distinct repositories
// with stats, landing pages read, problems found.
func summaryLine(d *Dataset) string {
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
	parts = append(parts, plural(len(d.Papers), "paper", "papers"))

	ids, idsDone := map[string]bool{}, map[string]bool{}
	repos, reposDone := map[string]bool{}, map[string]bool{}
	pages, pagesDone, problems := 0, 0, 0
	for _, p := range d.Papers {
		if p.ArxivID != "" {
			ids[p.ArxivID] = true
			if p.Arxiv != nil {
				idsDone[p.ArxivID] = true
			}
		}
		if p.Repo != "" {
			k := RepoKey(p.Repo)
			repos[k] = true
			if p.GitHub != nil {
				reposDone[k] = true
			}
		}
		if p.ArxivID == "" && IsHTTPURL(p.PaperURL) {
			pages++
			if p.Page != nil {
				pagesDone++
			}
		}
		problems += len(p.Problems)
	}
	if len(ids) > 0 {
		parts = append(parts, fmt.Sprintf("arXiv %d/%d", len(idsDone), len(ids)))
	}
	if len(repos) > 0 {
		parts = append(parts, fmt.Sprintf("GitHub %d/%d repos", len(reposDone), len(repos)))
	}
	if pages > 0 {
		parts = append(parts, fmt.Sprintf("pages %d/%d", pagesDone, pages))
	}
	parts = append(parts, plural(problems, "problem", "problems"))
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
	name   string
	papers []*Paper
}

// groupSections puts the papers under their sections: papers without a
// section first, then the sections in the list's order, then any section
// the list info does not name, in the order its first paper appears.
// Sections without papers are left out.
func groupSections(d *Dataset, byStars bool) []section {
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
	members := map[string][]*Paper{}
	for _, p := range d.Papers {
		add(p.Section)
		members[p.Section] = append(members[p.Section], p)
	}
	var out []section
	for _, name := range order {
		ps := members[name]
		if len(ps) == 0 {
			continue
		}
		if byStars {
			slices.SortStableFunc(ps, func(a, b *Paper) int { return cmp.Compare(starsOf(b), starsOf(a)) })
		}
		out = append(out, section{name: name, papers: ps})
	}
	return out
}

// starsOf is the paper's repository's stars, -1 without stats so that such
// entries sort after every repository.
func starsOf(p *Paper) int {
	if p.GitHub == nil {
		return -1
	}
	return p.GitHub.Stars
}

// writeEntry writes one paper as a list item: a first line with the title
// and facts, further lines for the authors and problems, and the abstract.
func writeEntry(w *bufio.Writer, p *Paper) {
	title := mdText(p.Title)
	if title == "" {
		title = "Untitled"
	}
	var facts []string
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
	if u, ok := linkURL(p.CodeURL); ok {
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
	if g := p.GitHub; g != nil {
		facts = append(facts, "★ "+CompactCount(g.Stars))
		if g.Stars7d != nil && *g.Stars7d > 0 {
			facts = append(facts, "+"+CompactCount(*g.Stars7d)+" this week")
		}
		if !g.PushedAt.IsZero() {
			facts = append(facts, "pushed "+g.PushedAt.UTC().Format("2006-01-02"))
		}
		if g.Archived {
			facts = append(facts, "archived")
		}
	}

	lines := []string{strings.Join(facts, " · ")}
	if authors := mdText(strings.Join(authorsOf(p), ", ")); authors != "" {
		lines = append(lines, authors)
	}
	for _, pr := range p.Problems {
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

// authorsOf is the paper's authors as the list gives them, else as arXiv or
// the landing page does.
func authorsOf(p *Paper) []string {
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
func abstractOf(p *Paper) string {
	if p.Arxiv != nil && strings.TrimSpace(p.Arxiv.Abstract) != "" {
		return p.Arxiv.Abstract
	}
	if p.Page != nil {
		return p.Page.Abstract
	}
	return ""
}

// CompactCount writes a count as GitHub does: 950, 12.3k, 1.2M, rounding
// down so that the figure never overstates. papers.md shows star counts in
// this form, and fix -stars writes them into a list in it.
func CompactCount(n int) string {
	switch {
	case n < 1000:
		return strconv.Itoa(n)
	case n < 1_000_000:
		return tenths(n/100) + "k"
	default:
		return tenths(n/100_000) + "M"
	}
}

// tenths writes n tenths as a decimal, without a trailing ".0".
func tenths(n int) string {
	s := strconv.Itoa(n / 10)
	if r := n % 10; r != 0 {
		s += "." + strconv.Itoa(r)
	}
	return s
}

// cleanText makes untrusted text fit on one line: invalid UTF-8 replaced,
// control characters and line and paragraph separators turned into spaces,
// bidirectional overrides dropped, white space folded and trimmed.
func cleanText(s string) string {
	if isClean(s) {
		return s
	}
	s = strings.ToValidUTF8(s, "\uFFFD")
	var b strings.Builder
	b.Grow(len(s))
	space := false
	for _, r := range s {
		switch {
		case isBidiControl(r):
			continue
		case unicode.IsSpace(r) || unicode.IsControl(r) || r == '\u2028' || r == '\u2029':
			space = true
			continue
		}
		if space && b.Len() > 0 {
			b.WriteByte(' ')
		}
		space = false
		b.WriteRune(r)
	}
	return b.String()
}

// isClean reports whether cleanText would leave s as it is: printable
// ASCII with single spaces between words. Most text is, and is then not
// copied.
func isClean(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < ' ' || c > '~' || c == ' ' && (i == 0 || i == len(s)-1 || s[i-1] == ' ') {
			return false
		}
	}
	return true
}

func isBidiControl(r rune) bool {
	return r == '\u061C' || r == '\u200E' || r == '\u200F' ||
		('\u202A' <= r && r <= '\u202E') || ('\u2066' <= r && r <= '\u2069')
}

// mdEscapes and htmlEscapes give what mdText and htmlText write for an
// ASCII character, "" for the character itself. Every character they
// replace is ASCII, and no byte of a multi-byte UTF-8 sequence is, so the
// text can be escaped byte by byte.
var mdEscapes, htmlEscapes = escapeTables()

func escapeTables() (md, html [utf8.RuneSelf]string) {
	entities := []struct {
		c   byte
		ref string
	}{{'<', "&lt;"}, {'>', "&gt;"}, {'&', "&amp;"}, {'"', "&quot;"}, {'\'', "&#39;"}}
	for _, e := range entities {
		md[e.c], html[e.c] = e.ref, e.ref
	}
	for _, c := range []byte("\\`*_[]()!#|~$") {
		md[c] = "\\" + string(c)
		html[c] = "&#" + strconv.Itoa(int(c)) + ";"
	}
	return md, html
}

// mdText makes untrusted text safe as inline markdown on one line: the
// characters that start HTML or entities are written as entities, and every
// other character that markdown gives a meaning inside a line (emphasis,
// code, links, images, headings' closing #, table cells, strikethrough,
// math) is escaped with a backslash. So is a start that would begin a list
// item or underline a heading, for text that starts a continuation line.
func mdText(s string) string {
	s = escape(cleanText(s), &mdEscapes)
	if s == "" {
		return s
	}
	if strings.IndexByte("-+=", s[0]) >= 0 {
		return `\` + s
	}
	digits := 0
	for digits < len(s) && '0' <= s[digits] && s[digits] <= '9' {
		digits++
	}
	if digits > 0 && digits < len(s) && s[digits] == '.' {
		return s[:digits] + `\` + s[digits:]
	}
	return s
}

// htmlText makes untrusted text safe as the content of an HTML block on one
// line. CommonMark does not read markdown there, but the characters of
// markdown's inline syntax are written as character references all the same,
// so that no other renderer can find a link or emphasis in it either.
func htmlText(s string) string {
	return escape(cleanText(s), &htmlEscapes)
}

// escape replaces the ASCII characters of s that table names.
func escape(s string, table *[utf8.RuneSelf]string) string {
	var b strings.Builder
	done := 0
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf || table[s[i]] == "" {
			continue
		}
		if done == 0 {
			b.Grow(len(s) + len(s)/8)
		}
		b.WriteString(s[done:i])
		b.WriteString(table[s[i]])
		done = i + 1
	}
	if done == 0 {
		return s
	}
	b.WriteString(s[done:])
	return b.String()
}

// linkURL returns raw as a markdown link destination when it is an absolute
// http or https URL with a host, with every byte that could end the
// destination or confuse a renderer percent-encoded.
func linkURL(raw string) (string, bool) {
	raw = strings.TrimSpace(raw)
	if !IsHTTPURL(raw) || !utf8.ValidString(raw) {
		return "", false
	}
	const hex = "0123456789ABCDEF"
	var b strings.Builder
	for i := 0; i < len(raw); i++ {
		c := raw[i]
		if urlSafe(c) || c == '%' && i+2 < len(raw) && isHex(raw[i+1]) && isHex(raw[i+2]) {
			b.WriteByte(c)
			continue
		}
		b.WriteByte('%')
		b.WriteByte(hex[c>>4])
		b.WriteByte(hex[c&15])
	}
	return b.String(), true
}

// urlSafe reports whether c may appear in a link destination as it is:
// letters, digits and the URL punctuation that has no meaning to markdown or
// HTML there. Parentheses, quotes, angle brackets, backslashes, spaces and
// the like are not.
func urlSafe(c byte) bool {
	switch {
	case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9':
		return true
	}
	return strings.IndexByte("-._~:/?#[]@!$&*+,;=", c) >= 0
}

func isHex(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}
