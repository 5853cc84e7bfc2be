package paperlist_test

import (
	"bufio"
	"os"
	"strings"
	"testing"

	"github.com/paperlist/paperlist"
)

// TestRealListLinks reads every link target of the real lists that the
// project keeps (testdata/links.tsv, made by regular expressions over the
// URLs, not by this package) and checks that ParseArxivURL and
// ParseGitHubURL find the arXiv id and the repository each names, and
// nothing in the others.
func TestRealListLinks(t *testing.T) {
	f, err := os.Open("testdata/links.tsv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	rows, ids, repos := 0, 0, 0
	for sc.Scan() {
		line := sc.Text()
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		cols := strings.Split(line, "\t")
		if len(cols) != 4 {
			t.Fatalf("links.tsv: %q: want 4 columns", line)
		}
		u, wantID, wantRepo, list := cols[0], cols[1], cols[2], cols[3]
		rows++
		id, _, ok := paperlist.ParseArxivURL(u)
		if !ok {
			id = "-"
		} else {
			ids++
		}
		if id != wantID {
			t.Errorf("%s: ParseArxivURL(%q) = %q, want %q", list, u, id, wantID)
		}
		repo, ok := paperlist.ParseGitHubURL(u)
		if !ok {
			repo = "-"
		} else {
			repos++
		}
		if !strings.EqualFold(repo, wantRepo) {
			t.Errorf("%s: ParseGitHubURL(%q) = %q, want %q", list, u, repo, wantRepo)
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	// The table is the test: an empty or truncated one proves nothing.
	if rows < 300 || ids < 100 || repos < 50 {
		t.Fatalf("links.tsv has %d links, %d arXiv ids, %d repositories: too few to stand for the real lists", rows, ids, repos)
	}
}
