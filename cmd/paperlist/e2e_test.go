package main_test

// The end-to-end tests build the paperlist binary once and run it as a
// process, the way a cron job or a maintainer does, against arxivtest and
// githubtest on loopback. They check the outputs (against golden files in
// testdata/e2e, refreshed with -update) and what the servers were sent.

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/paperlist/paperlist"
	"github.com/paperlist/paperlist/output"
	"github.com/paperlist/paperlist/sources/arxiv/arxivtest"
	"github.com/paperlist/paperlist/sources/github/githubtest"
	"github.com/paperlist/paperlist/sources/markdown"
	"github.com/paperlist/paperlist/sources/semanticscholar/s2test"
	"github.com/paperlist/paperlist/store"
)

// binary is the paperlist binary that TestMain builds.
var binary string

// testToken is the GitHub token the binary is given; githubtest accepts
// only it.
const testToken = "ghp_e2eTestTokenNotARealOne0000000000"

func TestMain(m *testing.M) {
	// The lead's in-process tests may define -update too: one flag serves
	// both.
	if flag.Lookup("update") == nil {
		flag.Bool("update", false, "rewrite the golden files")
	}
	flag.Parse()
	dir, err := os.MkdirTemp("", "paperlist-e2e-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	binary = filepath.Join(dir, "paperlist")
	args := []string{"build", "-o", binary}
	if raceEnabled {
		args = append(args, "-race")
	}
	// -short runs no subprocess test: the binary is not built.
	if !testing.Short() {
		if out, err := exec.Command("go", append(args, ".")...).CombinedOutput(); err != nil {
			fmt.Fprintf(os.Stderr, "build paperlist: %v\n%s", err, out)
			_ = os.RemoveAll(dir)
			os.Exit(1)
		}
	}
	code := m.Run()
	_ = os.RemoveAll(dir)
	os.Exit(code)
}

func updateGolden() bool {
	f := flag.Lookup("update")
	return f != nil && f.Value.String() == "true"
}

// Names of the built-in list that the world treats specially.
const (
	flashAttention = "HazyResearch/flash-attention" // renamed to Dao-AILab/flash-attention (301)
	flashNewName   = "Dao-AILab/flash-attention"
	llmPruner      = "horseee/llm-pruner" // canonical horseee/LLM-Pruner: case only, no rename
	llmPrunerName  = "horseee/LLM-Pruner"
	archivedRepo   = "bzhangGo/rmsnorm"
	llama          = "facebookresearch/llama"
	spqr           = "vahe1994/spqr"
)

// world is a pair of local servers that know every paper and repository
// of the built-in list.
type world struct {
	arxiv *arxivtest.Server
	gh    *githubtest.Server
	s2    *s2test.Server
	list  *paperlist.List
	ids   []string                   // distinct arXiv ids, in list order
	repos []string                   // distinct repositories as first listed
	byKey map[string]githubtest.Repo // RepoKey of the listed name → repository as added
	dir   string                     // the run's folder: cache.db and outputs
}

type worldOptions struct {
	arxiv arxivtest.Options
	gh    githubtest.Options
	s2    s2test.Options
}

func newWorld(t *testing.T, opts worldOptions) *world {
	t.Helper()
	list, err := markdown.Parse(markdown.Builtin, markdown.BuiltinSource)
	if err != nil {
		t.Fatal(err)
	}
	opts.gh.Token = testToken
	// Semantic Scholar knows every arXiv paper of the list.
	opts.s2.Generate = true
	w := &world{
		arxiv: arxivtest.NewServer(opts.arxiv),
		gh:    githubtest.NewServer(opts.gh),
		s2:    s2test.NewServer(opts.s2),
		list:  list,
		byKey: map[string]githubtest.Repo{},
		dir:   t.TempDir(),
	}
	t.Cleanup(w.arxiv.Close)
	t.Cleanup(w.gh.Close)
	t.Cleanup(w.s2.Close)

	seen := map[string]bool{}
	for _, p := range list.Papers {
		if p.ArxivID == "" || seen[p.ArxivID] {
			continue
		}
		seen[p.ArxivID] = true
		w.ids = append(w.ids, p.ArxivID)
		// The first entry of 2205.14135 is FlashAttention: its title is the
		// one arXiv has, so the second entry is a title_mismatch.
		w.arxiv.Add(paperFor(len(w.ids), p))
	}
	for _, p := range list.Papers {
		key := paperlist.RepoKey(p.Repo)
		if p.Repo == "" || seen[key] {
			continue
		}
		seen[key] = true
		w.repos = append(w.repos, p.Repo)
		r := repoFor(len(w.repos), p.Repo)
		w.gh.Add(r)
		w.byKey[key] = r
	}
	if err := w.gh.Rename(flashAttention, flashNewName); err != nil {
		t.Fatal(err)
	}
	return w
}

func paperFor(i int, p *paperlist.Paper) arxivtest.Paper {
	published := time.Date(2023, time.Month(1+i%12), 1+i%27, 17, 0, 0, 0, time.UTC)
	var authors []paperlist.Author
	for _, a := range p.Authors {
		authors = append(authors, paperlist.Author{Name: a})
	}
	if len(authors) == 0 {
		authors = []paperlist.Author{{Name: "A. Author", Affiliations: []string{"Some University"}}}
	}
	return arxivtest.Paper{
		ID:              p.ArxivID,
		Version:         1 + i%3,
		Title:           p.Title,
		Abstract:        "We study " + p.Title + ". Our results show that $O(n)$ memory is enough.",
		Authors:         authors,
		Published:       published,
		Updated:         published.AddDate(0, 1, 0),
		PrimaryCategory: "cs.CL",
		Categories:      []string{"cs.CL", "cs.LG"},
	}
}

func repoFor(i int, listed string) githubtest.Repo {
	name := listed
	if name == llmPruner {
		name = llmPrunerName
	}
	return githubtest.Repo{
		FullName:      name,
		ID:            int64(600000 + i),
		Description:   "Code of " + name,
		Stars:         1000 + 37*i,
		Forks:         100 + i,
		OpenIssues:    i,
		Watchers:      10 + i,
		Language:      "Python",
		License:       "MIT",
		Topics:        []string{"llm"},
		Archived:      listed == archivedRepo,
		PushedAt:      time.Date(2024, 5, i, 12, 0, 0, 0, time.UTC),
		CreatedAt:     time.Date(2023, 2, i, 12, 0, 0, 0, time.UTC),
		DefaultBranch: "main",
	}
}

func (w *world) db() string  { return filepath.Join(w.dir, "cache.db") }
func (w *world) out() string { return w.dir }

// args are the flags that point a run at the world, then extra. The runs
// have a token and test the REST path: -github-api rest (the GraphQL
// path has its tests in graphql_e2e_test.go).
func (w *world) args(cmd string, extra ...string) []string {
	return append([]string{cmd,
		"-db", w.db(), "-out", w.out(),
		"-arxiv-url", w.arxiv.URL(), "-arxiv-interval", "50ms",
		"-github-url", w.gh.URL(), "-github-api", "rest",
		"-citations-url", w.s2.URL(),
	}, extra...)
}

func (w *world) reset() {
	w.arxiv.Reset()
	w.gh.Reset()
	w.s2.Reset()
}

// runTimeout is how long one run of the binary may take.
const runTimeout = 45 * time.Second

// result is how a run of the binary ended.
type result struct {
	code           int
	stdout, stderr string
	elapsed        time.Duration
}

// binaryCommand is the command that runs the binary with args; under
// -short, where TestMain builds no binary, it skips the test instead.
func binaryCommand(t *testing.T, args ...string) *exec.Cmd {
	t.Helper()
	if testing.Short() {
		t.Skip("runs the paperlist binary as a subprocess: not under -short")
	}
	return exec.Command(binary, args...)
}

// proc is a running paperlist process.
type proc struct {
	cmd            *exec.Cmd
	stdout, stderr bytes.Buffer
	start          time.Time
}

func startPaperlist(t *testing.T, args ...string) *proc {
	t.Helper()
	if testing.Short() {
		t.Skip("runs the paperlist binary as a subprocess: not under -short")
	}
	p := &proc{}
	p.cmd = binaryCommand(t, args...)
	home := t.TempDir()
	p.cmd.Env = []string{
		"PATH=" + os.Getenv("PATH"),
		"HOME=" + home,
		"XDG_CACHE_HOME=" + filepath.Join(home, ".cache"),
		"GITHUB_TOKEN=" + testToken,
	}
	p.cmd.Stdout, p.cmd.Stderr = &p.stdout, &p.stderr
	p.start = time.Now()
	if err := p.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if p.cmd.ProcessState == nil {
			_ = p.cmd.Process.Kill()
			_ = p.cmd.Wait()
		}
	})
	return p
}

