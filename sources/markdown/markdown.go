// Package markdown reads an awesome-style paper list written in markdown into
// the domain types of package paperlist.
//
// The list is parsed with goldmark, a CommonMark parser, and its syntax tree
// is read, so that lists of the same family in other layouts parse too:
// bold or linked or plain titles, "[paper](…)" or "[[Paper](…)]" links,
// bulleted or numbered lists, a table of contents, badges. What follows from
// the entries (arXiv ids, repositories, keys, problems) is derived by
// paperlist.NewList.
package markdown

import (
	"bytes"
	"fmt"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/paperlist/paperlist"
	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

// MaxSize is the largest list, in bytes, that Parse and Load accept.
const MaxSize = 5 << 20

// Parse reads the paper list in src; source names where it came from and
// becomes the list's Source.
//
// The list's title is its first level-one heading. An entry is a list item
// (at any depth) that has a paper or code link, or a title (bold text, or a
// link whose text is a title) together with a venue and year, an authors
// line or an arXiv link. Its section is the nearest heading above it, other
// than the title. Within an entry:
//   - the title is the bold text; else the text of a link that is not a
//     paper or code link; else the plain text before the first link, up to
//     the first line break and the venue; else, for an item nested under a
//     plain item ("- Title" then "  - ICLR 2023 | [Paper](…)"), the text of
//     the outer item. Line breaks become spaces and trailing dots go.
//   - the paper link is the first link labelled paper, pdf, arxiv, abs or
//     abstract, case-insensitive and with any brackets around the label
//     ignored; the code link is the first labelled code, github, gitlab,
//     repo or repository. An empty target ("[code]()") counts as a link.
//   - the venue and year are the first "Venue 2023" outside the title and
//     links: a capitalised word, or "arxiv" in any case, and a year
//     1900–2099.
//   - the authors are the first italic text after a line break or a link,
//     split at commas and "and"; "Last, First and Last, First" is read as
//     ["First Last", "First Last"], but a lone "Last, First" is two names.
//
// Table-of-contents items (links to #anchors), badges (images), HTML blocks
// and paragraphs are not entries. A document without entries gives a list
// with no papers, not an error. The error cases are input larger than
// MaxSize and input that is not UTF-8 text; a leading byte-order mark is
// ignored.
func Parse(src []byte, source string) (*paperlist.List, error) {
	if len(src) > MaxSize {
		return nil, fmt.Errorf("list is %d bytes, more than the limit of %d", len(src), MaxSize)
	}
	if !utf8.Valid(src) {
		return nil, fmt.Errorf("list is not UTF-8 text (invalid byte on line %d)", invalidUTF8Line(src))
	}
	// The mark is on line 1, so dropping it moves no line.
	src = bytes.TrimPrefix(src, []byte("\uFEFF"))
	doc := goldmark.New().Parser().Parse(text.NewReader(src))
	r := &reader{src: src, lineStarts: lineStarts(src), plainItems: make(map[ast.Node]plainItem)}
	if err := ast.Walk(doc, r.visit); err != nil {
		return nil, fmt.Errorf("read markdown: %w", err)
	}
	return paperlist.NewList(r.title, source, r.entries), nil
}

// reader collects the title and entries of one document.
type reader struct {
	src        []byte
	lineStarts []int
	title      string
	hasTitle   bool
	section    string
	entries    []paperlist.RawEntry
	// plainItems are list items that were not entries but whose text can
	// be the title of entries nested in them.
	plainItems map[ast.Node]plainItem
	// toks is the array that item reuses for each item's tokens.
	toks []token
}

type plainItem struct {
	title string
	line  int
}

func (r *reader) visit(n ast.Node, entering bool) (ast.WalkStatus, error) {
	if !entering {
		return ast.WalkContinue, nil
	}
	switch n := n.(type) {
	case *ast.Heading:
		t := collapse(r.text(n, false))
		if n.Level == 1 && !r.hasTitle {
			r.title, r.hasTitle = t, true
		} else {
			r.section = t
		}
		return ast.WalkSkipChildren, nil
	case *ast.ListItem:
		r.item(n)
	}
	return ast.WalkContinue, nil
}

// Labels of the links that are an entry's paper and code links.
var (
	paperLabels = map[string]bool{"paper": true, "pdf": true, "arxiv": true, "abs": true, "abstract": true}
	codeLabels  = map[string]bool{"code": true, "github": true, "gitlab": true, "repo": true, "repository": true}
)

// venueYear finds "arxiv 2023", "NeurIPS 2022", "[ICLR 2019]".
var venueYear = regexp.MustCompile(`(?:^|[^\p{L}\p{N}_])((?i:arxiv)|\p{Lu}[\p{L}\p{N}&-]*)\s+((?:19|20)\d\d)(?:$|[^\p{N}])`)

// token is a piece of an entry's text: plain text, a line break, bold or
// italic text, or a link.
type token struct {
	kind tokenKind
	text string // the text, or a link's label
	dest string // a link's target; for bold text, the target of a link in it
	link bool   // bold text holds a link
}

type tokenKind int

const (
	tokText tokenKind = iota
	tokBreak
	tokBold
	tokItalic
	tokLink
)

// item reads one list item and records it as an entry if it is one.
func (r *reader) item(li *ast.ListItem) {
	// The tokens are not kept past this call, so every item reuses the
	// array of the one before.
	toks := r.toks[:0]
	for c := li.FirstChild(); c != nil; c = c.NextSibling() {
		switch c.(type) {
		case *ast.Paragraph, *ast.TextBlock:
			if len(toks) > 0 {
				toks = append(toks, token{kind: tokBreak})
			}
			toks = r.tokens(c, toks)
		}
	}
	r.toks = toks
	line := r.line(li)

	var e paperlist.RawEntry
	var bold, titleLink, italic *token
	var outside strings.Builder // text outside the title, links and emphasis
	// Italic text is the authors line only after a line break or a link:
	// before them it is the title or part of it.
	afterTitle := false
	for i := range toks {
		t := &toks[i]
		switch t.kind {
		case tokText:
			outside.WriteString(t.text)
		case tokBreak:
			outside.WriteString("\n")
			afterTitle = true
		case tokBold:
			if bold == nil && collapse(t.text) != "" {
				bold = t
			} else {
				outside.WriteString(t.text)
			}
		case tokItalic:
			if italic == nil && afterTitle && collapse(t.text) != "" {
				italic = t
			}
		case tokLink:
			afterTitle = true
			label := linkLabel(t.text)
			switch {
			case paperLabels[label]:
				if !e.HasPaperLink {
					e.PaperURL, e.HasPaperLink = t.dest, true
				}
			case codeLabels[label]:
				if !e.HasCodeLink {
					e.CodeURL, e.HasCodeLink = t.dest, true
				}
			case titleLink == nil && isTitleLink(t):
				titleLink = t
			}
		}
	}

	m := venueYear.FindStringSubmatch(outside.String())
	if m != nil {
		e.Venue = m[1]
		e.Year, _ = strconv.Atoi(m[2])
	}
	e.Authors = splitAuthors(italicText(italic))

	labelled := e.HasPaperLink || e.HasCodeLink
	switch {
	case bold != nil:
		e.Title = cleanTitle(bold.text)
		if bold.link && !e.HasPaperLink {
			e.PaperURL, e.HasPaperLink = bold.dest, true
		}
	case titleLink != nil:
		e.Title = cleanTitle(titleLink.text)
		if !e.HasPaperLink {
			e.PaperURL, e.HasPaperLink = titleLink.dest, true
		}
	default:
		e.Title = plainTitle(toks)
	}

	isEntry := labelled ||
		e.Title != "" && (bold != nil || titleLink != nil) && (m != nil || italic != nil || isArxivLink(e.PaperURL))
	if !isEntry {
		if t := plainTitle(toks); t != "" {
			r.plainItems[li] = plainItem{title: t, line: line}
		}
		return
	}
	if e.Title == "" {
		if parent, ok := r.plainItems[outerItem(li)]; ok {
			e.Title, line = parent.title, parent.line
		}
	}
	e.Section, e.Line = r.section, line
	r.entries = append(r.entries, e)
}

// tokens appends the tokens of the inline content of block n to toks.
func (r *reader) tokens(n ast.Node, toks []token) []token {
	for c := n.FirstChild(); c != nil; c = c.NextSibling() {
		switch c := c.(type) {
		case *ast.Text:
			toks = append(toks, token{kind: tokText, text: r.textValue(c)})
			if c.SoftLineBreak() || c.HardLineBreak() {
				toks = append(toks, token{kind: tokBreak})
			}
		case *ast.String:
			toks = append(toks, token{kind: tokText, text: string(c.Value)})
		case *ast.CodeSpan:
			toks = append(toks, token{kind: tokText, text: r.text(c, false)})
		case *ast.Emphasis:
			t := token{kind: tokItalic, text: r.text(c, false)}
			if c.Level >= 2 {
				t.kind = tokBold
				if l := firstLink(c); l != nil {
					t.link, t.dest = true, destination(l.Destination)
				}
			}
			toks = append(toks, t)
		case *ast.Link:
			toks = append(toks, token{kind: tokLink, text: r.text(c, true), dest: destination(c.Destination)})
		case *ast.RawHTML:
			if isBreakTag(r.rawHTML(c)) {
				toks = append(toks, token{kind: tokBreak})
			}
		case *ast.Image, *ast.AutoLink:
			// Badges and bare URLs are neither titles nor labelled links.
		default:
			toks = r.tokens(c, toks)
		}
	}
	return toks
}

// text returns the text of the inline content of n, with line breaks as
// spaces; images count by their alt text only when withImages is set.
func (r *reader) text(n ast.Node, withImages bool) string {
	var b strings.Builder
	r.writeText(&b, n, withImages)
	return b.String()
}

func (r *reader) writeText(b *strings.Builder, n ast.Node, withImages bool) {
	for c := n.FirstChild(); c != nil; c = c.NextSibling() {
		switch c := c.(type) {
		case *ast.Text:
			if c.IsRaw() {
				b.Write(c.Segment.Value(r.src))
			} else {
				b.WriteString(r.textValue(c))
			}
			if c.SoftLineBreak() || c.HardLineBreak() {
				b.WriteByte(' ')
			}
		case *ast.String:
			b.Write(c.Value)
		case *ast.Image:
			if withImages {
				r.writeText(b, c, withImages)
			}
		case *ast.RawHTML:
			if isBreakTag(r.rawHTML(c)) {
				b.WriteByte(' ')
			}
		default:
			r.writeText(b, c, withImages)
		}
	}
}

// textValue is the text of a text node with backslash escapes and character
// references resolved.
func (r *reader) textValue(t *ast.Text) string {
	v := t.Segment.Value(r.src)
	if t.IsRaw() {
		return string(v)
	}
	return string(unescape(v))
}

func (r *reader) rawHTML(h *ast.RawHTML) string {
	return string(h.Segments.Value(r.src))
}

// line is the 1-based line of the start of a list item.
func (r *reader) line(li *ast.ListItem) int {
	off := li.Pos()
	if off < 0 {
		for c := li.FirstChild(); c != nil && off < 0; c = c.NextSibling() {
			if c.Lines().Len() > 0 {
				off = c.Lines().At(0).Start
			}
		}
	}
	if off < 0 {
		return 1
	}
	return sort.Search(len(r.lineStarts), func(i int) bool { return r.lineStarts[i] > off })
}

// lineStarts returns the byte offset of the start of every line of src.
func lineStarts(src []byte) []int {
	starts := []int{0}
	for i, c := range src {
		if c == '\n' {
			starts = append(starts, i+1)
		}
	}
	return starts
}

func invalidUTF8Line(src []byte) int {
	line := 1
	for len(src) > 0 {
		c, size := utf8.DecodeRune(src)
		if c == utf8.RuneError && size <= 1 {
			return line
		}
		if c == '\n' {
			line++
		}
		src = src[size:]
	}
	return line
}

// outerItem returns the list item that holds the list of li, or nil.
func outerItem(li *ast.ListItem) ast.Node {
	if list := li.Parent(); list != nil {
		if outer, ok := list.Parent().(*ast.ListItem); ok {
			return outer
		}
	}
	return nil
}

func firstLink(n ast.Node) *ast.Link {
	for c := n.FirstChild(); c != nil; c = c.NextSibling() {
		if l, ok := c.(*ast.Link); ok {
			return l
		}
		if l := firstLink(c); l != nil {
			return l
		}
	}
	return nil
}

// destination is a link target with escapes and character references
// resolved.
func destination(d []byte) string {
	return strings.TrimSpace(string(unescape(d)))
}

func unescape(v []byte) []byte {
	if bytes.IndexByte(v, '\\') < 0 && bytes.IndexByte(v, '&') < 0 {
		return v
	}
	return util.ResolveEntityNames(util.ResolveNumericReferences(util.UnescapePunctuations(v)))
}

func isBreakTag(html string) bool {
	h := strings.ToLower(strings.TrimSpace(html))
	return strings.HasPrefix(h, "<br") && (len(h) == 3 || strings.ContainsAny(h[3:4], " \t\n/>"))
}

// linkLabel is a link's text as compared with the paper and code labels:
// lower case, without brackets, spaces and punctuation around it.
func linkLabel(s string) string {
	return strings.ToLower(strings.Trim(s, " \t\n[](){}.:|*_"))
}

// isTitleLink reports whether a link that is neither a paper nor a code
// link can be an entry's title: its text has at least two words and it
// points somewhere other than an anchor of the list.
func isTitleLink(t *token) bool {
	return len(strings.Fields(t.text)) >= 2 && !strings.HasPrefix(t.dest, "#")
}

func isArxivLink(s string) bool {
	_, _, ok := paperlist.ParseArxivURL(s)
	return ok
}

// plainTitle is the plain text of an entry before its first link and line
// break, without a venue and year and the separators around them.
func plainTitle(toks []token) string {
	var b strings.Builder
loop:
	for _, t := range toks {
		switch t.kind {
		case tokText:
			b.WriteString(t.text)
		case tokItalic:
			b.WriteString(t.text)
		default:
			break loop
		}
	}
	s := b.String()
	if loc := venueYear.FindStringSubmatchIndex(s); loc != nil {
		s = s[:loc[2]]
	}
	return cleanTitle(s)
}

// cleanTitle folds white space and drops the separators and trailing dots
// that lists put around titles.
func cleanTitle(s string) string {
	s = collapse(s)
	s = strings.TrimRight(s, " .,;:|-–—[(")
	return strings.TrimLeft(s, " .,;:|-–—])")
}

// collapse folds runs of white space into one space and trims the ends.
func collapse(s string) string {
	if isCollapsed(s) {
		return s
	}
	return strings.Join(strings.Fields(s), " ")
}

// isCollapsed reports whether collapse would leave s as it is: ASCII text
// with single spaces between words and none at the ends. Most text is, and
// is then not copied.
func isCollapsed(s string) bool {
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c >= utf8.RuneSelf, c == '\t', c == '\n', c == '\v', c == '\f', c == '\r':
			return false
		case c == ' ' && (i == 0 || i == len(s)-1 || s[i-1] == ' '):
			return false
		}
	}
	return true
}

