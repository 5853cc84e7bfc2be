package main_test

import (
	"bytes"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/paperlist/paperlist/sources/markdown"
)

// gate is a proxy in front of a fake service that holds every request
// until released: a service as slow as the test wants, with no clock.
type gate struct {
	url     string
	arrived chan struct{} // closed at the first request
	release chan struct{} // closed by the test to let requests through
	once    sync.Once
}

func newGate(t *testing.T, target string) *gate {
	t.Helper()
	u, err := url.Parse(target)
	if err != nil {
		t.Fatal(err)
	}
	g := &gate{arrived: make(chan struct{}), release: make(chan struct{})}
	proxy := httputil.NewSingleHostReverseProxy(&url.URL{Scheme: u.Scheme, Host: u.Host})
	// A transport of its own: the shared default one has its connections
	// closed by every httptest.Server.Close in the parallel tests, which
	// cut an answer mid-body (a flaky "unexpected EOF" in CI).
	tr := &http.Transport{DisableKeepAlives: true}
	proxy.Transport = tr
	t.Cleanup(tr.CloseIdleConnections)
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		g.once.Do(func() { close(g.arrived) })
		select {
		case <-g.release:
			proxy.ServeHTTP(w, r)
		case <-r.Context().Done():
		}
	}))
	t.Cleanup(ts.Close)
	t.Cleanup(g.open)
	g.url = ts.URL + u.Path
	return g
}

func (g *gate) open() {
	select {
	case <-g.release:
	default:
		close(g.release)
	}
}

// waitArrived waits for the first request; a run that never sends one
// fails the test rather than hanging it.
func (g *gate) waitArrived(t *testing.T, p *proc) {
	t.Helper()
	select {
	case <-g.arrived:
	case <-time.After(runTimeout):
		t.Fatalf("no request reached the fake; stderr:\n%s", p.stderr.String())
	}
}

