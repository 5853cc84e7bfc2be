package main_test

import (
	"bytes"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/paperlist/paperlist"
	"github.com/paperlist/paperlist/sources/arxiv/arxivtest"
	"github.com/paperlist/paperlist/sources/markdown"
)

// The world of fix: the built-in list's world, where two more repositories
// of the list moved (as they did on GitHub) and arXiv has the paper that
// line 40 means.
const (
	recomputationID    = "2205.05198"
	recomputationTitle = "Reducing Activation Recomputation in Large Transformer Models"
)

var fixRenames = [][2]string{
	{llama, "meta-llama/llama"},
	{"ZrrSkywalker/LLaMA-Adapter", "OpenGVLab/LLaMA-Adapter"},
}

func newFixWorld(t *testing.T) *world {
	t.Helper()
	w := newWorld(t, worldOptions{})
	for _, r := range fixRenames {
		if err := w.gh.Rename(r[0], r[1]); err != nil {
			t.Fatal(err)
		}
	}
	published := time.Date(2022, 5, 10, 17, 0, 0, 0, time.UTC)
	w.arxiv.Add(arxivtest.Paper{
		ID: recomputationID, Version: 1, Title: recomputationTitle,
		Abstract:  "Training large transformer models is one of the most important computational challenges.",
		Authors:   []paperlist.Author{{Name: "Vijay Korthikanti"}},
		Published: published, Updated: published, PrimaryCategory: "cs.LG", Categories: []string{"cs.LG"},
	})
	return w
}

// fixArgs are the flags that point fix at the world, then extra.
func (w *world) fixArgs(extra ...string) []string {
	return append([]string{"fix",
		"-db", w.db(),
		"-arxiv-url", w.arxiv.URL(), "-arxiv-interval", "50ms",
		"-github-url", w.gh.URL(), "-citations-url", w.s2.URL(),
	}, extra...)
}

// wantFixed is the seed list with exactly the five fixes the world calls
// for: four canonical repository URLs and line 40's arXiv paper.
func wantFixed(t *testing.T) []byte {
	t.Helper()
	lines := strings.SplitAfter(string(markdown.Builtin), "\n")
	replace := func(line int, old, new string) {
		t.Helper()
		if strings.Count(lines[line-1], old) != 1 {
			t.Fatalf("line %d does not hold %q once", line, old)
		}
		lines[line-1] = strings.Replace(lines[line-1], old, new, 1)
	}
	replace(24, "https://github.com/facebookresearch/llama/tree/main", "https://github.com/meta-llama/llama/tree/main")
	replace(38, "https://github.com/HazyResearch/flash-attention", "https://github.com/Dao-AILab/flash-attention")
	replace(40, "https://arxiv.org/abs/2205.14135", "https://arxiv.org/abs/2205.05198")
	replace(45, "https://github.com/ZrrSkywalker/LLaMA-Adapter", "https://github.com/OpenGVLab/LLaMA-Adapter")
	replace(47, "https://github.com/ZrrSkywalker/LLaMA-Adapter", "https://github.com/OpenGVLab/LLaMA-Adapter")
	return []byte(strings.Join(lines, ""))
}

// runIn runs the binary in dir, as a maintainer in their list's folder.
func runIn(t *testing.T, dir string, args ...string) result {
	t.Helper()
	if testing.Short() {
		t.Skip("runs the paperlist binary as a subprocess: not under -short")
	}
	p := &proc{}
	p.cmd = binaryCommand(t, args...)
	p.cmd.Dir = dir
	home := t.TempDir()
	p.cmd.Env = []string{"PATH=" + os.Getenv("PATH"), "HOME=" + home, "GITHUB_TOKEN=" + testToken}
	p.cmd.Stdout, p.cmd.Stderr = &p.stdout, &p.stderr
	p.start = time.Now()
	if err := p.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	return p.wait(t)
}

func writeList(t *testing.T, dir string, data []byte, mode os.FileMode) string {
	t.Helper()
	path := filepath.Join(dir, "LIST.md")
	if err := os.WriteFile(path, data, mode); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(path, mode); err != nil {
		t.Fatal(err)
	}
	return path
}

func readFile(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func sameBytes(t *testing.T, what string, got, want []byte) {
	t.Helper()
	if bytes.Equal(got, want) {
		return
	}
	gl, wl := strings.SplitAfter(string(got), "\n"), strings.SplitAfter(string(want), "\n")
	for i := range max(len(gl), len(wl)) {
		var g, w string
		if i < len(gl) {
			g = gl[i]
		}
		if i < len(wl) {
			w = wl[i]
		}
		if g != w {
			t.Fatalf("%s: line %d is\n%q\nwant\n%q", what, i+1, g, w)
		}
	}
	t.Fatalf("%s differs", what)
}

func fileNames(t *testing.T, dir string) []string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	return names
}

