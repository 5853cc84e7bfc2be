package listedit

import (
	"github.com/paperlist/paperlist"
)

// The stars marker is what `fix -stars` writes right after the closing
// parenthesis of an inline code link: one space, "★" (U+2605), one space
// and the count in the form papers.md uses (StarsText):
//
//	[code](https://github.com/vllm-project/vllm) ★ 56.1k
//
// A marker is recognised by exactly that shape: " ★ " then digits, an
// optional "." and one digit, an optional "k" or "M", and then no further
// letter or digit. So a rerun finds the marker it wrote before and replaces
// its number instead of adding another, and a count that did not move
// gives no edit at all. Text a person wrote in the same shape after a code
// link is taken for a marker too.
const starsPrefix = " ★ "

// StarsText returns the star count as papers.md shows it: "★ 56.1k".
func StarsText(stars int) string {
	return "★ " + paperlist.CompactCount(stars)
}

// StarsSpan returns where the stars marker of the inline code link whose
// target is at code goes: the span of the marker a previous run wrote, or
// the empty span just after the link's closing parenthesis when there is
// none. ok is false when code is not the target of an inline link closed by
// ")" in src (a reference definition, an autolink, a bare URL, a span that
// is zero or outside src): such a link gets no marker.
func StarsSpan(src []byte, code paperlist.Span) (paperlist.Span, bool) {
	if code.IsZero() || code.Start < 1 || code.End < code.Start || code.End > len(src) {
		return paperlist.Span{}, false
	}
	open := code.Start - 1
	angle := src[open] == '<'
	if angle {
		open--
	}
	if open < 1 || src[open] != '(' || src[open-1] != ']' {
		return paperlist.Span{}, false
	}
	i := code.End
	if angle {
		if i >= len(src) || src[i] != '>' {
			return paperlist.Span{}, false
		}
		i++
	}
	i = skipSpace(src, i)
	if i < len(src) && (src[i] == '"' || src[i] == '\'' || src[i] == '(') {
		// A link title: "…", '…' or (…), with backslash escapes.
		closer := src[i]
		if closer == '(' {
			closer = ')'
		}
		i++
		for i < len(src) && src[i] != closer {
			if src[i] == '\\' {
				i++
			}
			i++
		}
		if i >= len(src) {
			return paperlist.Span{}, false
		}
		i = skipSpace(src, i+1)
	}
	if i >= len(src) || src[i] != ')' {
		return paperlist.Span{}, false
	}
	at := i + 1
	return paperlist.Span{Start: at, End: at + markerLen(src[at:])}, true
}

// StarsEdit returns the edit that writes the marker for stars after the
// inline code link at code, replacing a marker a previous run wrote. ok is
// false when there is nothing to do: the link takes no marker (see
// StarsSpan), its marker already shows this count, or the text right after
// the link would read as part of the count (a digit, a letter, "." and a
// digit), so that a rerun could not find the marker again.
func StarsEdit(src []byte, code paperlist.Span, stars int) (Edit, bool) {
	return markerEdit(src, code, " "+StarsText(stars))
}

// UnstarEdit returns the edit that removes the stars marker after the code
// link at code, for a repository that is gone or unavailable. ok is false
// when there is no marker there.
func UnstarEdit(src []byte, code paperlist.Span) (Edit, bool) {
	return markerEdit(src, code, "")
}

func markerEdit(src []byte, code paperlist.Span, marker string) (Edit, bool) {
	at, ok := StarsSpan(src, code)
	if !ok || string(src[at.Start:at.End]) == marker {
		return Edit{}, false
	}
	if marker != "" {
		// Text right after the link that would read as more of the count
		// ("[code](…)00") would be taken into the marker by a rerun: no
		// marker there.
		after := src[at.End:min(len(src), at.End+3)]
		if markerLen(append([]byte(marker), after...)) != len(marker) {
			return Edit{}, false
		}
	}
	return Edit{Span: at, New: marker}, true
}

// markerLen is the length of the stars marker s starts with, or 0.
func markerLen(s []byte) int {
	if len(s) < len(starsPrefix) || string(s[:len(starsPrefix)]) != starsPrefix {
		return 0
	}
	i := len(starsPrefix)
	digits := func() int {
		n := 0
		for i < len(s) && isDigit(s[i]) {
			i++
			n++
		}
		return n
	}
	if digits() == 0 {
		return 0
	}
	if i+1 < len(s) && s[i] == '.' && isDigit(s[i+1]) {
		i += 2
	}
	if i < len(s) && (s[i] == 'k' || s[i] == 'M') {
		i++
	}
	if i < len(s) && (isDigit(s[i]) || s[i]|0x20 >= 'a' && s[i]|0x20 <= 'z') {
		return 0
	}
	return i
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

// skipSpace skips the spaces, tabs and line breaks CommonMark allows
// between a link's destination, its title and its closing parenthesis.
func skipSpace(src []byte, i int) int {
	for i < len(src) && (src[i] == ' ' || src[i] == '\t' || src[i] == '\n' || src[i] == '\r') {
		i++
	}
	return i
}