func (p *proc) wait(t *testing.T) result {
	t.Helper()
	// A hung binary is made to dump its goroutines (SIGQUIT) rather than
	// hang the test.
	watchdog := time.AfterFunc(runTimeout, func() { _ = p.cmd.Process.Signal(syscall.SIGQUIT) })
	err := p.cmd.Wait()
	if !watchdog.Stop() {
		t.Fatalf("paperlist %s hung for %s; its stderr:\n%s", strings.Join(p.cmd.Args[1:], " "), runTimeout, p.stderr.String())
	}
	r := result{stdout: p.stdout.String(), stderr: p.stderr.String(), elapsed: time.Since(p.start)}
	if err != nil {
		if _, ok := err.(*exec.ExitError); !ok {
			t.Fatal(err)
		}
	}
	r.code = p.cmd.ProcessState.ExitCode()
	if ws, ok := p.cmd.ProcessState.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
		r.code = -int(ws.Signal())
	}
	checkStderr(t, r.stderr)
	return r
}

func runPaperlist(t *testing.T, args ...string) result {
	t.Helper()
	return startPaperlist(t, args...).wait(t)
}

// checkStderr asserts what every run's stderr must be: log lines, no
// panic, no token.
func checkStderr(t *testing.T, stderr string) {
	t.Helper()
	if strings.Contains(stderr, "panic") || strings.Contains(stderr, "goroutine ") {
		t.Errorf("stderr shows a panic:\n%s", stderr)
	}
	if strings.Contains(stderr, testToken) {
		t.Errorf("stderr shows the token")
	}
	if strings.Contains(stderr, "WARNING: DATA RACE") {
		t.Errorf("the binary has a data race:\n%s", stderr)
	}
}

