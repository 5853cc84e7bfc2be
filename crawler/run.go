package crawler

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"slices"
	"sync"
	"time"

	"golang.org/x/sync/errgroup"

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
	// Cache holds what earlier runs fetched and receives what this run
	// fetches. Nil means nothing is cached: every record is fetched and
	// kept for this run only.
	Cache Cache
	// ArxivMaxAge, GitHubMaxAge and PageMaxAge say how long an answer stays
	// fresh. They are used as given: zero makes everything stale (refetched,
	// conditionally where validators are cached).
	ArxivMaxAge, GitHubMaxAge, PageMaxAge time.Duration
	// Workers is how many repositories and how many landing pages are
	// fetched at once (DefaultWorkers when zero).
	Workers int
	// Offline fetches nothing: the dataset is assembled from the cache.
	Offline bool
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

// item is one distinct record a run needs: an arXiv id, a repository, a
// landing page.
type item[T any] struct {
	key   string // arXiv id, RepoKey of the listed name, URL
	name  string // the repository name as first listed
	entry *paperlist.Entry[T]
	stale bool
	// answered is set when the source answered this run; failed when the
	// fetch failed this run.
	answered bool
	failed   *paperlist.Failure
	// unreadable is set when the cache holds a record that it could not
	// decode.
	unreadable bool
}

// fail records a failed fetch on the item: the failure, and the entry
// with it.
func (it *item[T]) fail(err error, now time.Time) {
	it.failed = failure(err, now)
	it.entry = it.entry.WithFailure(it.key, it.failed)
}

// run is the state of one Run.
type run struct {
	opts  Options
	cache Cache
	now   time.Time
	log   *slog.Logger

	saver *saver

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
		sources: map[string]*SourceStats{SourceArxiv: {}, SourceGitHub: {}, SourcePages: {}},
		stopped: map[string]string{},
	}
	if r.cache == nil {
		r.cache = noCache{}
	}
	if r.log == nil {
		r.log = slog.New(slog.DiscardHandler)
	}

	arxivItems, arxivOrder := plan(r, list, SourceArxiv, arxivKey, r.cache.ArxivEntries, opts.ArxivMaxAge)
	repoItems, repoOrder := plan(r, list, SourceGitHub, repoKey, r.cache.RepoEntries, opts.GitHubMaxAge)
	pageItems, pageOrder := plan(r, list, SourcePages, pageKey, r.cache.PageEntries, opts.PageMaxAge)

	r.saver = startSaver(r.cache, r.log)
	var wg sync.WaitGroup
	if !opts.Offline && opts.Arxiv != nil {
		wg.Go(func() { r.fetchArxiv(ctx, arxivItems, arxivOrder) })
	}
	if !opts.Offline && opts.Repos != nil {
		wg.Go(func() { fanOut(ctx, r, SourceGitHub, repoOrder, r.fetchRepo) })
	}
	if !opts.Offline && opts.Pages != nil {
		wg.Go(func() { fanOut(ctx, r, SourcePages, pageOrder, r.fetchPage) })
	}
	wg.Wait()
	// Everything fetched is committed before the dataset is assembled,
	// cancelled or not.
	saveErr := r.saver.close()

	rep := r.assemble(list, arxivItems, repoItems, pageItems)
	rep.Interrupted = ctx.Err() != nil
	rep.Elapsed = time.Since(start)
	if saveErr != nil {
		return rep, fmt.Errorf("crawler: results not saved: %w", saveErr)
	}
	return rep, nil
}

// Keys of the records a paper needs from each source; "" when it needs
// none.
func arxivKey(p *paperlist.Paper) (key, name string) {
	if !paperlist.ValidArxivID(p.ArxivID) {
		return "", ""
	}
	return p.ArxivID, p.ArxivID
}

func repoKey(p *paperlist.Paper) (key, name string) {
	if p.Repo == "" {
		return "", ""
	}
	return paperlist.RepoKey(p.Repo), p.Repo
}

