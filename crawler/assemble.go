package crawler

import (
	"fmt"
	"slices"

	"github.com/paperlist/paperlist"
)

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
	// Repository records are copies: the stars gained are set on them.
	// The arXiv and page records are shared as they are, by every paper
	// that links them: no one changes them, and at 10,000 papers a copy
	// of each is megabytes more at the run's peak.
	repoRecs := map[string]*paperlist.RepoStats{}
	for k, it := range repos {
		if st := okData(it); st != nil {
			c := *st
			repoRecs[k] = &c
		}
	}
	r.starsGained(repoRecs)

	for _, p := range rep.Dataset.Papers {
		var needs, there, live int
		if key, _ := arxivKey(p); key != "" {
			it := arxiv[key]
			p.Arxiv = okData(it)
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
			p.Page = okData(it)
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

// okData is the data of an item whose entry is in State ok, nil otherwise.
func okData[T any](it *item[T]) *T {
	if e := it.entry; e != nil && e.State == paperlist.StateOK {
		return e.Data
	}
	return nil
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
