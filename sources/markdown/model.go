package markdown

import (
	"regexp"
	"strconv"
	"strings"
	"unicode"

	"github.com/paperlist/paperlist"
)

// An entry is the smallest block (a list item, a paragraph, a table row,
// or a heading with the block under it) that holds one paper. entry reads
// it in five steps:
//
//  1. collect: the leading tokens (dates, venues in brackets or
//     parentheses, reference numbers, emoji) are set aside by setAside, and
//     the rest is sorted into candidates: bold text, a title link, italic
//     authors, labelled paper and code links, arXiv links, links to
//     doi.org and publishers, repositories, the text outside them.
//  2. choosePaper: the first labelled paper link; else the first link to an
//     arXiv paper (a badge included); else the link of a bold title or the
//     title link when it does not go to GitHub; else a link labelled
//     link, html, openreview and the like; else a link to doi.org or a
//     publisher (a DOI badge included). An arXiv id the text names
//     ("arXiv:1409.1556") when no link goes to arXiv takes the place of
//     any of these, with no span.
//  3. chooseCode: the first link labelled code, github, repo and the like;
//     else the first link to a GitHub repository that is not the paper
//     link.
//  4. chooseTitle: the bold text; else the title link's text; else, in a
//     table, the title column; else quoted text; else the plain text before
//     the first link, without its venue and year.
//  5. accept: the tokens are an entry when they have a paper or code link,
//     or a title with a venue and year or an authors line (not in a table
//     row whose title column is guessed), or, in a list item that holds no
//     link at all, a title-like span (see titleOnly).
//
// News is what a section of news and updates holds (see isNewsHeading),
// never guessed from a date elsewhere.
type entryParts struct {
	kind entryKind
	toks []token
	// lead is the text of the leading tokens set aside.
	lead string

	bold, titleLink, italic         *token
	paper, code, arxiv, weak, pages *token
	repos                           []*token
	// links counts the links that are neither images nor anchors.
	links int
	// field is set on a block that starts with a field's label
	// ("**Comments:** Proposes **X**"): a field of the entry above.
	field bool
	// authorsAt is the index of an italic authors token that follows the
	// plain title on its line ("Title. *Authors.*"), or -1.
	authorsAt int
	titleCol  strings.Builder
	// venueCol and yearCol are the text of a table row's venue and year
	// columns.
	venueCol, yearCol strings.Builder
	outside           strings.Builder // text outside the title, links and emphasis
}

// entry reads the fields of one entry from its tokens and reports whether
// the tokens are an entry at all (see entryParts for the steps).
func (r *reader) entry(toks []token, kind entryKind) (e paperlist.RawEntry, ok bool) {
	p := &entryParts{kind: kind, authorsAt: -1}
	p.collect(toks)
	paperTok := p.choosePaper(&e)
	p.chooseCode(&e)
	p.chooseTitle(&e)
	ok = p.accept(&e, paperTok, r.titleOnlyOK)
	if ok {
		// The paper pages the entry holds besides its paper link (a PDF
		// next to an arXiv id named in the text) are in an entry too.
		for i := range p.toks {
			if t := &p.toks[i]; t.kind == tokLink && isPaperPage(t.dest) {
				r.entryPages[t.dest] = true
			}
		}
	}
	return e, ok
}

