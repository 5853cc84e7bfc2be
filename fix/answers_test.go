package fix_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"
	"unicode"

	"github.com/paperlist/paperlist"
	"github.com/paperlist/paperlist/fix"
	"github.com/paperlist/paperlist/sources/arxiv"
	"github.com/paperlist/paperlist/sources/markdown"
)

// answerList has one entry with an arXiv link and a code link.
const answerList = "# L\n\n## S\n\n- **Reducing Activation Recomputation.** arxiv 2022. [paper](https://arxiv.org/abs/2205.14135) [code](https://github.com/a/b)\n"

// searchAnswer answers every title search with the results it holds.
type searchAnswer []*paperlist.ArxivRecord

func (s searchAnswer) SearchTitle(context.Context, string, int) ([]*paperlist.ArxivRecord, error) {
	return s, nil
}

// answerDataset is the dataset of answerList in which the repository is
// now named fullName and the arXiv link names another paper.
func answerDataset(t testing.TB, fullName string) ([]byte, *paperlist.Dataset) {
	t.Helper()
	src := []byte(answerList)
	list, err := markdown.Parse(src, "t.md")
	if err != nil || len(list.Papers) != 1 {
		t.Fatalf("parse: %v", err)
	}
	p := *list.Papers[0]
	p.GitHub = &paperlist.RepoStats{FullName: fullName, Stars: 1}
	p.AddProblem(paperlist.ProblemRepoRenamed, "moved")
	p.Arxiv = &paperlist.ArxivRecord{ID: p.ArxivID, Title: "Another paper"}
	p.AddProblem(paperlist.ProblemTitleMismatch, "another paper")
	return src, &paperlist.Dataset{Papers: []*paperlist.Paper{&p}}
}

// TestMakeRefusesInvalidAnswers: a name or an id outside GitHub's or
// arXiv's grammar, from a server or from the search memory, never reaches
// the list.
func TestMakeRefusesInvalidAnswers(t *testing.T) {
	const title = "Reducing Activation Recomputation"
	now := time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)
	forged := []*paperlist.ArxivRecord{{ID: "2205.05198) [x](javascript:alert(1)", Title: title}}
	tests := []struct {
		name     string
		fullName string
		opts     func(m *memory) fix.Options
		want     string // the fixed list's entry line's links, "" for none changed
		failed   bool
	}{
		{"valid answers", "c/d", func(*memory) fix.Options {
			return fix.Options{Search: searchAnswer{{ID: "2205.05198", Title: title}}}
		}, "(https://arxiv.org/abs/2205.05198) [code](https://github.com/c/d)", false},
		{"name with markdown", "evil/x) [click](javascript:alert(1)", func(*memory) fix.Options { return fix.Options{} }, "", false},
		{"name with a newline", "evil/x\n- [spam](https://spam)", func(*memory) fix.Options { return fix.Options{} }, "", false},
		{"name with ESC", "evil/x\x1b[2J", func(*memory) fix.Options { return fix.Options{} }, "", false},
		{"search answer with a forged id", "a/b", func(*memory) fix.Options { return fix.Options{Search: searchAnswer(forged)} }, "", true},
		{"search answer with month 13", "a/b", func(*memory) fix.Options {
			return fix.Options{Search: searchAnswer{{ID: "2213.05198", Title: title}}}
		}, "", true},
		{"forged id in the memory", "a/b", func(m *memory) fix.Options {
			_ = m.SaveSearch(arxiv.SearchPhrase(title), forged, now)
			return fix.Options{Memory: m, Now: func() time.Time { return now }}
		}, "", true},
		{"memory older than the max age", "a/b", func(m *memory) fix.Options {
			_ = m.SaveSearch(arxiv.SearchPhrase(title), []*paperlist.ArxivRecord{{ID: "2205.05198", Title: title}}, now.Add(-48*time.Hour))
			return fix.Options{Memory: m, MaxAge: 24 * time.Hour, Now: func() time.Time { return now }}
		}, "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src, d := answerDataset(t, tt.fullName)
			m := newMemory()
			plan := fix.Make(context.Background(), src, d, tt.opts(m))
			fixed, err := plan.Apply(src)
			if err != nil {
				t.Fatal(err)
			}
			if plan.SearchFailed != tt.failed {
				t.Errorf("SearchFailed = %v, want %v", plan.SearchFailed, tt.failed)
			}
			if tt.want == "" {
				if string(fixed) != answerList {
					t.Errorf("the list changed:\n%s", fixed)
				}
				return
			}
			if !strings.Contains(string(fixed), tt.want) {
				t.Errorf("the list lacks %q:\n%s", tt.want, fixed)
			}
		})
	}
}

