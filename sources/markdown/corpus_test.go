package markdown_test

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/paperlist/paperlist/sources/markdown"
)

// The corpus under testdata/corpus holds real paper lists of many layouts
// (see testdata/corpus/SOURCES.md). Each is counted twice: by the reader,
// and by an independent counter of regular expressions over the raw text,
// which knows nothing of markdown. The reader must find at least a share of
// what the counter finds, and at least the entries of the list's floor, so
// that a rule that helps one list and hurts another fails here.

// Independent counting: a linked arXiv id is an arxiv.org/abs|pdf|html URL;
// a paper link is a link to arXiv, doi.org, OpenReview, the ACL Anthology or
// a publisher; a paper-linked repository is a github.com/owner/name URL on a
// line that also holds a paper link.
var (
	corpusArxiv = regexp.MustCompile(`(?i)arxiv\.org/(?:abs|pdf|html)/(\d{4}\.\d{4,5})`)
	corpusRepo  = regexp.MustCompile(`(?i)github\.com/([A-Za-z0-9][A-Za-z0-9-]*)/([A-Za-z0-9._-]+)`)
	corpusImg   = regexp.MustCompile(`(?i)<img[^>]*>`)
	corpusPaper = regexp.MustCompile(`(?i)(?:arxiv\.org/(?:abs|pdf|html)/|doi\.org/10\.|openreview\.net/(?:forum|pdf)|aclanthology\.org/|dl\.acm\.org/doi/|ieeexplore\.ieee\.org/|link\.springer\.com/|proceedings\.neurips\.cc/|papers\.nips\.cc/|openaccess\.thecvf\.com/|proceedings\.mlr\.press/)`)
)

// corpusCount is what the independent counter finds in a list.
type corpusCount struct {
	arxiv      map[string]bool
	repos      map[string]bool
	paperLines int
}

func countCorpus(src string) corpusCount {
	c := corpusCount{arxiv: map[string]bool{}, repos: map[string]bool{}}
	for _, line := range strings.Split(src, "\n") {
		if strings.HasPrefix(line, "[//]: #") {
			// A markdown comment: "[//]: # (| [Title](https://arxiv.org/abs/…) |)".
			continue
		}
		for _, m := range corpusArxiv.FindAllStringSubmatch(line, -1) {
			c.arxiv[m[1]] = true
		}
		if !corpusPaper.MatchString(line) {
			continue
		}
		c.paperLines++
		// An image's source is not a link: "<img src=\"https://github.com/…/github.svg\">".
		for _, m := range corpusRepo.FindAllStringSubmatch(corpusImg.ReplaceAllString(line, ""), -1) {
			name := strings.TrimSuffix(strings.TrimSuffix(m[2], ".git"), ".")
			owner := strings.ToLower(m[1])
			if owner == "orgs" || owner == "features" || owner == "topics" || owner == "sponsors" || name == "" {
				continue
			}
			c.repos[owner+"/"+strings.ToLower(name)] = true
		}
	}
	return c
}

// corpusFloor is the least a list must give: the share of the counter's
// arXiv ids and paper-linked repositories the reader finds, and a number
// of entries.
type corpusFloor struct {
	arxiv, repos float64
	entries      int
}

// corpusFloors are the floors of the lists of testdata/corpus: every arXiv
// id and paper-linked repository the counter finds, and the entries the
// reader gives today (each entry of these excerpts is one paper).
var corpusFloors = map[string]corpusFloor{
	"arabic-ai-papers":        {arxiv: 1, repos: 1, entries: 26},
	"cold-start-rec":          {arxiv: 1, repos: 1, entries: 22},
	"diffusion-models":        {arxiv: 1, repos: 1, entries: 10},
	"graph-llm":               {arxiv: 1, repos: 1, entries: 12},
	"hallucination-detection": {arxiv: 1, repos: 1, entries: 10},
	"knowledge-editing":       {arxiv: 1, repos: 1, entries: 13},
	"llm-for-recsys":          {arxiv: 1, repos: 1, entries: 10},
	"llm-powered-agent":       {arxiv: 1, repos: 1, entries: 14},
	"llm-reasoning":           {arxiv: 1, repos: 1, entries: 9},
	"llm4aad":                 {arxiv: 1, repos: 1, entries: 8},
	"lm-ssp-jailbreak":        {arxiv: 1, repos: 1, entries: 12},
	"lm-ssp-unlearning":       {arxiv: 1, repos: 1, entries: 12},
	"long-context":            {arxiv: 1, repos: 1, entries: 10},
	"on-policy-distillation":  {arxiv: 1, repos: 1, entries: 10},
}

// defaultFloor holds for a list with no floor of its own, as the lists in
// CORPUS_DIR that the reader was never tuned to.
var defaultFloor = corpusFloor{arxiv: 0.95, repos: 0.90, entries: 1}

type corpusResult struct {
	name                                   string
	arxivWant, arxivGot, repoWant, repoGot int
	lines, entries, titleOnly              int
	missing                                []string
}

func readCorpus(t *testing.T, path string) corpusResult {
	t.Helper()
	src, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	want := countCorpus(string(src))
	l, err := markdown.Parse(src, path)
	if err != nil {
		t.Fatalf("parse %s: %v", path, err)
	}
	res := corpusResult{name: filepath.Base(path), lines: want.paperLines, entries: len(l.Papers)}
	gotArxiv, gotRepos := map[string]bool{}, map[string]bool{}
	for _, p := range l.Papers {
		if p.ArxivID != "" {
			gotArxiv[p.ArxivID] = true
		}
		if p.Repo != "" {
			gotRepos[strings.ToLower(p.Repo)] = true
		}
		if p.TitleOnly {
			res.titleOnly++
		}
	}
	for id := range want.arxiv {
		res.arxivWant++
		if gotArxiv[id] {
			res.arxivGot++
		} else {
			res.missing = append(res.missing, "arxiv:"+id)
		}
	}
	for r := range want.repos {
		res.repoWant++
		if gotRepos[r] {
			res.repoGot++
		} else {
			res.missing = append(res.missing, "repo:"+r)
		}
	}
	sort.Strings(res.missing)
	return res
}

