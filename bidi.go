package paperlist

// IsBidiControl reports whether r is one of the Unicode bidirectional
// formatting characters (ALM, LRM, RLM, LRE…RLO, LRI…PDI), which can make
// a reader or a terminal show text in an order other than the one it has.
// The writers drop them, and so does the command's terminal output.
func IsBidiControl(r rune) bool {
	return r == '\u061C' || r == '\u200E' || r == '\u200F' ||
		('\u202A' <= r && r <= '\u202E') || ('\u2066' <= r && r <= '\u2069')
}
