package output

import (
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/paperlist/paperlist"
)

// safeLine makes untrusted text fit on one line and show as what it is:
// invalid UTF-8 is replaced, control characters turn into spaces and the
// bidirectional controls, which could reorder what a reader sees, are
// dropped; then the white space is folded as FoldSpace does.
func safeLine(s string) string {
	if isSafeLine(s) {
		return s
	}
	s = strings.Map(func(r rune) rune {
		switch {
		case paperlist.IsBidiControl(r):
			return -1
		case unicode.IsControl(r):
			return ' '
		}
		return r
	}, strings.ToValidUTF8(s, "\uFFFD"))
	return paperlist.FoldSpace(s)
}

// isSafeLine reports whether safeLine would leave s as it is: printable
// ASCII with single spaces between words. Most text is, and is then not
// copied. Abstracts make most of the text, so s is read eight bytes at a
// time, and the double spaces are found by strings.Contains.
func isSafeLine(s string) bool {
	if s == "" {
		return true
	}
	if s[0] == ' ' || s[len(s)-1] == ' ' {
		return false
	}
	const ones, highs = 0x0101010101010101, 0x8080808080808080
	i := 0
	for ; i+8 <= len(s); i += 8 {
		w := uint64(s[i]) | uint64(s[i+1])<<8 | uint64(s[i+2])<<16 | uint64(s[i+3])<<24 |
			uint64(s[i+4])<<32 | uint64(s[i+5])<<40 | uint64(s[i+6])<<48 | uint64(s[i+7])<<56
		// A byte below ' ' (the "hasless" test, exact for bounds up to
		// 128), or above '~' (adding 1 carries a 0x7f into the high bit,
		// which bytes of 0x80 and more have already).
		if (w-ones*' ')&^w&highs != 0 || (w+ones*(127-'~')|w)&highs != 0 {
			return false
		}
	}
	for ; i < len(s); i++ {
		if c := s[i]; c < ' ' || c > '~' {
			return false
		}
	}
	return !strings.Contains(s, "  ")
}

// mdEscapes and htmlEscapes give what mdText and htmlText write for an
// ASCII character, "" for the character itself. Every character they
// replace is ASCII, and no byte of a multi-byte UTF-8 sequence is, so the
// text can be escaped byte by byte.
var mdEscapes, htmlEscapes = escapeTables()

func escapeTables() (md, html [utf8.RuneSelf]string) {
	entities := []struct {
		c   byte
		ref string
	}{{'<', "&lt;"}, {'>', "&gt;"}, {'&', "&amp;"}, {'"', "&quot;"}, {'\'', "&#39;"}}
	for _, e := range entities {
		md[e.c], html[e.c] = e.ref, e.ref
	}
	for _, c := range []byte("\\`*_[]()!#|~$") {
		md[c] = "\\" + string(c)
		html[c] = "&#" + strconv.Itoa(int(c)) + ";"
	}
	return md, html
}

// mdText makes untrusted text safe as inline markdown on one line: the
// characters that start HTML or entities are written as entities, and every
// other character that markdown gives a meaning inside a line (emphasis,
// code, links, images, headings' closing #, table cells, strikethrough,
// math) is escaped with a backslash. So is a start that would begin a list
// item or underline a heading, for text that starts a continuation line.
func mdText(s string) string {
	s = escape(safeLine(s), &mdEscapes)
	if s == "" {
		return s
	}
	if strings.IndexByte("-+=", s[0]) >= 0 {
		return `\` + s
	}
	digits := 0
	for digits < len(s) && '0' <= s[digits] && s[digits] <= '9' {
		digits++
	}
	if digits > 0 && digits < len(s) && s[digits] == '.' {
		return s[:digits] + `\` + s[digits:]
	}
	return s
}

// htmlText makes untrusted text safe as the content of an HTML block on one
// line. CommonMark does not read markdown there, but the characters of
// markdown's inline syntax are written as character references all the same,
// so that no other renderer can find a link or emphasis in it either.
func htmlText(s string) string {
	return escape(safeLine(s), &htmlEscapes)
}

// escape replaces the ASCII characters of s that table names.
func escape(s string, table *[utf8.RuneSelf]string) string {
	var b strings.Builder
	done := 0
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf || table[s[i]] == "" {
			continue
		}
		if done == 0 {
			b.Grow(len(s) + len(s)/8)
		}
		b.WriteString(s[done:i])
		b.WriteString(table[s[i]])
		done = i + 1
	}
	if done == 0 {
		return s
	}
	b.WriteString(s[done:])
	return b.String()
}

// linkURL returns raw as a markdown link destination when it is an absolute
// http or https URL with a host, with every byte that could end the
// destination or confuse a renderer percent-encoded.
func linkURL(raw string) (string, bool) {
	raw = strings.TrimSpace(raw)
	if !paperlist.IsHTTPURL(raw) || !utf8.ValidString(raw) {
		return "", false
	}
	const hex = "0123456789ABCDEF"
	var b strings.Builder
	for i := 0; i < len(raw); i++ {
		c := raw[i]
		if urlSafe(c) || c == '%' && i+2 < len(raw) && isHex(raw[i+1]) && isHex(raw[i+2]) {
			b.WriteByte(c)
			continue
		}
		b.WriteByte('%')
		b.WriteByte(hex[c>>4])
		b.WriteByte(hex[c&15])
	}
	return b.String(), true
}

// urlSafe reports whether c may appear in a link destination as it is:
// letters, digits and the URL punctuation that has no meaning to markdown or
// HTML there. Parentheses, quotes, angle brackets, backslashes, spaces and
// the like are not.
func urlSafe(c byte) bool {
	switch {
	case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9':
		return true
	}
	return strings.IndexByte("-._~:/?#[]@!$&*+,;=", c) >= 0
}

func isHex(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}
