package markdown

import (
	"bytes"
	"regexp"
	"slices"
	"sort"
	"strings"
	"unicode"

	"github.com/paperlist/paperlist"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/util"
)

// sourceLink is an arXiv or GitHub link found in the document, at offset
// pos of the parsed source.
type sourceLink struct {
	paperlist.SourceLink
	pos int
}

// collect reads what the entries need from the whole document before they
// are read: the link reference definitions, and every arXiv and GitHub link
// (links, autolinks, the links of HTML blocks, and arXiv ids named in text).
func (r *reader) collect(doc ast.Node) {
	links, first := 0, len(r.links)
	ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch n := n.(type) {
		case *ast.Link:
			if mayMatter(n.Destination) {
				links++
			}
		case *ast.AutoLink:
			if mayMatter(n.URL(r.src)) {
				links++
			}
		case *ast.LinkReferenceDefinition:
			r.addDef(n)
		case *ast.HTMLBlock:
			for _, t := range r.htmlTokens(n) {
				if t.kind == tokLink {
					r.addLink(t.dest, t.span, t.pos)
				} else if t.kind == tokText {
					r.addTextIDs(t.text, t.pos)
				}
			}
			return ast.WalkSkipChildren, nil
		}
		return ast.WalkContinue, nil
	})
	// Links use the definitions, so they are read in a second pass.
	r.classes = make(map[ast.Node]linkClass, links)
	r.links = slices.Grow(r.links, links)
	ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch n := n.(type) {
		case *ast.Link:
			li := r.link(n)
			r.keepClass(n, li)
			r.addLinkInfo(li, n.Pos())
		case *ast.AutoLink:
			li := r.autoLinkInfo(n)
			r.keepClass(n, li)
			r.addLinkInfo(li, li.pos)
		case *ast.Text:
			if v := n.Segment.Value(r.src); containsFold(v, "arxiv") && !isInLink(n) {
				r.addTextIDs(r.str(v), n.Segment.Start)
			}
		case *ast.CodeBlock, *ast.FencedCodeBlock, *ast.HTMLBlock:
			return ast.WalkSkipChildren, nil
		}
		return ast.WalkContinue, nil
	})
	// The links of a chunk of the document follow those of the chunks
	// before it.
	added := r.links[first:]
	sort.SliceStable(added, func(i, j int) bool { return added[i].pos < added[j].pos })
}

// addDefs records the link reference definitions of doc.
func (r *reader) addDefs(doc ast.Node) {
	ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if d, ok := n.(*ast.LinkReferenceDefinition); ok && entering {
			r.addDef(d)
		}
		return ast.WalkContinue, nil
	})
}

// addDef records where a definition is, unless its label has one.
func (r *reader) addDef(d *ast.LinkReferenceDefinition) {
	k := string(util.ToLinkReference(d.Label))
	if _, ok := r.defs[k]; !ok {
		r.defs[k] = d.Pos()
	}
}

func isInLink(n ast.Node) bool {
	for p := n.Parent(); p != nil; p = p.Parent() {
		switch p.(type) {
		case *ast.Link, *ast.AutoLink:
			return true
		}
	}
	return false
}

// addLink records dest when it is an arXiv or GitHub link.
func (r *reader) addLink(dest string, span paperlist.Span, pos int) {
	li := classifyDest(dest)
	li.dest, li.span = dest, span
	r.addLinkInfo(li, pos)
}

// addLinkInfo records a link when it is an arXiv or GitHub link.
func (r *reader) addLinkInfo(li linkInfo, pos int) {
	l := sourceLink{pos: pos}
	l.ID, l.Kind = li.arxivID, paperlist.LinkArxiv
	if l.ID == "" && li.github {
		l.ID, l.Kind = li.repoID, paperlist.LinkGitHub
	}
	if l.ID == "" && !li.github && isPaperPage(li.dest) {
		l.ID, l.Kind = li.dest, paperlist.LinkPaper
	}
	if l.ID == "" {
		return
	}
	l.Line, l.URL, l.Span = r.lineAt(pos), li.dest, li.span
	r.links = append(r.links, l)
}

// linkInfo is what is read from a link once: its target and the target's
// span, and whether it links an arXiv paper or a GitHub repository.
type linkInfo struct {
	dest string
	span paperlist.Span
	// pos is the offset of an autolink (see autoLink).
	pos int
	// arxivID and repoID are the ids paperlist.ParseArxivURL and
	// paperlist.ParseGitHubURL read from dest, when dest names a host they
	// read (github is set when it names github.com); arxiv and repo say
	// whether they read one.
	arxivID, repoID string
	arxiv, repo     bool
	github          bool
}

