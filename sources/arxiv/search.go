package arxiv

import (
	"context"
	"fmt"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"unicode"

	"github.com/paperlist/paperlist"
	"github.com/paperlist/paperlist/sources/internal/httpget"
)

// DefaultSearchResults is how many results SearchTitle asks for when it is
// given no positive number: the export API's own default.
const DefaultSearchResults = 10

// SearchTitle asks the export API for the papers whose title holds title as
// a phrase, and returns their records in arXiv's relevance order: one GET
// with search_query=ti:"…" and max_results (DefaultSearchResults when
// maxResults is not positive), through the client's HTTP client, so the
// crawler's transport spaces it like any other request
// (https://info.arxiv.org/help/api/user-manual.html#query_details).
//
// The phrase is the title's words, as SearchPhrase makes them: arXiv
// matches words, and a quote, a parenthesis, a colon or a TeX command in a
// title would end the phrase or read as query syntax. A title with no word
// finds nothing and sends no request: nil, nil. Errors are those of
// FetchArxiv's batches: an APIError or another wrap of paperlist.ErrRejected
// for a refused request, paperlist.ErrInvalidResponse for an unreadable
// answer; a search is never answered from the abstract pages.
func (c *Client) SearchTitle(ctx context.Context, title string, maxResults int) ([]*paperlist.ArxivRecord, error) {
	if c.initErr != nil {
		return nil, c.initErr
	}
	phrase := SearchPhrase(title)
	if phrase == "" {
		return nil, nil
	}
	if maxResults <= 0 {
		maxResults = DefaultSearchResults
	}
	u := *c.apiURL
	q := url.Values{
		"search_query": {`ti:"` + phrase + `"`},
		"max_results":  {strconv.Itoa(maxResults)},
	}.Encode()
	if u.RawQuery != "" {
		q = u.RawQuery + "&" + q
	}
	u.RawQuery = q
	resp, err := httpget.Get(ctx, c.hc, u.String(), c.userAgent, "application/atom+xml", c.maxBody)
	if err == nil {
		var f *feed
		if f, err = readFeed(resp); err == nil {
			return c.records(f), nil
		}
	}
	return nil, fmt.Errorf("arxiv: search title %q: %w", phrase, err)
}

// Bounds of SearchTitles.
const (
	// MaxSearchURLLen is the longest URL SearchTitles sends: as many
	// titles as fit go into one query, and a title too long to share a
	// URL goes alone.
	MaxSearchURLLen = 2000
	// SearchResultsPerTitle is how many results a batched search asks for
	// per title it holds: max_results is this many times its titles.
	SearchResultsPerTitle = DefaultSearchResults
)

// SearchTitles finds the arXiv paper of each title and calls emit once per
// distinct title as soon as its outcome is known. Titles are asked for
// together: one GET of the export API with
// search_query=ti:"A" OR ti:"B" OR … holds as many titles (as SearchPhrase
// makes them) as fit a URL of MaxSearchURLLen, with max_results set to
// SearchResultsPerTitle for each, so that a few hundred titles are tens of
// requests; the client's HTTP client paces them as any other arXiv
// request. A title keeps the one paper among all the results of its
// request whose title is the listed one by the rule of title_mismatch
// (paperlist.SameTitle): ArxivID and Record are set when exactly one paper
// matches, Matches counts the papers that do, and a title two papers match
// is left without one. A title with no word to search for matches nothing
// and is sent in no request.
//
// A request that fails fails its titles (Err, with the errors of
// SearchTitle) and the next one is sent. SearchTitles returns an error
// only for a cancelled context or the crawler's rate-limit stop
// (paperlist.ErrWaitTooLong); the titles not emitted by then are not
// emitted.
func (c *Client) SearchTitles(ctx context.Context, titles []string, emit func(paperlist.TitleSearchResult)) error {
	if c.initErr != nil {
		return c.initErr
	}
	// byPhrase holds the titles that search for each phrase, in order;
	// arXiv ignores case, so phrases differing in case are one.
	byPhrase := make(map[string][]string)
	var phrases []string
	seen := make(map[string]bool, len(titles))
	for _, t := range titles {
		if seen[t] {
			continue
		}
		seen[t] = true
		p := SearchPhrase(t)
		if p == "" {
			emit(paperlist.TitleSearchResult{Title: t})
			continue
		}
		key := strings.ToLower(p)
		if _, ok := byPhrase[key]; !ok {
			phrases = append(phrases, p)
		}
		byPhrase[key] = append(byPhrase[key], t)
	}
	for _, batch := range c.searchBatches(phrases) {
		results, err := c.search(ctx, batch)
		if err != nil {
			err = fmt.Errorf("arxiv: search %d titles: %w", len(batch), err)
			if stops(ctx, err) {
				return err
			}
		}
		for _, p := range batch {
			for _, t := range byPhrase[strings.ToLower(p)] {
				if err != nil {
					emit(paperlist.TitleSearchResult{Title: t, Err: err})
					continue
				}
				emit(titleMatch(t, results))
			}
		}
	}
	return nil
}

