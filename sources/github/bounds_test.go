package github_test

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/paperlist/paperlist"
	"github.com/paperlist/paperlist/sources/github"
	"github.com/paperlist/paperlist/sources/github/githubtest"
)

// TestFetchRepoBoundsStrings serves repositories with megabyte
// descriptions and hundreds of long topics: the records keep at most
// paperlist's bounds, and the cut is logged once for the run.
func TestFetchRepoBoundsStrings(t *testing.T) {
	huge := strings.Repeat("é", 1<<19) // 1 MiB
	big := huge[:1<<18]                // 256 KiB: the whole answer stays under 4 MiB
	topics := make([]string, 300)
	for i := range topics {
		topics[i] = fmt.Sprintf("topic-%d-%s", i, strings.Repeat("t", 200))
	}
	srv := newServer(t, githubtest.Options{})
	for i := range 3 {
		srv.Add(githubtest.Repo{FullName: fmt.Sprintf("big/repo%d", i), Description: huge, Topics: topics,
			Homepage: "https://example.com/" + big, Language: big, License: big})
	}
	srv.Add(githubtest.Repo{FullName: "small/repo", Description: "A small one", Topics: []string{"llm"}, Language: "Go"})
	var logs bytes.Buffer
	c, err := github.New(github.Options{
		BaseURL: srv.URL(), HTTPClient: &http.Client{Timeout: 10 * time.Second},
		Logger: slog.New(slog.NewTextHandler(&logs, nil)),
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"big/repo0", "big/repo1", "big/repo2"} {
		res := c.FetchRepo(context.Background(), paperlist.RepoRequest{Name: name})
		if res.Err != nil {
			t.Fatalf("%s: %v", name, res.Err)
		}
		s := res.Stats
		for field, tc := range map[string]struct {
			v string
			n int
		}{
			"description": {s.Description, paperlist.MaxTextLen},
			"homepage":    {s.Homepage, paperlist.MaxURLLen},
			"language":    {s.Language, paperlist.MaxNameLen},
			"license":     {s.License, paperlist.MaxNameLen},
		} {
			if n := utf8.RuneCountInString(tc.v); n > tc.n || !strings.HasSuffix(tc.v, paperlist.Ellipsis) {
				t.Errorf("%s: %s of %d characters (bound %d), ending %q", name, field, n, tc.n, tc.v[max(len(tc.v)-8, 0):])
			}
		}
		if len(s.Topics) > paperlist.MaxTopics {
			t.Errorf("%s: %d topics", name, len(s.Topics))
		}
		for _, tp := range s.Topics {
			if utf8.RuneCountInString(tp) > paperlist.MaxTopicLen {
				t.Errorf("%s: topic of %d characters", name, utf8.RuneCountInString(tp))
			}
		}
	}
	small := c.FetchRepo(context.Background(), paperlist.RepoRequest{Name: "small/repo"})
	if small.Err != nil || small.Stats.Description != "A small one" || small.Stats.Language != "Go" {
		t.Errorf("small/repo: %+v", small)
	}
	if n := strings.Count(logs.String(), "answer longer than paperlist keeps"); n != 1 {
		t.Errorf("the cut was logged %d times, want once:\n%s", n, logs.String())
	}
	if !strings.Contains(logs.String(), "record=big/repo0") || !strings.Contains(logs.String(), "description") {
		t.Errorf("the log does not name the record and fields:\n%s", logs.String())
	}
}