func share(got, want int) float64 {
	if want == 0 {
		return 1
	}
	return float64(got) / float64(want)
}

func TestCorpusFloors(t *testing.T) {
	dirs := []string{filepath.Join("testdata", "corpus")}
	if d := os.Getenv("CORPUS_DIR"); d != "" {
		// Lists outside the repository, to measure the reader on lists it
		// was never tuned to; CI reads only testdata.
		dirs = append(dirs, d)
	}
	var paths []string
	for _, d := range dirs {
		m, err := filepath.Glob(filepath.Join(d, "*.md"))
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range m {
			if filepath.Base(p) != "SOURCES.md" {
				paths = append(paths, p)
			}
		}
	}
	if len(paths) < 12 {
		t.Fatalf("corpus holds %d lists, want at least 12", len(paths))
	}
	for _, path := range paths {
		t.Run(filepath.Base(path), func(t *testing.T) {
			r := readCorpus(t, path)
			f, ok := corpusFloors[strings.TrimSuffix(r.name, ".md")]
			if !ok || !strings.HasPrefix(path, "testdata") {
				f = defaultFloor
			}
			t.Logf("%s: arxiv %d/%d (%.1f%%) repos %d/%d (%.1f%%) entries %d (title-only %d) paper lines %d",
				r.name, r.arxivGot, r.arxivWant, 100*share(r.arxivGot, r.arxivWant),
				r.repoGot, r.repoWant, 100*share(r.repoGot, r.repoWant), r.entries, r.titleOnly, r.lines)
			if os.Getenv("CORPUS_VERBOSE") != "" {
				t.Logf("missing: %s", fmt.Sprint(r.missing))
			}
			if s := share(r.arxivGot, r.arxivWant); s < f.arxiv {
				t.Errorf("arXiv ids read: %d of %d (%.1f%%), floor %.0f%%", r.arxivGot, r.arxivWant, 100*s, 100*f.arxiv)
			}
			if s := share(r.repoGot, r.repoWant); s < f.repos {
				t.Errorf("paper-linked repositories read: %d of %d (%.1f%%), floor %.0f%%", r.repoGot, r.repoWant, 100*s, 100*f.repos)
			}
			if r.entries < f.entries {
				t.Errorf("entries: %d, floor %d", r.entries, f.entries)
			}
		})
	}
}

// TestCorpusEntries checks entries of the corpus field by field where a
// layout gives more than the counter sees: a venue column read whole, a
// venue prefix, a section path without its "Back to Top" link.
func TestCorpusEntries(t *testing.T) {
	tests := []struct {
		list        string
		line        int
		title       string
		venue       string
		year        int
		arxiv, repo string
		path        []string
	}{
		{list: "arabic-ai-papers", line: 8, title: "BERT for Arabic Topic Modeling: An Experimental Study on BERTopic Technique",
			venue: "International Conference on Arabic Computational Linguistics", year: 2021},
		{list: "arabic-ai-papers", line: 9, title: "Pre-Training BERT on Arabic Tweets: Practical Considerations",
			venue: "arXiv.org", year: 2021, arxiv: "2102.10684"},
		{list: "arabic-ai-papers", line: 32, title: "AraT5: Text-to-Text Transformers for Arabic Language Generation",
			venue: "arXiv", year: 2021, arxiv: "2109.12068", repo: "UBC-NLP/araT5"},
		{list: "cold-start-rec", line: 11, title: "Temporally and Distributionally Robust Optimization for Cold-start Recommendation",
			venue: "AAAI", year: 2024, arxiv: "2312.09901", repo: "Linxyhaha/TDRO",
			path: []string{"Taxonomy", "Content Features", "Data Incomplete Learning", "🚩 Robust Co-Training"}},
		{list: "cold-start-rec", line: 44, title: "Aligning Distillation For Cold-start Item Recommendation",
			venue: "SIGIR", year: 2023, repo: "zfnWong/ALDI",
			path: []string{"Taxonomy", "Content Features", "Data Incomplete Learning", "🚩 Knowledge Alignment"}},
		{list: "llm4aad", line: 5, title: "LLaMEA-HPO — In-the-loop Hyper-Parameter Optimization for LLM-Based Automated Design of Heuristics",
			venue: "ACM TELO", year: 2025, arxiv: "2410.16309"},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%s:%d", tt.list, tt.line), func(t *testing.T) {
			path := filepath.Join("testdata", "corpus", tt.list+".md")
			src, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			l, err := markdown.Parse(src, path)
			if err != nil {
				t.Fatal(err)
			}
			for _, p := range l.Papers {
				if p.Line != tt.line {
					continue
				}
				if p.Title != tt.title || p.Venue != tt.venue || p.Year != tt.year || p.ArxivID != tt.arxiv || p.Repo != tt.repo {
					t.Errorf("got %q (%q %d) arxiv %q repo %q, want %q (%q %d) arxiv %q repo %q",
						p.Title, p.Venue, p.Year, p.ArxivID, p.Repo, tt.title, tt.venue, tt.year, tt.arxiv, tt.repo)
				}
				if tt.path != nil && strings.Join(p.SectionPath, " › ") != strings.Join(tt.path, " › ") {
					t.Errorf("section path %q, want %q", p.SectionPath, tt.path)
				}
				return
			}
			t.Fatalf("no entry at line %d", tt.line)
		})
	}
}
