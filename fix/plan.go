package main

import (
	"context"
	"fmt"
	"log/slog"
	"slices"
	"time"

	"github.com/paperlist/paperlist"
	"github.com/paperlist/paperlist/crawler"
	"github.com/paperlist/paperlist/listedit"
	"github.com/paperlist/paperlist/sources/arxiv"
	"github.com/paperlist/paperlist/sources/markdown"
)

// titleSearcher asks arXiv for the papers with a title; *arxiv.Client is
// one, sending through the run's paced transport.
type titleSearcher interface {
	SearchTitle(ctx context.Context, title string, maxResults int) ([]*paperlist.ArxivRecord, error)
}

// fix is one change fix makes to the list: the edit, the line it is on
// and what stderr says of it.
type fix struct {
	line int
	edit listedit.Edit
	note string
}

// fixer finds the fixes a crawl's dataset calls for in the list's source.
type fixer struct {
	src      []byte
	cache    crawler.Cache // nil without a cache
	search   titleSearcher // nil offline: searches come from searches alone
	searches *searchMemory
	log      *slog.Logger
	lines    []int // offsets where the source's lines start, made by lineAt
}

// fixes returns the fixes of every paper of d, in list order: renamed
// repositories, arXiv links to another paper, and with stars the star
// markers. failed is set when a title search failed.
func (f *fixer) fixes(ctx context.Context, d *paperlist.Dataset, stars bool) (out []fix, failed bool) {
	codeDone, starDone := map[paperlist.Span]bool{}, map[paperlist.Span]bool{}
	for _, p := range d.Papers {
		if ctx.Err() != nil {
			return out, failed
		}
		if fx, ok := f.renameFix(p); ok && !codeDone[p.CodeSpan] {
			codeDone[p.CodeSpan] = true
			out = append(out, fx)
		}
		if p.HasProblem(paperlist.ProblemTitleMismatch) && p.Arxiv != nil && p.ArxivID != "" && !p.PaperSpan.IsZero() {
			fx, ok, err := f.titleFix(ctx, p)
			if err != nil {
				failed = true
				f.log.Warn("title search failed", "line", p.Line, "title", p.Title, "err", err)
			} else if ok {
				out = append(out, fx)
			}
		}
		if stars && !p.CodeSpan.IsZero() && !starDone[p.CodeSpan] {
			if fx, ok := f.starsFix(p); ok {
				starDone[p.CodeSpan] = true
				out = append(out, fx)
			}
		}
	}
	return out, failed
}

// renameFix points the code link of a renamed repository at its canonical
// name.
func (f *fixer) renameFix(p *paperlist.Paper) (fix, bool) {
	if !p.HasProblem(paperlist.ProblemRepoRenamed) || p.GitHub == nil || p.CodeSpan.IsZero() {
		return fix{}, false
	}
	old := string(f.src[p.CodeSpan.Start:p.CodeSpan.End])
	link, ok := listedit.RenameRepoURL(old, p.GitHub.FullName)
	if !ok {
		return fix{}, false
	}
	return fix{
		line: f.lineAt(p.CodeSpan.Start),
		edit: listedit.Edit{Span: p.CodeSpan, New: link},
		note: fmt.Sprintf("fixed: %s → %s (repository renamed to %s)", old, link, p.GitHub.FullName),
	}, true
}

// titleFix searches arXiv for the listed title of a paper whose arXiv link
// names another paper, and points the link at the one paper the search
// names, if one does.
func (f *fixer) titleFix(ctx context.Context, p *paperlist.Paper) (fix, bool, error) {
	results, err := f.searchTitle(ctx, p.Title)
	if err != nil {
		return fix{}, false, err
	}
	id, ok := arxiv.MatchTitle(p.Title, results)
	if !ok || id == p.ArxivID {
		return fix{}, false, nil
	}
	old := string(f.src[p.PaperSpan.Start:p.PaperSpan.End])
	link, dropped, ok := listedit.ReplaceArxivID(old, id)
	if !ok {
		return fix{}, false, nil
	}
	note := fmt.Sprintf("fixed: %s → %s (title search: %q", old, link, p.Title)
	if dropped != "" {
		note += fmt.Sprintf("; version %s of the old paper dropped", dropped)
	}
	return fix{line: f.lineAt(p.PaperSpan.Start), edit: listedit.Edit{Span: p.PaperSpan, New: link}, note: note + ")"}, true, nil
}

