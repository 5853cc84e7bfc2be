package arxivtest

import (
	"cmp"
	"errors"
	"math"
	"slices"
	"strings"
	"time"

	"github.com/paperlist/paperlist"
)

// This file is the server's search_query: the query language of the export
// API (https://info.arxiv.org/help/api/user-manual.html#query_details) as
// arXiv's own Python service reads it (github.com/arXiv/arxiv-search,
// search/domain/classic_api): NOT becomes ANDNOT; of several operators in a
// row the last counts; a prefix before parentheses, ti:(a b), goes to every
// term inside; a term without a prefix gets all:; two terms with no
// operator between them are joined by OR; au:del_maestro is
// au:"del maestro"; title: is ti:; a prefix with nothing after it is
// dropped; an unmatched double quote is ignored. The feed's title echoes
// the query so rewritten, as arXiv's does ("search_query=testing" comes
// back as "all:testing").

// Fields a term can name.
const (
	fieldAll         = "all"
	fieldTitle       = "ti"
	fieldAuthor      = "au"
	fieldAbstract    = "abs"
	fieldComment     = "co"
	fieldJournalRef  = "jr"
	fieldCategory    = "cat"
	fieldReportNo    = "rn"
	fieldID          = "id"
	fieldDOI         = "doi"
	fieldSubmitted   = "submittedDate"
	fieldLastUpdated = "lastUpdatedDate"
)

// knownFields are the prefixes the query language has, "title" being
// arXiv's alias of "ti".
var knownFields = map[string]bool{
	fieldAll: true, fieldTitle: true, "title": true, fieldAuthor: true, fieldAbstract: true,
	fieldComment: true, fieldJournalRef: true, fieldCategory: true, fieldReportNo: true,
	fieldID: true, fieldDOI: true, fieldSubmitted: true, fieldLastUpdated: true,
}

// Kinds of token.
const (
	tokPrefix = iota + 1
	tokOpen
	tokClose
	tokOperator
	tokText
)

type token struct {
	kind int
	text string // the prefix without its colon, the operator, the text with its quotes
}

// searchQuery is a parsed search_query.
type searchQuery struct {
	root node
	// echo is the query as arXiv rewrites it, for the feed's title.
	echo string
}

var errBadQuery = errors.New("invalid search_query")

// parseSearchQuery reads a search_query; nil for an empty one.
func parseSearchQuery(raw string) (*searchQuery, error) {
	raw = strings.NewReplacer("\r", " ", "\n", " ").Replace(raw)
	raw = bracketRanges(raw)
	toks := adapt(tokenize(raw))
	if len(toks) == 0 {
		return nil, nil
	}
	p := &parser{toks: toks}
	root, err := p.or()
	if err != nil {
		return nil, err
	}
	if p.i < len(p.toks) {
		return nil, errBadQuery
	}
	return &searchQuery{root: root, echo: echo(toks)}, nil
}

// bracketRanges writes the date ranges submittedDate:[A TO B] as the
// phrases submittedDate:"A TO B", which is how arXiv reads them.
func bracketRanges(q string) string {
	var b strings.Builder
	for {
		i := strings.Index(q, "Date:[")
		if i < 0 {
			break
		}
		j := strings.IndexByte(q[i:], ']')
		if j < 0 {
			break
		}
		b.WriteString(q[:i] + `Date:"` + q[i+len("Date:["):i+j] + `"`)
		q = q[i+j+1:]
	}
	b.WriteString(q)
	return b.String()
}

func tokenize(q string) []token {
	var toks []token
	for i := 0; i < len(q); {
		c := q[i]
		switch {
		case c == ' ' || c == '\t':
			i++
		case c == '(':
			toks = append(toks, token{tokOpen, "("})
			i++
		case c == ')':
			toks = append(toks, token{tokClose, ")"})
			i++
		case c == '"':
			j := strings.IndexByte(q[i+1:], '"')
			if j < 0 {
				i++ // an unmatched quote
				continue
			}
			toks = append(toks, token{tokText, q[i : i+j+2]})
			i += j + 2
		default:
			j := i
			for j < len(q) && !strings.ContainsRune(" \t()\"", rune(q[j])) {
				j++
			}
			word := q[i:j]
			i = j
			if name, rest, ok := strings.Cut(word, ":"); ok && knownFields[name] {
				toks = append(toks, token{tokPrefix, name})
				if rest != "" {
					toks = append(toks, token{tokText, rest})
				}
				continue
			}
			switch word {
			case "AND", "OR", "ANDNOT", "NOT":
				toks = append(toks, token{tokOperator, word})
			default:
				toks = append(toks, token{tokText, word})
			}
		}
	}
	return toks
}

