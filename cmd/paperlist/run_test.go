package main

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/paperlist/paperlist"
	"github.com/paperlist/paperlist/output"
	"github.com/paperlist/paperlist/store"
)

var update = flag.Bool("update", false, "rewrite golden files")

// result is what one in-process run of the command gave.
type result struct {
	code           int
	stdout, stderr string
}

func runMain(t *testing.T, env map[string]string, args ...string) result {
	t.Helper()
	var stdout, stderr bytes.Buffer
	code := Main(context.Background(), args, Env{
		Stdout: &stdout,
		Stderr: &stderr,
		Getenv: func(k string) string { return env[k] },
	})
	return result{code: code, stdout: stdout.String(), stderr: stderr.String()}
}

func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("read golden file (run with -update to create it): %v", err)
	}
	if diff := cmp.Diff(string(want), got); diff != "" {
		t.Errorf("%s differs (-want +got):\n%s", name, diff)
	}
}

func TestHelpGolden(t *testing.T) {
	for _, tc := range []struct {
		name string
		args []string
		file string
	}{
		{"top-level help", []string{"help"}, "help.golden"},
		{"crawl flags", []string{"crawl", "-h"}, "help-crawl.golden"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := runMain(t, nil, tc.args...)
			if r.code != exitOK {
				t.Fatalf("exit %d, stderr %q", r.code, r.stderr)
			}
			golden(t, tc.file, r.stdout+r.stderr)
		})
	}
}

