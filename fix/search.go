package fix

import (
	"context"
	"fmt"

	"github.com/paperlist/paperlist"
	"github.com/paperlist/paperlist/sources/arxiv"
)

// searchTitle is the answer to a title search: asked of arXiv online (and
// remembered, with the matched paper's record kept in the cache), from
// memory offline. An answer's ids are checked: one that is not an arXiv id
// fails the search as an invalid answer.
func (f *planner) searchTitle(ctx context.Context, title string) ([]*paperlist.ArxivRecord, error) {
	phrase := arxiv.SearchPhrase(title)
	if f.opts.Search == nil {
		return f.remembered(phrase)
	}
	results, err := f.opts.Search.SearchTitle(ctx, title, 0)
	if err != nil {
		return nil, err
	}
	if err := checkResults(results); err != nil {
		return nil, err
	}
	now := f.opts.Now()
	if f.opts.Memory != nil {
		if err := f.opts.Memory.SaveSearch(phrase, results, now); err != nil {
			f.log.Warn("keep the title search", "err", err)
		}
	}
	if id, ok := arxiv.MatchTitle(title, results); ok && f.opts.Cache != nil {
		// The matched paper's record is kept like a fetched one, so that
		// the fixed list's check, and later offline runs, know the paper.
		for _, r := range results {
			if r.ID == id {
				e := (*paperlist.Entry[paperlist.ArxivRecord])(nil).WithData(id, r, "", "", now)
				if err := f.opts.Cache.Save(&paperlist.CacheBatch{Arxiv: []*paperlist.Entry[paperlist.ArxivRecord]{e}}); err != nil {
					f.log.Warn("keep the searched paper in the cache", "id", id, "err", err)
				}
				break
			}
		}
	}
	return results, nil
}

// remembered is the remembered answer to phrase when it is no older than
// MaxAge; nil when there is none.
func (f *planner) remembered(phrase string) ([]*paperlist.ArxivRecord, error) {
	if f.opts.Memory == nil {
		return nil, nil
	}
	results, at, err := f.opts.Memory.Search(phrase)
	if err != nil {
		return nil, fmt.Errorf("remembered title search: %w", err)
	}
	if results == nil || f.opts.MaxAge > 0 && f.opts.Now().Sub(at) > f.opts.MaxAge {
		return nil, nil
	}
	if err := checkResults(results); err != nil {
		return nil, fmt.Errorf("remembered title search: %w", err)
	}
	return results, nil
}

// checkResults refuses a search answer with a result that is not an arXiv
// id without a version.
func checkResults(results []*paperlist.ArxivRecord) error {
	for _, r := range results {
		if r == nil {
			continue
		}
		if !paperlist.PlausibleArxivID(r.ID) {
			return fmt.Errorf("invalid answer: %q is not an arXiv id", r.ID)
		}
	}
	return nil
}
