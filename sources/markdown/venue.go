package markdown

import (
	"unicode"
	"unicode/utf8"
)

// venueYear finds the first venue and year in s: "arxiv 2023",
// "NeurIPS 2022", "[ICLR 2019]": a word that is "arxiv" in any case or
// starts with a capital letter (letters, digits, "&" and "-"), not preceded
// by a letter, digit or "_", then white space and a year 1900–2099 not
// followed by a digit. It returns the venue's start and end in s and the
// year, or -1 and zeros. It does what the regular expression
//
//	(?:^|[^\p{L}\p{N}_])((?i:arxiv)|\p{Lu}[\p{L}\p{N}&-]*)\s+((?:19|20)\d\d)(?:$|[^\p{N}])
//
// does (TestVenueYearIsTheExpression checks), without its cost on every
// entry.
func venueYear(s string) (start, end, year int) {
	if !hasYear(s) {
		return -1, 0, 0
	}
	prevWord := false // the rune before i is a letter, digit or "_"
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		if !prevWord {
			if end, year, ok := venueYearAt(s, i); ok {
				return i, end, year
			}
		}
		prevWord = unicode.IsLetter(r) || unicode.IsNumber(r) || r == '_'
		i += size
	}
	return -1, 0, 0
}

// venueYearAt matches a venue and year starting at s[i].
func venueYearAt(s string, i int) (end, year int, ok bool) {
	r, _ := utf8.DecodeRuneInString(s[i:])
	j := i
	for j < len(s) {
		c, size := utf8.DecodeRuneInString(s[j:])
		if !unicode.IsLetter(c) && !unicode.IsNumber(c) && c != '&' && c != '-' {
			break
		}
		j += size
	}
	word := s[i:j]
	isArxiv := len(word) == 5 && equalFoldASCII(word, "arxiv")
	if !isArxiv && !unicode.IsUpper(r) {
		return 0, 0, false
	}
	end = j
	// RE2's \s: no vertical tab.
	for j < len(s) && (s[j] == ' ' || s[j] == '\t' || s[j] == '\n' || s[j] == '\f' || s[j] == '\r') {
		j++
	}
	if j == end || j+4 > len(s) {
		return 0, 0, false
	}
	y := s[j : j+4]
	if !(y[0] == '1' && y[1] == '9' || y[0] == '2' && y[1] == '0') || !isDigit(y[2]) || !isDigit(y[3]) {
		return 0, 0, false
	}
	if j+4 < len(s) {
		if c, _ := utf8.DecodeRuneInString(s[j+4:]); unicode.IsNumber(c) {
			return 0, 0, false
		}
	}
	year = int(y[0]-'0')*1000 + int(y[1]-'0')*100 + int(y[2]-'0')*10 + int(y[3]-'0')
	return end, year, true
}

func equalFoldASCII(s, lower string) bool {
	for i := 0; i < len(s); i++ {
		if s[i]|0x20 != lower[i] {
			return false
		}
	}
	return true
}
