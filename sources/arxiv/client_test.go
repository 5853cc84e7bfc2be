package arxiv_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/paperlist/paperlist"
	"github.com/paperlist/paperlist/crawler"
	"github.com/paperlist/paperlist/sources/arxiv"
	"github.com/paperlist/paperlist/sources/arxiv/arxivtest"
)

var _ crawler.ArxivSource = (*arxiv.Client)(nil)

// newTestServer starts an arxivtest server that invents every paper.
func newTestServer(t *testing.T) *arxivtest.Server {
	t.Helper()
	srv := arxivtest.NewServer(arxivtest.Options{Generate: true, Now: now, Seed: 7})
	t.Cleanup(srv.Close)
	return srv
}

// newClient returns a client of srv using a plain http.Client, which does
// not retry, so every fault reaches the client.
func newClient(srv *arxivtest.Server, opts arxiv.Options) *arxiv.Client {
	opts.APIURL = srv.URL()
	if opts.AbsURL == "" {
		opts.AbsURL = srv.AbsURL()
	}
	opts.HTTPClient = &http.Client{Timeout: 10 * time.Second}
	opts.Now = now
	return arxiv.New(opts)
}

// listIDs are the distinct arXiv ids of the built-in list.
func listIDs(t *testing.T) []string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "markdown", "LLaMA-Paper-List.md"))
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	seen := map[string]bool{}
	for _, link := range regexp.MustCompile(`https?://arxiv\.org/[^\s)]+`).FindAllString(string(b), -1) {
		if id, _, ok := paperlist.ParseArxivURL(link); ok && !seen[id] {
			seen[id] = true
			ids = append(ids, id)
		}
	}
	return ids
}

func generatedIDs(n int) []string {
	ids := make([]string, n)
	for i := range ids {
		ids[i] = fmt.Sprintf("23%02d.%05d", 1+i%12, 1+i)
	}
	return ids
}

// apiRequests are the requests to the API endpoint.
func apiRequests(srv *arxivtest.Server) []arxivtest.Request {
	var out []arxivtest.Request
	for _, r := range srv.Requests() {
		if r.Path == "/api/query" {
			out = append(out, r)
		}
	}
	return out
}

func absRequests(srv *arxivtest.Server) int {
	n := 0
	for _, r := range srv.Requests() {
		if strings.HasPrefix(r.Path, "/abs/") {
			n++
		}
	}
	return n
}

func TestBatching(t *testing.T) {
	list := listIDs(t)
	if len(list) != 31 {
		t.Fatalf("the built-in list has %d arXiv ids, want 31", len(list))
	}
	tests := []struct {
		name        string
		ids         []string
		batchSize   int
		wantBatches []int
	}{
		{"the built-in list in one request", list, 0, []int{31}},
		{"150 ids in two batches", generatedIDs(150), 0, []int{100, 50}},
		{"a smaller batch size", generatedIDs(25), 10, []int{10, 10, 5}},
		{"one id", []string{"2302.13971"}, 0, []int{1}},
		{"no ids, no request", nil, 0, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := newTestServer(t)
			c := newClient(srv, arxiv.Options{BatchSize: tt.batchSize})
			r, err := fetch(t, c, tt.ids...)
			if err != nil {
				t.Fatal(err)
			}
			reqs := apiRequests(srv)
			if len(reqs) != len(tt.wantBatches) {
				t.Fatalf("%d requests, want %d", len(reqs), len(tt.wantBatches))
			}
			for i, req := range reqs {
				q, err := url.ParseQuery(req.RawQuery)
				if err != nil {
					t.Fatal(err)
				}
				want := tt.wantBatches[i]
				if len(req.IDs) != want || q.Get("max_results") != fmt.Sprint(want) {
					t.Errorf("request %d: %d ids, max_results=%s; want %d", i, len(req.IDs), q.Get("max_results"), want)
				}
				if ua := req.Header.Get("User-Agent"); !strings.Contains(ua, "paperlist/") || !strings.Contains(ua, "https://github.com/paperlist/paperlist") {
					t.Errorf("User-Agent %q is not descriptive", ua)
				}
				if req.Header.Get("Authorization") != "" {
					t.Error("an Authorization header was sent to arXiv")
				}
				if req.Method != http.MethodGet || req.Status != http.StatusOK {
					t.Errorf("request %d: %s answered %d", i, req.Method, req.Status)
				}
			}
			if len(r.byID) != len(tt.ids) {
				t.Errorf("%d ids emitted, want %d", len(r.byID), len(tt.ids))
			}
			for _, id := range tt.ids {
				rec := r.record(id)
				// Entries come in another order than asked: each must be
				// matched by its id.
				if rec.ID != id || !strings.HasSuffix(rec.Title, id) {
					t.Errorf("emitted for %s: record %s titled %q", id, rec.ID, rec.Title)
				}
			}
		})
	}
}

