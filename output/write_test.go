package output_test

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/paperlist/paperlist"
	"github.com/paperlist/paperlist/output"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/golden")

// checkGolden compares got with testdata/golden/name, or rewrites the file
// when -update is given.
func checkGolden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", "golden", name)
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if diff := cmp.Diff(string(want), string(got)); diff != "" {
		t.Errorf("%s differs from the golden file (-want +got):\n%s", name, diff)
	}
}

// generatedAt is a fixed time off UTC and with nanoseconds, so that the
// outputs are deterministic and show the conversion to UTC seconds.
var generatedAt = time.Date(2026, 11, 27, 9, 0, 5, 123456789, time.FixedZone("CET", 3600))

func intPtr(n int) *int { return &n }

// emptyDataset is the dataset of a list without entries.
func emptyDataset() *paperlist.Dataset {
	return paperlist.NewDataset(&paperlist.List{Title: "Empty List", Source: "empty.md"}, generatedAt)
}

// fullDataset is a small dataset with every field filled somewhere: an
// enriched arXiv paper, a renamed and archived repository, a landing page,
// problems, a hostile entry, a paper without a section and one in a section
// the list info does not name.
func fullDataset() *paperlist.Dataset {
	cet := time.FixedZone("CET", 3600)
	llama := &paperlist.Paper{
		Key: "arxiv:2302.13971", Section: "Foundation Models", Line: 12,
		Title:   "LLaMA: Open and Efficient Foundation Language Models",
		Authors: []string{"Hugo Touvron", "Thibaut Lavril", "Gautier Izacard"},
		Venue:   "arXiv", Year: 2023,
		PaperURL: "https://arxiv.org/abs/2302.13971v1", CodeURL: "https://github.com/facebookresearch/llama/tree/main",
		ArxivID: "2302.13971", ArxivVersion: 1, Repo: "facebookresearch/llama",
		Arxiv: &paperlist.ArxivRecord{
			ID: "2302.13971", Version: 1,
			Title:    "LLaMA: Open and Efficient Foundation Language Models",
			Abstract: "We introduce LLaMA, a collection of foundation language models\nranging from 7B to 65B parameters. LLaMA-13B outperforms GPT-3 (175B) & more.",
			Authors: []paperlist.Author{
				{Name: "Hugo Touvron", Affiliations: []string{"Meta AI"}},
				{Name: "Thibaut Lavril", Affiliations: []string{"Meta AI", "Inria"}},
				{Name: "Gautier Izacard"},
			},
			Published:       time.Date(2023, 2, 27, 18, 48, 2, 0, time.UTC),
			Updated:         time.Date(2023, 2, 27, 19, 48, 2, 0, cet),
			PrimaryCategory: "cs.CL",
			Categories:      []string{"cs.CL", "cs.AI"},
			Comment:         "27 pages",
			JournalRef:      "Proc. Imaginary 2023",
			DOI:             "10.48550/arXiv.2302.13971",
			AbsURL:          "https://arxiv.org/abs/2302.13971v1",
			PDFURL:          "https://arxiv.org/pdf/2302.13971v1",
			FetchedAt:       time.Date(2026, 11, 27, 8, 59, 0, 999, time.UTC),
		},
		GitHub: &paperlist.RepoStats{
			FullName: "meta-llama/llama", ID: 601538000,
			HTMLURL:     "https://github.com/meta-llama/llama",
			Description: "Inference code for Llama models",
			Stars:       12345, Forks: 9876, OpenIssues: 321, Watchers: 500,
			Language: "Python", License: "NOASSERTION",
			Topics:        []string{"llm", "llama"},
			PushedAt:      time.Date(2023, 5, 1, 23, 30, 0, 0, time.FixedZone("PDT", -7*3600)),
			CreatedAt:     time.Date(2023, 2, 14, 9, 0, 0, 0, time.UTC),
			Homepage:      "https://llama.meta.com",
			DefaultBranch: "main",
			FetchedAt:     time.Date(2026, 11, 27, 8, 59, 30, 0, time.UTC),
			Stars7d:       intPtr(120),
			Stars30d:      intPtr(1500),
		},
		Problems: []paperlist.Problem{{Code: paperlist.ProblemRepoRenamed, Message: "facebookresearch/llama is now meta-llama/llama"}},
	}
	archived := &paperlist.Paper{
		Key: "arxiv:2305.11206", Section: "Foundation Models", Line: 20,
		Title: "LIMA: Less Is More for Alignment", Venue: "NeurIPS", Year: 2023,
		PaperURL: "https://arxiv.org/abs/2305.11206", CodeURL: "https://github.com/example/lima",
		ArxivID: "2305.11206", Repo: "example/lima",
		GitHub: &paperlist.RepoStats{
			FullName: "example/lima", Stars: 950, Forks: 12, OpenIssues: 0, Watchers: 950,
			Archived: true, Fork: true, Stars7d: intPtr(0), Stars30d: intPtr(-3),
		},
		Problems: []paperlist.Problem{{Code: paperlist.ProblemRepoArchived, Message: "example/lima is archived"}},
	}
	page := &paperlist.Paper{
		Key: "url:https://openreview.net/forum?id=abc", Section: "Fine-tuning", Line: 31,
		Title: "A Paper on OpenReview", Venue: "ICLR", Year: 2019,
		PaperURL: "https://openreview.net/forum?id=abc&noteId=x(1)",
		Page: &paperlist.PageRecord{
			URL: "https://openreview.net/forum?id=abc", Title: "A Paper on OpenReview",
			Abstract:  "A landing-page abstract.",
			Authors:   []string{"Ada Lovelace", "Alan Turing"},
			Published: "2019/05/06", PDFURL: "https://openreview.net/pdf?id=abc", DOI: "10.1000/xyz",
			FetchedAt: time.Date(2026, 11, 26, 1, 2, 3, 0, cet),
		},
	}
	hostile := &paperlist.Paper{
		Key: "title:script", Section: "Fine-tuning", Line: 40,
		Title:    "<script>alert(1)</script> [x](javascript:alert(1)) ![i](https://e.com/i.png) **b** | c\n# h",
		Authors:  []string{"<img src=x onerror=alert(1)>", "Mallory & Eve"},
		Venue:    "*Venue*",
		PaperURL: "javascript:alert(1)",
		CodeURL:  "https://github.com/a/b)](javascript:alert(1)",
		Repo:     "a/b",
		GitHub: &paperlist.RepoStats{
			FullName: "a/b", Description: `say "hi") [x](javascript:y)`,
			Stars: 7, Stars7d: intPtr(2),
		},
		Page: &paperlist.PageRecord{URL: "javascript:alert(1)", Abstract: "</details><script>alert(1)</script>\n\n# not a heading"},
		Problems: []paperlist.Problem{
			{Code: paperlist.ProblemBadPaperLink, Message: "javascript:alert(1) is not <b>http</b>"},
			{Code: paperlist.ProblemTitleMismatch, Message: "list says [x](javascript:1), arXiv says ![y](z)"},
		},
	}
	unsectioned := &paperlist.Paper{
		Key: "title:no section", Line: 5, Title: "No Section", Year: 2022,
		Problems: []paperlist.Problem{
			{Code: paperlist.ProblemNoPaperLink, Message: "the entry has no paper link"},
			{Code: paperlist.ProblemEmptyCodeLink, Message: "[code]() has an empty target"},
		},
	}
	unlisted := &paperlist.Paper{
		Key: "arxiv:2307.09288", Section: "Unlisted", Line: 50, Title: "Llama 2",
		PaperURL: "https://arxiv.org/abs/2307.09288", CodeURL: "https://github.com/meta-llama/llama",
		ArxivID: "2307.09288", Repo: "meta-llama/llama",
		GitHub: &paperlist.RepoStats{FullName: "meta-llama/llama", Stars: 1234567, Stars7d: intPtr(4321)},
	}
	return &paperlist.Dataset{
		SchemaVersion: paperlist.SchemaVersion,
		GeneratedAt:   generatedAt,
		List: paperlist.ListInfo{
			Title:    "LLaMA Paper List <b>bold</b>",
			Source:   "testdata/llama.md",
			Sections: []string{"Foundation Models", "Empty Section", "Fine-tuning"},
		},
		Papers: []*paperlist.Paper{llama, archived, page, hostile, unsectioned, unlisted},
	}
}

