package semanticscholar_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/paperlist/paperlist"
	"github.com/paperlist/paperlist/hostpool"
	"github.com/paperlist/paperlist/sources/semanticscholar"
	"github.com/paperlist/paperlist/sources/semanticscholar/s2test"
)

// llama is an arXiv paper as the fake knows it, with every field.
var llama = s2test.Paper{
	PaperID: "57e849d0de13ed5f91d086936296721d4ff75a75", CorpusID: 257219404,
	Title: "LLaMA: Open and Efficient Foundation Language Models", ArxivID: "2302.13971",
	DOI: "10.48550/arXiv.2302.13971", Venue: "arXiv.org", PublicationVenue: "arXiv.org",
	Year: 2023, PublicationDate: "2023-02-27", Citations: 15234, InfluentialCitations: 2101, References: 80,
	IsOpenAccess: true, OpenAccessPDF: "https://arxiv.org/pdf/2302.13971",
}

// bert is a paper known by its ACL Anthology page and DOI, with an arXiv id.
var bert = s2test.Paper{
	PaperID: "df2b0e26d0599ce3e70df8a9da02e51594e0e992", Title: "BERT: Pre-training of Deep Bidirectional Transformers for Language Understanding",
	ArxivID: "1810.04805", DOI: "10.18653/v1/N19-1423", URLs: []string{"https://www.aclweb.org/anthology/N19-1423/"},
	Venue: "North American Chapter of the Association for Computational Linguistics", Year: 2019,
	PublicationDate: "2019-10-11", Citations: 90000, InfluentialCitations: 20000, References: 60,
}

// bare is a paper with none of the optional fields.
var bare = s2test.Paper{PaperID: "0f40b1f08821e22e859c6050916cec3667778613", DOI: "10.1257/rct.1355", Title: "Improving Third-Party Audits"}

func TestFetchCitations(t *testing.T) {
	llamaRecord := &paperlist.CitationRecord{
		PaperID: llama.PaperID, Title: llama.Title, Citations: 15234, InfluentialCitations: 2101, References: 80,
		Venue: "arXiv.org", Year: 2023, PublicationDate: "2023-02-27", DOI: llama.DOI, ArxivID: "2302.13971",
		URL: "https://www.semanticscholar.org/paper/" + llama.PaperID, IsOpenAccess: true,
		OpenAccessPDF: "https://arxiv.org/pdf/2302.13971", FetchedAt: fixedNow,
	}
	bertRecord := &paperlist.CitationRecord{
		PaperID: bert.PaperID, Title: bert.Title, Citations: 90000, InfluentialCitations: 20000, References: 60,
		Venue: bert.Venue, Year: 2019, PublicationDate: "2019-10-11", DOI: bert.DOI, ArxivID: "1810.04805",
		URL: "https://www.semanticscholar.org/paper/" + bert.PaperID, FetchedAt: fixedNow,
	}
	bareRecord := &paperlist.CitationRecord{
		PaperID: bare.PaperID, Title: bare.Title, DOI: bare.DOI,
		URL: "https://www.semanticscholar.org/paper/" + bare.PaperID, FetchedAt: fixedNow,
	}
	tests := []struct {
		name     string
		id       paperlist.CitationID
		want     *paperlist.CitationRecord
		notFound bool
		rejected bool
	}{
		{name: "arXiv id", id: paperlist.ArxivCitationID("2302.13971v2"), want: llamaRecord},
		{name: "DOI", id: paperlist.DOICitationID("https://doi.org/10.18653/v1/N19-1423"), want: bertRecord},
		{name: "DOI in another case", id: "DOI:10.18653/V1/N19-1423", want: bertRecord},
		{name: "ACL Anthology page", id: paperlist.URLCitationID("https://aclweb.org/anthology/N19-1423"), want: bertRecord},
		{name: "arXiv page", id: paperlist.URLCitationID("https://arxiv.org/abs/2302.13971v1"), want: llamaRecord},
		{name: "no optional field", id: paperlist.DOICitationID("10.1257/rct.1355"), want: bareRecord},
		{name: "unknown arXiv id", id: "ARXIV:2301.00000", notFound: true},
		{name: "unknown DOI", id: "DOI:10.1000/none", notFound: true},
		{name: "bare arXiv id", id: "2302.13971", rejected: true},
		{name: "prefix alone", id: "ARXIV:", rejected: true},
		{name: "white space", id: "DOI:10.1000/a b", rejected: true},
		{name: "empty", id: "", rejected: true},
	}
	srv := s2test.NewServer(s2test.Options{})
	t.Cleanup(srv.Close)
	srv.Add(llama, bert, bare)
	c := newClient(t, srv.URL(), semanticscholar.Options{})
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv.Reset()
			got, err := fetch(t, c, tt.id, tt.id)
			if err != nil {
				t.Fatal(err)
			}
			res, ok := got[tt.id]
			switch {
			case !ok:
				t.Fatalf("nothing emitted for %q", tt.id)
			case tt.rejected:
				if !errors.Is(res.Err, paperlist.ErrRejected) || len(srv.Requests()) != 0 {
					t.Errorf("got %+v after %d requests, want ErrRejected and no request", res, len(srv.Requests()))
				}
				return
			case res.Err != nil:
				t.Fatal(res.Err)
			case res.NotFound != tt.notFound:
				t.Errorf("NotFound = %v, want %v", res.NotFound, tt.notFound)
			}
			if diff := cmp.Diff(tt.want, res.Record); diff != "" {
				t.Errorf("record (-want +got):\n%s", diff)
			}
			reqs := srv.Requests()
			if len(reqs) != 1 || len(reqs[0].IDs) != 1 {
				t.Fatalf("requests %+v, want one for one id", reqs)
			}
			checkRequest(t, reqs[0])
		})
	}
}