// collect sets the leading tokens aside and sorts the rest.
func (p *entryParts) collect(toks []token) {
	p.toks, p.lead = setAside(toks)
	// Italic text is the authors line only after a line break or a link:
	// before them it is the title or part of it.
	afterTitle := false
	for i := range p.toks {
		t := &p.toks[i]
		if t.role == roleTitle && t.kind != tokLink && t.kind != tokBreak {
			p.titleCol.WriteString(t.text)
		}
		if t.kind != tokLink && t.kind != tokBreak {
			switch t.role {
			case roleVenue:
				p.venueCol.WriteString(t.text)
			case roleYear:
				p.yearCol.WriteString(t.text)
			}
		}
		switch t.kind {
		case tokText:
			p.outside.WriteString(t.text)
		case tokBreak:
			p.outside.WriteString("\n")
			afterTitle = true
		case tokBold:
			switch {
			case isReferenceNumber(t.text):
			case isFieldLabel(t.text, p.toks[i+1:]):
				// "**Metrics:** AUROC": a field, not a title.
				if isBlank(p.outside.String()) && p.bold == nil {
					p.field = true
				}
				p.outside.WriteString(t.text)
			case p.bold == nil && !isBlank(t.text):
				p.bold = t
			default:
				p.outside.WriteString(t.text)
			}
		case tokItalic:
			if p.italic == nil && !isBlank(t.text) && (afterTitle || p.bold == nil && endsSentence(p.outside.String())) {
				// "Title. *Authors.*": after a sentence of plain text,
				// italic text is the authors line.
				if !afterTitle {
					p.authorsAt = i
				}
				p.italic = t
			}
		case tokLink:
			afterTitle = true
			p.link(t)
		}
	}
}

// link sorts one link token.
func (p *entryParts) link(t *token) {
	if !t.image && !strings.HasPrefix(t.dest, "#") {
		p.links++
	}
	label := linkLabel(t.text)
	switch {
	case t.role == roleCode && !paperLabels[label] && !t.arxiv:
		label = "code"
	case t.role == rolePaper && !codeLabels[label] && !t.repo:
		label = "paper"
	}
	// A badge labelled paper is a paper link when it goes to a paper:
	// "[![Paper](badge)](https://doi.org/…)".
	paperBadge := t.image && paperLabels[label] && (t.arxiv || isPaperPage(t.dest))
	switch {
	case paperLabels[label] && (!t.image || paperBadge):
		if p.paper == nil {
			p.paper = t
		}
		return
	case codeLabels[label] && !t.image:
		if p.code == nil {
			p.code = t
		}
		return
	case t.arxiv:
		if p.arxiv == nil {
			p.arxiv = t
		}
	case t.repo:
		p.repos = append(p.repos, t)
	case weakPaperLabels[label] && !t.image:
		if p.weak == nil {
			p.weak = t
		}
		return
	case isPaperPage(t.dest):
		if p.pages == nil {
			p.pages = t
		}
	}
	if p.titleLink == nil && !t.image && (isTitleLink(t) || t.role == roleTitle && label != "") {
		p.titleLink = t
	}
}

// trailingYear is a year that ends a venue column: "ICLR 2025",
// "Interspeech (2021)", "ACL'24" is left whole.
var trailingYear = regexp.MustCompile(`[\s,(]+((?:19|20)\d\d)\)?$`)

// columnVenue returns the venue and year a table row's venue and year
// columns name, the year in the venue column set apart from it.
func (p *entryParts) columnVenue() (venue string, year int) {
	venue = paperlist.FoldSpace(p.venueCol.String())
	if m := leadYear.FindString(p.yearCol.String()); m != "" {
		year, _ = strconv.Atoi(m)
	}
	if loc := trailingYear.FindStringSubmatchIndex(venue); loc != nil {
		if year == 0 {
			year, _ = strconv.Atoi(venue[loc[2]:loc[3]])
		}
		venue = venue[:loc[0]]
	} else if y := leadYear.FindString(venue); y == venue {
		// A venue column that holds a year only.
		if year == 0 {
			year, _ = strconv.Atoi(y)
		}
		venue = ""
	}
	if !strings.ContainsFunc(venue, unicode.IsLetter) {
		venue = ""
	}
	return venue, year
}

