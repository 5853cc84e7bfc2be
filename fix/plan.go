// Package fix decides what paperlist's fix writes back into a list and
// writes it: a Plan of edits from a list's source, the dataset a crawl made
// of it and an arXiv title searcher (Make); the edited bytes (Plan.Apply);
// and the guarded write of the list file (Guard), which writes nothing when
// the file changed since it was read. Every name and id a plan writes is
// checked against GitHub's and arXiv's grammar first: an answer that says
// anything else is refused, not written.
package fix

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

// Searcher asks arXiv for the papers with a title; *arxiv.Client is one.
type Searcher interface {
	SearchTitle(ctx context.Context, title string, maxResults int) ([]*paperlist.ArxivRecord, error)
}

// Memory keeps the answers of title searches, so that an offline fix makes
// the fixes an online one made; *store.Store is one. Search returns the
// remembered answer to phrase (records with an id and a title) and when it
// was asked; nil results and a zero time when it never was.
type Memory interface {
	Search(phrase string) (results []*paperlist.ArxivRecord, at time.Time, err error)
	SaveSearch(phrase string, results []*paperlist.ArxivRecord, at time.Time) error
}

// Options say where a plan's title searches go and what it may add.
type Options struct {
	// Search asks arXiv; nil (offline) takes the answers from Memory alone.
	Search Searcher
	// Memory remembers the answers; nil remembers none.
	Memory Memory
	// MaxAge is how old a remembered answer may be and still be used
	// offline; 0 means any age.
	MaxAge time.Duration
	// Cache keeps the record of a paper a search matched, as if fetched;
	// nil keeps none.
	Cache crawler.Cache
	// Stars writes each live repository's star count after its code link.
	Stars bool
	// AddLinks writes the arXiv link of each paper whose id the crawl
	// found (Paper.ArxivIDSource semantic_scholar or title_search) after
	// its title.
	AddLinks bool
	// Logger gets the warnings; nil discards them.
	Logger *slog.Logger
	// Now is the clock; time.Now when nil.
	Now func() time.Time
}

// Fix is one change fix makes to the list: the edit, the 1-based line it
// is on and what to tell of it (remote text in it is not yet made safe for
// a terminal).
type Fix struct {
	Line int
	Edit listedit.Edit
	Note string
}

// Plan is the fixes a dataset calls for, in list order. SearchFailed is set
// when a title search failed: the plan lacks the fix it might have found.
type Plan struct {
	Fixes        []Fix
	SearchFailed bool
}

// ErrTooLarge is the error of Plan.Apply when the fixed list would be over
// the size every later run refuses to read (markdown.MaxSize).
var ErrTooLarge = fmt.Errorf("the fixed list would be over the %d MiB a list may hold; nothing written", markdown.MaxSize>>20)

// Apply returns src with the plan's edits made. A result over
// markdown.MaxSize, which no later run would read, is refused with
// ErrTooLarge.
func (p Plan) Apply(src []byte) ([]byte, error) {
	edits := make([]listedit.Edit, len(p.Fixes))
	for i, fx := range p.Fixes {
		edits[i] = fx.Edit
	}
	out, err := listedit.Apply(src, edits)
	if err != nil {
		return nil, err
	}
	if len(out) > markdown.MaxSize && len(out) > len(src) {
		return nil, ErrTooLarge
	}
	return out, nil
}

// planner finds the fixes a crawl's dataset calls for in the list's source.
type planner struct {
	src   []byte
	opts  Options
	log   *slog.Logger
	lines []int // offsets where the source's lines start, made by lineAt
}

// Make returns the plan of every paper of d, whose list was read from src:
// renamed repositories, arXiv links to another paper, and with
// opts.Stars the star markers. A context that ends stops the plan where it
// is.
func Make(ctx context.Context, src []byte, d *paperlist.Dataset, opts Options) Plan {
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	f := &planner{src: src, opts: opts, log: opts.Logger}
	var plan Plan
	codeDone, starDone := map[paperlist.Span]bool{}, map[paperlist.Span]bool{}
	for _, p := range d.Papers {
		if ctx.Err() != nil {
			return plan
		}
		if fx, ok := f.renameFix(p); ok && !codeDone[p.CodeSpan] {
			codeDone[p.CodeSpan] = true
			plan.Fixes = append(plan.Fixes, fx)
		}
		if p.HasProblem(paperlist.ProblemTitleMismatch) && p.Arxiv != nil && p.ArxivID != "" && !p.PaperSpan.IsZero() {
			fx, ok, err := f.titleFix(ctx, p)
			if err != nil {
				plan.SearchFailed = true
				f.log.Warn("title search failed", "line", p.Line, "title", p.Title, "err", err)
			} else if ok {
				plan.Fixes = append(plan.Fixes, fx)
			}
		}
		if opts.AddLinks {
			if fx, ok := f.linkFix(p); ok {
				plan.Fixes = append(plan.Fixes, fx)
			}
		}
		if opts.Stars && !p.CodeSpan.IsZero() && !starDone[p.CodeSpan] {
			if fx, ok := f.starsFix(p); ok {
				starDone[p.CodeSpan] = true
				plan.Fixes = append(plan.Fixes, fx)
			}
		}
	}
	return plan
}