func pageKey(p *paperlist.Paper) (key, name string) {
	if p.ArxivID != "" || !paperlist.IsHTTPURL(p.PaperURL) {
		return "", ""
	}
	u, err := url.Parse(p.PaperURL)
	if err != nil || paperlist.IsArxivHost(u.Hostname()) {
		return "", ""
	}
	return p.PaperURL, p.PaperURL
}

// plan collects the distinct records of one source that the list needs,
// in list order, with their cached entries, read at once by get.
func plan[T any](r *run, list *paperlist.List, source string,
	keyOf func(*paperlist.Paper) (string, string),
	get func([]string) (map[string]*paperlist.Entry[T], error), maxAge time.Duration,
) (map[string]*item[T], []*item[T]) {
	items := map[string]*item[T]{}
	var order []*item[T]
	var names []string
	for _, p := range list.Papers {
		key, name := keyOf(p)
		if key == "" || items[key] != nil {
			continue
		}
		it := &item[T]{key: key, name: name}
		items[key] = it
		order = append(order, it)
		names = append(names, name)
	}
	if len(names) == 0 {
		return items, order
	}
	entries, err := get(names)
	if err != nil {
		// What could not be read is not in entries: it is fetched again,
		// and is a problem of its papers when it is not.
		r.log.Warn("cache read failed; fetching again what could not be read", "source", source, "err", err)
	}
	if ue := (*paperlist.UnreadableError)(nil); errors.As(err, &ue) {
		byName := make(map[string]*item[T], len(order))
		for _, it := range order {
			byName[it.name] = it
		}
		for _, name := range ue.Names {
			if it := byName[name]; it != nil {
				it.unreadable = true
			}
		}
	}
	st := r.sources[source]
	for _, it := range order {
		it.entry = entries[it.name]
		it.stale = !it.entry.Fresh(r.now, maxAge)
		st.Planned++
		if !it.stale {
			st.Fresh++
		}
	}
	return items, order
}

// fetchArxiv asks the arXiv source for every stale id in one call and
// saves each result as it is emitted.
func (r *run) fetchArxiv(ctx context.Context, items map[string]*item[paperlist.ArxivRecord], order []*item[paperlist.ArxivRecord]) {
	var ids []string
	for _, it := range order {
		if it.stale {
			ids = append(ids, it.key)
		}
	}
	r.start(SourceArxiv, len(ids))
	defer r.done(SourceArxiv)
	if len(ids) == 0 {
		return
	}
	var mu sync.Mutex // emit may be called from changing goroutines
	emitted := map[string]bool{}
	err := r.opts.Arxiv.FetchArxiv(ctx, ids, func(res paperlist.ArxivResult) {
		mu.Lock()
		defer mu.Unlock()
		it := items[res.ID]
		if it == nil || !it.stale || emitted[res.ID] {
			r.log.Debug("unexpected arxiv result", "id", res.ID)
			return
		}
		emitted[res.ID] = true
		r.arxivResult(ctx, it, res)
		r.advance(SourceArxiv)
	})
	mu.Lock()
	defer mu.Unlock()
	if err != nil && !interrupted(ctx, err) {
		r.stop(SourceArxiv, err)
	}
	for _, id := range ids {
		if emitted[id] {
			continue
		}
		res := paperlist.ArxivResult{ID: id, Err: err}
		switch {
		case res.Err != nil:
		case ctx.Err() != nil:
			res.Err = ctx.Err()
		default:
			res.Err = errors.New("arxiv: no answer for this id")
		}
		r.arxivResult(ctx, items[id], res)
	}
}

