package main

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/paperlist/paperlist"
)

// safeText makes text from a list (a title, a URL, a heading) safe to print
// on a terminal: escape sequences (CSI, OSC and the other strings, in their
// 7-bit ESC and 8-bit C1 forms) go whole, as do other control characters and
// the bidirectional controls that reorder what a terminal shows; tabs and
// line breaks become spaces, and runs of white space one space.
func safeText(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == 0x1b:
			i += escapeLen(s[i:])
			continue
		case r >= 0x80 && r <= 0x9f:
			// An 8-bit control: C1 CSI and string introducers start
			// sequences as their ESC forms do.
			i += size + sequenceLen(byte(r-0x40), s[i+size:])
			continue
		case r == '\t' || r == '\n' || r == '\r':
			b.WriteByte(' ')
		case r == utf8.RuneError && size == 1, unicode.IsControl(r), paperlist.IsBidiControl(r):
		default:
			b.WriteRune(r)
		}
		i += size
	}
	return paperlist.FoldSpace(b.String())
}

// escapeLen is the length of the escape sequence at the start of s, which
// starts with ESC.
func escapeLen(s string) int {
	if len(s) < 2 {
		return len(s)
	}
	return 2 + sequenceLen(s[1], s[2:])
}

// sequenceLen is the length of what follows the introducer ESC c (or its C1
// form) in s: a CSI's parameters and final byte, a control string up to and
// including its terminator, an nF sequence's intermediate and final bytes,
// nothing for a lone ESC c. An unterminated sequence runs to the end of s.
func sequenceLen(c byte, s string) int {
	switch c {
	case '[': // CSI: parameter and intermediate bytes, then a final byte
		for i := 0; i < len(s); i++ {
			if s[i] >= 0x40 && s[i] <= 0x7e {
				return i + 1
			}
			if s[i] < 0x20 || s[i] > 0x3f {
				return i // malformed: stop before the stray byte
			}
		}
		return len(s)
	case ']', 'P', 'X', '^', '_': // OSC, DCS, SOS, PM, APC: up to BEL or ST
		for i := 0; i < len(s); i++ {
			switch {
			case s[i] == 0x07:
				return i + 1
			case s[i] == 0x1b && i+1 < len(s) && s[i+1] == '\\':
				return i + 2
			case strings.HasPrefix(s[i:], "\u009c"):
				return i + len("\u009c")
			}
		}
		return len(s)
	}
	if c >= 0x20 && c <= 0x2f { // nF: more intermediates, then a final byte
		for i := 0; i < len(s); i++ {
			if s[i] < 0x20 || s[i] > 0x2f {
				if s[i] <= 0x7e && s[i] >= 0x30 {
					return i + 1
				}
				return i
			}
		}
		return len(s)
	}
	return 0
}
