package arxivtest

import (
	"errors"
	"strings"
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