func (r *run) arxivResult(ctx context.Context, it *item[paperlist.ArxivRecord], res paperlist.ArxivResult) {
	switch {
	case res.Err != nil:
		r.failed(ctx, SourceArxiv, it.key, res.Err, func() { it.fail(res.Err, r.now) })
		if it.failed == nil {
			return
		}
	case res.NotFound:
		it.entry = it.entry.WithPermanent(it.key, paperlist.StateNotFound, "", r.now)
		r.answered(SourceArxiv, it.key, "not found", false)
	case res.Record != nil:
		rec := *res.Record
		rec.FetchedAt = r.now
		if rec.ID == "" {
			rec.ID = it.key
		}
		it.entry = it.entry.WithData(it.key, &rec, "", "", r.now)
		r.answered(SourceArxiv, it.key, "ok", false)
	default:
		err := fmt.Errorf("arxiv: empty result: %w", paperlist.ErrInvalidResponse)
		it.fail(err, r.now)
		r.count(SourceArxiv, func(s *SourceStats) { s.Failed++ })
	}
	it.answered = it.failed == nil
	e := it.entry
	r.saver.add(func(b *paperlist.CacheBatch) { b.Arxiv = append(b.Arxiv, e) })
}

// fanOut fetches the stale items of a source with at most Workers at once.
func fanOut[T any](ctx context.Context, r *run, source string, order []*item[T],
	fetch func(context.Context, *item[T]),
) {
	var stale []*item[T]
	for _, it := range order {
		if it.stale {
			stale = append(stale, it)
		}
	}
	r.start(source, len(stale))
	defer r.done(source)
	var g errgroup.Group
	g.SetLimit(r.opts.Workers)
	for _, it := range stale {
		if ctx.Err() != nil {
			break
		}
		g.Go(func() error {
			if ctx.Err() == nil {
				fetch(ctx, it)
				r.advance(source)
			}
			return nil
		})
	}
	_ = g.Wait()
}

func (r *run) fetchRepo(ctx context.Context, it *item[paperlist.RepoStats]) {
	req := paperlist.RepoRequest{Name: it.name}
	old := it.entry
	if old != nil && old.State == paperlist.StateOK && old.Data != nil {
		req.ID = old.Data.ID
		req.ETag, req.LastModified = old.ETag, old.LastModified
	}
	res := r.opts.Repos.FetchRepo(ctx, req)
	switch {
	case res.Err != nil:
		r.failed(ctx, SourceGitHub, it.key, res.Err, func() { it.fail(res.Err, r.now) })
		if it.failed == nil {
			return
		}
	case res.NotModified && (old == nil || old.Data == nil):
		it.fail(fmt.Errorf("github: 304 without cached data: %w", paperlist.ErrInvalidResponse), r.now)
		r.count(SourceGitHub, func(s *SourceStats) { s.Failed++ })
	case res.NotModified:
		it.entry = old.WithNotModified(r.now)
		r.answered(SourceGitHub, it.key, "not modified", true)
	case res.State == paperlist.StateOK && res.Stats != nil:
		st := *res.Stats
		st.FetchedAt = r.now
		key := it.key
		if st.FullName != "" {
			key = paperlist.RepoKey(st.FullName)
		}
		it.entry = old.WithData(key, &st, res.ETag, res.LastModified, r.now)
		r.answered(SourceGitHub, it.key, "ok", false)
	case res.State == paperlist.StateNotFound || res.State == paperlist.StateUnavailable:
		it.entry = old.WithPermanent(it.key, res.State, res.Reason, r.now)
		if res.Stats != nil {
			// A disabled repository still has its stats: keep the fresh ones.
			st := *res.Stats
			st.FetchedAt = r.now
			it.entry.Data = &st
		}
		r.answered(SourceGitHub, it.key, string(res.State), false)
	default:
		err := fmt.Errorf("github: result in state %q without stats: %w", res.State, paperlist.ErrInvalidResponse)
		it.fail(err, r.now)
		r.count(SourceGitHub, func(s *SourceStats) { s.Failed++ })
	}
	it.answered = it.failed == nil
	e := it.entry
	var stars []paperlist.StarCount
	if it.answered && e.State == paperlist.StateOK && e.Data != nil {
		stars = append(stars, paperlist.StarCount{Repo: paperlist.RepoKey(e.Data.FullName), At: r.now, Stars: e.Data.Stars})
	}
	r.saver.add(func(b *paperlist.CacheBatch) {
		b.Repos = append(b.Repos, paperlist.ListedRepo{Name: it.name, Entry: e})
		b.Stars = append(b.Stars, stars...)
	})
}