// adapt rewrites tokens the way arXiv does before it searches.
func adapt(in []token) []token {
	var out []token
	// prefixes holds, for each open parenthesis, the prefix its terms
	// inherit ("" for none).
	var prefixes []string
	inherited := func() string {
		for i := len(prefixes) - 1; i >= 0; i-- {
			if prefixes[i] != "" {
				return prefixes[i]
			}
		}
		return fieldAll
	}
	for i, t := range in {
		switch t.kind {
		case tokPrefix:
			if t.text == "title" {
				t.text = fieldTitle
			}
			if i+1 < len(in) && in[i+1].kind == tokOpen {
				prefixes = append(prefixes, t.text)
				continue // the parenthesis that follows takes it
			}
			if i+1 >= len(in) || in[i+1].kind != tokText {
				continue // a prefix with nothing after it
			}
		case tokOpen:
			if i == 0 || in[i-1].kind != tokPrefix {
				prefixes = append(prefixes, "")
			}
		case tokClose:
			if len(prefixes) > 0 {
				prefixes = prefixes[:len(prefixes)-1]
			}
		case tokOperator:
			if t.text == "NOT" {
				t.text = "ANDNOT"
			}
			if len(out) > 0 && out[len(out)-1].kind == tokOperator {
				out[len(out)-1] = t // the last of several operators counts
				continue
			}
		case tokText:
			if len(out) == 0 || out[len(out)-1].kind != tokPrefix {
				out = appendOperand(out, token{tokPrefix, inherited()})
			}
			if out[len(out)-1].text == fieldAuthor && strings.Contains(t.text, "_") {
				t.text = `"` + strings.ReplaceAll(strings.Trim(t.text, `"`), "_", " ") + `"`
			}
			out = append(out, t)
			continue
		}
		if t.kind == tokPrefix || t.kind == tokOpen {
			out = appendOperand(out, t)
			continue
		}
		out = append(out, t)
	}
	return out
}

// appendOperand appends t, which starts an operand, with an OR before it
// when the operand before it has no operator after it.
func appendOperand(out []token, t token) []token {
	if n := len(out); n > 0 && (out[n-1].kind == tokText || out[n-1].kind == tokClose) {
		out = append(out, token{tokOperator, "OR"})
	}
	return append(out, t)
}

// echo writes the tokens back as a query, the way arXiv's feed title shows
// it.
func echo(toks []token) string {
	var b strings.Builder
	for i, t := range toks {
		if i > 0 {
			prev := toks[i-1]
			glued := prev.kind == tokOpen && t.kind == tokPrefix ||
				prev.kind == tokText && t.kind == tokClose ||
				prev.kind == tokPrefix && t.kind == tokText
			if !glued {
				b.WriteByte(' ')
			}
		}
		b.WriteString(t.text)
		if t.kind == tokPrefix {
			b.WriteByte(':')
		}
	}
	return b.String()
}

// parser reads adapted tokens into a tree: ANDNOT and AND bind tighter than
// OR, as in the Lucene arXiv's API ran on; an operator with no operand
// before or after it is ignored; parentheses must match.
type parser struct {
	toks []token
	i    int
}

func (p *parser) peek() (token, bool) {
	if p.i < len(p.toks) {
		return p.toks[p.i], true
	}
	return token{}, false
}

func (p *parser) or() (node, error) {
	var terms []node
	for {
		n, err := p.and()
		if err != nil {
			return nil, err
		}
		if n != nil {
			terms = append(terms, n)
		}
		t, ok := p.peek()
		if !ok || t.kind != tokOperator || t.text != "OR" {
			break
		}
		p.i++
	}
	switch len(terms) {
	case 0:
		return nil, errBadQuery
	case 1:
		return terms[0], nil
	}
	return orNode(terms), nil
}

