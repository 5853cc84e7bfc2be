package markdown

import (
	"regexp"
	"strings"
	"unicode"
)

// leadToken is one leading token of an entry: a date ("[2023/02]",
// "2024-05-12"), a venue in brackets or parentheses ("[AIJ'2017]",
// "(WWW 2024)", "(*arXiv 2023.10*)"), a reference number ("6)", "[7]"),
// with the emoji, bullets and separators around it.
var leadToken = regexp.MustCompile(`^[\s\p{So}\p{Sk}\x{FE0F}\x{200D}|:·•–—-]*(?:\[([^\[\]\n]{1,40})\]|\(([^()\n]{1,40})\)|【([^】\n]{1,40})】|(?:19|20)\d\d[-/.]\d{1,2}(?:[-/.]\d{1,2})?\b|\d{1,3}[.)]\s)[\s\p{So}\p{Sk}\x{FE0F}\x{200D}|:·•–—-]*`)

// leadSpace is what may stand between leading tokens: white space, emoji
// and separators.
var leadSpace = regexp.MustCompile(`^[\s\p{So}\p{Sk}\x{FE0F}\x{200D}|:·•–—-]+`)

// acronym is bracketed text that names a venue without a year: "[AIJ]",
// "(NeurIPS)".
var acronym = regexp.MustCompile(`^[A-Z][A-Za-z&'-]*[A-Z][A-Za-z&'-]*(?: [A-Za-z&'-]+){0,2}$`)

// setAside sets the leading tokens of an entry aside: it returns the tokens
// with the text of the leading ones removed (in place) and that text. Only
// plain and italic text before the first link, bold title and line break
// is looked at, and a leading token is set aside only when something
// follows it.
func setAside(toks []token) ([]token, string) {
	var b strings.Builder
	n := 0
	for _, t := range toks {
		if t.kind != tokText && t.kind != tokItalic && !(t.kind == tokBold && isReferenceNumber(t.text)) {
			break
		}
		b.WriteString(t.text)
		n++
	}
	s := b.String()
	if s == "" {
		return toks, ""
	}
	pos := leadLen(s)
	if pos == 0 {
		return toks, ""
	}
	if strings.TrimSpace(s[pos:]) == "" && n == len(toks) {
		// Nothing follows: the text is not a lead but all there is.
		return toks, ""
	}
	lead := s[:pos]
	for i := 0; i < n && pos > 0; i++ {
		t := &toks[i]
		if len(t.text) <= pos {
			pos -= len(t.text)
			t.text = ""
			continue
		}
		t.text = t.text[pos:]
		pos = 0
	}
	return toks, lead
}

// leadLen is the length of the leading tokens at the start of s.
func leadLen(s string) int {
	pos := 0
	for pos < len(s) {
		m := leadToken.FindStringSubmatchIndex(s[pos:])
		if m == nil || m[1] == 0 {
			break
		}
		if inner := firstGroup(s[pos:], m); inner != "" && !isLeadText(inner) {
			break
		}
		pos += m[1]
	}
	if sp := leadSpace.FindStringIndex(s[pos:]); sp != nil {
		pos += sp[1]
	}
	return pos
}

// firstGroup is the first matched group of a leadToken match in s.
func firstGroup(s string, m []int) string {
	for g := 1; 2*g+1 < len(m); g++ {
		if m[2*g] >= 0 {
			return s[m[2*g]:m[2*g+1]]
		}
	}
	return ""
}

// isLeadText reports whether bracketed text is a leading token: it holds a
// digit (a date, a year, a reference number) or names a venue.
func isLeadText(s string) bool {
	s = strings.Trim(strings.TrimSpace(s), "*_")
	for _, r := range s {
		if unicode.IsDigit(r) {
			return true
		}
	}
	return len(s) <= 24 && acronym.MatchString(s)
}

// leadYear and leadWord find a year and a venue in leading tokens.
var (
	leadYear = regexp.MustCompile(`(?:19|20)\d\d`)
	leadWord = regexp.MustCompile(`\p{L}[\p{L}\p{N}&-]*`)
)

// leadVenue returns the venue and year that leading tokens name:
// "[AIJ'2017]" is AIJ 2017, "(WWW 2024)" WWW 2024, "[2023/02]" the year
// 2023 alone.
func leadVenue(lead string) (string, int) {
	y := leadYear.FindStringIndex(lead)
	if y == nil {
		return "", 0
	}
	year := int(lead[y[0]]-'0')*1000 + int(lead[y[0]+1]-'0')*100 + int(lead[y[0]+2]-'0')*10 + int(lead[y[0]+3]-'0')
	venue := leadWord.FindString(lead)
	if strings.EqualFold(venue, "arxiv") {
		venue = "arXiv"
	}
	return venue, year
}

// quotedTitle is the first quoted text of three words or more in s:
// `Authors. "A Title." Venue 2019.`
func quotedTitle(s string) string {
	for _, q := range [][2]string{{"“", "”"}, {`"`, `"`}} {
		i := strings.Index(s, q[0])
		if i < 0 {
			continue
		}
		j := strings.Index(s[i+len(q[0]):], q[1])
		if j < 0 {
			continue
		}
		t := cleanTitle(s[i+len(q[0]) : i+len(q[0])+j])
		if len(strings.Fields(t)) >= 3 {
			return t
		}
	}
	return ""
}

// paperHosts are hosts whose pages are papers: DOI resolvers, publishers,
// proceedings, preprint servers and review sites.
var paperHosts = []string{
	"doi.org", "dx.doi.org", "dl.acm.org", "ieeexplore.ieee.org", "link.springer.com",
	"sciencedirect.com", "openreview.net", "aclanthology.org", "aclweb.org",
	"proceedings.neurips.cc", "papers.nips.cc", "neurips.cc", "openaccess.thecvf.com",
	"proceedings.mlr.press", "jmlr.org", "ojs.aaai.org", "aaai.org", "ijcai.org",
	"nature.com", "science.org", "onlinelibrary.wiley.com", "tandfonline.com", "mdpi.com",
	"biorxiv.org", "medrxiv.org", "ssrn.com", "usenix.org", "ndss-symposium.org",
	"semanticscholar.org", "researchgate.net", "ecva.net", "bmva.org", "isca-speech.org",
	"pubmed.ncbi.nlm.nih.gov", "ncbi.nlm.nih.gov", "academic.oup.com", "cell.com",
	"pnas.org", "journals.plos.org", "frontiersin.org", "iopscience.iop.org",
	"papers.ssrn.com", "computer.org", "escholarship.org", "hal.science", "psyarxiv.com",
	"osf.io", "chemrxiv.org", "techrxiv.org", "preprints.org", "iclr.cc", "icml.cc",
}

// isPaperPage reports whether a link goes to a page of a paper host, below
// its front page.
func isPaperPage(dest string) bool {
	d := dest
	if i := strings.Index(d, "://"); i >= 0 {
		d = d[i+3:]
	} else {
		return false
	}
	host, path, _ := strings.Cut(d, "/")
	if strings.Trim(path, "/") == "" {
		return false
	}
	host = strings.ToLower(strings.TrimPrefix(host, "www."))
	if i := strings.IndexByte(host, ':'); i >= 0 {
		host = host[:i]
	}
	for _, h := range paperHosts {
		// host ends in "."+h, said without building that string for
		// every link and host.
		if host == h || len(host) > len(h) && strings.HasSuffix(host, h) && host[len(host)-len(h)-1] == '.' {
			return true
		}
	}
	return false
}
