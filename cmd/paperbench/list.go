package main

import (
	"fmt"
	"strings"
	"time"

	"github.com/paperlist/paperlist"
	"github.com/paperlist/paperlist/sources/arxiv/arxivtest"
	"github.com/paperlist/paperlist/sources/github/githubtest"
)

// entry is one generated paper of a list.
type entry struct {
	id, title string
	authors   []string
	repo      string // "owner/name", empty for an entry without a code link
}

// corpus is a generated list: its markdown and what the servers must know.
type corpus struct {
	markdown []byte
	entries  []entry
	repos    []string // distinct, in list order
	withCode int      // entries with a code link
}

var (
	topics  = []string{"Instruction Tuning", "Quantization", "Retrieval", "Long-Context Attention", "Model Merging", "Speculative Decoding", "Alignment", "Pruning"}
	methods = []string{"Sparse Adapters", "Low-Rank Updates", "Mixture of Experts", "Knowledge Distillation", "Preference Optimization", "Contrastive Pretraining"}
	names   = []string{"Wei Chen", "Maria Garcia", "Yuki Tanaka", "Olusegun Adeyemi", "Anna Novak", "Rahul Sharma", "Lena Müller", "Jean Dupont"}
)

// generate makes a list of n papers in the layout of the real
// LLaMA-Paper-List: sections of 100 bullets, each with a bold title, venue
// and year, an arXiv paper link, for 70% of them a GitHub code link (one in
// ten of those shared with the entry before, as when a repository holds the
// code of several papers), and an italic author line. The arXiv ids are
// distinct.
func generate(n int) *corpus {
	c := &corpus{}
	var b strings.Builder
	b.WriteString("# Generated-Paper-List\n\nA generated list for paperlist's benchmark.\n\n## Papers\n")
	repo := ""
	for i := range n {
		if i%100 == 0 {
			fmt.Fprintf(&b, "\n### %s, part %d\n\n", topics[(i/100)%len(topics)], i/100+1)
		}
		e := entry{
			// 9,000 ids a month over a year: distinct up to 108,000 papers.
			id:    fmt.Sprintf("%02d%02d.%05d", 23+i/108000, 1+(i/9000)%12, 1+i%9000),
			title: fmt.Sprintf("%s for %s: A Study of Paper %d", methods[i%len(methods)], topics[(i/7)%len(topics)], i+1),
		}
		for k := range 1 + i%4 {
			e.authors = append(e.authors, names[(i+3*k)%len(names)])
		}
		switch {
		case i%10 >= 7:
			// No code link.
		case i%10 == 6 && repo != "":
			e.repo = repo // shared with the entry before
		default:
			repo = fmt.Sprintf("lab%d/project-%d", len(c.repos)%97, len(c.repos)+1)
			c.repos = append(c.repos, repo)
			e.repo = repo
		}
		fmt.Fprintf(&b, "- **%s.** arxiv %d. [paper](https://arxiv.org/abs/%s).", e.title, 2023+i/108000, e.id)
		if e.repo != "" {
			c.withCode++
			fmt.Fprintf(&b, " [code](https://github.com/%s)", e.repo)
		}
		fmt.Fprintf(&b, " <br />\n*%s*\n", strings.Join(e.authors, ", "))
		c.entries = append(c.entries, e)
	}
	c.markdown = []byte(b.String())
	return c
}

// load gives the servers the corpus's papers and repositories.
func (c *corpus) load(ax *arxivtest.Server, gh *githubtest.Server) {
	published := time.Date(2023, 1, 2, 17, 0, 0, 0, time.UTC)
	papers := make([]arxivtest.Paper, 0, len(c.entries))
	for i, e := range c.entries {
		var authors []paperlist.Author
		for _, a := range e.authors {
			authors = append(authors, paperlist.Author{Name: a, Affiliations: []string{"Some University"}})
		}
		papers = append(papers, arxivtest.Paper{
			ID:              e.id,
			Version:         1 + i%3,
			Title:           e.title,
			Abstract:        "We study " + strings.ToLower(e.title) + ". " + strings.Repeat("Our method improves on strong baselines across many benchmarks. ", 12),
			Authors:         authors,
			Published:       published.AddDate(0, 0, i%365),
			PrimaryCategory: "cs.CL",
			Categories:      []string{"cs.CL", "cs.LG"},
		})
	}
	ax.Add(papers...)
	repos := make([]githubtest.Repo, 0, len(c.repos))
	for i, name := range c.repos {
		repos = append(repos, githubtest.Repo{
			FullName:      name,
			Description:   "Code of " + name,
			Stars:         10 + i*7%5000,
			Forks:         i % 300,
			OpenIssues:    i % 40,
			Watchers:      i % 90,
			Language:      "Python",
			License:       "MIT",
			Topics:        []string{"llm", "deep-learning"},
			PushedAt:      published.AddDate(1, 0, i%300),
			CreatedAt:     published.AddDate(0, 0, i%300),
			DefaultBranch: "main",
		})
	}
	gh.Add(repos...)
}
