package markdown_test

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/paperlist/paperlist"
	"github.com/paperlist/paperlist/sources/markdown"
)

// view is what a test asserts about a parsed paper.
type view struct {
	Line         int
	Section      string
	Title        string
	Authors      []string
	Venue        string
	Year         int
	PaperURL     string
	CodeURL      string
	Key          string
	ArxivID      string
	ArxivVersion int
	Repo         string
	Problems     []string
}

func viewOf(p *paperlist.Paper) view {
	v := view{
		Line: p.Line, Section: p.Section, Title: p.Title, Authors: p.Authors, Venue: p.Venue, Year: p.Year,
		PaperURL: p.PaperURL, CodeURL: p.CodeURL, Key: p.Key, ArxivID: p.ArxivID, ArxivVersion: p.ArxivVersion,
		Repo: p.Repo,
	}
	for _, pr := range p.Problems {
		v.Problems = append(v.Problems, pr.Code)
	}
	return v
}

func views(l *paperlist.List) []view {
	var vs []view
	for _, p := range l.Papers {
		vs = append(vs, viewOf(p))
	}
	return vs
}

func mustParse(t testing.TB, src []byte, source string) *paperlist.List {
	t.Helper()
	l, err := markdown.Parse(src, source)
	if err != nil {
		t.Fatalf("Parse(%s): %v", source, err)
	}
	return l
}

