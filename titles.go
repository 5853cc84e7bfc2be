package paperlist

import (
	"strings"
	"unicode"
)

// NormalizeTitle reduces a title to what identifies the paper: lower case,
// TeX markup gone ($…$, \emph{…}, braces, accent commands such as \"{o}),
// accented letters folded to their base letters, punctuation turned into
// word breaks, apostrophes dropped and white space folded to single spaces.
// "Self-attention Does Not Need $O(n^2)$ Memory." becomes
// "self attention does not need o n 2 memory".
func NormalizeTitle(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	space := true
	word := func(w string) {
		for _, r := range w {
			b.WriteRune(r)
		}
		space = false
	}
	brk := func() {
		if !space {
			b.WriteByte(' ')
			space = true
		}
	}
	rs := []rune(s)
	for i := 0; i < len(rs); i++ {
		r := rs[i]
		switch {
		case r == '\\':
			// A TeX command: a formatting command (\emph, \textbf) is
			// dropped and its argument kept; an accent command (\" \' \^)
			// is dropped so the letter it decorates remains; any other
			// named command (\alpha) keeps its name as a word.
			j := i + 1
			for j < len(rs) && isASCIILetter(rs[j]) {
				j++
			}
			name := string(rs[i+1 : j])
			switch {
			case name == "":
				if j < len(rs) {
					j++ // \" \' \& \$ and the like
				}
			case texFormatting[name]:
			case len(name) == 1 && strings.ContainsRune("cvuHkrdb", rs[i+1]):
				// One-letter accent commands: \c{c}, \v{s}, \H{o}.
			default:
				brk()
				word(strings.ToLower(name))
				brk()
			}
			i = j - 1
		case r == '{' || r == '}' || r == '$':
			// TeX grouping and math mode: markup, not a word break, so
			// "G\"{o}del" stays one word.
		case r == '\'' || r == '’' || r == '‘' || r == 'ʼ':
			// "LLaMA's" and "LLaMAs" are the same word.
		case unicode.Is(unicode.Mn, r):
			// A combining accent: keep only the base letter.
		default:
			if f, ok := titleFold[r]; ok {
				if unicode.Is(unicode.No, r) {
					brk() // n² is n^2: a power, not a new word "n2"
				}
				word(f)
				continue
			}
			lr := unicode.ToLower(r)
			if f, ok := titleFold[lr]; ok {
				word(f)
				continue
			}
			if unicode.IsLetter(lr) || unicode.IsDigit(lr) {
				word(string(lr))
				continue
			}
			brk()
		}
	}
	return strings.TrimSpace(b.String())
}

// SameTitle reports whether the title a list gives and the title a source
// fetched name the same paper. They do when they are equal once normalised
// (ignoring where words break, so "Fine-tuning" equals "Finetuning"), or
// when one of them only adds a subtitle, after a colon or a spaced dash,
// that the other lacks, or drops the main title and keeps the subtitle.
// Two titles that share a main title but differ in a word of it
// ("LLaMA-Adapter" against "LLaMA-Adapter V2") are different papers. A
// title that normalises to nothing matches only another such title.
func SameTitle(listed, fetched string) bool {
	if listed == fetched {
		// Most lists copy the title as the source gives it: no need to
		// normalise two equal strings to find them equal.
		return true
	}
	nl, nf := NormalizeTitle(listed), NormalizeTitle(fetched)
	if compact(nl) == compact(nf) {
		return true
	}
	if nl == "" || nf == "" {
		return false
	}
	lMain, lSub := splitSubtitle(listed)
	fMain, fSub := splitSubtitle(fetched)
	cl, cf := compact(nl), compact(nf)
	switch {
	case lSub != "" && compact(lMain) == cf:
		return true // the list adds a subtitle
	case fSub != "" && compact(fMain) == cl:
		return true // the source adds a subtitle
	case lSub != "" && fSub != "" && compact(lMain) == compact(fMain) && len(strings.Fields(lMain)) >= 2:
		return true // same main title, the subtitle was reworded
	case lSub != "" && len(strings.Fields(lSub)) >= 3 && compact(lSub) == cf:
		return true // the source drops the name before the colon
	case fSub != "" && len(strings.Fields(fSub)) >= 3 && compact(fSub) == cl:
		return true // the list drops the name before the colon
	}
	return false
}

// splitSubtitle splits a title at its first colon or spaced dash into the
// normalised main title and subtitle; sub is empty when there is none.
func splitSubtitle(s string) (main, sub string) {
	cut := -1
	width := 0
	for _, sep := range []string{":", " -- ", " — ", " – ", " - "} {
		if i := strings.Index(s, sep); i >= 0 && (cut < 0 || i < cut) {
			cut, width = i, len(sep)
		}
	}
	if cut < 0 {
		return NormalizeTitle(s), ""
	}
	return NormalizeTitle(s[:cut]), NormalizeTitle(s[cut+width:])
}

// compact removes the spaces of a normalised title.
func compact(s string) string {
	return strings.ReplaceAll(s, " ", "")
}

func isASCIILetter(r rune) bool {
	return r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z'
}

// texFormatting are TeX commands that only change how their argument looks.
var texFormatting = map[string]bool{
	"emph": true, "textbf": true, "textit": true, "texttt": true, "textsc": true,
	"textrm": true, "textsf": true, "text": true, "mathrm": true, "mathbf": true,
	"mathit": true, "mathcal": true, "mathbb": true, "mathsf": true, "mathtt": true,
	"bf": true, "it": true, "rm": true, "em": true, "sc": true, "tt": true, "sf": true,
	"boldsymbol": true, "bm": true, "operatorname": true, "mbox": true, "url": true,
	"left": true, "right": true,
}

// titleFold maps the letters that NFKD would decompose, and a few that it
// would not (ß, æ, ł, Greek letters that TeX spells out), to plain
// lower-case ASCII.
var titleFold = func() map[rune]string {
	m := map[rune]string{
		'ß': "ss", 'æ': "ae", 'Æ': "ae", 'œ': "oe", 'Œ': "oe", 'ø': "o", 'Ø': "o",
		'ł': "l", 'Ł': "l", 'đ': "d", 'Đ': "d", 'ð': "d", 'þ': "th", 'ı': "i",
		'²': "2", '³': "3", '¹': "1", '⁰': "0", '⁴': "4", 'ⁿ': "n",
		'α': "alpha", 'β': "beta", 'γ': "gamma", 'δ': "delta", 'ε': "epsilon",
		'ζ': "zeta", 'η': "eta", 'θ': "theta", 'κ': "kappa", 'λ': "lambda",
		'μ': "mu", 'ν': "nu", 'ξ': "xi", 'π': "pi", 'ρ': "rho", 'σ': "sigma",
		'τ': "tau", 'φ': "phi", 'χ': "chi", 'ψ': "psi", 'ω': "omega",
		'ﬁ': "fi", 'ﬂ': "fl",
	}
	for base, letters := range map[string]string{
		"a": "àáâãäåāăą", "c": "çćĉċč", "d": "ď", "e": "èéêëēĕėęě",
		"g": "ĝğġģ", "h": "ĥħ", "i": "ìíîïĩīĭį", "j": "ĵ", "k": "ķ",
		"l": "ĺļľŀ", "n": "ñńņňŉ", "o": "òóôõöōŏő", "r": "ŕŗř",
		"s": "śŝşšș", "t": "ţťŧț", "u": "ùúûüũūŭůűų", "w": "ŵ",
		"y": "ýÿŷ", "z": "źżž",
	} {
		for _, r := range letters {
			m[r] = base
			m[unicode.ToUpper(r)] = base
		}
	}
	return m
}()
