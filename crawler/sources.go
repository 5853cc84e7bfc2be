package crawler

import (
	"context"
	"time"

	"github.com/paperlist/paperlist"
)

// ArxivSource fetches paper metadata from arXiv.
type ArxivSource interface {
	// FetchArxiv fetches the records of ids (bare ids, no versions, each
	// well formed and distinct) and calls emit once for every id whose
	// outcome is known, as soon as it is known, so that results can be saved
	// while the rest is still being fetched. emit is called from one
	// goroutine at a time. A returned error ends the source for this run:
	// the ids not yet emitted fail with it.
	FetchArxiv(ctx context.Context, ids []string, emit func(paperlist.ArxivResult)) error
}

// RepoSource fetches repository stats from GitHub.
type RepoSource interface {
	// FetchRepo fetches one repository. It is called from several
	// goroutines at once. Failures are reported in the result's Err.
	FetchRepo(ctx context.Context, req paperlist.RepoRequest) paperlist.RepoResult
}

// PageSource fetches what a paper's landing page says about it.
type PageSource interface {
	// FetchPage fetches and reads one landing page. It is called from
	// several goroutines at once.
	FetchPage(ctx context.Context, url string) paperlist.PageResult
}

// Cache is where the crawler keeps what it fetched between runs. A run
// reads what it needs of each kind at once, before it fetches, and hands
// what it fetched to Save from one goroutine, batched. Its reads are called
// from several goroutines at once: each source plans on its own.
type Cache interface {
	// ArxivEntries returns the entries of arXiv ids by id. RepoEntries
	// returns the entries of repositories by the names as given, each
	// looked up by the name as listed (following its alias to the
	// canonical record) or by its canonical name, in any case. PageEntries
	// returns the entries of landing pages by URL. What was never stored is
	// not in the map. An entry that cannot be read is left out and named
	// in the error, which comes with the map of all the others.
	ArxivEntries(ids []string) (map[string]*paperlist.Entry[paperlist.ArxivRecord], error)
	RepoEntries(names []string) (map[string]*paperlist.Entry[paperlist.RepoStats], error)
	PageEntries(urls []string) (map[string]*paperlist.Entry[paperlist.PageRecord], error)

	// Save stores everything in b at once: arXiv entries and pages under
	// their Key, each repository entry under its canonical name (from
	// Data.FullName, else Key) with its listed name as an alias, and each
	// star count for its canonical repository and UTC day, replacing any
	// count of that day. What cannot be stored is named in the error.
	Save(b *paperlist.CacheBatch) error

	// StarCounts returns, by canonical repository as given, the latest
	// star count stored on or before the UTC day of at; repositories with
	// none are not in the map. A count that cannot be read is left out and
	// named in the error, which comes with the map of all the others.
	StarCounts(repos []string, at time.Time) (map[string]int, error)
}

// RepoBatchSource is a RepoSource that can also fetch many repositories in
// one call, as GitHub's GraphQL API answers up to 100 in one query. When
// Options.Repos is one, the engine hands it the stale repositories in
// batches of at most MaxRepoBatch.
type RepoBatchSource interface {
	RepoSource
	// FetchRepos fetches the repositories of reqs and calls emit once for
	// every request whose outcome is known, with its index in reqs and its
	// result (failures in the result's Err), from one goroutine at a time.
	// A returned error is the error of the whole call: the requests not
	// yet emitted fail with it.
	FetchRepos(ctx context.Context, reqs []paperlist.RepoRequest, emit func(i int, res paperlist.RepoResult)) error
}

// MaxRepoBatch is the most repositories the engine hands a RepoBatchSource
// at once.
const MaxRepoBatch = 100