func italicText(t *token) string {
	if t == nil {
		return ""
	}
	return t.text
}

// splitAuthors splits an authors line. "Last, First and Last, First" (every
// name given with one comma, two or more names) gives "First Last" names;
// otherwise names are separated by commas and "and".
func splitAuthors(s string) []string {
	s = strings.TrimRight(collapse(s), " .")
	if s == "" {
		return nil
	}
	parts := splitAnd(s)
	if len(parts) >= 2 {
		inverted := make([]string, 0, len(parts))
		for _, p := range parts {
			last, first, ok := strings.Cut(p, ",")
			if !ok || strings.Contains(first, ",") || strings.TrimSpace(first) == "" || strings.TrimSpace(last) == "" {
				inverted = nil
				break
			}
			inverted = append(inverted, collapse(first+" "+last))
		}
		if inverted != nil {
			return inverted
		}
	}
	var names []string
	for _, p := range strings.Split(s, ",") {
		for _, name := range splitAnd(p) {
			if name != "" {
				names = append(names, name)
			}
		}
	}
	return names
}

// splitAnd splits s at the word "and", trimming the parts.
func splitAnd(s string) []string {
	var parts []string
	for _, p := range strings.Split(" "+s+" ", " and ") {
		if p = strings.TrimSpace(p); p != "" {
			parts = append(parts, p)
		}
	}
	return parts
}
