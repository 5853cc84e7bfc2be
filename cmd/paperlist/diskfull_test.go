package main_test

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/paperlist/paperlist/store"
)

// A cache on a full disk: every write past the first pages of the file
// fails (prlimit's file-size limit stands in for the disk). The run says
// so once, on one line, writes its outputs and exits 2.
func TestCacheWritesFail(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the paperlist binary as a subprocess: not under -short")
	}
	t.Parallel()
	prlimit, err := exec.LookPath("prlimit")
	if err != nil {
		t.Skip("no prlimit to limit the file size")
	}
	w := newWorld(t, worldOptions{})
	s, err := store.Open(w.db(), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	// The cache names the world's servers before the disk fills: the run
	// fails at saving its results, not at recording its endpoints.
	endpoint := func(u string) string { return strings.TrimSuffix(strings.TrimPrefix(u, "http://"), "/") }
	if _, err := s.UseEndpoints(store.Endpoints{Arxiv: endpoint(w.arxiv.URL()), GitHub: endpoint(w.gh.URL()), SemanticScholar: endpoint(w.s2.URL())}); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	list := filepath.Join(t.TempDir(), "list.md")
	var md strings.Builder
	md.WriteString("# Papers\n\n## Models\n\n")
	for i, p := range w.list.Papers[:3] {
		md.WriteString("- " + p.Title + " [[paper](https://arxiv.org/abs/" + w.ids[i] + ")] [[code](https://github.com/" + w.repos[i] + ")]\n")
	}
	if err := os.WriteFile(list, []byte(md.String()), 0o600); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(prlimit, append([]string{"--fsize=8192", binary}, w.args("crawl", "-quiet", "-pages=false", "-citations=false", list)...)...)
	cmd.Env = []string{"PATH=" + os.Getenv("PATH"), "HOME=" + t.TempDir(), "GITHUB_TOKEN=" + testToken}
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	_ = cmd.Run()
	r := result{code: cmd.ProcessState.ExitCode(), stdout: stdout.String(), stderr: stderr.String()}
	checkStderr(t, r.stderr)
	wantCode(t, r, 2)
	if n := strings.Count(r.stderr, "\n"); n != 2 || strings.Count(r.stderr, "cache write failed") != 1 || !strings.Contains(r.stderr, "paperlist: results not saved: ") {
		t.Errorf("stderr has %d lines, want the warning and the error once each:\n%s", n, r.stderr)
	}
	if _, _, d := w.outputs(t); len(d.Papers) != 3 {
		t.Errorf("papers.json has %d papers, want 3", len(d.Papers))
	}
}