// renameFix points the code link of a renamed repository at its canonical
// name, when that name is one GitHub could give.
func (f *planner) renameFix(p *paperlist.Paper) (Fix, bool) {
	if !p.HasProblem(paperlist.ProblemRepoRenamed) || p.GitHub == nil || p.CodeSpan.IsZero() {
		return Fix{}, false
	}
	if !paperlist.ValidGitHubName(p.GitHub.FullName) {
		f.log.Warn("invalid answer: not a GitHub repository name", "line", p.Line, "repo", p.Repo, "name", p.GitHub.FullName)
		return Fix{}, false
	}
	old := string(f.src[p.CodeSpan.Start:p.CodeSpan.End])
	link, ok := listedit.RenameRepoURL(old, p.GitHub.FullName)
	if !ok {
		return Fix{}, false
	}
	return Fix{
		Line: f.lineAt(p.CodeSpan.Start),
		Edit: listedit.Edit{Span: p.CodeSpan, New: link},
		Note: fmt.Sprintf("fixed: %s → %s (repository renamed to %s)", old, link, p.GitHub.FullName),
	}, true
}

// titleFix searches arXiv for the listed title of a paper whose arXiv link
// names another paper, and points the link at the one paper the search
// names, if one does.
func (f *planner) titleFix(ctx context.Context, p *paperlist.Paper) (Fix, bool, error) {
	results, err := f.searchTitle(ctx, p.Title)
	if err != nil {
		return Fix{}, false, err
	}
	id, ok := arxiv.MatchTitle(p.Title, results)
	if !ok || id == p.ArxivID {
		return Fix{}, false, nil
	}
	old := string(f.src[p.PaperSpan.Start:p.PaperSpan.End])
	link, dropped, ok := listedit.ReplaceArxivID(old, id)
	if !ok {
		return Fix{}, false, nil
	}
	note := fmt.Sprintf("fixed: %s → %s (title search: %q", old, link, p.Title)
	if dropped != "" {
		note += fmt.Sprintf("; version %s of the old paper dropped", dropped)
	}
	return Fix{Line: f.lineAt(p.PaperSpan.Start), Edit: listedit.Edit{Span: p.PaperSpan, New: link}, Note: note + ")"}, true, nil
}

// lineAt is the 1-based line of the source at offset off, counted as the
// markdown reader counts lines (at "\n", "\r\n" and a lone "\r"): the
// line of a link, which is not the entry's first line when the entry
// spans lines or the link is a reference definition.
func (f *planner) lineAt(off int) int {
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

// starsFix writes or updates the star count after the code link of a live
// repository, and removes it after one that is gone.
func (f *planner) starsFix(p *paperlist.Paper) (Fix, bool) {
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
		return Fix{}, false
	}
	note := "stars: removed (repository gone)"
	if live {
		note = "stars: " + listedit.StarsText(p.GitHub.Stars)
	}
	return Fix{Line: f.lineAt(e.Span.Start), Edit: e, Note: note}, true
}

// ProblemsLeft are the problems of the fixed list: its entries assembled
// again from cache (offline, no request), with the failed fetches of the
// crawl d kept. Without a cache, or when nothing changed, they are the
// crawl's own.
func ProblemsLeft(ctx context.Context, cache crawler.Cache, src, fixed []byte, source string, d *paperlist.Dataset, log *slog.Logger) *paperlist.Dataset {
	if cache == nil || string(fixed) == string(src) {
		return d
	}
	list, err := markdown.ParseContext(ctx, fixed, source)
	if err != nil || len(list.Papers) != len(d.Papers) {
		return d
	}
	r, err := crawler.Run(ctx, list, crawler.Options{Cache: cache, Offline: true, Logger: slog.New(slog.DiscardHandler)})
	if r == nil || r.Interrupted {
		return d
	}
	if err != nil && log != nil {
		log.Warn("check the fixed list", "err", err)
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
