package main_test

// The maintainer's loop run unattended: a weekly crawl or fix must not
// fail on one page that refuses a bot, and a run without a network must
// say so fast and in a few lines.

import (
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
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
		_, _, d := w.outputs(t)
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
		r := runIn(t, dir, w.fixArgs("-w", "-stars", "-github-max-age", "0", "LIST.md")...)
		wantCode(t, r, 0)
		got := string(readFile(t, list))
		if n := strings.Count(got, " ★ "); n != 3 {
			t.Errorf("%d star markers written, want 3:\n%s", n, got)
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
			p.cmd = exec.Command(binary, args...)
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
			if n := strings.Count(r.stderr, "\n"); n > 8 {
				t.Errorf("%d lines on stderr, want at most 8:\n%s", n, r.stderr)
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