// TestFix runs fix on a copy of the seed list: stdout, -d applied with
// patch, and -w give the same text with the five fixes; a second -w
// changes nothing; -offline on the warm cache does the same with no
// request; a CRLF file with a BOM keeps both.
func TestFix(t *testing.T) {
	t.Parallel()
	w := newFixWorld(t)
	want := wantFixed(t)
	listDir := t.TempDir()
	list := writeList(t, listDir, markdown.Builtin, 0o640)

	t.Run("stdout", func(t *testing.T) {
		r := runIn(t, listDir, w.fixArgs("LIST.md")...)
		wantCode(t, r, 0)
		sameBytes(t, "stdout", []byte(r.stdout), want)
		sameBytes(t, "the list", readFile(t, list), markdown.Builtin)
		for _, line := range []string{
			`LIST.md:40: fixed: https://arxiv.org/abs/2205.14135 → https://arxiv.org/abs/2205.05198 (title search: "Reducing Activation Recomputation in Large Transformer Models")`,
			"LIST.md:24: fixed: https://github.com/facebookresearch/llama/tree/main → https://github.com/meta-llama/llama/tree/main (repository renamed to meta-llama/llama)",
			"LIST.md:38: fixed: https://github.com/HazyResearch/flash-attention → https://github.com/Dao-AILab/flash-attention (repository renamed to Dao-AILab/flash-attention)",
		} {
			if !strings.Contains(r.stderr, line+"\n") {
				t.Errorf("stderr lacks %q:\n%s", line, r.stderr)
			}
		}
		if n := strings.Count(r.stderr, ": fixed: "); n != 5 {
			t.Errorf("stderr tells %d fixes, want 5:\n%s", n, r.stderr)
		}
		// Left for a person: the empty code links and the archived
		// repository; the duplicate went with line 40's fix.
		for _, code := range []string{paperlist.ProblemEmptyCodeLink, paperlist.ProblemRepoArchived} {
			if !strings.Contains(r.stderr, ": "+code+": ") {
				t.Errorf("stderr lacks the problem %s:\n%s", code, r.stderr)
			}
		}
		for _, code := range []string{paperlist.ProblemDuplicatePaper, paperlist.ProblemTitleMismatch, paperlist.ProblemRepoRenamed} {
			if strings.Contains(r.stderr, ": "+code+": ") {
				t.Errorf("stderr still lists %s, which fix fixed:\n%s", code, r.stderr)
			}
		}
		searches := 0
		for _, req := range w.arxiv.Requests() {
			if strings.Contains(req.RawQuery, "search_query") {
				searches++
			}
		}
		if searches != 1 {
			t.Errorf("%d title searches, want 1", searches)
		}
	})

	t.Run("diff", func(t *testing.T) {
		patch, err := exec.LookPath("patch")
		if err != nil {
			t.Skip("no patch program:", err)
		}
		r := runIn(t, listDir, w.fixArgs("-d", "LIST.md")...)
		wantCode(t, r, 0)
		if !strings.HasPrefix(r.stdout, "--- a/LIST.md\n+++ b/LIST.md\n") {
			t.Fatalf("diff starts %q", r.stdout[:min(len(r.stdout), 80)])
		}
		dir := t.TempDir()
		path := writeList(t, dir, markdown.Builtin, 0o644)
		cmd := exec.Command(patch, "-p1", "--batch", "--silent", "--no-backup-if-mismatch")
		cmd.Dir, cmd.Stdin = dir, strings.NewReader(r.stdout)
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("patch: %v\n%s", err, out)
		}
		sameBytes(t, "patched list", readFile(t, path), want)
	})

	t.Run("write", func(t *testing.T) {
		r := runIn(t, listDir, w.fixArgs("-w", "LIST.md")...)
		wantCode(t, r, 0)
		if r.stdout != "" {
			t.Errorf("-w printed %q", r.stdout)
		}
		sameBytes(t, "written list", readFile(t, list), want)
		if st, err := os.Stat(list); err != nil || st.Mode().Perm() != 0o640 {
			t.Errorf("mode after -w: %v, %v; want 0640", st.Mode(), err)
		}
		if names := fileNames(t, listDir); !slices.Equal(names, []string{"LIST.md"}) {
			t.Errorf("files beside the list: %v", names)
		}
	})

	t.Run("again", func(t *testing.T) {
		before, _ := os.Stat(list)
		r := runIn(t, listDir, w.fixArgs("-w", "LIST.md")...)
		wantCode(t, r, 0)
		sameBytes(t, "list after a second -w", readFile(t, list), want)
		if after, _ := os.Stat(list); !os.SameFile(before, after) {
			t.Errorf("a second -w with nothing to fix rewrote the file")
		}
		if strings.Contains(r.stderr, "fixed:") {
			t.Errorf("a second run fixed something:\n%s", r.stderr)
		}
		d := runIn(t, listDir, w.fixArgs("-d", "LIST.md")...)
		wantCode(t, d, 0)
		if d.stdout != "" {
			t.Errorf("diff with nothing to fix: %q", d.stdout)
		}
	})

	t.Run("offline", func(t *testing.T) {
		w.reset()
		dir := t.TempDir()
		writeList(t, dir, markdown.Builtin, 0o644)
		r := runIn(t, dir, w.fixArgs("-offline", "LIST.md")...)
		wantCode(t, r, 0)
		sameBytes(t, "offline stdout", []byte(r.stdout), want)
		if n := len(w.arxiv.Requests()) + len(w.gh.Requests()); n != 0 {
			t.Errorf("-offline sent %d requests", n)
		}
	})

	t.Run("CRLF and BOM", func(t *testing.T) {
		crlf := func(b []byte) []byte {
			return append([]byte("\ufeff"), bytes.ReplaceAll(b, []byte("\n"), []byte("\r\n"))...)
		}
		dir := t.TempDir()
		path := writeList(t, dir, crlf(markdown.Builtin), 0o644)
		r := runIn(t, dir, w.fixArgs("-offline", "-w", "LIST.md")...)
		wantCode(t, r, 0)
		sameBytes(t, "CRLF list", readFile(t, path), crlf(want))
	})
}

