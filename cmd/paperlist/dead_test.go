package main

import (
	"bytes"
	"context"
	"encoding/json"
	"net"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/paperlist/paperlist"
	"github.com/paperlist/paperlist/output"
)

// instantClock is a hostpool.Clock that does not wait: a sleep moves its
// time on at once.
type instantClock struct {
	mu     sync.Mutex
	offset time.Duration
	slept  time.Duration
}

func (c *instantClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return time.Now().Add(c.offset)
}

func (c *instantClock) Sleep(ctx context.Context, d time.Duration) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.offset += max(d, 0)
	c.slept += max(d, 0)
	return nil
}

// TestDeadServers points a crawl at a port where nothing listens. It runs
// in-process on a clock that does not wait, so the backoff of the five
// attempts (seconds of it) costs nothing.
func TestDeadServers(t *testing.T) {
	t.Parallel()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	dead := "http://" + l.Addr().String()
	l.Close()
	dir := t.TempDir()
	list := filepath.Join(dir, "list.md")
	src := "# A list\n\n## Papers\n\n- **A Paper** [[paper](https://arxiv.org/abs/2401.00001)] [[code](https://github.com/o/r)]\n"
	if err := os.WriteFile(list, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	clock := &instantClock{}
	var stdout, stderr bytes.Buffer
	code := Main(t.Context(), []string{"crawl", "-db", filepath.Join(dir, "cache.db"), "-out", dir,
		"-arxiv-url", dead + "/api/query", "-arxiv-interval", "10ms", "-github-url", dead + "/", "-citations-url", dead + "/graph/v1", list},
		Env{Stdout: &stdout, Stderr: &stderr, Getenv: func(string) string { return "" }, clock: clock})
	if code != exitPartial {
		t.Fatalf("exit code %d, want %d\nstderr:\n%s", code, exitPartial, stderr.String())
	}
	for _, line := range strings.Split(strings.TrimSpace(stderr.String()), "\n") {
		if !strings.HasPrefix(line, "time=") {
			t.Errorf("stderr line is not a log line: %q", line)
		}
	}
	if !strings.Contains(stderr.String(), "fetch_failed") {
		t.Errorf("stderr does not report the failed fetches:\n%s", stderr.String())
	}
	if clock.slept == 0 {
		t.Error("no backoff between the attempts")
	}
	j, err := os.ReadFile(filepath.Join(dir, "papers.json"))
	if err != nil {
		t.Fatal(err)
	}
	validateSchema(t, j)
	var d paperlist.Dataset
	if err := json.Unmarshal(j, &d); err != nil {
		t.Fatal(err)
	}
	if len(d.Papers) != 1 || !fetchFailed(d.Papers[0], "arxiv") || !fetchFailed(d.Papers[0], "github") {
		t.Errorf("want one paper with fetch_failed for arxiv and github, got %+v", d.Papers)
	}
}

func fetchFailed(p *paperlist.Paper, source string) bool {
	for _, pr := range p.Problems {
		if pr.Code == paperlist.ProblemFetchFailed && strings.Contains(pr.Message, source) {
			return true
		}
	}
	return false
}

// validateSchema checks papers.json against the JSON Schema it claims.
func validateSchema(t *testing.T, data []byte) {
	t.Helper()
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(output.JSONSchema))
	if err != nil {
		t.Fatal(err)
	}
	c := jsonschema.NewCompiler()
	c.AssertFormat()
	if err := c.AddResource("papers.schema.json", doc); err != nil {
		t.Fatal(err)
	}
	schema, err := c.Compile("papers.schema.json")
	if err != nil {
		t.Fatal(err)
	}
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(data))
	if err != nil {
		t.Fatalf("papers.json is not JSON: %v", err)
	}
	if err := schema.Validate(inst); err != nil {
		t.Errorf("papers.json does not match the schema: %v", err)
	}
}