func wantCode(t *testing.T, r result, want int) {
	t.Helper()
	if r.code != want {
		t.Fatalf("exit code %d, want %d\nstdout:\n%s\nstderr:\n%s", r.code, want, r.stdout, r.stderr)
	}
}

// outputs reads papers.json and papers.md of a run, checks papers.json
// against the schema and returns both with the run-dependent parts
// (times, server ports) replaced by placeholders.
func (w *world) outputs(t *testing.T) (jsonOut, mdOut string, d *paperlist.Dataset) {
	t.Helper()
	j, err := os.ReadFile(filepath.Join(w.out(), "papers.json"))
	if err != nil {
		t.Fatal(err)
	}
	validate(t, j)
	d = &paperlist.Dataset{}
	if err := json.Unmarshal(j, d); err != nil {
		t.Fatalf("papers.json: %v", err)
	}
	m, err := os.ReadFile(filepath.Join(w.out(), "papers.md"))
	if err != nil {
		t.Fatal(err)
	}
	return w.normalise(string(j)), w.normalise(string(m)), d
}

var (
	jsonTimes = regexp.MustCompile(`"(generated_at|fetched_at)": "[^"]*"`)
	mdTimes   = regexp.MustCompile(`Generated \d{4}-\d\d-\d\d \d\d:\d\d UTC`)
)

func (w *world) normalise(s string) string {
	s = jsonTimes.ReplaceAllString(s, `"$1": "TIME"`)
	s = mdTimes.ReplaceAllString(s, "Generated TIME")
	s = strings.ReplaceAll(s, strings.TrimSuffix(w.gh.URL(), "/"), "GITHUB")
	return strings.ReplaceAll(s, strings.TrimSuffix(w.arxiv.AbsURL(), "/abs/"), "ARXIV")
}

// schema is compiled once for every parallel test.
var schema = sync.OnceValues(func() (*jsonschema.Schema, error) {
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(output.JSONSchema))
	if err != nil {
		return nil, err
	}
	c := jsonschema.NewCompiler()
	c.AssertFormat()
	if err := c.AddResource("papers.schema.json", doc); err != nil {
		return nil, err
	}
	return c.Compile("papers.schema.json")
})

func validate(t *testing.T, data []byte) {
	t.Helper()
	sch, err := schema()
	if err != nil {
		t.Fatal(err)
	}
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(data))
	if err != nil {
		t.Fatalf("papers.json is not JSON: %v", err)
	}
	if err := sch.Validate(inst); err != nil {
		t.Errorf("papers.json does not match the schema: %v", err)
	}
}

// golden compares got with testdata/e2e/name, or rewrites it with -update.
func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", "e2e", name)
	if updateGolden() {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run with -update to create it)", err)
	}
	if diff := cmp.Diff(string(want), got); diff != "" {
		t.Errorf("%s differs from the golden file (-want +got):\n%s", name, diff)
	}
}

// loadArxiv, loadRepo and saveStars read and write one record of a cache
// through the API a run uses.

func loadArxiv(s *store.Store, id string) (*paperlist.Entry[paperlist.ArxivRecord], error) {
	m, err := s.ArxivEntries([]string{id})
	return m[id], err
}

func loadRepo(s *store.Store, name string) (*paperlist.Entry[paperlist.RepoStats], error) {
	m, err := s.RepoEntries([]string{name})
	return m[name], err
}

func saveStars(s *store.Store, repo string, at time.Time, stars int) error {
	return s.Save(&paperlist.CacheBatch{Stars: []paperlist.StarCount{{Repo: repo, At: at, Stars: stars}}})
}

// problemCounts counts the problems of a dataset by code.
func problemCounts(d *paperlist.Dataset) map[string]int {
	out := map[string]int{}
	for _, p := range d.Papers {
		for _, pr := range p.Problems {
			out[pr.Code]++
		}
	}
	return out
}

func paperAt(t *testing.T, d *paperlist.Dataset, line int) *paperlist.Paper {
	t.Helper()
	for _, p := range d.Papers {
		if p.Line == line {
			return p
		}
	}
	t.Fatalf("no paper on line %d", line)
	return nil
}

// wantProblems are the problems of the built-in list against the world.
var wantProblems = map[string]int{
	paperlist.ProblemDuplicatePaper: 1,
	paperlist.ProblemEmptyCodeLink:  2,
	paperlist.ProblemTitleMismatch:  1,
	paperlist.ProblemRepoRenamed:    1,
	paperlist.ProblemRepoArchived:   1,
}