// largeDataset is a generated dataset of n enriched papers for benchmarks.
func largeDataset(n int) *paperlist.Dataset {
	d := &paperlist.Dataset{SchemaVersion: paperlist.SchemaVersion, GeneratedAt: generatedAt}
	for s := range 10 {
		d.List.Sections = append(d.List.Sections, fmt.Sprintf("Section %d", s))
	}
	abstract := strings.Repeat("We study large language models & their <behaviour>. ", 20)
	for i := range n {
		id := fmt.Sprintf("23%02d.%05d", i%12+1, i)
		repo := fmt.Sprintf("owner%d/repo-%d", i%500, i)
		d.Papers = append(d.Papers, &paperlist.Paper{
			Key: "arxiv:" + id, Section: d.List.Sections[i%10], Line: i*3 + 10,
			Title:   fmt.Sprintf("Paper %d: Efficient *Fine-tuning* of [LLMs]", i),
			Authors: []string{"Ada Lovelace", "Alan Turing", "Grace Hopper"},
			Venue:   "NeurIPS", Year: 2023,
			PaperURL: "https://arxiv.org/abs/" + id, CodeURL: "https://github.com/" + repo,
			ArxivID: id, Repo: repo,
			Arxiv: &paperlist.ArxivRecord{
				ID: id, Version: 2, Title: fmt.Sprintf("Paper %d", i), Abstract: abstract,
				Authors:   []paperlist.Author{{Name: "Ada Lovelace", Affiliations: []string{"Analytical Engines"}}},
				Published: generatedAt, Updated: generatedAt, FetchedAt: generatedAt,
				Categories: []string{"cs.CL"}, AbsURL: "https://arxiv.org/abs/" + id,
			},
			GitHub: &paperlist.RepoStats{
				FullName: repo, Stars: (i * 7919) % 50000, Forks: i % 100,
				PushedAt: generatedAt, FetchedAt: generatedAt, Stars7d: intPtr(i % 30),
			},
		})
	}
	return d
}

