// Package citation reads what a paper's web page says about it in its
// citation_* meta tags (the Highwire Press tags that Google Scholar reads),
// its Open Graph tags and the abstract it shows: the arXiv abstract pages
// (sources/arxiv) and the landing pages of other sites (sources/landing)
// are read alike.
package citation

import (
	"strings"

	"github.com/PuerkitoBio/goquery"

	"github.com/paperlist/paperlist"
)

// Tags are what a page's citation_* meta tags and Open Graph tags say
// about a paper, as written but for white space folded, authors as "First
// Last" and DOIs without a resolver prefix; a tag the page lacks is empty.
type Tags struct {
	Title           string
	Authors         []string
	Abstract        string
	PublicationDate string
	Date            string
	OnlineDate      string
	PDFURL          string
	DOI             string
	ArxivID         string
	OGTitle         string
	OGURL           string
	OGDescription   string
}

// Read reads the meta tags of doc. Names are matched without regard to
// case; the first tag of a name wins, except citation_author, which is
// repeated once per author.
func Read(doc *goquery.Document) Tags {
	var c Tags
	set := func(dst *string, v string) {
		if *dst == "" {
			*dst = v
		}
	}
	doc.Find("meta").Each(func(_ int, m *goquery.Selection) {
		name, ok := m.Attr("name")
		if !ok {
			name, _ = m.Attr("property")
		}
		content, _ := m.Attr("content")
		content = paperlist.FoldSpace(content)
		if content == "" {
			return
		}
		switch strings.ToLower(strings.TrimSpace(name)) {
		case "citation_title":
			set(&c.Title, content)
		case "citation_author":
			c.Authors = append(c.Authors, authorName(content))
		case "citation_abstract":
			set(&c.Abstract, content)
		case "citation_publication_date":
			set(&c.PublicationDate, content)
		case "citation_date":
			set(&c.Date, content)
		case "citation_online_date":
			set(&c.OnlineDate, content)
		case "citation_pdf_url":
			set(&c.PDFURL, content)
		case "citation_doi":
			set(&c.DOI, paperlist.BareDOI(content))
		case "citation_arxiv_id":
			set(&c.ArxivID, content)
		case "og:title":
			set(&c.OGTitle, content)
		case "og:url":
			set(&c.OGURL, content)
		case "og:description":
			set(&c.OGDescription, content)
		}
	})
	return c
}

// authorName turns the "Last, First" form of citation_author into
// "First Last", the form arXiv's API uses; any other form is kept.
func authorName(s string) string {
	last, first, ok := strings.Cut(s, ",")
	if !ok || strings.Contains(first, ",") {
		return s
	}
	last, first = strings.TrimSpace(last), strings.TrimSpace(first)
	if first == "" || last == "" {
		return s
	}
	return first + " " + last
}

// VisibleAbstract finds the abstract a page shows its readers, for when its
// meta tags lack one: OpenReview's "Abstract" note field, ACL Anthology's
// .acl-abstract card, or an element whose class or id is "abstract". It is
// "" when there is none.
func VisibleAbstract(doc *goquery.Document) string {
	var found string
	// OpenReview: <strong class="note-content-field">Abstract:</strong>
	// followed by <span|div class="note-content-value">…</…>.
	doc.Find(".note-content-field").EachWithBreak(func(_ int, f *goquery.Selection) bool {
		label := strings.TrimSuffix(strings.TrimSpace(f.Text()), ":")
		if !strings.EqualFold(strings.TrimSpace(label), "abstract") {
			return true
		}
		v := f.NextAll().Filter(".note-content-value").First()
		if v.Length() == 0 {
			v = f.Parent().Find(".note-content-value").First()
		}
		found = paperlist.FoldSpace(v.Text())
		return found == ""
	})
	if found != "" {
		return found
	}
	for _, sel := range []string{".acl-abstract", "#abstract", ".abstract", "blockquote.abstract", "section.abstract"} {
		s := doc.Find(sel).First()
		if s.Length() == 0 {
			continue
		}
		s = s.Clone()
		s.Find("h1, h2, h3, h4, h5, h6, .card-title, .descriptor, script, style").Remove()
		text := paperlist.FoldSpace(s.Text())
		for _, label := range []string{"Abstract:", "Abstract.", "Abstract"} {
			if rest, ok := strings.CutPrefix(text, label); ok {
				text = strings.TrimSpace(rest)
				break
			}
		}
		if text != "" {
			return text
		}
	}
	return ""
}
