package main_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/paperlist/paperlist"
	"github.com/paperlist/paperlist/sources/github/githubtest"
)

// An -offline run beside a run that holds the cache does not wait for it
// and is not refused: it reads the cache as last committed.
func TestOfflineBesideARun(t *testing.T) {
	t.Parallel()
	w := newWorld(t, worldOptions{gh: githubtest.Options{Latency: 50 * time.Millisecond}})
	wantCode(t, runPaperlist(t, w.args("crawl")...), 0)
	w.reset()

	first := startPaperlist(t, w.args("crawl", "-workers", "1", "-github-max-age", "0")...)
	waitRequests(t, w.gh, 1)
	out := t.TempDir()
	r := runPaperlist(t, "crawl", "-offline", "-db", w.db(), "-out", out)
	wantCode(t, r, 0)
	if first.cmd.ProcessState != nil {
		t.Fatal("the online run ended before the offline one: the test proves nothing")
	}
	data, err := os.ReadFile(filepath.Join(out, "papers.json"))
	if err != nil {
		t.Fatal(err)
	}
	var d paperlist.Dataset
	if err := json.Unmarshal(data, &d); err != nil {
		t.Fatal(err)
	}
	ids := map[string]bool{}
	for _, p := range d.Papers {
		if p.Arxiv != nil {
			ids[p.Arxiv.ID] = true
		}
	}
	if len(ids) != len(w.ids) {
		t.Errorf("the offline run has the records of %d arXiv ids, want %d", len(ids), len(w.ids))
	}
	wantCode(t, first.wait(t), 0)
}
