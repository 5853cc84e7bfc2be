package fix_test

import (
	"bytes"
	"context"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/paperlist/paperlist"
	"github.com/paperlist/paperlist/fix"
	"github.com/paperlist/paperlist/listedit"
	"github.com/paperlist/paperlist/sources/markdown"
)

// echoSearch answers every title search with one paper of that title.
type echoSearch struct{}

func (echoSearch) SearchTitle(_ context.Context, title string, _ int) ([]*paperlist.ArxivRecord, error) {
	return []*paperlist.ArxivRecord{{ID: "2401.00001", Title: title}}, nil
}

// everythingWrong is the dataset of list in which every repository moved
// and every arXiv link names another paper: every link fix could touch.
func everythingWrong(list *paperlist.List, stars int) *paperlist.Dataset {
	d := &paperlist.Dataset{}
	for _, lp := range list.Papers {
		p := *lp
		p.Problems = slices.Clone(lp.Problems)
		if p.Repo != "" {
			p.GitHub = &paperlist.RepoStats{FullName: "moved/" + strings.ReplaceAll(p.Repo, "/", "-"), Stars: stars}
			p.AddProblem(paperlist.ProblemRepoRenamed, "moved")
		}
		if p.ArxivID != "" {
			p.Arxiv = &paperlist.ArxivRecord{ID: p.ArxivID, Title: "Another paper"}
			p.AddProblem(paperlist.ProblemTitleMismatch, "another paper")
		}
		d.Papers = append(d.Papers, &p)
	}
	return d
}

// lineOf is the 1-based line of offset off in src as the markdown reader
// counts lines: at "\n", "\r\n" and a lone "\r".
func lineOf(src []byte, off int) int {
	line := 1
	for i := 0; i < off; i++ {
		if src[i] == '\n' || src[i] == '\r' && (i+1 == len(src) || src[i+1] != '\n') {
			line++
		}
	}
	return line
}

// FuzzFixSpans checks that fix changes no byte outside the spans it
// reports, that each span is a link target the reader recorded or the
// place of a stars marker right after a code link, and that each fix is
// reported on the line of its span.
func FuzzFixSpans(f *testing.F) {
	f.Add(markdown.Builtin, 1234)
	f.Add([]byte("\ufeff# L\r\n\r\n## S\r\n\r\n- **A Paper.** arxiv 2023. [paper](https://arxiv.org/pdf/2301.00001v2.pdf). [code](https://github.com/a/b/tree/main) ★ 1.2k\r\n"), 56100)
	f.Add([]byte("# L\n\n## S\n\n- **P.** [paper](http://arxiv.org/abs/2301.00001) [code](<https://github.com/a/b> \"t\")\n- **Q.** [paper][q] [code](https://github.com/c/d)\t\n\n[q]: https://arxiv.org/abs/2302.00002\n"), 7)
	f.Fuzz(func(t *testing.T, src []byte, stars int) {
		list, err := markdown.Parse(src, "fuzz.md")
		if err != nil {
			return
		}
		stars = max(stars, 0)
		mem := newMemory()
		d := everythingWrong(list, stars)
		plan := fix.Make(context.Background(), src, d, fix.Options{Search: echoSearch{}, Memory: mem, Stars: true})
		fixes := plan.Fixes
		if plan.SearchFailed {
			t.Fatal("a search failed")
		}
		allowed := map[paperlist.Span]bool{}
		codeSpans := map[int]bool{}
		for _, p := range list.Papers {
			allowed[p.PaperSpan], allowed[p.CodeSpan] = true, true
			if sp, ok := listedit.StarsSpan(src, p.CodeSpan); ok {
				allowed[sp] = true
				codeSpans[sp.Start] = true
			}
		}
		edits := make([]listedit.Edit, len(fixes))
		for i, x := range fixes {
			edits[i] = x.Edit
			if !allowed[x.Edit.Span] || x.Edit.Span.IsZero() {
				t.Fatalf("fix %q edits [%d,%d), no link target or stars place", x.Note, x.Edit.Span.Start, x.Edit.Span.End)
			}
			if want := lineOf(src, x.Edit.Span.Start); x.Line != want {
				t.Fatalf("fix %q reported on line %d, its span is on line %d", x.Note, x.Line, want)
			}
		}
		fixed, err := plan.Apply(src)
		if err != nil {
			t.Fatalf("the fixes do not apply: %v", err)
		}
		// Walk both texts: outside the reported spans, byte for byte equal.
		slices.SortFunc(edits, func(a, b listedit.Edit) int { return a.Span.Start - b.Span.Start })
		at, out := 0, 0
		for _, e := range edits {
			n := e.Span.Start - at
			if !bytes.Equal(src[at:e.Span.Start], fixed[out:out+n]) {
				t.Fatalf("bytes [%d,%d) outside every span changed", at, e.Span.Start)
			}
			out += n + len(e.New)
			at = e.Span.End
		}
		if !bytes.Equal(src[at:], fixed[out:]) {
			t.Fatalf("bytes after the last span changed")
		}
		// A second pass over the fixed text with the same data wants no
		// stars edit: the markers it wrote are found again.
		again, err := markdown.Parse(fixed, "fuzz.md")
		if err != nil {
			t.Fatalf("the fixed list no longer parses: %v", err)
		}
		d2 := &paperlist.Dataset{}
		for _, lp := range again.Papers {
			p := *lp
			if p.Repo != "" {
				p.GitHub = &paperlist.RepoStats{FullName: p.Repo, Stars: stars}
			}
			d2.Papers = append(d2.Papers, &p)
		}
		if more := fix.Make(context.Background(), fixed, d2, fix.Options{Memory: mem, Stars: true}); len(more.Fixes) != 0 {
			t.Fatalf("a second pass fixes again: %+v", more.Fixes)
		}
	})
}

func TestStarsFixGoneRepository(t *testing.T) {
	src := []byte("# L\n\n## S\n\n- **P.** [paper](https://arxiv.org/abs/2301.00001) [code](https://github.com/a/b) ★ 1.2k\n")
	list, err := markdown.Parse(src, "t.md")
	if err != nil || len(list.Papers) != 1 {
		t.Fatalf("parse: %v, %d papers", err, len(list.Papers))
	}
	for _, code := range []string{paperlist.ProblemRepoNotFound, paperlist.ProblemRepoUnavailable} {
		p := *list.Papers[0]
		p.Problems = []paperlist.Problem{{Code: code}}
		fixes := fix.Make(context.Background(), src, &paperlist.Dataset{Papers: []*paperlist.Paper{&p}}, fix.Options{Stars: true}).Fixes
		if len(fixes) != 1 || fixes[0].Edit.New != "" || fixes[0].Note != "stars: removed (repository gone)" || fixes[0].Line != 5 {
			t.Fatalf("%s: fixes %+v, want the marker removed on line 5", code, fixes)
		}
	}
}

// memory is a Memory in a map.
type memory struct {
	mu      sync.Mutex
	answers map[string]memoryAnswer
}

type memoryAnswer struct {
	results []*paperlist.ArxivRecord
	at      time.Time
}

func newMemory() *memory { return &memory{answers: map[string]memoryAnswer{}} }

func (m *memory) Search(phrase string) ([]*paperlist.ArxivRecord, time.Time, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	a := m.answers[phrase]
	return a.results, a.at, nil
}

func (m *memory) SaveSearch(phrase string, results []*paperlist.ArxivRecord, at time.Time) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.answers[phrase] = memoryAnswer{results: results, at: at}
	return nil
}