func hostOf(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		panic(err)
	}
	return u.Host
}

// TestCrawlAndRerun is the life of a cache: a cold crawl of the built-in
// list, an immediate rerun, a stale rerun, a rerun after stars changed,
// and a check for GitHub Actions.
func TestCrawlAndRerun(t *testing.T) {
	t.Parallel()
	w := newWorld(t, worldOptions{})
	flashID := w.byKey[paperlist.RepoKey(flashAttention)].ID
	var goldenJSON, goldenMD string

	t.Run("cold", func(t *testing.T) {
		r := runPaperlist(t, w.args("crawl")...)
		wantCode(t, r, 0)
		j, m, d := w.outputs(t)
		golden(t, "papers.json", j)
		golden(t, "papers.md", m)
		goldenJSON, goldenMD = j, m

		if diff := cmp.Diff(wantProblems, problemCounts(d)); diff != "" {
			t.Errorf("problems (-want +got):\n%s", diff)
		}
		if !paperAt(t, d, 40).HasProblem(paperlist.ProblemTitleMismatch) {
			t.Errorf("the Reducing Activation Recomputation entry is no title_mismatch")
		}
		if !paperAt(t, d, 38).HasProblem(paperlist.ProblemRepoRenamed) {
			t.Errorf("the flash-attention entry is no repo_renamed")
		}
		if p := paperAt(t, d, 53); p.HasProblem(paperlist.ProblemRepoRenamed) || p.GitHub == nil || p.GitHub.FullName != llmPrunerName {
			t.Errorf("llm-pruner: a difference of case must be no rename: %+v %v", p.GitHub, p.Problems)
		}
		for _, p := range d.Papers {
			if p.ArxivID != "" && (p.Arxiv == nil || p.Arxiv.Title == "") {
				t.Errorf("line %d: arxiv %s not filled", p.Line, p.ArxivID)
			}
			if p.Repo != "" && (p.GitHub == nil || p.GitHub.Stars != w.byKey[paperlist.RepoKey(p.Repo)].Stars) {
				t.Errorf("line %d: github %s not filled with its stars: %+v", p.Line, p.Repo, p.GitHub)
			}
		}

		// arXiv: all 31 ids in one request with max_results=31, no token.
		ar := w.arxiv.Requests()
		if len(ar) != 1 {
			t.Fatalf("%d arXiv requests, want 1", len(ar))
		}
		q, _ := url.ParseQuery(ar[0].RawQuery)
		if q.Get("max_results") != "31" || len(ar[0].IDs) != 31 || len(w.ids) != 31 {
			t.Errorf("arXiv request %q asks for %d ids with max_results=%s; want the 31 ids with max_results=31",
				ar[0].RawQuery, len(ar[0].IDs), q.Get("max_results"))
		}
		if got, want := slices.Sorted(slices.Values(ar[0].IDs)), slices.Sorted(slices.Values(w.ids)); !slices.Equal(got, want) {
			t.Errorf("arXiv ids %v, want %v", got, want)
		}
		checkHeaders(t, ar[0].Header, false)

		// GitHub: one request per repository, one more for the redirect.
		gr := w.gh.Requests()
		var want []string
		for _, name := range w.repos {
			want = append(want, "/repos/"+name)
		}
		want = append(want, fmt.Sprintf("/repositories/%d", flashID))
		var got []string
		for _, req := range gr {
			got = append(got, req.Path)
			checkHeaders(t, req.Header, true)
			if req.Header.Get("If-None-Match") != "" {
				t.Errorf("cold request %s is conditional", req.Path)
			}
		}
		if !slices.Equal(slices.Sorted(slices.Values(got)), slices.Sorted(slices.Values(want))) {
			t.Errorf("GitHub requests %v, want %v", got, want)
		}
		if len(w.repos) != 22 {
			t.Errorf("%d distinct repositories in the built-in list, want 22", len(w.repos))
		}
		if n := w.gh.QuotaUsed(); n != 23 {
			t.Errorf("quota used %d, want 23", n)
		}
		// The summary counts requests per host.
		for host, n := range map[string]int{hostOf(w.arxiv.URL()): 1, hostOf(w.gh.URL()): 23} {
			if !strings.Contains(r.stderr, fmt.Sprintf("%s %d", host, n)) {
				t.Errorf("summary does not say %d requests to %s:\n%s", n, host, r.stderr)
			}
		}
	})
	if t.Failed() {
		return
	}

	t.Run("rerun sends nothing", func(t *testing.T) {
		w.reset()
		r := runPaperlist(t, w.args("crawl")...)
		wantCode(t, r, 0)
		if n, m := len(w.arxiv.Requests()), len(w.gh.Requests()); n+m != 0 {
			t.Errorf("rerun sent %d arXiv and %d GitHub requests, want none", n, m)
		}
		j, m, _ := w.outputs(t)
		if diff := cmp.Diff(goldenJSON, j); diff != "" {
			t.Errorf("papers.json changed (-cold +rerun):\n%s", diff)
		}
		if diff := cmp.Diff(goldenMD, m); diff != "" {
			t.Errorf("papers.md changed (-cold +rerun):\n%s", diff)
		}
	})

	t.Run("stale rerun is conditional", func(t *testing.T) {
		w.reset()
		r := runPaperlist(t, w.args("crawl", "-arxiv-max-age", "0", "-github-max-age", "0")...)
		wantCode(t, r, 0)
		if ar := w.arxiv.Requests(); len(ar) != 1 || len(ar[0].IDs) != 31 {
			t.Errorf("arXiv requests %+v, want one of 31 ids", ar)
		}
		gr := w.gh.Requests()
		if len(gr) != 22 {
			t.Errorf("%d GitHub requests, want 22", len(gr))
		}
		for _, req := range gr {
			if req.Header.Get("If-None-Match") == "" || req.Status != 304 {
				t.Errorf("%s: If-None-Match %q, status %d; want conditional, 304", req.Path, req.Header.Get("If-None-Match"), req.Status)
			}
			if !strings.HasPrefix(req.Path, "/repositories/") {
				t.Errorf("stale refresh of %s is not by id", req.Path)
			}
			checkHeaders(t, req.Header, true)
		}
		if !slices.ContainsFunc(gr, func(r githubtest.Request) bool { return r.Path == fmt.Sprintf("/repositories/%d", flashID) }) {
			t.Errorf("the renamed repository was not asked by id")
		}
		if n := w.gh.QuotaUsed(); n != 0 {
			t.Errorf("stale rerun used %d of the GitHub quota, want 0", n)
		}
		j, m, _ := w.outputs(t)
		if diff := cmp.Diff(goldenJSON, j); diff != "" {
			t.Errorf("papers.json changed (-cold +stale):\n%s", diff)
		}
		if diff := cmp.Diff(goldenMD, m); diff != "" {
			t.Errorf("papers.md changed (-cold +stale):\n%s", diff)
		}
	})

	t.Run("stars changed", func(t *testing.T) {
		w.reset()
		changed := map[string]int{llama: 5000, llmPrunerName: 777, flashNewName: 4321}
		for name, stars := range changed {
			if err := w.gh.SetStars(name, stars); err != nil {
				t.Fatal(err)
			}
		}
		// A star history the binary's clock cannot make: llama had 4850
		// stars eight days ago and 4000 forty days ago.
		s, err := store.Open(w.db(), store.Options{})
		if err != nil {
			t.Fatal(err)
		}
		now := time.Now()
		for _, h := range []struct {
			days, stars int
		}{{8, 4850}, {40, 4000}} {
			if err := saveStars(s, paperlist.RepoKey(llama), now.AddDate(0, 0, -h.days), h.stars); err != nil {
				t.Fatal(err)
			}
		}
		if err := s.Close(); err != nil {
			t.Fatal(err)
		}

		r := runPaperlist(t, w.args("crawl", "-github-max-age", "0")...)
		wantCode(t, r, 0)
		if n := len(w.arxiv.Requests()); n != 0 {
			t.Errorf("%d arXiv requests, want none", n)
		}
		ok, notModified := 0, 0
		for _, req := range w.gh.Requests() {
			switch req.Status {
			case 200:
				ok++
			case 304:
				notModified++
			default:
				t.Errorf("%s answered %d", req.Path, req.Status)
			}
		}
		if ok != len(changed) || notModified != 22-len(changed) {
			t.Errorf("%d answers 200 and %d 304, want %d and %d", ok, notModified, len(changed), 22-len(changed))
		}
		if n := w.gh.QuotaUsed(); n != len(changed) {
			t.Errorf("quota used %d, want %d", n, len(changed))
		}
		_, m, d := w.outputs(t)
		for _, p := range d.Papers {
			if p.GitHub == nil {
				continue
			}
			if want, ok := changed[p.GitHub.FullName]; ok && p.GitHub.Stars != want {
				t.Errorf("%s: %d stars, want %d", p.GitHub.FullName, p.GitHub.Stars, want)
			}
		}
		gh := paperAt(t, d, 24).GitHub
		if gh.Stars7d == nil || *gh.Stars7d != 150 || gh.Stars30d == nil || *gh.Stars30d != 1000 {
			t.Errorf("llama stars_7d %v, stars_30d %v; want 150 and 1000", deref(gh.Stars7d), deref(gh.Stars30d))
		}
		if other := paperAt(t, d, 28).GitHub; other.Stars7d != nil {
			t.Errorf("rmsnorm has stars_7d %d without a week of history", *other.Stars7d)
		}
		if !strings.Contains(m, "+150 this week") {
			t.Errorf("papers.md does not show llama's +150 this week")
		}
	})

	t.Run("check for GitHub Actions", func(t *testing.T) {
		w.reset()
		r := runPaperlist(t, w.args("check", "-log-format", "github")...)
		wantCode(t, r, 3)
		if n, m := len(w.arxiv.Requests()), len(w.gh.Requests()); n+m != 0 {
			t.Errorf("check sent %d arXiv and %d GitHub requests, want none", n, m)
		}
		lines := strings.Split(strings.TrimSpace(r.stdout), "\n")
		want := []string{
			"::warning file=LLaMA-Paper-List.md,line=28,title=paperlist repo_archived::",
			"::warning file=LLaMA-Paper-List.md,line=38,title=paperlist repo_renamed::",
			"::warning file=LLaMA-Paper-List.md,line=40,title=paperlist duplicate_paper::",
			"::warning file=LLaMA-Paper-List.md,line=40,title=paperlist title_mismatch::",
			"::warning file=LLaMA-Paper-List.md,line=77,title=paperlist empty_code_link::",
			"::warning file=LLaMA-Paper-List.md,line=79,title=paperlist empty_code_link::",
			"::notice file=LLaMA-Paper-List.md,title=paperlist summary::",
		}
		if len(lines) != len(want) {
			t.Fatalf("%d annotations, want %d:\n%s", len(lines), len(want), r.stdout)
		}
		for _, prefix := range want {
			if !slices.ContainsFunc(lines, func(l string) bool { return strings.HasPrefix(l, prefix) && len(l) > len(prefix) }) {
				t.Errorf("no annotation %q… in:\n%s", prefix, r.stdout)
			}
		}
	})
}

