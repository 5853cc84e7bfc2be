package crawler

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"

	"github.com/paperlist/paperlist"
)

// Source names of the third source and of the title searches, as used in
// Progress calls and in the Report.
const (
	SourceCitations = "semantic_scholar"
	SourceTitles    = "title_search"
)

// CitationSource fetches citation counts, venues and ids from Semantic
// Scholar.
type CitationSource interface {
	// FetchCitations fetches the records of ids (each distinct) and calls
	// emit once for every id whose outcome is known, as soon as it is
	// known, from one goroutine at a time. An id Semantic Scholar does not
	// know is NotFound. A returned error ends the source for this run: the
	// ids not yet emitted fail with it.
	FetchCitations(ctx context.Context, ids []paperlist.CitationID, emit func(paperlist.CitationResult)) error
}

// TitleSource finds the arXiv paper of listed titles.
type TitleSource interface {
	// SearchTitles searches for titles, several in one request, and calls
	// emit once per distinct title as its outcome is known: ArxivID set
	// when exactly one paper has the title by the rule of title_mismatch.
	// A returned error (cancelled, or a rate-limit stop) ends the searches
	// of this run.
	SearchTitles(ctx context.Context, titles []string, emit func(paperlist.TitleSearchResult)) error
}

// CitationCache is a Cache that also keeps Semantic Scholar's records and
// the answers of title searches (stored by Save from CacheBatch.Citations
// and CacheBatch.TitleMatches). A Cache without it keeps neither: they are
// fetched again every run.
type CitationCache interface {
	// CitationEntries returns the entries of Semantic Scholar's records by
	// CitationID as given; TitleMatches the remembered title searches by
	// title. What was never stored is not in the map; what cannot be read
	// is left out and named in the error, a *paperlist.UnreadableError.
	CitationEntries(ids []string) (map[string]*paperlist.Entry[paperlist.CitationRecord], error)
	TitleMatches(titles []string) (map[string]paperlist.TitleMatch, error)
}

// citeKey is the CitationID a paper is asked of Semantic Scholar by: its
// arXiv id when the list gives one or a title search found it, else its
// DOI or the landing page Semantic Scholar resolves (the id that found its
// arXiv id, when Semantic Scholar's answer did); "" when it has none.
func citeKey(p *paperlist.Paper) (key, name string) {
	var id paperlist.CitationID
	switch {
	case p.ArxivIDSource == paperlist.ArxivIDFromSemanticScholar, p.ArxivID == "":
		if id = paperlist.DOICitationID(p.PaperURL); id == "" {
			id = paperlist.URLCitationID(p.PaperURL)
		}
	default:
		id = paperlist.ArxivCitationID(p.ArxivID)
	}
	return string(id), string(id)
}

// foundID is an arXiv id found for a paper of the list and how it was
// found (paperlist.ArxivIDFromSemanticScholar, ArxivIDFromTitleSearch).
type foundID struct{ id, source string }

// resolved is p with the arXiv id found for it, a copy, or p itself when
// none was.
func (r *run) resolved(p *paperlist.Paper) *paperlist.Paper {
	f, ok := r.found[p]
	if !ok {
		return p
	}
	c := *p
	c.ArxivID, c.ArxivIDSource = f.id, f.source
	return &c
}

// unresolved reports whether p has no arXiv id, listed or found.
func (r *run) unresolved(p *paperlist.Paper) bool {
	_, ok := r.found[p]
	return p.ArxivID == "" && !ok
}

// citationCache is the run's cache as a CitationCache; one that remembers
// nothing when the cache keeps no citations.
func (r *run) citationCache() CitationCache {
	if cc, ok := r.cache.(CitationCache); ok {
		return cc
	}
	return noCitations{}
}

type noCitations struct{}

func (noCitations) CitationEntries([]string) (map[string]*paperlist.Entry[paperlist.CitationRecord], error) {
	return nil, nil
}

func (noCitations) TitleMatches([]string) (map[string]paperlist.TitleMatch, error) { return nil, nil }