// searchBatches packs phrases, in order, into the batches of SearchTitles:
// each as many as fit a URL of MaxSearchURLLen.
func (c *Client) searchBatches(phrases []string) [][]string {
	var batches [][]string
	var cur []string
	for _, p := range phrases {
		if len(cur) > 0 && len(c.searchURL(append(cur, p))) > MaxSearchURLLen {
			batches = append(batches, cur)
			cur = nil
		}
		cur = append(cur, p)
	}
	if len(cur) > 0 {
		batches = append(batches, cur)
	}
	return batches
}

// searchURL is the URL of the search for phrases: ti:"A" OR ti:"B" OR …,
// with SearchResultsPerTitle results for each.
func (c *Client) searchURL(phrases []string) string {
	clauses := make([]string, len(phrases))
	for i, p := range phrases {
		clauses[i] = `ti:"` + p + `"`
	}
	u := *c.apiURL
	q := url.Values{
		"search_query": {strings.Join(clauses, " OR ")},
		"max_results":  {strconv.Itoa(SearchResultsPerTitle * len(phrases))},
	}.Encode()
	if u.RawQuery != "" {
		q = u.RawQuery + "&" + q
	}
	u.RawQuery = q
	return u.String()
}

// search sends the search for phrases and returns the records it found.
func (c *Client) search(ctx context.Context, phrases []string) ([]*paperlist.ArxivRecord, error) {
	resp, err := httpget.Get(ctx, c.hc, c.searchURL(phrases), c.userAgent, "application/atom+xml", c.maxBody)
	if err != nil {
		return nil, err
	}
	f, err := readFeed(resp)
	if err != nil {
		return nil, err
	}
	return c.records(f), nil
}

// titleMatch is the outcome of a listed title among results: the papers
// whose title is the listed one, counted once each however often they are
// listed, and the paper when there is exactly one.
func titleMatch(listed string, results []*paperlist.ArxivRecord) paperlist.TitleSearchResult {
	res := paperlist.TitleSearchResult{Title: listed}
	if paperlist.NormalizeTitle(listed) == "" {
		return res
	}
	var ids []string
	for _, r := range results {
		if r == nil || r.ID == "" || !paperlist.SameTitle(listed, r.Title) || slices.Contains(ids, r.ID) {
			continue
		}
		ids = append(ids, r.ID)
		res.Record = r
	}
	res.Matches = len(ids)
	if res.Matches == 1 {
		res.ArxivID = ids[0]
	} else {
		res.Record = nil
	}
	return res
}

// records turns a feed's entries into records, in the feed's order,
// leaving out entries without a paper id.
func (c *Client) records(f *feed) []*paperlist.ArxivRecord {
	now := c.now()
	var out []*paperlist.ArxivRecord
	for i := range f.Entries {
		r, ok := f.Entries[i].record(now)
		if !ok {
			continue
		}
		c.cut.Note(c.log, "arxiv", r.ID, r.Bound())
		out = append(out, r)
	}
	return out
}

// SearchPhrase returns the words of a title as SearchTitle puts them
// between the quotes of ti:"…". Letters (with their combining marks) and
// digits are kept, and so are an apostrophe inside a word ("LLaMA's", ’
// written ') and a "." or "," between two digits ("GPT-3.5", "1,000"),
// which arXiv's word splitting keeps too; a superscript or subscript digit
// becomes that digit as a word of its own. Every other character (quotes,
// parentheses, colons, hyphens, "$", "\", "^", "*", "_") becomes a space,
// and runs of spaces become one: `"Self-Attention" Does Not Need O(n²)
// Memory` is searched as `Self Attention Does Not Need O n 2 Memory`.
// Boolean words (AND, OR) stay: inside quotes arXiv reads them as words.
func SearchPhrase(title string) string {
	rs := []rune(title)
	var b strings.Builder
	for i, r := range rs {
		switch {
		case unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.IsMark(r):
			b.WriteRune(r)
		case scriptDigit(r) >= 0:
			// n² is n^2 in the title arXiv has: the words n and 2.
			b.WriteString(" " + strconv.Itoa(scriptDigit(r)) + " ")
		case (r == '\'' || r == '’') && i > 0 && i+1 < len(rs) && isWordRune(rs[i-1]) && isWordRune(rs[i+1]):
			b.WriteByte('\'')
		case (r == '.' || r == ',') && i > 0 && i+1 < len(rs) && unicode.IsDigit(rs[i-1]) && unicode.IsDigit(rs[i+1]):
			b.WriteRune(r)
		default:
			b.WriteByte(' ')
		}
	}
	return strings.Join(strings.Fields(b.String()), " ")
}

// MatchTitle returns the id (without version) of the one paper among
// results whose title is the listed title by the rules of the
// title_mismatch check (paperlist.SameTitle: equal once normalised, or
// one of them only adds a subtitle). ok is false when no paper matches, or
// when more than one does: a title search that cannot tell two papers
// apart must not pick one. The same paper listed twice counts once. A
// listed title with no words matches nothing.
func MatchTitle(listed string, results []*paperlist.ArxivRecord) (id string, ok bool) {
	m := titleMatch(listed, results)
	return m.ArxivID, m.ArxivID != ""
}

func isWordRune(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }

// scriptDigit is the value of a superscript or subscript digit, or -1.
func scriptDigit(r rune) int {
	for _, digits := range []string{"⁰¹²³⁴⁵⁶⁷⁸⁹", "₀₁₂₃₄₅₆₇₈₉"} {
		for d, s := range []rune(digits) {
			if s == r {
				return d
			}
		}
	}
	return -1
}
