package output

import (
	"encoding/json"
	"reflect"
	"strconv"
	"time"
	"unicode/utf8"

	"github.com/paperlist/paperlist"
)

// paperEncoder appends a paper to a reused buffer as an element of the
// papers array of papers.json: the bytes encoding/json gives for it,
// indented as json.Indent would with the prefix "    " and the indent
// "  ". It is written by hand because encoding/json's reflection and the
// second pass that indented its output were most of the CPU and garbage
// of writing a large list; the tests hold it to encoding/json, field by
// field, so a field added to Paper or its records fails them until it is
// written here.
type paperEncoder struct {
	b []byte
	// depth is how deep the next line is indented past the prefix.
	depth int
	// empty is set while the object or array last opened holds nothing.
	empty bool
	err   error
}

// encode returns p encoded; the bytes are valid until the next call.
func (e *paperEncoder) encode(p *paperlist.Paper) ([]byte, error) {
	e.b, e.depth, e.empty, e.err = e.b[:0], 0, false, nil
	e.open('{')
	e.str("key", p.Key)
	e.strOmit("section", p.Section)
	e.strings("section_path", p.SectionPath)
	e.boolOmit("title_only", p.TitleOnly)
	e.int("line", int64(p.Line))
	e.str("title", p.Title)
	e.strings("authors", p.Authors)
	e.strOmit("venue", p.Venue)
	e.intOmit("year", int64(p.Year))
	e.strOmit("paper_url", p.PaperURL)
	e.strOmit("code_url", p.CodeURL)
	e.strOmit("arxiv_id", p.ArxivID)
	e.intOmit("arxiv_version", int64(p.ArxivVersion))
	e.strOmit("repo", p.Repo)
	e.strOmit("arxiv_id_source", p.ArxivIDSource)
	e.intPtr("citations", p.Citations)
	e.intPtr("influential_citations", p.InfluentialCitations)
	e.strOmit("scholar_venue", p.ScholarVenue)
	e.strOmit("doi", p.DOI)
	e.strOmit("semantic_scholar_url", p.SemanticScholarURL)
	e.strOmit("open_access_pdf", p.OpenAccessPDF)
	if a := p.Arxiv; a != nil {
		e.key("arxiv")
		e.arxiv(a)
	}
	if g := p.GitHub; g != nil {
		e.key("github")
		e.repo(g)
	}
	if pg := p.Page; pg != nil {
		e.key("page")
		e.page(pg)
	}
	if len(p.Problems) > 0 {
		e.key("problems")
		e.open('[')
		for _, pr := range p.Problems {
			e.next()
			e.open('{')
			e.str("code", pr.Code)
			e.str("message", pr.Message)
			e.close('}')
		}
		e.close(']')
	}
	e.close('}')
	return e.b, e.err
}

func (e *paperEncoder) arxiv(a *paperlist.ArxivRecord) {
	e.open('{')
	e.str("id", a.ID)
	e.intOmit("version", int64(a.Version))
	e.str("title", a.Title)
	e.strOmit("abstract", a.Abstract)
	if len(a.Authors) > 0 {
		e.key("authors")
		e.open('[')
		for _, au := range a.Authors {
			e.next()
			e.open('{')
			e.str("name", au.Name)
			e.strings("affiliations", au.Affiliations)
			e.close('}')
		}
		e.close(']')
	}
	e.time("published", a.Published)
	e.time("updated", a.Updated)
	e.strOmit("primary_category", a.PrimaryCategory)
	e.strings("categories", a.Categories)
	e.strOmit("comment", a.Comment)
	e.strOmit("journal_ref", a.JournalRef)
	e.strOmit("doi", a.DOI)
	e.strOmit("abs_url", a.AbsURL)
	e.strOmit("pdf_url", a.PDFURL)
	e.boolOmit("withdrawn", a.Withdrawn)
	e.time("fetched_at", a.FetchedAt)
	e.close('}')
}

