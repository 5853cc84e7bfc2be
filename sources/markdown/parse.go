// Package markdown reads an awesome-style paper list written in markdown into
// the domain types of package paperlist.
//
// The list is parsed with goldmark, a CommonMark parser with GitHub's table
// and autolink extensions, and its syntax tree is read, so that lists of
// many layouts parse: bulleted or numbered items, table rows and paragraphs
// are entries; titles bold, linked or plain; links under any label. What
// follows from the entries (arXiv ids, repositories, keys, problems) is
// derived by paperlist.NewList.
package markdown

import (
	"bytes"
	"context"
	"fmt"
	"sort"
	"unicode/utf8"
	"unsafe"

	"github.com/paperlist/paperlist"
	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
)

// MaxSize is the largest list, in bytes, that Parse and Load accept.
const MaxSize = 5 << 20

// bom is the UTF-8 byte-order mark some editors put at the start of a file.
var bom = []byte("\uFEFF")

// mdParser is the goldmark parser of every list: CommonMark with GitHub's
// tables and bare-URL autolinks. A goldmark parser is safe for concurrent
// use.
var mdParser = goldmark.New(goldmark.WithExtensions(extension.Table, extension.Linkify)).Parser()

// Parse reads the paper list in src; source names where it came from and
// becomes the list's Source.
//
// The list's title is its first level-one heading; an entry's section is the
// nearest heading above it, other than the title, and its section path the
// headings above it, the outermost first. Entries are read from these
// layouts (leading dates, venues, reference numbers and emoji set aside,
// see entryParts):
//   - list items, bulleted or numbered, at any depth, with the links of an
//     HTML block under the item (<div> [[Paper](…)] </div>) and of
//     reference definitions ([code][4] … [4]: https://…); a line that
//     markdown glues onto an item but starts an entry of its own (a bold
//     title and its own paper link) is read as that entry.
//   - table rows, one entry per row, the columns named by the header
//     (title, name, paper, date, venue, code, stars …) or by what they hold.
//   - paragraphs that start with a title: "**Title** \" / "*Authors*" /
//     "arXiv 2023. [[Paper](…)] [[Github](…)]", and numbered references
//     "**[5]** Authors. "**Title**." arXiv preprint arXiv:1409.1556 (2014)."
//   - a title paragraph followed by a list of fields ("- Paper: https://…",
//     "- Code: https://…"), one entry.
//   - any of these inside an HTML block (a table right under "<div>"), read
//     with the block's tags blanked out.
//   - a heading that links a paper ("#### [Title](https://arxiv.org/abs/ID)"),
//     with the paragraph under it.
//   - in a list item with no link at all, a title of three words or more,
//     bold or with a venue, year or authors: a title-only entry, kept only
//     in a section that holds linked entries.
//
// What makes an entry and how its fields are found is documented at entry.
// Table-of-contents items (links to #anchors), badges, the items of a news
// section and link lists without papers are not entries. A document without entries gives a
// list with no papers, not an error.
//
// Every entry's PaperSpan and CodeSpan, and the list's Links, point into src
// as given: a leading byte-order mark counts, and lines end at "\n", "\r\n"
// or a lone "\r", as CommonMark reads them. An arXiv id that an entry only
// names in its text ("arXiv:1409.1556"), when it links no arXiv paper,
// becomes its paper link https://arxiv.org/abs/ID, with no span. List.Links
// holds every arXiv and GitHub link of src (in links, bare URLs, HTML
// blocks, and "arXiv:ID" in text, whose URL is the text as written) and
// every link to a paper page (doi.org, publishers, OpenReview, …), in
// source order, marked InEntry when an entry links the same id or page.
//
// The error cases are input larger than MaxSize, input that is not UTF-8
// text, input nested deeper than MaxDepth or too heavy to parse within a
// second and 100 MB (see checkNesting), and a block goldmark would read in
// quadratic time or unbounded memory (see checkBlocks).
func Parse(src []byte, source string) (*paperlist.List, error) {
	return ParseContext(context.Background(), src, source)
}

// ParseContext is Parse that ends when ctx is done: the reader checks ctx
// between the blocks of the document, and returns ctx's error.
func ParseContext(ctx context.Context, src []byte, source string) (*paperlist.List, error) {
	return parse(ctx, src, source, chunkSize, false)
}

