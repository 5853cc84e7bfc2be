package s2test_test

import (
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/paperlist/paperlist/sources/semanticscholar/s2test"
)

var paper = s2test.Paper{
	PaperID: "df2b0e26d0599ce3e70df8a9da02e51594e0e992", CorpusID: 52967399, Title: "BERT",
	ArxivID: "1810.04805", DOI: "10.18653/v1/N19-1423", URLs: []string{"https://aclanthology.org/N19-1423/"},
}

// post sends a batch request for ids and returns the status, the
// Retry-After header and the body.
func post(t *testing.T, srv *s2test.Server, fields string, ids ...string) (int, string, string) {
	t.Helper()
	body, _ := json.Marshal(map[string][]string{"ids": ids})
	resp, err := http.Post(srv.URL()+"/paper/batch?fields="+fields, "application/json", strings.NewReader(string(body)))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, resp.Header.Get("Retry-After"), string(b)
}

func TestLookup(t *testing.T) {
	srv := s2test.NewServer(s2test.Options{Generate: true})
	t.Cleanup(srv.Close)
	srv.Add(paper)
	tests := []struct {
		id    string
		found string // paperId, "" for null
	}{
		{"ARXIV:1810.04805", paper.PaperID},
		{"arxiv:1810.04805", paper.PaperID},
		{"DOI:10.18653/V1/N19-1423", paper.PaperID},
		{"10.18653/v1/N19-1423", paper.PaperID},
		{"CorpusId:52967399", paper.PaperID},
		{paper.PaperID, paper.PaperID},
		{"URL:https://arxiv.org/abs/1810.04805v2", paper.PaperID},
		{"URL:http://arxiv.org/pdf/1810.04805.pdf", paper.PaperID},
		{"URL:https://www.aclanthology.org/N19-1423", paper.PaperID},
		{"URL:https://www.semanticscholar.org/paper/" + paper.PaperID, paper.PaperID},
		{"URL:https://example.org/N19-1423", ""},
		{"ARXIV:2301.00000", ""},
		{"CorpusId:1", ""},
		{"nonsense", ""},
		{"DOI:10.48550/arXiv.2301.12345", "generated"},
		{"URL:https://arxiv.org/abs/2301.12345v2", "generated"},
		{"URL:https://arxiv.org/abs/2301.00000", ""},
		{"DOI:10.48550/arXiv.2301.00000", ""},
	}
	for _, tt := range tests {
		status, _, body := post(t, srv, "paperId", tt.id)
		var got []*struct{ PaperID string }
		if status != http.StatusOK || json.Unmarshal([]byte(body), &got) != nil || len(got) != 1 {
			t.Errorf("%s: %d %s", tt.id, status, body)
			continue
		}
		switch {
		case tt.found == "" && got[0] != nil:
			t.Errorf("%s: found %s, want null", tt.id, got[0].PaperID)
		case tt.found == "generated" && got[0] == nil:
			t.Errorf("%s: null, want a generated paper", tt.id)
		case tt.found != "" && tt.found != "generated" && (got[0] == nil || got[0].PaperID != tt.found):
			t.Errorf("%s: %s, want %s", tt.id, body, tt.found)
		}
	}
	_, _, body := post(t, srv, "externalIds,citationCount", "ARXIV:2301.12345", "ARXIV:2301.12345")
	var gen []map[string]any
	if err := json.Unmarshal([]byte(body), &gen); err != nil || len(gen) != 2 || gen[0]["citationCount"] != gen[1]["citationCount"] ||
		gen[0]["externalIds"].(map[string]any)["ArXiv"] != "2301.12345" {
		t.Errorf("generated papers: %v, %s", err, body)
	}
}

func TestFaultsAndLog(t *testing.T) {
	srv := s2test.NewServer(s2test.Options{Key: "k"})
	t.Cleanup(srv.Close)
	srv.FailNext(1, http.StatusTooManyRequests, "3")
	srv.FailNext(1, http.StatusTooManyRequests, "")
	tests := []struct {
		status     int
		retryAfter string
		inBody     string
	}{
		{http.StatusTooManyRequests, "3", "Too Many Requests"},
		{http.StatusTooManyRequests, "", "Too Many Requests"},
		{http.StatusForbidden, "", "Forbidden"}, // no key
	}
	for i, tt := range tests {
		status, ra, body := post(t, srv, "title", "ARXIV:1810.04805")
		if status != tt.status || ra != tt.retryAfter || !strings.Contains(body, tt.inBody) || !json.Valid([]byte(body)) {
			t.Errorf("request %d: %d, Retry-After %q, %s", i, status, ra, body)
		}
	}
	reqs := srv.Requests()
	if len(reqs) != 3 || reqs[0].Status != 429 || reqs[2].Status != 403 || reqs[2].IDs[0] != "ARXIV:1810.04805" || reqs[0].Method != http.MethodPost {
		t.Errorf("log %+v", reqs)
	}
	req, _ := http.NewRequest(http.MethodGet, srv.URL()+"/paper/batch", nil)
	req.Header.Set("x-api-key", "k")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusMethodNotAllowed {
		t.Errorf("GET of the batch endpoint: %d", resp.StatusCode)
	}
	srv.Reset()
	if len(srv.Requests()) != 0 {
		t.Error("Reset kept the log")
	}
}
