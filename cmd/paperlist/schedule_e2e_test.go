package main_test

// The maintainer's loop run unattended: a weekly crawl or fix must not
// fail on one page that refuses a bot, and a run without a network must
// say so fast and in a few lines.

import (
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// refusingSite is a publisher's site that answers 403 to every request,
// as many do to bots; it counts the requests.
type refusingSite struct {
	*httptest.Server
	requests atomic.Int64
}

func newRefusingSite(t *testing.T) *refusingSite {
	t.Helper()
	s := &refusingSite{}
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.requests.Add(1)
		http.Error(w, "forbidden", http.StatusForbidden)
	}))
	t.Cleanup(s.Close)
	return s
}

// scheduleList is a list of three entries of the world's built-in list and
// one whose paper is on pageURL.
func scheduleList(pageURL string) string {
	return `# A list

## Models

- **RoFormer: Enhanced Transformer with Rotary Position Embedding.** arxiv 2021. [paper](https://arxiv.org/abs/2104.09864). [code](https://github.com/ZhuiyiTechnology/roformer)
- **Decoupled Weight Decay Regularization.** ICLR 2019. [paper](https://arxiv.org/abs/1711.05101). [code](https://github.com/loshchil/AdamW-and-SGDW)
- **A Paper Behind A Wall.** ACL 2023. [paper](` + pageURL + `). [code](https://github.com/Rishit-dagli/GLU)
`
}

// closedURL is an http URL on a loopback port where nothing listens.
func closedURL(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	if err := l.Close(); err != nil {
		t.Fatal(err)
	}
	return "http://" + addr
}

func TestScheduleExitCodes(t *testing.T) {
	t.Parallel()
	w := newWorld(t, worldOptions{})
	site := newRefusingSite(t)

	t.Run("crawl with one refused page exits 0", func(t *testing.T) {
		list := filepath.Join(t.TempDir(), "LIST.md")
		if err := os.WriteFile(list, []byte(scheduleList(site.URL+"/paper")), 0o644); err != nil {
			t.Fatal(err)
		}
		r := runPaperlist(t, w.args("crawl", list)...)
		wantCode(t, r, 0)
		if site.requests.Load() == 0 {
			t.Fatal("the landing page was never asked for")
		}
		_, md, d := w.outputs(t)
		if strings.Contains(md, "⚠") {
			t.Errorf("papers.md shows the maintainer's problems to visitors:\n%s", md)
		}
		p := paperAt(t, d, 7)
		if !hasFetchFailed(p, "pages") {
			t.Errorf("the refused page's entry has problems %v, want a pages fetch_failed", p.Problems)
		}
		for _, line := range []int{5, 6} {
			if q := paperAt(t, d, line); q.Arxiv == nil || q.GitHub == nil {
				t.Errorf("line %d lacks its records: %+v %+v", line, q.Arxiv, q.GitHub)
			}
		}
	})

	t.Run("fix -w -stars with the landing-page hosts down exits 0", func(t *testing.T) {
		dir := t.TempDir()
		list := writeList(t, dir, []byte(scheduleList(closedURL(t)+"/paper")+"- **Another Walled Paper.** ACL 2023. [paper]("+site.URL+"/other).\n"), 0o644)
		before := site.requests.Load()
		outputs := filepath.Join(t.TempDir(), "outputs")
		summary := filepath.Join(t.TempDir(), "summary.md")
		r := runEnv(t, dir, []string{"GITHUB_OUTPUT=" + outputs, "GITHUB_STEP_SUMMARY=" + summary},
			w.fixArgs("-w", "-stars", "-github-max-age", "0", "LIST.md")...)
		wantCode(t, r, 0)
		got := string(readFile(t, list))
		if n := strings.Count(got, " ★ "); n != 3 {
			t.Errorf("%d star markers written, want 3:\n%s", n, got)
		}
		if out := string(readFile(t, outputs)); out != "problems=0\nfixed=3\nchanged=true\n" {
			t.Errorf("step outputs %q, want 0 problems, 3 fixed, changed", out)
		}
		if s := string(readFile(t, summary)); !strings.Contains(s, "### paperlist fix") {
			t.Errorf("step summary %q has no fix section", s)
		}
		if n := site.requests.Load() - before; n != 0 {
			t.Errorf("fix asked the landing-page host %d times, want never", n)
		}
	})
}

