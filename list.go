package paperlist

import (
	"fmt"
	"net/url"
	"strconv"
	"strings"
)

// RawEntry is one entry of a paper list as a list reader finds it, before
// anything is derived from it. A reader fills a RawEntry for every paper and
// hands them all to NewList, which derives the rest the same way for every
// list format.
type RawEntry struct {
	// Section is the heading the entry is listed under.
	Section string
	// SectionPath is the path of headings the entry is listed under, from
	// the outermost below the list's title to Section ("Vision", "Image",
	// "Attack"); nil when the entry is under no heading.
	SectionPath []string
	// TitleOnly marks an entry that names a paper without linking it (a
	// title, perhaps with its venue, year or authors): it has no paper
	// and no code link.
	TitleOnly bool
	// Line is the 1-based line of the entry's first line in the source.
	Line    int
	Title   string
	Authors []string
	Venue   string
	Year    int
	// PaperURL and CodeURL are the link targets as written, and
	// HasPaperLink and HasCodeLink say whether the entry had such a link at
	// all, so that an empty target ("[code]()") is told apart from no link.
	PaperURL     string
	HasPaperLink bool
	CodeURL      string
	HasCodeLink  bool
	// PaperSpan and CodeSpan are where PaperURL and CodeURL are written in
	// the source (see Paper.PaperSpan).
	PaperSpan Span
	CodeSpan  Span
}

// NewList returns the list of the given entries, in their order, with
// everything that follows from the entries derived:
//
//   - Sections: the distinct non-empty sections of the entries, in the order
//     they first appear.
//   - ArxivID and ArxivVersion, from a paper link to arxiv.org (ParseArxivURL).
//   - Repo, from a code link to github.com (ParseGitHubURL). A code link to
//     another host (GitLab, Hugging Face, a project page) is kept in CodeURL
//     and is no problem.
//   - Key: "arxiv:" and the id; else "url:" and the paper URL when it is a
//     usable http(s) URL; else "title:" and the normalised title (see
//     NormalizeTitle); else, for an entry with neither, "line:" and its line.
//     Keys are unique within the list: when two entries would get the same
//     key, the first keeps it and every later one gets the key followed by
//     "#2", "#3", …, the lowest number that no other entry uses, so keys are
//     deterministic for a given list.
//   - Problems: no_paper_link, bad_paper_link, empty_code_link,
//     bad_code_link, and duplicate_paper on an entry that links the arXiv id
//     of an earlier entry in the same section, or of one with another
//     title. The same paper filed under two sections is the list's choice,
//     not a problem.
func NewList(title, source string, entries []RawEntry) *List {
	l := &List{Title: title, Source: source}
	seenSection := make(map[string]bool)
	byArxiv := make(map[string][]*Paper)
	for _, e := range entries {
		if e.Section != "" && !seenSection[e.Section] {
			seenSection[e.Section] = true
			l.Sections = append(l.Sections, e.Section)
		}
		p := e.paper()
		if p.ArxivID != "" {
			for _, first := range byArxiv[p.ArxivID] {
				if first.Section == p.Section || NormalizeTitle(first.Title) != NormalizeTitle(p.Title) {
					p.AddProblem(ProblemDuplicatePaper, fmt.Sprintf(
						"arXiv %s is also linked by %q on line %d: one of the two links is wrong or the entry is listed twice",
						p.ArxivID, first.Title, first.Line))
					break
				}
			}
			byArxiv[p.ArxivID] = append(byArxiv[p.ArxivID], p)
		}
		l.Papers = append(l.Papers, p)
	}
	assignKeys(l.Papers)
	return l
}

// paper returns the paper an entry describes, with its ids, repository and
// the problems of the entry on its own; its Key is the natural key, made
// unique later by assignKeys.
func (e RawEntry) paper() *Paper {
	p := &Paper{
		Section:     e.Section,
		SectionPath: e.SectionPath,
		TitleOnly:   e.TitleOnly,
		Line:        e.Line,
		Title:       e.Title,
		Authors:     e.Authors,
		Venue:       e.Venue,
		Year:        e.Year,
		PaperURL:    strings.TrimSpace(e.PaperURL),
		CodeURL:     strings.TrimSpace(e.CodeURL),
		PaperSpan:   e.PaperSpan,
		CodeSpan:    e.CodeSpan,
	}
	p.derivePaperLink(e.HasPaperLink)
	p.deriveCodeLink(e.HasCodeLink)
	switch {
	case p.ArxivID != "":
		p.Key = "arxiv:" + p.ArxivID
	case IsHTTPURL(p.PaperURL):
		p.Key = "url:" + p.PaperURL
	case NormalizeTitle(p.Title) != "":
		p.Key = "title:" + NormalizeTitle(p.Title)
	default:
		p.Key = "line:" + strconv.Itoa(p.Line)
	}
	return p
}

func (p *Paper) derivePaperLink(present bool) {
	switch {
	case !present:
		p.AddProblem(ProblemNoPaperLink, "no paper link: add [paper](URL) to the entry")
		return
	case p.PaperURL == "":
		p.AddProblem(ProblemBadPaperLink, "the paper link has an empty target: fill in the paper's URL")
		return
	case !IsHTTPURL(p.PaperURL):
		p.AddProblem(ProblemBadPaperLink, fmt.Sprintf("the paper link %q is not an http(s) URL", p.PaperURL))
		return
	}
	if id, version, ok := ParseArxivURL(p.PaperURL); ok {
		p.ArxivID, p.ArxivVersion = id, version
		return
	}
	if u, err := url.Parse(p.PaperURL); err == nil && IsArxivHost(u.Hostname()) {
		p.AddProblem(ProblemBadPaperLink, fmt.Sprintf(
			"the arXiv link %q names no arXiv id: link https://arxiv.org/abs/ID", p.PaperURL))
	}
}

func (p *Paper) deriveCodeLink(present bool) {
	switch {
	case !present:
		return
	case p.CodeURL == "":
		p.AddProblem(ProblemEmptyCodeLink, "the code link has an empty target ([code]()): fill in the repository URL or remove the link")
		return
	case !IsHTTPURL(p.CodeURL):
		p.AddProblem(ProblemBadCodeLink, fmt.Sprintf("the code link %q is not an http(s) URL", p.CodeURL))
		return
	}
	if repo, ok := ParseGitHubURL(p.CodeURL); ok {
		p.Repo = repo
		return
	}
	if u, err := url.Parse(p.CodeURL); err == nil && isGitHubHost(u.Hostname()) {
		p.AddProblem(ProblemBadCodeLink, fmt.Sprintf(
			"the code link %q names no GitHub repository: link https://github.com/OWNER/REPO", p.CodeURL))
	}
}

// assignKeys makes the natural keys of papers unique, as NewList documents.
func assignKeys(papers []*Paper) {
	natural := make(map[string]bool, len(papers))
	for _, p := range papers {
		natural[p.Key] = true
	}
	used := make(map[string]bool, len(papers))
	next := make(map[string]int)
	for _, p := range papers {
		if !used[p.Key] {
			used[p.Key] = true
			continue
		}
		base := p.Key
		n := next[base]
		if n < 2 {
			n = 2
		}
		for ; ; n++ {
			k := base + "#" + strconv.Itoa(n)
			if !natural[k] && !used[k] {
				p.Key = k
				break
			}
		}
		next[base] = n + 1
		used[p.Key] = true
	}
}

// isGitHubHost reports whether host is github.com, where a code link must
// name a repository.
func isGitHubHost(host string) bool {
	return strings.TrimPrefix(strings.ToLower(host), "www.") == "github.com"
}
