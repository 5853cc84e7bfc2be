package listedit_test

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/paperlist/paperlist/listedit"
)

func TestUnifiedDiffText(t *testing.T) {
	a := "1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n11\n12\n13\n14\n15\n16\n17\n18\n19\n20\n"
	b := strings.Replace(strings.Replace(a, "\n4\n", "\nfour\n", 1), "\n18\n", "\n18\neighteen and a half\n", 1)
	want := `--- a/README.md
+++ b/README.md
@@ -1,7 +1,7 @@
 1
 2
 3
-4
+four
 5
 6
 7
@@ -16,5 +16,6 @@
 16
 17
 18
+eighteen and a half
 19
 20
`
	if got := string(listedit.UnifiedDiff("README.md", []byte(a), []byte(b))); got != want {
		t.Errorf("UnifiedDiff =\n%s\nwant\n%s", got, want)
	}
}

func TestUnifiedDiffNoChange(t *testing.T) {
	for _, s := range []string{"", "a\n", "a\r\nb"} {
		if d := listedit.UnifiedDiff("x.md", []byte(s), []byte(s)); len(d) != 0 {
			t.Errorf("UnifiedDiff(%q, same) = %q, want empty", s, d)
		}
	}
}

// diffCases are pairs of files whose diffs GNU patch and applyDiff must
// turn the first into the second.
var diffCases = []struct {
	name string
	file string
	a, b string
}{
	{"one line", "README.md", "- [P](https://arxiv.org/abs/2205.14135)\n", "- [P](https://arxiv.org/abs/2205.05198)\n"},
	{"CRLF and BOM", "README.md",
		"\ufeff# List\r\n\r\n1\r\n2\r\n3\r\n- [P](https://arxiv.org/abs/2205.14135) \t\r\n4\r\n5\r\n",
		"\ufeff# List\r\n\r\n1\r\n2\r\n3\r\n- [P](https://arxiv.org/abs/2205.05198) \t\r\n4\r\n5\r\n"},
	{"no final newline, changed last line", "README.md", "a\nb\nc", "a\nb\nC"},
	{"no final newline, change before it", "README.md", "a\nb\nc\nd\ne\nf", "A\nb\nc\nd\ne\nf"},
	{"final newline added", "README.md", "a\nb", "a\nb\n"},
	{"final newline removed", "README.md", "a\nb\n", "a\nb"},
	{"insert at the start", "README.md", "a\nb\n", "new\na\nb\n"},
	{"delete at the end", "README.md", "a\nb\nc\nd\n", "a\nb\n"},
	{"from empty", "README.md", "", "a\nb\n"},
	{"to empty", "README.md", "a\nb\n", ""},
	{"far apart", "docs/list.md", lines(1, 40), strings.NewReplacer("\n5\n", "\nfive\n", "\n30\n", "\nthirty\n").Replace(lines(1, 40))},
	{"close together", "README.md", lines(1, 30), strings.NewReplacer("\n5\n", "\nfive\n", "\n11\n", "\neleven\n").Replace(lines(1, 30))},
	{"name with a space", "my list.md", "a\n", "b\n"},
	{"HTML and trailing spaces", "README.md", "<p align=\"center\">  \n<img src=x>\n</p>\n- [c](https://github.com/a/b)\n",
		"<p align=\"center\">  \n<img src=x>\n</p>\n- [c](https://github.com/a/b) ★ 1.2k\n"},
}

func lines(from, to int) string {
	var b strings.Builder
	for i := from; i <= to; i++ {
		fmt.Fprintf(&b, "%d\n", i)
	}
	return b.String()
}

// TestUnifiedDiffPatch applies each diff with GNU patch -p1, as a
// maintainer would, and checks the result byte for byte.
func TestUnifiedDiffPatch(t *testing.T) {
	patch, err := exec.LookPath("patch")
	if err != nil {
		t.Skip("no patch program:", err)
	}
	for _, tc := range diffCases {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			path := filepath.Join(dir, filepath.FromSlash(tc.file))
			if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(path, []byte(tc.a), 0o644); err != nil {
				t.Fatal(err)
			}
			d := listedit.UnifiedDiff(tc.file, []byte(tc.a), []byte(tc.b))
			cmd := exec.Command(patch, "-p1", "--batch", "--silent", "--no-backup-if-mismatch")
			cmd.Dir = dir
			cmd.Stdin = bytes.NewReader(d)
			if out, err := cmd.CombinedOutput(); err != nil {
				t.Fatalf("patch: %v\n%s\ndiff:\n%s", err, out, d)
			}
			got, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			if string(got) != tc.b {
				t.Errorf("patched file = %q, want %q\ndiff:\n%s", got, tc.b, d)
			}
			entries, _ := os.ReadDir(filepath.Dir(path))
			if len(entries) != 1 {
				t.Errorf("patch left %d files beside the list", len(entries)-1)
			}
		})
	}
}

func TestUnifiedDiffApplies(t *testing.T) {
	for _, tc := range diffCases {
		t.Run(tc.name, func(t *testing.T) {
			d := listedit.UnifiedDiff(tc.file, []byte(tc.a), []byte(tc.b))
			got, err := applyDiff(tc.a, string(d))
			if err != nil {
				t.Fatalf("%v\ndiff:\n%s", err, d)
			}
			if got != tc.b {
				t.Errorf("applied diff = %q, want %q\ndiff:\n%s", got, tc.b, d)
			}
		})
	}
}

