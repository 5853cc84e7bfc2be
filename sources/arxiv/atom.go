package arxiv

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"time"

	"github.com/paperlist/paperlist"
)

// feed is what paperlist reads of the Atom document the export API answers
// with, in the namespaces it uses: Atom (http://www.w3.org/2005/Atom) and
// arXiv's extension (http://arxiv.org/schemas/atom). The feed's OpenSearch
// counts (totalResults, startIndex, itemsPerPage) are not read: a batch asks
// for every id at once, and the entries say which were found.
type feed struct {
	// XMLName makes a document whose root is not an Atom feed an error.
	XMLName xml.Name `xml:"http://www.w3.org/2005/Atom feed"`
	Entries []entry  `xml:"http://www.w3.org/2005/Atom entry"`
}

type entry struct {
	ID              string     `xml:"http://www.w3.org/2005/Atom id"`
	Title           string     `xml:"http://www.w3.org/2005/Atom title"`
	Summary         string     `xml:"http://www.w3.org/2005/Atom summary"`
	Published       string     `xml:"http://www.w3.org/2005/Atom published"`
	Updated         string     `xml:"http://www.w3.org/2005/Atom updated"`
	Authors         []author   `xml:"http://www.w3.org/2005/Atom author"`
	Links           []link     `xml:"http://www.w3.org/2005/Atom link"`
	Categories      []category `xml:"http://www.w3.org/2005/Atom category"`
	PrimaryCategory category   `xml:"http://arxiv.org/schemas/atom primary_category"`
	Comment         string     `xml:"http://arxiv.org/schemas/atom comment"`
	JournalRef      string     `xml:"http://arxiv.org/schemas/atom journal_ref"`
	DOI             string     `xml:"http://arxiv.org/schemas/atom doi"`
}

type author struct {
	Name         string   `xml:"http://www.w3.org/2005/Atom name"`
	Affiliations []string `xml:"http://arxiv.org/schemas/atom affiliation"`
}

type link struct {
	Href  string `xml:"href,attr"`
	Rel   string `xml:"rel,attr"`
	Title string `xml:"title,attr"`
}

type category struct {
	Term string `xml:"term,attr"`
}

// parseFeed decodes an export API answer. Anything that is not a complete,
// well-formed Atom feed is an error wrapping paperlist.ErrInvalidResponse.
func parseFeed(body []byte) (*feed, error) {
	d := xml.NewDecoder(bytes.NewReader(body))
	var f feed
	if err := d.Decode(&f); err != nil {
		var notFeed xml.UnmarshalError
		if errors.As(err, &notFeed) {
			return nil, fmt.Errorf("not an Atom feed: %v: %w", err, paperlist.ErrInvalidResponse)
		}
		return nil, fmt.Errorf("malformed XML: %v: %w", err, paperlist.ErrInvalidResponse)
	}
	// Decode stops at the end of the root element; what follows must be
	// white space, comments or processing instructions only.
	for {
		tok, err := d.Token()
		if err != nil {
			break
		}
		if cd, ok := tok.(xml.CharData); ok && len(bytes.TrimSpace(cd)) == 0 {
			continue
		}
		switch tok.(type) {
		case xml.Comment, xml.ProcInst:
			continue
		}
		return nil, fmt.Errorf("content after the feed: %w", paperlist.ErrInvalidResponse)
	}
	return &f, nil
}

// errorFeedMarker is in the id of the one entry of an error feed:
// https://arxiv.org/api/errors#incorrect_id_format_for_abc.
const errorFeedMarker = "/api/errors#"

// feedError returns the error an error feed carries, or nil when f is an
// ordinary feed.
func feedError(f *feed) *APIError {
	for _, e := range f.Entries {
		if strings.Contains(e.ID, errorFeedMarker) {
			_, code, _ := strings.Cut(e.ID, errorFeedMarker)
			return &APIError{Code: code, Message: paperlist.FoldSpace(e.Summary)}
		}
	}
	return nil
}