func TestWriteFiles(t *testing.T) {
	d := fullDataset()
	dir := t.TempDir()
	if err := output.WriteFiles(dir, d, output.MarkdownOptions{}); err != nil {
		t.Fatal(err)
	}
	var js, md bytes.Buffer
	if err := output.WriteJSON(&js, d); err != nil {
		t.Fatal(err)
	}
	if err := output.WriteMarkdown(&md, d, output.MarkdownOptions{}); err != nil {
		t.Fatal(err)
	}
	for name, want := range map[string][]byte{output.JSONFile: js.Bytes(), output.MarkdownFile: md.Bytes()} {
		path := filepath.Join(dir, name)
		got, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("%s differs from what the writer gives", name)
		}
		fi, err := os.Stat(path)
		if err != nil {
			t.Fatal(err)
		}
		if perm := fi.Mode().Perm(); perm != 0o644 {
			t.Errorf("%s has mode %v, want 0644", name, perm)
		}
	}
	assertOnly(t, dir, output.JSONFile, output.MarkdownFile)
}

func TestWriteFilesFailures(t *testing.T) {
	const old = "old contents\n"
	tests := []struct {
		name string
		// setup prepares dir (which holds an old papers.json) and returns
		// the folder to write to.
		setup   func(t *testing.T, dir string) string
		dataset *paperlist.Dataset
		opts    output.MarkdownOptions
		wantErr string
		// jsonReplaced is set when papers.json is written before the
		// failure, so the old one is not expected to survive.
		jsonReplaced bool
	}{
		{
			name:    "folder missing",
			setup:   func(t *testing.T, dir string) string { return filepath.Join(dir, "nope") },
			dataset: fullDataset(),
			wantErr: "no such file or directory",
		},
		{
			name: "folder is a file",
			setup: func(t *testing.T, dir string) string {
				return filepath.Join(dir, output.JSONFile)
			},
			dataset: fullDataset(),
			wantErr: "is not a directory",
		},
		{
			name:    "dataset cannot be written as json",
			setup:   func(t *testing.T, dir string) string { return dir },
			dataset: yearOutOfRange(),
			wantErr: "year outside of range",
		},
		{
			// Most of papers.json reaches its temporary file before the
			// last paper fails.
			name:    "last paper cannot be written as json",
			setup:   func(t *testing.T, dir string) string { return dir },
			dataset: lateYearOutOfRange(),
			wantErr: "year outside of range",
		},
		{
			name:    "missing paper",
			setup:   func(t *testing.T, dir string) string { return dir },
			dataset: &paperlist.Dataset{Papers: []*paperlist.Paper{{Key: "a"}, nil}},
			wantErr: "paper 2 is missing",
		},
		{
			name:    "unknown sort",
			setup:   func(t *testing.T, dir string) string { return dir },
			dataset: fullDataset(),
			opts:    output.MarkdownOptions{Sort: "random"},
			wantErr: `unknown sort "random"`,
		},
		{
			name:    "no dataset",
			setup:   func(t *testing.T, dir string) string { return dir },
			wantErr: "no dataset",
		},
		{
			// The rename over papers.md fails; papers.json was already
			// replaced, but no temporary file may stay behind.
			name: "papers.md cannot be replaced",
			setup: func(t *testing.T, dir string) string {
				blocker := filepath.Join(dir, output.MarkdownFile)
				if err := os.MkdirAll(filepath.Join(blocker, "x"), 0o755); err != nil {
					t.Fatal(err)
				}
				return dir
			},
			dataset:      fullDataset(),
			wantErr:      "rename",
			jsonReplaced: true,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			oldPath := filepath.Join(dir, output.JSONFile)
			if err := os.WriteFile(oldPath, []byte(old), 0o644); err != nil {
				t.Fatal(err)
			}
			target := tt.setup(t, dir)
			err := output.WriteFiles(target, tt.dataset, tt.opts)
			if err == nil {
				t.Fatal("WriteFiles succeeded, want an error")
			}
			msg := err.Error()
			if !strings.HasPrefix(msg, "write output: ") || !strings.Contains(msg, tt.wantErr) || strings.Contains(msg, "\n") {
				t.Errorf("error = %q, want one line starting %q and containing %q", msg, "write output: ", tt.wantErr)
			}
			if !tt.jsonReplaced {
				got, err := os.ReadFile(oldPath)
				if err != nil {
					t.Fatal(err)
				}
				if string(got) != old {
					t.Errorf("papers.json = %q, want it untouched", got)
				}
			}
			entries, err := os.ReadDir(dir)
			if err != nil {
				t.Fatal(err)
			}
			for _, e := range entries {
				if strings.HasSuffix(e.Name(), ".tmp") {
					t.Errorf("temporary file %s left behind", e.Name())
				}
			}
		})
	}
}

// assertOnly fails unless dir holds exactly the named files.
func assertOnly(t *testing.T, dir string, names ...string) {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, e := range entries {
		got = append(got, e.Name())
	}
	if diff := cmp.Diff(names, got); diff != "" {
		t.Errorf("files in %s (-want +got):\n%s", dir, diff)
	}
}

// yearOutOfRange is a dataset with a time that JSON cannot hold.
func yearOutOfRange() *paperlist.Dataset {
	d := fullDataset()
	d.Papers[0].Arxiv.Published = time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC)
	return d
}

// lateYearOutOfRange is a large dataset whose last paper has a time that
// JSON cannot hold.
func lateYearOutOfRange() *paperlist.Dataset {
	d := largeDataset(200)
	d.Papers[len(d.Papers)-1].Arxiv.Updated = time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC)
	return d
}

func BenchmarkWriteFiles(b *testing.B) {
	d := largeDataset(10_000)
	dir := b.TempDir()
	b.ReportAllocs()
	for b.Loop() {
		if err := output.WriteFiles(dir, d, output.MarkdownOptions{}); err != nil {
			b.Fatal(err)
		}
	}
}