// checkRequest checks that r is a batch request as the API documents it.
func checkRequest(t *testing.T, r s2test.Request) {
	t.Helper()
	q, err := url.ParseQuery(r.RawQuery)
	if err != nil {
		t.Fatal(err)
	}
	if r.Method != http.MethodPost || r.Path != "/graph/v1/paper/batch" || r.Status != http.StatusOK ||
		q.Get("fields") != strings.Join(semanticscholar.Fields, ",") || len(q) != 1 ||
		r.Header.Get("Content-Type") != "application/json" || !strings.HasPrefix(r.Header.Get("User-Agent"), "paperlist/") {
		t.Errorf("request %s %s?%s (status %d, headers %v)", r.Method, r.Path, r.RawQuery, r.Status, r.Header)
	}
}

func TestFetchCitationsBatches(t *testing.T) {
	tests := []struct {
		name      string
		papers    int
		batchSize int
		want      []int // ids per request
	}{
		{"the seed list", 31, 0, []int{31}},
		{"one full batch", 500, 0, []int{500}},
		{"1,200 papers", 1200, 0, []int{500, 500, 200}},
		{"a batch size over the limit", 1001, 900, []int{500, 500, 1}},
		{"a smaller batch size", 25, 10, []int{10, 10, 5}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := s2test.NewServer(s2test.Options{Generate: true})
			t.Cleanup(srv.Close)
			c := newClient(t, srv.URL(), semanticscholar.Options{BatchSize: tt.batchSize})
			var ids []paperlist.CitationID
			for i := range tt.papers {
				ids = append(ids, paperlist.ArxivCitationID(fmt.Sprintf("2301.%05d", i+1)))
			}
			var order []paperlist.CitationID
			err := c.FetchCitations(context.Background(), ids, func(r paperlist.CitationResult) {
				order = append(order, r.ID)
				if r.Record == nil || r.Record.ArxivID != strings.TrimPrefix(string(r.ID), "ARXIV:") {
					t.Errorf("%s: %+v", r.ID, r)
				}
			})
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(ids, order); diff != "" {
				t.Errorf("emitted out of order (-asked +emitted):\n%s", diff)
			}
			var sizes []int
			for _, r := range srv.Requests() {
				checkRequest(t, r)
				sizes = append(sizes, len(r.IDs))
			}
			if diff := cmp.Diff(tt.want, sizes); diff != "" {
				t.Errorf("ids per request (-want +got):\n%s", diff)
			}
		})
	}
}

