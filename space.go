package paperlist

import (
	"strings"
	"unicode/utf8"
)

// FoldSpace folds each run of white space in s into one space and trims it
// from both ends. White space is what unicode.IsSpace says it is: tabs, line
// breaks and the Unicode spaces such as the no-break space, as well as the
// space itself. Everything else stays as written.
//
// Text read from lists, feeds and pages is wrapped and indented at will;
// FoldSpace is the one way paperlist puts it on one line. Most text is
// folded ASCII already and is then returned without a copy.
func FoldSpace(s string) string {
	if isFoldedASCII(s) {
		return s
	}
	return strings.Join(strings.Fields(s), " ")
}

// isFoldedASCII reports whether FoldSpace would leave s as it is because s
// is ASCII with single spaces between words and none at the ends.
func isFoldedASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c >= utf8.RuneSelf, c == '\t', c == '\n', c == '\v', c == '\f', c == '\r':
			return false
		case c == ' ' && (i == 0 || i == len(s)-1 || s[i-1] == ' '):
			return false
		}
	}
	return true
}