// TestNoNetwork runs a crawl with every connection refused: the default
// endpoints behind HTTP_PROXY and HTTPS_PROXY at a closed port.
func TestNoNetwork(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	list := filepath.Join(dir, "LIST.md")
	if err := os.WriteFile(list, []byte(scheduleList("https://www.aclweb.org/paper")), 0o644); err != nil {
		t.Fatal(err)
	}
	proxy := closedURL(t)
	for _, cmd := range []string{"crawl", "fix"} {
		t.Run(cmd, func(t *testing.T) {
			args := []string{cmd, "-db", filepath.Join(dir, cmd+".db"), list}
			if cmd == "crawl" {
				args = []string{cmd, "-db", filepath.Join(dir, cmd+".db"), "-out", dir, list}
			}
			p := &proc{}
			p.cmd = binaryCommand(t, args...)
			home := t.TempDir()
			p.cmd.Env = []string{"PATH=" + os.Getenv("PATH"), "HOME=" + home,
				"HTTP_PROXY=" + proxy, "HTTPS_PROXY=" + proxy}
			p.cmd.Stdout, p.cmd.Stderr = &p.stdout, &p.stderr
			p.start = time.Now()
			if err := p.cmd.Start(); err != nil {
				t.Fatal(err)
			}
			r := p.wait(t)
			t.Logf("%s without a network: exit %d after %s, %d stderr lines", cmd, r.code, r.elapsed.Round(time.Millisecond), strings.Count(r.stderr, "\n"))
			wantCode(t, r, 2)
			// One stopped line a source: arXiv, GitHub, pages and
			// Semantic Scholar.
			if n := strings.Count(r.stderr, "\n"); n > 9 {
				t.Errorf("%d lines on stderr, want at most 9:\n%s", n, r.stderr)
			}
			named := 0
			for _, line := range strings.Split(r.stderr, "\n") {
				if strings.Contains(line, "no network") && strings.Contains(line, "-offline") {
					named++
				}
			}
			if named == 0 {
				t.Errorf("no stderr line names the network and -offline:\n%s", r.stderr)
			}
			if strings.Contains(r.stderr, ": fetch_failed:") || strings.Contains(r.stderr, "msg=problem") {
				t.Errorf("stderr lists fetch_failed entry by entry:\n%s", r.stderr)
			}
		})
	}
}

// runEnv runs the binary in dir with the environment of runIn and extra.
func runEnv(t *testing.T, dir string, extra []string, args ...string) result {
	t.Helper()
	if testing.Short() {
		t.Skip("runs the paperlist binary as a subprocess: not under -short")
	}
	p := &proc{}
	p.cmd = binaryCommand(t, args...)
	p.cmd.Dir = dir
	p.cmd.Env = append([]string{"PATH=" + os.Getenv("PATH"), "HOME=" + t.TempDir(), "GITHUB_TOKEN=" + testToken}, extra...)
	p.cmd.Stdout, p.cmd.Stderr = &p.stdout, &p.stderr
	p.start = time.Now()
	if err := p.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	return p.wait(t)
}

