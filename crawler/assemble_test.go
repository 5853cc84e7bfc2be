package crawler_test

import (
	"errors"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/paperlist/paperlist"
)

func TestRunStarsHistory(t *testing.T) {
	c := newMemCache()
	c.RecordStars("o/r", now.AddDate(0, 0, -8), 100)
	c.RecordStars("o/r", now.AddDate(0, 0, -31), 40)
	c.RecordStars("o/young", now.AddDate(0, 0, -2), 1)
	r := &fakeRepos{results: map[string]paperlist.RepoResult{
		"o/r": repoOK("O/R", 1, 150), "o/young": repoOK("o/young", 2, 5),
	}}
	l := newList(paperSpec{title: "A", repo: "o/R"}, paperSpec{title: "B", repo: "o/young"})
	rep := run(t, t.Context(), l, options(c, nil, r, nil))
	gh := rep.Dataset.Papers[0].GitHub
	if gh == nil || gh.Stars7d == nil || *gh.Stars7d != 50 || gh.Stars30d == nil || *gh.Stars30d != 110 {
		t.Fatalf("stars gained = %+v", gh)
	}
	if young := rep.Dataset.Papers[1].GitHub; young.Stars7d != nil || young.Stars30d != nil {
		t.Errorf("young repo has gains without history: %v, %v", young.Stars7d, young.Stars30d)
	}
	if stars, ok, _ := c.StarsOn("o/r", now); !ok || stars != 150 {
		t.Errorf("today's stars = %d, %v", stars, ok)
	}
}

// TestRunTwiceOnOneList runs one list twice, each run against the same
// sources and a cache of its own: the datasets are equal, and the list, with
// the problem its parser found, is as it was.
func TestRunTwiceOnOneList(t *testing.T) {
	specs := []paperSpec{
		{title: "LLaMA", arxiv: "2302.13971", repo: "horseee/LLM-Pruner"},
		{title: "Gone", arxiv: "2305.11627", repo: "nobody/nothing"},
		{title: "A proceedings paper", url: "https://proceedings.mlr.press/v202/a.html"},
		{title: "No links"},
	}
	parsed := func() *paperlist.List {
		l := newList(specs...)
		l.Sections = []string{"Models"}
		l.Papers[3].AddProblem(paperlist.ProblemNoPaperLink, "no paper link")
		return l
	}
	a := &fakeArxiv{results: map[string]paperlist.ArxivResult{
		"2302.13971": arxivOK("LLaMA"), "2305.11627": {Err: errors.New("boom")},
	}}
	r := &fakeRepos{results: map[string]paperlist.RepoResult{"horseee/llm-pruner": repoOK("horseee/LLM-Pruner", 7, 10)}}
	p := &fakePages{results: map[string]paperlist.PageResult{
		"https://proceedings.mlr.press/v202/a.html": {State: paperlist.StateOK, Page: &paperlist.PageRecord{Title: "A proceedings paper"}},
	}}
	l := parsed()
	first := run(t, t.Context(), l, options(newMemCache(), a, r, p))
	second := run(t, t.Context(), l, options(newMemCache(), a, r, p))

	if diff := cmp.Diff(first.Dataset, second.Dataset); diff != "" {
		t.Errorf("second dataset differs (-first +second):\n%s", diff)
	}
	if diff := cmp.Diff(first.Problems, second.Problems); diff != "" {
		t.Errorf("second problem counts differ (-first +second):\n%s", diff)
	}
	if diff := cmp.Diff(parsed(), l); diff != "" {
		t.Errorf("Run changed the list (-parsed +after two runs):\n%s", diff)
	}
	if got := codes(first.Dataset.Papers[1]); !slices.Contains(got, paperlist.ProblemFetchFailed) {
		t.Errorf("failed paper problems = %v, want %s among them", got, paperlist.ProblemFetchFailed)
	}
	if got := codes(first.Dataset.Papers[3]); !slices.Equal(got, []string{paperlist.ProblemNoPaperLink}) {
		t.Errorf("parser's problem in the dataset = %v, want [%s] once", got, paperlist.ProblemNoPaperLink)
	}
	if first.Dataset.Papers[0].Arxiv == nil || first.Dataset.Papers[0].GitHub == nil || first.Dataset.Papers[2].Page == nil {
		t.Errorf("dataset not enriched: %+v", first.Dataset.Papers)
	}
}
