package crawler

import (
	"errors"
	"fmt"
	"slices"
	"sync"

	"github.com/paperlist/paperlist"
)

// assemble makes the dataset from copies of the list's papers, fills them
// from the entries and finds their problems, a chunk of papers at a time.
// With Options.OnDemand, the records left in the cache are read for each
// chunk and dropped after it: the dataset's papers keep their problems,
// and its Enrich reads their records again as they are written.
func (r *run) assemble(list *paperlist.List, arxiv map[string]*item[paperlist.ArxivRecord],
	repos map[string]*item[paperlist.RepoStats], pages map[string]*item[paperlist.PageRecord],
	cites map[string]*item[paperlist.CitationRecord],
) *Report {
	rep := &Report{
		Dataset:    paperlist.NewDataset(r.copyList(list), r.now),
		FoundArxiv: map[string]int{},
		Entries:    len(list.Papers),
		Problems:   map[string]int{},
		Sources:    map[string]SourceStats{},
		Stopped:    r.stopped,
	}
	rec := &records{r: r, arxiv: arxiv, repos: repos, pages: pages, cites: cites}
	rec.starsGained()

	papers := rep.Dataset.Papers
	var held []paperlist.Held
	if r.opts.OnDemand {
		held = make([]paperlist.Held, len(papers))
	}
	for lo := 0; lo < len(papers); lo += paperlist.EnrichChunk {
		chunk := papers[lo:min(lo+paperlist.EnrichChunk, len(papers))]
		ld, err := rec.load(chunk, true)
		if err != nil {
			r.log.Warn("cache read failed while assembling", "err", err)
		}
		for i, p := range chunk {
			rep.tallyPaper(rec, ld, p)
			if r.opts.OnDemand {
				h := &held[lo+i]
				h.Arxiv, h.GitHub, h.Page = p.Arxiv != nil, p.GitHub != nil, p.Page != nil
				if p.GitHub != nil {
					h.Stars = p.GitHub.Stars
				}
				p.Arxiv, p.GitHub, p.Page = nil, nil, nil
			}
		}
	}
	if r.opts.OnDemand {
		rep.Dataset.Enrich, rep.Dataset.Held = rec.enrich, held
	}
	// The outputs read the records whole: what the checks read goes.
	for _, it := range arxiv {
		it.checked = nil
	}
	for _, it := range repos {
		it.checked = nil
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
		if name == SourceTitles {
			rep.Titles = s
			continue
		}
		rep.Sources[name] = s
	}
	return rep
}

