package arxivtest_test

import (
	"encoding/xml"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/paperlist/paperlist"
	"github.com/paperlist/paperlist/sources/arxiv/arxivtest"
)

var fixedNow = time.Date(2026, 4, 12, 22, 59, 6, 0, time.UTC)

func get(t *testing.T, url string) (*http.Response, string) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp, string(b)
}

// feed is the part of an answer the tests look at.
type feed struct {
	XMLName xml.Name `xml:"http://www.w3.org/2005/Atom feed"`
	Total   int      `xml:"http://a9.com/-/spec/opensearch/1.1/ totalResults"`
	PerPage int      `xml:"http://a9.com/-/spec/opensearch/1.1/ itemsPerPage"`
	Entries []struct {
		ID      string `xml:"http://www.w3.org/2005/Atom id"`
		Title   string `xml:"http://www.w3.org/2005/Atom title"`
		Summary string `xml:"http://www.w3.org/2005/Atom summary"`
		Comment string `xml:"http://arxiv.org/schemas/atom comment"`
		Primary struct {
			Term string `xml:"term,attr"`
		} `xml:"http://arxiv.org/schemas/atom primary_category"`
	} `xml:"http://www.w3.org/2005/Atom entry"`
}

func decode(t *testing.T, body string) feed {
	t.Helper()
	var f feed
	if err := xml.Unmarshal([]byte(body), &f); err != nil {
		t.Fatalf("not a feed: %v\n%s", err, body)
	}
	return f
}

func TestErrorFeedMatchesTheRecordedOne(t *testing.T) {
	srv := arxivtest.NewServer(arxivtest.Options{Now: func() time.Time { return fixedNow }})
	defer srv.Close()
	resp, body := get(t, srv.URL()+"?id_list=2302.13971,abc")
	want, err := os.ReadFile(filepath.Join("testdata", "id_abc.xml"))
	if err != nil {
		t.Fatalf("the recorded error feed is missing: %v", err)
	}
	if resp.StatusCode != http.StatusBadRequest {
		t.Errorf("status %d, want 400", resp.StatusCode)
	}
	if body != string(want) {
		t.Errorf("error feed:\n%s\nwant, as recorded:\n%s", body, want)
	}
}

func TestQuery(t *testing.T) {
	long := "A Title Long Enough That The Server Has To Wrap It Over Several Indented Lines Like arXiv Does"
	srv := arxivtest.NewServer(arxivtest.Options{Now: func() time.Time { return fixedNow }})
	defer srv.Close()
	srv.Add(arxivtest.Paper{ID: "2302.13971", Version: 2, Title: long, Abstract: strings.Repeat("word ", 60),
		Published: fixedNow, PrimaryCategory: "cs.CL", Comment: "Withdrawn"})
	srv.Add(arxivtest.Paper{ID: "hep-th/9901001", Title: "Old style", Published: fixedNow})
	ids := []string{"2302.13971", "hep-th/9901001"}
	for i := range 13 {
		id := "2303." + strings.Repeat("1", 4) + string(rune('0'+i%10))
		if i >= 10 {
			id = "2304.1111" + string(rune('0'+i%10))
		}
		srv.Add(arxivtest.Paper{ID: id, Title: "Paper " + id, Published: fixedNow})
		ids = append(ids, id)
	}

	tests := []struct {
		name        string
		query       string
		wantEntries int
		wantTotal   int
		check       func(t *testing.T, f feed, body string)
	}{
		{
			name: "max_results defaults to 10", query: "id_list=" + strings.Join(ids, ","),
			wantEntries: 10, wantTotal: 15,
		},
		{
			name: "max_results lets all through", query: "id_list=" + strings.Join(ids, ",") + "&max_results=15",
			wantEntries: 15, wantTotal: 15,
		},
		{
			name: "unknown ids are left out", query: "id_list=2302.13971,2309.99999,0000.0000&max_results=3",
			wantEntries: 1, wantTotal: 1,
		},
		{
			name: "a wrapped title and abstract", query: "id_list=2302.13971",
			wantEntries: 1, wantTotal: 1,
			check: func(t *testing.T, f feed, body string) {
				e := f.Entries[0]
				if !strings.Contains(e.Title, "\n  ") || strings.Join(strings.Fields(e.Title), " ") != long {
					t.Errorf("title %q is not %q wrapped with indentation", e.Title, long)
				}
				if !strings.HasPrefix(e.Summary, "  ") || strings.Count(e.Summary, "\n") < 3 {
					t.Errorf("summary %q is not wrapped", e.Summary)
				}
				if e.ID != "http://arxiv.org/abs/2302.13971v2" || e.Comment != "Withdrawn" || e.Primary.Term != "cs.CL" {
					t.Errorf("entry %+v", e)
				}
				for _, ns := range []string{`xmlns="http://www.w3.org/2005/Atom"`, `xmlns:arxiv="http://arxiv.org/schemas/atom"`, `xmlns:opensearch="http://a9.com/-/spec/opensearch/1.1/"`} {
					if !strings.Contains(body, ns) {
						t.Errorf("feed lacks %s", ns)
					}
				}
			},
		},
		{
			name: "an earlier version", query: "id_list=2302.13971v1",
			wantEntries: 1, wantTotal: 1,
			check: func(t *testing.T, f feed, _ string) {
				if f.Entries[0].ID != "http://arxiv.org/abs/2302.13971v1" {
					t.Errorf("id %s", f.Entries[0].ID)
				}
			},
		},
		{name: "a version that does not exist", query: "id_list=2302.13971v3", wantEntries: 0, wantTotal: 0},
		{
			name: "old-style id", query: "id_list=hep-th/9901001",
			wantEntries: 1, wantTotal: 1,
			check: func(t *testing.T, f feed, _ string) {
				if f.Entries[0].ID != "http://arxiv.org/abs/hep-th/9901001v1" {
					t.Errorf("id %s", f.Entries[0].ID)
				}
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp, body := get(t, srv.URL()+"?"+tt.query)
			if resp.StatusCode != http.StatusOK || !strings.HasPrefix(resp.Header.Get("Content-Type"), "application/atom+xml") {
				t.Fatalf("status %d, content type %q", resp.StatusCode, resp.Header.Get("Content-Type"))
			}
			f := decode(t, body)
			if len(f.Entries) != tt.wantEntries || f.Total != tt.wantTotal {
				t.Errorf("%d entries, totalResults %d; want %d and %d", len(f.Entries), f.Total, tt.wantEntries, tt.wantTotal)
			}
			if tt.check != nil {
				tt.check(t, f, body)
			}
		})
	}
}

