package markdown

import (
	"regexp"
	"strconv"
	"strings"

	"github.com/paperlist/paperlist"
)

// Labels of the links that are an entry's paper and code links, as
// linkLabel leaves them.
var (
	paperLabels = map[string]bool{
		"paper": true, "pdf": true, "arxiv": true, "abs": true, "abstract": true,
		"arxiv paper": true, "paper link": true, "pdf link": true,
	}
	// weakPaperLabels name a paper link only when the target is not a
	// GitHub repository.
	weakPaperLabels = map[string]bool{
		"link": true, "html": true, "openreview": true, "acl": true, "aclweb": true,
		"url": true, "doi": true, "publication": true, "article": true, "preprint": true,
	}
	codeLabels = map[string]bool{
		"code": true, "github": true, "gitlab": true, "repo": true, "repository": true,
		"official code": true, "code & model": true, "model&code": true, "model & code": true,
		"code and model": true, "code&model": true, "implementation": true,
	}
)

// newsDate is the date that starts a news line: "[2023/09/14]",
// "2023-09-14:", "**[2023.09]**".
var newsDate = regexp.MustCompile(`^\W*\[?(?:19|20)\d\d[-/.]\d{1,2}(?:[-/.]\d{1,2})?\]?`)

// entry reads the fields of one entry from its tokens and reports whether
// the tokens are an entry at all.
//
// The paper link is the first link labelled paper, pdf, arxiv, abs or
// abstract (case, brackets, emoji and punctuation around the label
// ignored, see linkLabel); else the first link to an arXiv paper under any
// label (see paperlist.ParseArxivURL), a badge included; else the link of a
// bold title, or a title link, unless it goes to a GitHub repository; else
// the first link labelled link, html, openreview and the like that does not
// go to GitHub. In a table, a link in the paper column counts as labelled.
//
// The code link is the first link labelled code, github, gitlab, repo,
// repository, "code & model" and the like, whatever its target; else the
// first link to a GitHub repository that is not the paper link, under any
// label: a project, the repository's name, an emoji, a stars badge, the
// title.
//
// When no link of the entry goes to arXiv and its text names an arXiv id
// ("arXiv:1409.1556"), the paper link is https://arxiv.org/abs/ID, with no
// span, in place of any other paper link: the id is what the paper is
// enriched from.
//
// The title is the bold text (a bold "[5]" or "12." is a reference number,
// not the title; a short bold name before a longer title link is a name);
// else the title link; else, in a table, the title column; else the plain
// text before the first link and line break, without its venue and year.
// The venue and year are the first "Venue 2023" outside the title and
// links; the authors the first italic text after a line break or a link.
//
// The tokens are an entry when they have a labelled paper or code link or
// a link to an arXiv paper, or a bold or linked title with a venue and year
// or an authors line (not in a table row whose title column is guessed,
// where a date and a capitalised word look like a venue), or a title and an
// arXiv id in the text. A news line
// (one starting with a date, then no bold title but prose) is not an entry; a
// table row may start with its date.
func (r *reader) entry(toks []token, kind entryKind) (e paperlist.RawEntry, ok bool) {
	row := kind != blockEntry
	var (
		bold, titleLink, italic  *token
		paper, code, arxiv, weak *token
		repos                    []*token
		titleCol                 strings.Builder
		outside                  strings.Builder // text outside the title, links and emphasis
	)
	// Italic text is the authors line only after a line break or a link:
	// before them it is the title or part of it.
	afterTitle := false
	for i := range toks {
		t := &toks[i]
		if t.role == roleTitle && t.kind != tokLink && t.kind != tokBreak {
			titleCol.WriteString(t.text)
		}
		switch t.kind {
		case tokText:
			outside.WriteString(t.text)
		case tokBreak:
			outside.WriteString("\n")
			afterTitle = true
		case tokBold:
			switch {
			case isReferenceNumber(t.text):
			case bold == nil && !isBlank(t.text):
				bold = t
			default:
				outside.WriteString(t.text)
			}
		case tokItalic:
			if italic == nil && afterTitle && !isBlank(t.text) {
				italic = t
			}
		case tokLink:
			afterTitle = true
			label := linkLabel(t.text)
			repo := t.repo
			switch {
			case t.role == roleCode && !paperLabels[label] && !t.arxiv:
				label = "code"
			case t.role == rolePaper && !codeLabels[label] && !repo:
				label = "paper"
			}
			switch {
			case paperLabels[label] && !t.image:
				if paper == nil {
					paper = t
				}
				continue
			case codeLabels[label] && !t.image:
				if code == nil {
					code = t
				}
				continue
			case t.arxiv:
				if arxiv == nil {
					arxiv = t
				}
			case repo:
				repos = append(repos, t)
			case weakPaperLabels[label] && !t.image:
				if weak == nil {
					weak = t
				}
				continue
			}
			if titleLink == nil && !t.image && (isTitleLink(t) || t.role == roleTitle && label != "") {
				titleLink = t
			}
		}
	}

	start, end, year := venueYear(outside.String())
	m := start >= 0
	if m {
		e.Venue, e.Year = outside.String()[start:end], year
	}
	e.Authors = splitAuthors(italicText(italic))

	// A short bold name before a longer linked title is a model or data
	// set's name: "**MMR** | [Seeing Clearly, Answering Incorrectly](…)".
	if bold != nil && !bold.link && titleLink != nil &&
		len(strings.Fields(bold.text)) <= 2 && len(strings.Fields(titleLink.text)) > len(strings.Fields(bold.text))+1 {
		bold = nil
	}

	// paperTok is the token of the paper link, whose arxiv flag says
	// whether it links an arXiv paper.
	var paperTok *token
	setPaper := func(t *token) {
		e.PaperURL, e.HasPaperLink, e.PaperSpan = t.dest, true, t.span
		paperTok = t
	}
	switch {
	case paper != nil:
		setPaper(paper)
	case arxiv != nil:
		setPaper(arxiv)
	case bold != nil && bold.link && !bold.repo:
		setPaper(bold)
	case titleLink != nil && !titleLink.repo:
		setPaper(titleLink)
	case weak != nil:
		setPaper(weak)
	}
	switch {
	case code != nil:
		e.CodeURL, e.HasCodeLink, e.CodeSpan = code.dest, true, code.span
	default:
		for _, t := range repos {
			if t.dest != e.PaperURL {
				e.CodeURL, e.HasCodeLink, e.CodeSpan = t.dest, true, t.span
				break
			}
		}
		if !e.HasCodeLink && bold != nil && bold.link && bold.repo {
			e.CodeURL, e.HasCodeLink, e.CodeSpan = bold.dest, true, bold.span
		}
	}

	switch {
	case bold != nil:
		e.Title = cleanTitle(bold.text)
	case titleLink != nil:
		e.Title = cleanTitle(titleLink.text)
	case titleCol.Len() > 0:
		e.Title = cleanTitle(titleCol.String())
	default:
		e.Title = plainTitle(toks)
	}
	if e.Title == "" {
		// "[Cosmos](https://github.com/NVIDIA/Cosmos)", "[DeepSeek-v2](…)":
		// a one-word link that names the paper.
		for i := range toks {
			if t := &toks[i]; t.kind == tokLink && !t.image && !isLabel(linkLabel(t.text)) && !strings.HasPrefix(t.dest, "#") && t.dest != t.text {
				if e.Title = cleanTitle(t.text); e.Title != "" {
					break
				}
			}
		}
	}

	textID := ""
	if arxiv == nil && (paperTok == nil || !paperTok.arxiv) {
		if ids := textIDs(outside.String()); len(ids) > 0 {
			textID = ids[0]
			e.PaperURL, e.HasPaperLink, e.PaperSpan = "https://arxiv.org/abs/"+textID, true, paperlist.Span{}
		}
	}

	titled := e.Title != "" && (bold != nil || titleLink != nil || titleCol.Len() > 0)
	ok = paper != nil || code != nil || arxiv != nil ||
		titled && (m || italic != nil) && kind != guessedRow ||
		e.Title != "" && textID != ""
	if ok && !row && bold == nil {
		if loc := newsDate.FindStringIndex(plainText(toks)); loc != nil && (titleLink == nil || len(strings.Fields(plainText(toks)[loc[1]:])) >= 3) {
			ok = false
		}
	}
	return e, ok
}