func TestEntryOrderDiffersFromRequest(t *testing.T) {
	// The server lists entries in its own order; the client must still
	// emit every id with its own record, which TestBatching checks. Here
	// the server is shown to really reorder, so that check means something.
	srv := newTestServer(t)
	ids := generatedIDs(20)
	resp, err := http.Get(srv.URL() + "?max_results=20&id_list=" + strings.Join(ids, ","))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, m := range regexp.MustCompile(`<id>http://arxiv.org/abs/([0-9.]+)v\d+</id>`).FindAllStringSubmatch(string(body), -1) {
		got = append(got, m[1])
	}
	if len(got) != 20 {
		t.Fatalf("%d entries, want 20", len(got))
	}
	if strings.Join(got, ",") == strings.Join(ids, ",") {
		t.Error("entries came back in id_list order")
	}
}

func TestNormalisedText(t *testing.T) {
	srv := newTestServer(t)
	title := "Self-attention Does Not Need $O(n^2)$ Memory: a Very Long Title That arXiv Wraps Over More Than One Line"
	abstract := "We present a very simple algorithm for attention that requires $O(1)$ memory with respect to sequence length " +
		"and an extension to self-attention that requires $O(\\log n)$ memory. This is in contrast with the frequently " +
		"stated belief that self-attention requires $O(n^2)$ memory & more."
	srv.Add(
		arxivtest.Paper{ID: "2112.05682", Version: 3, Title: title, Abstract: abstract,
			Authors:   []paperlist.Author{{Name: "Markus N. Rabe"}, {Name: "Charles Staats"}},
			Published: time.Date(2021, 12, 10, 18, 0, 0, 0, time.UTC), Updated: time.Date(2022, 10, 10, 0, 0, 0, 0, time.UTC),
			PrimaryCategory: "cs.LG", DOI: "10.1000/x"},
		arxivtest.Paper{ID: "1706.00001", Version: 2, Title: "A Withdrawn Paper", Abstract: "Gone.",
			Published: time.Date(2017, 6, 1, 0, 0, 0, 0, time.UTC),
			Comment:   "This paper has been withdrawn by the author due to a crucial error in equation 3"},
	)
	c := newClient(srv, arxiv.Options{})
	r, err := fetch(t, c, "2112.05682", "1706.00001")
	if err != nil {
		t.Fatal(err)
	}
	rec := r.record("2112.05682")
	if rec.Title != title || rec.Abstract != abstract {
		t.Errorf("title %q\nabstract %q\nwant them as written, unwrapped", rec.Title, rec.Abstract)
	}
	if rec.Version != 3 || !rec.Updated.Equal(time.Date(2022, 10, 10, 0, 0, 0, 0, time.UTC)) || rec.DOI != "10.1000/x" || rec.Withdrawn {
		t.Errorf("record %+v", rec)
	}
	if w := r.record("1706.00001"); !w.Withdrawn {
		t.Errorf("comment %q: not marked withdrawn", w.Comment)
	}
}

func TestConfirmingRequest(t *testing.T) {
	tests := []struct {
		name         string
		ids          []string
		empties      int
		wantRequests [][]string // ids asked for by each request
		wantNotFound []string
	}{
		{
			name:         "an intermittent empty feed, then found",
			ids:          []string{"2302.13971", "2307.09288"},
			empties:      1,
			wantRequests: [][]string{{"2302.13971", "2307.09288"}, {"2302.13971", "2307.09288"}},
		},
		{
			name:         "empty twice: not found",
			ids:          []string{"2302.13971"},
			empties:      2,
			wantRequests: [][]string{{"2302.13971"}, {"2302.13971"}},
			wantNotFound: []string{"2302.13971"},
		},
		{
			name:         "only the missing id is asked again",
			ids:          []string{"2302.13971", "2301.00000", "2307.09288"},
			wantRequests: [][]string{{"2302.13971", "2301.00000", "2307.09288"}, {"2301.00000"}},
			wantNotFound: []string{"2301.00000"},
		},
		{
			name:         "all found: no confirming request",
			ids:          []string{"2302.13971", "2307.09288"},
			wantRequests: [][]string{{"2302.13971", "2307.09288"}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := newTestServer(t)
			srv.EmptyNext(tt.empties)
			r, err := fetch(t, newClient(srv, arxiv.Options{}), tt.ids...)
			if err != nil {
				t.Fatal(err)
			}
			reqs := apiRequests(srv)
			if len(reqs) != len(tt.wantRequests) {
				t.Fatalf("%d requests, want %d", len(reqs), len(tt.wantRequests))
			}
			for i, want := range tt.wantRequests {
				if strings.Join(reqs[i].IDs, ",") != strings.Join(want, ",") {
					t.Errorf("request %d asked for %v, want %v", i, reqs[i].IDs, want)
				}
			}
			notFound := map[string]bool{}
			for _, id := range tt.wantNotFound {
				notFound[id] = true
			}
			for _, id := range tt.ids {
				if notFound[id] {
					if res := r.byID[id]; !res.NotFound || res.Err != nil {
						t.Errorf("%s: %+v, want NotFound", id, res)
					}
					continue
				}
				r.record(id)
			}
		})
	}
}