// papers resolves the arXiv ids of the papers without one and fetches
// their citations: Semantic Scholar first, for every paper it knows by an
// id (an arXiv id, a DOI, a landing page), whose answers give the arXiv id
// of DOI- and page-linked papers; then the title searches, for the papers
// still without one; then arXiv, for every id, listed or found, while
// Semantic Scholar is asked for the papers the searches found. GitHub and
// the landing pages are fetched beside all this.
func (r *run) papers(ctx context.Context, list *paperlist.List) (arxivItems map[string]*item[paperlist.ArxivRecord], cites map[string]*item[paperlist.CitationRecord]) {
	opts := r.opts
	citing := !opts.NoCitations && (opts.Citations != nil || opts.Offline)
	fetchCites := !opts.Offline && opts.Citations != nil
	stage1, titled := make(chan struct{}), make(chan struct{})
	citeKeyOf := func(p *paperlist.Paper) (string, string) { return citeKey(r.resolved(p)) }
	var wg sync.WaitGroup
	wg.Go(func() {
		var order []*item[paperlist.CitationRecord]
		if citing {
			cites, order = plan(r, list, SourceCitations, citeKeyOf, r.citationCache().CitationEntries, opts.CitationMaxAge)
			if fetchCites {
				r.fetchCitations(ctx, cites, order, true)
			}
			r.foundBySemanticScholar(list, cites)
		}
		close(stage1)
		<-titled
		if !citing {
			return
		}
		// The papers the title searches found are asked by their arXiv id.
		var more []*paperlist.Paper
		for _, p := range list.Papers {
			if key, _ := citeKeyOf(p); key != "" && cites[key] == nil {
				more = append(more, p)
			}
		}
		if len(more) == 0 {
			return
		}
		items, order := plan(r, &paperlist.List{Papers: more}, SourceCitations, citeKeyOf, r.citationCache().CitationEntries, opts.CitationMaxAge)
		for k, it := range items {
			cites[k] = it
		}
		if fetchCites {
			r.fetchCitations(ctx, cites, order, false)
		}
	})
	<-stage1
	r.searchTitles(ctx, list)
	close(titled)
	arxivKeyOf := func(p *paperlist.Paper) (string, string) { return arxivKey(r.resolved(p)) }
	arxivItems, arxivOrder := plan(r, list, SourceArxiv, arxivKeyOf, r.cache.ArxivEntries, opts.ArxivMaxAge)
	if !opts.Offline && opts.Arxiv != nil {
		r.fetchArxiv(ctx, arxivItems, arxivOrder)
	}
	wg.Wait()
	return arxivItems, cites
}

// foundBySemanticScholar gives the papers without an arXiv id the one
// Semantic Scholar's record of their DOI or landing page names.
func (r *run) foundBySemanticScholar(list *paperlist.List, cites map[string]*item[paperlist.CitationRecord]) {
	for _, p := range list.Papers {
		if !r.unresolved(p) {
			continue
		}
		key, _ := citeKey(p)
		it := cites[key]
		if key == "" || it == nil {
			continue
		}
		if rec := okData(it.entry); rec != nil && paperlist.PlausibleArxivID(rec.ArxivID) {
			r.found[p] = foundID{rec.ArxivID, paperlist.ArxivIDFromSemanticScholar}
		}
	}
}

// searchTitles finds the arXiv ids of the papers still without one by
// their titles: from the answers remembered within the arXiv max age,
// else by the title source, several titles a request; each answer is
// saved as it arrives.
func (r *run) searchTitles(ctx context.Context, list *paperlist.List) {
	opts := r.opts
	if opts.Titles == nil && !opts.Offline {
		return
	}
	var titles []string
	seen := map[string]bool{}
	for _, p := range list.Papers {
		t := strings.TrimSpace(p.Title)
		if !r.unresolved(p) || t == "" || seen[t] {
			continue
		}
		seen[t] = true
		titles = append(titles, t)
	}
	if len(titles) == 0 {
		return
	}
	found := map[string]string{}
	st := r.sources[SourceTitles]
	mem, err := r.citationCache().TitleMatches(titles)
	if err != nil {
		r.log.Warn("cache read failed; searching again what could not be read", "source", SourceTitles, "err", err)
	}
	var stale []string
	for _, t := range titles {
		st.Planned++
		m, ok := mem[t]
		if ok {
			found[t] = m.ArxivID
		}
		if ok && r.now.Sub(m.At) < opts.ArxivMaxAge {
			st.Fresh++
			continue
		}
		stale = append(stale, t)
	}
	if !opts.Offline && opts.Titles != nil && len(stale) > 0 {
		r.start(SourceTitles, len(stale))
		var mu sync.Mutex
		err := opts.Titles.SearchTitles(ctx, stale, func(res paperlist.TitleSearchResult) {
			mu.Lock()
			defer mu.Unlock()
			r.advance(SourceTitles)
			if res.Err != nil {
				if !interrupted(ctx, res.Err) {
					r.count(SourceTitles, func(s *SourceStats) { s.Failed++ })
					r.log.Debug("title search failed", "title", res.Title, "err", res.Err)
				}
				if errors.Is(res.Err, paperlist.ErrWaitTooLong) || errors.Is(res.Err, paperlist.ErrHostDown) {
					// The searches go to arXiv's host: its stop is arXiv's.
					r.stop(SourceArxiv, res.Err)
				}
				return
			}
			if _, listed := seen[res.Title]; !listed {
				return
			}
			m := paperlist.TitleMatch{Title: res.Title, Matches: res.Matches, At: r.now}
			if res.Matches == 1 && paperlist.PlausibleArxivID(res.ArxivID) {
				m.ArxivID = res.ArxivID
			} else if res.Matches == 1 {
				m.Matches = 0
			}
			found[res.Title] = m.ArxivID
			r.answered(SourceTitles, res.Title, "searched", false)
			r.saver.add(func(b *paperlist.CacheBatch) { b.TitleMatches = append(b.TitleMatches, m) }, nil)
		})
		if err != nil && !interrupted(ctx, err) {
			r.stop(SourceArxiv, err)
		}
		r.done(SourceTitles)
	}
	for _, p := range list.Papers {
		if !r.unresolved(p) {
			continue
		}
		if id := found[strings.TrimSpace(p.Title)]; id != "" {
			r.found[p] = foundID{id, paperlist.ArxivIDFromTitleSearch}
		}
	}
}