// classifyDest reads the arXiv id and GitHub repository of a link target.
// Most links do not mention a host that can link either, and are not
// parsed.
func classifyDest(dest string) linkInfo {
	var li linkInfo
	if mayLinkArxiv(dest) {
		li.arxivID, _, li.arxiv = paperlist.ParseArxivURL(dest)
	}
	if li.github = containsFold(dest, "github.com"); li.github {
		li.repoID, li.repo = paperlist.ParseGitHubURL(dest)
	}
	return li
}

// linkClass is what a link links, as collect read it.
type linkClass struct{ arxiv, repo bool }

// keepClass keeps what a link of the document links, when finding it took
// parsing its target (see classifyDest), for the entries that read it.
func (r *reader) keepClass(n ast.Node, li linkInfo) {
	if li.github || mayLinkArxiv(li.dest) {
		r.classes[n] = linkClass{li.arxiv, li.repo}
	}
}

// classify returns li with what its target links, from what collect kept
// for node n or else from the target.
func (r *reader) classify(n ast.Node, li linkInfo) linkInfo {
	if c, ok := r.classes[n]; ok {
		li.arxiv, li.repo = c.arxiv, c.repo
		return li
	}
	c := classifyDest(li.dest)
	c.dest, c.span, c.pos = li.dest, li.span, li.pos
	return c
}

// link returns what is read from a link. Its target is parsed once per
// link of the document: collect keeps what it links.
func (r *reader) link(l *ast.Link) linkInfo {
	dest, span := r.linkTarget(l)
	return r.classify(l, linkInfo{dest: dest, span: span})
}

// autoLinkInfo returns what is read from an autolink, as link does.
func (r *reader) autoLinkInfo(n *ast.AutoLink) linkInfo {
	u, span, pos := r.autoLink(n)
	return r.classify(n, linkInfo{dest: u, span: span, pos: pos})
}

// mayMatter reports whether a link target may link an arXiv paper, a
// GitHub repository or a paper page.
func mayMatter(dest []byte) bool {
	return containsFold(dest, "github.com") || containsFold(dest, "arxiv") || containsFold(dest, "huggingface.co") ||
		containsFold(dest, "hf.co") || containsFold(dest, "doi.org") || isPaperPage(string(dest))
}

// textArxivID finds an arXiv id named in text: "arXiv:1412.6550",
// "arXiv preprint arXiv:1409.1556", "arXiv 2106.09685".
var textArxivID = regexp.MustCompile(`(?i)\barxiv(?:\s+preprint)?(?:\s*:\s*|\s+(?:arxiv\s*:\s*)?)((?:\d{4}\.\d{4,5}|[a-z][a-z-]*(?:\.[A-Z]{2})?/\d{7})(?:v\d+)?)\b`)

// addTextIDs records the arXiv ids named in text that starts at pos.
func (r *reader) addTextIDs(text string, pos int) {
	if !containsFold(text, "arxiv") {
		return
	}
	for _, m := range textArxivID.FindAllStringSubmatchIndex(text, -1) {
		id, _, ok := paperlist.SplitArxivID(text[m[2]:m[3]])
		if !ok {
			continue
		}
		l := sourceLink{pos: pos + m[0]}
		l.Kind, l.ID, l.URL, l.Line = paperlist.LinkArxiv, id, text[m[0]:m[1]], r.lineAt(pos+m[0])
		if pos >= 0 && pos+m[1] <= len(r.src) && string(r.src[pos+m[0]:pos+m[1]]) == l.URL {
			l.Span = r.span(pos+m[0], pos+m[1])
		}
		r.links = append(r.links, l)
	}
}

// textIDs returns the arXiv ids named in text.
func textIDs(text string) []string {
	if !containsFold(text, "arxiv") {
		return nil
	}
	var ids []string
	for _, m := range textArxivID.FindAllStringSubmatch(text, -1) {
		if id, _, ok := paperlist.SplitArxivID(m[1]); ok {
			ids = append(ids, id)
		}
	}
	return ids
}

