package markdown

import (
	"bytes"
	"regexp"
	"slices"
	"strings"

	"github.com/paperlist/paperlist"
	"github.com/yuin/goldmark/ast"
	east "github.com/yuin/goldmark/extension/ast"
	"github.com/yuin/goldmark/text"
)

// htmlAnchor finds an HTML link: <a href="URL">label</a>.
var htmlAnchor = regexp.MustCompile(`(?is)<a\s[^>]*?\bhref\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>"']+))[^>]*>(.*?)</a\s*>`)

// htmlTokens returns the tokens of the links and text of an HTML block.
// CommonMark does not read markdown inside an HTML block, but lists write
// their links there all the same (<div align="center"> [[📖 Paper](…)]
// </div>): the block is read as markdown with its tags blanked out, and
// its HTML links (<a href="…">) are read too. Comments, <pre>, <script> and
// <style> blocks are not read.
func (r *reader) htmlTokens(n *ast.HTMLBlock) []token {
	sub, doc, start := r.htmlDocument(n)
	if sub == nil {
		return nil
	}
	raw := r.src[start : start+len(sub.src)]
	var toks []token
	ast.Walk(doc, func(c ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch c.(type) {
		case *ast.Paragraph, *ast.TextBlock, *ast.Heading, *east.TableCell:
			if len(toks) > 0 {
				toks = append(toks, token{kind: tokBreak, pos: -1})
			}
			toks = sub.tokens(c, toks)
			return ast.WalkSkipChildren, nil
		}
		return ast.WalkContinue, nil
	})
	for _, m := range htmlAnchor.FindAllSubmatchIndex(raw, -1) {
		a, b := m[2], m[3]
		if a < 0 {
			a, b = m[4], m[5]
		}
		if a < 0 {
			a, b = m[6], m[7]
		}
		label := string(bytes.TrimSpace(blankTags(raw[m[8]:m[9]])))
		dest := strings.TrimSpace(string(unescape(raw[a:b])))
		t := token{kind: tokLink, text: label, dest: dest, pos: m[0]}
		if string(raw[a:b]) == dest {
			t.span = paperlist.Span{Start: r.base + start + a, End: r.base + start + b}
		}
		t.image = label == "" && bytes.Contains(bytes.ToLower(raw[m[8]:m[9]]), []byte("<img"))
		toks = append(toks, t.classify())
	}
	for i := range toks {
		if toks[i].pos >= 0 {
			toks[i].pos += start
		}
	}
	return toks
}

// htmlDocument parses an HTML block, its tags blanked out, as a markdown
// document of its own, and returns a reader over it, the document and the
// block's offset; a nil reader for blocks that are not read.
func (r *reader) htmlDocument(n *ast.HTMLBlock) (*reader, ast.Node, int) {
	switch n.HTMLBlockType {
	case ast.HTMLBlockType1, ast.HTMLBlockType2, ast.HTMLBlockType3, ast.HTMLBlockType4, ast.HTMLBlockType5:
		return nil, nil, 0
	}
	lines := n.Lines()
	if lines.Len() == 0 {
		return nil, nil, 0
	}
	start, end := lines.At(0).Start, lines.At(lines.Len()-1).Stop
	if n.HasClosure() && n.ClosureLine.Stop > end {
		end = n.ClosureLine.Stop
	}
	if start < 0 || end > len(r.src) || start >= end {
		return nil, nil, 0
	}
	blank, shifts := outdent(blankTags(r.src[start:end]))
	// The blanked block has the block's lines and their lengths, so a
	// reader over it with the block's base and the shifts of its lines
	// places its spans in the original source.
	sub := newReader(blank, r.base+start)
	sub.ctx, sub.entryPages = r.ctx, r.entryPages
	sub.defs, sub.firstLine, sub.section, sub.shifts, sub.inHTML = r.defs, r.lineAt(start)-1, r.section, shifts, true
	sub.path, sub.levels, sub.news, sub.meta = slices.Clone(r.path), slices.Clone(r.levels), r.news, r.meta
	return sub, mdParser.Parse(text.NewReader(blank)), start
}

// htmlEntries reads the entries of an HTML block that no list item holds:
// a table or list wrapped in <div> or <details>, or directly after a tag
// line, which CommonMark reads as part of the HTML block.
func (r *reader) htmlEntries(n *ast.HTMLBlock) {
	sub, doc, _ := r.htmlDocument(n)
	if sub == nil {
		return
	}
	if err := ast.Walk(doc, sub.visit); err != nil {
		return
	}
	r.entries = append(r.entries, sub.entries...)
	r.section, r.path, r.levels, r.news, r.meta = sub.section, sub.path, sub.levels, sub.news, sub.meta
}

// blankTags returns a copy of html with every tag replaced by spaces, line
// ends kept, so that offsets and lines stay as they are; a tag without its
// '>' is blanked to the end of its line.
func blankTags(html []byte) []byte {
	out := bytes.Clone(html)
	for i := 0; i < len(out); i++ {
		if out[i] != '<' || i+1 == len(out) {
			continue
		}
		c := out[i+1]
		if !(c == '/' || c == '!' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z') {
			continue
		}
		j := bytes.IndexByte(out[i:], '>')
		if j < 0 {
			// A tag that never ends is blanked to the end of its line.
			if j = bytes.IndexByte(out[i:], '\n'); j < 0 {
				j = len(out) - i - 1
			}
		}
		for k := i; k <= i+j; k++ {
			if out[k] != '\n' && out[k] != '\r' {
				out[k] = ' '
			}
		}
		i += j
	}
	return out
}

// outdent moves the white space that starts each line of b to the line's
// end, so that a tag line blanked by blankTags does not turn the text after
// it into an indented code block; lengths and lines are kept. It returns
// the result and, per line, how far its text moved left.
func outdent(b []byte) ([]byte, []int) {
	var shifts []int
	for i := 0; i <= len(b); {
		end := bytes.IndexByte(b[i:], '\n')
		if end < 0 {
			end = len(b)
		} else {
			end += i
		}
		line := b[i:end]
		if len(line) > 0 && line[len(line)-1] == '\r' {
			line = line[:len(line)-1]
		}
		lead := len(line) - len(bytes.TrimLeft(line, " \t"))
		if lead > 0 && lead < len(line) {
			text := bytes.Clone(line[lead:])
			copy(line, text)
			for k := len(text); k < len(line); k++ {
				line[k] = ' '
			}
		} else {
			lead = 0
		}
		shifts = append(shifts, lead)
		i = end + 1
	}
	return b, shifts
}
