package markdown

import (
	"regexp"
	"slices"
	"strings"

	"github.com/yuin/goldmark/ast"
)

// enterSection makes the heading of the given level and text the section
// of the blocks after it: the headings of its level and deeper leave the
// path, and it joins it.
func (r *reader) enterSection(level int, text string) {
	for len(r.levels) > 0 && r.levels[len(r.levels)-1] >= level {
		r.levels, r.path = r.levels[:len(r.levels)-1], r.path[:len(r.path)-1]
	}
	r.levels, r.path = append(r.levels, level), append(r.path, text)
	r.section = text
	r.news = isNewsHeading(text)
	r.meta = isMetaHeading(text)
}

// backToTop is a link back to the table of contents that ends a heading:
// "Content Features [[Back to Top](#awesome-list)]", "Survey [⬆ back to top]".
var backToTop = regexp.MustCompile(`(?i)\s*[\[(]?\s*(?:⬆️?|↑|🔝)?\s*back to (?:top|contents|index|toc)\s*[\])]?\s*$`)

// sectionName is the name of a section as its heading's text gives it,
// without a link back to the top.
func sectionName(text string) string {
	if s := strings.TrimSpace(backToTop.ReplaceAllString(text, "")); s != "" {
		return s
	}
	return text
}

// sectionPath is a copy of the path of the block read, or nil.
func (r *reader) sectionPath() []string {
	if len(r.path) == 0 {
		return nil
	}
	return slices.Clone(r.path)
}

// headingEntry reads a heading that is one paper, "### [Title](arXiv
// link)", with the paragraph right under it (its venue, notes and code
// link), and reports whether it was one. A heading is an entry when it
// links, with words, an arXiv paper or a paper page.
func (r *reader) headingEntry(h *ast.Heading) bool {
	if r.news {
		return false
	}
	toks := r.tokens(h, r.toks[:0])
	defer func() { r.toks = toks[:0] }()
	paper := false
	for i := range toks {
		t := &toks[i]
		if (t.kind == tokLink || t.kind == tokBold && t.link) && (t.arxiv || isPaperPage(t.dest)) &&
			len(t.text) > 0 && (t.kind == tokBold || isTitleLink(t)) {
			paper = true
		}
	}
	if !paper {
		return false
	}
	if p, ok := h.NextSibling().(*ast.Paragraph); ok {
		r.usedPara[p] = true
		toks = append(toks, token{kind: tokBreak, pos: -1})
		toks = r.tokens(p, toks)
	}
	e, ok := r.entry(toks, blockEntry)
	if !ok {
		return false
	}
	e.Section, e.SectionPath, e.Line = r.section, r.sectionPath(), r.lineAt(nodeStart(h))
	r.entries = append(r.entries, e)
	return true
}
