package markdown

import (
	"bytes"
	"strings"

	"github.com/paperlist/paperlist"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/util"
)

// token is a piece of an entry's text: plain text, a line break, bold or
// italic text, or a link.
type token struct {
	kind tokenKind
	text string // the text, or a link's label
	// dest is a link's target; for bold or italic text, the target of the
	// first link in it (link is then set).
	dest string
	link bool
	// span is where dest is written in the source; zero when unknown.
	span paperlist.Span
	// image is set on a link whose label is an image only (a badge).
	image bool
	// pos is the offset of the token in the parsed source, -1 if unknown.
	pos int
	// role is what the table column of the token holds, if any.
	role columnRole
	// arxiv and repo say whether dest links an arXiv paper or a GitHub
	// repository (see classify).
	arxiv, repo bool
}

// classify sets t.arxiv and t.repo from t.dest, once per token.
func (t token) classify() token {
	t.arxiv, t.repo = isArxivLink(t.dest), isRepoLink(t.dest)
	return t
}

// with sets the target of t, its span and what it links from li.
func (t token) with(li linkInfo) token {
	t.dest, t.span, t.arxiv, t.repo = li.dest, li.span, li.arxiv, li.repo
	return t
}

type tokenKind int

const (
	tokText tokenKind = iota
	tokBreak
	tokBold
	tokItalic
	tokLink
)

// tokens appends the tokens of the inline content of n to toks.
func (r *reader) tokens(n ast.Node, toks []token) []token {
	for c := n.FirstChild(); c != nil; c = c.NextSibling() {
		switch c := c.(type) {
		case *ast.Text:
			toks = append(toks, token{kind: tokText, text: r.textValue(c), pos: c.Segment.Start})
			if c.SoftLineBreak() || c.HardLineBreak() {
				toks = append(toks, token{kind: tokBreak, pos: c.Segment.Stop})
			}
		case *ast.String:
			toks = append(toks, token{kind: tokText, text: r.str(c.Value), pos: -1})
		case *ast.CodeSpan:
			toks = append(toks, token{kind: tokText, text: r.text(c, false), pos: nodeStart(c)})
		case *ast.Emphasis:
			// "**[link](…)**" is a labelled link in bold, not a title.
			if l, ok := c.FirstChild().(*ast.Link); ok && c.FirstChild() == c.LastChild() && isLabel(linkLabel(r.text(l, true))) {
				t := token{kind: tokLink, text: r.text(l, true), pos: l.Pos()}
				toks = append(toks, t.with(r.link(l)))
				continue
			}
			t := token{kind: tokItalic, text: r.text(c, false), pos: nodeStart(c)}
			if c.Level >= 2 {
				t.kind = tokBold
			}
			if l := firstLink(c); l != nil {
				t.link = true
				t = t.with(r.link(l))
			}
			toks = append(toks, t)
		case *ast.Link:
			t := token{kind: tokLink, text: r.text(c, true), pos: c.Pos(), image: r.isImageOnly(c)}
			toks = append(toks, t.with(r.link(c)))
		case *ast.AutoLink:
			li := r.autoLinkInfo(c)
			toks = append(toks, token{kind: tokLink, text: li.dest, pos: li.pos}.with(li))
		case *ast.RawHTML:
			if r.isBreak(c) {
				toks = append(toks, token{kind: tokBreak, pos: -1})
			}
		case *ast.Image:
			// A badge is neither a title nor a link.
		default:
			toks = r.tokens(c, toks)
		}
	}
	return toks
}

// isImageOnly reports whether a link's label is images and space only.
func (r *reader) isImageOnly(l *ast.Link) bool {
	seen := false
	for c := l.FirstChild(); c != nil; c = c.NextSibling() {
		switch c := c.(type) {
		case *ast.Image:
			seen = true
		case *ast.Text:
			if len(bytes.TrimSpace(c.Segment.Value(r.src))) > 0 {
				return false
			}
		default:
			return false
		}
	}
	return seen
}

// text returns the text of the inline content of n, with line breaks as
// spaces; images count by their alt text only when withImages is set.
func (r *reader) text(n ast.Node, withImages bool) string {
	// Most labels and emphases are one text, which needs no copy.
	if c, ok := n.FirstChild().(*ast.Text); ok && c.NextSibling() == nil && !c.SoftLineBreak() && !c.HardLineBreak() {
		return r.textValue(c)
	}
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
		case *ast.AutoLink:
			b.Write(c.Label(r.src))
		case *ast.Image:
			if withImages {
				r.writeText(b, c, withImages)
			}
		case *ast.RawHTML:
			if r.isBreak(c) {
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
		return r.str(v)
	}
	return r.str(unescape(v))
}

// str returns b as a string: a substring of srcStr when b is a slice of
// src, as most text of the syntax tree is, else a copy.
func (r *reader) str(b []byte) string {
	if len(b) == 0 {
		return ""
	}
	if off := cap(r.src) - cap(b); off >= 0 && off+len(b) <= len(r.src) && &r.src[off] == &b[0] {
		return r.srcStr[off : off+len(b)]
	}
	return string(b)
}

// isBreak reports whether inline HTML is a line break tag.
func (r *reader) isBreak(h *ast.RawHTML) bool {
	if h.Segments.Len() == 1 {
		seg := h.Segments.At(0)
		return isBreakTag(seg.Value(r.src))
	}
	return isBreakTag(h.Segments.Value(r.src))
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
func (r *reader) destination(d []byte) string {
	return strings.TrimSpace(r.str(unescape(d)))
}

func unescape(v []byte) []byte {
	if bytes.IndexByte(v, '\\') < 0 && bytes.IndexByte(v, '&') < 0 {
		return v
	}
	return util.ResolveEntityNames(util.ResolveNumericReferences(util.UnescapePunctuations(v)))
}

func isBreakTag(html []byte) bool {
	h := bytes.TrimSpace(html)
	return len(h) >= 3 && h[0] == '<' && h[1]|0x20 == 'b' && h[2]|0x20 == 'r' &&
		(len(h) == 3 || h[3] == ' ' || h[3] == '\t' || h[3] == '\n' || h[3] == '/' || h[3] == '>')
}
