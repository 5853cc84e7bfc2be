package markdown

import (
	"regexp"
	"strings"
	"unicode"

	"github.com/paperlist/paperlist"
)

// linkLabel is a link's text as compared with the paper and code labels:
// lower case, without the brackets, punctuation, emoji and spaces around
// it ("[📖 Paper]" is "paper").
func linkLabel(s string) string {
	s = strings.TrimFunc(s, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
	return strings.ToLower(paperlist.FoldSpace(s))
}

// numbering is the list numbering a title can start with: "1.", "[12]",
// "(3)".
var numbering = regexp.MustCompile(`^\s*(?:\[\d{1,4}\]|\(\d{1,4}\)|\d{1,4}[.)])\s+`)

// shortName is a short name in brackets before a title: "[DeepSeek-V2] ".
var shortName = regexp.MustCompile(`^\[[^\]\s]+(?: [^\]\s]+){0,3}\]\s+`)

// authorTail is an author and year tail after a title:
// " (2017), Jonas Gehring et al.", " (ICLR 2019)".
var authorTail = regexp.MustCompile(`\s+\((?:[\p{L} ]+ )?(?:19|20)\d\d\)(?:[,.;:]\s*.*)?$`)

// cleanTitle folds white space and drops what lists put around titles: list
// numbering, separators, trailing dots and an author and year tail.
func cleanTitle(s string) string {
	s = paperlist.FoldSpace(s)
	if s != "" && (isDigit(s[0]) || s[0] == '[' || s[0] == '(') {
		s = numbering.ReplaceAllString(s, "")
		if loc := shortName.FindStringIndex(s); loc != nil && len(strings.Fields(s[loc[1]:])) >= 2 {
			s = s[loc[1]:]
		}
	}
	if strings.Contains(s, "(") && hasYear(s) {
		if loc := authorTail.FindStringIndex(s); loc != nil && len(strings.Fields(s[:loc[0]])) >= 2 {
			s = s[:loc[0]]
		}
	}
	s = strings.TrimRightFunc(s, isMarker)
	s = strings.TrimRight(s, " .,;:|-–—[(")
	s = strings.TrimLeft(s, " .,;:|-–—])")
	return strings.Trim(s, "\"“”")
}

// isMarker is what lists put after a title to mark it, not part of it: an
// emoji or other symbol ("🌟", "🔥", "⭐️"), its variation selector or
// joiner, and the spaces before it.
func isMarker(r rune) bool {
	return unicode.Is(unicode.So, r) || unicode.IsSpace(r) || r == '\u200d' || (r >= 0xfe00 && r <= 0xfe0f)
}

// authorsVenue splits a venue off the end of an italic authors span: the
// last part after ". ", ", " or "; " when it is "arXiv" (any case, a year
// after it or not) or a venue and year as venueYear finds them whose
// venue has two capitals or more ("NeurIPS 2023", "ICLR 2024", not
// "Brown 2020"). "First Author et al. arXiv." is the authors "First Author
// et al." and the venue arXiv; an authors span with no such ending is
// returned whole.
func authorsVenue(s string) (authors, venue string, year int) {
	t := strings.TrimRight(s, " .,;")
	i := max(strings.LastIndex(t, ". "), strings.LastIndex(t, ", "), strings.LastIndex(t, "; "))
	if i < 0 {
		return s, "", 0
	}
	authors, tail := t[:i+1], strings.TrimSpace(t[i+2:])
	if strings.Trim(authors, " .,;") == "" {
		return s, "", 0
	}
	if len(tail) == 5 && equalFoldASCII(tail, "arxiv") {
		return authors, "arXiv", 0
	}
	start, end, y := venueYear(tail)
	if start != 0 || len(strings.Fields(tail)) != 2 {
		return s, "", 0
	}
	venue = tail[:end]
	if strings.EqualFold(venue, "arxiv") {
		return authors, "arXiv", y
	}
	if upperCount(venue) < 2 {
		return s, "", 0
	}
	return authors, venue, y
}

// upperCount is the number of upper-case letters in s.
func upperCount(s string) int {
	n := 0
	for _, r := range s {
		if unicode.IsUpper(r) {
			n++
		}
	}
	return n
}

// splitAuthors splits an authors line. "Last, First and Last, First" (every
// name given with one comma, two or more names) gives "First Last" names;
// otherwise names are separated by commas and "and".
func splitAuthors(s string) []string {
	s = strings.TrimRight(paperlist.FoldSpace(s), " .")
	if s == "" {
		return nil
	}
	if hasAnd(s) {
		parts := appendAnd(nil, s)
		if len(parts) >= 2 {
			inverted := make([]string, 0, len(parts))
			for _, p := range parts {
				last, first, ok := strings.Cut(p, ",")
				if !ok || strings.Contains(first, ",") || strings.TrimSpace(first) == "" || strings.TrimSpace(last) == "" {
					inverted = nil
					break
				}
				inverted = append(inverted, paperlist.FoldSpace(first+" "+last))
			}
			if inverted != nil {
				return inverted
			}
		}
	}
	names := make([]string, 0, strings.Count(s, ",")+1)
	for p := range strings.SplitSeq(s, ",") {
		names = appendAnd(names, p)
	}
	if len(names) == 0 {
		return nil
	}
	return names
}

// appendAnd appends to parts the parts of s split at the word "and" (" and "
// in " "+s+" "), trimmed, the empty ones left out.
func appendAnd(parts []string, s string) []string {
	if !hasAnd(s) {
		if p := strings.TrimSpace(s); p != "" {
			parts = append(parts, p)
		}
		return parts
	}
	for p := range strings.SplitSeq(" "+s+" ", " and ") {
		if p = strings.TrimSpace(p); p != "" {
			parts = append(parts, p)
		}
	}
	return parts
}

// hasAnd reports whether " "+s+" " holds " and ".
func hasAnd(s string) bool {
	return strings.Contains(s, " and ") || strings.HasPrefix(s, "and ") || strings.HasSuffix(s, " and") || s == "and"
}

// newsHeadings are the headings, lower-cased and without emoji or
// punctuation, of the sections that announce rather than list papers.
var newsHeadings = map[string]bool{
	"news": true, "latest news": true, "updates": true, "update": true, "latest updates": true,
	"news and updates": true, "news & updates": true, "updates and news": true,
	"what's new": true, "whats new": true, "changelog": true, "change log": true, "announcements": true,
}

// isNewsHeading reports whether a section heading names a section of news
// ("🔥 News", "📢 Updates", "What's New"), whose items announce papers and
// are not entries.
func isNewsHeading(h string) bool {
	h = strings.ToLower(strings.TrimFunc(h, func(c rune) bool {
		return !unicode.IsLetter(c) && !unicode.IsDigit(c)
	}))
	return newsHeadings[paperlist.FoldSpace(h)]
}

// metaHeadings are words of headings over what a list says about itself,
// whose items are not title-only entries.
var metaHeadings = []string{
	"contribut", "licen", "citation", "cite", "contact", "acknowledg", "content",
	"star history", "todo", "to do", "how to", "usage", "install", "introduction",
	"about", "overview", "news", "update", "changelog", "roadmap", "faq", "sponsor",
}

// isMetaHeading reports whether a heading is over what a list says about
// itself (contributing, citation, contents, news), not over papers.
func isMetaHeading(h string) bool {
	h = strings.ToLower(h)
	for _, w := range metaHeadings {
		if strings.Contains(h, w) {
			return true
		}
	}
	return false
}
