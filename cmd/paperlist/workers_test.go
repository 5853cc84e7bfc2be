package main

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/paperlist/paperlist/sources/arxiv/arxivtest"
	"github.com/paperlist/paperlist/sources/github/githubtest"
)

// TestWorkersAboveRemainingQuota runs a list anonymously with -workers 64
// when 38 of the 60 requests of the hour are left. With fewer repositories
// than that, GitHub must not stop; with more, it stops once the quota is
// used up, and says so rather than that the server asked for a wait.
func TestWorkersAboveRemainingQuota(t *testing.T) {
	const left = 38
	tests := []struct {
		name     string
		repos    int
		wantCode int
		wantSays string
	}{
		{name: "fewer repositories than left", repos: 30, wantCode: exitOK},
		{name: "more repositories than left", repos: 100, wantCode: exitPartial, wantSays: "has used up its rate-limit quota until"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			arx := arxivtest.NewServer(arxivtest.Options{Generate: true})
			t.Cleanup(arx.Close)
			gh := githubtest.NewServer(githubtest.Options{})
			t.Cleanup(gh.Close)
			var list strings.Builder
			list.WriteString("# Papers\n\n## Models\n\n")
			for i := range tt.repos {
				name := fmt.Sprintf("owner%d/repo%d", i, i)
				gh.Add(githubtest.Repo{FullName: name, Stars: 100 + i})
				fmt.Fprintf(&list, "- **Paper %d.** arxiv 2023. [paper](https://arxiv.org/abs/2301.%05d). [code](https://github.com/%s)\n", i, i+1, name)
			}
			for range githubtest.UnauthenticatedQuota - left {
				resp, err := http.Get(gh.URL() + "repos/someone/else")
				if err != nil {
					t.Fatal(err)
				}
				resp.Body.Close()
			}
			dir := t.TempDir()
			listFile := filepath.Join(dir, "README.md")
			if err := os.WriteFile(listFile, []byte(list.String()), 0o644); err != nil {
				t.Fatal(err)
			}
			out := filepath.Join(dir, "site")
			if err := os.Mkdir(out, 0o755); err != nil {
				t.Fatal(err)
			}
			var stdout, stderr bytes.Buffer
			code := Main(context.Background(), []string{"crawl", "-db", filepath.Join(dir, "cache.db"), "-out", out,
				"-arxiv-url", arx.URL(), "-arxiv-interval", "1ms", "-github-url", gh.URL(), "-workers", "64", "-pages=false", "-citations=false", listFile},
				Env{Stdout: &stdout, Stderr: &stderr})
			if code != tt.wantCode {
				t.Fatalf("exit %d, want %d; stderr:\n%s", code, tt.wantCode, stderr.String())
			}
			if strings.Contains(stderr.String(), "asks to wait") || !strings.Contains(stderr.String(), tt.wantSays) {
				t.Errorf("stderr does not say %q, or says the server asked to wait:\n%s", tt.wantSays, stderr.String())
			}
			if used := gh.QuotaUsed(); used > githubtest.UnauthenticatedQuota {
				t.Errorf("quota used %d", used)
			}
		})
	}
}