func (r *run) fetchPage(ctx context.Context, it *item[paperlist.PageRecord]) {
	res := r.opts.Pages.FetchPage(ctx, it.key)
	switch {
	case res.Err != nil:
		r.failed(ctx, SourcePages, it.key, res.Err, func() { it.fail(res.Err, r.now) })
		if it.failed == nil {
			return
		}
	case res.State == paperlist.StateOK && res.Page != nil:
		page := *res.Page
		page.FetchedAt = r.now
		if page.URL == "" {
			page.URL = it.key
		}
		it.entry = it.entry.WithData(it.key, &page, "", "", r.now)
		r.answered(SourcePages, it.key, "ok", false)
	case res.State == paperlist.StateNotFound || res.State == paperlist.StateUnavailable:
		it.entry = it.entry.WithPermanent(it.key, res.State, "", r.now)
		r.answered(SourcePages, it.key, string(res.State), false)
	default:
		err := fmt.Errorf("pages: result in state %q without a page: %w", res.State, paperlist.ErrInvalidResponse)
		it.fail(err, r.now)
		r.count(SourcePages, func(s *SourceStats) { s.Failed++ })
	}
	it.answered = it.failed == nil
	e := it.entry
	r.saver.add(func(b *paperlist.CacheBatch) { b.Pages = append(b.Pages, e) })
}

// failed handles a fetch error: one caused by the run being interrupted is
// no failure of the source and leaves the entry alone (the record counts as
// skipped, see assemble); any other is recorded by record and counted.
func (r *run) failed(ctx context.Context, source, key string, err error, record func()) {
	if interrupted(ctx, err) {
		return
	}
	record()
	r.count(source, func(s *SourceStats) { s.Failed++ })
	r.log.Debug("fetch failed", "source", source, "key", key, "kind", failureKind(err), "err", err)
	if errors.Is(err, ErrWaitTooLong) || errors.Is(err, ErrHostDown) {
		r.stop(source, err)
	}
}

func (r *run) answered(source, key, outcome string, notModified bool) {
	r.count(source, func(s *SourceStats) {
		if notModified {
			s.NotModified++
		} else {
			s.Fetched++
		}
	})
	r.log.Debug("fetched", "source", source, "key", key, "outcome", outcome)
}

func (r *run) stop(source string, err error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if _, ok := r.stopped[source]; ok {
		return
	}
	r.stopped[source] = err.Error()
	r.log.Warn("source stopped for this run", "source", source, "err", err)
}

func (r *run) count(source string, f func(*SourceStats)) {
	r.mu.Lock()
	f(r.sources[source])
	r.mu.Unlock()
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

// interrupted reports whether err comes from the run being cancelled.
func interrupted(ctx context.Context, err error) bool {
	return ctx.Err() != nil && (errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded))
}

// failureKind classifies a fetch error for the cache.
func failureKind(err error) string {
	switch {
	case errors.Is(err, ErrWaitTooLong):
		return paperlist.FailureRateLimit
	case errors.Is(err, paperlist.ErrInvalidResponse):
		return paperlist.FailureInvalid
	case errors.Is(err, paperlist.ErrRejected):
		return paperlist.FailureRejected
	default:
		return paperlist.FailureTransient
	}
}

// failure is the record of a failed fetch: its kind, its message and, when
// the error tells, how many attempts were made.
func failure(err error, now time.Time) *paperlist.Failure {
	f := &paperlist.Failure{Kind: failureKind(err), Message: err.Error(), At: now}
	var a interface{ Attempts() int }
	if errors.As(err, &a) {
		f.Attempts = a.Attempts()
	}
	return f
}

