package arxiv_test

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/paperlist/paperlist"
	"github.com/paperlist/paperlist/sources/arxiv"
)

// newRecordedClient starts a server answering with the recorded responses
// and returns a client pointed at it.
func newRecordedClient(t *testing.T, routes map[string]route) (*arxiv.Client, *recorded) {
	t.Helper()
	rs := &recorded{t: t, routes: routes}
	srv := httptest.NewServer(rs)
	t.Cleanup(srv.Close)
	c := arxiv.New(arxiv.Options{
		APIURL:     srv.URL + "/api/query",
		AbsURL:     srv.URL + "/abs/",
		HTTPClient: srv.Client(),
		Now:        now,
	})
	return c, rs
}

func TestRecordedResponses(t *testing.T) {
	date := func(s string) time.Time {
		t.Helper()
		v, err := time.Parse(time.RFC3339, s)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	tests := []struct {
		name     string
		fixtures []string // the recorded files this case reads
		ids      []string
		routes   map[string]route
		// wantRequests are the id_lists (or abs:ID) asked for, in order.
		wantRequests []string
		check        func(t *testing.T, r *results)
	}{
		{
			name:         "one entry, new-style id, no DOI",
			fixtures:     []string{"id_1605.08386.xml"},
			ids:          []string{"1605.08386"},
			wantRequests: []string{"1605.08386"},
			check: func(t *testing.T, r *results) {
				want := &paperlist.ArxivRecord{
					ID:       "1605.08386",
					Version:  1,
					Title:    "Heat-bath random walks with Markov bases",
					Abstract: "Graphs on lattice points are studied whose edges come from a finite set of allowed moves of arbitrary length. We show that the diameter of these graphs on fibers of a fixed integer matrix can be bounded from above by a constant. We then study the mixing behaviour of heat-bath random walks on these graphs. We also state explicit conditions on the set of moves so that the heat-bath random walk, a generalization of the Glauber dynamics, is an expander in fixed dimension.",
					Authors: []paperlist.Author{
						{Name: "Caprice Stanley"}, {Name: "Tobias Windisch"},
					},
					Published:       date("2016-05-26T17:59:46Z"),
					Updated:         date("2016-05-26T17:59:46Z"),
					PrimaryCategory: "math.CO",
					Categories:      []string{"math.CO", "math.ST"},
					Comment:         "20 pages, 3 figures",
					AbsURL:          "https://arxiv.org/abs/1605.08386v1",
					PDFURL:          "https://arxiv.org/pdf/1605.08386v1",
					FetchedAt:       fixedNow,
				}
				if diff := cmp.Diff(want, r.record("1605.08386")); diff != "" {
					t.Errorf("record (-want +got):\n%s", diff)
				}
			},
		},
		{
			name:         "34 authors and a non-ASCII name",
			fixtures:     []string{"id_1707.08567.xml"},
			ids:          []string{"1707.08567"},
			wantRequests: []string{"1707.08567"},
			check: func(t *testing.T, r *results) {
				rec := r.record("1707.08567")
				if len(rec.Authors) != 34 {
					t.Fatalf("%d authors, want 34", len(rec.Authors))
				}
				if got := rec.Authors[32].Name; got != "Dirk Wübben" {
					t.Errorf("author 33 = %q, want %q", got, "Dirk Wübben")
				}
				if rec.Authors[0].Name != "Kees A. Schouhamer Immink" || rec.Authors[33].Name != "Hirosuke Yamamoto" {
					t.Errorf("first and last authors = %q, %q", rec.Authors[0].Name, rec.Authors[33].Name)
				}
				if rec.Title != "Proceedings of Workshop AEW10: Concepts in Information Theory and Communications" {
					t.Errorf("title = %q", rec.Title)
				}
			},
		},
		{
			name:         "a title that is literally 0, asked for with a version",
			fixtures:     []string{"id_2104.12255v1.xml"},
			ids:          []string{"2104.12255v1"},
			wantRequests: []string{"2104.12255v1"},
			check: func(t *testing.T, r *results) {
				rec := r.record("2104.12255v1")
				if rec.Title != "0" || rec.ID != "2104.12255" || rec.Version != 1 {
					t.Errorf("title, id, version = %q, %q, %d; want \"0\", 2104.12255, 1", rec.Title, rec.ID, rec.Version)
				}
				if rec.Comment != "" || rec.Withdrawn {
					t.Errorf("comment %q, withdrawn %v; want none", rec.Comment, rec.Withdrawn)
				}
			},
		},
		{
			name:         "old-style id with affiliations and a journal reference",
			fixtures:     []string{"id_astro-ph_0601001.xml"},
			ids:          []string{"astro-ph/0601001"},
			wantRequests: []string{"astro-ph/0601001"},
			check: func(t *testing.T, r *results) {
				rec := r.record("astro-ph/0601001")
				wantAuthors := []paperlist.Author{
					{Name: "Andrew Gould", Affiliations: []string{"Ohio State"}},
					{Name: "Susan Dorsher", Affiliations: []string{"Ohio State"}},
					{Name: "B. Scott Gaudi", Affiliations: []string{"CfA"}},
					{Name: "Andrzej Udalski", Affiliations: []string{"Warsaw University Observatory"}},
				}
				if diff := cmp.Diff(wantAuthors, rec.Authors); diff != "" {
					t.Errorf("authors (-want +got):\n%s", diff)
				}
				if rec.ID != "astro-ph/0601001" || rec.Version != 1 || rec.JournalRef != "ActaAstron.56:1-50,2006" {
					t.Errorf("id %q, version %d, journal_ref %q", rec.ID, rec.Version, rec.JournalRef)
				}
				// The leading indentation goes; the TeX stays as written.
				if !strings.HasPrefix(rec.Abstract, "We derive the frequencies") || !strings.Contains(rec.Abstract, "(1/310)(1^{+1.39}_{-0.59})") {
					t.Errorf("abstract = %q", rec.Abstract)
				}
				if !strings.Contains(rec.Abstract, "V_max<17.5") {
					t.Errorf("abstract lost the unescaped <: %q", rec.Abstract)
				}
				if rec.PDFURL != "https://arxiv.org/pdf/astro-ph/0601001v1" {
					t.Errorf("pdf url = %q", rec.PDFURL)
				}
			},
		},
		{
			name:         "old-style id with a version",
			fixtures:     []string{"id_quant-ph_0201082v1.xml"},
			ids:          []string{"quant-ph/0201082v1"},
			wantRequests: []string{"quant-ph/0201082v1"},
			check: func(t *testing.T, r *results) {
				rec := r.record("quant-ph/0201082v1")
				if rec.ID != "quant-ph/0201082" || rec.Version != 1 {
					t.Errorf("id %q version %d", rec.ID, rec.Version)
				}
				if diff := cmp.Diff([]string{"quant-ph", "cs.PL"}, rec.Categories); diff != "" {
					t.Errorf("categories (-want +got):\n%s", diff)
				}
			},
		},
		{
			name:         "unknown id: not found after the confirming request",
			fixtures:     []string{"id_0000.0000.xml"},
			ids:          []string{"0000.0000"},
			wantRequests: []string{"0000.0000", "0000.0000"},
			check: func(t *testing.T, r *results) {
				if res := r.byID["0000.0000"]; !res.NotFound || res.Err != nil || res.Record != nil {
					t.Errorf("result = %+v, want NotFound", res)
				}
			},
		},
		{
			name:         "another unknown id",
			fixtures:     []string{"id_0808.05394.xml"},
			ids:          []string{"0808.05394"},
			wantRequests: []string{"0808.05394", "0808.05394"},
			check: func(t *testing.T, r *results) {
				if res := r.byID["0808.05394"]; !res.NotFound {
					t.Errorf("result = %+v, want NotFound", res)
				}
			},
		},
		{
			name:         "mixed batch: the real paper found, the missing one confirmed",
			fixtures:     []string{"id_0808.05394_1707.08567.xml", "id_0808.05394.xml"},
			ids:          []string{"0808.05394", "1707.08567"},
			routes:       map[string]route{"0808.05394,1707.08567": {file: "id_0808.05394_1707.08567.xml"}},
			wantRequests: []string{"0808.05394,1707.08567", "0808.05394"},
			check: func(t *testing.T, r *results) {
				if rec := r.record("1707.08567"); len(rec.Authors) != 34 {
					t.Errorf("%d authors", len(rec.Authors))
				}
				if !r.byID["0808.05394"].NotFound {
					t.Errorf("0808.05394: %+v, want NotFound", r.byID["0808.05394"])
				}
				if diff := cmp.Diff([]string{"1707.08567", "0808.05394"}, r.order); diff != "" {
					t.Errorf("emit order (-want +got):\n%s", diff)
				}
			},
		},
		{
			// The client never sends a malformed id, so the recorded error
			// feed is served for a well-formed one.
			name:         "400 error feed names the bad id",
			fixtures:     []string{"id_abc.xml"},
			ids:          []string{"2301.00001", "2301.00002"},
			routes:       map[string]route{"2301.00001,2301.00002": {file: "id_abc.xml", status: http.StatusBadRequest}},
			wantRequests: []string{"2301.00001,2301.00002"},
			check: func(t *testing.T, r *results) {
				for _, id := range []string{"2301.00001", "2301.00002"} {
					err := r.byID[id].Err
					if err == nil {
						t.Fatalf("%s: no error", id)
					}
					if !errors.Is(err, paperlist.ErrRejected) {
						t.Errorf("%s: %v does not wrap ErrRejected", id, err)
					}
					var apiErr *arxiv.APIError
					if !errors.As(err, &apiErr) || apiErr.ID() != "abc" || apiErr.Code != "incorrect_id_format_for_abc" {
						t.Errorf("%s: %v: want an APIError naming abc", id, err)
					}
					if !strings.Contains(err.Error(), "incorrect id format for abc") {
						t.Errorf("%s: message %q lacks arXiv's", id, err)
					}
				}
			},
		},
		{
			name:     "ten entries with DOIs, in relevance order",
			fixtures: []string{"search_testing.xml"},
			ids: []string{"1812.11470", "2202.12139", "2405.13786", "2005.14124", "2204.08348",
				"2302.03287", "1202.4527", "2503.05378", "1205.1866", "2502.07719"},
			routes: map[string]route{
				"1812.11470,2202.12139,2405.13786,2005.14124,2204.08348,2302.03287,1202.4527,2503.05378,1205.1866,2502.07719": {file: "search_testing.xml"},
			},
			wantRequests: []string{"1812.11470,2202.12139,2405.13786,2005.14124,2204.08348,2302.03287,1202.4527,2503.05378,1205.1866,2502.07719"},
			check: func(t *testing.T, r *results) {
				dois := map[string]string{
					"2202.12139": "10.1109/ICSTW55395.2022.00035",
					"2405.13786": "10.1109/ICSTW58534.2023.00023",
					"2005.14124": "10.1145/3395363.3397376",
					"1205.1866":  "10.5121/vlsic.2012.3205",
				}
				withDOI := 0
				for id, res := range r.byID {
					rec := r.record(id)
					if rec.ID != id {
						t.Errorf("emitted for %s: the record of %s", id, rec.ID)
					}
					if rec.DOI != "" {
						withDOI++
					}
					if want, ok := dois[id]; ok && rec.DOI != want {
						t.Errorf("%s: doi %q, want %q", id, rec.DOI, want)
					}
					if res.Record.Title == "" || len(res.Record.Authors) == 0 {
						t.Errorf("%s: empty title or authors", id)
					}
				}
				if len(r.byID) != 10 || withDOI != 6 {
					t.Errorf("%d results, %d with a DOI; want 10 and 6", len(r.byID), withDOI)
				}
				if rec := r.record("2005.14124"); rec.Version != 2 {
					t.Errorf("2005.14124 version %d, want 2", rec.Version)
				}
			},
		},
		{
			name:         "the abstract page when the API fails",
			fixtures:     []string{"abs_1902.02534_head.html"},
			ids:          []string{"1902.02534"},
			routes:       map[string]route{"1902.02534": {status: http.StatusServiceUnavailable}},
			wantRequests: []string{"1902.02534", "abs:1902.02534"},
			check: func(t *testing.T, r *results) {
				want := &paperlist.ArxivRecord{
					ID:        "1902.02534",
					Version:   2,
					Title:     "Crowdsourcing open citations with CROCI -- An analysis of the current status of open citations, and a proposal",
					Abstract:  "In this paper, we analyse the current availability of open citations data in one particular dataset, namely COCI (the OpenCitations Index of Crossref open DOI-to-DOI citations; http://opencitations.net/index/coci) provided by OpenCitations. The results of these analyses show a persistent gap in the coverage of the currently available open citation data. In order to address this specific issue, we propose a strategy whereby the community (e.g. scholars and publishers) can directly involve themselves in crowdsourcing open citations, by uploading their citation data via the OpenCitations infrastructure into our new index, CROCI, the Crowdsourced Open Citations Index.",
					Authors:   []paperlist.Author{{Name: "Ivan Heibi"}, {Name: "Silvio Peroni"}, {Name: "David Shotton"}},
					Published: time.Date(2019, 2, 7, 0, 0, 0, 0, time.UTC),
					Updated:   time.Date(2019, 6, 21, 0, 0, 0, 0, time.UTC),
					AbsURL:    "https://arxiv.org/abs/1902.02534v2",
					PDFURL:    "http://arxiv.org/pdf/1902.02534",
					FetchedAt: fixedNow,
				}
				if diff := cmp.Diff(want, r.record("1902.02534")); diff != "" {
					t.Errorf("record (-want +got):\n%s", diff)
				}
			},
		},
	}

	used := make(map[string]bool)
	for _, tt := range tests {
		for _, f := range tt.fixtures {
			used[f] = true
		}
		t.Run(tt.name, func(t *testing.T) {
			c, rs := newRecordedClient(t, tt.routes)
			r, err := fetch(t, c, tt.ids...)
			if err != nil {
				t.Fatalf("FetchArxiv: %v", err)
			}
			if diff := cmp.Diff(tt.wantRequests, rs.Requests()); diff != "" {
				t.Errorf("requests (-want +got):\n%s", diff)
			}
			if got := sortedKeys(r.byID); !slices.Equal(got, sorted(tt.ids)) {
				t.Errorf("emitted for %v, want %v", got, sorted(tt.ids))
			}
			tt.check(t, r)
		})
	}

	// Every recorded response must be read by a case above, and every file
	// of testdata is noted as a recording in SOURCES.md.
	recorded := listedFiles(t, "SOURCES.md")
	if len(recorded) == 0 {
		t.Fatal("SOURCES.md lists no recorded response")
	}
	for _, name := range sortedKeys(recorded) {
		if !used[name] {
			t.Errorf("recorded response %s is read by no test case", name)
		}
	}
	entries, err := os.ReadDir(testdataDir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if name := e.Name(); name != "SOURCES.md" && !recorded[name] {
			t.Errorf("%s/%s is not in SOURCES.md", testdataDir, name)
		}
	}
}

// listedFiles returns the file names in the first column of the tables of
// notes, a markdown file of testdata.
func listedFiles(t *testing.T, notes string) map[string]bool {
	t.Helper()
	files := make(map[string]bool)
	for _, line := range strings.Split(string(readTestdata(t, notes)), "\n") {
		cells := strings.Split(line, "|")
		if len(cells) < 3 || strings.TrimSpace(cells[0]) != "" {
			continue
		}
		name := strings.Trim(strings.TrimSpace(cells[1]), "`")
		if name == "" || name == "file" || strings.Trim(name, "-") == "" {
			continue
		}
		files[name] = true
	}
	return files
}

func sorted(s []string) []string {
	s = slices.Clone(s)
	slices.Sort(s)
	return s
}