func TestMalformedIDsAreNotSent(t *testing.T) {
	srv := newTestServer(t)
	r, err := fetch(t, newClient(srv, arxiv.Options{}), "abc", "2302.13971", "2302.13971", " 2307.09288", "arXiv:2301.1")
	if err != nil {
		t.Fatal(err)
	}
	for _, id := range []string{"abc", " 2307.09288", "arXiv:2301.1"} {
		if err := r.byID[id].Err; !errors.Is(err, paperlist.ErrRejected) {
			t.Errorf("%q: error %v, want one wrapping ErrRejected", id, err)
		}
	}
	r.record("2302.13971")
	reqs := apiRequests(srv)
	if len(reqs) != 1 || strings.Join(reqs[0].IDs, ",") != "2302.13971" {
		t.Errorf("requests %+v, want one for 2302.13971 only", reqs)
	}
}

func TestAPIFailureFallsBackToAbstractPages(t *testing.T) {
	tests := []struct {
		name       string
		status     int
		retryAfter string
	}{
		{"429 Rate exceeded without Retry-After", http.StatusTooManyRequests, ""},
		{"503 with Retry-After", http.StatusServiceUnavailable, "30"},
		{"500", http.StatusInternalServerError, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := newTestServer(t)
			srv.Add(arxivtest.Paper{ID: "2302.13971", Version: 1, Title: "LLaMA: Open and Efficient Foundation Language Models",
				Abstract: "We introduce LLaMA.", Authors: []paperlist.Author{{Name: "Hugo Touvron"}, {Name: "Thibaut Lavril"}},
				Published: time.Date(2023, 2, 27, 17, 11, 15, 0, time.UTC), DOI: "10.48550/arXiv.2302.13971"})
			srv.FailNext(1, tt.status, tt.retryAfter)
			r, err := fetch(t, newClient(srv, arxiv.Options{}), "2302.13971", "2307.09288", "2301.00000")
			if err != nil {
				t.Fatal(err)
			}
			reqs := srv.Requests()
			if len(reqs) != 4 || reqs[0].Status != tt.status {
				t.Fatalf("requests %+v; want the failed API request and three abstract pages", reqs)
			}
			if got := reqs[0].Header.Get("User-Agent"); got != reqs[1].Header.Get("User-Agent") {
				t.Errorf("the abstract page was asked with another User-Agent: %q", reqs[1].Header.Get("User-Agent"))
			}
			rec := r.record("2302.13971")
			want := paperlist.ArxivRecord{ID: "2302.13971", Version: 1, Title: "LLaMA: Open and Efficient Foundation Language Models",
				Abstract: "We introduce LLaMA.", DOI: "10.48550/arXiv.2302.13971"}
			if rec.ID != want.ID || rec.Version != want.Version || rec.Title != want.Title || rec.Abstract != want.Abstract || rec.DOI != want.DOI {
				t.Errorf("record %+v, want %+v", rec, want)
			}
			if len(rec.Authors) != 2 || rec.Authors[0].Name != "Hugo Touvron" || !rec.Published.Equal(time.Date(2023, 2, 27, 0, 0, 0, 0, time.UTC)) {
				t.Errorf("authors %v published %v", rec.Authors, rec.Published)
			}
			r.record("2307.09288")
			if !r.byID["2301.00000"].NotFound {
				t.Errorf("2301.00000: %+v; a 404 abstract page means not found", r.byID["2301.00000"])
			}
		})
	}
}

func TestAPIAndFallbackFailing(t *testing.T) {
	srv := newTestServer(t)
	srv.FailNext(3, http.StatusServiceUnavailable, "120")
	r, err := fetch(t, newClient(srv, arxiv.Options{}), "2302.13971", "2307.09288")
	if err != nil {
		t.Fatal(err)
	}
	for _, id := range []string{"2302.13971", "2307.09288"} {
		res := r.byID[id]
		if res.Err == nil || res.Record != nil || res.NotFound {
			t.Fatalf("%s: %+v, want an error", id, res)
		}
		if msg := res.Err.Error(); !strings.Contains(msg, "fetch batch of 2") || !strings.Contains(msg, "503") {
			t.Errorf("%s: error %q should name the batch and the status", id, msg)
		}
		if errors.Is(res.Err, paperlist.ErrInvalidResponse) || errors.Is(res.Err, paperlist.ErrRejected) {
			t.Errorf("%s: a 503 is transient, got %v", id, res.Err)
		}
	}
	if n := len(srv.Requests()); n != 3 {
		t.Errorf("%d requests, want 3 (the API, then each abstract page once)", n)
	}
}