// entryKind is the layout an entry's tokens come from.
type entryKind int

const (
	// blockEntry is a list item, a paragraph or a field list.
	blockEntry entryKind = iota
	// namedRow is a table row whose header names its title column.
	namedRow
	// guessedRow is a table row whose title column is guessed.
	guessedRow
)

// isBlank reports whether s is white space only, as paperlist.FoldSpace(s) == ""
// does, without a copy.
func isBlank(s string) bool {
	return strings.TrimSpace(s) == ""
}

// isReferenceNumber reports whether bold text is a reference number:
// "[5]", "5.", "(12)".
func isReferenceNumber(s string) bool {
	s = strings.Trim(strings.TrimSpace(s), "[]().:#")
	digits := strings.TrimLeft(s, "+-")
	if len(s)-len(digits) > 1 || digits == "" {
		return false
	}
	for i := 0; i < len(digits); i++ {
		if !isDigit(digits[i]) {
			return false
		}
	}
	if len(digits) < 18 {
		return true
	}
	// Only strconv knows where an int overflows.
	_, err := strconv.Atoi(s)
	return err == nil
}

// plainText is the text of the tokens before the first link or line break.
func plainText(toks []token) string {
	var b strings.Builder
loop:
	for _, t := range toks {
		switch t.kind {
		case tokText, tokItalic, tokBold:
			b.WriteString(t.text)
		default:
			break loop
		}
	}
	return b.String()
}