// FuzzFixAnswers feeds fix random canonical names and arXiv search
// answers: the list only ever gains owner/name text in GitHub's grammar
// and ids in arXiv's, and every other byte stays.
func FuzzFixAnswers(f *testing.F) {
	f.Add("c/d", "2205.05198", "Reducing Activation Recomputation")
	f.Add("evil/x) [click](javascript:alert(1)", "2205.05198) [x](y", "Reducing Activation Recomputation")
	f.Add("a/b\n- x", "2213.00001", "Reducing Activation Recomputation")
	f.Add("o/\x1b[31m", "hep-th/9901001", "reducing activation recomputation")
	f.Add("-o/..", "2205.05198v2", "")
	f.Fuzz(func(t *testing.T, fullName, id, title string) {
		src, d := answerDataset(t, fullName)
		mem := newMemory()
		plan := fix.Make(context.Background(), src, d, fix.Options{
			Search: searchAnswer{{ID: id, Title: title}},
			Memory: mem,
		})
		if _, err := plan.Apply(src); err != nil {
			t.Fatalf("the plan does not apply: %v", err)
		}
		for _, fx := range plan.Fixes {
			for _, r := range fx.Edit.New {
				if unicode.IsControl(r) || unicode.IsSpace(r) || strings.ContainsRune("()[]<>\"'`", r) {
					t.Fatalf("fix writes %q", fx.Edit.New)
				}
			}
			if repo, ok := paperlist.ParseGitHubURL(fx.Edit.New); ok {
				if !paperlist.ValidGitHubName(repo) || repo != fullName {
					t.Fatalf("fix writes the repository %q (answer %q)", repo, fullName)
				}
				continue
			}
			got, v, ok := paperlist.ParseArxivURL(fx.Edit.New)
			if !ok || v != 0 || got != id || !paperlist.PlausibleArxivID(got) {
				t.Fatalf("fix writes %q (answer %q)", fx.Edit.New, id)
			}
		}
		// What the memory keeps is read again the same way offline.
		offline := fix.Make(context.Background(), src, d, fix.Options{Memory: mem})
		for i, fx := range offline.Fixes {
			if i >= len(plan.Fixes) || fx.Edit != plan.Fixes[i].Edit {
				t.Fatalf("offline fix %+v is not the online one", fx)
			}
		}
	})
}

// TestApplyTooLarge: -stars does not push a list over the size every later
// run refuses; the plan's bytes are refused instead.
func TestApplyTooLarge(t *testing.T) {
	entry := "- **P.** [paper](https://arxiv.org/abs/2301.00001) [code](https://github.com/a/b)\n"
	for _, tt := range []struct {
		name string
		size int
		want error
	}{
		{"just under", markdown.MaxSize - 100, nil},
		{"at the edge", markdown.MaxSize - 3, fix.ErrTooLarge},
	} {
		t.Run(tt.name, func(t *testing.T) {
			head := "# L\n\n## S\n\n" + entry + "\n<!-- "
			src := []byte(head + strings.Repeat("x", tt.size-len(head)-5) + " -->\n")
			list, err := markdown.Parse(src, "t.md")
			if err != nil || len(list.Papers) != 1 {
				t.Fatalf("parse: %v", err)
			}
			p := *list.Papers[0]
			p.GitHub = &paperlist.RepoStats{FullName: "a/b", Stars: 1234}
			plan := fix.Make(context.Background(), src, &paperlist.Dataset{Papers: []*paperlist.Paper{&p}}, fix.Options{Stars: true})
			if len(plan.Fixes) != 1 {
				t.Fatalf("fixes %+v, want the stars marker", plan.Fixes)
			}
			out, err := plan.Apply(src)
			if !errors.Is(err, tt.want) {
				t.Fatalf("Apply: %v, want %v", err, tt.want)
			}
			if err == nil && len(out) > markdown.MaxSize {
				t.Errorf("the list grew to %d bytes", len(out))
			}
		})
	}
}
