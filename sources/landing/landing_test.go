package landing_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/paperlist/paperlist"
	"github.com/paperlist/paperlist/crawler"
	"github.com/paperlist/paperlist/sources/landing"
)

var _ crawler.PageSource = (*landing.Client)(nil)

var fixedNow = time.Date(2024, 6, 1, 12, 0, 0, 0, time.UTC)

func now() time.Time { return fixedNow }

// readTestdata reads a file of testdata: the hand-written landing pages
// (see its README.md) and, as a page of another site, a recorded arXiv
// abstract page.
func readTestdata(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestFetchPage(t *testing.T) {
	type page struct {
		status      int
		contentType string
		body        []byte
	}
	pages := map[string]page{
		"/forum":   {200, "text/html; charset=utf-8", readTestdata(t, "openreview.html")},
		"/acl":     {200, "text/html; charset=utf-8", readTestdata(t, "acl.html")},
		"/pmlr":    {200, "text/html", readTestdata(t, "pmlr.html")},
		"/abs":     {200, "text/html; charset=utf-8", readTestdata(t, "abs_1902.02534_head.html")},
		"/bare":    {200, "text/html", []byte("<html><head><title>Nothing here</title></head><body></body></html>")},
		"/missing": {404, "text/html", []byte("<h1>Not Found</h1>")},
		"/gone":    {410, "text/html", []byte("<h1>Gone</h1>")},
		"/pdf":     {200, "application/pdf", []byte("%PDF-1.7")},
		"/big":     {200, "text/html", []byte("<html>" + strings.Repeat("<p>padding</p>", 1000) + "</html>")},
		"/down":    {503, "text/plain", []byte("unavailable")},
		"/denied":  {403, "text/html", []byte("forbidden")},
		"/jspdf":   {200, "text/html", []byte(`<html><head><meta name="citation_title" content="A Hostile Page"><meta name="citation_pdf_url" content="javascript:alert(1)"></head></html>`)},
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p, ok := pages[r.URL.Path]
		if !ok {
			t.Errorf("unexpected request for %s", r.URL.Path)
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", p.contentType)
		w.WriteHeader(p.status)
		_, _ = w.Write(p.body)
	}))
	defer srv.Close()
	p := landing.New(landing.Options{HTTPClient: srv.Client(), MaxBodyBytes: 8 << 10, Now: now})

	tests := []struct {
		name      string
		path      string
		want      *paperlist.PageRecord
		wantState paperlist.State
		wantErr   error // a sentinel the error must wrap
		anyErr    bool  // an error of any kind
	}{
		{
			name: "OpenReview: abstract only in the note fields", path: "/forum", wantState: paperlist.StateOK,
			want: &paperlist.PageRecord{
				Title:     "QLoRA: Efficient Finetuning of Quantized LLMs",
				Abstract:  "We present QLoRA, an efficient finetuning approach that reduces memory usage enough to finetune a 65B parameter model on a single 48GB GPU while preserving full 16-bit finetuning task performance.",
				Authors:   []string{"Tim Dettmers", "Artidoro Pagnoni", "Ari Holtzman", "Luke Zettlemoyer"},
				Published: "2023/11/02",
				PDFURL:    srv.URL + "/pdf?id=OUIFPHEgJU",
			},
		},
		{
			// papers.json carries http(s) links only.
			name: "a javascript: PDF link is dropped", path: "/jspdf", wantState: paperlist.StateOK,
			want: &paperlist.PageRecord{Title: "A Hostile Page"},
		},
		{
			name: "ACL Anthology: abstract only in .acl-abstract", path: "/acl", wantState: paperlist.StateOK,
			want: &paperlist.PageRecord{
				Title:     "Prefix-Tuning: Optimizing Continuous Prompts for Generation",
				Abstract:  "Fine-tuning is the de facto way of leveraging large pretrained language models for downstream tasks. In this paper, we propose prefix-tuning, a lightweight alternative to fine-tuning for natural language generation tasks.",
				Authors:   []string{"Xiang Lisa Li", "Percy Liang"},
				Published: "2021/8",
				PDFURL:    "https://aclanthology.org/2021.acl-long.353.pdf",
				DOI:       "10.18653/v1/2021.acl-long.353",
			},
		},
		{
			name: "PMLR: Last, First authors and citation_abstract", path: "/pmlr", wantState: paperlist.StateOK,
			want: &paperlist.PageRecord{
				Title:     "Scaling Vision Transformers to 22 Billion Parameters",
				Abstract:  "The scaling of Transformers has driven breakthrough capabilities for language models. At present, the largest large language models (LLMs) contain upwards of 100B parameters.",
				Authors:   []string{"Mostafa Dehghani", "Josip Djolonga"},
				Published: "2023/07/03",
				PDFURL:    "https://proceedings.mlr.press/v202/dehghani23a/dehghani23a.pdf",
			},
		},
		{
			name: "recorded arXiv abstract page", path: "/abs", wantState: paperlist.StateOK,
			want: &paperlist.PageRecord{
				Title:     "Crowdsourcing open citations with CROCI -- An analysis of the current status of open citations, and a proposal",
				Abstract:  "In this paper, we analyse the current availability of open citations data in one particular dataset, namely COCI (the OpenCitations Index of Crossref open DOI-to-DOI citations; http://opencitations.net/index/coci) provided by OpenCitations. The results of these analyses show a persistent gap in the coverage of the currently available open citation data. In order to address this specific issue, we propose a strategy whereby the community (e.g. scholars and publishers) can directly involve themselves in crowdsourcing open citations, by uploading their citation data via the OpenCitations infrastructure into our new index, CROCI, the Crowdsourced Open Citations Index.",
				Authors:   []string{"Ivan Heibi", "Silvio Peroni", "David Shotton"},
				Published: "2019/02/07",
				PDFURL:    "http://arxiv.org/pdf/1902.02534",
			},
		},
		{name: "a page without tags", path: "/bare", wantState: paperlist.StateOK, want: &paperlist.PageRecord{}},
		{name: "404", path: "/missing", wantState: paperlist.StateNotFound},
		{name: "410", path: "/gone", wantState: paperlist.StateNotFound},
		{name: "not HTML", path: "/pdf", wantErr: paperlist.ErrInvalidResponse},
		{name: "over the size limit", path: "/big", wantErr: paperlist.ErrInvalidResponse},
		{name: "403", path: "/denied", wantErr: paperlist.ErrRejected},
		{name: "503", path: "/down", anyErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			u := srv.URL + tt.path
			got := p.FetchPage(context.Background(), u)
			if tt.wantErr != nil || tt.anyErr {
				if got.Err == nil {
					t.Fatalf("no error; result %+v", got)
				}
				if tt.wantErr != nil && !errors.Is(got.Err, tt.wantErr) {
					t.Errorf("error %v, want one wrapping %v", got.Err, tt.wantErr)
				}
				if !strings.Contains(got.Err.Error(), u) {
					t.Errorf("error %q does not name the page", got.Err)
				}
				return
			}
			if got.Err != nil || got.State != tt.wantState {
				t.Fatalf("state %q, error %v; want %q", got.State, got.Err, tt.wantState)
			}
			if tt.want == nil {
				if got.Page != nil {
					t.Errorf("page %+v, want none", got.Page)
				}
				return
			}
			want := *tt.want
			want.URL, want.FetchedAt = u, fixedNow
			if diff := cmp.Diff(&want, got.Page); diff != "" {
				t.Errorf("page (-want +got):\n%s", diff)
			}
		})
	}
}

func TestFetchPageRefusesWhatIsNoURL(t *testing.T) {
	p := landing.New(landing.Options{HTTPClient: &http.Client{}})
	for _, u := range []string{"", "ftp://example.org/x", "not a url", "/relative"} {
		if res := p.FetchPage(context.Background(), u); !errors.Is(res.Err, paperlist.ErrRejected) {
			t.Errorf("FetchPage(%q): %+v, want an error wrapping ErrRejected", u, res)
		}
	}
}

// TestTestdataNoted checks that every page of testdata is noted in
// its README.md, which says what each is modelled on.
func TestTestdataNoted(t *testing.T) {
	notes := string(readTestdata(t, "README.md"))
	entries, err := os.ReadDir("testdata")
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if name := e.Name(); name != "README.md" && !strings.Contains(notes, "| "+name+" |") {
			t.Errorf("testdata/%s is not in its README.md", name)
		}
	}
}