// tallyPaper fills p with its records, checks it and counts it.
func (rep *Report) tallyPaper(rec *records, ld *loaded, p *paperlist.Paper) {
	var needs, there, live int
	if key, _ := arxivKey(p); key != "" {
		it := rec.arxiv[key]
		e := assemblyEntry(it, ld.arxiv)
		p.Arxiv = okData(e)
		checkArxiv(p, e)
		needs, there, live = tally(p, SourceArxiv, it, needs, there, live)
	}
	if key, _ := repoKey(p); key != "" {
		it := rec.repos[key]
		e := assemblyEntry(it, ld.repos)
		p.GitHub = rec.repoCopy(okData(e))
		paperlist.CheckRepo(p, e)
		needs, there, live = tally(p, SourceGitHub, it, needs, there, live)
	}
	if key, _ := pageKey(p); key != "" {
		it := rec.pages[key]
		e := entryOf(it, ld.pages)
		p.Page = okData(e)
		paperlist.CheckPage(p, e)
		needs, there, live = tally(p, SourcePages, it, needs, there, live)
	}
	if key, _ := citeKey(p); key != "" && rec.cites[key] != nil {
		it := rec.cites[key]
		// The paper keeps the few fields it shows, also with
		// Options.OnDemand: the record goes back to the cache.
		p.SetCitation(okData(entryOf(it, ld.cites)))
		needs, there, live = tally(p, SourceCitations, it, needs, there, live)
	}
	if p.Citations != nil {
		rep.WithCitations++
	}
	if s := p.ArxivIDSource; s != "" && s != paperlist.ArxivIDFromList {
		rep.FoundArxiv[s]++
	}
	if p.Arxiv != nil {
		rep.WithArxiv++
	}
	if p.GitHub != nil {
		rep.WithGitHub++
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

// checkArxiv records the problems of a paper's arXiv entry. An id the
// list does not give (found by Semantic Scholar or a title search) is no
// link of the list to check: of its problems only a withdrawal is the
// reader's concern; a title the published paper words otherwise, or an
// id arXiv no longer knows, is not the list's.
func checkArxiv(p *paperlist.Paper, e *paperlist.Entry[paperlist.ArxivRecord]) {
	if p.ArxivIDSource == paperlist.ArxivIDFromList {
		paperlist.CheckArxiv(p, e)
		return
	}
	scratch := paperlist.Paper{Title: p.Title, ArxivID: p.ArxivID}
	paperlist.CheckArxiv(&scratch, e)
	for _, pr := range scratch.Problems {
		if pr.Code == paperlist.ProblemArxivWithdrawn {
			p.Problems = append(p.Problems, pr)
		}
	}
}

// records are the entries of a run's records, some with their Data left in
// the cache, and the stars gained by each repository.
type records struct {
	r               *run
	arxiv           map[string]*item[paperlist.ArxivRecord]
	repos           map[string]*item[paperlist.RepoStats]
	pages           map[string]*item[paperlist.PageRecord]
	cites           map[string]*item[paperlist.CitationRecord] // nil when citations are off
	stars7, stars30 map[string]int                             // the star counts of 7 and 30 days ago, by canonical RepoKey
}

// loaded holds the entries read from the cache for a chunk of papers, by
// item key: the arXiv, repository and page entries and, while the papers
// are assembled, Semantic Scholar's.
type loaded struct {
	arxiv map[string]*paperlist.Entry[paperlist.ArxivRecord]
	repos map[string]*paperlist.Entry[paperlist.RepoStats]
	pages map[string]*paperlist.Entry[paperlist.PageRecord]
	cites map[string]*paperlist.Entry[paperlist.CitationRecord]
}

// load reads the entries that papers need and that were left in the cache;
// while the papers are assembled (assembling), of the arXiv records only
// what the checks read, when the cache can, and Semantic Scholar's records,
// whose fields the papers keep; as the outputs are written, the records
// whole.
func (rec *records) load(papers []*paperlist.Paper, assembling bool) (*loaded, error) {
	c := rec.r.cache
	arxiv := c.ArxivEntries
	if ac, ok := c.(arxivChecks); ok && assembling {
		arxiv = ac.ArxivChecks
	}
	// The arXiv records are read beside the others: the reads are most of
	// a warm run's assembly and of its writing, and the cache serves
	// readers at once.
	var (
		a    map[string]*paperlist.Entry[paperlist.ArxivRecord]
		errA error
		wg   sync.WaitGroup
	)
	wg.Go(func() { a, errA = loadEntries(papers, rec.arxiv, arxivKey, arxiv, assembling) })
	g, errG := loadEntries(papers, rec.repos, repoKey, c.RepoEntries, assembling)
	p, errP := loadEntries(papers, rec.pages, pageKey, c.PageEntries, assembling)
	var ct map[string]*paperlist.Entry[paperlist.CitationRecord]
	var errC error
	if assembling {
		ct, errC = loadEntries(papers, rec.cites, citeKey, rec.r.citationCache().CitationEntries, assembling)
	}
	wg.Wait()
	return &loaded{arxiv: a, repos: g, pages: p, cites: ct}, errors.Join(errA, errG, errP, errC)
}

// loadEntries reads with get the entries of papers' items left in the
// cache, by item key; while the papers are assembled, not those whose
// checked the plan took.
func loadEntries[T any](papers []*paperlist.Paper, items map[string]*item[T],
	keyOf func(*paperlist.Paper) (string, string),
	get func([]string) (map[string]*paperlist.Entry[T], error), assembling bool,
) (map[string]*paperlist.Entry[T], error) {
	var names []string
	byName := map[string]string{}
	for _, p := range papers {
		key, _ := keyOf(p)
		it := items[key]
		if key == "" || it == nil || !it.inCache || assembling && it.checked != nil {
			continue
		}
		if _, ok := byName[it.name]; !ok {
			byName[it.name] = key
			names = append(names, it.name)
		}
	}
	if len(names) == 0 {
		return nil, nil
	}
	entries, err := get(names)
	out := make(map[string]*paperlist.Entry[T], len(entries))
	for name, e := range entries {
		out[byName[name]] = e
	}
	return out, err
}

// entryOf is the item's entry, with its Data from ld when it was left in
// the cache (without Data when the cache no longer has it).
func entryOf[T any](it *item[T], ld map[string]*paperlist.Entry[T]) *paperlist.Entry[T] {
	if !it.inCache {
		return it.entry
	}
	if e := ld[it.key]; e != nil && e.State == it.entry.State {
		return e
	}
	return it.entry
}

// assemblyEntry is entryOf for the assembly: an item whose checked the
// plan took is not read again.
func assemblyEntry[T any](it *item[T], ld map[string]*paperlist.Entry[T]) *paperlist.Entry[T] {
	if it.inCache && it.checked != nil {
		return checkedEntry[T](it.checked)
	}
	return entryOf(it, ld)
}

// enrich is the dataset's Enrich: copies of papers with their records.
func (rec *records) enrich(papers []*paperlist.Paper) ([]*paperlist.Paper, error) {
	ld, err := rec.load(papers, false)
	if err != nil {
		return nil, fmt.Errorf("crawler: %w", err)
	}
	out := make([]*paperlist.Paper, len(papers))
	for i, p := range papers {
		c := *p
		if key, _ := arxivKey(p); key != "" {
			c.Arxiv = okData(entryOf(rec.arxiv[key], ld.arxiv))
		}
		if key, _ := repoKey(p); key != "" {
			c.GitHub = rec.repoCopy(okData(entryOf(rec.repos[key], ld.repos)))
		}
		if key, _ := pageKey(p); key != "" {
			c.Page = okData(entryOf(rec.pages[key], ld.pages))
		}
		out[i] = &c
	}
	return out, nil
}

// repoCopy is a copy of st with the stars gained over 7 and 30 days, where
// the star history reaches back that far; nil when st is. Repository
// records are copied as the gains are set on them; the arXiv and page
// records are shared by the papers that link them: no one changes them.
func (rec *records) repoCopy(st *paperlist.RepoStats) *paperlist.RepoStats {
	if st == nil {
		return nil
	}
	c := *st
	k := paperlist.RepoKey(st.FullName)
	if n, ok := rec.stars7[k]; ok {
		g := c.Stars - n
		c.Stars7d = &g
	}
	if n, ok := rec.stars30[k]; ok {
		g := c.Stars - n
		c.Stars30d = &g
	}
	return &c
}

// okData is the data of an entry in State ok, nil otherwise.
func okData[T any](e *paperlist.Entry[T]) *T {
	if e != nil && e.State == paperlist.StateOK {
		return e.Data
	}
	return nil
}

// copyList returns a copy of l whose papers are copies of l's, each with a
// problem list of its own and the arXiv id found for it, so that filling
// them leaves l as it was; with Options.FillList, l's own papers are
// filled.
func (r *run) copyList(l *paperlist.List) *paperlist.List {
	c := *l
	c.Papers = make([]*paperlist.Paper, len(l.Papers))
	for i, p := range l.Papers {
		res := r.resolved(p)
		cp := p
		if r.opts.FillList {
			p.ArxivID, p.ArxivIDSource = res.ArxivID, res.ArxivIDSource
		} else {
			cp = new(paperlist.Paper)
			*cp = *res
			cp.Problems = slices.Clone(p.Problems)
		}
		if cp.ArxivIDSource == "" && cp.ArxivID != "" {
			cp.ArxivIDSource = paperlist.ArxivIDFromList
		}
		c.Papers[i] = cp
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

// starsGained reads the star counts of 7 and 30 days ago of every
// repository with stats from the star history.
func (rec *records) starsGained() {
	var names []string
	for _, it := range rec.repos {
		if st := okData(it.entry); st != nil {
			names = append(names, paperlist.RepoKey(st.FullName))
		} else if it.starName != "" {
			names = append(names, it.starName)
		}
	}
	if len(names) == 0 {
		return
	}
	r := rec.r
	var err error
	if rec.stars7, err = r.cache.StarCounts(names, r.now.AddDate(0, 0, -7)); err != nil {
		r.log.Warn("star history unreadable", "days", 7, "err", err)
	}
	if rec.stars30, err = r.cache.StarCounts(names, r.now.AddDate(0, 0, -30)); err != nil {
		r.log.Warn("star history unreadable", "days", 30, "err", err)
	}
}
