package markdown

import (
	"strconv"
	"strings"
	"unsafe"

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

// plainText is the text of the tokens before the first link or line break,
// badges before it set aside.
func plainText(toks []token) string {
	var b strings.Builder
loop:
	for _, t := range toks {
		switch t.kind {
		case tokText, tokItalic, tokBold:
			b.WriteString(t.text)
		case tokLink:
			// A badge before the title is set aside.
			if !t.image || !isBlank(b.String()) {
				break loop
			}
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
		case tokLink:
			// A badge before the title is set aside.
			if !t.image || !isBlank(b.String()) {
				break loop
			}
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
	var str string
	switch v := any(s).(type) {
	case string:
		str = v
	case []byte:
		// Read only, and not kept past the call.
		str = unsafe.String(unsafe.SliceData(v), len(v))
	}
	return containsFoldString(str, sub)
}

// containsFoldString is containsFold of a string. The bytes that can start
// sub (its first byte in either case) are found by IndexByte rather than
// byte by byte: the text and link targets of a list are long and mostly
// hold none of the words sought. Where each of the two bytes next occurs
// is kept until the search passes it, so no byte is scanned twice.
func containsFoldString(s, sub string) bool {
	if len(sub) == 0 {
		return true
	}
	// b|0x20 == c0 or b == c0 holds for b in {c0, c0 &^ 0x20} only.
	c0, c1 := sub[0], sub[0]&^0x20
	last := len(s) - len(sub) // the last start sub fits at
	next0, next1 := -1, -1    // where c0 and c1 next occur at or after i; len(s) for never
	for i := 0; i <= last; i++ {
		if next0 < i {
			next0 = indexFrom(s, c0, i)
		}
		if next1 < i {
			next1 = indexFrom(s, c1, i)
		}
		i = min(next0, next1)
		if i > last {
			return false
		}
		j := 1
		for j < len(sub) && (s[i+j]|0x20 == sub[j] || s[i+j] == sub[j]) {
			j++
		}
		if j == len(sub) {
			return true
		}
	}
	return false
}

// indexFrom is the index of the first c in s at or after i, len(s) when
// there is none.
func indexFrom(s string, c byte, i int) int {
	if k := strings.IndexByte(s[i:], c); k >= 0 {
		return i + k
	}
	return len(s)
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
