package semanticscholar

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/paperlist/paperlist"
)

// parseBatch reads a batch answer: a JSON array with one item per id asked,
// in the order asked. Items are returned unread, so that one paper the
// client cannot read fails its id alone.
func parseBatch(body []byte, asked int) ([]json.RawMessage, error) {
	var items []json.RawMessage
	if err := json.Unmarshal(body, &items); err != nil {
		return nil, fmt.Errorf("read answer: %v: %w", err, paperlist.ErrInvalidResponse)
	}
	if len(items) != asked {
		return nil, fmt.Errorf("answer has %d papers for %d ids: %w", len(items), asked, paperlist.ErrInvalidResponse)
	}
	return items, nil
}

// paper is one item of a batch answer, with the fields the client asks for
// (https://api.semanticscholar.org/api-docs/graph#tag/Paper-Data).
type paper struct {
	PaperID     string `json:"paperId"`
	ExternalIDs *struct {
		ArXiv string `json:"ArXiv"`
		DOI   string `json:"DOI"`
	} `json:"externalIds"`
	Title            string `json:"title"`
	Venue            string `json:"venue"`
	PublicationVenue *struct {
		Name string `json:"name"`
	} `json:"publicationVenue"`
	Year                     int    `json:"year"`
	PublicationDate          string `json:"publicationDate"`
	CitationCount            int    `json:"citationCount"`
	InfluentialCitationCount int    `json:"influentialCitationCount"`
	ReferenceCount           int    `json:"referenceCount"`
	IsOpenAccess             bool   `json:"isOpenAccess"`
	OpenAccessPDF            *struct {
		URL string `json:"url"`
	} `json:"openAccessPdf"`
	URL string `json:"url"`
}

// parsePaper reads one item of a batch answer: nil, nil for null (an id
// Semantic Scholar does not know); an error wrapping
// paperlist.ErrInvalidResponse for anything but a paper object with a
// paperId and counts that are not negative.
func parsePaper(raw json.RawMessage) (*paperlist.CitationRecord, error) {
	if bytes.Equal(bytes.TrimSpace(raw), []byte("null")) {
		return nil, nil
	}
	var p paper
	if err := json.Unmarshal(raw, &p); err != nil {
		return nil, fmt.Errorf("read paper: %v: %w", err, paperlist.ErrInvalidResponse)
	}
	if p.PaperID == "" {
		return nil, fmt.Errorf("paper without paperId: %w", paperlist.ErrInvalidResponse)
	}
	if p.CitationCount < 0 || p.InfluentialCitationCount < 0 || p.ReferenceCount < 0 || p.Year < 0 {
		return nil, fmt.Errorf("paper %s with a negative count or year: %w", p.PaperID, paperlist.ErrInvalidResponse)
	}
	r := &paperlist.CitationRecord{
		PaperID:              p.PaperID,
		Title:                strings.TrimSpace(p.Title),
		Citations:            p.CitationCount,
		InfluentialCitations: p.InfluentialCitationCount,
		References:           p.ReferenceCount,
		Venue:                strings.TrimSpace(p.Venue),
		Year:                 p.Year,
		URL:                  p.URL,
		IsOpenAccess:         p.IsOpenAccess,
	}
	if r.Venue == "" && p.PublicationVenue != nil {
		r.Venue = strings.TrimSpace(p.PublicationVenue.Name)
	}
	if _, err := time.Parse(time.DateOnly, p.PublicationDate); err == nil {
		r.PublicationDate = p.PublicationDate
	}
	if p.ExternalIDs != nil {
		r.DOI = strings.TrimSpace(p.ExternalIDs.DOI)
		if bare, _, ok := paperlist.SplitArxivID(p.ExternalIDs.ArXiv); ok {
			r.ArxivID = bare
		}
	}
	if p.OpenAccessPDF != nil {
		r.OpenAccessPDF = strings.TrimSpace(p.OpenAccessPDF.URL)
	}
	return r, nil
}