// FuzzUnifiedDiff checks on random pairs of files that the diff applies
// to the first and gives the second, and that it is a shortest one: it
// removes and adds only the lines a longest common subsequence leaves.
func FuzzUnifiedDiff(f *testing.F) {
	f.Add(uint64(1), uint8(10), uint8(10))
	f.Add(uint64(2), uint8(0), uint8(5))
	f.Add(uint64(3), uint8(40), uint8(3))
	f.Fuzz(func(t *testing.T, seed uint64, na, nb uint8) {
		rng := rand.New(rand.NewPCG(seed, 99))
		a, b := randomFile(rng, int(na)), randomFile(rng, int(nb))
		if rng.IntN(2) == 0 {
			b = mutate(rng, a)
		}
		d := string(listedit.UnifiedDiff("f", []byte(a), []byte(b)))
		if a == b {
			if d != "" {
				t.Fatalf("diff of equal files: %q", d)
			}
			return
		}
		got, err := applyDiff(a, d)
		if err != nil {
			t.Fatalf("%v\na=%q\nb=%q\ndiff:\n%s", err, a, b, d)
		}
		if got != b {
			t.Fatalf("applied diff = %q, want %q\ndiff:\n%s", got, b, d)
		}
		al, bl := splitLines(a), splitLines(b)
		var changed int
		for _, l := range strings.SplitAfter(d, "\n")[2:] {
			if strings.HasPrefix(l, "-") || strings.HasPrefix(l, "+") {
				changed++
			}
		}
		if want := len(al) + len(bl) - 2*lcs(al, bl); changed != want {
			t.Fatalf("diff changes %d lines, a shortest one %d\na=%q\nb=%q\ndiff:\n%s", changed, want, a, b, d)
		}
	})
}

func randomFile(rng *rand.Rand, n int) string {
	words := []string{"a\n", "b\n", "c\n", "a\r\n", "", "d\n"}
	var s strings.Builder
	for range n {
		s.WriteString(words[rng.IntN(len(words))])
	}
	if rng.IntN(4) == 0 {
		s.WriteString("tail")
	}
	return s.String()
}

func mutate(rng *rand.Rand, a string) string {
	ls := splitLines(a)
	for range rng.IntN(4) + 1 {
		i := rng.IntN(len(ls) + 1)
		switch rng.IntN(3) {
		case 0:
			ls = append(ls[:i], append([]string{"new\n"}, ls[i:]...)...)
		case 1:
			if i < len(ls) {
				ls = append(ls[:i], ls[i+1:]...)
			}
		default:
			if i < len(ls) {
				ls[i] = "changed\n"
			}
		}
	}
	return strings.Join(ls, "")
}

func splitLines(s string) []string {
	if s == "" {
		return nil
	}
	ls := strings.SplitAfter(s, "\n")
	if ls[len(ls)-1] == "" {
		ls = ls[:len(ls)-1]
	}
	return ls
}

func lcs(a, b []string) int {
	prev := make([]int, len(b)+1)
	for i := range a {
		cur := make([]int, len(b)+1)
		for j := range b {
			if a[i] == b[j] {
				cur[j+1] = prev[j] + 1
			} else {
				cur[j+1] = max(prev[j+1], cur[j])
			}
		}
		prev = cur
	}
	return prev[len(b)]
}

var hunkHeader = regexp.MustCompile(`^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@\n$`)

// applyDiff applies a unified diff to a strictly: every context and
// removed line must match and every count must add up.
func applyDiff(a, d string) (string, error) {
	src := splitLines(a)
	dl := strings.SplitAfter(d, "\n")
	if len(dl) < 3 || !strings.HasPrefix(dl[0], "--- ") || !strings.HasPrefix(dl[1], "+++ ") {
		return "", fmt.Errorf("bad header")
	}
	var out []string
	at := 0
	for i := 2; i < len(dl) && dl[i] != ""; {
		m := hunkHeader.FindStringSubmatch(dl[i])
		if m == nil {
			return "", fmt.Errorf("line %d: not a hunk header: %q", i+1, dl[i])
		}
		count := func(s string) int {
			if s == "" {
				return 1
			}
			n, _ := strconv.Atoi(s)
			return n
		}
		aStart, aCount, bCount := count(m[1]), count(m[2]), count(m[4])
		if aCount > 0 {
			aStart--
		}
		if aStart < at || aStart > len(src) {
			return "", fmt.Errorf("hunk at line %d out of order", aStart)
		}
		out = append(out, src[at:aStart]...)
		at = aStart
		i++
		var gotA, gotB int
		for i < len(dl) && dl[i] != "" && !strings.HasPrefix(dl[i], "@@") {
			l := dl[i]
			body := l[1:]
			if i+1 < len(dl) && dl[i+1] == "\\ No newline at end of file\n" {
				body = strings.TrimSuffix(body, "\n")
				i++
			}
			switch l[0] {
			case ' ', '-':
				if at >= len(src) || src[at] != body {
					return "", fmt.Errorf("line %d of a is %q, the diff says %q", at+1, src[min(at, len(src)-1)], body)
				}
				at++
				gotA++
				if l[0] == ' ' {
					out = append(out, body)
					gotB++
				}
			case '+':
				out = append(out, body)
				gotB++
			default:
				return "", fmt.Errorf("bad diff line %q", l)
			}
			i++
		}
		if gotA != aCount || gotB != bCount {
			return "", fmt.Errorf("hunk counts -%d +%d, header says -%d +%d", gotA, gotB, aCount, bCount)
		}
	}
	return strings.Join(append(out, src[at:]...), ""), nil
}
