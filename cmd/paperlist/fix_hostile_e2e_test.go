package main_test

import (
	"strings"
	"testing"

	"github.com/paperlist/paperlist/sources/markdown"
)

// TestFixHostileName: a GitHub that renames a repository of the list to a
// name with markdown, a newline or an escape sequence gets none of it into
// the list, the diff, stderr or the annotations.
func TestFixHostileName(t *testing.T) {
	t.Parallel()
	for _, bad := range []string{"evil/x) [click](javascript:alert(1)", "evil/x\n- [spam](https://spam.example)", "evil/x\x1b]0;pwned\x07\x1b[2J"} {
		w := newFixWorld(t)
		if err := w.gh.Rename(spqr, bad); err != nil {
			t.Fatal(err)
		}
		dir := t.TempDir()
		list := writeList(t, dir, markdown.Builtin, 0o644)
		r := runPaperlist(t, w.fixArgs("-log-format", "github", "-d", list)...)
		if r.code != 2 {
			t.Errorf("%q: exit code %d, want 2 (the repository's answer is invalid)\n%s", bad, r.code, r.stderr)
		}
		if strings.Contains(r.stdout, "evil") {
			t.Errorf("%q: the diff holds the hostile name:\n%s", bad, r.stdout)
		}
		// stderr names the invalid answer, quoted: no control character
		// of it reaches the terminal.
		if strings.ContainsAny(r.stderr, "\x1b\x07") || strings.Contains(r.stderr, "\n- [spam]") {
			t.Errorf("%q: stderr shows the hostile name raw:\n%s", bad, r.stderr)
		}
		r = runPaperlist(t, w.fixArgs("-log-format", "github", "-w", list)...)
		if got := string(readFile(t, list)); strings.Contains(got, "evil") || strings.ContainsAny(r.stdout+r.stderr, "\x1b\x07") {
			t.Errorf("%q: the list or the annotations hold the hostile name", bad)
		}
	}
}
