package paperlist

// Problem is something wrong with a list entry that its maintainer can fix,
// or a fetch that failed. Problems are recorded on the entry; they never
// abort a run.
type Problem struct {
	Code    string `json:"code"`
	Message string `json:"message"`
}

// Problem codes. They are part of the papers.json interface.
const (
	// Found in the list itself.
	ProblemNoPaperLink    = "no_paper_link"
	ProblemBadPaperLink   = "bad_paper_link"
	ProblemEmptyCodeLink  = "empty_code_link"
	ProblemBadCodeLink    = "bad_code_link"
	ProblemDuplicatePaper = "duplicate_paper"

	// Found by comparing the list with arXiv.
	ProblemArxivNotFound  = "arxiv_not_found"
	ProblemArxivWithdrawn = "arxiv_withdrawn"
	ProblemTitleMismatch  = "title_mismatch"

	// Found by asking GitHub.
	ProblemRepoRenamed     = "repo_renamed"
	ProblemRepoNotFound    = "repo_not_found"
	ProblemRepoUnavailable = "repo_unavailable"
	ProblemRepoArchived    = "repo_archived"

	// A fetch this entry needed failed this run and nothing was cached.
	ProblemFetchFailed = "fetch_failed"
	// A record this entry needs is in the cache but cannot be decoded, and
	// was not fetched again this run.
	ProblemCacheUnreadable = "cache_unreadable"
)

// ProblemCodes lists every problem code with a one-line description, in the
// order the documentation gives them.
var ProblemCodes = []struct{ Code, Meaning string }{
	{ProblemNoPaperLink, "the entry has no [paper](…) link"},
	{ProblemBadPaperLink, "the paper link is not a usable http(s) URL"},
	{ProblemEmptyCodeLink, "the code link has an empty target: [code]()"},
	{ProblemBadCodeLink, "the code link is not a usable http(s) URL, or a GitHub link that names no repository"},
	{ProblemDuplicatePaper, "another entry links the same arXiv id"},
	{ProblemArxivNotFound, "arXiv does not know the linked id"},
	{ProblemArxivWithdrawn, "the linked arXiv paper was withdrawn"},
	{ProblemTitleMismatch, "the listed title and the linked paper's title are different papers"},
	{ProblemRepoRenamed, "the repository was renamed or moved: the list should link the new name"},
	{ProblemRepoNotFound, "the repository does not exist (404)"},
	{ProblemRepoUnavailable, "the repository is blocked (451) or disabled"},
	{ProblemRepoArchived, "the repository is archived"},
	{ProblemFetchFailed, "a fetch this entry needed failed this run and nothing was cached"},
	{ProblemCacheUnreadable, "a record this entry needs is in the cache but cannot be decoded, and was not fetched again this run"},
}
