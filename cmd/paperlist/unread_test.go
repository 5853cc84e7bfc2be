package main

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
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
				"-arxiv-url", srv.URL+"/api/query", "-github-url", srv.URL+"/", "-citations=false", list)
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

// strayList is a list of total arXiv links, of which those on the given
// lines are in no entry.
func strayList(source string, total int, strayLines ...int) *paperlist.List {
	l := &paperlist.List{Source: source, Papers: []*paperlist.Paper{{Line: 1}}}
	stray := map[int]bool{}
	for _, n := range strayLines {
		stray[n] = true
	}
	for i := range total {
		line := 1000 + i
		if i < len(strayLines) {
			line = strayLines[i]
		}
		l.Links = append(l.Links, paperlist.SourceLink{
			Kind: paperlist.LinkArxiv, Line: line, URL: fmt.Sprintf("https://arxiv.org/abs/2301.%05d", i),
			InEntry: i >= len(strayLines),
		})
	}
	return l
}

func TestStrayLinkWarning(t *testing.T) {
	for _, tc := range []struct {
		name     string
		list     *paperlist.List
		terminal string // the line on a terminal; "" for none
		log      string // the log line's attributes; "" for none
	}{
		{"no links", &paperlist.List{Source: "a.md"}, "", ""},
		{"four of four", strayList("a.md", 4, 1, 2, 3, 4), "", ""},
		{"five of fifty-one: under a tenth", strayList("a.md", 51, 1, 2, 3, 4, 5), "", ""},
		{"five of fifty", strayList("a.md", 50, 3, 5, 8, 13, 21),
			"warning: 5 of the 50 paper and code links in the list are in no entry (lines 3, 5, 8, 13, 21); to see what paperlist read, run: paperlist inspect a.md\n",
			"count=5 links=50 lines=3,5,8,13,21 run=\"paperlist inspect a.md\""},
		{"lines shown once, and the first five", strayList("my list.md", 20, 2, 2, 4, 6, 6, 8, 10, 12),
			"warning: 8 of the 20 paper and code links in the list are in no entry (lines 2, 4, 6, 8, 10, …); to see what paperlist read, run: paperlist inspect 'my list.md'\n",
			"count=8 links=20 lines=2,4,6,8,10,… run=\"paperlist inspect 'my list.md'\""},
		{"built-in list", strayList("builtin:LLaMA-Paper-List.md", 5, 1, 2, 3, 4, 5),
			"warning: 5 of the 5 paper and code links in the list are in no entry (lines 1, 2, 3, 4, 5); to see what paperlist read, run: paperlist inspect\n",
			"count=5 links=5 lines=1,2,3,4,5 run=\"paperlist inspect\""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var term bytes.Buffer
			warnStrayLinks(tc.list, true, &term, slog.New(slog.NewTextHandler(&term, nil)))
			if term.String() != tc.terminal {
				t.Errorf("terminal:\n%q, want\n%q", term.String(), tc.terminal)
			}

			var logged bytes.Buffer
			// -quiet logs warnings only: the warning is one of them.
			log := slog.New(slog.NewTextHandler(&logged, &slog.HandlerOptions{Level: slog.LevelWarn}))
			warnStrayLinks(tc.list, false, &logged, log)
			got := logged.String()
			if tc.log == "" {
				if got != "" {
					t.Errorf("logged %q, want nothing", got)
				}
				return
			}
			if strings.Count(got, "\n") != 1 || !strings.Contains(got, "level=WARN") ||
				!strings.Contains(got, `msg="paper and code links in no entry: paperlist may have misread the list"`) ||
				!strings.HasSuffix(got, " "+tc.log+"\n") {
				t.Errorf("logged\n%q, want one warning ending in\n%q", got, tc.log)
			}
		})
	}
}

// A crawl of a list with many links in no entry warns once, after the
// summary: in the log, where -quiet keeps it as the only line, and on a
// terminal.
func TestStrayLinkWarningAfterCrawl(t *testing.T) {
	const hint = "to see what paperlist read, run: paperlist inspect testdata/inspect/list.md"
	for _, tc := range []struct {
		name     string
		args     []string
		terminal bool
		code     int
		check    func(t *testing.T, stderr string)
	}{
		{"log", []string{"crawl"}, false, exitOK, func(t *testing.T, stderr string) {
			lines := strings.Split(strings.TrimSuffix(stderr, "\n"), "\n")
			last := lines[len(lines)-1]
			if !strings.Contains(last, "level=WARN") || !strings.Contains(last, "count=5 links=18 lines=4,5,17,38") {
				t.Errorf("the last line is not the warning: %q", last)
			}
			if !strings.Contains(lines[len(lines)-2], "crawl finished") {
				t.Errorf("the warning does not follow the summary:\n%s", stderr)
			}
		}},
		{"quiet check", []string{"check", "-quiet"}, false, exitProblems, func(t *testing.T, stderr string) {
			if strings.Count(stderr, "\n") != 1 || !strings.Contains(stderr, `msg="paper and code links in no entry`) {
				t.Errorf("-quiet stderr is not the one warning line:\n%s", stderr)
			}
		}},
		{"terminal", []string{"crawl"}, true, exitOK, func(t *testing.T, stderr string) {
			want := "\nwarning: 5 of the 18 paper and code links in the list are in no entry (lines 4, 5, 17, 38); " + hint + "\n"
			if !strings.HasSuffix(stderr, want) || strings.Count(stderr, "warning: ") != 1 {
				t.Errorf("stderr does not end with the warning line %q:\n%s", want, stderr)
			}
			if i := strings.Index(stderr, "\ntook "); i < 0 || i > strings.Index(stderr, "\nwarning: ") {
				t.Errorf("the warning does not follow the summary:\n%s", stderr)
			}
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			args := append(tc.args, "-offline", "-db", filepath.Join(dir, "cache.db"), "-out", dir, inspectList)
			var stdout, stderr bytes.Buffer
			code := Main(context.Background(), args, Env{
				Stdout:     &stdout,
				Stderr:     &stderr,
				IsTerminal: func() bool { return tc.terminal },
			})
			if code != tc.code {
				t.Fatalf("exit %d, want %d; stderr:\n%s", code, tc.code, stderr.String())
			}
			if strings.Count(stderr.String(), "links in no entry") > 1 {
				t.Errorf("warned more than once:\n%s", stderr.String())
			}
			tc.check(t, stderr.String())
		})
	}
}
