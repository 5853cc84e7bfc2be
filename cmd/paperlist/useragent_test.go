package main

import (
	"net/http"
	"net/http/httptest"
	"os"
	"sync"
	"testing"

	"github.com/paperlist/paperlist"
)

// TestListFetchUserAgent: a list at a URL is fetched, by inspect, crawl and
// fix, with the one User-Agent every other request sends.
func TestListFetchUserAgent(t *testing.T) {
	src, err := os.ReadFile(inspectList)
	if err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	var agents []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		agents = append(agents, r.Header.Get("User-Agent"))
		mu.Unlock()
		w.Write(src)
	}))
	defer srv.Close()
	v, _ := buildVersion()
	want := paperlist.UserAgent(v)
	for _, args := range [][]string{
		{"inspect", srv.URL + "/README.md"},
		{"crawl", "-offline", "-quiet", "-db", t.TempDir() + "/cache.db", "-out", t.TempDir(), srv.URL + "/README.md"},
		{"fix", "-offline", "-quiet", "-db", t.TempDir() + "/cache.db", srv.URL + "/README.md"},
	} {
		t.Run(args[0], func(t *testing.T) {
			mu.Lock()
			agents = nil
			mu.Unlock()
			runMain(t, nil, args...)
			mu.Lock()
			defer mu.Unlock()
			if len(agents) == 0 {
				t.Fatal("the list was not fetched")
			}
			for _, ua := range agents {
				if ua != want {
					t.Errorf("User-Agent %q, want %q", ua, want)
				}
			}
		})
	}
}
