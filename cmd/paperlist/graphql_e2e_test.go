package main

// End-to-end tests of the GraphQL path: Main in-process, with a token,
// against arxivtest and githubtest.

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/paperlist/paperlist/sources/arxiv/arxivtest"
	"github.com/paperlist/paperlist/sources/github/githubtest"
)

const gqlToken = "ghp_graphqlE2ETokenNotARealOne00000000"

// gqlWorld is a list of n repositories (owner{i}/repo{i}) and the servers
// that know them, plus the special cases: a renamed repository, one that
// was deleted, one blocked by DMCA and a disabled one.
type gqlWorld struct {
	t    *testing.T
	arx  *arxivtest.Server
	gh   *githubtest.Server
	dir  string
	list string
}

const (
	gqlRenamedOld = "old-owner/moved"
	gqlRenamedNew = "new-owner/moved"
	gqlGone       = "ghost/deleted"
	gqlBlocked    = "dmca/blocked"
	gqlDisabled   = "off/disabled"
)

func newGQLWorld(t *testing.T, n int, opts githubtest.Options) *gqlWorld {
	t.Helper()
	w := &gqlWorld{t: t, dir: t.TempDir()}
	w.arx = arxivtest.NewServer(arxivtest.Options{Generate: true})
	t.Cleanup(w.arx.Close)
	opts.Token = gqlToken
	w.gh = githubtest.NewServer(opts)
	t.Cleanup(w.gh.Close)
	var list strings.Builder
	list.WriteString("# Papers\n\n## Models\n\n")
	line := func(i int, repo string) {
		fmt.Fprintf(&list, "- **Paper %d.** arxiv 2023. [paper](https://arxiv.org/abs/2301.%05d). [code](https://github.com/%s)\n", i, i+1, repo)
	}
	for i := range n {
		name := fmt.Sprintf("owner%d/repo%d", i, i)
		w.gh.Add(githubtest.Repo{
			FullName: name, Description: "Code of " + name, Stars: 100 + i, Forks: i,
			OpenIssues: 2 * i, OpenPullRequests: i, Watchers: 3 + i, Language: "Go", License: "MIT",
			Topics: []string{"llm", "go"}, Archived: i%5 == 4, Fork: i%7 == 6, Homepage: "https://example.org/" + name,
			PushedAt: time.Date(2024, 5, 1+i%28, 12, 0, 0, 0, time.UTC), CreatedAt: time.Date(2023, 2, 1+i%28, 12, 0, 0, 0, time.UTC),
			DefaultBranch: "main",
		})
		line(i, name)
	}
	w.gh.Add(githubtest.Repo{FullName: gqlRenamedOld, Stars: 7}, githubtest.Repo{FullName: gqlBlocked, Stars: 8},
		githubtest.Repo{FullName: gqlDisabled, Stars: 9, Disabled: true})
	for k, name := range []string{gqlRenamedOld, gqlGone, gqlBlocked, gqlDisabled} {
		line(n+k, name)
	}
	if err := w.gh.Rename(gqlRenamedOld, gqlRenamedNew); err != nil {
		t.Fatal(err)
	}
	if err := w.gh.Block(gqlBlocked, "dmca"); err != nil {
		t.Fatal(err)
	}
	w.list = filepath.Join(w.dir, "README.md")
	if err := os.WriteFile(w.list, []byte(list.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	return w
}

// out is the output folder (and cache) of a named series of runs.
func (w *gqlWorld) out(name string) string {
	dir := filepath.Join(w.dir, name)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		w.t.Fatal(err)
	}
	return dir
}

// run runs crawl into the folder of name with the token (when token) and
// the given -github-api.
func (w *gqlWorld) run(name, api string, token bool, extra ...string) result {
	w.t.Helper()
	dir := w.out(name)
	args := append([]string{"crawl", "-db", filepath.Join(dir, "cache.db"), "-out", dir,
		"-arxiv-url", w.arx.URL(), "-arxiv-interval", "1ms", "-github-url", w.gh.URL(),
		"-github-api", api, "-pages=false", "-citations=false", "-max-wait", "5s"}, extra...)
	env := map[string]string{}
	if token {
		env["GITHUB_TOKEN"] = gqlToken
	}
	var stdout, stderr bytes.Buffer
	code := Main(context.Background(), append(args, w.list), Env{Stdout: &stdout, Stderr: &stderr, Getenv: func(k string) string { return env[k] }})
	r := result{code: code, stdout: stdout.String(), stderr: stderr.String()}
	if strings.Contains(r.stderr, gqlToken) || strings.Contains(r.stdout, gqlToken) {
		w.t.Errorf("the token is in the output")
	}
	return r
}

var gqlTimes = regexp.MustCompile(`"(generated_at|fetched_at)": "[^"]*"`)

// papersJSON is the papers.json of name's runs without its times.
func (w *gqlWorld) papersJSON(name string) string {
	w.t.Helper()
	b, err := os.ReadFile(filepath.Join(w.out(name), "papers.json"))
	if err != nil {
		w.t.Fatal(err)
	}
	return gqlTimes.ReplaceAllString(string(b), `"$1": "TIME"`)
}

// split counts the GitHub requests since the last Reset: GraphQL queries
// (with the repositories each asked for) and REST paths.
func (w *gqlWorld) split() (queries []githubtest.Request, rest []string) {
	for _, r := range w.gh.Requests() {
		if r.Query != "" {
			queries = append(queries, r)
		} else {
			rest = append(rest, r.Path)
		}
	}
	return queries, rest
}

func wantExit(t *testing.T, r result, code int) {
	t.Helper()
	if r.code != code {
		t.Fatalf("exit %d, want %d\nstderr:\n%s", r.code, code, r.stderr)
	}
}

// TestGraphQLColdAndRerun: with a token, auto fetches every repository in
// one query, with stats equal to REST's for the same data; the one
// repository GraphQL cannot resolve is asked through REST, and so is the
// blocked one; a rerun sends nothing; a stale rerun one query again.
func TestGraphQLColdAndRerun(t *testing.T) {
	t.Parallel()
	w := newGQLWorld(t, 40, githubtest.Options{})

	r := w.run("rest", "rest", true)
	wantExit(t, r, exitOK)
	w.gh.Reset()

	r = w.run("graphql", "auto", true)
	wantExit(t, r, exitOK)
	queries, rest := w.split()
	if len(queries) != 1 {
		t.Errorf("%d GraphQL queries, want 1 for 44 repositories", len(queries))
	}
	if want := []string{"/repos/" + gqlGone, "/repos/" + gqlBlocked}; !cmp.Equal(rest, want) {
		t.Errorf("REST requests %v, want %v: one per name GraphQL cannot resolve", rest, want)
	}
	// 44 repositories, four connections each: 176 requests, 2 points.
	if got := w.gh.GraphQLPointsUsed(); got != 2 {
		t.Errorf("GraphQL points used %d, want 2", got)
	}
	if !strings.Contains(r.stderr, `graphql="1 queries, 2 points; 4998/5000 left`) {
		t.Errorf("the summary does not give the GraphQL points:\n%s", r.stderr)
	}
	if diff := cmp.Diff(w.papersJSON("rest"), w.papersJSON("graphql")); diff != "" {
		t.Errorf("papers.json of GraphQL differs from REST's (-rest +graphql):\n%s", diff)
	}
	j := w.papersJSON("graphql")
	for _, code := range []string{"repo_renamed", "repo_not_found", "repo_unavailable", "repo_archived"} {
		if !strings.Contains(j, `"code": "`+code+`"`) {
			t.Errorf("papers.json has no %s", code)
		}
	}

	w.gh.Reset()
	r = w.run("graphql", "auto", true)
	wantExit(t, r, exitOK)
	if n := len(w.gh.Requests()); n != 0 {
		t.Errorf("an immediate rerun sent %d GitHub requests, want none", n)
	}

	w.gh.Reset()
	if err := w.gh.SetStars("owner3/repo3", 4242); err != nil {
		t.Fatal(err)
	}
	r = w.run("graphql", "auto", true, "-github-max-age", "0")
	wantExit(t, r, exitOK)
	queries, rest = w.split()
	if len(queries) != 1 || len(rest) != 2 {
		t.Errorf("a stale rerun sent %d queries and REST %v, want 1 query and the 2 confirmations", len(queries), rest)
	}
	if !strings.Contains(w.papersJSON("graphql"), `"stars": 4242`) {
		t.Error("the stale rerun does not show the new star count")
	}
}

// TestGraphQLAPIChoice: graphql without a token is a usage error; auto
// without one is REST.
func TestGraphQLAPIChoice(t *testing.T) {
	t.Parallel()
	w := newGQLWorld(t, 3, githubtest.Options{})
	r := w.run("none", "graphql", false)
	wantExit(t, r, exitFatal)
	if !strings.Contains(r.stderr, "-github-api graphql needs a token") {
		t.Errorf("stderr does not say why:\n%s", r.stderr)
	}
	if n := len(w.gh.Requests()); n != 0 {
		t.Errorf("%d GitHub requests after a usage error", n)
	}

	r = w.run("anonymous", "auto", false)
	wantExit(t, r, exitOK)
	queries, rest := w.split()
	if len(queries) != 0 || len(rest) < 7 {
		t.Errorf("auto without a token: %d queries and REST %v; want REST only", len(queries), rest)
	}
}

// TestGraphQLRateLimited: a RATE_LIMITED answer whose reset is further off
// than -max-wait stops GitHub for the run (exit 2, outputs written); the
// next run completes what is missing.
func TestGraphQLRateLimited(t *testing.T) {
	t.Parallel()
	w := newGQLWorld(t, 10, githubtest.Options{})
	w.gh.RateLimitedNext(1)
	r := w.run("run", "auto", true)
	wantExit(t, r, exitPartial)
	if !strings.Contains(r.stderr, "(graphql) has used up its rate-limit quota") {
		t.Errorf("stderr does not say the graphql budget is used up:\n%s", r.stderr)
	}
	if queries, rest := w.split(); len(queries) != 1 || len(rest) != 0 {
		t.Errorf("%d queries and REST %v; want the one refused query", len(queries), rest)
	}
	if !strings.Contains(w.papersJSON("run"), `"code": "fetch_failed"`) {
		t.Error("papers.json has no fetch_failed")
	}

	w.gh.Reset()
	r = w.run("run", "auto", true)
	wantExit(t, r, exitOK)
	if queries, _ := w.split(); len(queries) != 1 {
		t.Errorf("the next run sent %d queries, want 1", len(queries))
	}
	if strings.Contains(w.papersJSON("run"), `"code": "fetch_failed"`) {
		t.Error("the next run left a fetch_failed")
	}
}

// TestGraphQLSecondaryLimit: a secondary limit with Retry-After pauses the
// queries and the run completes.
func TestGraphQLSecondaryLimit(t *testing.T) {
	t.Parallel()
	w := newGQLWorld(t, 10, githubtest.Options{})
	w.gh.SecondaryNext(1, "1")
	r := w.run("run", "auto", true)
	wantExit(t, r, exitOK)
	queries, _ := w.split()
	if len(queries) != 2 || queries[0].Status != http.StatusForbidden || queries[1].Status != http.StatusOK {
		var st []int
		for _, q := range queries {
			st = append(st, q.Status)
		}
		t.Errorf("query statuses %v, want [403 200]", st)
	}
	if d := queries[len(queries)-1].Time.Sub(queries[0].Time); d < time.Second {
		t.Errorf("the query was asked again after %s, want the Retry-After of 1s", d)
	}
}

// TestGraphQLHeavyBatch: a 502 on a big batch is not sent again as it is:
// the batch is halved until the server answers, and every repository is
// answered.
func TestGraphQLHeavyBatch(t *testing.T) {
	t.Parallel()
	w := newGQLWorld(t, 40, githubtest.Options{})
	w.gh.FailBatchesOver(12, http.StatusBadGateway)
	r := w.run("run", "auto", true)
	wantExit(t, r, exitOK)
	queries, _ := w.split()
	// 42 asked (44 minus the two a REST confirmation answers later):
	// 42 → 21 + 21 → 10 + 11 each; three 502s, four answers.
	var failed, answered int
	for _, q := range queries {
		switch q.Status {
		case http.StatusBadGateway:
			failed++
		case http.StatusOK:
			answered++
		}
	}
	if failed != 3 || answered != 4 {
		t.Errorf("%d queries failed and %d answered, want 3 and 4 (each 502 sent once)", failed, answered)
	}
	if strings.Contains(w.papersJSON("run"), `"code": "fetch_failed"`) {
		t.Error("papers.json has a fetch_failed")
	}
}

// TestGraphQLBudgetSmallerThanList: a list that needs more queries than
// the GraphQL budget has left is completed across runs: the first stops
// GitHub when the budget is used up and its reset is past -max-wait
// (exit 2, outputs written), the next, after the reset, asks only for
// what is missing.
func TestGraphQLBudgetSmallerThanList(t *testing.T) {
	t.Parallel()
	var clk clock
	// A query of 100 repositories costs 4 points: the budget allows two.
	w := newGQLWorld(t, 250, githubtest.Options{GraphQLQuota: 8, Now: clk.now})
	r := w.run("run", "auto", true)
	wantExit(t, r, exitPartial)
	queries, rest := w.split()
	if len(queries) != 2 || len(rest) != 0 {
		t.Errorf("first run: %d queries and REST %v, want the 2 the budget allows", len(queries), rest)
	}
	if !strings.Contains(r.stderr, "(graphql) has used up its rate-limit quota") {
		t.Errorf("first run does not say the budget is used up:\n%s", r.stderr)
	}
	if n := strings.Count(w.papersJSON("run"), `"code": "fetch_failed"`); n != 54 {
		t.Errorf("first run: %d fetch_failed, want the 54 repositories of the third batch", n)
	}

	w.gh.Reset()
	clk.advance(time.Hour + time.Minute)
	r = w.run("run", "auto", true)
	wantExit(t, r, exitOK)
	queries, rest = w.split()
	if len(queries) != 1 || strings.Count(queries[0].Query, "repository(") != 54 {
		t.Errorf("second run: %d queries, want 1 for the 54 repositories left", len(queries))
	}
	if len(rest) != 2 {
		t.Errorf("second run: REST %v, want the 2 confirmations", rest)
	}
	if strings.Contains(w.papersJSON("run"), `"code": "fetch_failed"`) {
		t.Error("the second run left a fetch_failed")
	}
}