func deref(p *int) any {
	if p == nil {
		return nil
	}
	return *p
}

// checkHeaders asserts the User-Agent of every request and that the token
// goes to GitHub only.
func checkHeaders(t *testing.T, h http.Header, github bool) {
	t.Helper()
	if ua := h.Get("User-Agent"); !strings.Contains(ua, "paperlist") {
		t.Errorf("User-Agent %q does not name paperlist", ua)
	}
	switch auth := h.Get("Authorization"); {
	case github && auth != "Bearer "+testToken:
		t.Errorf("GitHub request without the token (Authorization set: %t)", auth != "")
	case !github && auth != "":
		t.Errorf("arXiv request with an Authorization header")
	}
}

// TestFailures runs against servers that fail in every way the sources
// handle, then with GitHub's quota gone for the hour.
func TestFailures(t *testing.T) {
	t.Parallel()
	// 12 requests an hour: GitHub runs out in the middle of the cold crawl.
	w := newWorld(t, worldOptions{gh: githubtest.Options{Quota: 12}})
	// A short interval: the run's pace is checked, not each gap (see
	// checkSpacing), and 32 requests at arXiv's real 3 s would take minutes.
	const interval = 30 * time.Millisecond
	args := func(extra ...string) []string {
		return append(w.args("crawl", "-arxiv-interval", interval.String(), "-workers", "2", "-max-wait", "2s"), extra...)
	}
	withGitHub := map[int]bool{}

	t.Run("cold", func(t *testing.T) {
		w.arxiv.FailNext(1, 503, "1")
		w.arxiv.FailNext(1, 429, "")
		w.arxiv.EmptyNext(1)
		w.gh.FailNext(1, 502)
		w.gh.SecondaryNext(1, "1")
		r := runPaperlist(t, args()...)
		wantCode(t, r, 2)

		ar := w.arxiv.Requests()
		var statuses []int
		for _, req := range ar {
			statuses = append(statuses, req.Status)
		}
		// 503 (Retry-After: 1), 429, an empty feed, the confirming request.
		if !slices.Equal(statuses, []int{503, 429, 200, 200}) || len(ar[2].IDs) != 31 || len(ar[3].IDs) != 31 {
			t.Errorf("arXiv answered %v to %d requests; want 503, 429, empty, confirmation of all 31", statuses, len(ar))
		}
		checkSpacing(t, ar, interval)
		if len(ar) > 1 && ar[1].Time.Sub(ar[0].Time) < 900*time.Millisecond {
			t.Errorf("retry %s after a 503 with Retry-After: 1", ar[1].Time.Sub(ar[0].Time))
		}

		_, _, d := w.outputs(t)
		gr := w.gh.Requests()
		if len(gr) == 0 || gr[0].Status != 502 || !slices.ContainsFunc(gr, func(r githubtest.Request) bool { return r.Status == 403 && r.QuotaCost == 0 }) {
			t.Errorf("GitHub did not see the 502 and the limits: %v", ghStatuses(gr))
		}
		if n := w.gh.QuotaUsed(); n > 12 {
			t.Errorf("used %d of a quota of 12", n)
		}
		fetched, failed := 0, 0
		for _, p := range d.Papers {
			if p.ArxivID != "" && p.Arxiv == nil {
				t.Errorf("line %d: no arXiv data after the retries", p.Line)
			}
			if p.Repo == "" {
				continue
			}
			switch {
			case p.GitHub != nil && !p.HasProblem(paperlist.ProblemFetchFailed):
				fetched++
				withGitHub[p.Line] = true
			case p.GitHub == nil && hasFetchFailed(p, "github"):
				failed++
			default:
				t.Errorf("line %d: github %+v, problems %v; want data or fetch_failed", p.Line, p.GitHub, p.Problems)
			}
		}
		if fetched == 0 || failed == 0 {
			t.Errorf("%d entries with GitHub data and %d failed; want some of each", fetched, failed)
		}
		if !strings.Contains(r.stderr, "stop") {
			t.Errorf("stderr does not say GitHub stopped:\n%s", r.stderr)
		}
	})
	if t.Failed() {
		return
	}

	t.Run("garbage and no quota", func(t *testing.T) {
		// The GitHub server keeps its hour: its quota is still gone.
		w.arxiv.Reset()
		ghBefore := len(w.gh.Requests())
		w.arxiv.GarbageNext(1)
		r := runPaperlist(t, args("-arxiv-max-age", "0", "-github-max-age", "0")...)
		wantCode(t, r, 2)
		ar := w.arxiv.Requests()
		abs := 0
		for _, req := range ar {
			if strings.HasPrefix(req.Path, "/abs/") {
				abs++
			}
		}
		if len(ar) != 32 || abs != 31 {
			t.Errorf("%d arXiv requests, %d of them abstract pages; want the feed and 31 pages", len(ar), abs)
		}
		checkSpacing(t, ar, interval)
		if n := len(w.gh.Requests()) - ghBefore; n > 2 {
			t.Errorf("%d GitHub requests with the quota gone, want at most one per worker", n)
		}
		_, _, d := w.outputs(t)
		for _, p := range d.Papers {
			if p.ArxivID != "" && (p.Arxiv == nil || p.Arxiv.Title == "") {
				t.Errorf("line %d: no arXiv data from the abstract page", p.Line)
			}
			if p.Repo == "" {
				continue
			}
			if withGitHub[p.Line] {
				if p.GitHub == nil || hasFetchFailed(p, "github") {
					t.Errorf("line %d lost its cached GitHub data: %+v %v", p.Line, p.GitHub, p.Problems)
				}
			} else if p.GitHub != nil || !hasFetchFailed(p, "github") {
				t.Errorf("line %d: nothing cached, want fetch_failed: %+v %v", p.Line, p.GitHub, p.Problems)
			}
		}
	})
}