func (p *parser) and() (node, error) {
	var n node
	for {
		op := "AND"
		if t, ok := p.peek(); ok && t.kind == tokOperator && t.text != "OR" {
			op = t.text
			p.i++
		}
		t, ok := p.peek()
		if !ok || t.kind == tokClose || t.kind == tokOperator {
			return n, nil
		}
		u, err := p.unary()
		if err != nil {
			return nil, err
		}
		switch {
		case n == nil && op == "ANDNOT":
			n = notNode{u}
		case n == nil:
			n = u
		case op == "ANDNOT":
			n = andNode{n, notNode{u}}
		default:
			n = andNode{n, u}
		}
	}
}

func (p *parser) unary() (node, error) {
	t := p.toks[p.i]
	p.i++
	switch t.kind {
	case tokOpen:
		n, err := p.or()
		if err != nil {
			return nil, err
		}
		if c, ok := p.peek(); !ok || c.kind != tokClose {
			return nil, errBadQuery
		}
		p.i++
		return n, nil
	case tokPrefix:
		v := p.toks[p.i]
		p.i++
		return newTerm(t.text, v.text), nil
	}
	return nil, errBadQuery
}

// node is a part of a query: it tells whether a paper matches and how well.
type node interface {
	// score is how well e matches, 0 when it does not.
	score(e entry) float64
}

type orNode []node

func (n orNode) score(e entry) float64 {
	var s float64
	for _, c := range n {
		s += c.score(e)
	}
	return s
}

type andNode [2]node

func (n andNode) score(e entry) float64 {
	l := n[0].score(e)
	if l == 0 {
		return 0
	}
	r := n[1].score(e)
	if r == 0 {
		return 0
	}
	return l + r
}

// notNode matches what its operand does not; it adds nothing to the score
// of what it is joined with.
type notNode struct{ n node }

func (n notNode) score(e entry) float64 {
	if n.n.score(e) > 0 {
		return 0
	}
	return math.SmallestNonzeroFloat64
}

// term is one field:value of a query.
type term struct {
	field string
	raw   string // the value without its quotes
	words []string
	// prefix is set for a value ending in "*": its last word matches any
	// word it begins.
	prefix bool
}

func newTerm(field, value string) node {
	raw := strings.Trim(value, `"`)
	t := term{field: field, raw: raw}
	t.prefix = strings.HasSuffix(raw, "*")
	t.words = strings.Fields(paperlist.NormalizeTitle(strings.TrimSuffix(raw, "*")))
	if field == fieldSubmitted || field == fieldLastUpdated {
		return newDateRange(field, raw)
	}
	return t
}

// fieldWeight makes a word in the title count more than one in the
// abstract, as relevance ranking does.
var fieldWeight = map[string]float64{
	fieldTitle: 4, fieldAuthor: 2, fieldAbstract: 1, fieldComment: 1, fieldJournalRef: 1,
}

func (t term) score(e entry) float64 {
	switch t.field {
	case fieldAll:
		var s float64
		for _, f := range []string{fieldTitle, fieldAuthor, fieldAbstract, fieldComment, fieldJournalRef, fieldCategory, fieldID, fieldDOI} {
			s += term{field: f, raw: t.raw, words: t.words, prefix: t.prefix}.score(e)
		}
		return s
	case fieldCategory:
		for _, c := range e.categories() {
			if t.matchExact(c) {
				return 1
			}
		}
		return 0
	case fieldID:
		if t.matchExact(e.ID) || t.matchExact(e.key()) {
			return 1
		}
		return 0
	case fieldDOI:
		if e.DOI != "" && t.matchExact(e.DOI) {
			return 1
		}
		return 0
	case fieldReportNo:
		return 0 // Paper has no report number
	}
	var texts []string
	switch t.field {
	case fieldTitle:
		texts = []string{e.Title}
	case fieldAuthor:
		for _, a := range e.Authors {
			texts = append(texts, a.Name)
		}
	case fieldAbstract:
		texts = []string{e.Abstract}
	case fieldComment:
		texts = []string{e.Comment}
	case fieldJournalRef:
		texts = []string{e.JournalRef}
	}
	var s float64
	for _, text := range texts {
		words := strings.Fields(paperlist.NormalizeTitle(text))
		if n := t.occurrences(words); n > 0 {
			// A short field that holds the phrase is about it more than a
			// long one.
			s += fieldWeight[t.field] * float64(n*len(t.words)) / math.Sqrt(float64(len(words)))
		}
	}
	return s
}

