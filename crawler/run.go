package crawler

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/paperlist/paperlist"
)

// Source names, as used in Progress calls and in the Report.
const (
	SourceArxiv  = "arxiv"
	SourceGitHub = "github"
	SourcePages  = "pages"
)

// DefaultWorkers is the GitHub and landing-page fan-out when
// Options.Workers is zero.
const DefaultWorkers = 4

// Options configure one run.
type Options struct {
	// Arxiv, Repos and Pages are the sources; a nil source fetches nothing,
	// and its records come from the cache alone.
	Arxiv ArxivSource
	Repos RepoSource
	Pages PageSource
	// Citations is Semantic Scholar; nil turns citations off, except
	// Offline, where they come from the cache. Titles finds the arXiv id
	// of a paper the list links elsewhere or not at all by its title; nil
	// searches nothing (Offline: the searches remembered are used).
	Citations CitationSource
	Titles    TitleSource
	// NoCitations turns Semantic Scholar off altogether, offline too: no
	// field of a paper comes from its records, cached or fetched, and no
	// arXiv id its records name is used (the title searches' ids are).
	NoCitations bool
	// Cache holds what earlier runs fetched and receives what this run
	// fetches. Nil means nothing is cached: every record is fetched and
	// kept for this run only.
	Cache Cache
	// ArxivMaxAge, GitHubMaxAge and PageMaxAge say how long an answer stays
	// fresh. They are used as given: zero makes everything stale (refetched,
	// conditionally where validators are cached).
	ArxivMaxAge, GitHubMaxAge, PageMaxAge time.Duration
	// CitationMaxAge says how long Semantic Scholar's records stay fresh;
	// the title searches stay fresh for ArxivMaxAge.
	CitationMaxAge time.Duration
	// Workers is how many repositories and how many landing pages are
	// fetched at once (DefaultWorkers when zero).
	Workers int
	// Offline fetches nothing: the dataset is assembled from the cache.
	Offline bool
	// OnDemand leaves the records out of the dataset's papers, which keep
	// their problems: the Report's Dataset.Enrich reads the records from
	// the cache as the writers ask for them, a chunk of papers at a time,
	// so that a run holds the list, the state of each record and a chunk
	// rather than every record twice. The cache must stay open until the
	// dataset is written.
	OnDemand bool
	// FillList lets the run fill the list's own papers rather than copies
	// of them: the caller gives the list away (a command that only writes
	// the dataset), and the run holds one set of papers, not two.
	FillList bool
	// Now is the clock (time.Now when nil).
	Now func() time.Time
	// Progress is told how fetching goes; nil means no one is.
	Progress Progress
	// Logger gets a Debug line per fetch and a Warn line per stopped
	// source; nil discards them.
	Logger *slog.Logger
}

// Progress follows the fetching of each source.
type Progress interface {
	// Start is called once per source that fetches, with the number of
	// records it is going to fetch.
	Start(source string, total int)
	// Advance is called as n more records of the source are finished,
	// fetched or failed.
	Advance(source string, n int)
	// Done is called when the source has finished.
	Done(source string)
}

// StopProgress is a Progress that is also told when a source stops before
// the end of the run (before its Done), so that it can show it stopped
// rather than finished.
type StopProgress interface {
	Progress
	Stopped(source string)
}

// Report is the outcome of a run.
type Report struct {
	// Dataset is the list with every paper enriched from the cache: its
	// papers are copies of the list's, which Run leaves untouched.
	Dataset *paperlist.Dataset
	// Entries is the number of papers. Each falls in one of: FromNetwork
	// (every record it needs is there, and a source answered for at least
	// one of them this run), FromCache (every record it needs is there,
	// all from the cache), Missing (some record it needs is not there:
	// never fetched, failed, skipped) and NoLinks (no arXiv id, repository
	// or landing page to fetch). A record "is there" when a source has
	// answered for it, with data or a permanent answer such as not found.
	Entries, FromNetwork, FromCache, Missing, NoLinks int
	// WithArxiv and WithGitHub count the papers with arXiv metadata and
	// with repository stats.
	WithArxiv, WithGitHub int
	// WithCitations counts the papers with Semantic Scholar's counts;
	// FoundArxiv the papers whose arXiv id was found, by
	// Paper.ArxivIDSource (semantic_scholar, title_search).
	WithCitations int
	FoundArxiv    map[string]int
	// Titles has the counts of the title searches: a title is Fresh when
	// its answer is remembered, Fetched when arXiv answered this run.
	// They go to arXiv's host, whose stop is SourceArxiv's.
	Titles SourceStats
	// Problems counts the problems of all papers by code, those the list
	// parser found included.
	Problems map[string]int
	// Sources has the counts of each source by name (SourceArxiv, …).
	Sources map[string]SourceStats
	// Stopped gives, by source name, why a source stopped before the end
	// of the run (its host asked for a wait longer than the max wait, or it
	// gave up).
	Stopped map[string]string
	// Interrupted is set when the run's context was cancelled before every
	// fetch was made.
	Interrupted bool
	// Elapsed is how long the run took.
	Elapsed time.Duration
}

// SourceStats are the counts of one source in a run. Planned is the number
// of distinct records the list needs; each is Fresh (cached and within max
// age), Fetched (a full or permanent answer), NotModified (a 304), Failed,
// or Skipped (stale but not fetched: offline, no source, or interrupted).
type SourceStats struct {
	Planned, Fresh, Fetched, NotModified, Failed, Skipped int
}

// Partial reports whether some entry lacks a record because a fetch it
// needed failed this run (the problem fetch_failed) or its cached record
// cannot be decoded (cache_unreadable).
func (r *Report) Partial() bool {
	return r.Problems[paperlist.ProblemFetchFailed] > 0 || r.Problems[paperlist.ProblemCacheUnreadable] > 0
}