// assemble makes the dataset from copies of the list's papers, fills them
// from the entries and finds their problems.
func (r *run) assemble(list *paperlist.List, arxiv map[string]*item[paperlist.ArxivRecord],
	repos map[string]*item[paperlist.RepoStats], pages map[string]*item[paperlist.PageRecord],
) *Report {
	rep := &Report{
		Dataset:  paperlist.NewDataset(copyList(list), r.now),
		Entries:  len(list.Papers),
		Problems: map[string]int{},
		Sources:  map[string]SourceStats{},
		Stopped:  r.stopped,
	}
	arxivRecs := map[string]*paperlist.ArxivRecord{}
	for k, it := range arxiv {
		if e := it.entry; e != nil && e.State == paperlist.StateOK && e.Data != nil {
			rec := *e.Data
			arxivRecs[k] = &rec
		}
	}
	repoRecs := map[string]*paperlist.RepoStats{}
	for k, it := range repos {
		if e := it.entry; e != nil && e.State == paperlist.StateOK && e.Data != nil {
			st := *e.Data
			repoRecs[k] = &st
		}
	}
	r.starsGained(repoRecs)
	pageRecs := map[string]*paperlist.PageRecord{}
	for k, it := range pages {
		if e := it.entry; e != nil && e.State == paperlist.StateOK && e.Data != nil {
			page := *e.Data
			pageRecs[k] = &page
		}
	}

	for _, p := range rep.Dataset.Papers {
		var needs, there, live int
		if key, _ := arxivKey(p); key != "" {
			it := arxiv[key]
			p.Arxiv = arxivRecs[key]
			paperlist.CheckArxiv(p, it.entry)
			needs, there, live = tally(p, SourceArxiv, it, needs, there, live)
		}
		if key, _ := repoKey(p); key != "" {
			it := repos[key]
			p.GitHub = repoRecs[key]
			paperlist.CheckRepo(p, it.entry)
			needs, there, live = tally(p, SourceGitHub, it, needs, there, live)
		}
		if key, _ := pageKey(p); key != "" {
			it := pages[key]
			p.Page = pageRecs[key]
			paperlist.CheckPage(p, it.entry)
			needs, there, live = tally(p, SourcePages, it, needs, there, live)
		}
		switch {
		case needs == 0:
			rep.NoLinks++
		case there < needs:
			rep.Missing++
		case live > 0:
			rep.FromNetwork++
		default:
			rep.FromCache++
		}
		for _, pr := range p.Problems {
			rep.Problems[pr.Code]++
		}
	}

	r.mu.Lock()
	defer r.mu.Unlock()
	for name, st := range r.sources {
		if st.Planned == 0 {
			continue
		}
		s := *st
		// A stale record that was neither answered nor failed was not
		// fetched at all.
		s.Skipped = s.Planned - s.Fresh - s.Fetched - s.NotModified - s.Failed
		rep.Sources[name] = s
	}
	return rep
}

// copyList returns a copy of l whose papers are copies of l's, each with a
// problem list of its own, so that filling them leaves l as it was.
func copyList(l *paperlist.List) *paperlist.List {
	c := *l
	c.Papers = make([]*paperlist.Paper, len(l.Papers))
	for i, p := range l.Papers {
		cp := *p
		cp.Problems = slices.Clone(p.Problems)
		c.Papers[i] = &cp
	}
	return &c
}

// tally counts one record of a paper and adds fetch_failed when a fetch it
// needed failed this run and nothing was cached.
func tally[T any](p *paperlist.Paper, source string, it *item[T], needs, there, live int) (int, int, int) {
	needs++
	if it.entry.Answered() {
		there++
		if it.answered {
			live++
		}
	} else if it.failed != nil {
		p.AddProblem(paperlist.ProblemFetchFailed, fmt.Sprintf("%s: %s: %s", source, it.failed.Kind, it.failed.Message))
	} else if it.unreadable {
		p.AddProblem(paperlist.ProblemCacheUnreadable, fmt.Sprintf("%s: the cached record of %s cannot be decoded and was not fetched again", source, it.name))
	}
	return needs, there, live
}

