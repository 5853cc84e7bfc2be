package paperlist

import "time"

// CacheBatch is what a run hands its cache to store at once, in one
// transaction: records of each source and star counts.
type CacheBatch struct {
	Arxiv []*Entry[ArxivRecord]
	Repos []ListedRepo
	Pages []*Entry[PageRecord]
	Stars []StarCount
	// Citations are Semantic Scholar's records, by CitationID;
	// TitleMatches the answers of title searches, by listed title.
	Citations    []*Entry[CitationRecord]
	TitleMatches []TitleMatch
}

// ListedRepo is a repository's entry with the name the list gives it,
// which the cache keeps as an alias of the canonical name.
type ListedRepo struct {
	Name  string
	Entry *Entry[RepoStats]
}

// StarCount is the star count of a canonical repository on the UTC day of
// At.
type StarCount struct {
	Repo  string
	At    time.Time
	Stars int
}

// Len returns the number of records and star counts in b.
func (b *CacheBatch) Len() int {
	return len(b.Arxiv) + len(b.Repos) + len(b.Pages) + len(b.Stars) + len(b.Citations) + len(b.TitleMatches)
}