func TestFakeBatchLimit(t *testing.T) {
	srv := s2test.NewServer(s2test.Options{Generate: true})
	t.Cleanup(srv.Close)
	for _, n := range []int{1, 500, 501, 1000} {
		ids := make([]string, n)
		for i := range ids {
			ids[i] = fmt.Sprintf("ARXIV:2301.%05d", i)
		}
		body, _ := json.Marshal(map[string][]string{"ids": ids})
		status, answer := send(t, http.MethodPost, srv.URL()+"/paper/batch?fields=title", string(body))
		if n <= s2test.MaxBatch {
			var items []json.RawMessage
			if status != http.StatusOK || json.Unmarshal([]byte(answer), &items) != nil || len(items) != n || string(items[0]) != "null" {
				t.Errorf("%d ids: %d, %d items, first %.40s", n, status, len(items), answer)
			}
			continue
		}
		var e struct{ Error string }
		if status != http.StatusBadRequest || json.Unmarshal([]byte(answer), &e) != nil || !strings.Contains(e.Error, "500") {
			t.Errorf("%d ids: %d %s, want a 400 with an error about the limit", n, status, answer)
		}
	}
	for _, body := range []string{``, `[]`, `{"ids": "x"}`, `{"paper_ids": []}`} {
		if status, _ := send(t, http.MethodPost, srv.URL()+"/paper/batch?fields=title", body); status != http.StatusBadRequest {
			t.Errorf("body %q: status %d, want 400", body, status)
		}
	}
	if status, answer := send(t, http.MethodPost, srv.URL()+"/paper/batch?fields=title,abstract", `{"ids":[]}`); status != http.StatusBadRequest ||
		answer != `{"error":"Unrecognized or unsupported fields: [abstract]"}`+"\n" {
		t.Errorf("unknown field: %d %q", status, answer)
	}
}

// answering is a server that answers every request with status and body.
func answering(t *testing.T, status int, contentType, body string) string {
	t.Helper()
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", contentType)
		w.WriteHeader(status)
		_, _ = io.WriteString(w, body)
	}))
	t.Cleanup(ts.Close)
	return ts.URL
}