func hasFetchFailed(p *paperlist.Paper, source string) bool {
	for _, pr := range p.Problems {
		if pr.Code == paperlist.ProblemFetchFailed && strings.Contains(pr.Message, source) {
			return true
		}
	}
	return false
}

func ghStatuses(reqs []githubtest.Request) []int {
	var out []int
	for _, r := range reqs {
		out = append(out, r.Status)
	}
	return out
}

// checkSpacing asserts arXiv's rule from the server's log, which has the
// time each request arrived, not the time it was sent. On a busy machine
// one arrival can be delayed by most of an interval and the next one not
// (gaps of 25 ms at an interval of 100 ms were seen, though the sends were
// 100 ms apart), so a gap between two arrivals proves nothing. What the log
// does prove is the pace of the whole run: n requests span at least n-1
// intervals, less what a late first arrival takes off. The exact spacing
// between sends, retries included, is asserted by hostpool's tests on a
// synthetic clock.
func checkSpacing(t *testing.T, reqs []arxivtest.Request, interval time.Duration) {
	t.Helper()
	if n := len(reqs); n > 1 {
		if span, want := reqs[n-1].Time.Sub(reqs[0].Time), time.Duration(n-1)*interval; span < want-interval {
			t.Errorf("%d arXiv requests in %s, want at least %s", n, span, want)
		}
	}
}