// sourceLinks returns the document's links marked with whether an entry of
// l holds them.
func (r *reader) sourceLinks(l *paperlist.List) []paperlist.SourceLink {
	ids, repos, pages := map[string]bool{}, map[string]bool{}, map[string]bool{}
	for _, p := range l.Papers {
		if p.PaperURL != "" {
			pages[p.PaperURL] = true
		}
		if p.ArxivID != "" {
			ids[p.ArxivID] = true
		}
		if p.Repo != "" {
			repos[paperlist.RepoKey(p.Repo)] = true
		}
	}
	out := make([]paperlist.SourceLink, len(r.links))
	for i, sl := range r.links {
		out[i] = sl.SourceLink
		switch sl.Kind {
		case paperlist.LinkArxiv:
			out[i].InEntry = ids[sl.ID]
		case paperlist.LinkGitHub:
			out[i].InEntry = repos[paperlist.RepoKey(sl.ID)]
		case paperlist.LinkPaper:
			out[i].InEntry = pages[strings.TrimSpace(sl.ID)] || r.entryPages[sl.URL]
		}
	}
	return out
}

// linkTarget returns a link's target, escapes resolved, and the span of the
// target as written: between the parentheses of an inline link, or in the
// definition of a reference link. The span is zero when the target cannot
// be found as written (goldmark normalises nothing else, so this is only for
// targets it built itself).
func (r *reader) linkTarget(l *ast.Link) (string, paperlist.Span) {
	dest := r.destination(l.Destination)
	raw := l.Destination
	if len(bytes.TrimSpace(raw)) == 0 {
		return dest, paperlist.Span{}
	}
	var span paperlist.Span
	if l.Reference != nil {
		def, ok := r.defs[string(util.ToLinkReference(l.Reference.Value))]
		if !ok {
			return dest, paperlist.Span{}
		}
		span = r.findTarget(def, raw, "]:")
	} else {
		span = r.findTarget(labelEnd(l), raw, "](")
	}
	if span.IsZero() {
		return dest, span
	}
	// The target is trimmed of the white space CommonMark leaves in it
	// ("\v", "\f"), and so is its span.
	trimmed := bytes.TrimLeftFunc(raw, unicode.IsSpace)
	span.Start += len(raw) - len(trimmed)
	span.End -= len(trimmed) - len(bytes.TrimRightFunc(trimmed, unicode.IsSpace))
	return dest, span
}

// labelEnd is an offset at or before the end of a link's label: the end of
// its last text, or the link's start.
func labelEnd(n ast.Node) int {
	end := n.Pos()
	ast.Walk(n, func(c ast.Node, entering bool) (ast.WalkStatus, error) {
		if t, ok := c.(*ast.Text); ok && entering && t.Segment.Stop > end {
			end = t.Segment.Stop
		}
		return ast.WalkContinue, nil
	})
	return end
}

// findTarget finds raw after an opener ("](" or "]:") at or after from,
// past white space and an opening angle bracket, and returns its span; zero
// when it is not there. The first opener followed by raw is taken, so that
// the target of a badge inside a link's label is passed over.
func (r *reader) findTarget(from int, raw []byte, opener string) paperlist.Span {
	if from < 0 || from > len(r.src) {
		return paperlist.Span{}
	}
	// The target is on the line of its opener or, for a definition, the
	// next one; a link's label spans a paragraph at most.
	limit := min(len(r.src), from+64<<10)
	for from < limit {
		i := bytes.Index(r.src[from:limit], []byte(opener))
		if i < 0 {
			break
		}
		j := from + i + len(opener)
		for j < len(r.src) && (r.src[j] == ' ' || r.src[j] == '\t' || r.src[j] == '\n' || r.src[j] == '\r' || r.src[j] == '>') {
			j++
		}
		if j < len(r.src) && r.src[j] == '<' {
			j++
		}
		if bytes.HasPrefix(r.src[j:], raw) {
			return r.span(j, j+len(raw))
		}
		from += i + 1
	}
	return paperlist.Span{}
}

// autoLink returns an autolink's URL, its span when the URL is written as
// it is, and its offset. goldmark keeps no position for autolinks, but its
// label is a slice of the source, whose offset it has.
func (r *reader) autoLink(n *ast.AutoLink) (string, paperlist.Span, int) {
	u := n.URL(r.src)
	label := n.Label(r.src)
	off := cap(r.src) - cap(label)
	if len(label) == 0 || off < 0 || off+len(label) > len(r.src) || &r.src[off] != &label[0] {
		return r.str(u), paperlist.Span{}, -1
	}
	if start := off + len(label) - len(u); start >= 0 && string(r.src[start:off+len(label)]) == string(u) {
		return r.srcStr[start : off+len(label)], r.span(start, off+len(label)), start
	}
	return r.str(u), paperlist.Span{}, off
}