// plainTitle is the plain text of an entry before its first link and line
// break, without a venue and year and the separators around them.
func plainTitle(toks []token) string {
	var b strings.Builder
loop:
	for _, t := range toks {
		switch t.kind {
		case tokText, tokItalic:
			b.WriteString(t.text)
		default:
			break loop
		}
	}
	s := b.String()
	if start, _, _ := venueYear(s); start >= 0 {
		s = s[:start]
	}
	return cleanTitle(s)
}

// isArxivLink reports whether s links an arXiv paper. Most links do not
// mention a host that can, and are not parsed.
func isArxivLink(s string) bool {
	if !mayLinkArxiv(s) {
		return false
	}
	_, _, ok := paperlist.ParseArxivURL(s)
	return ok
}

// mayLinkArxiv reports whether s names a host that paperlist.ParseArxivURL
// reads.
func mayLinkArxiv(s string) bool {
	return containsFold(s, "arxiv") || containsFold(s, "huggingface.co") || containsFold(s, "hf.co") || containsFold(s, "doi.org")
}

// isRepoLink reports whether s links a GitHub repository.
func isRepoLink(s string) bool {
	if !containsFold(s, "github.com") {
		return false
	}
	_, ok := paperlist.ParseGitHubURL(s)
	return ok
}

// containsFold reports whether s contains the lower-case ASCII word sub in
// any case.
func containsFold[T string | []byte](s T, sub string) bool {
	for i := 0; i+len(sub) <= len(s); i++ {
		j := 0
		for j < len(sub) && s[i+j]|0x20 == sub[j] || j < len(sub) && s[i+j] == sub[j] {
			j++
		}
		if j == len(sub) {
			return true
		}
	}
	return false
}

// isTitleLink reports whether a link that is neither a paper nor a code
// link can be an entry's title: its text has at least two words and it
// points somewhere other than an anchor of the list.
func isTitleLink(t *token) bool {
	return len(strings.Fields(t.text)) >= 2 && !strings.HasPrefix(t.dest, "#")
}

func italicText(t *token) string {
	if t == nil {
		return ""
	}
	return t.text
}

// isLabel reports whether a link label names a paper or code link.
func isLabel(label string) bool {
	return paperLabels[label] || codeLabels[label] || weakPaperLabels[label]
}

// hasYear reports whether s holds four digits starting 19 or 20, which
// venueYear needs; most text does not, and is not matched.
func hasYear(s string) bool {
	for i := 0; i+4 <= len(s); i++ {
		if (s[i] == '1' && s[i+1] == '9' || s[i] == '2' && s[i+1] == '0') && isDigit(s[i+2]) && isDigit(s[i+3]) {
			return true
		}
	}
	return false
}

func isDigit(c byte) bool { return '0' <= c && c <= '9' }
