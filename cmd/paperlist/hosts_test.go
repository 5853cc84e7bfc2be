package main

import (
	"net/url"
	"testing"
	"time"

	"github.com/paperlist/paperlist/hostpool"
)

// The arXiv and GitHub policies hold for the hosts of -arxiv-url and
// -github-url however those URLs spell them: -arxiv-url
// https://Export.arXiv.org/… once lost arXiv's 3 s rule.
func TestHostPoliciesWhateverTheSpelling(t *testing.T) {
	c := &config{
		arxivURL:      "https://Export.arXiv.org:443/api/query",
		arxivInterval: 3 * time.Second,
		githubURL:     "https://API.GitHub.com/",
		workers:       7,
	}
	hosts := hostPolicies(c)
	for _, raw := range []string{"https://export.arxiv.org/api/query", "https://arxiv.org/abs/2401.00001", "https://ArXiv.org/abs/2401.00001"} {
		u, err := url.Parse(raw)
		if err != nil {
			t.Fatal(err)
		}
		if p := hosts[hostpool.HostOf(u)]; p.Interval != 3*time.Second || p.Concurrency != 1 {
			t.Errorf("policy for %s = %+v, want arXiv's 3s, one at a time", raw, p)
		}
	}
	u, _ := url.Parse("https://api.github.com/repos/o/r")
	if p := hosts[hostpool.HostOf(u)]; p.Concurrency != 7 || p.RateLimits == nil {
		t.Errorf("policy for api.github.com = %+v, want -workers in flight and GitHub's rate limits", p)
	}
}

// Semantic Scholar's host gets one request at a time, a second apart, a
// group of its own; with -citations=false it has no policy.
func TestHostPolicySemanticScholar(t *testing.T) {
	for _, on := range []bool{true, false} {
		c := &config{arxivURL: "https://export.arxiv.org/api/query", githubURL: "https://api.github.com/", workers: 4,
			citations: on, citationsURL: "https://API.SemanticScholar.org/graph/v1"}
		u, _ := url.Parse("https://api.semanticscholar.org/graph/v1/paper/batch")
		p, ok := hostPolicies(c)[hostpool.HostOf(u)]
		switch {
		case on && (p.Interval != time.Second || p.Concurrency != 1 || p.Group != ""):
			t.Errorf("policy for Semantic Scholar = %+v, want one at a time, a second apart, its own group", p)
		case !on && ok:
			t.Errorf("-citations=false: policy %+v", p)
		}
	}
}