func (e *paperEncoder) repo(g *paperlist.RepoStats) {
	e.open('{')
	e.str("full_name", g.FullName)
	e.intOmit("id", g.ID)
	e.strOmit("html_url", g.HTMLURL)
	e.strOmit("description", g.Description)
	e.int("stars", int64(g.Stars))
	e.int("forks", int64(g.Forks))
	e.int("open_issues", int64(g.OpenIssues))
	e.int("watchers", int64(g.Watchers))
	e.strOmit("language", g.Language)
	e.strOmit("license", g.License)
	e.strings("topics", g.Topics)
	e.bool("archived", g.Archived)
	e.boolOmit("disabled", g.Disabled)
	e.boolOmit("fork", g.Fork)
	e.time("pushed_at", g.PushedAt)
	e.time("created_at", g.CreatedAt)
	e.strOmit("homepage", g.Homepage)
	e.strOmit("default_branch", g.DefaultBranch)
	e.time("fetched_at", g.FetchedAt)
	e.intPtr("stars_7d", g.Stars7d)
	e.intPtr("stars_30d", g.Stars30d)
	e.close('}')
}

func (e *paperEncoder) page(pg *paperlist.PageRecord) {
	e.open('{')
	e.str("url", pg.URL)
	e.strOmit("title", pg.Title)
	e.strOmit("abstract", pg.Abstract)
	e.strings("authors", pg.Authors)
	e.strOmit("published", pg.Published)
	e.strOmit("pdf_url", pg.PDFURL)
	e.strOmit("doi", pg.DOI)
	e.time("fetched_at", pg.FetchedAt)
	e.close('}')
}

// spaces is long enough for any depth a paper reaches; deeper lines, if
// a record ever nests that far, are indented a step at a time.
const spaces = "\n                                                              "

// newline starts a line indented to the current depth.
func (e *paperEncoder) newline() {
	n := 1 + len("    ") + len("  ")*e.depth
	if n <= len(spaces) {
		e.b = append(e.b, spaces[:n]...)
		return
	}
	e.b = append(e.b, "\n    "...)
	for range e.depth {
		e.b = append(e.b, "  "...)
	}
}

func (e *paperEncoder) open(c byte) {
	e.b = append(e.b, c)
	e.depth++
	e.empty = true
}

// close ends the object or array last opened; an empty one stays on its
// line, as json.Indent leaves it.
func (e *paperEncoder) close(c byte) {
	e.depth--
	if !e.empty {
		e.newline()
	}
	e.b = append(e.b, c)
	e.empty = false
}

// next starts a member or element of the object or array last opened.
func (e *paperEncoder) next() {
	if !e.empty {
		e.b = append(e.b, ',')
	}
	e.empty = false
	e.newline()
}

// key starts a member named k, which needs no escaping.
func (e *paperEncoder) key(k string) {
	e.next()
	e.b = append(e.b, '"')
	e.b = append(e.b, k...)
	e.b = append(e.b, '"', ':', ' ')
}

func (e *paperEncoder) str(k, s string) {
	e.key(k)
	e.b = appendJSONString(e.b, s)
}

func (e *paperEncoder) strOmit(k, s string) {
	if s != "" {
		e.str(k, s)
	}
}

// strings writes a list of strings under omitempty: nil and empty are
// both left out.
func (e *paperEncoder) strings(k string, ss []string) {
	if len(ss) == 0 {
		return
	}
	e.key(k)
	e.open('[')
	for _, s := range ss {
		e.next()
		e.b = appendJSONString(e.b, s)
	}
	e.close(']')
}

func (e *paperEncoder) int(k string, n int64) {
	e.key(k)
	e.b = strconv.AppendInt(e.b, n, 10)
}

func (e *paperEncoder) intOmit(k string, n int64) {
	if n != 0 {
		e.int(k, n)
	}
}

// intPtr writes *n, even 0; only nil is left out.
func (e *paperEncoder) intPtr(k string, n *int) {
	if n != nil {
		e.int(k, int64(*n))
	}
}

func (e *paperEncoder) bool(k string, v bool) {
	e.key(k)
	e.b = strconv.AppendBool(e.b, v)
}

func (e *paperEncoder) boolOmit(k string, v bool) {
	if v {
		e.bool(k, v)
	}
}

var timeType = reflect.TypeFor[time.Time]()

