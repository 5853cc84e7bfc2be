package store_test

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/paperlist/paperlist"
)

func TestRepoAliases(t *testing.T) {
	type put struct {
		name  string
		entry *paperlist.Entry[paperlist.RepoStats]
	}
	type lookup struct {
		name     string
		wantKey  string // "" when nothing is found
		wantData string // Data.FullName
	}
	tests := []struct {
		name    string
		puts    []put
		lookups []lookup
	}{
		{
			name: "case-insensitive",
			puts: []put{{"horseee/llm-pruner", repoEntry("horseee/LLM-Pruner", 1, 800)}},
			lookups: []lookup{
				{"horseee/llm-pruner", "horseee/llm-pruner", "horseee/LLM-Pruner"},
				{"horseee/LLM-Pruner", "horseee/llm-pruner", "horseee/LLM-Pruner"},
				{" HORSEEE/LLM-PRUNER ", "horseee/llm-pruner", "horseee/LLM-Pruner"},
				{"horseee/other", "", ""},
			},
		},
		{
			name: "listed under an old name",
			puts: []put{{"facebookresearch/llama", repoEntry("meta-llama/llama", 2, 55000)}},
			lookups: []lookup{
				{"facebookresearch/llama", "meta-llama/llama", "meta-llama/llama"},
				{"Meta-Llama/Llama", "meta-llama/llama", "meta-llama/llama"},
			},
		},
		{
			name: "renamed between runs",
			puts: []put{
				{"old/tool", repoEntry("old/tool", 3, 10)},
				{"Old/Tool", repoEntry("old/tool", 3, 10)},
				{"old/tool", repoEntry("new/tool", 3, 12)},
			},
			lookups: []lookup{
				{"old/tool", "new/tool", "new/tool"},
				{"OLD/TOOL", "new/tool", "new/tool"},
				{"new/tool", "new/tool", "new/tool"},
			},
		},
		{
			name: "another repository took the name",
			puts: []put{
				{"a/x", repoEntry("a/x", 4, 10)},
				{"a/x", repoEntry("b/x", 5, 1)},
			},
			lookups: []lookup{
				{"a/x", "b/x", "b/x"},
				{"b/x", "b/x", "b/x"},
			},
		},
		{
			name: "permanent answer without data",
			puts: []put{{"Gone/Repo", &paperlist.Entry[paperlist.RepoStats]{State: paperlist.StateNotFound, CheckedAt: checked}}},
			lookups: []lookup{
				{"gone/repo", "gone/repo", ""},
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := openStore(t)
			for _, p := range tt.puts {
				if err := saveRepo(s, p.name, p.entry); err != nil {
					t.Fatal(err)
				}
			}
			for _, l := range tt.lookups {
				got, err := loadRepo(s, l.name)
				if err != nil {
					t.Fatal(err)
				}
				switch {
				case l.wantKey == "" && got != nil:
					t.Errorf("repo entry %q = %+v, want nil", l.name, got)
				case l.wantKey == "":
				case got == nil:
					t.Errorf("RepoEntry(%q) = nil, want %s", l.name, l.wantKey)
				case got.Key != l.wantKey:
					t.Errorf("RepoEntry(%q).Key = %q, want %q", l.name, got.Key, l.wantKey)
				case l.wantData == "" && got.Data != nil, l.wantData != "" && (got.Data == nil || got.Data.FullName != l.wantData):
					t.Errorf("RepoEntry(%q).Data = %+v, want full name %q", l.name, got.Data, l.wantData)
				}
			}
		})
	}
}

func TestSaveRepoRoundTrip(t *testing.T) {
	s := openStore(t)
	want := repoEntry("horseee/LLM-Pruner", 1, 800)
	want.Key = "stale"
	want.Failure = &paperlist.Failure{Kind: paperlist.FailureRateLimit, Message: "wait of 40m0s exceeds -max-wait", At: failed, Attempts: 1}
	if err := saveRepo(s, "horseee/llm-pruner", want); err != nil {
		t.Fatal(err)
	}
	if want.Key != "horseee/llm-pruner" {
		t.Errorf("PutRepo set Key to %q, want the canonical key", want.Key)
	}
	got, err := loadRepo(s, "horseee/llm-pruner")
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("RepoEntry mismatch (-want +got):\n%s", diff)
	}
}

func TestRenameMovesHistory(t *testing.T) {
	s := openStore(t)
	day := func(d int) time.Time { return time.Date(2026, 3, d, 15, 0, 0, 0, time.UTC) }
	if err := saveRepo(s, "old/tool", repoEntry("old/tool", 3, 10)); err != nil {
		t.Fatal(err)
	}
	for d, stars := range map[int]int{1: 10, 2: 11} {
		if err := saveStars(s, "old/tool", day(d), stars); err != nil {
			t.Fatal(err)
		}
	}
	if err := saveRepo(s, "old/tool", repoEntry("new/tool", 3, 12)); err != nil {
		t.Fatal(err)
	}
	if stars, ok, err := s.StarsOn("new/tool", day(2)); err != nil || !ok || stars != 11 {
		t.Errorf("StarsOn(new/tool, day 2) = %d, %t, %v; want 11 from before the rename", stars, ok, err)
	}
	if _, ok, err := s.StarsOn("old/tool", day(2)); err != nil || ok {
		t.Errorf("StarsOn(old/tool) = %t, %v after the rename; want nothing", ok, err)
	}
	stats, err := s.Stats()
	if err != nil {
		t.Fatal(err)
	}
	if stats["repos"] != 1 || stats["repo_names"] != 1 || stats["history"] != 2 {
		t.Errorf("Stats() = %v, want 1 repo, 1 name, 2 days", stats)
	}
}