// Incomplete says why the run needs a maintainer's look, or "" when it
// does not. A failure that belongs to one entry (a page that refuses, a
// repository that errors) is a problem on that entry, not an incomplete
// run. A run is incomplete when a source stopped before the end (host
// down, quota used up, a wait longer than the max wait) or when it asked
// the network for records and got not one answer.
func (r *Report) Incomplete() string {
	if len(r.Stopped) > 0 {
		names := make([]string, 0, len(r.Stopped))
		for name := range r.Stopped {
			names = append(names, name)
		}
		slices.Sort(names)
		return "stopped early: " + strings.Join(names, ", ")
	}
	answered, failed := 0, 0
	for _, st := range r.Sources {
		answered += st.Fetched + st.NotModified
		failed += st.Failed
	}
	if failed > 0 && answered == 0 {
		return fmt.Sprintf("no fetch got an answer (%d failed)", failed)
	}
	return ""
}

// run is the state of one Run.
type run struct {
	opts  Options
	cache Cache
	now   time.Time
	log   *slog.Logger

	saver *saver
	// found are the arXiv ids found for papers of the list without one,
	// by paper: written by the Semantic Scholar stage and then the title
	// searches, each before the next stage starts; read-only after.
	found map[*paperlist.Paper]foundID

	mu      sync.Mutex
	sources map[string]*SourceStats
	stopped map[string]string
}

// Run fetches what the list needs and is missing or stale in the cache,
// saves every result as it arrives, and assembles the dataset from the list
// and the cache. The list is left as it is: the dataset holds copies of its
// papers, with their records and problems added, so a list can be run
// again.
//
// A failing record never aborts the run: a transient failure keeps the
// cached data and records the failure on the entry; a record with nothing
// cached gets the problem fetch_failed. A permanent answer (not found,
// unavailable) is cached as the entry's State; the entry keeps its old Data
// for reference, but the dataset shows records in State ok only.
//
// When ctx is cancelled, no new fetch starts, what came back is saved, and
// the Report is assembled and returned with Interrupted set and a nil
// error. The error is non-nil only when results could not be saved to the
// cache; the Report is complete then too.
func Run(ctx context.Context, list *paperlist.List, opts Options) (*Report, error) {
	if list == nil {
		return nil, errors.New("crawler: no list")
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.Workers <= 0 {
		opts.Workers = DefaultWorkers
	}
	start := time.Now()
	r := &run{
		opts:    opts,
		cache:   opts.Cache,
		now:     opts.Now(),
		log:     opts.Logger,
		sources: map[string]*SourceStats{SourceArxiv: {}, SourceGitHub: {}, SourcePages: {}, SourceCitations: {}, SourceTitles: {}},
		stopped: map[string]string{},
		found:   map[*paperlist.Paper]foundID{},
	}
	if r.cache == nil {
		r.cache = noCache{}
	}
	if r.log == nil {
		r.log = slog.New(slog.DiscardHandler)
	}

	r.saver = startSaver(r.cache, r.log)
	var wg sync.WaitGroup
	var (
		arxivItems map[string]*item[paperlist.ArxivRecord]
		citeItems  map[string]*item[paperlist.CitationRecord]
		repoItems  map[string]*item[paperlist.RepoStats]
		pageItems  map[string]*item[paperlist.PageRecord]
	)
	// Semantic Scholar, the title searches and arXiv, in the order the
	// ids they find need; GitHub and the pages beside them: four hosts.
	// Each source plans on its own too: a plan reads the cache, which
	// serves readers at once, and the plans of a rerun are most of it.
	wg.Go(func() { arxivItems, citeItems = r.papers(ctx, list) })
	wg.Go(func() {
		var order []*item[paperlist.RepoStats]
		repoItems, order = plan(r, list, SourceGitHub, repoKey, r.cache.RepoEntries, opts.GitHubMaxAge)
		if !opts.Offline && opts.Repos != nil {
			r.fetchRepos(ctx, order)
		}
	})
	wg.Go(func() {
		var order []*item[paperlist.PageRecord]
		pageItems, order = plan(r, list, SourcePages, pageKey, r.cache.PageEntries, opts.PageMaxAge)
		if !opts.Offline && opts.Pages != nil {
			fanOut(ctx, r, SourcePages, order, r.fetchPage)
		}
	})
	wg.Wait()
	// Everything fetched is committed before the dataset is assembled,
	// cancelled or not.
	saveErr := r.saver.close()

	rep := r.assemble(list, arxivItems, repoItems, pageItems, citeItems)
	rep.Interrupted = ctx.Err() != nil
	rep.Elapsed = time.Since(start)
	if saveErr != nil {
		return rep, fmt.Errorf("crawler: results not saved: %w", saveErr)
	}
	return rep, nil
}

func (r *run) count(source string, f func(*SourceStats)) {
	r.mu.Lock()
	f(r.sources[source])
	r.mu.Unlock()
}

func (r *run) stop(source string, err error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if _, ok := r.stopped[source]; ok {
		return
	}
	r.stopped[source] = err.Error()
	if p, ok := r.opts.Progress.(StopProgress); ok {
		p.Stopped(source)
	}
	// Debug: the caller's summary says it once, with the entries it leaves.
	r.log.Debug("source stopped for this run", "source", source, "err", err)
}

func (r *run) start(source string, total int) {
	if r.opts.Progress != nil {
		r.opts.Progress.Start(source, total)
	}
}

func (r *run) advance(source string) {
	if r.opts.Progress != nil {
		r.opts.Progress.Advance(source, 1)
	}
}

func (r *run) done(source string) {
	if r.opts.Progress != nil {
		r.opts.Progress.Done(source)
	}
}
