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
	// Links are the arXiv and GitHub links of the source, in source order,
	// each marked with whether an entry holds it. A list reader fills it so
	// that links it could not place in an entry are reported, not lost.
	Links []SourceLink
}

// Span is the byte range [Start, End) of a piece of a list's source. The
// zero Span is no span.
type Span struct {
	Start, End int
}

// IsZero reports whether s is no span.
func (s Span) IsZero() bool { return s.Start == 0 && s.End == 0 }

// Link kinds of a SourceLink.
const (
	LinkArxiv  = "arxiv"
	LinkGitHub = "github"
	// LinkPaper is a link to a paper on another host: doi.org, a
	// publisher, OpenReview, the ACL Anthology, a proceedings site.
	LinkPaper = "paper"
)

// SourceLink is one arXiv or GitHub link of a list's source.
type SourceLink struct {
	// Kind is LinkArxiv, LinkGitHub or LinkPaper.
	Kind string
	// Line is the 1-based line of the link in the source.
	Line int
	// URL is the link's target as written.
	URL string
	// ID is the arXiv id (without version) or the GitHub "owner/name" it
	// names, or for LinkPaper the URL.
	ID string
	// InEntry reports whether an entry holds the link as its paper or code
	// link, or holds a link to the same id.
	InEntry bool
	// Span is where URL is written in the source; zero when the reader
	// could not place it.
	Span Span
}

// Paper is one entry of a list, with what the list says about it, what was
// derived from its links, and the records that enrich it.
type Paper struct {
	// Key identifies the paper stably across runs: "arxiv:ID" when the paper
	// link is an arXiv link, else "url:" and the paper URL, else "title:" and
	// the normalised title.
	Key     string `json:"key"`
	Section string `json:"section,omitempty"`
	// SectionPath is the path of headings the paper is listed under, the
	// outermost first, ending with Section.
	SectionPath []string `json:"section_path,omitempty"`
	// TitleOnly marks a paper the list names without any link: it is to
	// be found by its title.
	TitleOnly bool     `json:"title_only,omitempty"`
	Line      int      `json:"line"`
	Title     string   `json:"title"`
	Authors   []string `json:"authors,omitempty"`
	Venue     string   `json:"venue,omitempty"`
	Year      int      `json:"year,omitempty"`

	PaperURL string `json:"paper_url,omitempty"`
	CodeURL  string `json:"code_url,omitempty"`
	// ArxivID is the arXiv identifier without its version ("2306.11695",
	// "hep-th/9901001"); ArxivVersion is the version the link named, if any.
	ArxivID      string `json:"arxiv_id,omitempty"`
	ArxivVersion int    `json:"arxiv_version,omitempty"`
	// Repo is the GitHub "owner/name" of the code link, as the list spells it.
	Repo string `json:"repo,omitempty"`
	// PaperSpan and CodeSpan are the byte ranges, in the list's source, of
	// the paper and code link targets as written (the URL between the
	// parentheses, or a reference definition's target), so that a link can
	// be rewritten in place. They are zero when the entry has no such link
	// or the reader could not place it.
	PaperSpan Span `json:"-"`
	CodeSpan  Span `json:"-"`

	// ArxivIDSource says where ArxivID comes from: ArxivIDFromList,
	// ArxivIDFromSemanticScholar or ArxivIDFromTitleSearch; "" without an
	// id.
	ArxivIDSource string `json:"arxiv_id_source,omitempty"`

	// Citations and InfluentialCitations are Semantic Scholar's counts,
	// absent when it gave none. ScholarVenue is its normalised venue name
	// (Venue keeps the list's text); DOI, SemanticScholarURL and
	// OpenAccessPDF are the paper's DOI, its Semantic Scholar page and an
	// open-access PDF, as Semantic Scholar knows them. Year, when the list
	// gives none, is Semantic Scholar's year of publication.
	Citations            *int   `json:"citations,omitempty"`
	InfluentialCitations *int   `json:"influential_citations,omitempty"`
	ScholarVenue         string `json:"scholar_venue,omitempty"`
	DOI                  string `json:"doi,omitempty"`
	SemanticScholarURL   string `json:"semantic_scholar_url,omitempty"`
	OpenAccessPDF        string `json:"open_access_pdf,omitempty"`

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
	// Generator names the program that wrote the dataset; the command sets
	// it.
	Generator *Generator `json:"generator,omitempty"`
	List      ListInfo   `json:"list"`
	Papers    []*Paper   `json:"papers"`

	// Enrich, when set, says that Papers carry no records (Arxiv, GitHub,
	// Page): it returns copies of the papers it is given, some of Papers,
	// with their records filled in. The writers call it a chunk of
	// EnrichChunk papers at a time as they write them, so that a large
	// dataset is written without holding all its records at once. It is
	// called from the JSON and the markdown writer at once.
	Enrich func(papers []*Paper) ([]*Paper, error) `json:"-"`
	// Held, when Enrich is set, may say for each of Papers (by index)
	// which records Enrich fills in and the repository's stars, so that
	// the writers count and sort the papers without reading them.
	Held []Held `json:"-"`
}

// Held says which records Dataset.Enrich fills in for a paper.
type Held struct {
	Arxiv, GitHub, Page bool
	// Stars are the repository's stars when GitHub is true.
	Stars int
}

// EnrichChunk is how many papers the writers hand Dataset.Enrich at once.
const EnrichChunk = 256

// Generator is the program that wrote a dataset: its name and version.
type Generator struct {
	Name    string `json:"name"`
	Version string `json:"version"`
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