// parse is ParseContext reading the document in chunks of about chunk
// bytes (see chunkBounds); 0 reads it as one tree. owned says that src is
// given away: nothing changes it after, so the text of the list can be
// slices of it rather than of a copy, and the list is not held twice
// while it is read.
func parse(ctx context.Context, src []byte, source string, chunk int, owned bool) (*paperlist.List, error) {
	if len(src) > MaxSize {
		return nil, fmt.Errorf("list is %d bytes, more than the limit of %d", len(src), MaxSize)
	}
	if !utf8.Valid(src) {
		return nil, fmt.Errorf("list is not UTF-8 text (invalid byte on line %d)", invalidUTF8Line(src))
	}
	// The mark is dropped for goldmark, and the offsets of what is read
	// are moved back by its length, so that spans point into src.
	base := 0
	body := src
	if bytes.HasPrefix(src, bom) {
		base, body = len(bom), src[len(bom):]
	}
	body = loneCRToLF(body)
	if err := checkNesting(body); err != nil {
		return nil, err
	}
	if err := checkBlocks(body); err != nil {
		return nil, err
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	var r *reader
	if owned {
		r = newReaderOf(body, unsafe.String(unsafe.SliceData(body), len(body)), base)
	} else {
		r = newReader(body, base)
	}
	r.ctx = ctx
	if err := r.readChunks(chunk); err != nil {
		if ctx.Err() != nil {
			return nil, err
		}
		return nil, fmt.Errorf("read markdown: %w", err)
	}
	l := paperlist.NewList(r.title, source, keepTitleOnly(r.entries))
	l.Links = r.sourceLinks(l)
	return l, nil
}

// loneCRToLF returns src with every carriage return that is not followed by
// a line feed replaced by a line feed, copying src only when it has one. The
// length does not change, so offsets into the result are offsets into src,
// and lines counted at "\n" are the lines CommonMark counts in src.
func loneCRToLF(src []byte) []byte {
	var out []byte
	for i := bytes.IndexByte(src, '\r'); i >= 0 && i < len(src); {
		if i+1 == len(src) || src[i+1] != '\n' {
			if out == nil {
				out = bytes.Clone(src)
			}
			out[i] = '\n'
		}
		j := bytes.IndexByte(src[i+1:], '\r')
		if j < 0 {
			break
		}
		i += 1 + j
	}
	if out == nil {
		return src
	}
	return out
}

// reader collects the title, entries and links of one document.
type reader struct {
	src []byte // what goldmark parsed
	// srcStr is src as a string, of which the text read is substrings.
	srcStr     string
	base       int // the offset of src in the bytes given to Parse
	lineStarts []int
	// firstLine is the number of lines before src in the source, for a
	// reader over an HTML block.
	firstLine int
	// shifts are, for a reader over an HTML block, how far the text of
	// each line was moved left (see outdent).
	shifts   []int
	title    string
	hasTitle bool
	section  string
	// path is the path of headings above the block read, the outermost
	// first, with their levels in levels.
	path   []string
	levels []int
	// news is set under a heading of news and updates, whose items are
	// announcements, not entries.
	news    bool
	entries []paperlist.RawEntry
	// plainItems are list items that were not entries but whose text can
	// be the title of entries nested in them.
	plainItems map[ast.Node]plainItem
	// defs are the offsets of the link reference definitions by
	// normalised label, the first of each label, as CommonMark resolves
	// them.
	defs map[string]int
	// links are the arXiv and GitHub links of the document.
	links []sourceLink
	// classes are what the links and autolinks of the document whose
	// targets collect parsed link, by node.
	classes map[ast.Node]linkClass
	// usedHTML are the HTML blocks whose links an entry has read.
	usedHTML map[ast.Node]bool
	// toks is the array that item, paragraph and fieldList reuse for
	// each block's tokens, and groups the one for its entries.
	toks   []token
	groups [][]token
	// inHTML is set on a reader over an HTML block.
	inHTML bool
	// titleOnlyOK is set while a block that may be a title-only entry is
	// read: a list item with no list in it, outside a section about the
	// list itself (see isMetaHeading).
	titleOnlyOK bool
	// meta is set under a heading about the list itself.
	meta bool
	// entryPages are the paper pages linked in entries.
	entryPages map[string]bool
	// ctx ends the read when done.
	ctx context.Context
	// usedPara are the paragraphs a heading entry has read.
	usedPara map[ast.Node]bool
}

type plainItem struct {
	title string
	line  int
}

func newReader(src []byte, base int) *reader {
	return newReaderOf(src, string(src), base)
}

// newReaderOf is newReader with srcStr, src as a string, given.
func newReaderOf(src []byte, srcStr string, base int) *reader {
	return &reader{
		src: src, srcStr: srcStr, base: base, lineStarts: lineStarts(src),
		plainItems: make(map[ast.Node]plainItem),
		defs:       make(map[string]int),
		usedHTML:   make(map[ast.Node]bool),
		usedPara:   make(map[ast.Node]bool),
		ctx:        context.Background(),
		entryPages: make(map[string]bool),
	}
}

func (r *reader) visit(n ast.Node, entering bool) (ast.WalkStatus, error) {
	if !entering {
		return ast.WalkContinue, nil
	}
	if n.Parent() != nil && n.Parent().Kind() == ast.KindDocument {
		// Between blocks: a signal ends a long read.
		if err := r.ctx.Err(); err != nil {
			return ast.WalkStop, err
		}
	}
	if _, heading := n.(*ast.Heading); r.news && !heading {
		// A news section announces papers ("[2024/06/07] X has been
		// released… Paper: [X](…)"); its links stay in List.Links.
		return ast.WalkSkipChildren, nil
	}
	switch n := n.(type) {
	case *ast.Heading:
		t := paperlist.FoldSpace(r.text(n, false))
		switch {
		case n.Level == 1 && !r.hasTitle:
			r.title, r.hasTitle = t, true
		case r.headingEntry(n):
			// "#### [A Paper Title](https://arxiv.org/abs/ID)": the heading
			// is an entry, under the section of the heading above it.
		default:
			r.enterSection(n.Level, sectionName(t))
		}
		return ast.WalkSkipChildren, nil
	case *ast.List:
		if r.fieldList(n) {
			return ast.WalkSkipChildren, nil
		}
	case *ast.ListItem:
		r.item(n)
	case *ast.Paragraph:
		if isTopLevel(n) && !r.usedPara[n] {
			r.paragraph(n)
		}
		return ast.WalkSkipChildren, nil
	case *ast.HTMLBlock:
		// A block left in an HTML block (a tag that blankTags could not
		// blank) is not read again.
		if !r.usedHTML[n] && !r.inHTML {
			r.htmlEntries(n)
		}
		return ast.WalkSkipChildren, nil
	default:
		if isTable(n) {
			r.table(n)
			return ast.WalkSkipChildren, nil
		}
	}
	return ast.WalkContinue, nil
}

// span returns the span of src[start:end] in the bytes given to Parse.
func (r *reader) span(start, end int) paperlist.Span {
	if r.shifts != nil {
		line := sort.Search(len(r.lineStarts), func(i int) bool { return r.lineStarts[i] > start }) - 1
		if line >= 0 && line < len(r.shifts) {
			start, end = start+r.shifts[line], end+r.shifts[line]
		}
	}
	return paperlist.Span{Start: start + r.base, End: end + r.base}
}

// lineAt is the 1-based line of the byte at offset off of src.
func (r *reader) lineAt(off int) int {
	if off < 0 {
		return 1
	}
	return r.firstLine + sort.Search(len(r.lineStarts), func(i int) bool { return r.lineStarts[i] > off })
}

// nodeStart is the offset of the first byte of a block, or -1.
func nodeStart(n ast.Node) int {
	if p := n.Pos(); p >= 0 {
		return p
	}
	if n.Type() == ast.TypeBlock && n.Lines().Len() > 0 {
		return n.Lines().At(0).Start
	}
	for c := n.FirstChild(); c != nil; c = c.NextSibling() {
		if p := nodeStart(c); p >= 0 {
			return p
		}
	}
	return -1
}

// lineStarts returns the byte offset of the start of every line of src.
func lineStarts(src []byte) []int {
	starts := make([]int, 1, 1+bytes.Count(src, []byte("\n")))
	for i := 0; ; {
		j := bytes.IndexByte(src[i:], '\n')
		if j < 0 {
			return starts
		}
		i += j + 1
		starts = append(starts, i)
	}
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

// isTopLevel reports whether a paragraph stands on its own: in the document
// or a block quote, not in a list item or table.
func isTopLevel(n ast.Node) bool {
	switch n.Parent().(type) {
	case *ast.Document, *ast.Blockquote:
		return true
	}
	return false
}