func TestFetchCitationsErrors(t *testing.T) {
	ids := []paperlist.CitationID{"ARXIV:2302.13971", "ARXIV:2301.00000"}
	paperJSON := `{"paperId": "57e849d0de13ed5f91d086936296721d4ff75a75", "citationCount": 3}`
	tests := []struct {
		name        string
		status      int
		contentType string
		body        string
		maxBody     int64
		wantIs      error // for every id; nil: an error that is neither sentinel
		perID       map[paperlist.CitationID]error
	}{
		{name: "400", status: 400, body: `{"error":"Unrecognized or unsupported fields: [x]"}`, wantIs: paperlist.ErrRejected},
		{name: "403", status: 403, body: `{"message":"Forbidden"}`, wantIs: paperlist.ErrRejected},
		{name: "429 after the retries", status: 429, body: `{"message": "Too Many Requests.", "code": "429"}`},
		{name: "500", status: 500, body: `Internal Server Error`},
		{name: "fewer papers than ids", status: 200, body: `[null]`, wantIs: paperlist.ErrInvalidResponse},
		{name: "more papers than ids", status: 200, body: `[null, null, null]`, wantIs: paperlist.ErrInvalidResponse},
		{name: "an object", status: 200, body: `{"data": []}`, wantIs: paperlist.ErrInvalidResponse},
		{name: "truncated", status: 200, body: `[` + paperJSON + `, nu`, wantIs: paperlist.ErrInvalidResponse},
		{name: "HTML", status: 200, contentType: "text/html", body: `<html>busy</html>`, wantIs: paperlist.ErrInvalidResponse},
		{name: "over the size limit", status: 200, body: `[` + paperJSON + `, null]`, maxBody: 20, wantIs: paperlist.ErrInvalidResponse},
		{name: "a count of the wrong type", status: 200, body: `[{"paperId": "a", "citationCount": "many"}, null]`,
			perID: map[paperlist.CitationID]error{ids[0]: paperlist.ErrInvalidResponse, ids[1]: nil}},
		{name: "a paper without paperId", status: 200, body: `[{"citationCount": 3}, null]`,
			perID: map[paperlist.CitationID]error{ids[0]: paperlist.ErrInvalidResponse, ids[1]: nil}},
		{name: "a negative count", status: 200, body: `[{"paperId": "a", "citationCount": -3}, null]`,
			perID: map[paperlist.CitationID]error{ids[0]: paperlist.ErrInvalidResponse, ids[1]: nil}},
		{name: "a string for a paper", status: 200, body: `["paper", null]`,
			perID: map[paperlist.CitationID]error{ids[0]: paperlist.ErrInvalidResponse, ids[1]: nil}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ct := tt.contentType
			if ct == "" {
				ct = "application/json"
			}
			c := newClient(t, answering(t, tt.status, ct, tt.body), semanticscholar.Options{MaxBodyBytes: tt.maxBody})
			got, err := fetch(t, c, ids...)
			if err != nil {
				t.Fatalf("FetchCitations returned %v; a failed batch fails its ids", err)
			}
			for _, id := range ids {
				res := got[id]
				want, perID := tt.perID[id]
				switch {
				case perID && want == nil:
					if res.Err != nil || !res.NotFound {
						t.Errorf("%s: %+v, want NotFound", id, res)
					}
				case perID || tt.wantIs != nil:
					if !perID {
						want = tt.wantIs
					}
					if !errors.Is(res.Err, want) {
						t.Errorf("%s: error %v, want %v", id, res.Err, want)
					}
				default:
					if res.Err == nil || errors.Is(res.Err, paperlist.ErrRejected) || errors.Is(res.Err, paperlist.ErrInvalidResponse) {
						t.Errorf("%s: error %v, want one worth another run", id, res.Err)
					}
				}
				if res.Err != nil && !strings.HasPrefix(res.Err.Error(), "semanticscholar: ") {
					t.Errorf("%s: error %q does not say its source", id, res.Err)
				}
			}
		})
	}
}

