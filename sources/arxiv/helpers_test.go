package arxiv_test

import (
	"context"
	"net/http"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/paperlist/paperlist"
	"github.com/paperlist/paperlist/sources/arxiv"
)

// fixedNow is the time records are stamped with in the tests.
var fixedNow = time.Date(2026, 4, 12, 22, 59, 6, 0, time.UTC)

func now() time.Time { return fixedNow }

// testdataDir is this package's testdata: the responses recorded
// from the live service (see its SOURCES.md), which prove the parser against
// the real service.
const testdataDir = "testdata"

// readTestdata reads a file of testdata.
func readTestdata(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(testdataDir, name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// results collects what FetchArxiv emits, by id, and fails the test on an
// id emitted twice.
type results struct {
	t     testing.TB
	byID  map[string]paperlist.ArxivResult
	order []string
}

func newResults(t testing.TB) *results {
	return &results{t: t, byID: make(map[string]paperlist.ArxivResult)}
}

func (r *results) emit(res paperlist.ArxivResult) {
	r.t.Helper()
	if _, dup := r.byID[res.ID]; dup {
		r.t.Errorf("id %s emitted twice", res.ID)
	}
	r.byID[res.ID] = res
	r.order = append(r.order, res.ID)
}

// record returns the record emitted for id, failing the test when there is
// none.
func (r *results) record(id string) *paperlist.ArxivRecord {
	r.t.Helper()
	res, ok := r.byID[id]
	switch {
	case !ok:
		r.t.Fatalf("nothing emitted for %s", id)
	case res.Err != nil:
		r.t.Fatalf("%s: unexpected error: %v", id, res.Err)
	case res.NotFound:
		r.t.Fatalf("%s: unexpectedly not found", id)
	case res.Record == nil:
		r.t.Fatalf("%s: no record", id)
	}
	return res.Record
}

// fetch runs FetchArxiv and returns what it emitted.
func fetch(t testing.TB, c *arxiv.Client, ids ...string) (*results, error) {
	t.Helper()
	r := newResults(t)
	err := c.FetchArxiv(context.Background(), ids, r.emit)
	return r, err
}

// recorded is a server that answers API requests with the recorded
// responses: id_list=X is answered with id_X.xml (slashes as underscores),
// unless routes names another file for it; /abs/ID with abs_ID_head.html.
// ServeHTTP runs on the server's goroutines: it reports through t.Errorf
// and a 500, never t.Fatal, which only the test's goroutine may call.
type recorded struct {
	t      testing.TB
	routes map[string]route

	mu       sync.Mutex
	requests []string
}

func (rs *recorded) log(s string) {
	rs.mu.Lock()
	defer rs.mu.Unlock()
	rs.requests = append(rs.requests, s)
}

// Requests returns what was asked for: the id_list of API requests,
// "abs:ID" for abstract pages.
func (rs *recorded) Requests() []string {
	rs.mu.Lock()
	defer rs.mu.Unlock()
	return append([]string(nil), rs.requests...)
}

type route struct {
	file   string
	status int
}

func (rs *recorded) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if id, ok := strings.CutPrefix(r.URL.Path, "/abs/"); ok {
		rs.log("abs:" + id)
		name := "abs_" + strings.ReplaceAll(id, "/", "_") + "_head.html"
		b, err := os.ReadFile(filepath.Join(testdataDir, name))
		if err != nil {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		_, _ = w.Write(b)
		return
	}
	idList := r.URL.Query().Get("id_list")
	rs.log(idList)
	rt, ok := rs.routes[idList]
	if !ok {
		rt = route{file: "id_" + strings.ReplaceAll(idList, "/", "_") + ".xml", status: http.StatusOK}
	}
	if rt.status == 0 {
		rt.status = http.StatusOK
	}
	if rt.file == "" {
		w.WriteHeader(rt.status)
		return
	}
	b, err := os.ReadFile(filepath.Join(testdataDir, rt.file))
	if err != nil {
		rs.t.Errorf("no recorded response for id_list=%s: %v", idList, err)
		w.WriteHeader(http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/atom+xml; charset=UTF-8")
	w.WriteHeader(rt.status)
	_, _ = w.Write(b)
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