func TestFaults(t *testing.T) {
	srv := arxivtest.NewServer(arxivtest.Options{Generate: true})
	defer srv.Close()
	q := srv.URL() + "?id_list=2302.13971&max_results=1"

	srv.FailNext(1, http.StatusTooManyRequests, "")
	srv.FailNext(1, http.StatusServiceUnavailable, "30")
	resp, body := get(t, q)
	if resp.StatusCode != 429 || body != "Rate exceeded." || resp.Header.Get("Retry-After") != "" {
		t.Errorf("first: %d %q Retry-After %q; want 429 \"Rate exceeded.\" without Retry-After", resp.StatusCode, body, resp.Header.Get("Retry-After"))
	}
	resp, _ = get(t, srv.AbsURL()+"2302.13971")
	if resp.StatusCode != 503 || resp.Header.Get("Retry-After") != "30" {
		t.Errorf("second: %d Retry-After %q; want 503 with 30", resp.StatusCode, resp.Header.Get("Retry-After"))
	}

	srv.EmptyNext(1)
	if _, body = get(t, q); len(decode(t, body).Entries) != 0 {
		t.Error("EmptyNext: the feed has entries")
	}
	if _, body = get(t, q); len(decode(t, body).Entries) != 1 {
		t.Error("after EmptyNext: the paper is missing")
	}

	srv.GarbageNext(3)
	for _, want := range []string{"truncated", "html", "malformed"} {
		resp, body = get(t, q)
		var f feed
		err := xml.Unmarshal([]byte(body), &f)
		switch want {
		case "html":
			if !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/html") {
				t.Errorf("%s: content type %q", want, resp.Header.Get("Content-Type"))
			}
		default:
			if err == nil {
				t.Errorf("%s: the body parses as a feed: %q", want, body)
			}
		}
	}

	reqs := srv.Requests()
	if len(reqs) != 7 {
		t.Fatalf("%d requests logged, want 7", len(reqs))
	}
	if reqs[0].Status != 429 || reqs[1].Status != 503 || reqs[1].Path != "/abs/2302.13971" || reqs[2].Status != 200 {
		t.Errorf("statuses %d %d %d, path %s", reqs[0].Status, reqs[1].Status, reqs[2].Status, reqs[1].Path)
	}
	if len(reqs[0].IDs) != 1 || reqs[0].IDs[0] != "2302.13971" || reqs[0].Header.Get("User-Agent") == "" {
		t.Errorf("request %+v", reqs[0])
	}
	srv.Reset()
	if n := len(srv.Requests()); n != 0 {
		t.Errorf("%d requests after Reset", n)
	}
}

func TestAbsPages(t *testing.T) {
	srv := arxivtest.NewServer(arxivtest.Options{Generate: true})
	defer srv.Close()
	srv.Add(arxivtest.Paper{ID: "2302.13971", Title: "LLaMA: Open & Efficient", Abstract: "We introduce LLaMA.",
		Authors: []paperlist.Author{{Name: "Hugo Touvron"}}, Published: fixedNow, DOI: "10.1/x"})
	resp, body := get(t, srv.AbsURL()+"2302.13971")
	for _, want := range []string{
		`<meta name="citation_title" content="LLaMA: Open &amp; Efficient" />`,
		`<meta name="citation_author" content="Touvron, Hugo" />`,
		`<meta name="citation_date" content="2026/04/12" />`,
		`<meta name="citation_doi" content="10.1/x" />`,
		`<meta name="citation_abstract" content="We introduce LLaMA." />`,
		`<meta name="citation_arxiv_id" content="2302.13971" />`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("abstract page lacks %s", want)
		}
	}
	if resp.StatusCode != 200 {
		t.Errorf("status %d", resp.StatusCode)
	}
	if resp, _ := get(t, srv.AbsURL()+"2301.00000"); resp.StatusCode != 404 {
		t.Errorf("unknown id: status %d, want 404", resp.StatusCode)
	}
}

func TestConcurrentUse(t *testing.T) {
	srv := arxivtest.NewServer(arxivtest.Options{Generate: true})
	defer srv.Close()
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Go(func() {
			srv.FailNext(1, 503, "")
			srv.Add(arxivtest.Paper{ID: "2302.1397" + string(rune('0'+i))})
			resp, err := http.Get(srv.URL() + "?id_list=2302.13971")
			if err == nil {
				resp.Body.Close()
			}
			_ = srv.Requests()
		})
	}
	wg.Wait()
	if n := len(srv.Requests()); n != 8 {
		t.Errorf("%d requests logged, want 8", n)
	}
}