// APIError is the error feed the export API answers a request it refuses
// with (status 400), for instance one with a malformed id. It wraps
// paperlist.ErrRejected.
type APIError struct {
	// Code is the fragment of the error entry's id, such as
	// "incorrect_id_format_for_abc".
	Code string
	// Message is arXiv's explanation, such as "incorrect id format for abc".
	Message string
}

// Error returns arXiv's message.
func (e *APIError) Error() string {
	if e.Message == "" {
		return "arxiv refused the request: " + e.Code
	}
	return "arxiv refused the request: " + e.Message
}

// Unwrap returns paperlist.ErrRejected.
func (e *APIError) Unwrap() error { return paperlist.ErrRejected }

// ID returns the id arXiv names as malformed, or "" when the error is about
// something else.
func (e *APIError) ID() string {
	const prefix = "incorrect id format for "
	if rest, ok := strings.CutPrefix(e.Message, prefix); ok {
		return strings.TrimSpace(rest)
	}
	if rest, ok := strings.CutPrefix(e.Code, "incorrect_id_format_for_"); ok {
		return rest
	}
	return ""
}

// entryID reads the id and version out of an entry's <id>,
// http://arxiv.org/abs/2104.12255v1 or http://arxiv.org/abs/astro-ph/0601001v1.
func entryID(raw string) (id string, version int, ok bool) {
	_, rest, found := strings.Cut(strings.TrimSpace(raw), "/abs/")
	if !found {
		return "", 0, false
	}
	return paperlist.SplitArxivID(rest)
}

// record turns an entry into the record of the paper it describes. It
// reports false for an entry whose id is not an arXiv paper id.
func (e *entry) record(fetchedAt time.Time) (*paperlist.ArxivRecord, bool) {
	id, version, ok := entryID(e.ID)
	if !ok {
		return nil, false
	}
	r := &paperlist.ArxivRecord{
		ID:              id,
		Version:         version,
		Title:           paperlist.FoldSpace(e.Title),
		Abstract:        paperlist.FoldSpace(e.Summary),
		Published:       parseAtomTime(e.Published),
		Updated:         parseAtomTime(e.Updated),
		PrimaryCategory: strings.TrimSpace(e.PrimaryCategory.Term),
		Comment:         paperlist.FoldSpace(e.Comment),
		JournalRef:      paperlist.FoldSpace(e.JournalRef),
		DOI:             strings.TrimSpace(e.DOI),
		FetchedAt:       fetchedAt,
	}
	for _, a := range e.Authors {
		au := paperlist.Author{Name: paperlist.FoldSpace(a.Name)}
		for _, aff := range a.Affiliations {
			if aff = paperlist.FoldSpace(aff); aff != "" {
				au.Affiliations = append(au.Affiliations, aff)
			}
		}
		r.Authors = append(r.Authors, au)
	}
	for _, c := range e.Categories {
		if term := strings.TrimSpace(c.Term); term != "" {
			r.Categories = append(r.Categories, term)
		}
	}
	for _, l := range e.Links {
		// Only http(s) links are kept: an answer's javascript: or data:
		// link is no page of the paper.
		if !paperlist.IsHTTPURL(l.Href) {
			continue
		}
		switch {
		case l.Rel == "alternate" && r.AbsURL == "":
			r.AbsURL = l.Href
		case l.Title == "pdf" && r.PDFURL == "":
			r.PDFURL = l.Href
		}
	}
	r.Withdrawn = isWithdrawn(r.Comment)
	return r, true
}

func parseAtomTime(s string) time.Time {
	t, err := time.Parse(time.RFC3339, strings.TrimSpace(s))
	if err != nil {
		return time.Time{}
	}
	return t.UTC()
}

// withdrawnComment matches the comment of a withdrawn version: "This paper
// has been withdrawn by the author", "Withdrawn", "withdrawn due to an error".
var withdrawnComment = regexp.MustCompile(`(?i)\bwithdrawn\b`)

func isWithdrawn(comment string) bool {
	return withdrawnComment.MatchString(comment)
}
