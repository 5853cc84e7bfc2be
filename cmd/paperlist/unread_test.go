package main

import (
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sync/atomic"
	"testing"

	"github.com/paperlist/paperlist"
)

// noEntries is a list in which no reader finds an entry.
const noEntries = "# Notes\n\nNothing but prose here.\n\n## Later\n\nMore prose.\n"

func TestNoEntriesIsAnError(t *testing.T) {
	for _, cmd := range []string{"crawl", "check"} {
		t.Run(cmd, func(t *testing.T) {
			dir := t.TempDir()
			list := filepath.Join(dir, "my list.md")
			if err := os.WriteFile(list, []byte(noEntries), 0o644); err != nil {
				t.Fatal(err)
			}
			var requests atomic.Int32
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				requests.Add(1)
				http.Error(w, "no", http.StatusInternalServerError)
			}))
			defer srv.Close()
			db := filepath.Join(dir, "cache.db")
			r := runMain(t, map[string]string{"GITHUB_TOKEN": "x"}, cmd, "-db", db, "-out", dir,
				"-arxiv-url", srv.URL+"/api/query", "-github-url", srv.URL+"/", list)
			if r.code != exitFatal {
				t.Errorf("exit %d, want %d", r.code, exitFatal)
			}
			want := "paperlist: no paper entries found in " + list + ": " + layoutsRead +
				"; to see what it read, run: paperlist inspect '" + list + "'\n"
			if r.stderr != want {
				t.Errorf("stderr\n%q, want\n%q", r.stderr, want)
			}
			if r.stdout != "" {
				t.Errorf("stdout %q, want nothing", r.stdout)
			}
			for _, name := range []string{"papers.json", "papers.md", "cache.db"} {
				if _, err := os.Stat(filepath.Join(dir, name)); err == nil {
					t.Errorf("%s written by a run that read no entry", name)
				}
			}
			if n := requests.Load(); n != 0 {
				t.Errorf("%d requests sent", n)
			}
		})
	}
}

func TestRequireEntriesMessage(t *testing.T) {
	for _, tc := range []struct {
		name, cmd, source, want string
	}{
		{"builtin", "crawl", "builtin:LLaMA-Paper-List.md",
			"no paper entries found in builtin:LLaMA-Paper-List.md: " + layoutsRead + "; to see what it read, run: paperlist inspect"},
		{"plain path", "check", "docs/README.md",
			"no paper entries found in docs/README.md: " + layoutsRead + "; to see what it read, run: paperlist inspect docs/README.md"},
		{"url with a query", "crawl", "https://example.com/raw?ref=main&x=1",
			"no paper entries found in https://example.com/raw?ref=main&x=1: " + layoutsRead +
				"; to see what it read, run: paperlist inspect 'https://example.com/raw?ref=main&x=1'"},
		{"inspect itself", "inspect", "README.md", "no paper entries found in README.md: " + layoutsRead},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := requireEntries(tc.cmd, &paperlist.List{Source: tc.source})
			if err == nil || err.Error() != tc.want {
				t.Errorf("got  %v\nwant %s", err, tc.want)
			}
		})
	}
	if err := requireEntries("crawl", &paperlist.List{Papers: []*paperlist.Paper{{Line: 1}}}); err != nil {
		t.Errorf("a list with entries: %v", err)
	}
}
