package paperlist_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/paperlist/paperlist"
)

func TestCitationIDs(t *testing.T) {
	tests := []struct {
		name string
		got  paperlist.CitationID
		want paperlist.CitationID
	}{
		{"arXiv id", paperlist.ArxivCitationID("2302.13971"), "ARXIV:2302.13971"},
		{"arXiv id with version", paperlist.ArxivCitationID("2302.13971v3"), "ARXIV:2302.13971"},
		{"old-style arXiv id", paperlist.ArxivCitationID("hep-th/9901001v2"), "ARXIV:hep-th/9901001"},
		{"no arXiv id", paperlist.ArxivCitationID("LLaMA"), ""},
		{"bare DOI", paperlist.DOICitationID("10.18653/v1/N19-1423"), "DOI:10.18653/v1/N19-1423"},
		{"doi.org URL", paperlist.DOICitationID("https://doi.org/10.1145/3442188.3445922"), "DOI:10.1145/3442188.3445922"},
		{"dx.doi.org URL", paperlist.DOICitationID("http://dx.doi.org/10.1145/3442188.3445922"), "DOI:10.1145/3442188.3445922"},
		{"doi: prefix", paperlist.DOICitationID("DOI:10.48550/arXiv.2302.13971"), "DOI:10.48550/arXiv.2302.13971"},
		{"no DOI", paperlist.DOICitationID("11.1000/x"), ""},
		{"DOI without suffix", paperlist.DOICitationID("10.1000"), ""},
		{"DOI with a space", paperlist.DOICitationID("10.1000/a b"), ""},
		{"ACL Anthology", paperlist.URLCitationID("https://www.aclweb.org/anthology/N19-1423/"), "URL:https://www.aclweb.org/anthology/N19-1423/"},
		{"ACM", paperlist.URLCitationID("https://dl.acm.org/doi/10.1145/3442188.3445922"), "URL:https://dl.acm.org/doi/10.1145/3442188.3445922"},
		{"arXiv page", paperlist.URLCitationID("https://arxiv.org/abs/2302.13971"), "URL:https://arxiv.org/abs/2302.13971"},
		{"bioRxiv", paperlist.URLCitationID("https://www.biorxiv.org/content/10.1101/2020.01.01.123456v1"), "URL:https://www.biorxiv.org/content/10.1101/2020.01.01.123456v1"},
		{"Semantic Scholar", paperlist.URLCitationID("https://www.semanticscholar.org/paper/57e849d0de13ed5f91d086936296721d4ff75a75"), "URL:https://www.semanticscholar.org/paper/57e849d0de13ed5f91d086936296721d4ff75a75"},
		{"a site it does not resolve", paperlist.URLCitationID("https://www.sciencedirect.com/science/article/pii/S0004370221000862"), ""},
		{"a look-alike host", paperlist.URLCitationID("https://notacm.org/paper"), ""},
		{"not http", paperlist.URLCitationID("ftp://arxiv.org/abs/2302.13971"), ""},
		{"credentials", paperlist.URLCitationID("https://user:pw@arxiv.org/abs/2302.13971"), ""},
		{"no URL", paperlist.URLCitationID("arxiv.org/abs/2302.13971"), ""},
	}
	for _, tt := range tests {
		if tt.got != tt.want {
			t.Errorf("%s: %q, want %q", tt.name, tt.got, tt.want)
		}
	}
}

func TestCitationRecordBound(t *testing.T) {
	long := strings.Repeat("x", paperlist.MaxURLLen+1)
	r := paperlist.CitationRecord{PaperID: "p", Title: "LLaMA", Venue: "arXiv.org", URL: long, OpenAccessPDF: "https://arxiv.org/pdf/2302.13971"}
	cut := r.Bound()
	if !slices.Equal(cut, []string{"url"}) || len([]rune(r.URL)) != paperlist.MaxURLLen || r.Title != "LLaMA" {
		t.Errorf("Bound cut %v, URL of %d characters", cut, len([]rune(r.URL)))
	}
	if cut := r.Bound(); cut != nil {
		t.Errorf("a second Bound cut %v", cut)
	}
}

func TestBareDOI(t *testing.T) {
	tests := []struct{ in, want string }{
		{"10.1145/3442188.3445922", "10.1145/3442188.3445922"},
		{" https://doi.org/10.1145/3442188.3445922 ", "10.1145/3442188.3445922"},
		{"HTTP://DX.DOI.ORG/10.1/x", "10.1/x"},
		{"doi: 10.1/x", "10.1/x"},
		{"https://example.org/10.1/x", "https://example.org/10.1/x"},
	}
	for _, tt := range tests {
		if got := paperlist.BareDOI(tt.in); got != tt.want {
			t.Errorf("BareDOI(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
