package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/paperlist/paperlist"
	"github.com/paperlist/paperlist/sources/arxiv/arxivtest"
	"github.com/paperlist/paperlist/sources/github/githubtest"
	"github.com/paperlist/paperlist/sources/markdown"
)

// clock is a settable clock for a test server.
type clock struct {
	mu     sync.Mutex
	offset time.Duration
}

func (c *clock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return time.Now().Add(c.offset)
}

func (c *clock) advance(d time.Duration) {
	c.mu.Lock()
	c.offset += d
	c.mu.Unlock()
}

// A list with more repositories than the hourly GitHub quota is completed
// across runs: each run stops GitHub when the quota is down to the reserve
// and the reset is further off than -max-wait, exits 2 with the outputs
// written, and the next run (after the reset) asks only for what is still
// missing. No repository is ever asked for twice.
func TestQuotaSmallerThanListCompletesAcrossRuns(t *testing.T) {
	list, err := markdown.Parse(markdown.Builtin, markdown.BuiltinSource)
	if err != nil {
		t.Fatal(err)
	}
	arx := arxivtest.NewServer(arxivtest.Options{Generate: true})
	t.Cleanup(arx.Close)
	var clk clock
	const token = "ghp_quotaTestToken000000000000000000000"
	gh := githubtest.NewServer(githubtest.Options{Quota: 10, Token: token, Now: clk.now})
	t.Cleanup(gh.Close)
	repos := map[string]bool{}
	for _, p := range list.Papers {
		if p.Repo != "" && !repos[paperlist.RepoKey(p.Repo)] {
			repos[paperlist.RepoKey(p.Repo)] = true
			gh.Add(githubtest.Repo{FullName: p.Repo, Stars: 100})
		}
	}

	dir := t.TempDir()
	args := []string{"crawl", "-quiet", "-db", filepath.Join(dir, "cache.db"), "-out", dir,
		"-arxiv-url", arx.URL(), "-arxiv-interval", "1ms", "-github-url", gh.URL(), "-github-api", "rest", "-citations=false",
		"-max-wait", "2s", "-workers", "2", "-pages=false"}
	env := map[string]string{"GITHUB_TOKEN": token}

	asked := map[string]int{}
	var codes []int
	for run := 1; run <= 10; run++ {
		var stdout, stderr bytes.Buffer
		code := Main(context.Background(), args, Env{Stdout: &stdout, Stderr: &stderr, Getenv: func(k string) string { return env[k] }})
		codes = append(codes, code)
		for _, r := range gh.Requests() {
			if strings.HasPrefix(r.Path, "/repos/") && r.Status != 403 && r.Status != 429 {
				asked[strings.ToLower(strings.TrimPrefix(r.Path, "/repos/"))]++
			}
		}
		if gh.QuotaUsed() > 10 {
			t.Errorf("run %d used %d requests of a quota of 10", run, gh.QuotaUsed())
		}
		if code == exitOK {
			break
		}
		if code != exitPartial {
			t.Fatalf("run %d: exit %d, want 2 until complete; stderr:\n%s", run, code, stderr.String())
		}
		if !strings.Contains(stderr.String(), "stopped") {
			t.Errorf("run %d: stderr does not say GitHub stopped:\n%s", run, stderr.String())
		}
		gh.Reset()
		clk.advance(61 * time.Minute) // the quota window resets
	}
	if codes[len(codes)-1] != exitOK {
		t.Fatalf("never completed: exit codes %v", codes)
	}
	if len(codes) < 3 {
		t.Errorf("completed in %d runs; a quota of 10 cannot cover %d repositories in fewer than 3", len(codes), len(repos))
	}
	for name, n := range asked {
		if n != 1 {
			t.Errorf("%s asked for %d times, want once", name, n)
		}
	}
	if len(asked) != len(repos) {
		t.Errorf("asked for %d repositories, want %d", len(asked), len(repos))
	}

	raw, err := os.ReadFile(filepath.Join(dir, "papers.json"))
	if err != nil {
		t.Fatal(err)
	}
	var d paperlist.Dataset
	if err := json.Unmarshal(raw, &d); err != nil {
		t.Fatal(err)
	}
	for _, p := range d.Papers {
		if p.Repo != "" && p.GitHub == nil {
			t.Errorf("%s: no GitHub stats after the last run", p.Key)
		}
		if p.HasProblem(paperlist.ProblemFetchFailed) {
			t.Errorf("%s: fetch_failed after the last run", p.Key)
		}
	}
	t.Logf("exit codes per run: %v", codes)
}