// searchTitle is the answer to a title search: asked of arXiv online (and
// remembered, with the records kept in the cache), remembered offline.
func (f *fixer) searchTitle(ctx context.Context, title string) ([]*paperlist.ArxivRecord, error) {
	phrase := arxiv.SearchPhrase(title)
	if f.search == nil {
		return f.searches.get(phrase), nil
	}
	results, err := f.search.SearchTitle(ctx, title, 0)
	if err != nil {
		return nil, err
	}
	f.searches.put(phrase, results, time.Now())
	if id, ok := arxiv.MatchTitle(title, results); ok && f.cache != nil {
		// The matched paper's record is kept like a fetched one, so that
		// the fixed list's check, and later offline runs, know the paper.
		for _, r := range results {
			if r.ID == id {
				e := (*paperlist.Entry[paperlist.ArxivRecord])(nil).WithData(id, r, "", "", time.Now())
				if err := f.cache.Save(&paperlist.CacheBatch{Arxiv: []*paperlist.Entry[paperlist.ArxivRecord]{e}}); err != nil {
					f.log.Warn("keep the searched paper in the cache", "id", id, "err", err)
				}
				break
			}
		}
	}
	return results, nil
}

// starsFix writes or updates the star count after the code link of a live
// repository, and removes it after one that is gone.
func (f *fixer) starsFix(p *paperlist.Paper) (fix, bool) {
	live := p.GitHub != nil && !p.GitHub.Disabled
	gone := (p.GitHub != nil && p.GitHub.Disabled) ||
		p.HasProblem(paperlist.ProblemRepoNotFound) || p.HasProblem(paperlist.ProblemRepoUnavailable)
	var (
		e  listedit.Edit
		ok bool
	)
	switch {
	case live:
		e, ok = listedit.StarsEdit(f.src, p.CodeSpan, p.GitHub.Stars)
	case gone:
		e, ok = listedit.UnstarEdit(f.src, p.CodeSpan)
	}
	if !ok {
		return fix{}, false
	}
	note := "stars: removed (repository gone)"
	if live {
		note = "stars: " + listedit.StarsText(p.GitHub.Stars)
	}
	return fix{line: f.lineAt(e.Span.Start), edit: e, note: note}, true
}

// lineAt is the 1-based line of the source at offset off, counted as the
// markdown reader counts lines (at "\n", "\r\n" and a lone "\r"): the
// line of a link, which is not the entry's first line when the entry
// spans lines or the link is a reference definition.
func (f *fixer) lineAt(off int) int {
	if f.lines == nil {
		f.lines = []int{0}
		for i, c := range f.src {
			if c == '\n' || c == '\r' && (i+1 == len(f.src) || f.src[i+1] != '\n') {
				f.lines = append(f.lines, i+1)
			}
		}
	}
	n, found := slices.BinarySearch(f.lines, off)
	if found {
		return n + 1
	}
	return n
}

// problemsLeft are the problems of the fixed list: its entries assembled
// again from the cache (offline, no request), with the failed fetches of
// the crawl kept. Without a cache, or when nothing changed, they are the
// crawl's own.
func (f *fixer) problemsLeft(ctx context.Context, fixed []byte, source string, d *paperlist.Dataset) *paperlist.Dataset {
	if f.cache == nil || string(fixed) == string(f.src) {
		return d
	}
	list, err := markdown.Parse(fixed, source)
	if err != nil || len(list.Papers) != len(d.Papers) {
		return d
	}
	r, err := crawler.Run(ctx, list, crawler.Options{Cache: f.cache, Offline: true, Logger: discard})
	if r == nil || r.Interrupted {
		return d
	}
	if err != nil {
		f.log.Warn("check the fixed list", "err", err)
	}
	for i, p := range r.Dataset.Papers {
		for _, pr := range d.Papers[i].Problems {
			if pr.Code == paperlist.ProblemFetchFailed || pr.Code == paperlist.ProblemCacheUnreadable {
				p.Problems = append(p.Problems, pr)
			}
		}
	}
	return r.Dataset
}