// starMarker is a stars marker as fix -stars writes it.
var starMarker = regexp.MustCompile(` ★ [0-9]+(\.[0-9])?[kM]?`)

// TestFixStars runs fix -w -stars: each live repository's code link gets
// its count, and nothing else changes but the five fixes; a rerun with the
// same data changes nothing; when one repository's stars move, only its
// line changes.
func TestFixStars(t *testing.T) {
	t.Parallel()
	w := newFixWorld(t)
	dir := t.TempDir()
	list := writeList(t, dir, markdown.Builtin, 0o644)
	args := w.fixArgs("-w", "-stars", "-github-max-age", "0", "LIST.md")

	r := runIn(t, dir, args...)
	wantCode(t, r, 0)
	first := readFile(t, list)
	sameBytes(t, "the list without its markers", starMarker.ReplaceAll(first, nil), wantFixed(t))
	markers := len(starMarker.FindAll(first, -1))
	if n := strings.Count(r.stderr, ": stars: ★ "); markers == 0 || n != markers {
		t.Errorf("%d markers written, %d told on stderr", markers, n)
	}
	if !strings.Contains(string(first), "(https://github.com/vahe1994/spqr) ★ ") {
		t.Errorf("the SpQR code link has no marker")
	}

	r = runIn(t, dir, args...)
	wantCode(t, r, 0)
	sameBytes(t, "the list after a rerun", readFile(t, list), first)
	if strings.Contains(r.stderr, "stars:") || strings.Contains(r.stderr, "fixed:") {
		t.Errorf("a rerun with the same data fixed something:\n%s", r.stderr)
	}

	if err := w.gh.SetStars(spqr, 56_100); err != nil {
		t.Fatal(err)
	}
	r = runIn(t, dir, args...)
	wantCode(t, r, 0)
	second := readFile(t, list)
	before, after := strings.SplitAfter(string(first), "\n"), strings.SplitAfter(string(second), "\n")
	if len(before) != len(after) {
		t.Fatalf("the star change changed the number of lines")
	}
	var changed []int
	for i := range before {
		if before[i] != after[i] {
			changed = append(changed, i+1)
			if !strings.Contains(after[i], "(https://github.com/vahe1994/spqr) ★ 56.1k") {
				t.Errorf("line %d now reads %q", i+1, after[i])
			}
		}
	}
	if len(changed) != 1 {
		t.Errorf("lines changed by one repository's stars: %v, want one", changed)
	}

	// A repository that became unavailable loses its marker, on its line
	// alone.
	if err := w.gh.Block(spqr, "dmca"); err != nil {
		t.Fatal(err)
	}
	r = runIn(t, dir, args...)
	wantCode(t, r, 0)
	third := strings.SplitAfter(string(readFile(t, list)), "\n")
	for i := range after {
		if after[i] != third[i] && i+1 != changed[0] {
			t.Errorf("line %d changed when SpQR was blocked", i+1)
		}
	}
	if got := third[changed[0]-1]; strings.Contains(got, "★") || !strings.Contains(got, "(https://github.com/vahe1994/spqr) <br />") {
		t.Errorf("the blocked repository's line reads %q", got)
	}
}

// TestFixPartial: when the title search fails, fix exits 0 and still
// writes the fixes it could make.
func TestFixPartial(t *testing.T) {
	t.Parallel()
	w := newWorld(t, worldOptions{})
	dir := t.TempDir()
	list := writeList(t, dir, markdown.Builtin, 0o644)
	wantCode(t, runIn(t, dir, w.fixArgs("LIST.md")...), 0) // warms the cache: no arXiv request next
	w.arxiv.FailNext(1, http.StatusBadRequest, "")
	r := runIn(t, dir, w.fixArgs("-w", "LIST.md")...)
	// One failed title search is a problem left on its entry, not a failed
	// run: the weekly job still opens its pull request.
	wantCode(t, r, 0)
	got := string(readFile(t, list))
	if !strings.Contains(got, "https://github.com/Dao-AILab/flash-attention") || !strings.Contains(got, recomputationTitle+".** arxiv 2022. [paper](https://arxiv.org/abs/2205.14135)") {
		t.Errorf("the rename was not written, or line 40 changed")
	}
	if !strings.Contains(r.stderr, "LIST.md:40: title_mismatch: ") {
		t.Errorf("the title_mismatch left is not on stderr:\n%s", r.stderr)
	}
}
