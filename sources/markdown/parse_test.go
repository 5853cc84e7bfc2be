package markdown_test

import (
	"os"
	"path/filepath"
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
	b, err := os.ReadFile(filepath.Join("testdata", "lists", name))
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

// listFiles returns the names of the hand-written lists in testdata/lists.
func listFiles(t testing.TB) []string {
	t.Helper()
	names, err := filepath.Glob(filepath.Join("testdata", "lists", "*.md"))
	if err != nil {
		t.Fatal(err)
	}
	for i, n := range names {
		names[i] = filepath.Base(n)
	}
	return names
}
