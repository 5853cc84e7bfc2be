package arxivtest

import (
	"cmp"
	"math"
	"slices"
	"strings"
	"time"

	"github.com/paperlist/paperlist"
)

// The matching of a parsed search_query (query.go) against the papers of
// the server, and the order of the results.

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