// choosePaper sets the paper link of e and returns its token, or nil.
func (p *entryParts) choosePaper(e *paperlist.RawEntry) *token {
	start, end, year := venueYear(p.outside.String())
	if v, y := p.columnVenue(); v != "" || y > 0 {
		// A table's venue and year columns say it whole: "| International
		// Conference on Arabic Computational Linguistics | 2021 |", where
		// the venue-and-year rule would keep "Linguistics".
		e.Venue, e.Year = v, y
		if e.Year == 0 && start >= 0 {
			e.Year = year
		}
	} else if start >= 0 {
		e.Venue, e.Year = p.outside.String()[start:end], year
	} else if v, y := leadVenue(p.lead); y > 0 {
		e.Venue, e.Year = v, y
	}
	// A venue that ends the italic authors span is the venue:
	// "*First Author et al. arXiv.*".
	authors, spanVenue, spanYear := authorsVenue(italicText(p.italic))
	e.Authors = splitAuthors(authors)
	if e.Venue == "" && spanVenue != "" {
		e.Venue = spanVenue
		if e.Year == 0 {
			e.Year = spanYear
		}
	}

	// A short bold name before a longer linked title is a model or data
	// set's name: "**MMR** | [Seeing Clearly, Answering Incorrectly](…)".
	if b, tl := p.bold, p.titleLink; b != nil && !b.link && tl != nil &&
		len(strings.Fields(b.text)) <= 2 && len(strings.Fields(tl.text)) > len(strings.Fields(b.text))+1 {
		p.bold = nil
	}

	var paperTok *token
	set := func(t *token) {
		e.PaperURL, e.HasPaperLink, e.PaperSpan = t.dest, true, t.span
		paperTok = t
	}
	switch b, tl := p.bold, p.titleLink; {
	case p.paper != nil:
		set(p.paper)
	case p.arxiv != nil:
		set(p.arxiv)
	case b != nil && b.link && !b.repo:
		set(b)
	case tl != nil && !tl.repo:
		set(tl)
	case p.weak != nil:
		set(p.weak)
	case p.pages != nil:
		set(p.pages)
	}
	if p.arxiv == nil && (paperTok == nil || !paperTok.arxiv) {
		if ids := textIDs(p.outside.String()); len(ids) > 0 {
			e.PaperURL, e.HasPaperLink, e.PaperSpan = "https://arxiv.org/abs/"+ids[0], true, paperlist.Span{}
			paperTok = &token{kind: tokText, arxiv: true}
		}
	}
	return paperTok
}

// chooseCode sets the code link of e.
func (p *entryParts) chooseCode(e *paperlist.RawEntry) {
	if p.code != nil {
		e.CodeURL, e.HasCodeLink, e.CodeSpan = p.code.dest, true, p.code.span
		return
	}
	for _, t := range p.repos {
		if t.dest != e.PaperURL {
			e.CodeURL, e.HasCodeLink, e.CodeSpan = t.dest, true, t.span
			return
		}
	}
	if b := p.bold; b != nil && b.link && b.repo {
		e.CodeURL, e.HasCodeLink, e.CodeSpan = b.dest, true, b.span
	}
}

// chooseTitle sets the title of e by the first rule that gives one.
func (p *entryParts) chooseTitle(e *paperlist.RawEntry) {
	switch {
	case p.bold != nil:
		e.Title = cleanTitle(p.bold.text)
	case p.titleLink != nil:
		e.Title = cleanTitle(p.titleLink.text)
	case p.titleCol.Len() > 0:
		e.Title = cleanTitle(p.titleCol.String())
	default:
		toks := p.toks
		if p.authorsAt >= 0 {
			toks = toks[:p.authorsAt]
		}
		if q := quotedTitle(plainText(toks)); q != "" {
			e.Title = q
		} else {
			e.Title = plainTitle(toks)
		}
	}
	if e.Title != "" {
		return
	}
	// "[Cosmos](https://github.com/NVIDIA/Cosmos)", "[DeepSeek-v2](…)": a
	// one-word link that names the paper.
	for i := range p.toks {
		if t := &p.toks[i]; t.kind == tokLink && !t.image && !isLabel(linkLabel(t.text)) && !strings.HasPrefix(t.dest, "#") && t.dest != t.text {
			if e.Title = cleanTitle(t.text); e.Title != "" {
				return
			}
		}
	}
}

