package fakeserver_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/paperlist/paperlist/sources/internal/fakeserver"
)

func newServer(t *testing.T, latency time.Duration) (*fakeserver.Journal, *httptest.Server) {
	t.Helper()
	j := &fakeserver.Journal{}
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/created" {
			w.WriteHeader(http.StatusCreated)
			return
		}
		_, _ = w.Write([]byte("ok"))
	})
	writeFault := func(w http.ResponseWriter, f fakeserver.Fault) {
		if f.RetryAfter != "" {
			w.Header().Set("Retry-After", f.RetryAfter)
		}
		w.WriteHeader(f.Status)
	}
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		j.Serve(w, r, fakeserver.Request{Path: r.URL.Path}, latency, writeFault, h)
	}))
	t.Cleanup(ts.Close)
	return j, ts
}

// TestJournal: requests are logged in order with the status answered,
// queued faults answer the next requests with their Retry-After, and
// Reset clears both.
func TestJournal(t *testing.T) {
	j, ts := newServer(t, 0)
	j.FailNext(2, http.StatusTooManyRequests, "3")
	tests := []struct {
		path       string
		status     int
		retryAfter string
	}{
		{"/a", http.StatusTooManyRequests, "3"},
		{"/b", http.StatusTooManyRequests, "3"},
		{"/c", http.StatusOK, ""},
		{"/created", http.StatusCreated, ""},
	}
	for _, tc := range tests {
		resp, err := http.Get(ts.URL + tc.path)
		if err != nil {
			t.Fatal(err)
		}
		_ = resp.Body.Close()
		if resp.StatusCode != tc.status || resp.Header.Get("Retry-After") != tc.retryAfter {
			t.Errorf("%s: status %d, Retry-After %q; want %d, %q", tc.path, resp.StatusCode, resp.Header.Get("Retry-After"), tc.status, tc.retryAfter)
		}
	}
	var logged []string
	for _, r := range j.Requests() {
		logged = append(logged, fmt.Sprintf("{%s %d}", r.Path, r.Status))
	}
	if got, want := "["+strings.Join(logged, " ")+"]", "[{/a 429} {/b 429} {/c 200} {/created 201}]"; got != want {
		t.Errorf("log %s, want %s", got, want)
	}
	j.FailNext(1, http.StatusServiceUnavailable, "")
	j.Reset()
	if n := len(j.Requests()); n != 0 {
		t.Errorf("%d requests after Reset", n)
	}
	resp, err := http.Get(ts.URL + "/d")
	if err != nil {
		t.Fatal(err)
	}
	_ = resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Errorf("a fault queued before Reset answered: %d", resp.StatusCode)
	}
}

// TestJournalResetDuringRequest: a request in flight during a Reset does
// not record its status into a request logged after it. The handler holds
// /slow until the test releases it and /next until its client gives up, so
// the order does not hang on timing.
func TestJournalResetDuringRequest(t *testing.T) {
	j := &fakeserver.Journal{}
	release := make(chan struct{})
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/slow":
			<-release
		case "/next":
			<-r.Context().Done()
			return
		}
		_, _ = w.Write([]byte("ok"))
	})
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		j.Serve(w, r, fakeserver.Request{Path: r.URL.Path}, 0, func(http.ResponseWriter, fakeserver.Fault) {}, h)
	}))
	t.Cleanup(ts.Close)

	done := make(chan struct{})
	go func() {
		defer close(done)
		if resp, err := http.Get(ts.URL + "/slow"); err == nil {
			_ = resp.Body.Close()
		}
	}()
	waitLogged(t, j, "/slow")
	j.Reset()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, ts.URL+"/next", nil)
	if err != nil {
		t.Fatal(err)
	}
	go func() {
		if resp, err := http.DefaultClient.Do(req); err == nil {
			_ = resp.Body.Close()
		}
	}()
	waitLogged(t, j, "/next")
	close(release)
	<-done
	if got := j.Requests(); len(got) != 1 || got[0].Path != "/next" || got[0].Status != 0 {
		t.Errorf("after the slow request: %+v, want /next alone, not yet answered", got)
	}
}

// waitLogged waits until the journal's first request is path.
func waitLogged(t *testing.T, j *fakeserver.Journal, path string) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		if rs := j.Requests(); len(rs) > 0 && rs[0].Path == path {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s never logged", path)
		}
		time.Sleep(time.Millisecond)
	}
}

// TestSleep: Sleep reports whether the time passed.
func TestSleep(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	tests := []struct {
		name string
		ctx  context.Context
		d    time.Duration
		want bool
	}{
		{"no wait", ctx, 0, true},
		{"cancelled", ctx, time.Hour, false},
		{"waited", context.Background(), time.Millisecond, true},
	}
	for _, tc := range tests {
		if got := fakeserver.Sleep(tc.ctx, tc.d); got != tc.want {
			t.Errorf("%s: %v, want %v", tc.name, got, tc.want)
		}
	}
}