// starsGained sets the stars gained over 7 and 30 days of each
// repository from the star history, where it reaches back that far.
func (r *run) starsGained(recs map[string]*paperlist.RepoStats) {
	if len(recs) == 0 {
		return
	}
	names := make([]string, 0, len(recs))
	for _, st := range recs {
		names = append(names, paperlist.RepoKey(st.FullName))
	}
	for _, span := range []struct {
		days int
		set  func(st *paperlist.RepoStats, gained int)
	}{
		{7, func(st *paperlist.RepoStats, gained int) { st.Stars7d = &gained }},
		{30, func(st *paperlist.RepoStats, gained int) { st.Stars30d = &gained }},
	} {
		then, err := r.cache.StarCounts(names, r.now.AddDate(0, 0, -span.days))
		if err != nil {
			r.log.Warn("star history unreadable", "days", span.days, "err", err)
		}
		for _, st := range recs {
			if n, ok := then[paperlist.RepoKey(st.FullName)]; ok {
				span.set(st, st.Stars-n)
			}
		}
	}
}

// saver commits what a run fetched to the cache from one goroutine.
// Workers hand their results to add and move on; whenever the saver is
// free, it takes everything queued so far and commits it with one Save, so
// commits batch themselves as results arrive faster than the cache syncs,
// and nothing waits longer than the commit before it.
type saver struct {
	cache Cache
	log   *slog.Logger
	wake  chan struct{} // a pending commit, at most one
	done  chan struct{} // closed when the last commit has returned

	mu     sync.Mutex
	queued paperlist.CacheBatch
	failed error // the first failed commit; read after done
}

func startSaver(cache Cache, log *slog.Logger) *saver {
	s := &saver{cache: cache, log: log, wake: make(chan struct{}, 1), done: make(chan struct{})}
	go s.loop()
	return s
}

// add queues records for the next commit: queue appends them to the
// batch.
func (s *saver) add(queue func(*paperlist.CacheBatch)) {
	s.mu.Lock()
	queue(&s.queued)
	s.mu.Unlock()
	select {
	case s.wake <- struct{}{}:
	default:
		// A commit is pending already; it will take these records too.
	}
}

func (s *saver) loop() {
	defer close(s.done)
	for range s.wake {
		s.commit()
	}
	s.commit()
}

func (s *saver) commit() {
	s.mu.Lock()
	b := s.queued
	s.queued = paperlist.CacheBatch{}
	s.mu.Unlock()
	// After a failed commit (a full disk, an I/O error) the next ones
	// would fail the same way, once per batch: the rest of the run is
	// not saved, and the failure is told once.
	if b.Len() == 0 || s.failed != nil {
		return
	}
	if err := s.cache.Save(&b); err != nil {
		s.log.Warn("cache write failed; not saving the rest of this run", "records", b.Len(), "err", err)
		s.failed = err
	}
}

// close commits what is still queued and returns the error of the first
// failed commit once the last has returned. No add may follow.
func (s *saver) close() error {
	close(s.wake)
	<-s.done
	return s.failed
}

// noCache is the Cache of a run without one: nothing is stored.
type noCache struct{}

func (noCache) ArxivEntries([]string) (map[string]*paperlist.Entry[paperlist.ArxivRecord], error) {
	return nil, nil
}

func (noCache) RepoEntries([]string) (map[string]*paperlist.Entry[paperlist.RepoStats], error) {
	return nil, nil
}

func (noCache) PageEntries([]string) (map[string]*paperlist.Entry[paperlist.PageRecord], error) {
	return nil, nil
}

func (noCache) Save(*paperlist.CacheBatch) error { return nil }

func (noCache) StarCounts([]string, time.Time) (map[string]int, error) { return nil, nil }
