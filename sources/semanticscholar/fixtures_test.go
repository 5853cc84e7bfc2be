package semanticscholar_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/paperlist/paperlist"
	"github.com/paperlist/paperlist/sources/semanticscholar"
	"github.com/paperlist/paperlist/sources/semanticscholar/s2test"
)

// recordedPapers are the papers of the recorded answers, as the fake is
// given them.
var recordedPapers = []s2test.Paper{
	{
		PaperID: "c31c87c591a25c64fbaa82e8ac6a81831b6ac7ce", CorpusID: 470667, DOI: "10.2139/ssrn.288970",
		Title: "How Much Should We Trust Differences-in-Differences Estimates?", Year: 2001,
		References: 30, Citations: 10670, InfluentialCitations: 578, IsOpenAccess: true,
		OpenAccessPDF: "http://papers.nber.org/papers/w8841.pdf", PublicationDate: "2001-10-01",
	},
	{
		PaperID: "cb1ebd913c3724c599f6b276b14b5c6253da68f3", CorpusID: 3142471, DOI: "10.2139/ssrn.2250500",
		Title: "The Miracle of Microfinance? Evidence from a Randomized Evaluation", Year: 2013,
		References: 67, Citations: 2185, InfluentialCitations: 245, IsOpenAccess: true,
		OpenAccessPDF: "https://dspace.mit.edu/bitstream/1721.1/95941/1/Banerjee_The%20miracle.pdf", PublicationDate: "2013-04-10",
	},
	{
		PaperID: "0f40b1f08821e22e859c6050916cec3667778613", CorpusID: 255313304, DOI: "10.1257/rct.1355",
		Title: "Improving Third-Party Audits and Regulatory Compliance in India", Year: 2023,
		References: 2, IsOpenAccess: true,
	},
	{
		PaperID: "2d5673caa9e6af3a7b82a43f19ee920992db07ad", DOI: "10.1093/mind/lix.236.433",
		Title: "Computing Machinery and Intelligence",
	},
}

// unmodelled are the keys of recorded papers the fake does not write: the
// fields it does not serve are refused, these are parts of fields it does.
var unmodelled = map[string]bool{"externalIds.MAG": true}

func TestRecordedAnswers(t *testing.T) {
	srv := s2test.NewServer(s2test.Options{})
	t.Cleanup(srv.Close)
	srv.Add(recordedPapers...)
	files := []string{
		"test_get_papers.yaml", "test_get_papers_return_not_found.yaml",
		"test_get_paper.yaml", "test_not_found.yaml", "test_bad_query_parameters.yaml",
	}
	replayed := 0
	for _, name := range files {
		for i, in := range readCassette(t, name) {
			t.Run(fmt.Sprintf("%s#%d", name, i), func(t *testing.T) {
				if in.ContentLength >= 0 && len(in.Body) != in.ContentLength {
					t.Fatalf("recorded body read as %d bytes, Content-Length says %d: %q", len(in.Body), in.ContentLength, in.Body)
				}
				if !json.Valid([]byte(in.Body)) {
					t.Fatalf("recorded body is not JSON: %q", in.Body)
				}
				u, err := url.Parse(in.URI)
				if err != nil {
					t.Fatal(err)
				}
				switch {
				case in.Method == http.MethodPost && u.Path == "/graph/v1/paper/batch":
					compareBatch(t, srv, in, u)
					replayRecorded(t, in)
				case in.Method == http.MethodGet && strings.HasPrefix(u.Path, "/graph/v1/paper/"):
					status, body := send(t, http.MethodGet, srv.URL()+strings.TrimPrefix(u.Path, "/graph/v1")+"?"+u.RawQuery, "")
					if status != in.Status || body != in.Body {
						t.Errorf("fake: %d %q\nrecorded: %d %q", status, body, in.Status, in.Body)
					}
				default:
					// The author endpoints: no part of the client or the fake.
					return
				}
				replayed++
			})
		}
	}
	if replayed < 5 {
		t.Errorf("%d recorded interactions compared, want the 5 of the paper endpoints", replayed)
	}
}

