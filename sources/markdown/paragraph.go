package markdown

import (
	"strings"

	"github.com/yuin/goldmark/ast"
)

// paragraph reads a paragraph that is not in a list item as entries: one
// that starts with a title (bold text, a reference number and a bold
// title, or a link), possibly several separated by line breaks only.
func (r *reader) paragraph(n *ast.Paragraph) {
	toks := r.tokens(n, r.toks[:0])
	defer func() { r.toks = toks[:0] }()
	if !startsWithTitle(toks) {
		return
	}
	groups := splitEntries(toks, r.groups[:0])
	defer func() { r.groups = clear0(groups) }()
	for _, g := range groups {
		if !startsWithTitle(g) {
			continue
		}
		e, ok := r.entry(g, blockEntry)
		if !ok {
			continue
		}
		e.Section, e.SectionPath, e.Line = r.section, r.sectionPath(), r.lineAt(firstPos(g))
		r.entries = append(r.entries, e)
	}
}

// startsWithTitle reports whether the first token with text is bold text or
// a link with words in it.
func startsWithTitle(toks []token) bool {
	for i, t := range toks {
		switch t.kind {
		case tokText:
			// "(WWW 2024) **Title** …": leading tokens come before the title.
			if strings.TrimSpace(t.text) != "" && (i > 0 || leadLen(t.text) < len(t.text)) {
				return false
			}
		case tokBold:
			return true
		case tokLink:
			return !t.image && isTitleLink(&t)
		case tokBreak:
		default:
			return false
		}
	}
	return false
}
