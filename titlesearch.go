package paperlist

import "time"

// TitleSearchResult is the outcome of looking a listed title up on arXiv:
// the one paper whose title is the listed title by the rule of the
// title_mismatch check (SameTitle), when exactly one is.
type TitleSearchResult struct {
	// Title is the title as it was asked for.
	Title string
	// ArxivID is the id, without version, of the one paper that matched;
	// "" when none or more than one did.
	ArxivID string
	// Record is that paper's record as the search returned it; nil
	// without ArxivID.
	Record *ArxivRecord
	// Matches is how many different papers matched the title: 0 for
	// none, 1 when ArxivID is set, more when the title cannot tell them
	// apart and none is picked.
	Matches int
	// Err is set when the search could not be made this run.
	Err error
}

// TitleMatch is a title search's answer as a cache keeps it: the listed
// title, the id of the one paper that matched it ("" when none or more
// than one did), how many did, and when arXiv was asked.
type TitleMatch struct {
	Title   string    `json:"title"`
	ArxivID string    `json:"arxiv_id,omitempty"`
	Matches int       `json:"matches"`
	At      time.Time `json:"at"`
}
