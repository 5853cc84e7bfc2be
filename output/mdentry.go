package output

import (
	"bufio"
	"strconv"
	"strings"

	"github.com/paperlist/paperlist"
)

// citationsOf is the paper's citation count, -1 without one so that such
// entries sort after every count, as entries without stars do.
func citationsOf(p *paperlist.Paper) int {
	if p.Citations == nil {
		return -1
	}
	return *p.Citations
}

// writeEntry writes one paper as a list item: a first line with the title
// and facts, further lines for the authors and problems, and the abstract.
func writeEntry(w *bufio.Writer, p *paperlist.Paper, withProblems bool) {
	title := mdText(p.Title)
	if title == "" {
		title = "Untitled"
	}
	// The facts and lines live on the stack: Join keeps neither.
	var factsBuf [10]string
	facts := factsBuf[:0]
	if u, ok := linkURL(p.PaperURL); ok {
		facts = append(facts, "**["+title+"]("+u+")**")
	} else {
		facts = append(facts, "**"+title+"**")
		if t := mdText(p.PaperURL); t != "" {
			facts = append(facts, "paper: "+t)
		}
	}
	venue := mdText(p.Venue)
	if p.Year != 0 {
		venue = strings.TrimSpace(venue + " " + strconv.Itoa(p.Year))
	}
	if venue != "" {
		facts = append(facts, venue)
	}
	if u, ok := linkURL(canonicalCodeURL(p)); ok {
		link := "[code](" + u
		if g := p.GitHub; g != nil && mdText(g.Description) != "" {
			// The description is shown as the link's tooltip; mdText
			// turns its quotes into entities, so it cannot end the title.
			link += ` "` + mdText(g.Description) + `"`
		}
		facts = append(facts, link+")")
	} else if t := mdText(p.CodeURL); t != "" {
		facts = append(facts, "code: "+t)
	}
	var cited string
	if p.Citations != nil {
		cited = "📄 " + paperlist.CompactCount(*p.Citations) + " citations"
		if *p.Citations == 1 {
			cited = "📄 1 citation"
		}
	}
	if g := p.GitHub; g != nil {
		facts = append(facts, "★ "+paperlist.CompactCount(g.Stars))
		if g.Stars7d != nil && *g.Stars7d > 0 {
			facts = append(facts, "+"+paperlist.CompactCount(*g.Stars7d)+" this week")
		}
		// The citations beside the stars.
		if cited != "" {
			facts = append(facts, cited)
			cited = ""
		}
		if !g.PushedAt.IsZero() {
			facts = append(facts, "pushed "+g.PushedAt.UTC().Format("2006-01-02"))
		}
		if g.Archived {
			facts = append(facts, "archived")
		}
	}
	if cited != "" {
		facts = append(facts, cited)
	}

	var linesBuf [8]string
	lines := append(linesBuf[:0], strings.Join(facts, " · "))
	if authors := mdText(strings.Join(authorsOf(p), ", ")); authors != "" {
		lines = append(lines, authors)
	}
	for _, pr := range p.Problems {
		if !withProblems {
			break
		}
		line := "⚠ " + mdText(pr.Code)
		if msg := mdText(pr.Message); msg != "" {
			line += ": " + msg
		}
		lines = append(lines, line)
	}
	w.WriteString("- ")
	w.WriteString(strings.Join(lines, "<br>\n  "))
	w.WriteString("\n")
	// The abstract is an HTML block inside the list item: it is on one
	// line, so no blank line can end the block early.
	if abs := htmlText(abstractOf(p)); abs != "" {
		w.WriteString("  <details><summary>Abstract</summary>")
		w.WriteString(abs)
		w.WriteString("</details>\n")
	}
}

// canonicalCodeURL is the entry's code link with a renamed repository's
// owner/name replaced by the canonical one GitHub answered with (the rest
// of the URL kept), so that visitors are sent where the code is.
func canonicalCodeURL(p *paperlist.Paper) string {
	g := p.GitHub
	if g == nil || g.FullName == "" || p.Repo == "" || strings.EqualFold(g.FullName, p.Repo) {
		return p.CodeURL
	}
	i := strings.Index(strings.ToLower(p.CodeURL), "github.com/"+strings.ToLower(p.Repo))
	if i < 0 {
		return p.CodeURL
	}
	start := i + len("github.com/")
	return p.CodeURL[:start] + g.FullName + p.CodeURL[start+len(p.Repo):]
}

// authorsOf is the paper's authors as the list gives them, else as arXiv or
// the landing page does.
func authorsOf(p *paperlist.Paper) []string {
	if len(p.Authors) > 0 {
		return p.Authors
	}
	if p.Arxiv != nil && len(p.Arxiv.Authors) > 0 {
		names := make([]string, len(p.Arxiv.Authors))
		for i, a := range p.Arxiv.Authors {
			names[i] = a.Name
		}
		return names
	}
	if p.Page != nil {
		return p.Page.Authors
	}
	return nil
}

// abstractOf is the paper's abstract from arXiv, else from its landing page.
func abstractOf(p *paperlist.Paper) string {
	if p.Arxiv != nil && strings.TrimSpace(p.Arxiv.Abstract) != "" {
		return p.Arxiv.Abstract
	}
	if p.Page != nil {
		return p.Page.Abstract
	}
	return ""
}