// accept reports whether the parts are an entry, and marks a title-only
// entry.
func (p *entryParts) accept(e *paperlist.RawEntry, paperTok *token, titleOnlyOK bool) bool {
	linked := p.paper != nil || p.code != nil || p.arxiv != nil || p.pages != nil ||
		paperTok != nil && paperTok.kind == tokText && e.Title != ""
	if p.bold != nil && p.bold.link && (p.bold.arxiv || isPaperPage(p.bold.dest)) {
		linked = true
	}
	if linked {
		return true
	}
	if p.field {
		return false
	}
	titled := e.Title != "" && (p.bold != nil || p.titleLink != nil || p.titleCol.Len() > 0)
	hasMeta := e.Year > 0 || p.italic != nil
	if titled && hasMeta && p.kind != guessedRow {
		return true
	}
	if titleOnlyOK && p.kind == blockEntry && p.links == 0 && p.isTitleOnly(e) {
		e.TitleOnly = true
		return true
	}
	return false
}

// isTitleOnly reports whether an entry without links names a paper: a
// title of three words or more on one line, bold or with a venue and year
// or authors after it.
func (p *entryParts) isTitleOnly(e *paperlist.RawEntry) bool {
	words := len(strings.Fields(e.Title))
	if words < 3 || len(e.Title) > 300 {
		return false
	}
	// An entry is one line; a paragraph of prose that names a year is not.
	for i := range p.toks {
		if p.toks[i].kind == tokBreak {
			return false
		}
	}
	// "Publisher: Findings of ACL 2024" is a field of the entry above,
	// not a title.
	if first := strings.Fields(e.Title)[0]; strings.HasSuffix(first, ":") {
		return false
	}
	if p.bold != nil {
		// "**Title**" alone or with its venue, year or authors, not a bold
		// phrase that heads prose.
		rest := strings.Fields(p.outside.String())
		return len(strings.Fields(p.bold.text)) >= 3 && (len(rest) <= 3 || e.Year > 0 && len(rest) <= 12)
	}
	return e.Year > 0 || p.italic != nil
}

// endsSentence reports whether plain text is a sentence of two words or
// more that ends with a full stop: what comes after it is not the title.
func endsSentence(s string) bool {
	s = strings.TrimSpace(s)
	return strings.HasSuffix(s, ".") && len(strings.Fields(s)) >= 2
}

// isFieldLabel reports whether bold text is the label of a field, a word or
// two ending with a colon, in the bold text or right after it: "**Metrics:**",
// "**Code**: …".
func isFieldLabel(bold string, after []token) bool {
	b := strings.TrimSpace(bold)
	if len(strings.Fields(b)) > 2 {
		return false
	}
	if strings.HasSuffix(b, ":") {
		return true
	}
	return len(after) > 0 && after[0].kind == tokText && strings.HasPrefix(after[0].text, ":")
}

// keepTitleOnly drops the title-only entries of sections that hold no entry
// with a link: a title-only entry is a paper only under a section of
// papers, not in an introduction's list of features or questions. In a list
// without any linked entry, the title-only entries under a heading stay.
func keepTitleOnly(entries []paperlist.RawEntry) []paperlist.RawEntry {
	linked := map[string]bool{}
	for _, e := range entries {
		if !e.TitleOnly {
			linked[strings.Join(e.SectionPath, "\x00")] = true
		}
	}
	// A list of titles only ("+ **Title**" bullets, nothing linked) keeps
	// the title-only entries under its headings.
	none := len(linked) == 0
	out := entries[:0]
	for _, e := range entries {
		if !e.TitleOnly || linked[strings.Join(e.SectionPath, "\x00")] || none && len(e.SectionPath) > 0 {
			out = append(out, e)
		}
	}
	return out
}
