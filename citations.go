package paperlist

import (
	"net/url"
	"strings"
	"time"
)

// CitationID names a paper to Semantic Scholar's Academic Graph API, with
// the prefix that says what kind of id it is: "ARXIV:2302.13971",
// "DOI:10.18653/v1/N19-1423", "URL:https://aclanthology.org/N19-1423/". The
// constructors below make the ids paperlist sends; the zero CitationID is
// no id.
type CitationID string

// ArxivCitationID is the CitationID of an arXiv paper, its version left
// out (Semantic Scholar knows a paper, not its versions); "" when id is
// no arXiv id.
func ArxivCitationID(id string) CitationID {
	bare, _, ok := SplitArxivID(strings.TrimSpace(id))
	if !ok {
		return ""
	}
	return CitationID("ARXIV:" + bare)
}

// DOICitationID is the CitationID of a DOI, given bare ("10.1145/3442188.3445922"),
// with a "doi:" prefix or as a doi.org URL; "" when doi is none.
func DOICitationID(doi string) CitationID {
	d := BareDOI(doi)
	if !strings.HasPrefix(d, "10.") || !strings.Contains(d, "/") || HasSpaceOrControl(d) {
		return ""
	}
	return CitationID("DOI:" + d)
}

// BareDOI is doi without the resolver ("https://doi.org/", dx.doi.org) or
// "doi:" prefix it is sometimes written with, in any case, and without
// white space around it.
func BareDOI(doi string) string {
	d := strings.TrimSpace(doi)
	for _, prefix := range []string{"https://doi.org/", "http://doi.org/", "https://dx.doi.org/", "http://dx.doi.org/", "doi:"} {
		if len(d) >= len(prefix) && strings.EqualFold(d[:len(prefix)], prefix) {
			return strings.TrimSpace(d[len(prefix):])
		}
	}
	return d
}

// HasSpaceOrControl reports whether s holds white space or a control
// character: what no id or secret sent in a request may hold.
func HasSpaceOrControl(s string) bool {
	return strings.ContainsFunc(s, func(r rune) bool { return r <= ' ' || r == 0x7f })
}

// citationURLHosts are the sites whose paper pages Semantic Scholar
// resolves by URL, as its API documentation lists them; subdomains count
// (dl.acm.org, www.biorxiv.org).
var citationURLHosts = []string{"semanticscholar.org", "arxiv.org", "aclweb.org", "acm.org", "biorxiv.org"}

// URLCitationID is the CitationID of a paper's landing page on a site
// Semantic Scholar resolves by URL (Semantic Scholar, arXiv, the ACL
// Anthology at aclweb.org, the ACM, bioRxiv); "" for any other page, which
// Semantic Scholar could not resolve.
func URLCitationID(page string) CitationID {
	u, err := url.Parse(strings.TrimSpace(page))
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.User != nil {
		return ""
	}
	host := strings.TrimSuffix(strings.ToLower(u.Hostname()), ".")
	for _, h := range citationURLHosts {
		if host == h || strings.HasSuffix(host, "."+h) {
			return CitationID("URL:" + u.String())
		}
	}
	return ""
}

// CitationRecord is what Semantic Scholar's Academic Graph says of a
// paper: how often it is cited, where it appeared and the ids it is known
// by.
type CitationRecord struct {
	// PaperID is Semantic Scholar's own id, 40 hexadecimal digits. It may
	// differ from one run to the next when Semantic Scholar merges two
	// records of a paper.
	PaperID string `json:"paper_id"`
	Title   string `json:"title,omitempty"`
	// Citations, InfluentialCitations and References are counts:
	// citationCount, influentialCitationCount and referenceCount.
	Citations            int `json:"citations"`
	InfluentialCitations int `json:"influential_citations"`
	References           int `json:"references"`
	// Venue is Semantic Scholar's normalised venue name ("Neural
	// Information Processing Systems"), "" when it has none; "arXiv.org"
	// for a paper known only as a preprint.
	Venue string `json:"venue,omitempty"`
	// Year is the year of publication, 0 when unknown; PublicationDate
	// the day, "2001-10-01", when known.
	Year            int    `json:"year,omitempty"`
	PublicationDate string `json:"publication_date,omitempty"`
	// DOI and ArxivID are the paper's ids from externalIds, "" when
	// Semantic Scholar knows none. ArxivID has no version.
	DOI     string `json:"doi,omitempty"`
	ArxivID string `json:"arxiv_id,omitempty"`
	// URL is the paper's page on semanticscholar.org.
	URL string `json:"url,omitempty"`
	// IsOpenAccess says Semantic Scholar knows an open-access copy;
	// OpenAccessPDF is its PDF, "" when it gives none.
	IsOpenAccess  bool      `json:"is_open_access,omitempty"`
	OpenAccessPDF string    `json:"open_access_pdf,omitempty"`
	FetchedAt     time.Time `json:"fetched_at,omitzero"`
}

// Bound cuts the strings of r to paperlist's bounds and returns the JSON
// names of the fields it cut, nil when none.
func (r *CitationRecord) Bound() []string {
	var c clipper
	c.str("paper_id", &r.PaperID, MaxNameLen)
	c.str("title", &r.Title, MaxTitleLen)
	c.str("venue", &r.Venue, MaxTextLen)
	c.str("publication_date", &r.PublicationDate, MaxNameLen)
	c.str("doi", &r.DOI, MaxNameLen)
	c.str("arxiv_id", &r.ArxivID, MaxNameLen)
	c.str("url", &r.URL, MaxURLLen)
	c.str("open_access_pdf", &r.OpenAccessPDF, MaxURLLen)
	return c.cut
}

// CitationResult is the outcome for one CitationID.
type CitationResult struct {
	ID CitationID
	// Record is what Semantic Scholar knows of the paper.
	Record *CitationRecord
	// NotFound is set when Semantic Scholar answered that it knows no
	// paper by this id (null in its batch answer): no problem of the
	// list, since it does not know every paper.
	NotFound bool
	// Err is set when the id could not be looked up this run.
	Err error
}

// Where a paper's arXiv id comes from (Paper.ArxivIDSource).
const (
	// ArxivIDFromList: the list links the paper on arXiv.
	ArxivIDFromList = "list"
	// ArxivIDFromSemanticScholar: Semantic Scholar's record of the
	// paper's DOI or landing page names its arXiv id.
	ArxivIDFromSemanticScholar = "semantic_scholar"
	// ArxivIDFromTitleSearch: one arXiv paper, and only one, has the
	// listed title by the rule of title_mismatch.
	ArxivIDFromTitleSearch = "title_search"
)

// SetCitation fills the paper's Semantic Scholar fields from rec: the
// counts, the normalised venue, the DOI, the Semantic Scholar page, the
// open-access PDF, and the year when the list gives none. A nil rec
// leaves p as it is.
func (p *Paper) SetCitation(rec *CitationRecord) {
	if rec == nil {
		return
	}
	c, ic := rec.Citations, rec.InfluentialCitations
	p.Citations, p.InfluentialCitations = &c, &ic
	p.ScholarVenue = rec.Venue
	p.DOI = rec.DOI
	p.SemanticScholarURL = rec.URL
	p.OpenAccessPDF = rec.OpenAccessPDF
	if p.Year == 0 {
		p.Year = rec.Year
	}
}
