package markdown

import (
	"github.com/yuin/goldmark/ast"
)

// item reads one list item and records the entries it holds.
func (r *reader) item(li *ast.ListItem) {
	// The tokens are not kept past this call, so every item reuses the
	// array of the one before.
	toks := r.toks[:0]
	defer func() { r.toks = toks[:0] }()
	add := func(more []token) {
		if len(more) == 0 {
			return
		}
		if len(toks) > 0 {
			toks = append(toks, token{kind: tokBreak, pos: -1})
		}
		toks = append(toks, more...)
	}
	for c := li.FirstChild(); c != nil; c = c.NextSibling() {
		switch c := c.(type) {
		case *ast.Paragraph, *ast.TextBlock:
			// The block's tokens are appended in place, after a line
			// break that is dropped again when the block has none.
			n := len(toks)
			if n > 0 {
				toks = append(toks, token{kind: tokBreak, pos: -1})
			}
			if more := r.tokens(c, toks); len(more) == len(toks) {
				toks = toks[:n]
			} else {
				toks = more
			}
		case *ast.HTMLBlock:
			r.usedHTML[c] = true
			add(r.htmlTokens(c))
		}
	}
	// An HTML block right after the last item of a list, not indented
	// under it, still belongs to it: "<div>" ends a list item's paragraph.
	if li.NextSibling() == nil {
		if h, ok := li.Parent().NextSibling().(*ast.HTMLBlock); ok && !r.usedHTML[h] {
			r.usedHTML[h] = true
			add(r.htmlTokens(h))
		}
	}
	line := r.lineAt(nodeStart(li))
	r.titleOnlyOK = !r.meta && !hasList(li)
	defer func() { r.titleOnlyOK = false }()
	groups := splitEntries(toks, r.groups[:0])
	defer func() { r.groups = clear0(groups) }()
	for gi, g := range groups {
		e, ok := r.entry(g, blockEntry)
		gline := line
		if gi > 0 {
			gline = r.lineAt(firstPos(g))
		}
		if !ok {
			if gi == 0 {
				if t := plainTitle(g); t != "" {
					r.plainItems[li] = plainItem{title: t, line: line}
				}
			}
			continue
		}
		if gi == 0 && e.Title == "" {
			if parent, ok := r.plainItems[outerItem(li)]; ok {
				e.Title, gline = parent.title, parent.line
			}
		}
		e.Section, e.SectionPath, e.Line = r.section, r.sectionPath(), gline
		r.entries = append(r.entries, e)
	}
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

// firstPos is the offset of the first token with one, or -1.
func firstPos(toks []token) int {
	for _, t := range toks {
		if t.pos >= 0 {
			return t.pos
		}
	}
	return -1
}

// splitEntries splits the tokens of one block into the entries it holds. A
// line that starts with bold text starts a new entry when the lines before
// it link a paper and it, with the lines up to the next such line, links a
// paper too: markdown glues a paragraph onto the list item above it, and
// writes entries separated by line breaks only as one paragraph.
//
// The groups are appended to groups, whose array the caller may reuse.
func splitEntries(toks []token, groups [][]token) [][]token {
	var starts []int
	for i := range toks {
		if i > 0 && toks[i-1].kind == tokBreak && toks[i].kind == tokBold && !isReferenceNumber(toks[i].text) {
			starts = append(starts, i)
		}
	}
	if len(starts) == 0 {
		return append(groups, toks)
	}
	starts = append(starts, len(toks))
	from := 0
	for k := 0; k < len(starts)-1; k++ {
		at, next := starts[k], starts[k+1]
		if linksPaper(toks[from:at]) && linksPaper(toks[at:next]) {
			groups = append(groups, toks[from:at])
			from = at
		}
	}
	return append(groups, toks[from:])
}

// linksPaper reports whether tokens hold a paper link: one labelled as
// such, or one to an arXiv paper.
func linksPaper(toks []token) bool {
	for i := range toks {
		t := &toks[i]
		if t.kind == tokLink && (paperLabels[linkLabel(t.text)] || t.arxiv) ||
			t.kind == tokBold && t.link && t.arxiv {
			return true
		}
	}
	return false
}

// clear0 empties groups, dropping what it points to, for reuse.
func clear0(groups [][]token) [][]token {
	clear(groups)
	return groups[:0]
}

// hasList reports whether a list item holds a list: its text then heads
// the entries under it rather than being one.
func hasList(li *ast.ListItem) bool {
	for c := li.FirstChild(); c != nil; c = c.NextSibling() {
		if _, ok := c.(*ast.List); ok {
			return true
		}
	}
	return false
}