// TestCheckAdoptable runs check as a list's CI does.
func TestCheckAdoptable(t *testing.T) {
	t.Parallel()
	w := newWorld(t, worldOptions{})
	const roformer = "- **RoFormer: Enhanced Transformer with Rotary Position Embedding.** arxiv 2021. [paper](https://arxiv.org/abs/2104.09864). [code](https://github.com/ZhuiyiTechnology/roformer)\n"
	const rmsnorm = "- **Root Mean Square Layer Normalization.** NeurIPS 2019. [paper](https://arxiv.org/abs/1910.07467). [code](https://github.com/bzhangGo/rmsnorm)\n"
	var empties strings.Builder
	for i := range 15 {
		empties.WriteString("- **Paper " + string(rune('A'+i)) + ".** ACL 2023. [paper](https://aclanthology.org/" + string(rune('a'+i)) + "). [code]()\n")
	}
	tests := []struct {
		name     string
		list     string
		args     []string
		wantCode int
		check    func(t *testing.T, r result, dir string)
	}{
		{
			name:     "one paper under two sections is no duplicate",
			list:     "# L\n\n## Models\n\n" + roformer + "\n## Positions\n\n" + roformer,
			wantCode: 0,
			check: func(t *testing.T, r result, dir string) {
				if strings.Contains(r.stdout+r.stderr, "duplicate_paper") {
					t.Errorf("duplicate_paper reported:\n%s%s", r.stdout, r.stderr)
				}
			},
		},
		{
			name:     "the same paper twice in a section is",
			list:     "# L\n\n## Models\n\n" + roformer + roformer,
			wantCode: 3,
			check: func(t *testing.T, r result, dir string) {
				if !strings.Contains(r.stdout, "duplicate_paper") {
					t.Errorf("no duplicate_paper annotation:\n%s", r.stdout)
				}
			},
		},
		{
			name:     "-ignore repo_archived on a list whose one problem is an archived repository",
			list:     "# L\n\n## Models\n\n" + roformer + rmsnorm,
			args:     []string{"-ignore", "repo_archived"},
			wantCode: 0,
		},
		{
			name:     "an archived repository without -ignore",
			list:     "# L\n\n## Models\n\n" + roformer + rmsnorm,
			wantCode: 3,
		},
		{
			name:     "many problems: ten annotations, a total, and a step summary of all",
			list:     "# L\n\n## Models\n\n" + empties.String(),
			args:     []string{"-pages=false"},
			wantCode: 3,
			check: func(t *testing.T, r result, dir string) {
				var annotations int
				for _, line := range strings.Split(r.stdout, "\n") {
					if strings.HasPrefix(line, "::") {
						annotations++
					}
				}
				if annotations > 11 || annotations < 2 {
					t.Errorf("%d annotation lines, want at most 11:\n%s", annotations, r.stdout)
				}
				if !strings.Contains(r.stdout, "15 problems, 10 annotated") {
					t.Errorf("no total annotation:\n%s", r.stdout)
				}
				summary := string(readFile(t, filepath.Join(dir, "summary.md")))
				if n := strings.Count(summary, "| LIST.md:"); n != 15 {
					t.Errorf("step summary has %d problem rows, want 15:\n%s", n, summary)
				}
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			writeList(t, dir, []byte(tt.list), 0o644)
			db := filepath.Join(t.TempDir(), "cache.db")
			args := append([]string{"check", "-log-format", "github", "-db", db,
				"-arxiv-url", w.arxiv.URL(), "-arxiv-interval", "1ms", "-github-url", w.gh.URL(), "-github-api", "rest", "-citations-url", w.s2.URL()}, tt.args...)
			r := runEnv(t, dir, []string{"GITHUB_STEP_SUMMARY=" + filepath.Join(dir, "summary.md")}, append(args, "LIST.md")...)
			wantCode(t, r, tt.wantCode)
			// check without -out writes nothing into the list's folder.
			for _, name := range fileNames(t, dir) {
				if name != "LIST.md" && name != "summary.md" {
					t.Errorf("check wrote %s", name)
				}
			}
			if tt.check != nil {
				tt.check(t, r, dir)
			}
		})
	}
}

// A crawl against a second GitHub fetches again instead of serving the
// first server's records; arXiv's records, from the same server, stay.
func TestCacheKnowsItsEndpoint(t *testing.T) {
	t.Parallel()
	first := newWorld(t, worldOptions{})
	second := newWorld(t, worldOptions{})
	dir := t.TempDir()
	list := filepath.Join(dir, "LIST.md")
	if err := os.WriteFile(list, []byte(scheduleList("https://aclanthology.org/x")), 0o644); err != nil {
		t.Fatal(err)
	}
	db := filepath.Join(dir, "cache.db")
	crawl := func(gh string) result {
		return runPaperlist(t, "crawl", "-db", db, "-out", dir, "-pages=false",
			"-arxiv-url", first.arxiv.URL(), "-arxiv-interval", "1ms", "-github-url", gh, "-github-api", "rest", "-citations-url", first.s2.URL(), list)
	}
	wantCode(t, crawl(first.gh.URL()), 0)
	arxivBefore := len(first.arxiv.Requests())
	if len(first.gh.Requests()) == 0 || arxivBefore == 0 {
		t.Fatal("the first crawl fetched nothing")
	}
	wantCode(t, crawl(second.gh.URL()), 0)
	if n := len(second.gh.Requests()); n != 3 {
		t.Errorf("the second GitHub got %d requests, want one per repository (3)", n)
	}
	if n := len(first.arxiv.Requests()) - arxivBefore; n != 0 {
		t.Errorf("arXiv, the same server, got %d more requests, want its records served from the cache", n)
	}
}
