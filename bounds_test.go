package paperlist_test

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/paperlist/paperlist"
)

func TestClip(t *testing.T) {
	tests := []struct {
		name    string
		s       string
		n       int
		want    string
		wantCut bool
	}{
		{"short", "abc", 5, "abc", false},
		{"exact", "abcde", 5, "abcde", false},
		{"ascii", "abcdefgh", 5, "abcd…", true},
		{"multi-byte kept whole", "ééééééé", 4, "ééé…", true},
		{"multi-byte under the bound in runes, over in bytes", "éééé", 4, "éééé", false},
		{"emoji", strings.Repeat("🦙", 10), 3, "🦙🦙…", true},
		{"invalid utf-8 counts a byte a character", "\xff\xfe\xfd\xfc", 3, "\xff\xfe…", true},
		{"one", "abc", 1, "…", true},
		{"zero", "abc", 0, "", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, cut := paperlist.Clip(tt.s, tt.n)
			if got != tt.want || cut != tt.wantCut {
				t.Errorf("Clip(%q, %d) = %q, %v; want %q, %v", tt.s, tt.n, got, cut, tt.want, tt.wantCut)
			}
			if tt.n > 0 && utf8.RuneCountInString(got) > tt.n {
				t.Errorf("Clip(%q, %d) has %d characters", tt.s, tt.n, utf8.RuneCountInString(got))
			}
		})
	}
}

func TestBound(t *testing.T) {
	huge := strings.Repeat("x", 1<<20)
	t.Run("repository", func(t *testing.T) {
		topics := make([]string, 500)
		for i := range topics {
			topics[i] = huge[:200]
		}
		s := &paperlist.RepoStats{FullName: "a/b", Description: huge, Topics: topics, Homepage: huge, Language: huge, License: huge, HTMLURL: huge, DefaultBranch: huge}
		cut := s.Bound()
		want := "html_url,description,language,license,topics,homepage,default_branch"
		if got := strings.Join(cut, ","); got != want {
			t.Errorf("cut %s, want %s", got, want)
		}
		if n := utf8.RuneCountInString(s.Description); n != paperlist.MaxTextLen {
			t.Errorf("description of %d characters", n)
		}
		if len(s.Topics) != paperlist.MaxTopics || utf8.RuneCountInString(s.Topics[0]) != paperlist.MaxTopicLen {
			t.Errorf("%d topics, the first of %d characters", len(s.Topics), len(s.Topics[0]))
		}
		if s.FullName != "a/b" {
			t.Errorf("full name %q", s.FullName)
		}
		if again := s.Bound(); again != nil {
			t.Errorf("a bounded record cut again: %v", again)
		}
	})
	t.Run("arXiv", func(t *testing.T) {
		r := &paperlist.ArxivRecord{ID: "2302.13971", Title: huge, Abstract: huge, Comment: huge,
			Authors:    []paperlist.Author{{Name: huge, Affiliations: []string{huge}}, {Name: "Ada"}},
			Categories: []string{"cs.CL", huge}}
		if got := strings.Join(r.Bound(), ","); got != "title,abstract,authors,categories,comment" {
			t.Errorf("cut %s", got)
		}
		if n := utf8.RuneCountInString(r.Abstract); n != paperlist.MaxAbstractLen {
			t.Errorf("abstract of %d characters", n)
		}
		if r.Authors[1].Name != "Ada" || r.Categories[0] != "cs.CL" {
			t.Errorf("short fields changed: %+v %v", r.Authors[1], r.Categories)
		}
	})
	t.Run("untouched", func(t *testing.T) {
		r := &paperlist.ArxivRecord{ID: "2302.13971", Title: "LLaMA", Abstract: strings.Repeat("é", paperlist.MaxAbstractLen)}
		if cut := r.Bound(); cut != nil || r.Title != "LLaMA" {
			t.Errorf("cut %v, title %q", cut, r.Title)
		}
	})
}
