package fix

import (
	"bytes"
	"fmt"

	"github.com/paperlist/paperlist"
	"github.com/paperlist/paperlist/listedit"
)

// arxivAbsURL is where an added arXiv link points.
const arxivAbsURL = "https://arxiv.org/abs/"

// linkFix writes the arXiv link of a paper whose id the crawl found
// (Semantic Scholar's record of its DOI or page, or a title search) after
// its title: after the paper link when the title is one, else after the
// title's text on the entry's line. An id that is not an arXiv id without
// a version is refused, and an entry whose title cannot be placed is left
// alone.
func (f *planner) linkFix(p *paperlist.Paper) (Fix, bool) {
	var how string
	switch p.ArxivIDSource {
	case paperlist.ArxivIDFromSemanticScholar:
		how = "Semantic Scholar's record of " + p.PaperURL
	case paperlist.ArxivIDFromTitleSearch:
		how = "an arXiv title search"
	default:
		return Fix{}, false
	}
	if !paperlist.PlausibleArxivID(p.ArxivID) {
		f.log.Warn("invalid answer: not an arXiv id", "line", p.Line, "id", p.ArxivID)
		return Fix{}, false
	}
	at, ok := f.afterTitle(p)
	if !ok {
		return Fix{}, false
	}
	link := "[arXiv](" + arxivAbsURL + p.ArxivID + ")"
	return Fix{
		Line: f.lineAt(at),
		Edit: listedit.Edit{Span: paperlist.Span{Start: at, End: at}, New: " [" + link + "]"},
		Note: fmt.Sprintf("added: %s after %q (found by %s)", link, p.Title, how),
	}, true
}

// afterTitle is the offset just after a paper's title in the source: after
// the ")" that ends its paper link, else after the title's text on its
// line (and the emphasis closing it).
func (f *planner) afterTitle(p *paperlist.Paper) (int, bool) {
	if s := p.PaperSpan; !s.IsZero() && s.End < len(f.src) && f.src[s.End] == ')' {
		return s.End + 1, true
	}
	start, end, ok := f.lineBounds(p.Line)
	if !ok || p.Title == "" {
		return 0, false
	}
	i := bytes.Index(f.src[start:end], []byte(p.Title))
	if i < 0 {
		return 0, false
	}
	at := start + i + len(p.Title)
	for at < end && (f.src[at] == '*' || f.src[at] == '_') {
		at++
	}
	return at, true
}

// lineBounds are the offsets of the start and end (before its line break)
// of the 1-based line n.
func (f *planner) lineBounds(n int) (start, end int, ok bool) {
	f.lineAt(0)
	if n < 1 || n > len(f.lines) {
		return 0, 0, false
	}
	start = f.lines[n-1]
	end = len(f.src)
	if n < len(f.lines) {
		end = f.lines[n]
	}
	for end > start && (f.src[end-1] == '\n' || f.src[end-1] == '\r') {
		end--
	}
	return start, end, true
}