func readList(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "..", "testdata", "lists", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestParseBuiltinFacts(t *testing.T) {
	l := mustParse(t, markdown.Builtin, markdown.BuiltinSource)
	if l.Title != "LLaMA-Paper-List" || l.Source != markdown.BuiltinSource {
		t.Errorf("title, source = %q, %q", l.Title, l.Source)
	}
	wantSections := []string{
		"About LLaMA and related theory",
		"LLaMA with parameter efficiency",
		"Fine-tune LLaMA on downstream tasks",
		"LLaMA with retrieval",
		"LLaMA using reinforcement learning",
		"Quantitative analysis of LLaMA",
	}
	if diff := cmp.Diff(wantSections, l.Sections); diff != "" {
		t.Errorf("sections (-want +got):\n%s", diff)
	}
	perSection := map[string]int{}
	ids, repos := map[string]bool{}, map[string]bool{}
	codeLinks := 0
	var emptyCode, duplicates []string
	problems := 0
	for _, p := range l.Papers {
		perSection[p.Section]++
		if p.ArxivID != "" {
			ids[p.ArxivID] = true
		}
		if p.Repo != "" {
			repos[paperlist.RepoKey(p.Repo)] = true
		}
		if p.CodeURL != "" || p.HasProblem(paperlist.ProblemEmptyCodeLink) {
			codeLinks++
		}
		if p.HasProblem(paperlist.ProblemEmptyCodeLink) {
			emptyCode = append(emptyCode, p.Title)
		}
		if p.HasProblem(paperlist.ProblemDuplicatePaper) {
			duplicates = append(duplicates, p.Title)
		}
		problems += len(p.Problems)
	}
	wantPerSection := map[string]int{
		wantSections[0]: 9, wantSections[1]: 5, wantSections[2]: 11,
		wantSections[3]: 3, wantSections[4]: 2, wantSections[5]: 2,
	}
	if diff := cmp.Diff(wantPerSection, perSection); diff != "" {
		t.Errorf("papers per section (-want +got):\n%s", diff)
	}
	for _, c := range []struct {
		what      string
		got, want int
	}{
		{"papers", len(l.Papers), 32},
		{"distinct arXiv ids", len(ids), 31},
		{"code links", codeLinks, 25},
		{"distinct repositories", len(repos), 22},
		{"problems", problems, 3},
	} {
		if c.got != c.want {
			t.Errorf("%s = %d, want %d", c.what, c.got, c.want)
		}
	}
	wantEmpty := []string{
		"NetGPT: A Native-AI Network Architecture Beyond Provisioning Personalized Generative Services",
		"On decoder-only architecture for speech-to-text and large language model integration",
	}
	if diff := cmp.Diff(wantEmpty, emptyCode); diff != "" {
		t.Errorf("entries with an empty code link (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"Reducing Activation Recomputation in Large Transformer Models"}, duplicates); diff != "" {
		t.Errorf("duplicate entries (-want +got):\n%s", diff)
	}
}

func TestParseBuiltinEntries(t *testing.T) {
	l := mustParse(t, markdown.Builtin, markdown.BuiltinSource)
	byLine := map[int]*paperlist.Paper{}
	for _, p := range l.Papers {
		byLine[p.Line] = p
	}
	tests := []struct {
		name string
		want view
	}{
		{"LLaMA: repository from a sub-path, authors as written", view{
			Line: 24, Section: "About LLaMA and related theory",
			Title:   "LLaMA: Open and Efficient Foundation Language Models",
			Authors: []string{"YHugo Touvron", "Thibaut Lavril", "Gautier Izacard", "Xavier Martinet", "Marie-Anne Lachaux", "Timothée Lacroix", "Baptiste Rozière", "Naman Goyal", "Eric Hambro", "Faisal Azhar", "Aurelien Rodriguez", "Armand Joulin", "Edouard Grave", "Guillaume Lample"},
			Venue:   "arxiv", Year: 2023,
			PaperURL: "https://arxiv.org/abs/2302.13971", CodeURL: "https://github.com/facebookresearch/llama/tree/main",
			Key: "arxiv:2302.13971", ArxivID: "2302.13971", Repo: "facebookresearch/llama",
		}},
		{"NeurIPS venue, no code link", view{
			Line: 26, Section: "About LLaMA and related theory",
			Title:   "Training Compute-Optimal Large Language Models",
			Authors: []string{"Jordan Hoffmann", "Sebastian Borgeaud", "Arthur Mensch", "Elena Buchatskaya", "Trevor Cai", "Eliza Rutherford", "Diego de Las Casas", "Lisa Anne Hendricks", "Johannes Welbl", "Aidan Clark", "Tom Hennigan", "Eric Noland", "Katie Millican", "George van den Driessche", "Bogdan Damoc", "Aurelia Guy", "Simon Osindero", "Karen Simonyan", "Erich Elsen", "Jack W. Rae", "Oriol Vinyals", "Laurent Sifre"},
			Venue:   "NeurIPS", Year: 2022,
			PaperURL: "https://arxiv.org/abs/2203.15556", Key: "arxiv:2203.15556", ArxivID: "2203.15556",
		}},
		{"ICLR venue", view{
			Line: 34, Section: "About LLaMA and related theory",
			Title: "Decoupled Weight Decay Regularization", Authors: []string{"Ilya Loshchilov", "Frank Hutter"},
			Venue: "ICLR", Year: 2019,
			PaperURL: "https://arxiv.org/abs/1711.05101", CodeURL: "https://github.com/loshchil/AdamW-and-SGDW",
			Key: "arxiv:1711.05101", ArxivID: "1711.05101", Repo: "loshchil/AdamW-and-SGDW",
		}},
		{"TeX in the title, authors joined by and", view{
			Line: 36, Section: "About LLaMA and related theory",
			Title: "Self-attention Does Not Need $O(n^2)$ Memory", Authors: []string{"Markus N. Rabe", "Charles Staats"},
			Venue: "arxiv", Year: 2021,
			PaperURL: "https://arxiv.org/abs/2112.05682", CodeURL: "https://github.com/lucidrains/memory-efficient-attention-pytorch",
			Key: "arxiv:2112.05682", ArxivID: "2112.05682", Repo: "lucidrains/memory-efficient-attention-pytorch",
		}},
		{"duplicate arXiv id", view{
			Line: 40, Section: "About LLaMA and related theory",
			Title:   "Reducing Activation Recomputation in Large Transformer Models",
			Authors: []string{"Vijay Korthikanti", "Jared Casper", "Sangkug Lym", "Lawrence McAfee", "Michael Andersch", "Mohammad Shoeybi", "Bryan Catanzaro"},
			Venue:   "arxiv", Year: 2022,
			PaperURL: "https://arxiv.org/abs/2205.14135", Key: "arxiv:2205.14135#2", ArxivID: "2205.14135",
			Problems: []string{paperlist.ProblemDuplicatePaper},
		}},
		{"authors as Last, First and Last, First", view{
			Line: 45, Section: "LLaMA with parameter efficiency",
			Title:   "LLaMA-Adapter: Efficient Fine-tuning of Language Models with Zero-init Attention",
			Authors: []string{"Renrui Zhang", "Jiaming Han", "Aojun Zhou", "Xiangfei Hu", "Shilin Yan", "Pan Lu", "Hongsheng Li", "Peng Gao", "Yu Qiao"},
			Venue:   "arxiv", Year: 2023,
			PaperURL: "https://arxiv.org/abs/2303.16199", CodeURL: "https://github.com/ZrrSkywalker/LLaMA-Adapter",
			Key: "arxiv:2303.16199", ArxivID: "2303.16199", Repo: "ZrrSkywalker/LLaMA-Adapter",
		}},
		{"versioned arXiv link", view{
			Line: 51, Section: "LLaMA with parameter efficiency",
			Title:   "A Simple and Effective Pruning Approach for Large Language Models",
			Authors: []string{"Mingjie Sun", "Zhuang Liu", "Anna Bair", "J. Zico Kolter"},
			Venue:   "arxiv", Year: 2023,
			PaperURL: "https://arxiv.org/abs/2306.11695v1", CodeURL: "https://github.com/locuslab/wanda",
			Key: "arxiv:2306.11695", ArxivID: "2306.11695", ArxivVersion: 1, Repo: "locuslab/wanda",
		}},
		{"title followed by .**.", view{
			Line: 58, Section: "Fine-tune LLaMA on downstream tasks",
			Title:   "ChatDoctor: A Medical Chat Model Fine-Tuned on a Large Language Model Meta-AI (LLaMA) Using Medical Domain Knowledge",
			Authors: []string{"Yunxiang Li", "Zihan Li", "Kai Zhang", "Ruilong Dan", "Steve Jiang", "You Zhang"},
			Venue:   "arxiv", Year: 2023,
			PaperURL: "https://arxiv.org/abs/2303.14070", Key: "arxiv:2303.14070", ArxivID: "2303.14070",
		}},
		{"title wrapped onto two lines", view{
			Line: 64, Section: "Fine-tune LLaMA on downstream tasks",
			Title:   "Dr. LLaMA: Improving Small Language Models on PubMedQA via Generative Data Augmentation",
			Authors: []string{"Zhen Guo", "Peiqi Wang", "Yanwei Wang", "Shangdi Yu"},
			Venue:   "arxiv", Year: 2023,
			PaperURL: "https://arxiv.org/abs/2305.07804", Key: "arxiv:2305.07804", ArxivID: "2305.07804",
		}},
		{"pdf link and empty code link", view{
			Line: 77, Section: "Fine-tune LLaMA on downstream tasks",
			Title:   "NetGPT: A Native-AI Network Architecture Beyond Provisioning Personalized Generative Services",
			Authors: []string{"Yuxuan Chen", "Rongpeng Li", "Zhifeng Zhao", "Chenghui Peng", "Jianjun Wu", "Ekram Hossain", "Honggang Zhang"},
			Venue:   "arxiv", Year: 2023,
			PaperURL: "https://arxiv.org/pdf/2307.06148.pdf", Key: "arxiv:2307.06148", ArxivID: "2307.06148",
			Problems: []string{paperlist.ProblemEmptyCodeLink},
		}},
		{"no venue or year: ReWOO", view{
			Line: 85, Section: "LLaMA with retrieval",
			Title:    "ReWOO: Decoupling Reasoning from Observations for Efficient Augmented Language Models",
			Authors:  []string{"Binfeng Xu", "Zhiyuan Peng", "Bowen Lei", "Subhabrata Mukherjee", "Yuchen Liu", "Dongkuan Xu"},
			PaperURL: "https://arxiv.org/abs/2305.18323v1", CodeURL: "https://github.com/billxbf/rewoo",
			Key: "arxiv:2305.18323", ArxivID: "2305.18323", ArxivVersion: 1, Repo: "billxbf/rewoo",
		}},
		{"no venue or year: RRHF", view{
			Line: 94, Section: "LLaMA using reinforcement learning",
			Title:    "RRHF: Rank Responses to Align Language Models with Human Feedback without tears",
			Authors:  []string{"Zheng Yuan", "Hongyi Yuan", "Chuanqi Tan", "Wei Wang", "Songfang Huang", "Fei Huang"},
			PaperURL: "https://arxiv.org/abs/2304.05302v2", CodeURL: "https://github.com/ganjinzero/rrhf",
			Key: "arxiv:2304.05302", ArxivID: "2304.05302", ArxivVersion: 2, Repo: "ganjinzero/rrhf",
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, ok := byLine[tt.want.Line]
			if !ok {
				t.Fatalf("no entry on line %d", tt.want.Line)
			}
			if diff := cmp.Diff(tt.want, viewOf(p)); diff != "" {
				t.Errorf("entry (-want +got):\n%s", diff)
			}
		})
	}
}

func TestParseOtherLayouts(t *testing.T) {
	tests := []struct {
		file     string
		title    string
		sections []string
		papers   []view
	}{
		{
			file:     "numbered-badges.md",
			title:    "Awesome Efficient LLM",
			sections: []string{"Pruning", "Weight-only"},
			papers: []view{
				{
					Line: 17, Section: "Pruning", Title: "LLM-Pruner: On the Structural Pruning of Large Language Models",
					Authors: []string{"Xinyin Ma", "Gongfan Fang", "Xinchao Wang"}, Venue: "NeurIPS", Year: 2023,
					PaperURL: "https://arxiv.org/abs/2305.11627", CodeURL: "https://github.com/horseee/LLM-Pruner",
					Key: "arxiv:2305.11627", ArxivID: "2305.11627", Repo: "horseee/LLM-Pruner",
				},
				{
					Line: 19, Section: "Pruning", Title: "A Simple and Effective Pruning Approach for Large Language Models",
					Authors: []string{"Mingjie Sun", "Zhuang Liu", "Anna Bair", "J. Zico Kolter"}, Venue: "ICLR", Year: 2024,
					PaperURL: "https://arxiv.org/pdf/2306.11695v3.pdf", CodeURL: "https://github.com/locuslab/wanda/",
					Key: "arxiv:2306.11695", ArxivID: "2306.11695", ArxivVersion: 3, Repo: "locuslab/wanda",
				},
				{
					Line: 21, Section: "Pruning", Title: "SparseGPT: Massive Language Models Can Be Accurately Pruned in One-Shot",
					Venue: "ICML", Year: 2023,
					PaperURL: "http://arxiv.org/abs/2301.00774v3", CodeURL: "https://github.com/IST-DASLab/sparsegpt.git",
					Key: "arxiv:2301.00774", ArxivID: "2301.00774", ArxivVersion: 3, Repo: "IST-DASLab/sparsegpt",
				},
				{
					Line: 28, Section: "Weight-only", Title: "GPTQ: Accurate Post-Training Quantization for Generative Pre-trained Transformers",
					Authors: []string{"Elias Frantar", "Saleh Ashkboos", "Torsten Hoefler", "Dan Alistarh"}, Venue: "ICLR", Year: 2023,
					PaperURL: "https://arxiv.org/abs/2210.17323", CodeURL: "https://github.com/IST-DASLab/gptq",
					Key: "arxiv:2210.17323", ArxivID: "2210.17323", Repo: "IST-DASLab/gptq",
				},
				{
					Line: 30, Section: "Weight-only", Title: "AWQ: Activation-aware Weight Quantization for LLM Compression and Acceleration",
					Venue: "MLSys", Year: 2024,
					PaperURL: "https://arxiv.org/abs/2306.00978", CodeURL: "https://github.com/mit-han-lab/llm-awq",
					Key: "arxiv:2306.00978", ArxivID: "2306.00978", Repo: "mit-han-lab/llm-awq",
				},
				{
					Line: 31, Section: "Weight-only", Title: "SpQR: A Sparse-Quantized Representation for Near-Lossless LLM Weight Compression",
					PaperURL: "https://arxiv.org/abs/2306.03078", CodeURL: "https://github.com/Vahe1994",
					Key: "arxiv:2306.03078", ArxivID: "2306.03078", Problems: []string{paperlist.ProblemBadCodeLink},
				},
				{
					Line: 32, Section: "Weight-only", Title: "QLoRA: Efficient Finetuning of Quantized LLMs",
					Venue: "NeurIPS", Year: 2023,
					PaperURL: "https://arxiv.org/abs/2305.14314", CodeURL: "git@github.com:artidoro/qlora.git",
					Key: "arxiv:2305.14314", ArxivID: "2305.14314", Problems: []string{paperlist.ProblemBadCodeLink},
				},
				{
					Line: 33, Section: "Weight-only", Title: "OPTQ: Accurate Quantization for Generative Pre-trained Transformers",
					Venue: "ICLR", Year: 2023, PaperURL: "https://arxiv.org/abs/2210.17323v2",
					Key: "arxiv:2210.17323#2", ArxivID: "2210.17323", ArxivVersion: 2, Problems: []string{paperlist.ProblemDuplicatePaper},
				},
				{
					Line: 34, Section: "Weight-only", Title: "A Quantization Paper Whose Link Was Forgotten",
					Venue: "arXiv", Year: 2024, CodeURL: "https://github.com/example/forgotten",
					Key: "title:a quantization paper whose link was forgotten", Repo: "example/forgotten",
					Problems: []string{paperlist.ProblemNoPaperLink},
				},
			},
		},
		{
			file:     "plain-titles.md",
			title:    "LLM Reasoning Papers",
			sections: []string{"Prompting", "Older work"},
			papers: []view{
				{
					Line: 12, Section: "Prompting", Title: "Chain-of-Thought Prompting Elicits Reasoning in Large Language Models",
					Authors: []string{"Jason Wei", "Xuezhi Wang", "Dale Schuurmans", "Maarten Bosma", "Brian Ichter", "Fei Xia", "Ed Chi", "Quoc Le", "Denny Zhou"},
					Venue:   "NeurIPS", Year: 2022, PaperURL: "https://arxiv.org/abs/2201.11903",
					Key: "arxiv:2201.11903", ArxivID: "2201.11903",
				},
				{
					Line: 14, Section: "Prompting", Title: "Self-Consistency Improves Chain of Thought Reasoning in Language Models",
					Venue: "ICLR", Year: 2023,
					PaperURL: "https://openreview.net/forum?id=1PL1NIMMrw", CodeURL: "https://gitlab.com/example/self-consistency",
					Key: "url:https://openreview.net/forum?id=1PL1NIMMrw",
				},
				{
					Line: 15, Section: "Prompting", Title: "Tree of Thoughts: Deliberate Problem Solving with Large Language Models",
					Venue: "NeurIPS", Year: 2023,
					PaperURL: "https://arxiv.org/abs/2305.10601", CodeURL: "https://github.com/princeton-nlp/tree-of-thought-llm",
					Key: "arxiv:2305.10601", ArxivID: "2305.10601", Repo: "princeton-nlp/tree-of-thought-llm",
				},
				{
					Line: 17, Section: "Prompting", Title: "Toolformer: Language Models Can Teach Themselves to Use Tools",
					Venue: "arXiv", Year: 2023,
					PaperURL: "https://arxiv.org/pdf/2302.04761v1", CodeURL: "https://huggingface.co/spaces/example/toolformer-demo",
					Key: "arxiv:2302.04761", ArxivID: "2302.04761", ArxivVersion: 1,
				},
				{
					Line: 21, Section: "Older work", Title: "An Old-Style arXiv Identifier",
					Venue: "JHEP", Year: 1999, PaperURL: "https://arxiv.org/abs/hep-th/9901001v2",
					Key: "arxiv:hep-th/9901001", ArxivID: "hep-th/9901001", ArxivVersion: 2,
				},
				{
					Line: 22, Section: "Older work", Title: "Retrieval-Augmented Generation for Knowledge-Intensive NLP Tasks",
					Venue: "NeurIPS", Year: 2020, PaperURL: "htps//arxiv.org/abs/2005.11401",
					Key:      "title:retrieval augmented generation for knowledge intensive nlp tasks",
					Problems: []string{paperlist.ProblemBadPaperLink, paperlist.ProblemEmptyCodeLink},
				},
				{
					Line: 23, Section: "Older work", Title: "Language Models are Few-Shot Learners",
					Venue: "NeurIPS", Year: 2020, PaperURL: "https://arxiv.org/abs/gpt3",
					Key: "url:https://arxiv.org/abs/gpt3", Problems: []string{paperlist.ProblemBadPaperLink},
				},
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			l := mustParse(t, readList(t, tt.file), tt.file)
			if l.Title != tt.title {
				t.Errorf("title = %q, want %q", l.Title, tt.title)
			}
			if diff := cmp.Diff(tt.sections, l.Sections); diff != "" {
				t.Errorf("sections (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.papers, views(l)); diff != "" {
				t.Errorf("papers (-want +got):\n%s", diff)
			}
		})
	}
}

func TestParseFragments(t *testing.T) {
	tests := []struct {
		name   string
		src    string
		title  string
		papers []view
	}{
		{name: "empty", src: ""},
		{name: "white space", src: " \n\n\t\n"},
		{
			name:  "no papers: contents, contributors, badges, contributing",
			src:   "# T\n\n[![x](https://img.shields.io/badge/a-b-c)](https://x.org)\n\n## Contents\n\n- [A](#a)\n- [B](#b)\n\n## Contributors\n\n- [@alice](https://github.com/alice)\n\n## How to contribute\n\nSee [CONTRIBUTING.md](CONTRIBUTING.md).\n",
			title: "T",
		},
		{
			name:  "link list that is not papers",
			src:   "# T\n## Links\n- [The Illustrated Transformer](https://jalammar.github.io/x/), a blog post\n- [Awesome-LLM](https://github.com/a/b)\n",
			title: "T",
		},
		{
			name: "entry before any heading, CRLF line ends",
			src:  "intro\r\n\r\n- **A Paper.** arxiv 2023. [paper](https://arxiv.org/abs/2302.13971)\r\n",
			papers: []view{{
				Line: 3, Title: "A Paper", Venue: "arxiv", Year: 2023, PaperURL: "https://arxiv.org/abs/2302.13971",
				Key: "arxiv:2302.13971", ArxivID: "2302.13971",
			}},
		},
		{
			name:  "byte-order mark, second H1 is a section",
			src:   "\uFEFF# Title\n# Part\n* **P** ICLR 2019 [PAPER](https://e.org/p)\n",
			title: "Title",
			papers: []view{{
				Line: 3, Section: "Part", Title: "P", Venue: "ICLR", Year: 2019, PaperURL: "https://e.org/p", Key: "url:https://e.org/p",
			}},
		},
		{
			name:  "escapes, entities, reference link, angle-bracket destination",
			src:   "# T\n## S\n- **Q\\*A &amp; More.** [paper][p] [code](<https://github.com/a/b c>)\n\n[p]: https://arxiv.org/abs/2302.13971v4\n",
			title: "T",
			papers: []view{{
				Line: 3, Section: "S", Title: "Q*A & More", PaperURL: "https://arxiv.org/abs/2302.13971v4", CodeURL: "https://github.com/a/b c",
				Key: "arxiv:2302.13971", ArxivID: "2302.13971", ArxivVersion: 4, Problems: []string{paperlist.ProblemBadCodeLink},
			}},
		},
		{
			name:  "bold title linked to the paper, no other link",
			src:   "# T\n## S\n1. **[Attention Is All You Need](https://arxiv.org/abs/1706.03762)** NeurIPS 2017\n",
			title: "T",
			papers: []view{{
				Line: 3, Section: "S", Title: "Attention Is All You Need", Venue: "NeurIPS", Year: 2017,
				PaperURL: "https://arxiv.org/abs/1706.03762", Key: "arxiv:1706.03762", ArxivID: "1706.03762",
			}},
		},
		{
			name:  "bold title without links, empty paper link",
			src:   "# T\n## S\n- **Unlinked.** arxiv 2023. <br/>\n  *Last, First*\n- **Empty.** [paper]()\n",
			title: "T",
			papers: []view{
				{
					Line: 3, Section: "S", Title: "Unlinked", Authors: []string{"Last", "First"}, Venue: "arxiv", Year: 2023,
					Key: "title:unlinked", Problems: []string{paperlist.ProblemNoPaperLink},
				},
				{
					Line: 5, Section: "S", Title: "Empty", Key: "title:empty", Problems: []string{paperlist.ProblemBadPaperLink},
				},
			},
		},
		{
			name:  "italic title is not the authors line",
			src:   "# T\n- *Italic Title* NeurIPS 2020 [paper](https://e.org/i)\n",
			title: "T",
			papers: []view{{
				Line: 2, Title: "Italic Title", Venue: "NeurIPS", Year: 2020, PaperURL: "https://e.org/i", Key: "url:https://e.org/i",
			}},
		},
		{
			name:  "same title twice without links",
			src:   "# T\n- **Same** [code](https://github.com/a/b)\n- **Same** [code](https://github.com/a/c)\n",
			title: "T",
			papers: []view{
				{Line: 2, Title: "Same", CodeURL: "https://github.com/a/b", Key: "title:same", Repo: "a/b", Problems: []string{paperlist.ProblemNoPaperLink}},
				{Line: 3, Title: "Same", CodeURL: "https://github.com/a/c", Key: "title:same#2", Repo: "a/c", Problems: []string{paperlist.ProblemNoPaperLink}},
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l := mustParse(t, []byte(tt.src), "frag")
			if l.Title != tt.title {
				t.Errorf("title = %q, want %q", l.Title, tt.title)
			}
			if diff := cmp.Diff(tt.papers, views(l)); diff != "" {
				t.Errorf("papers (-want +got):\n%s", diff)
			}
		})
	}
}

func TestSplitAuthorsForms(t *testing.T) {
	tests := []struct {
		name    string
		authors string
		want    []string
	}{
		{"first last, comma separated", "Biao Zhang, Rico Sennrich", []string{"Biao Zhang", "Rico Sennrich"}},
		{"two joined by and", "Markus N. Rabe and Charles Staats", []string{"Markus N. Rabe", "Charles Staats"}},
		{"oxford comma", "A B, C D, and E F", []string{"A B", "C D", "E F"}},
		{"last, first and last, first", "Zhang, Renrui and Han, Jiaming", []string{"Renrui Zhang", "Jiaming Han"}},
		{"single author", "Noam Shazeer", []string{"Noam Shazeer"}},
		{"trailing period", "Noam Shazeer.", []string{"Noam Shazeer"}},
		{"and inside a name is kept", "Alexander Anderson, Sandy Grand", []string{"Alexander Anderson", "Sandy Grand"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src := "- **T** [paper](https://e.org/x)<br />\n*" + tt.authors + "*\n"
			l := mustParse(t, []byte(src), "authors")
			if len(l.Papers) != 1 {
				t.Fatalf("got %d papers, want 1", len(l.Papers))
			}
			if diff := cmp.Diff(tt.want, l.Papers[0].Authors); diff != "" {
				t.Errorf("authors (-want +got):\n%s", diff)
			}
		})
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct {
		name string
		src  []byte
		want string
	}{
		{"not UTF-8", []byte("# T\n\n- **a** [paper](https://e.org)\n\xff\xfe\n"), "not UTF-8 text (invalid byte on line 4)"},
		{"too large", []byte(strings.Repeat("a", markdown.MaxSize+1)), "more than the limit"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l, err := markdown.Parse(tt.src, "x")
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("Parse() = %v, %v; want an error containing %q", l, err, tt.want)
			}
		})
	}
}

// checkInvariants fails t when a parsed list breaks what every reader of a
// list relies on.
func checkInvariants(t *testing.T, src []byte, l *paperlist.List) {
	t.Helper()
	// CommonMark ends a line at "\n", "\r\n" or a lone "\r".
	lines := strings.Count(strings.ReplaceAll(string(src), "\r\n", "\n"), "\n") +
		strings.Count(strings.ReplaceAll(string(src), "\r\n", "\n"), "\r") + 1
	keys := map[string]bool{}
	sections := map[string]bool{}
	for _, s := range l.Sections {
		sections[s] = true
	}
	for i, p := range l.Papers {
		if p.Key == "" {
			t.Errorf("paper %d (line %d) has no key", i, p.Line)
		}
		if keys[p.Key] {
			t.Errorf("paper %d: key %q is not unique", i, p.Key)
		}
		keys[p.Key] = true
		if p.Line < 1 || p.Line > lines {
			t.Errorf("paper %d: line %d outside 1..%d", i, p.Line, lines)
		}
		if p.Section != "" && !sections[p.Section] {
			t.Errorf("paper %d: section %q not in the list's sections", i, p.Section)
		}
		if strings.ContainsAny(p.Title, "\n\r") {
			t.Errorf("paper %d: title %q spans lines", i, p.Title)
		}
		checkSpan(t, src, fmt.Sprintf("paper %d: paper link", i), p.PaperSpan, p.PaperURL)
		checkSpan(t, src, fmt.Sprintf("paper %d: code link", i), p.CodeSpan, p.CodeURL)
	}
	for i, sl := range l.Links {
		if sl.Line < 1 || sl.Line > lines {
			t.Errorf("link %d: line %d outside 1..%d", i, sl.Line, lines)
		}
		if sl.Span.IsZero() {
			continue
		}
		if sl.Span.Start < 0 || sl.Span.End > len(src) || sl.Span.Start > sl.Span.End {
			t.Errorf("link %d: span %v outside the source of %d bytes", i, sl.Span, len(src))
			continue
		}
		if got := string(src[sl.Span.Start:sl.Span.End]); got != sl.URL {
			t.Errorf("link %d: span %v holds %q, want %q", i, sl.Span, got, sl.URL)
		}
		if i > 0 && l.Links[i-1].Line > sl.Line {
			t.Errorf("link %d: line %d before the line %d of the link before it", i, sl.Line, l.Links[i-1].Line)
		}
	}
}

// checkSpan fails t when span is not a span of src that holds url as
// written: url itself, or url with its backslash escapes and character
// references.
func checkSpan(t *testing.T, src []byte, what string, span paperlist.Span, url string) {
	t.Helper()
	if span.IsZero() {
		return
	}
	if span.Start < 0 || span.End > len(src) || span.Start > span.End {
		t.Errorf("%s: span %v outside the source of %d bytes", what, span, len(src))
		return
	}
	got := string(src[span.Start:span.End])
	if got != url && !strings.ContainsAny(got, "\\&") {
		t.Errorf("%s: span %v holds %q, want %q", what, span, got, url)
	}
}

func FuzzParse(f *testing.F) {
	f.Add(markdown.Builtin)
	for _, name := range listFiles(f) {
		f.Add(readList(f, name))
	}
	for _, s := range []string{
		"",
		"# T",
		"- **",
		"- **a\n** [paper](",
		"- [code]() [paper]() **x**",
		"- [paper][x]\n\n[x]: <>",
		"1. - - - **t** [pdf](https://arxiv.org/pdf/.pdf)",
		"- t\n  - [paper](https://arxiv.org/abs/hep-th/9901001v0)\n  - [paper](#)",
		"- **a** [paper](https://arxiv.org/abs/2302.13971)\n- **a** [paper](https://arxiv.org/abs/2302.13971#2)\n- **b** [paper](https://arxiv.org/abs/2302.13971)",
		"- **x** <br\n*A, B and C, D*",
		"> - **q** [paper](http://[::1]:namedport)",
		"- ![](x) [![arXiv](b)](https://arxiv.org/abs/1706.03762) &#0; \\\x00",
		"\uFEFF\r\n- **\r\n** [code](ftp://github.com/a/b)\r",
		"|Title|Code|\n|-|-|\n|**T** [paper](https://arxiv.org/abs/2302.13971)|[![s](x)](https://github.com/a/b)|\n|x|\n",
		"| a | b |\n|---|---|\n| [[pdf]](https://arxiv.org/pdf/1409.1556) <br> [t t](https://github.com/a/b) | \\| |",
		"**T** \\\n*A, B* \\\narXiv 2023. [[Paper](https://arxiv.org/abs/2302.13971)] [[Github](https://github.com/a/b)] \\\n**U** [paper](https://arxiv.org/abs/1706.03762)",
		"**[5]** X. \"**Very deep**.\" arXiv preprint arXiv:1409.1556 (2014). [[pdf]](http://x)",
		"- **T**\n<div align='center'> [[📖 Paper](https://arxiv.org/abs/2205.14135)] [[Code](https://github.com/a/b)] </div>",
		"1. **T**\n   <p><a href=\"https://arxiv.org/abs/1\">x</a><a href='https://github.com/a/b'>y</a></p>\n<div>\n\n|a|\n|-|\n|b|\n</div>",
		"- **T** [[code]][4.4] arXiv:1412.6550\n\n[4.4]:\n  <https://github.com/a/b> 'title'",
		"- [2023/09/14] We made [our survey](https://arxiv.org/abs/2309.00001)\r- **x**\r  [paper](https://huggingface.co/papers/2305.14314)\r",
		"> > - > 1. **t** [paper](<https://arxiv.org/abs/2302.13971> \"t\")",
		"\t\t\t- x\n" + strings.Repeat("\t", 60) + "- y\n",
		"https://arxiv.org/abs/2302.13971 www.github.com/a/b <https://github.com/c/d>",
		"<div\n- **t** [paper](https://arxiv.org/abs/2302.13971)\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		l, err := markdown.Parse(src, "fuzz")
		if err != nil {
			return
		}
		if l == nil {
			t.Fatal("Parse returned neither a list nor an error")
		}
		checkInvariants(t, src, l)
	})
}

func BenchmarkParse(b *testing.B) {
	b.ReportAllocs()
	b.SetBytes(int64(len(markdown.Builtin)))
	for b.Loop() {
		if _, err := markdown.Parse(markdown.Builtin, markdown.BuiltinSource); err != nil {
			b.Fatal(err)
		}
	}
}

// listFiles returns the names of the hand-written lists in testdata/lists.
func listFiles(t testing.TB) []string {
	t.Helper()
	names, err := filepath.Glob(filepath.Join("..", "..", "testdata", "lists", "*.md"))
	if err != nil {
		t.Fatal(err)
	}
	for i, n := range names {
		names[i] = filepath.Base(n)
	}
	return names
}