func TestFetchCitationsStops(t *testing.T) {
	srv := s2test.NewServer(s2test.Options{Generate: true})
	t.Cleanup(srv.Close)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	c := newClient(t, srv.URL(), semanticscholar.Options{})
	emitted := 0
	err := c.FetchCitations(ctx, []paperlist.CitationID{"ARXIV:2302.13971"}, func(paperlist.CitationResult) { emitted++ })
	if !errors.Is(err, context.Canceled) || emitted != 0 {
		t.Errorf("cancelled: %v, %d emitted; want context.Canceled and nothing emitted", err, emitted)
	}

	stopped := &http.Client{Transport: roundTripFunc(func(*http.Request) (*http.Response, error) {
		return nil, fmt.Errorf("hostpool: api.semanticscholar.org stopped: %w", paperlist.ErrWaitTooLong)
	})}
	c = newClient(t, srv.URL(), semanticscholar.Options{HTTPClient: stopped})
	err = c.FetchCitations(context.Background(), []paperlist.CitationID{"ARXIV:2302.13971"}, func(paperlist.CitationResult) { emitted++ })
	if !errors.Is(err, paperlist.ErrWaitTooLong) || emitted != 0 {
		t.Errorf("stopped host: %v, %d emitted; want ErrWaitTooLong and nothing emitted", err, emitted)
	}
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

// secret is the API key of the tests: it must show nowhere.
const secret = "s2-SECRET-key-0123456789abcdef"

func TestAPIKey(t *testing.T) {
	t.Run("sent to the API host", func(t *testing.T) {
		srv := s2test.NewServer(s2test.Options{Key: secret})
		t.Cleanup(srv.Close)
		srv.Add(llama)
		c := newClient(t, srv.URL(), semanticscholar.Options{APIKey: secret})
		got, err := fetch(t, c, "ARXIV:2302.13971")
		if err != nil || got["ARXIV:2302.13971"].Record == nil {
			t.Fatalf("%v, %+v", err, got)
		}
		if h := srv.Requests()[0].Header.Get("x-api-key"); h != secret || !c.Authenticated() {
			t.Errorf("x-api-key %q, Authenticated %v", h, c.Authenticated())
		}
	})
	t.Run("not sent without one", func(t *testing.T) {
		srv := s2test.NewServer(s2test.Options{Key: secret})
		t.Cleanup(srv.Close)
		c := newClient(t, srv.URL(), semanticscholar.Options{})
		got, _ := fetch(t, c, "ARXIV:2302.13971")
		if res := got["ARXIV:2302.13971"]; !errors.Is(res.Err, paperlist.ErrRejected) || c.Authenticated() {
			t.Errorf("a key the server requires, none sent: %+v", res)
		}
		if _, ok := srv.Requests()[0].Header["X-Api-Key"]; ok {
			t.Error("an x-api-key header without a key")
		}
	})

	var mu sync.Mutex
	var elsewhere []http.Header
	other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		elsewhere = append(elsewhere, r.Header.Clone())
		mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, `[null]`)
	}))
	t.Cleanup(other.Close)
	tests := []struct {
		name    string
		handler http.HandlerFunc
	}{
		{"echoed in an error body", func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusForbidden)
			_, _ = io.WriteString(w, `{"message":"key `+r.Header.Get("x-api-key")+` is not valid"}`)
		}},
		{"echoed in a plain body", func(w http.ResponseWriter, r *http.Request) {
			w.WriteHeader(http.StatusInternalServerError)
			_, _ = io.WriteString(w, "bad key "+r.Header.Get("x-api-key"))
		}},
		{"a redirect to another host", func(w http.ResponseWriter, r *http.Request) {
			http.Redirect(w, r, other.URL+"/graph/v1/paper/batch", http.StatusTemporaryRedirect)
		}},
		{"a redirect to another host that keeps the header", func(w http.ResponseWriter, r *http.Request) {
			http.Redirect(w, r, other.URL+"/?x-api-key="+url.QueryEscape(r.Header.Get("x-api-key")), http.StatusPermanentRedirect)
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ts := httptest.NewServer(tt.handler)
			t.Cleanup(ts.Close)
			c := newClient(t, ts.URL+"/graph/v1", semanticscholar.Options{APIKey: secret})
			got, err := fetch(t, c, "ARXIV:2302.13971")
			if err != nil {
				t.Fatal(err)
			}
			res := got["ARXIV:2302.13971"]
			if res.Err == nil {
				t.Fatalf("no error: %+v", res)
			}
			if strings.Contains(res.Err.Error(), secret) || strings.Contains(fmt.Sprintf("%+v %#v", res.Err, res.Err), secret) {
				t.Errorf("the key in the error: %v", res.Err)
			}
			mu.Lock()
			defer mu.Unlock()
			for _, h := range elsewhere {
				if strings.Contains(fmt.Sprint(h), secret) {
					t.Errorf("the key went to another host: %v", h)
				}
			}
			if len(elsewhere) > 0 {
				t.Errorf("%d requests followed a redirect off the API host", len(elsewhere))
			}
		})
	}
}

func TestNew(t *testing.T) {
	hc := &http.Client{}
	tests := []struct {
		name string
		opts semanticscholar.Options
		ok   bool
	}{
		{"defaults", semanticscholar.Options{HTTPClient: hc}, true},
		{"no http client", semanticscholar.Options{}, false},
		{"relative base url", semanticscholar.Options{HTTPClient: hc, BaseURL: "/graph/v1"}, false},
		{"ftp base url", semanticscholar.Options{HTTPClient: hc, BaseURL: "ftp://example.org/"}, false},
		{"key with a space", semanticscholar.Options{HTTPClient: hc, APIKey: secret + " x"}, false},
		{"key with a newline", semanticscholar.Options{HTTPClient: hc, APIKey: secret + "\n"}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := semanticscholar.New(tt.opts)
			if (err == nil) != tt.ok {
				t.Fatalf("New: %v, want ok %v", err, tt.ok)
			}
			if err != nil && strings.Contains(err.Error(), secret) {
				t.Errorf("the key in the error: %v", err)
			}
		})
	}
}

