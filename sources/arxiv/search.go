package arxiv

import (
	"context"
	"fmt"
	"net/url"
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
	if paperlist.NormalizeTitle(listed) == "" {
		return "", false
	}
	for _, r := range results {
		if r == nil || r.ID == "" || !paperlist.SameTitle(listed, r.Title) {
			continue
		}
		if id != "" && id != r.ID {
			return "", false
		}
		id = r.ID
	}
	return id, id != ""
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
