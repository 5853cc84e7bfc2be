package paperlist_test

import (
	"strings"
	"testing"

	"github.com/paperlist/paperlist"
)

func TestSplitArxivID(t *testing.T) {
	tests := []struct {
		name    string
		in      string
		id      string
		version int
		ok      bool
	}{
		{"new style five digits", "2302.13971", "2302.13971", 0, true},
		{"new style four digits", "0704.0001", "0704.0001", 0, true},
		{"with version", "2306.11695v1", "2306.11695", 1, true},
		{"two-digit version", "2305.11627v12", "2305.11627", 12, true},
		{"spaces around", " 2302.13971 ", "2302.13971", 0, true},
		{"old style", "hep-th/9901001", "hep-th/9901001", 0, true},
		{"old style with version", "hep-th/9901001v2", "hep-th/9901001", 2, true},
		{"old style with subject class", "math.GT/0309136", "math.GT/0309136", 0, true},
		{"version zero", "2302.13971v0", "", 0, false},
		{"empty version", "2302.13971v", "", 0, false},
		{"too many digits", "2302.139711", "", 0, false},
		{"too few digits", "2302.139", "", 0, false},
		{"old style short number", "hep-th/990100", "", 0, false},
		{"prefix", "arXiv:2302.13971", "", 0, false},
		{"empty", "", "", 0, false},
		{"huge version", "2302.13971v99999999999999999999", "", 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			id, version, ok := paperlist.SplitArxivID(tt.in)
			if id != tt.id || version != tt.version || ok != tt.ok {
				t.Errorf("SplitArxivID(%q) = %q, %d, %v; want %q, %d, %v", tt.in, id, version, ok, tt.id, tt.version, tt.ok)
			}
			if got := paperlist.ValidArxivID(tt.in); got != tt.ok {
				t.Errorf("ValidArxivID(%q) = %v, want %v", tt.in, got, tt.ok)
			}
		})
	}
}

func TestParseArxivURL(t *testing.T) {
	tests := []struct {
		name    string
		in      string
		id      string
		version int
		ok      bool
	}{
		{"abs", "https://arxiv.org/abs/2302.13971", "2302.13971", 0, true},
		{"abs with version", "https://arxiv.org/abs/2306.11695v1", "2306.11695", 1, true},
		{"pdf with suffix", "https://arxiv.org/pdf/2307.06148.pdf", "2307.06148", 0, true},
		{"pdf with version and suffix", "https://arxiv.org/pdf/2306.11695v3.pdf", "2306.11695", 3, true},
		{"pdf without suffix", "https://arxiv.org/pdf/2307.06148v2", "2307.06148", 2, true},
		{"html", "https://arxiv.org/html/2402.00001v1", "2402.00001", 1, true},
		{"http and www", "http://www.arxiv.org/abs/2302.13971", "2302.13971", 0, true},
		{"export host", "https://export.arxiv.org/abs/2302.13971", "2302.13971", 0, true},
		{"upper-case host", "https://ArXiv.org/abs/2302.13971", "2302.13971", 0, true},
		{"upper-case www", "https://WWW.arxiv.org/abs/2302.13971", "2302.13971", 0, true},
		{"trailing slash", "https://arxiv.org/abs/2302.13971/", "2302.13971", 0, true},
		{"query and fragment", "https://arxiv.org/abs/2302.13971?context=cs#x", "2302.13971", 0, true},
		{"host with port", "https://arxiv.org:443/abs/2302.13971", "2302.13971", 0, true},
		{"old style", "https://arxiv.org/abs/hep-th/9901001", "hep-th/9901001", 0, true},
		{"old style pdf", "https://arxiv.org/pdf/hep-th/9901001v2.pdf", "hep-th/9901001", 2, true},
		{"listing page", "https://arxiv.org/list/cs.CL/recent", "", 0, false},
		{"ar5iv", "https://ar5iv.org/abs/1706.03762", "1706.03762", 0, true},
		{"junk glued to the path", "http://arxiv.org/pdf/1112.6209.pdf&embed", "1112.6209", 0, true},
		{"ar5iv labs html", "https://ar5iv.labs.arxiv.org/html/2302.13971v2", "2302.13971", 2, true},
		{"alphaxiv", "https://www.alphaxiv.org/abs/2401.00001", "2401.00001", 0, true},
		{"hugging face papers", "https://huggingface.co/papers/2305.14314", "2305.14314", 0, true},
		{"hugging face model is not a paper", "https://huggingface.co/meta-llama/Llama-2-7b", "", 0, false},
		{"arXiv DOI", "https://doi.org/10.48550/arXiv.2302.13971", "2302.13971", 0, true},
		{"arXiv DOI in lower case", "https://doi.org/10.48550/arxiv.2306.11695", "2306.11695", 0, true},
		{"other DOI", "https://doi.org/10.1145/3442188.3445922", "", 0, false},
		{"old style in export", "http://export.arxiv.org/abs/cs/0601001v1", "cs/0601001", 1, true},
		{"ftp scheme", "ftp://arxiv.org/abs/2302.13971", "", 0, false},
		{"no id", "https://arxiv.org/abs/", "", 0, false},
		{"not an id", "https://arxiv.org/abs/gpt3", "", 0, false},
		{"other host", "https://openreview.net/abs/2302.13971", "", 0, false},
		{"look-alike host", "https://arxiv.org.example.com/abs/2302.13971", "", 0, false},
		{"no scheme", "arxiv.org/abs/2302.13971", "", 0, false},
		{"unparsable", "https://arxiv.org/abs/%zz", "", 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			id, version, ok := paperlist.ParseArxivURL(tt.in)
			if id != tt.id || version != tt.version || ok != tt.ok {
				t.Errorf("ParseArxivURL(%q) = %q, %d, %v; want %q, %d, %v", tt.in, id, version, ok, tt.id, tt.version, tt.ok)
			}
		})
	}
}