// occurrences counts where the term's words stand in a row in words.
func (t term) occurrences(words []string) int {
	n := len(t.words)
	if n == 0 {
		return 0
	}
	count := 0
	for i := 0; i+n <= len(words); i++ {
		ok := true
		for j, w := range t.words {
			if words[i+j] != w && !(t.prefix && j == n-1 && strings.HasPrefix(words[i+j], w)) {
				ok = false
				break
			}
		}
		if ok {
			count++
		}
	}
	return count
}

// matchExact compares a value that is matched whole (a category, an id, a
// DOI), ignoring case; a value ending in "*" matches what it begins.
func (t term) matchExact(s string) bool {
	v, s := strings.ToLower(t.raw), strings.ToLower(s)
	if t.prefix {
		return strings.HasPrefix(s, strings.TrimSuffix(v, "*"))
	}
	return s == v
}

// dateRange is submittedDate:"A TO B" (the first version's date) or
// lastUpdatedDate:"A TO B" (the latest version's), with A and B in
// YYYYMMDDHHMM and the parts left out filled in as arXiv does: the start of
// a month or year for A, its end for B. A range that cannot be read
// matches nothing.
type dateRange struct {
	field    string
	from, to time.Time
	ok       bool
}

func newDateRange(field, raw string) dateRange {
	a, b, found := strings.Cut(raw, " TO ")
	r := dateRange{field: field}
	if !found {
		return r
	}
	from, ok1 := rangeEnd(strings.TrimSpace(a), false)
	to, ok2 := rangeEnd(strings.TrimSpace(b), true)
	r.from, r.to, r.ok = from, to, ok1 && ok2
	return r
}

// rangeEnd reads YYYY, YYYYMM, YYYYMMDD or YYYYMMDDHHMM as the first
// minute it names, or the last when end is set.
func rangeEnd(s string, end bool) (time.Time, bool) {
	layouts := map[int]string{4: "2006", 6: "200601", 8: "20060102", 12: "200601021504"}
	layout, ok := layouts[len(s)]
	if !ok {
		return time.Time{}, false
	}
	t, err := time.Parse(layout, s)
	if err != nil {
		return time.Time{}, false
	}
	if end {
		switch len(s) {
		case 4:
			t = t.AddDate(1, 0, 0)
		case 6:
			t = t.AddDate(0, 1, 0)
		case 8:
			t = t.AddDate(0, 0, 1)
		default:
			t = t.Add(time.Minute)
		}
		t = t.Add(-time.Nanosecond)
	}
	return t, true
}

func (r dateRange) score(e entry) float64 {
	d := e.Published
	if r.field == fieldLastUpdated {
		d = e.updated()
	}
	if r.ok && !d.Before(r.from) && !d.After(r.to) {
		return 1
	}
	return 0
}

// Values of sortBy and sortOrder.
const (
	sortRelevance   = "relevance"
	sortLastUpdated = "lastUpdatedDate"
	sortSubmitted   = "submittedDate"
	orderAscending  = "ascending"
	orderDescending = "descending"
)

// sortEntries orders entries by sortBy (relevance to q, or a date) in
// sortOrder; ties go to the newer paper, then to the lower id.
func sortEntries(es []entry, q *searchQuery, by, order string) {
	key := func(e entry) float64 {
		switch by {
		case sortSubmitted:
			return float64(e.Published.Unix())
		case sortLastUpdated:
			return float64(e.updated().Unix())
		}
		if q == nil {
			return 0
		}
		return q.root.score(e)
	}
	slices.SortStableFunc(es, func(a, b entry) int {
		c := cmp.Compare(key(a), key(b))
		if order != orderAscending {
			c = -c
		}
		if c != 0 {
			return c
		}
		if c := b.Published.Compare(a.Published); c != 0 {
			return c
		}
		return cmp.Compare(a.ID, b.ID)
	})
}