// TestKilledAndResumed kills a crawl with SIGKILL once some repositories
// are saved; the rerun fetches only what is missing.
func TestKilledAndResumed(t *testing.T) {
	t.Parallel()
	w := newWorld(t, worldOptions{gh: githubtest.Options{Latency: 100 * time.Millisecond}})
	p := startPaperlist(t, w.args("crawl", "-workers", "1")...)
	waitRequests(t, w.gh, 6)
	if err := p.cmd.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	if r := p.wait(t); r.code != -int(syscall.SIGKILL) {
		t.Fatalf("exit %d, want killed", r.code)
	}

	// What the killed run saved, read from the cache it left.
	s, err := store.Open(w.db(), store.Options{})
	if err != nil {
		t.Fatalf("the cache is not valid after a kill: %v", err)
	}
	saved := map[string]bool{}
	for _, name := range w.repos {
		e, err := loadRepo(s, name)
		if err != nil {
			t.Fatal(err)
		}
		saved[name] = e != nil && e.Data != nil
	}
	arxivSaved := 0
	for _, id := range w.ids {
		if e, err := loadArxiv(s, id); err == nil && e != nil && e.Data != nil {
			arxivSaved++
		}
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, ok := range saved {
		if ok {
			n++
		}
	}
	// Six answers were logged; at most the last one was still on its way.
	if n < 5 || n == len(w.repos) {
		t.Fatalf("%d repositories saved before the kill, want 5 to 21", n)
	}

	w.reset()
	r := runPaperlist(t, w.args("crawl", "-workers", "4")...)
	wantCode(t, r, 0)
	for _, req := range w.gh.Requests() {
		name, ok := strings.CutPrefix(req.Path, "/repos/")
		if !ok {
			continue // the redirect of a renamed repository that was missing
		}
		if saved[name] {
			t.Errorf("%s was saved before the kill but asked again", name)
		}
		delete(saved, name)
	}
	for name, ok := range saved {
		if !ok {
			t.Errorf("%s was missing but not asked for", name)
		}
	}
	wantArxiv := 1
	if arxivSaved == len(w.ids) {
		wantArxiv = 0
	}
	if n := len(w.arxiv.Requests()); n != wantArxiv {
		t.Errorf("%d arXiv requests after %d of %d ids were saved, want %d", n, arxivSaved, len(w.ids), wantArxiv)
	}
	// The resumed crawl ends where an uninterrupted one does.
	j, m, _ := w.outputs(t)
	golden(t, "papers.json", j)
	golden(t, "papers.md", m)
	s, err = store.Open(w.db(), store.Options{})
	if err != nil {
		t.Fatalf("the cache is not valid after the rerun: %v", err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
}

// waitRequests waits until the GitHub server has answered n requests.
func waitRequests(t *testing.T, gh *githubtest.Server, n int) []githubtest.Request {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	for {
		if reqs := gh.Requests(); len(reqs) >= n {
			return reqs
		}
		select {
		case <-ctx.Done():
			t.Fatalf("the server did not get %d requests in time", n)
		case <-time.After(5 * time.Millisecond):
		}
	}
}

// TestOverlap runs a second crawl on a cache that a slow crawl holds.
func TestOverlap(t *testing.T) {
	t.Parallel()
	w := newWorld(t, worldOptions{gh: githubtest.Options{Latency: 50 * time.Millisecond}})
	first := startPaperlist(t, w.args("crawl", "-workers", "1")...)
	waitRequests(t, w.gh, 1)

	const lockTimeout = 300 * time.Millisecond
	second := runPaperlist(t, w.args("crawl", "-lock-timeout", lockTimeout.String())...)
	wantCode(t, second, 1)
	if !strings.Contains(second.stderr, "in use by another run") {
		t.Errorf("the second run does not say the cache is in use:\n%s", second.stderr)
	}
	if strings.Count(strings.TrimSpace(second.stderr), "\n") != 0 {
		t.Errorf("the second run's message is not one line:\n%s", second.stderr)
	}
	// bbolt polls the lock every 50ms and gives up when less than that is
	// left of the timeout.
	if second.elapsed < lockTimeout-50*time.Millisecond {
		t.Errorf("the second run gave up after %s, before the lock timeout of %s", second.elapsed, lockTimeout)
	}
	r := first.wait(t)
	wantCode(t, r, 0)
	_, _, d := w.outputs(t)
	if diff := cmp.Diff(wantProblems, problemCounts(d)); diff != "" {
		t.Errorf("the first run's problems (-want +got):\n%s", diff)
	}
}

// TestInterrupted sends SIGINT in the middle of a crawl.
func TestInterrupted(t *testing.T) {
	t.Parallel()
	w := newWorld(t, worldOptions{gh: githubtest.Options{Latency: 100 * time.Millisecond}})
	p := startPaperlist(t, w.args("crawl", "-workers", "1")...)
	before := waitRequests(t, w.gh, 4)
	// Let the last answer be saved before the signal.
	time.Sleep(50 * time.Millisecond)
	if err := p.cmd.Process.Signal(os.Interrupt); err != nil {
		t.Fatal(err)
	}
	r := p.wait(t)
	wantCode(t, r, 130)
	_, _, d := w.outputs(t)
	if len(d.Papers) != len(w.list.Papers) {
		t.Errorf("papers.json has %d papers, want %d", len(d.Papers), len(w.list.Papers))
	}

	s, err := store.Open(w.db(), store.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	answered := map[string]bool{}
	for _, req := range w.gh.Requests() {
		if req.Status == 200 {
			answered[req.Path] = true
		}
	}
	idPath := map[string]string{}
	for key, repo := range w.byKey {
		idPath["/repositories/"+strconv.FormatInt(repo.ID, 10)] = key
	}
	for _, req := range before {
		if req.Status != 200 {
			continue
		}
		name, ok := strings.CutPrefix(req.Path, "/repos/")
		if !ok {
			name = idPath[req.Path]
		}
		if e, err := loadRepo(s, name); err != nil || e == nil || e.Data == nil {
			t.Errorf("%s was answered before the signal but is not in the cache", name)
		}
	}
	for _, name := range w.repos {
		e, err := loadRepo(s, name)
		if err != nil {
			t.Fatal(err)
		}
		if e != nil && e.Data != nil && !answered["/repos/"+name] && !answered[fmt.Sprintf("/repositories/%d", e.Data.ID)] {
			t.Errorf("%s is in the cache but was never answered", name)
		}
	}
	for _, id := range w.ids {
		if e, err := loadArxiv(s, id); err != nil || e == nil || e.Data == nil {
			t.Errorf("arXiv %s was fetched before the signal but is not in the cache", id)
		}
	}
}