// time writes t under omitzero as time.Time.MarshalJSON does once jsonTime
// has made it UTC to the second: RFC 3339 with no fraction. A year
// MarshalJSON refuses gives the error encoding/json gave for it.
func (e *paperEncoder) time(k string, t time.Time) {
	t = jsonTime(t)
	if t.IsZero() {
		return
	}
	if y := t.Year(); y < 0 || y > 9999 {
		if _, err := t.MarshalJSON(); err != nil && e.err == nil {
			e.err = &json.MarshalerError{Type: timeType, Err: err}
		}
		return
	}
	e.key(k)
	e.b = append(e.b, '"')
	e.b = t.AppendFormat(e.b, time.RFC3339Nano)
	e.b = append(e.b, '"')
}

// jsonSafe marks the ASCII bytes encoding/json copies into a string as
// they are: not a control character, a quote, a backslash or one of the
// HTML characters <, > and &.
var jsonSafe = func() (safe [utf8.RuneSelf]bool) {
	for c := 0x20; c < utf8.RuneSelf; c++ {
		safe[c] = true
	}
	for _, c := range `"\<>&` {
		safe[c] = false
	}
	return safe
}()

const hexDigits = "0123456789abcdef"

// appendJSONString appends s quoted as encoding/json quotes a string by
// default: \" \\ \b \f \n \r \t, other control characters and < > & as
// \u00XX, U+2028 and U+2029 escaped, and each byte of invalid UTF-8 as
// \ufffd.
func appendJSONString(dst []byte, s string) []byte {
	dst = append(dst, '"')
	start, words := 0, 0
	for i := 0; i < len(s); {
		// Most of a paper's bytes are plain ASCII in abstracts: eight
		// at a time are let through when none needs a look. The word
		// that stops them is then read a byte at a time.
		if i >= words {
			i += safeWords(s[i:])
			words = i + 8
			if i == len(s) {
				break
			}
		}
		if c := s[i]; c < utf8.RuneSelf {
			if jsonSafe[c] {
				i++
				continue
			}
			dst = append(dst, s[start:i]...)
			switch c {
			case '"', '\\':
				dst = append(dst, '\\', c)
			case '\b':
				dst = append(dst, '\\', 'b')
			case '\f':
				dst = append(dst, '\\', 'f')
			case '\n':
				dst = append(dst, '\\', 'n')
			case '\r':
				dst = append(dst, '\\', 'r')
			case '\t':
				dst = append(dst, '\\', 't')
			default:
				dst = append(dst, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xf])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			dst = append(dst, s[start:i]...)
			dst = append(dst, `\ufffd`...)
		case r == '\u2028' || r == '\u2029':
			dst = append(dst, s[start:i]...)
			dst = append(dst, '\\', 'u', '2', '0', '2', hexDigits[r&0xf])
		default:
			i += size
			continue
		}
		i += size
		start = i
	}
	dst = append(dst, s[start:]...)
	return append(dst, '"')
}

// safeWords returns the length of the run of 8-byte words s begins with
// that are all ASCII appendJSONString copies as they are, testing a word
// at once: no byte has its high bit set, is below 0x20, or equals one of
// " \\ < > &. (The tests for a byte below n or equal to c are exact for
// "some byte of the word", which is all that is asked.)
func safeWords(s string) int {
	const ones, highs = 0x0101010101010101, 0x8080808080808080
	const quote, backslash, lt, gt, amp = ones * '"', ones * '\\', ones * '<', ones * '>', ones * '&'
	i := 0
	for ; i+8 <= len(s); i += 8 {
		w := s[i : i+8]
		x := uint64(w[0]) | uint64(w[1])<<8 | uint64(w[2])<<16 | uint64(w[3])<<24 |
			uint64(w[4])<<32 | uint64(w[5])<<40 | uint64(w[6])<<48 | uint64(w[7])<<56
		m := x | (x-ones*0x20)&^x
		v := x ^ quote
		m |= (v - ones) &^ v
		v = x ^ backslash
		m |= (v - ones) &^ v
		v = x ^ lt
		m |= (v - ones) &^ v
		v = x ^ gt
		m |= (v - ones) &^ v
		v = x ^ amp
		m |= (v - ones) &^ v
		if m&highs != 0 {
			break
		}
	}
	return i
}
