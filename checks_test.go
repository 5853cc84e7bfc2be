package paperlist_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/paperlist/paperlist"
)

func TestCheckArxiv(t *testing.T) {
	const title = "LLaMA: Open and Efficient Foundation Language Models"
	ok := func(rec paperlist.ArxivRecord) *paperlist.Entry[paperlist.ArxivRecord] {
		return &paperlist.Entry[paperlist.ArxivRecord]{Key: "2302.13971", State: paperlist.StateOK, Data: &rec}
	}
	tests := []struct {
		name  string
		title string
		entry *paperlist.Entry[paperlist.ArxivRecord]
		want  []paperlist.Problem
	}{
		{"no entry", title, nil, nil},
		{"only a failure", title, &paperlist.Entry[paperlist.ArxivRecord]{Key: "2302.13971", Failure: &paperlist.Failure{Kind: "transient"}}, nil},
		{"same title", title, ok(paperlist.ArxivRecord{Title: title}), nil},
		{"same title but for case and subtitle", "LLaMA", ok(paperlist.ArxivRecord{Title: title}), nil},
		{"not found", title, &paperlist.Entry[paperlist.ArxivRecord]{Key: "2302.13971", State: paperlist.StateNotFound},
			[]paperlist.Problem{{Code: paperlist.ProblemArxivNotFound, Message: "arXiv has no paper 2302.13971"}}},
		{"not found keeps no title check on old data", title, &paperlist.Entry[paperlist.ArxivRecord]{Key: "2302.13971", State: paperlist.StateNotFound, Data: &paperlist.ArxivRecord{Title: "Other"}},
			[]paperlist.Problem{{Code: paperlist.ProblemArxivNotFound, Message: "arXiv has no paper 2302.13971"}}},
		{"withdrawn", title, ok(paperlist.ArxivRecord{Title: title, Withdrawn: true, Comment: "This paper has been withdrawn by the author"}),
			[]paperlist.Problem{{Code: paperlist.ProblemArxivWithdrawn, Message: "arXiv 2302.13971 was withdrawn: This paper has been withdrawn by the author"}}},
		{"withdrawn without comment", title, ok(paperlist.ArxivRecord{Title: title, Withdrawn: true}),
			[]paperlist.Problem{{Code: paperlist.ProblemArxivWithdrawn, Message: "arXiv 2302.13971 was withdrawn"}}},
		{"different paper", "Reducing Activation Recomputation in Large Transformer Models",
			ok(paperlist.ArxivRecord{Title: "FlashAttention: Fast and Memory-Efficient Exact Attention with IO-Awareness"}),
			[]paperlist.Problem{{Code: paperlist.ProblemTitleMismatch, Message: `listed as "Reducing Activation Recomputation in Large Transformer Models" but arXiv 2302.13971 is "FlashAttention: Fast and Memory-Efficient Exact Attention with IO-Awareness"`}}},
		{"no listed title", "", ok(paperlist.ArxivRecord{Title: title}), nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := &paperlist.Paper{Title: tt.title, ArxivID: "2302.13971"}
			paperlist.CheckArxiv(p, tt.entry)
			if diff := cmp.Diff(tt.want, p.Problems); diff != "" {
				t.Errorf("problems (-want +got):\n%s", diff)
			}
		})
	}
}