// fetchCitations asks the citation source for every stale id of order in
// one call and saves each result as it is emitted. The first call of a run
// reports its progress; the second, for the ids the title searches found,
// adds to it.
func (r *run) fetchCitations(ctx context.Context, items map[string]*item[paperlist.CitationRecord], order []*item[paperlist.CitationRecord], first bool) {
	var ids []paperlist.CitationID
	for _, it := range order {
		if it.stale {
			ids = append(ids, paperlist.CitationID(it.key))
		}
	}
	if first {
		r.start(SourceCitations, len(ids))
		defer r.done(SourceCitations)
	}
	if len(ids) == 0 {
		return
	}
	var mu sync.Mutex
	emitted := map[string]bool{}
	err := r.opts.Citations.FetchCitations(ctx, ids, func(res paperlist.CitationResult) {
		mu.Lock()
		defer mu.Unlock()
		key := string(res.ID)
		it := items[key]
		if it == nil || !it.stale || emitted[key] {
			r.log.Debug("unexpected semantic scholar result", "id", key)
			return
		}
		emitted[key] = true
		r.citationResult(ctx, it, res)
		if first {
			r.advance(SourceCitations)
		}
	})
	mu.Lock()
	defer mu.Unlock()
	if err != nil && !interrupted(ctx, err) {
		r.stop(SourceCitations, err)
	}
	for _, id := range ids {
		if emitted[string(id)] {
			continue
		}
		res := paperlist.CitationResult{ID: id, Err: err}
		switch {
		case res.Err != nil:
		case ctx.Err() != nil:
			res.Err = ctx.Err()
		default:
			res.Err = errors.New("semanticscholar: no answer for this id")
		}
		r.citationResult(ctx, items[string(id)], res)
	}
}

func (r *run) citationResult(ctx context.Context, it *item[paperlist.CitationRecord], res paperlist.CitationResult) {
	switch {
	case res.Err != nil:
		r.failed(ctx, SourceCitations, it.key, res.Err, func() { it.fail(res.Err, r.now) })
		if it.failed == nil {
			return
		}
	case res.NotFound:
		it.entry = it.entry.WithPermanent(it.key, paperlist.StateNotFound, "", r.now)
		r.answered(SourceCitations, it.key, "not found", false)
	case res.Record != nil:
		rec := *res.Record
		rec.FetchedAt = r.now
		if !paperlist.PlausibleArxivID(rec.ArxivID) {
			rec.ArxivID = ""
		}
		it.entry = it.entry.WithData(it.key, &rec, "", "", r.now)
		r.answered(SourceCitations, it.key, "ok", false)
	default:
		it.fail(fmt.Errorf("semanticscholar: empty result: %w", paperlist.ErrInvalidResponse), r.now)
		r.count(SourceCitations, func(s *SourceStats) { s.Failed++ })
	}
	it.answered = it.failed == nil
	e := it.entry
	var saved func()
	if !keptInMemory(it.key, e.Data) {
		saved = savedInCache(r, it)
	}
	r.saver.add(func(b *paperlist.CacheBatch) { b.Citations = append(b.Citations, e) }, saved)
}