// failingAbs is an abstract-page server that always fails, so that the
// API's error is what the ids end with.
func failingAbs(t *testing.T) string {
	t.Helper()
	s := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "down", http.StatusBadGateway)
	}))
	t.Cleanup(s.Close)
	return s.URL + "/abs/"
}

func TestUnreadableAnswers(t *testing.T) {
	tests := []struct {
		name    string
		setup   func(*arxivtest.Server)
		maxBody int64
	}{
		{"truncated feed", func(s *arxivtest.Server) { s.GarbageNext(1, arxivtest.GarbageTruncated) }, 0},
		{"HTML error page", func(s *arxivtest.Server) { s.GarbageNext(1, arxivtest.GarbageHTML) }, 0},
		{"malformed XML", func(s *arxivtest.Server) { s.GarbageNext(1, arxivtest.GarbageMalformed) }, 0},
		{"body over the size limit", func(*arxivtest.Server) {}, 2000},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := newTestServer(t)
			tt.setup(srv)
			c := newClient(srv, arxiv.Options{AbsURL: failingAbs(t), MaxBodyBytes: tt.maxBody})
			ids := generatedIDs(5)
			r, err := fetch(t, c, ids...)
			if err != nil {
				t.Fatal(err)
			}
			for _, id := range ids {
				if err := r.byID[id].Err; !errors.Is(err, paperlist.ErrInvalidResponse) {
					t.Errorf("%s: error %v, want one wrapping ErrInvalidResponse", id, err)
				}
			}
		})
	}
}

func TestGarbageThenFallback(t *testing.T) {
	srv := newTestServer(t)
	srv.GarbageNext(1, arxivtest.GarbageHTML)
	r, err := fetch(t, newClient(srv, arxiv.Options{}), "2302.13971")
	if err != nil {
		t.Fatal(err)
	}
	if rec := r.record("2302.13971"); rec.Title == "" {
		t.Error("no title from the abstract page")
	}
}

func TestContextCancel(t *testing.T) {
	t.Run("cancelled before", func(t *testing.T) {
		srv := newTestServer(t)
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		r := newResults(t)
		err := newClient(srv, arxiv.Options{}).FetchArxiv(ctx, generatedIDs(3), r.emit)
		if !errors.Is(err, context.Canceled) {
			t.Errorf("error %v, want context.Canceled", err)
		}
		if len(r.byID) != 0 || len(srv.Requests()) != 0 {
			t.Errorf("%d emitted, %d requests; want none", len(r.byID), len(srv.Requests()))
		}
	})
	t.Run("cancelled between batches", func(t *testing.T) {
		srv := newTestServer(t)
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		r := newResults(t)
		err := newClient(srv, arxiv.Options{}).FetchArxiv(ctx, generatedIDs(150), func(res paperlist.ArxivResult) {
			r.emit(res)
			cancel()
		})
		if !errors.Is(err, context.Canceled) {
			t.Errorf("error %v, want context.Canceled", err)
		}
		if len(r.byID) != 100 {
			t.Errorf("%d emitted, want the first batch of 100", len(r.byID))
		}
		if absRequests(srv) != 0 || len(apiRequests(srv)) != 1 {
			t.Errorf("requests %d to the API, %d to abstract pages; want 1 and 0", len(apiRequests(srv)), absRequests(srv))
		}
	})
}

// stoppedTransport answers like the crawler's transport once a host has
// asked for a wait longer than allowed.
type stoppedTransport struct{ calls atomic.Int32 }

func (s *stoppedTransport) RoundTrip(*http.Request) (*http.Response, error) {
	s.calls.Add(1)
	return nil, fmt.Errorf("export.arxiv.org: retry after 1h: %w", paperlist.ErrWaitTooLong)
}

func TestRateLimitStopEndsTheFetch(t *testing.T) {
	tr := &stoppedTransport{}
	c := arxiv.New(arxiv.Options{HTTPClient: &http.Client{Transport: tr}, Now: now})
	r, err := fetch(t, c, generatedIDs(3)...)
	if !errors.Is(err, paperlist.ErrWaitTooLong) {
		t.Fatalf("error %v, want paperlist.ErrWaitTooLong", err)
	}
	if len(r.byID) != 0 || tr.calls.Load() != 1 {
		t.Errorf("%d emitted after %d requests; want none after one (no fallback)", len(r.byID), tr.calls.Load())
	}
}

func TestNoHTTPClient(t *testing.T) {
	c := arxiv.New(arxiv.Options{})
	if _, err := fetch(t, c, "2302.13971"); err == nil {
		t.Error("FetchArxiv without an HTTP client succeeded")
	}
}
