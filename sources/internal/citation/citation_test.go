package citation_test

import (
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
	"github.com/google/go-cmp/cmp"

	"github.com/paperlist/paperlist/sources/internal/citation"
)

func doc(t *testing.T, html string) *goquery.Document {
	t.Helper()
	d, err := goquery.NewDocumentFromReader(strings.NewReader(html))
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func TestRead(t *testing.T) {
	tests := []struct {
		name string
		head string
		want citation.Tags
	}{
		{
			name: "names in any case, the first of a name wins, white space folded",
			head: `<meta name="Citation_Title" content="  A
				title "><meta name="citation_title" content="Second">
				<meta property="og:title" content="OG">`,
			want: citation.Tags{Title: "A title", OGTitle: "OG"},
		},
		{
			name: "authors as First Last, in order",
			head: `<meta name="citation_author" content="Dehghani, Mostafa">
				<meta name="citation_author" content="Percy Liang">
				<meta name="citation_author" content="Odd, Name, Jr.">`,
			want: citation.Tags{Authors: []string{"Mostafa Dehghani", "Percy Liang", "Odd, Name, Jr."}},
		},
		{
			name: "DOI without its resolver",
			head: `<meta name="citation_doi" content="https://doi.org/10.18653/v1/2021.acl-long.353">`,
			want: citation.Tags{DOI: "10.18653/v1/2021.acl-long.353"},
		},
		{
			name: "dates, links and ids as written",
			head: `<meta name="citation_date" content="2019/02/07"><meta name="citation_online_date" content="2019/02/08">
				<meta name="citation_pdf_url" content="/pdf?id=x"><meta name="citation_arxiv_id" content="1902.02534">
				<meta property="og:url" content="https://arxiv.org/abs/1902.02534v2"><meta name="citation_abstract" content="">`,
			want: citation.Tags{Date: "2019/02/07", OnlineDate: "2019/02/08", PDFURL: "/pdf?id=x", ArxivID: "1902.02534", OGURL: "https://arxiv.org/abs/1902.02534v2"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := citation.Read(doc(t, "<html><head>"+tt.head+"</head><body></body></html>"))
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("tags (-want +got):\n%s", diff)
			}
		})
	}
}

func TestVisibleAbstract(t *testing.T) {
	tests := []struct {
		name, body, want string
	}{
		{"OpenReview note field", `<div><strong class="note-content-field">Abstract:</strong> <span class="note-content-value">We present
			QLoRA.</span></div>`, "We present QLoRA."},
		{"ACL card without its title", `<div class="acl-abstract"><h5 class="card-title">Abstract</h5><span>Fine-tuning is it.</span></div>`, "Fine-tuning is it."},
		{"an element called abstract, label cut", `<blockquote class="abstract">Abstract: Some text.</blockquote>`, "Some text."},
		{"none", `<p>Nothing.</p>`, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := citation.VisibleAbstract(doc(t, "<html><body>"+tt.body+"</body></html>")); got != tt.want {
				t.Errorf("VisibleAbstract = %q, want %q", got, tt.want)
			}
		})
	}
}
