package paperlist_test

import (
	"testing"

	"github.com/paperlist/paperlist"
)

func TestNormalizeTitle(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"plain", "Heat-bath random walks with Markov bases", "heat bath random walks with markov bases"},
		{"math mode", "Self-attention Does Not Need $O(n^2)$ Memory.", "self attention does not need o n 2 memory"},
		{"emph", `\emph{Attention} Is All You Need`, "attention is all you need"},
		{"tex accent", `G\"{o}del, Escher, Bach`, "godel escher bach"},
		{"tex accent without braces", `G\"odel`, "godel"},
		{"one-letter accent command", `Gar\c{c}on`, "garcon"},
		{"unicode accent", "Gödel and Wübben", "godel and wubben"},
		{"combining accent", "Go\u0308del", "godel"},
		{"greek command and letter", `$\alpha$-divergence and α-divergence`, "alpha divergence and alpha divergence"},
		{"dashes and braces", "{LLaMA} -- Open and Efficient", "llama open and efficient"},
		{"apostrophe", "LLaMA’s Secret", "llamas secret"},
		{"superscript", "O(n²)", "o n 2"},
		{"white space", "  A\n   wrapped\ttitle  ", "a wrapped title"},
		{"literal zero", "0", "0"},
		{"empty", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := paperlist.NormalizeTitle(tt.in); got != tt.want {
				t.Errorf("NormalizeTitle(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestSameTitle(t *testing.T) {
	tests := []struct {
		name            string
		listed, fetched string
		want            bool
	}{
		{"identical", "LLaMA: Open and Efficient Foundation Language Models", "LLaMA: Open and Efficient Foundation Language Models", true},
		{"case and trailing period", "Llama: open and efficient foundation language models.", "LLaMA: Open and Efficient Foundation Language Models", true},
		{"tex math against plain", "Self-attention Does Not Need $O(n^2)$ Memory.", "Self-attention Does Not Need O(n^2) Memory", true},
		{"hard-wrapped fetched title", "Training Compute-Optimal Large Language Models", "Training Compute-Optimal Large\n  Language Models", true},
		{"hyphen dropped", "Efficient Fine-tuning of Language Models", "Efficient Finetuning of Language Models", true},
		{"subtitle added by source", "FlashAttention", "FlashAttention: Fast and Memory-Efficient Exact Attention with IO-Awareness", true},
		{"subtitle dropped by source", "QLoRA: Efficient Finetuning of Quantized LLMs", "QLoRA", true},
		{"subtitle reworded", "Sparse Fine-tuning: A Study of Pruning", "Sparse Fine-tuning: Pruning Large Language Models", true},
		{"main title dropped", "Vicuna: An Open-Source Chatbot Impressing GPT-4", "An Open-Source Chatbot Impressing GPT-4", true},
		{"spaced dash subtitle", "CROCI -- An analysis of open citations", "CROCI", true},
		{"tex accent against unicode", `On G\"{o}del's Theorem`, "On Gödel’s Theorem", true},
		{"literal zero", "0", "0", true},
		{"different paper linked", "Reducing Activation Recomputation in Large Transformer Models", "FlashAttention: Fast and Memory-Efficient Exact Attention with IO-Awareness", false},
		{"next version of a system", "LLaMA-Adapter: Efficient Fine-tuning of Language Models with Zero-init Attention", "LLaMA-Adapter V2: Parameter-Efficient Visual Instruction Model", false},
		{"next version reversed", "LLaMA-Adapter V2: Parameter-Efficient Visual Instruction Model", "LLaMA-Adapter: Efficient Fine-tuning of Language Models with Zero-init Attention", false},
		{"one-word main title with other subtitles", "Alpaca: A Strong Model", "Alpaca: Wool Prices in Peru", false},
		{"one word differs", "Scaling Laws for Neural Language Models", "Scaling Laws for Neural Machine Translation", false},
		{"number differs", "GPT-4 Technical Report", "GPT-3 Technical Report", false},
		{"empty listed title", "", "Attention Is All You Need", false},
		{"short subtitle alone is not enough", "Llama 2: Open Models", "Open Models", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := paperlist.SameTitle(tt.listed, tt.fetched); got != tt.want {
				t.Errorf("SameTitle(%q, %q) = %v, want %v", tt.listed, tt.fetched, got, tt.want)
			}
		})
	}
}
