package paperlist

// The results sources hand the engine: each source package returns them and
// the crawler reads them, so they live here, known to both.

// ArxivResult is the outcome for one arXiv id.
type ArxivResult struct {
	ID string
	// Record is the metadata when arXiv has the paper.
	Record *ArxivRecord
	// NotFound is set when arXiv confirmed that it has no such paper.
	NotFound bool
	// Err is set when this id could not be fetched this run.
	Err error
}

// RepoRequest asks for one repository.
type RepoRequest struct {
	// Name is "owner/name" as the list spells it.
	Name string
	// ID is the repository id known from an earlier run, 0 when none; with
	// it the source asks by id, which costs no redirect for a renamed
	// repository.
	ID int64
	// ETag and LastModified are the validators of the cached data, empty
	// for an unconditional request.
	ETag         string
	LastModified string
}

// RepoResult is the outcome for one repository.
type RepoResult struct {
	// State is the source's answer: StateOK with Stats (or NotModified),
	// StateNotFound (404), StateUnavailable (451 or disabled, with Reason).
	State  State
	Reason string
	// Stats are the repository's data; nil when NotModified or not OK.
	Stats *RepoStats
	// NotModified is set when the server answered 304 to the validators.
	NotModified bool
	// ETag and LastModified are the validators that came with this answer.
	ETag         string
	LastModified string
	// Err is set when the repository could not be fetched this run.
	Err error
}

// PageResult is the outcome for one landing page.
type PageResult struct {
	// State is StateOK with Page, or StateNotFound for a 404 or 410.
	State State
	Page  *PageRecord
	Err   error
}