func TestUsageErrors(t *testing.T) {
	out := t.TempDir()
	if err := os.WriteFile(filepath.Join(out, "file"), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		args []string
		want string
	}{
		{"no command", nil, "no command given"},
		{"unknown command", []string{"fetch"}, `unknown command "fetch"`},
		{"unknown flag", []string{"crawl", "-frobnicate"}, "flag provided but not defined: -frobnicate"},
		{"two lists", []string{"crawl", "-out", out, "a.md", "b.md"}, "crawl takes one list, got 2 arguments"},
		{"zero workers", []string{"crawl", "-out", out, "-workers", "0"}, "-workers must be at least 1"},
		{"bad sort", []string{"crawl", "-out", out, "-sort", "date"}, `invalid value "date" for flag -sort: want list, stars or citations`},
		{"bad log format", []string{"check", "-out", out, "-log-format", "xml"}, `invalid value "xml" for flag -log-format: want text, json or github`},
		{"negative age", []string{"crawl", "-out", out, "-github-max-age", "-1h"}, "durations must not be negative"},
		{"zero timeout", []string{"crawl", "-out", out, "-timeout", "0"}, "-timeout must be positive"},
		{"quiet and verbose", []string{"crawl", "-out", out, "-quiet", "-v"}, "-quiet and -v exclude each other"},
		{"arxiv url not http", []string{"crawl", "-out", out, "-arxiv-url", "ftp://x/"}, "-arxiv-url must be an http(s) URL"},
		{"out is a file", []string{"crawl", "-out", filepath.Join(out, "file")}, "output folder"},
		{"version with args", []string{"version", "x"}, "version takes no arguments"},
		{"unknown problem code", []string{"check", "-ignore", "repo_archived,nonsense"}, `unknown problem code "nonsense"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := runMain(t, nil, tc.args...)
			if r.code != exitFatal {
				t.Errorf("exit %d, want %d", r.code, exitFatal)
			}
			if !strings.Contains(r.stderr, tc.want) {
				t.Errorf("stderr %q does not say %q", r.stderr, tc.want)
			}
			if r.stdout != "" {
				t.Errorf("stdout %q, want nothing", r.stdout)
			}
		})
	}
}

func TestVersion(t *testing.T) {
	r := runMain(t, nil, "version")
	if r.code != exitOK || !strings.HasPrefix(r.stdout, "paperlist ") || strings.Count(r.stdout, "\n") != 1 {
		t.Errorf("version: exit %d, stdout %q", r.code, r.stdout)
	}
}

func TestSchemaCommand(t *testing.T) {
	r := runMain(t, nil, "schema")
	if r.code != exitOK {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	var doc map[string]any
	if err := json.Unmarshal([]byte(r.stdout), &doc); err != nil {
		t.Fatalf("schema is not JSON: %v", err)
	}
	if doc["$schema"] != "https://json-schema.org/draft/2020-12/schema" {
		t.Errorf("$schema = %v", doc["$schema"])
	}
	if r.stdout != string(output.JSONSchema) {
		t.Error("printed schema differs from the embedded one")
	}
}

// offlineDataset runs an offline crawl of the built-in list and reads the
// papers.json it wrote.
func offlineDataset(t *testing.T, cmd string, extra ...string) (result, *paperlist.Dataset) {
	t.Helper()
	dir := t.TempDir()
	args := append([]string{cmd, "-offline", "-db", filepath.Join(dir, "cache.db"), "-out", dir}, extra...)
	r := runMain(t, nil, args...)
	raw, err := os.ReadFile(filepath.Join(dir, "papers.json"))
	if err != nil {
		t.Fatalf("no papers.json (exit %d, stderr %q): %v", r.code, r.stderr, err)
	}
	var d paperlist.Dataset
	if err := json.Unmarshal(raw, &d); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dir, "papers.md")); err != nil {
		t.Errorf("no papers.md: %v", err)
	}
	return r, &d
}

func TestOfflineBuiltinFacts(t *testing.T) {
	r, d := offlineDataset(t, "crawl")
	if r.code != exitOK {
		t.Fatalf("exit %d, stderr %q", r.code, r.stderr)
	}
	ids, repos, sections := map[string]bool{}, map[string]bool{}, map[string]bool{}
	problems := map[string]int{}
	for _, p := range d.Papers {
		if p.ArxivID != "" {
			ids[p.ArxivID] = true
		}
		if p.Repo != "" {
			repos[paperlist.RepoKey(p.Repo)] = true
		}
		sections[p.Section] = true
		for _, pr := range p.Problems {
			problems[pr.Code]++
		}
		if p.Arxiv != nil || p.GitHub != nil {
			t.Errorf("%s: enriched offline with no cache", p.Key)
		}
	}
	want := map[string]int{"papers": 32, "sections": 6, "ids": 31, "repos": 22}
	got := map[string]int{"papers": len(d.Papers), "sections": len(sections), "ids": len(ids), "repos": len(repos)}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("facts (-want +got):\n%s", diff)
	}
	wantProblems := map[string]int{paperlist.ProblemEmptyCodeLink: 2, paperlist.ProblemDuplicatePaper: 1}
	if diff := cmp.Diff(wantProblems, problems); diff != "" {
		t.Errorf("problems (-want +got):\n%s", diff)
	}
	if !strings.Contains(r.stderr, "crawl finished") || !strings.Contains(r.stderr, "code=duplicate_paper") {
		t.Errorf("stderr lacks the summary or a problem line: %q", r.stderr)
	}
}

func TestCheckExitsThreeOnProblems(t *testing.T) {
	r, _ := offlineDataset(t, "check", "-quiet")
	if r.code != exitProblems {
		t.Errorf("exit %d, want %d", r.code, exitProblems)
	}
	if r.stderr != "" {
		t.Errorf("-quiet check printed %q; problems are in the outputs, nothing failed", r.stderr)
	}
}

func TestCheckGitHubAnnotations(t *testing.T) {
	r, _ := offlineDataset(t, "check", "-quiet", "-log-format", "github")
	if r.code != exitProblems {
		t.Fatalf("exit %d, want %d", r.code, exitProblems)
	}
	lines := strings.Split(strings.TrimSpace(r.stdout), "\n")
	want := []string{
		"::warning file=LLaMA-Paper-List.md,line=40,title=paperlist duplicate_paper::",
		"::warning file=LLaMA-Paper-List.md,line=77,title=paperlist empty_code_link::",
		"::warning file=LLaMA-Paper-List.md,line=79,title=paperlist empty_code_link::",
		"::notice file=LLaMA-Paper-List.md,title=paperlist summary::3 problems, 3 annotated",
	}
	if len(lines) != len(want) {
		t.Fatalf("got %d annotations, want %d:\n%s", len(lines), len(want), r.stdout)
	}
	for i, w := range want {
		if !strings.HasPrefix(lines[i], w) {
			t.Errorf("annotation %d = %q, want prefix %q", i, lines[i], w)
		}
	}
}

func TestAnnotationEscaping(t *testing.T) {
	d := &paperlist.Dataset{Papers: []*paperlist.Paper{{
		Line:     7,
		Problems: []paperlist.Problem{{Code: "title_mismatch", Message: "50% off\nnext line\r::error::x \x1b]0;pwned\x07\x1b[2Jend\u202e"}},
	}}}
	var b bytes.Buffer
	writeAnnotations(&b, "lists/a,b:c.md", listedProblems(d, nil))
	want := "::warning file=lists/a%2Cb%3Ac.md,line=7,title=paperlist title_mismatch::50%25 off%0Anext line ::error::x end\n" +
		"::notice file=lists/a%2Cb%3Ac.md,title=paperlist summary::1 problems, 1 annotated; every one is in the step summary and papers.json\n"
	if b.String() != want {
		t.Errorf("got  %q\nwant %q", b.String(), want)
	}
}

// An annotation points at the list as given: a URL stays whole whatever
// the case of its scheme, a file is cleaned.
func TestAnnotationFile(t *testing.T) {
	tests := []struct{ list, want string }{
		{"", "LLaMA-Paper-List.md"},
		{"https://example.com/a//README.md", "https://example.com/a//README.md"},
		{"HTTPS://example.com/a//README.md", "https://example.com/a//README.md"},
		{"https://me:s3cret@example.com/README.md?token=s3cret&ref=main", "https://me:xxxxx@example.com/README.md?ref=main&token=xxxxx"},
		{"lists//./README.md", "lists/README.md"},
	}
	for _, tt := range tests {
		if got := annotationFile(tt.list); got != tt.want {
			t.Errorf("annotationFile(%q) = %q, want %q", tt.list, got, tt.want)
		}
	}
}

// GitHub shows about ten annotations a step: the most severe ten are
// annotated, then one line gives the total; ignored codes are left out.
func TestAnnotationLimit(t *testing.T) {
	tests := []struct {
		name      string
		fetch     int // fetch_failed problems, listed first
		warnings  int // empty_code_link problems, listed after
		ignore    map[string]bool
		wantLines int
		wantTotal string
	}{
		{"none", 0, 0, nil, 0, ""},
		{"few", 1, 2, nil, 4, "3 problems, 3 annotated"},
		{"many, warnings first", 8, 12, nil, 11, "20 problems, 10 annotated"},
		{"ignored", 8, 12, map[string]bool{"empty_code_link": true}, 9, "8 problems, 8 annotated"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := &paperlist.Dataset{}
			for i := range tt.fetch + tt.warnings {
				code := paperlist.ProblemFetchFailed
				if i >= tt.fetch {
					code = paperlist.ProblemEmptyCodeLink
				}
				d.Papers = append(d.Papers, &paperlist.Paper{Line: 10 + i, Problems: []paperlist.Problem{{Code: code, Message: "m"}}})
			}
			var b bytes.Buffer
			writeAnnotations(&b, "L.md", listedProblems(d, tt.ignore))
			lines := strings.Split(strings.TrimSuffix(b.String(), "\n"), "\n")
			if b.Len() == 0 {
				lines = nil
			}
			if len(lines) != tt.wantLines {
				t.Fatalf("%d lines, want %d:\n%s", len(lines), tt.wantLines, b.String())
			}
			if tt.wantLines == 0 {
				return
			}
			if !strings.HasSuffix(lines[len(lines)-1], tt.wantTotal+"; every one is in the step summary and papers.json") {
				t.Errorf("last line %q, want the total %q", lines[len(lines)-1], tt.wantTotal)
			}
			if tt.warnings > 0 && tt.ignore == nil && !strings.HasPrefix(lines[0], "::warning ") {
				t.Errorf("first annotation %q, want a warning before the notices", lines[0])
			}
		})
	}
}

func TestListErrors(t *testing.T) {
	dir := t.TempDir()
	for _, tc := range []struct {
		name string
		list string
		want string
	}{
		{"missing file", filepath.Join(dir, "nope.md"), "nope.md"},
		{"a folder", dir, dir},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := runMain(t, nil, "crawl", "-offline", "-db", filepath.Join(dir, "c.db"), "-out", dir, tc.list)
			if r.code != exitFatal {
				t.Errorf("exit %d, want %d", r.code, exitFatal)
			}
			if !strings.Contains(r.stderr, tc.want) || strings.Count(r.stderr, "\n") != 1 {
				t.Errorf("stderr %q: want one line naming %q", r.stderr, tc.want)
			}
		})
	}
}

func TestCacheRefusals(t *testing.T) {
	t.Run("in use by another run", func(t *testing.T) {
		dir := t.TempDir()
		db := filepath.Join(dir, "cache.db")
		held, err := store.Open(db, store.Options{})
		if err != nil {
			t.Fatal(err)
		}
		defer held.Close()
		// Offline, so that nothing is fetched even if the lock were
		// wrongly granted; a writable open is what must fail.
		r := runMain(t, nil, "crawl", "-db", db, "-out", dir, "-arxiv-url", "http://127.0.0.1:1/", "-github-url", "http://127.0.0.1:1/", "-citations-url", "http://127.0.0.1:1/")
		if r.code != exitFatal || !strings.Contains(r.stderr, "in use by another run") {
			t.Errorf("exit %d, stderr %q", r.code, r.stderr)
		}
		if _, err := os.Stat(filepath.Join(dir, "papers.json")); err == nil {
			t.Error("outputs written by a run that could not open its cache")
		}
		if err := held.Save(&paperlist.CacheBatch{Stars: []paperlist.StarCount{{Repo: "a/b", At: paperlistNow(), Stars: 1}}}); err != nil {
			t.Errorf("the first holder was disturbed: %v", err)
		}
	})
	t.Run("not a database", func(t *testing.T) {
		dir := t.TempDir()
		db := filepath.Join(dir, "notes.txt")
		content := bytes.Repeat([]byte("my precious notes\n"), 500)
		if err := os.WriteFile(db, content, 0o600); err != nil {
			t.Fatal(err)
		}
		r := runMain(t, nil, "crawl", "-db", db, "-out", dir, "-arxiv-url", "http://127.0.0.1:1/", "-github-url", "http://127.0.0.1:1/", "-citations-url", "http://127.0.0.1:1/")
		if r.code != exitFatal || !strings.Contains(r.stderr, "not a bbolt database") {
			t.Errorf("exit %d, stderr %q", r.code, r.stderr)
		}
		after, err := os.ReadFile(db)
		if err != nil || !bytes.Equal(after, content) {
			t.Error("the file that is not a cache was changed")
		}
	})
}

func paperlistNow() time.Time { return time.Now() }

// On a terminal the maintainer reads the problems one per line, as
// file:line: code: message, and no more than maxListed of them.
func TestPrintProblems(t *testing.T) {
	d := &paperlist.Dataset{}
	for i := range maxListed + 3 {
		d.Papers = append(d.Papers, &paperlist.Paper{
			Line:     10 + i,
			Problems: []paperlist.Problem{{Code: "empty_code_link", Message: "the code link\nis empty"}},
		})
	}
	var b bytes.Buffer
	printProblems(&b, "README.md", d, nil)
	lines := strings.Split(strings.TrimSuffix(b.String(), "\n"), "\n")
	if len(lines) != maxListed+1 {
		t.Fatalf("%d lines, want %d", len(lines), maxListed+1)
	}
	if lines[0] != "README.md:10: empty_code_link: the code link is empty" {
		t.Errorf("first line %q", lines[0])
	}
	if want := "… and 3 more problems: see papers.json or papers.md"; lines[maxListed] != want {
		t.Errorf("last line %q, want %q", lines[maxListed], want)
	}
}

// -out names a folder that is created when missing; check writes nothing
// without it.
func TestOutFolder(t *testing.T) {
	tests := []struct {
		name      string
		cmd       string
		out       string // under the test's folder; "" gives no -out
		wantFiles []string
	}{
		{"crawl creates -out", "crawl", "site/new", []string{"site/new/papers.json", "site/new/papers.md"}},
		{"check with -out writes", "check", "ci", []string{"ci/papers.json", "ci/papers.md"}},
		{"check without -out writes nothing", "check", "", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			args := []string{tt.cmd, "-offline", "-quiet", "-db", filepath.Join(t.TempDir(), "cache.db")}
			if tt.out != "" {
				args = append(args, "-out", filepath.Join(dir, tt.out))
			}
			t.Chdir(dir)
			r := runMain(t, nil, args...)
			if r.code != exitOK && r.code != exitProblems {
				t.Fatalf("exit %d: %s", r.code, r.stderr)
			}
			var got []string
			err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
				if err == nil && !d.IsDir() {
					rel, _ := filepath.Rel(dir, path)
					got = append(got, filepath.ToSlash(rel))
				}
				return err
			})
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(got, tt.wantFiles) {
				t.Errorf("files %v, want %v", got, tt.wantFiles)
			}
		})
	}
}
