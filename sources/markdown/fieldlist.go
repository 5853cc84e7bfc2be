package markdown

import (
	"regexp"
	"strings"

	"github.com/yuin/goldmark/ast"
)

// fieldLabel is the label of a field item: "Paper:", "Code:", "Project page:".
// The colon may be missing after a common field name: "Paper https://…".
var fieldLabel = regexp.MustCompile(`^\s*(\p{L}[\p{L} ]{0,24}?)\s*([:：]?)\s*$`)

// fieldNames are the field labels read without a colon.
var fieldNames = map[string]bool{
	"paper": true, "code": true, "homepage": true, "project": true, "project page": true,
	"github": true, "demo": true, "website": true, "pdf": true, "arxiv": true,
}

// fieldList reads a list whose items are all fields of one entry, under a
// title written just above it:
//
//	**Scaffold-GS: Structured 3D Gaussians for View-Adaptive Rendering**
//
//	- Homepage: https://city-super.github.io/scaffold-gs/
//	- Paper: https://arxiv.org/abs/2312.00109
//	- Code: https://github.com/city-super/Scaffold-GS
//
// Each field's label is its link's label. It reports false, reading
// nothing, when the list is not such a list.
func (r *reader) fieldList(list *ast.List) bool {
	var links []token
	for li := list.FirstChild(); li != nil; li = li.NextSibling() {
		c := li.FirstChild()
		if c == nil || c.NextSibling() != nil {
			return false
		}
		if _, ok := c.(*ast.Paragraph); !ok {
			if _, ok := c.(*ast.TextBlock); !ok {
				return false
			}
		}
		if !r.mayBeField(c) {
			return false
		}
		toks := r.tokens(c, r.toks[:0])
		r.toks = toks[:0]
		if len(toks) == 0 || toks[0].kind != tokText {
			return false
		}
		m := fieldLabel.FindStringSubmatch(toks[0].text)
		if m == nil || m[2] == "" && !fieldNames[strings.ToLower(m[1])] {
			return false
		}
		for _, t := range toks[1:] {
			switch {
			case t.kind == tokLink:
				t.text = m[1]
				links = append(links, t)
			case t.kind == tokBreak || strings.Trim(t.text, " \t.,;") == "" || isNone(t.text):
			default:
				return false
			}
		}
	}
	if len(links) == 0 {
		return false
	}
	title, line, ok := r.fieldTitle(list)
	if !ok {
		return false
	}
	toks := append([]token{{kind: tokBold, text: title, pos: -1}, {kind: tokBreak, pos: -1}}, links...)
	e, ok := r.entry(toks, blockEntry)
	if !ok {
		return false
	}
	e.Section, e.SectionPath, e.Line = r.section, r.sectionPath(), line
	r.entries = append(r.entries, e)
	return true
}

// fieldTitle is the title of a field list: the paragraph right above it,
// when that paragraph is not an entry itself and has no links.
func (r *reader) fieldTitle(list *ast.List) (string, int, bool) {
	p, ok := list.PreviousSibling().(*ast.Paragraph)
	if !ok {
		return "", 0, false
	}
	toks := r.tokens(p, r.toks[:0])
	r.toks = toks[:0]
	for _, t := range toks {
		if t.kind == tokLink {
			return "", 0, false
		}
	}
	title := cleanTitle(r.text(p, false))
	if title == "" {
		return "", 0, false
	}
	return title, r.lineAt(nodeStart(p)), true
}

// mayBeField reports whether the inline content of block c may start with
// a field label, before its tokens are read: content that starts with a
// link or emphasis, or with text that is not a label, is not a field.
func (r *reader) mayBeField(c ast.Node) bool {
	switch f := c.FirstChild().(type) {
	case *ast.Link, *ast.AutoLink, *ast.Emphasis:
		return false
	case *ast.Text:
		m := fieldLabel.FindStringSubmatch(r.textValue(f))
		return m != nil && (m[2] != "" || fieldNames[strings.ToLower(m[1])])
	}
	return true
}

func isNone(s string) bool {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "none", "null", "n/a", "-", "coming soon", "tbd":
		return true
	}
	return false
}