// TestFixLostEdit: a line saved into the list while fix -w crawls is kept,
// and fix writes nothing and says so with exit 1.
func TestFixLostEdit(t *testing.T) {
	t.Parallel()
	w := newFixWorld(t)
	g := newGate(t, w.gh.URL())
	list := writeList(t, t.TempDir(), markdown.Builtin, 0o644)

	p := startPaperlist(t, w.fixArgs("-github-url", g.url, "-w", "-stars", list)...)
	g.waitArrived(t, p)
	// fix has read the list and waits for GitHub: the maintainer saves.
	f, err := os.OpenFile(list, os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.WriteString("- EDIT\n"); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	g.open()
	r := p.wait(t)
	wantCode(t, r, 1)
	if want := "paperlist: " + list + " changed while fix ran; nothing written; run fix again\n"; !strings.Contains(r.stderr, want) {
		t.Errorf("stderr lacks %q:\n%s", want, r.stderr)
	}
	sameBytes(t, "the edited list", readFile(t, list), append(bytes.Clone(markdown.Builtin), "- EDIT\n"...))
	if names := fileNames(t, filepath.Dir(list)); len(names) != 1 {
		t.Errorf("files beside the list: %v", names)
	}
}

// TestFixConcurrentWrites: two fix -w on one list, one with -stars and one
// without, both crawling at once, leave the list as one of them fixed it,
// never a mix; the one that finds the list changed exits 1.
func TestFixConcurrentWrites(t *testing.T) {
	t.Parallel()
	w := newFixWorld(t)
	dir := t.TempDir()
	list := writeList(t, dir, markdown.Builtin, 0o644)
	withStars := []string{"-stars", "-github-max-age", "0"}

	// What each would write alone, on stdout.
	alone := map[string][]byte{}
	for name, extra := range map[string][]string{"stars": withStars, "plain": nil} {
		r := runPaperlist(t, w.fixArgs(append(extra, list)...)...)
		wantCode(t, r, 0)
		alone[name] = []byte(r.stdout)
	}
	if bytes.Equal(alone["stars"], alone["plain"]) {
		t.Fatal("the two runs would write the same list")
	}

	// Each run has its own cache, so that neither waits for the other's
	// lock, and its own gate: both have read the list before either gets
	// an answer.
	gStars, gPlain := newGate(t, w.gh.URL()), newGate(t, w.gh.URL())
	pStars := startPaperlist(t, w.fixArgs(append(withStars, "-db", filepath.Join(t.TempDir(), "a.db"), "-github-url", gStars.url, "-w", list)...)...)
	pPlain := startPaperlist(t, w.fixArgs("-db", filepath.Join(t.TempDir(), "b.db"), "-github-url", gPlain.url, "-w", list)...)
	gStars.waitArrived(t, pStars)
	gPlain.waitArrived(t, pPlain)
	gStars.open()
	gPlain.open()
	rStars, rPlain := pStars.wait(t), pPlain.wait(t)

	got := readFile(t, list)
	switch {
	case bytes.Equal(got, alone["stars"]), bytes.Equal(got, alone["plain"]):
	default:
		sameBytes(t, "the list after two fixes (neither's result)", got, alone["stars"])
	}
	for _, r := range []result{rStars, rPlain} {
		if r.code != 0 && r.code != 1 {
			t.Errorf("exit code %d, want 0 or 1\n%s", r.code, r.stderr)
		}
		if r.code == 1 && !strings.Contains(r.stderr, "changed while fix ran; nothing written; run fix again") {
			t.Errorf("exit 1 without the message:\n%s", r.stderr)
		}
	}
	if rStars.code == 0 && rPlain.code == 0 {
		t.Logf("both checked before either renamed: the last rename won")
	}
}

// TestFixWaitsThenRefuses is the trial's case: a second fix -w, without
// -stars, started while the first crawls, reads the list, waits for the
// cache's lock and then crawls in turn. It finds the list the first one
// wrote and writes nothing, keeping the first one's star markers.
func TestFixWaitsThenRefuses(t *testing.T) {
	t.Parallel()
	w := newFixWorld(t)
	list := writeList(t, t.TempDir(), markdown.Builtin, 0o644)
	withStars := w.fixArgs("-stars", "-github-max-age", "0", list)
	r := runPaperlist(t, withStars...)
	wantCode(t, r, 0)
	starred := []byte(r.stdout)

	g := newGate(t, w.gh.URL())
	first := startPaperlist(t, w.fixArgs("-stars", "-github-max-age", "0", "-github-url", g.url, "-w", list)...)
	g.waitArrived(t, first) // the first holds the cache's lock
	second := startPaperlist(t, w.fixArgs("-lock-timeout", "10m", "-w", list)...)
	waitOpens(t, second, w.db()) // the second has read the list and waits for the lock
	g.open()
	wantCode(t, first.wait(t), 0)
	r = second.wait(t)
	wantCode(t, r, 1)
	if !strings.Contains(r.stderr, list+" changed while fix ran; nothing written; run fix again") {
		t.Errorf("stderr lacks the message:\n%s", r.stderr)
	}
	sameBytes(t, "the list", readFile(t, list), starred)
}

// waitOpens waits until the process p has the file at path open: past what
// it does before, waiting for that file's lock.
func waitOpens(t *testing.T, p *proc, path string) {
	t.Helper()
	fds := filepath.Join("/proc", strconv.Itoa(p.cmd.Process.Pid), "fd")
	if _, err := os.Stat(fds); err != nil {
		t.Skip("no /proc to see a process's open files:", err)
	}
	want, err := filepath.EvalSymlinks(path)
	if err != nil {
		want = path
	}
	deadline := time.Now().Add(runTimeout)
	for time.Now().Before(deadline) {
		entries, _ := os.ReadDir(fds)
		for _, e := range entries {
			if target, err := os.Readlink(filepath.Join(fds, e.Name())); err == nil && (target == want || target == path) {
				return
			}
		}
		time.Sleep(5 * time.Millisecond)
	}
	t.Fatalf("the process never opened %s; stderr:\n%s", path, p.stderr.String())
}
