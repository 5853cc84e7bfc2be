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
			toks = append(toks, token{kind: tokText, text: string(c.Value), pos: -1})
		case *ast.CodeSpan:
			toks = append(toks, token{kind: tokText, text: r.text(c, false), pos: nodeStart(c)})
		case *ast.Emphasis:
			// "**[link](…)**" is a labelled link in bold, not a title.
			if l, ok := c.FirstChild().(*ast.Link); ok && c.FirstChild() == c.LastChild() && isLabel(linkLabel(r.text(l, true))) {
				t := token{kind: tokLink, text: r.text(l, true), pos: l.Pos()}
				t.dest, t.span = r.linkTarget(l)
				toks = append(toks, t.classify())
				continue
			}
			t := token{kind: tokItalic, text: r.text(c, false), pos: nodeStart(c)}
			if c.Level >= 2 {
				t.kind = tokBold
			}
			if l := firstLink(c); l != nil {
				t.link = true
				t.dest, t.span = r.linkTarget(l)
				t = t.classify()
			}
			toks = append(toks, t)
		case *ast.Link:
			t := token{kind: tokLink, text: r.text(c, true), pos: c.Pos(), image: r.isImageOnly(c)}
			t.dest, t.span = r.linkTarget(c)
			toks = append(toks, t.classify())
		case *ast.AutoLink:
			u, span, pos := r.autoLink(c)
			toks = append(toks, token{kind: tokLink, text: u, dest: u, span: span, pos: pos}.classify())
		case *ast.RawHTML:
			if isBreakTag(r.rawHTML(c)) {
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