func TestKeyFromEnv(t *testing.T) {
	tests := []struct {
		env  map[string]string
		want string
	}{
		{map[string]string{}, ""},
		{map[string]string{"S2_API_KEY": "a"}, "a"},
		{map[string]string{"SEMANTIC_SCHOLAR_API_KEY": " b "}, "b"},
		{map[string]string{"S2_API_KEY": "a", "SEMANTIC_SCHOLAR_API_KEY": "b"}, "a"},
		{map[string]string{"S2_API_KEY": " ", "SEMANTIC_SCHOLAR_API_KEY": "b"}, "b"},
	}
	for _, tt := range tests {
		if got := semanticscholar.KeyFromEnv(func(k string) string { return tt.env[k] }); got != tt.want {
			t.Errorf("KeyFromEnv(%v) = %q, want %q", tt.env, got, tt.want)
		}
	}
}

// stepClock is a hostpool.Clock whose sleeps only move it forward.
type stepClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *stepClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *stepClock) Sleep(ctx context.Context, d time.Duration) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(max(d, 0))
	return nil
}

// TestRateLimited runs the client through the crawler's transport with the
// host policy the command gives the API: a 429 is waited out and retried,
// for as long as Retry-After says, or from twice the interval without it.
func TestRateLimited(t *testing.T) {
	tests := []struct {
		name       string
		failures   int
		retryAfter string
		minGap     time.Duration
		maxGap     time.Duration
	}{
		{"429 with Retry-After", 1, "7", 7 * time.Second, 8 * time.Second},
		{"429 without Retry-After", 1, "", 2 * semanticscholar.Interval, 3 * semanticscholar.Interval},
		{"two 429 without Retry-After", 2, "", 2 * semanticscholar.Interval, 7 * semanticscholar.Interval},
		{"503", 1, "", 2 * semanticscholar.Interval, 3 * semanticscholar.Interval},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			clock := &stepClock{now: fixedNow}
			srv := s2test.NewServer(s2test.Options{Now: clock.Now, Key: secret})
			t.Cleanup(srv.Close)
			srv.Add(llama)
			status := http.StatusTooManyRequests
			if strings.Contains(tt.name, "503") {
				status = http.StatusServiceUnavailable
			}
			srv.FailNext(tt.failures, status, tt.retryAfter)
			u, _ := url.Parse(srv.URL())
			tr := hostpool.New(hostpool.Options{
				Hosts:   map[hostpool.Host]hostpool.Policy{hostpool.HostOf(u): {Interval: semanticscholar.Interval, Concurrency: 1}},
				MaxWait: time.Minute,
				Clock:   clock,
			})
			c := newClient(t, srv.URL(), semanticscholar.Options{APIKey: secret, HTTPClient: &http.Client{Transport: tr}})
			got, err := fetch(t, c, "ARXIV:2302.13971")
			if err != nil {
				t.Fatal(err)
			}
			if res := got["ARXIV:2302.13971"]; res.Record == nil || res.Record.Citations != llama.Citations {
				t.Fatalf("after the retries: %+v", res)
			}
			reqs := srv.Requests()
			if len(reqs) != tt.failures+1 {
				t.Fatalf("%d requests, want %d", len(reqs), tt.failures+1)
			}
			for i := 1; i < len(reqs); i++ {
				if reqs[i].Header.Get("x-api-key") != secret {
					t.Errorf("retry %d without the key", i)
				}
				if len(reqs[i].IDs) != 1 || reqs[i].IDs[0] != "ARXIV:2302.13971" {
					t.Errorf("retry %d asked for %q, want the body sent again", i, reqs[i].IDs)
				}
				if gap := reqs[i].Time.Sub(reqs[i-1].Time); gap < tt.minGap || gap > tt.maxGap {
					t.Errorf("attempt %d came %v after the one before, want %v to %v", i+1, gap, tt.minGap, tt.maxGap)
				}
			}
		})
	}
}
