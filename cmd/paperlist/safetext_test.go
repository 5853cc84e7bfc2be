package main

import (
	"testing"

	"github.com/paperlist/paperlist"
)

func TestSafeText(t *testing.T) {
	for _, tc := range []struct{ name, in, want string }{
		{"plain", "LLaMA: Open and Efficient", "LLaMA: Open and Efficient"},
		{"unicode kept", "Ünïcødé 模型 ✨ العربية", "Ünïcødé 模型 ✨ العربية"},
		{"SGR colour", "a \x1b[1;31mred\x1b[0m b", "a red b"},
		{"clear screen and cursor", "\x1b[2J\x1b[Htitle", "title"},
		{"private CSI", "x\x1b[?25ly", "xy"},
		{"OSC title, BEL", "\x1b]0;pwned\x07t", "t"},
		{"OSC 8 hyperlink, ST", "\x1b]8;;https://evil.example\x1b\\link\x1b]8;;\x1b\\", "link"},
		{"DCS", "a\x1bPq#0;2;0;0;0\x1b\\b", "ab"},
		{"unterminated OSC", "a\x1b]0;rest of it", "a"},
		{"charset nF", "a\x1b(Bb", "ab"},
		{"lone ESC c", "a\x1bcb", "ab"},
		{"ESC at the end", "a\x1b", "a"},
		{"C1 CSI", "a\u009b31mb", "ab"},
		{"C1 OSC with C1 ST", "a\u009d0;x\u009cb", "ab"},
		{"other C1", "a\u0085b", "ab"},
		{"C0 controls", "a\x00\x07\x08\x7fb", "ab"},
		{"breaks and tabs", "a\tb\r\nc\n\nd", "a b c d"},
		{"bidi override", "abc\u202edcba\u202c \u2067x\u2069", "abcdcba x"},
		{"invalid UTF-8", "a\xffb", "ab"},
		{"spaces collapsed", "  a   b  ", "a b"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := safeText(tc.in); got != tc.want {
				t.Errorf("safeText(%q) = %q, want %q", tc.in, got, tc.want)
			}
		})
	}
}

func FuzzSafeText(f *testing.F) {
	for _, s := range []string{"a\x1b[31mb", "\x1b]8;;u\x07l", "\u009b1m", "\u202e", "\xff"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		for _, r := range safeText(s) {
			if r < 0x20 || r == 0x7f || r >= 0x80 && r <= 0x9f || paperlist.IsBidiControl(r) {
				t.Fatalf("safeText(%q) keeps %U", s, r)
			}
		}
	})
}
