package paperlist

import "time"

// ArxivRecord is a paper's metadata as the arXiv export API gives it.
type ArxivRecord struct {
	// ID is the identifier without version; Version is the version this
	// record describes (the latest when the request named none).
	ID       string   `json:"id"`
	Version  int      `json:"version,omitempty"`
	Title    string   `json:"title"`
	Abstract string   `json:"abstract,omitempty"`
	Authors  []Author `json:"authors,omitempty"`
	// Published is when version 1 appeared; Updated is when this version did.
	Published       time.Time `json:"published,omitzero"`
	Updated         time.Time `json:"updated,omitzero"`
	PrimaryCategory string    `json:"primary_category,omitempty"`
	Categories      []string  `json:"categories,omitempty"`
	Comment         string    `json:"comment,omitempty"`
	JournalRef      string    `json:"journal_ref,omitempty"`
	DOI             string    `json:"doi,omitempty"`
	AbsURL          string    `json:"abs_url,omitempty"`
	PDFURL          string    `json:"pdf_url,omitempty"`
	// Withdrawn is set when the comment of this version says it was withdrawn.
	Withdrawn bool      `json:"withdrawn,omitempty"`
	FetchedAt time.Time `json:"fetched_at,omitzero"`
}

// Author is one author of an arXiv paper, with the affiliations arXiv lists.
type Author struct {
	Name         string   `json:"name"`
	Affiliations []string `json:"affiliations,omitempty"`
}

// RepoStats is a GitHub repository's metadata and counters.
type RepoStats struct {
	// FullName is the canonical "owner/name", which differs from the listed
	// name when the repository was renamed or moved.
	FullName      string    `json:"full_name"`
	ID            int64     `json:"id,omitempty"`
	HTMLURL       string    `json:"html_url,omitempty"`
	Description   string    `json:"description,omitempty"`
	Stars         int       `json:"stars"`
	Forks         int       `json:"forks"`
	OpenIssues    int       `json:"open_issues"`
	Watchers      int       `json:"watchers"`
	Language      string    `json:"language,omitempty"`
	License       string    `json:"license,omitempty"`
	Topics        []string  `json:"topics,omitempty"`
	Archived      bool      `json:"archived"`
	Disabled      bool      `json:"disabled,omitempty"`
	Fork          bool      `json:"fork,omitempty"`
	PushedAt      time.Time `json:"pushed_at,omitzero"`
	CreatedAt     time.Time `json:"created_at,omitzero"`
	Homepage      string    `json:"homepage,omitempty"`
	DefaultBranch string    `json:"default_branch,omitempty"`
	FetchedAt     time.Time `json:"fetched_at,omitzero"`
	// Stars7d and Stars30d are the stars gained over the last 7 and 30 days,
	// absent when the star history is too short to tell.
	Stars7d  *int `json:"stars_7d,omitempty"`
	Stars30d *int `json:"stars_30d,omitempty"`
}

// PageRecord is what a paper's landing page (a non-arXiv paper link) says
// about the paper, read from its citation_* meta tags.
type PageRecord struct {
	URL       string    `json:"url"`
	Title     string    `json:"title,omitempty"`
	Abstract  string    `json:"abstract,omitempty"`
	Authors   []string  `json:"authors,omitempty"`
	Published string    `json:"published,omitempty"`
	PDFURL    string    `json:"pdf_url,omitempty"`
	DOI       string    `json:"doi,omitempty"`
	FetchedAt time.Time `json:"fetched_at,omitzero"`
}
