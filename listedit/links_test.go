package listedit_test

import (
	"testing"

	"github.com/paperlist/paperlist/listedit"
)

func TestRenameRepoURL(t *testing.T) {
	for _, tc := range []struct {
		name, link, full, want string
		ok                     bool
	}{
		{"bare", "https://github.com/HazyResearch/flash-attention", "Dao-AILab/flash-attention", "https://github.com/Dao-AILab/flash-attention", true},
		{"path suffix", "https://github.com/facebookresearch/llama/tree/main", "meta-llama/llama", "https://github.com/meta-llama/llama/tree/main", true},
		{"trailing slash, query, fragment", "http://www.github.com/a/b/?tab=readme#x", "c/d", "http://www.github.com/c/d/?tab=readme#x", true},
		{"dot git", "https://github.com/a/b.git", "c/d", "https://github.com/c/d.git", true},
		{"case only", "https://github.com/horseee/llm-pruner", "horseee/LLM-Pruner", "", false},
		{"not github", "https://gitlab.com/a/b", "c/d", "", false},
		{"owner only", "https://github.com/a", "c/d", "", false},
		{"bad name", "https://github.com/a/b", "cd", "", false},
		{"markdown in the answer", "https://github.com/a/b", "evil/x) [click](javascript:alert(1)", "", false},
		{"newline in the answer", "https://github.com/a/b", "evil/x\n- [spam](https://spam)", "", false},
		{"escape in the answer", "https://github.com/a/b", "evil/x\x1b]0;pwned\a", "", false},
		{"double hyphen owner", "https://github.com/a/b", "e--vil/x", "", false},
		{"dot dot", "https://github.com/a/b", "evil/..", "", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, ok := listedit.RenameRepoURL(tc.link, tc.full)
			if got != tc.want || ok != tc.ok {
				t.Errorf("RenameRepoURL(%q, %q) = %q, %v; want %q, %v", tc.link, tc.full, got, ok, tc.want, tc.ok)
			}
		})
	}
}

func TestReplaceArxivID(t *testing.T) {
	for _, tc := range []struct {
		name, link, id, want, dropped string
		ok                            bool
	}{
		{"abs", "https://arxiv.org/abs/2205.14135", "2205.05198", "https://arxiv.org/abs/2205.05198", "", true},
		{"pdf http", "http://arxiv.org/pdf/2205.14135.pdf", "2205.05198", "http://arxiv.org/pdf/2205.05198.pdf", "", true},
		{"version dropped", "https://arxiv.org/abs/2205.14135v2", "2205.05198", "https://arxiv.org/abs/2205.05198", "v2", true},
		{"pdf version", "https://arxiv.org/pdf/2205.14135v3.pdf", "2205.05198", "https://arxiv.org/pdf/2205.05198.pdf", "v3", true},
		{"old style", "https://arxiv.org/abs/hep-th/9901001v1", "2205.05198", "https://arxiv.org/abs/2205.05198", "v1", true},
		{"www", "https://www.arxiv.org/abs/2205.14135", "2205.05198", "https://www.arxiv.org/abs/2205.05198", "", true},
		{"not arxiv", "https://openreview.net/forum?id=x", "2205.05198", "", "", false},
		{"listing", "https://arxiv.org/list/cs.CL/recent", "2205.05198", "", "", false},
		{"month 13", "https://arxiv.org/abs/2205.14135", "2213.05198", "", "", false},
		{"markdown in the id", "https://arxiv.org/abs/2205.14135", "2205.05198) [x](javascript:1", "", "", false},
		{"newline in the id", "https://arxiv.org/abs/2205.14135", "2205.05198\n- spam", "", "", false},
		{"id with version", "https://arxiv.org/abs/2205.14135", "2205.05198v2", "", "", false},
		{"empty id", "https://arxiv.org/abs/2205.14135", "", "", "", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, dropped, ok := listedit.ReplaceArxivID(tc.link, tc.id)
			if got != tc.want || dropped != tc.dropped || ok != tc.ok {
				t.Errorf("ReplaceArxivID(%q, %q) = %q, %q, %v; want %q, %q, %v", tc.link, tc.id, got, dropped, ok, tc.want, tc.dropped, tc.ok)
			}
		})
	}
}
