package hostpool_test

import (
	"errors"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/paperlist/paperlist"
	"github.com/paperlist/paperlist/hostpool"
)

// resourceOf keeps the budget of POST /graphql apart, as GitHub does.
func resourceOf(req *http.Request) string {
	if req.Method == http.MethodPost && strings.HasSuffix(req.URL.Path, "/graphql") {
		return "graphql"
	}
	return ""
}

func post(t *testing.T, c *http.Client, u string) (int, error) {
	t.Helper()
	req, err := http.NewRequestWithContext(t.Context(), http.MethodPost, u, strings.NewReader(`{"query":"{}"}`))
	if err != nil {
		t.Fatal(err)
	}
	resp, err := c.Do(req)
	if err != nil {
		return 0, err
	}
	resp.Body.Close()
	return resp.StatusCode, nil
}

// TestTransportResources: a used-up budget of one resource stops that
// resource's requests and leaves the host's other budget alone.
func TestTransportResources(t *testing.T) {
	clock := newFakeClock()
	reset := strconv.FormatInt(clock.Now().Add(time.Hour).Unix(), 10)
	srv := newServer(t, func(_ int, w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-RateLimit-Reset", reset)
		if r.URL.Path == "/graphql" {
			w.Header().Set("X-RateLimit-Remaining", "0")
			w.WriteHeader(http.StatusForbidden)
			return
		}
		w.Header().Set("X-RateLimit-Remaining", "100")
	})
	opts := fakeOptions(clock)
	opts.Hosts = map[hostpool.Host]hostpool.Policy{srv.key(): {RateLimits: githubLike, Resource: resourceOf}}
	tr := hostpool.New(opts)
	c := &http.Client{Transport: tr}

	if _, err := post(t, c, srv.URL+"/graphql"); !errors.Is(err, paperlist.ErrWaitTooLong) {
		t.Fatalf("graphql query: err = %v, want ErrWaitTooLong", err)
	}
	if !strings.Contains(tr.Stats()[srv.key()].Stopped, "(graphql)") {
		t.Errorf("stopped = %q, want the graphql resource named", tr.Stats()[srv.key()].Stopped)
	}
	for range 3 {
		if code, _, err := get(t.Context(), c, srv.URL+"/repos/o/r"); err != nil || code != http.StatusOK {
			t.Fatalf("REST request after the graphql budget ran out: %d, %v", code, err)
		}
	}
	if _, err := post(t, c, srv.URL+"/graphql"); !errors.Is(err, paperlist.ErrWaitTooLong) {
		t.Errorf("second graphql query: err = %v, want ErrWaitTooLong", err)
	}
	if got := tr.Stats()[srv.key()].Requests; got != 4 {
		t.Errorf("requests = %d, want 4 (the stopped resource sends nothing)", got)
	}
}

// TestTransportNoServerRetry: a 502 to a request the policy opts out of is
// handed back at once; one to any other request is retried.
func TestTransportNoServerRetry(t *testing.T) {
	srv := newServer(t, statuses(http.StatusBadGateway, http.StatusBadGateway, http.StatusOK))
	opts := fastOptions()
	opts.Hosts = map[hostpool.Host]hostpool.Policy{srv.key(): {
		NoServerRetry: func(r *http.Request) bool { return r.Method == http.MethodPost },
	}}
	c := &http.Client{Transport: hostpool.New(opts)}
	if code, err := post(t, c, srv.URL+"/graphql"); err != nil || code != http.StatusBadGateway {
		t.Fatalf("post = %d, %v; want 502 at once", code, err)
	}
	if srv.count() != 1 {
		t.Errorf("attempts of the post = %d, want 1", srv.count())
	}
	if code, _, err := get(t.Context(), c, srv.URL+"/x"); err != nil || code != http.StatusOK {
		t.Fatalf("get = %d, %v; want 200 after a retry", code, err)
	}
	if srv.count() != 3 {
		t.Errorf("attempts = %d, want 3", srv.count())
	}
}