// compareBatch asks the fake the recorded batch request, with the fields
// of the recorded ones it serves, and checks its answer has the recorded
// shape: the same length and nulls, each paper with the same keys and
// values.
func compareBatch(t *testing.T, srv *s2test.Server, in interaction, u *url.URL) {
	t.Helper()
	var served []string
	for f := range strings.SplitSeq(u.Query().Get("fields"), ",") {
		if f == "paperId" || slices.Contains(semanticscholar.Fields, f) {
			served = append(served, f)
		}
	}
	if len(served) == 0 {
		served = []string{"paperId"}
	}
	status, body := send(t, http.MethodPost, srv.URL()+"/paper/batch?fields="+strings.Join(served, ","), in.RequestBody)
	if status != in.Status {
		t.Fatalf("fake answered %d, recorded %d: %s", status, in.Status, body)
	}
	var got, want []map[string]any
	if err := json.Unmarshal([]byte(body), &got); err != nil {
		t.Fatalf("fake: %v: %s", err, body)
	}
	if err := json.Unmarshal([]byte(in.Body), &want); err != nil {
		t.Fatal(err)
	}
	if len(got) != len(want) {
		t.Fatalf("fake answered %d papers, recorded %d", len(got), len(want))
	}
	keep := append([]string{"paperId"}, served...)
	for i := range want {
		if (got[i] == nil) != (want[i] == nil) {
			t.Errorf("paper %d: fake %v, recorded %v", i, got[i], want[i])
			continue
		}
		if want[i] == nil {
			continue
		}
		for k := range want[i] {
			if !slices.Contains(keep, k) {
				delete(want[i], k)
			}
		}
		drop(want[i], "")
		if !reflect.DeepEqual(got[i], want[i]) {
			t.Errorf("paper %d:\nfake     %v\nrecorded %v", i, got[i], want[i])
		}
	}
}

// drop deletes the unmodelled keys of a recorded object.
func drop(m map[string]any, prefix string) {
	for k, v := range m {
		if unmodelled[prefix+k] {
			delete(m, k)
			continue
		}
		if sub, ok := v.(map[string]any); ok {
			drop(sub, prefix+k+".")
		}
	}
}

// replayRecorded serves the recorded answer to the client for the
// recorded ids and checks what it makes of it.
func replayRecorded(t *testing.T, in interaction) {
	t.Helper()
	var req struct {
		IDs []paperlist.CitationID `json:"ids"`
	}
	if err := json.Unmarshal([]byte(in.RequestBody), &req); err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(in.Status)
		_, _ = io.WriteString(w, in.Body)
	}))
	t.Cleanup(ts.Close)
	c := newClient(t, ts.URL+"/graph/v1", semanticscholar.Options{})
	got, err := fetch(t, c, req.IDs...)
	if err != nil {
		t.Fatal(err)
	}
	want := parseRecorded(t, in.Body)
	for i, id := range req.IDs {
		res := got[id]
		switch {
		case res.Err != nil:
			t.Errorf("%s: %v", id, res.Err)
		case want[i] == nil && !res.NotFound:
			t.Errorf("%s: recorded null, got %+v", id, res)
		case want[i] != nil && (res.Record == nil || res.Record.PaperID != want[i].PaperID ||
			res.Record.Citations != want[i].Citations || res.Record.DOI != want[i].DOI):
			t.Errorf("%s: got %+v, want %+v", id, res.Record, want[i])
		}
	}
}

// parseRecorded reads a recorded batch answer with encoding/json alone,
// as a second opinion on the client's reading.
func parseRecorded(t *testing.T, body string) []*paperlist.CitationRecord {
	t.Helper()
	var items []*struct {
		PaperID       string `json:"paperId"`
		CitationCount int    `json:"citationCount"`
		ExternalIDs   struct {
			DOI string `json:"DOI"`
		} `json:"externalIds"`
	}
	if err := json.Unmarshal([]byte(body), &items); err != nil {
		t.Fatal(err)
	}
	out := make([]*paperlist.CitationRecord, len(items))
	for i, it := range items {
		if it != nil {
			out[i] = &paperlist.CitationRecord{PaperID: it.PaperID, Citations: it.CitationCount, DOI: it.ExternalIDs.DOI}
		}
	}
	return out
}

// send makes one request and returns the status and body of its answer.
func send(t *testing.T, method, u, body string) (int, string) {
	t.Helper()
	req, err := http.NewRequestWithContext(context.Background(), method, u, bytes.NewReader([]byte(body)))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, string(b)
}