func TestCheckRepo(t *testing.T) {
	ok := func(st paperlist.RepoStats) *paperlist.Entry[paperlist.RepoStats] {
		return &paperlist.Entry[paperlist.RepoStats]{Key: "horseee/llm-pruner", State: paperlist.StateOK, Data: &st}
	}
	tests := []struct {
		name  string
		entry *paperlist.Entry[paperlist.RepoStats]
		want  []paperlist.Problem
	}{
		{"no entry", nil, nil},
		{"healthy", ok(paperlist.RepoStats{FullName: "horseee/LLM-Pruner"}), nil},
		{"case difference is no rename", ok(paperlist.RepoStats{FullName: "Horseee/llm-pruner"}), nil},
		{"renamed", ok(paperlist.RepoStats{FullName: "horseee/LLM-Pruner-v2"}),
			[]paperlist.Problem{{Code: paperlist.ProblemRepoRenamed, Message: "repository horseee/LLM-Pruner → horseee/LLM-Pruner-v2"}}},
		{"moved to another owner", ok(paperlist.RepoStats{FullName: "other/LLM-Pruner"}),
			[]paperlist.Problem{{Code: paperlist.ProblemRepoRenamed, Message: "repository horseee/LLM-Pruner → other/LLM-Pruner"}}},
		{"archived", ok(paperlist.RepoStats{FullName: "horseee/LLM-Pruner", Archived: true}),
			[]paperlist.Problem{{Code: paperlist.ProblemRepoArchived, Message: "repository horseee/LLM-Pruner is archived"}}},
		{"disabled", ok(paperlist.RepoStats{FullName: "horseee/LLM-Pruner", Disabled: true}),
			[]paperlist.Problem{{Code: paperlist.ProblemRepoUnavailable, Message: "repository horseee/LLM-Pruner is unavailable: disabled"}}},
		{"not found", &paperlist.Entry[paperlist.RepoStats]{State: paperlist.StateNotFound},
			[]paperlist.Problem{{Code: paperlist.ProblemRepoNotFound, Message: "GitHub has no repository horseee/LLM-Pruner"}}},
		{"blocked", &paperlist.Entry[paperlist.RepoStats]{State: paperlist.StateUnavailable, Reason: "dmca"},
			[]paperlist.Problem{{Code: paperlist.ProblemRepoUnavailable, Message: "repository horseee/LLM-Pruner is unavailable: dmca"}}},
		{"blocked without reason", &paperlist.Entry[paperlist.RepoStats]{State: paperlist.StateUnavailable},
			[]paperlist.Problem{{Code: paperlist.ProblemRepoUnavailable, Message: "repository horseee/LLM-Pruner is unavailable: no reason given"}}},
		{"only a failure", &paperlist.Entry[paperlist.RepoStats]{Failure: &paperlist.Failure{Kind: "transient"}}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := &paperlist.Paper{Title: "LLM-Pruner", Repo: "horseee/LLM-Pruner"}
			paperlist.CheckRepo(p, tt.entry)
			if diff := cmp.Diff(tt.want, p.Problems); diff != "" {
				t.Errorf("problems (-want +got):\n%s", diff)
			}
		})
	}
}

func TestCheckPage(t *testing.T) {
	const url = "https://openreview.net/forum?id=abc"
	page := func(title string) *paperlist.Entry[paperlist.PageRecord] {
		return &paperlist.Entry[paperlist.PageRecord]{Key: url, State: paperlist.StateOK, Data: &paperlist.PageRecord{URL: url, Title: title}}
	}
	tests := []struct {
		name  string
		entry *paperlist.Entry[paperlist.PageRecord]
		want  []paperlist.Problem
	}{
		{"no entry", nil, nil},
		{"same title", page("Scaling Laws for Neural Language Models."), nil},
		{"page without title", page(""), nil},
		{"not found", &paperlist.Entry[paperlist.PageRecord]{Key: url, State: paperlist.StateNotFound}, nil},
		{"different paper", page("Attention Is All You Need"),
			[]paperlist.Problem{{Code: paperlist.ProblemTitleMismatch, Message: `listed as "Scaling Laws for Neural Language Models" but ` + url + ` is "Attention Is All You Need"`}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := &paperlist.Paper{Title: "Scaling Laws for Neural Language Models", PaperURL: url}
			paperlist.CheckPage(p, tt.entry)
			if diff := cmp.Diff(tt.want, p.Problems); diff != "" {
				t.Errorf("problems (-want +got):\n%s", diff)
			}
		})
	}
}
