package paperlist

import "time"

// SchemaVersion is the version of the papers.json format written by this
// build. It changes only when a field is removed, renamed or changes meaning;
// new optional fields do not change it.
const SchemaVersion = 1

// List is a paper list as read from its markdown source.
type List struct {
	// Title is the list's first level-one heading.
	Title string
	// Source names where the list was read from: a path, a URL or "builtin".
	Source string
	// Sections are the names of the headings that hold paper entries, in
	// list order.
	Sections []string
	// Papers are the entries in list order.
	Papers []*Paper
}

// Paper is one entry of a list, with what the list says about it, what was
// derived from its links, and the records that enrich it.
type Paper struct {
	// Key identifies the paper stably across runs: "arxiv:ID" when the paper
	// link is an arXiv link, else "url:" and the paper URL, else "title:" and
	// the normalised title.
	Key     string   `json:"key"`
	Section string   `json:"section,omitempty"`
	Line    int      `json:"line"`
	Title   string   `json:"title"`
	Authors []string `json:"authors,omitempty"`
	Venue   string   `json:"venue,omitempty"`
	Year    int      `json:"year,omitempty"`

	PaperURL string `json:"paper_url,omitempty"`
	CodeURL  string `json:"code_url,omitempty"`
	// ArxivID is the arXiv identifier without its version ("2306.11695",
	// "hep-th/9901001"); ArxivVersion is the version the link named, if any.
	ArxivID      string `json:"arxiv_id,omitempty"`
	ArxivVersion int    `json:"arxiv_version,omitempty"`
	// Repo is the GitHub "owner/name" of the code link, as the list spells it.
	Repo string `json:"repo,omitempty"`

	Arxiv  *ArxivRecord `json:"arxiv,omitempty"`
	GitHub *RepoStats   `json:"github,omitempty"`
	Page   *PageRecord  `json:"page,omitempty"`

	Problems []Problem `json:"problems,omitempty"`
}

// AddProblem records a problem on the paper.
func (p *Paper) AddProblem(code, message string) {
	p.Problems = append(p.Problems, Problem{Code: code, Message: message})
}

// HasProblem reports whether the paper has a problem with the given code.
func (p *Paper) HasProblem(code string) bool {
	for _, pr := range p.Problems {
		if pr.Code == code {
			return true
		}
	}
	return false
}

// Dataset is what a run writes out: the list with every paper enriched from
// the cache. Its JSON form is papers.json, a public interface.
type Dataset struct {
	SchemaVersion int       `json:"schema_version"`
	GeneratedAt   time.Time `json:"generated_at"`
	List          ListInfo  `json:"list"`
	Papers        []*Paper  `json:"papers"`
}

// ListInfo describes the list a dataset was made from.
type ListInfo struct {
	Title    string   `json:"title,omitempty"`
	Source   string   `json:"source,omitempty"`
	Sections []string `json:"sections,omitempty"`
}

// NewDataset returns the dataset of a list, generated at the given time.
// The papers are shared with the list, not copied.
func NewDataset(l *List, generatedAt time.Time) *Dataset {
	papers := l.Papers
	if papers == nil {
		papers = []*Paper{}
	}
	return &Dataset{
		SchemaVersion: SchemaVersion,
		GeneratedAt:   generatedAt.UTC(),
		List:          ListInfo{Title: l.Title, Source: l.Source, Sections: l.Sections},
		Papers:        papers,
	}
}