func TestParseGitHubURL(t *testing.T) {
	tests := []struct {
		name string
		in   string
		repo string
		ok   bool
	}{
		{"repository", "https://github.com/locuslab/wanda", "locuslab/wanda", true},
		{"sub-path", "https://github.com/facebookresearch/llama/tree/main", "facebookresearch/llama", true},
		{"blob", "https://github.com/a/b/blob/main/README.md#usage", "a/b", true},
		{"trailing slash", "https://github.com/locuslab/wanda/", "locuslab/wanda", true},
		{".git", "https://github.com/IST-DASLab/sparsegpt.git", "IST-DASLab/sparsegpt", true},
		{"www and http", "http://www.github.com/horseee/LLM-Pruner", "horseee/LLM-Pruner", true},
		{"upper-case www", "https://WWW.GitHub.com/a/b", "a/b", true},
		{"case kept", "https://GitHub.com/ZrrSkywalker/LLaMA-Adapter", "ZrrSkywalker/LLaMA-Adapter", true},
		{"dots in name", "https://github.com/a/b.c", "a/b.c", true},
		{"host with port", "https://github.com:443/locuslab/wanda", "locuslab/wanda", true},
		{"owner only", "https://github.com/Vahe1994", "", false},
		{"no path", "https://github.com", "", false},
		{"ssh", "git@github.com:artidoro/qlora.git", "", false},
		{"no scheme", "github.com/a/b", "", false},
		{"other host", "https://gitlab.com/a/b", "", false},
		{"subdomain", "https://gist.github.com/a/b", "", false},
		{"bad owner", "https://github.com/-a/b", "", false},
		{"dot-dot name", "https://github.com/a/..", "", false},
		{"empty", "", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			repo, ok := paperlist.ParseGitHubURL(tt.in)
			if repo != tt.repo || ok != tt.ok {
				t.Errorf("ParseGitHubURL(%q) = %q, %v; want %q, %v", tt.in, repo, ok, tt.repo, tt.ok)
			}
		})
	}
}

func TestIsHTTPURL(t *testing.T) {
	tests := []struct {
		in   string
		want bool
	}{
		{"https://arxiv.org/abs/2302.13971", true},
		{"http://example.com", true},
		{" https://example.com/x ", true},
		{"HTTPS://EXAMPLE.COM", true},
		{"htps//arxiv.org/abs/2005.11401", false},
		{"ftp://example.com/x", false},
		{"https://", false},
		{"https:///path", false},
		{"/relative/path", false},
		{"", false},
	}
	for _, tt := range tests {
		if got := paperlist.IsHTTPURL(tt.in); got != tt.want {
			t.Errorf("IsHTTPURL(%q) = %v, want %v", tt.in, got, tt.want)
		}
	}
}

func TestRepoKey(t *testing.T) {
	if a, b := paperlist.RepoKey("horseee/LLM-Pruner"), paperlist.RepoKey("horseee/llm-pruner"); a != b || a != "horseee/llm-pruner" {
		t.Errorf("RepoKey gives %q and %q, want both %q", a, b, "horseee/llm-pruner")
	}
}

func TestValidGitHubName(t *testing.T) {
	tests := []struct {
		in string
		ok bool
	}{
		{"meta-llama/llama", true},
		{"a/b", true},
		{"Dao-AILab/flash-attention", true},
		{"o/.github", true},
		{"o/a_b.c-d", true},
		{"abcdefghijabcdefghijabcdefghijabcdefghi/x", true},
		{"abcdefghijabcdefghijabcdefghijabcdefghij/x", false},
		{"o/" + strings.Repeat("n", 100), true},
		{"o/" + strings.Repeat("n", 101), false},
		{"-o/x", false},
		{"o-/x", false},
		{"o--p/x", false},
		{"o_p/x", false},
		{"o/.", false},
		{"o/..", false},
		{"o/", false},
		{"/x", false},
		{"ox", false},
		{"o/x/y", false},
		{"evil/x) [click](javascript:alert(1)", false},
		{"evil/x\nline", false},
		{"evil/x\x1b[31m", false},
		{"évil/x", false},
	}
	for _, tt := range tests {
		if got := paperlist.ValidGitHubName(tt.in); got != tt.ok {
			t.Errorf("ValidGitHubName(%q) = %v, want %v", tt.in, got, tt.ok)
		}
	}
}

func TestPlausibleArxivID(t *testing.T) {
	tests := []struct {
		in string
		ok bool
	}{
		{"2302.13971", true},
		{"0704.0001", true},
		{"2312.00001", true},
		{"2301.00001", true},
		{"hep-th/9901001", true},
		{"math.GT/0309136", true},
		{"2313.00001", false},
		{"2300.00001", false},
		{"0000.0000", false},
		{"hep-th/9913001", false},
		{"hep-th/9900001", false},
		{"2302.13971v2", false},
		{" 2302.13971", false},
		{"2302.13971) [x](javascript:1", false},
		{"2302.13971\n- spam", false},
		{"", false},
	}
	for _, tt := range tests {
		if got := paperlist.PlausibleArxivID(tt.in); got != tt.ok {
			t.Errorf("PlausibleArxivID(%q) = %v, want %v", tt.in, got, tt.ok)
		}
	}
}
