package main

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/paperlist/paperlist"
	"github.com/paperlist/paperlist/sources/markdown"
)

// inspectList is the hand-written list whose inspection is kept in golden
// files: entries above every section, bullets, a table, paragraph entries,
// a title with terminal escapes, and paper and code links in no entry.
var inspectList = filepath.Join("testdata", "inspect", "list.md")

func TestInspectGolden(t *testing.T) {
	for _, tc := range []struct {
		name string
		args []string
		file string
	}{
		{"text", []string{"inspect", inspectList}, "inspect/text.golden"},
		{"json", []string{"inspect", "-json", inspectList}, "inspect/json.golden"},
		{"help", []string{"inspect", "-h"}, "help-inspect.golden"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := runMain(t, nil, tc.args...)
			if r.code != exitOK {
				t.Fatalf("exit %d, stderr %q", r.code, r.stderr)
			}
			if tc.name == "help" {
				golden(t, tc.file, r.stderr)
				return
			}
			if r.stderr != "" {
				t.Errorf("stderr %q, want nothing", r.stderr)
			}
			golden(t, tc.file, r.stdout)
			if again := runMain(t, nil, tc.args...); again.stdout != r.stdout {
				t.Error("a second run printed something else")
			}
		})
	}
}

// The text is safe on a terminal: no control character but the line ends
// reaches it, whatever the list holds.
func TestInspectTextIsSafe(t *testing.T) {
	r := runMain(t, nil, "inspect", inspectList)
	if r.code != exitOK {
		t.Fatalf("exit %d, stderr %q", r.code, r.stderr)
	}
	for i, line := range strings.Split(r.stdout, "\n") {
		if strings.ContainsFunc(line, func(r rune) bool { return r < 0x20 || r == 0x7f || (r >= 0x80 && r <= 0x9f) }) {
			t.Errorf("line %d has a control character: %q", i+1, line)
		}
	}
	if !strings.Contains(r.stdout, "A Title With an Escape Red and a Bell |") {
		t.Errorf("the title with escapes is not shown cleaned:\n%s", r.stdout)
	}
}

// The JSON is an interface: these are its fields, all of them, and what
// the totals add up to.
func TestInspectJSONShape(t *testing.T) {
	r := runMain(t, nil, "inspect", "-json", inspectList)
	if r.code != exitOK {
		t.Fatalf("exit %d, stderr %q", r.code, r.stderr)
	}
	var doc map[string]json.RawMessage
	if err := json.Unmarshal([]byte(r.stdout), &doc); err != nil {
		t.Fatal(err)
	}
	want := []string{"entries", "list", "sections", "totals", "unlinked", "version"}
	if got := slices.Sorted(mapKeys(doc)); !slices.Equal(got, want) {
		t.Errorf("top-level fields %v, want %v", got, want)
	}
	var in inspection
	dec := json.NewDecoder(strings.NewReader(r.stdout))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&in); err != nil {
		t.Fatal(err)
	}
	if in.Version != 1 {
		t.Errorf("version %d, want 1", in.Version)
	}
	sum := 0
	for _, s := range in.Sections {
		sum += s.Entries
	}
	if sum != in.Totals.Entries || len(in.Entries) != in.Totals.Entries || len(in.Unlinked) != in.Totals.Unlinked {
		t.Errorf("totals %+v do not add up: %d in sections, %d entries, %d unlinked",
			in.Totals, sum, len(in.Entries), len(in.Unlinked))
	}
	if in.Totals.Unlinked > in.Totals.Links {
		t.Errorf("%d links in no entry of %d links", in.Totals.Unlinked, in.Totals.Links)
	}
	src, err := os.ReadFile(inspectList)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range in.Entries {
		for _, c := range []struct {
			span *[2]int
			url  string
		}{{e.PaperSpan, e.PaperURL}, {e.CodeSpan, e.CodeURL}} {
			if c.span != nil && string(src[c.span[0]:c.span[1]]) != c.url {
				t.Errorf("line %d: span %v holds %q, not the link %q", e.Line, *c.span, src[c.span[0]:c.span[1]], c.url)
			}
		}
	}
}

func mapKeys[V any](m map[string]V) func(func(string) bool) {
	return func(yield func(string) bool) {
		for k := range m {
			if !yield(k) {
				return
			}
		}
	}
}

// formattedList is a list as a reader gives it, built by hand so that the
// formatting is tested whatever the reader fills.
func formattedList() *paperlist.List {
	l := paperlist.NewList("A \x1b]8;;https://evil.example\x07List\x1b]8;;\x07", "lists/a b.md", []paperlist.RawEntry{
		{Line: 3, Title: "Before the sections", PaperURL: "https://arxiv.org/abs/2301.00001", HasPaperLink: true,
			PaperSpan: paperlist.Span{Start: 40, End: 72}},
		{Section: "Main", Line: 9, Title: "Both links", PaperURL: "https://arxiv.org/abs/2302.13971v2", HasPaperLink: true,
			CodeURL: "https://github.com/o/r", HasCodeLink: true,
			PaperSpan: paperlist.Span{Start: 100, End: 134}, CodeSpan: paperlist.Span{Start: 140, End: 162}},
		{Section: "Main", Line: 1234, Title: "Empty code\u202e link", CodeURL: "", HasCodeLink: true},
		{Section: "Other", Line: 1300, Title: "Same repo, other case", CodeURL: "https://github.com/O/R", HasCodeLink: true},
	})
	l.Links = []paperlist.SourceLink{
		{Kind: paperlist.LinkGitHub, Line: 1, URL: "https://github.com/me/list", ID: "me/list"},
		{Kind: paperlist.LinkArxiv, Line: 3, URL: "https://arxiv.org/abs/2301.00001", ID: "2301.00001", InEntry: true},
		{Kind: paperlist.LinkArxiv, Line: 9, URL: "https://arxiv.org/abs/2302.13971v2", ID: "2302.13971", InEntry: true},
		{Kind: paperlist.LinkGitHub, Line: 9, URL: "https://github.com/o/r", ID: "o/r", InEntry: true},
		{Kind: paperlist.LinkArxiv, Line: 20, URL: "https://arxiv.org/abs/2309.99999\x1b[2J", ID: "2309.99999"},
	}
	return l
}

func TestInspectText(t *testing.T) {
	var b bytes.Buffer
	if err := newInspection(formattedList()).writeText(&b); err != nil {
		t.Fatal(err)
	}
	want := `A List
source: lists/a b.md

sections:
  1  (no section)
  2  Main
  1  Other

(no section)
     3: Before the sections | https://arxiv.org/abs/2301.00001 | -

Main
     9: Both links | https://arxiv.org/abs/2302.13971v2 | https://github.com/o/r
  1234: Empty code link | - | ()

Other
  1300: Same repo, other case | - | https://github.com/O/R

links in no entry:
     1: github https://github.com/me/list
    20: arxiv https://arxiv.org/abs/2309.99999

4 entries, 2 arXiv ids, 1 repository, 2 of 5 paper and code links in no entry
`
	if diff := cmp.Diff(want, b.String()); diff != "" {
		t.Errorf("text (-want +got):\n%s", diff)
	}
}

func TestInspectJSON(t *testing.T) {
	var b bytes.Buffer
	if err := newInspection(formattedList()).writeJSON(&b); err != nil {
		t.Fatal(err)
	}
	var got struct {
		List     map[string]string `json:"list"`
		Sections []inspectSection  `json:"sections"`
		Entries  []map[string]any  `json:"entries"`
		Unlinked []inspectLink     `json:"unlinked"`
		Totals   inspectTotals     `json:"totals"`
	}
	if err := json.Unmarshal(b.Bytes(), &got); err != nil {
		t.Fatal(err)
	}
	// JSON keeps the text as read: a tool gets the escapes, quoted.
	if got.List["title"] != "A \x1b]8;;https://evil.example\x07List\x1b]8;;\x07" || got.List["source"] != "lists/a b.md" {
		t.Errorf("list %q", got.List)
	}
	wantSections := []inspectSection{{Name: "", Entries: 1}, {Name: "Main", Entries: 2}, {Name: "Other", Entries: 1}}
	if diff := cmp.Diff(wantSections, got.Sections); diff != "" {
		t.Errorf("sections (-want +got):\n%s", diff)
	}
	wantEntry := map[string]any{
		"line": 9.0, "section": "Main", "key": "arxiv:2302.13971", "title": "Both links",
		"paper_url": "https://arxiv.org/abs/2302.13971v2", "code_url": "https://github.com/o/r",
		"arxiv_id": "2302.13971", "arxiv_version": 2.0, "repo": "o/r",
		"paper_span": []any{100.0, 134.0}, "code_span": []any{140.0, 162.0},
	}
	if diff := cmp.Diff(wantEntry, got.Entries[1]); diff != "" {
		t.Errorf("entry (-want +got):\n%s", diff)
	}
	if _, ok := got.Entries[0]["code_span"]; ok {
		t.Error("an entry with no code link has a code_span")
	}
	if pr, _ := got.Entries[2]["problems"].([]any); len(pr) != 2 {
		t.Errorf("entry without a paper link and with an empty code link: problems %v", got.Entries[2]["problems"])
	}
	wantUnlinked := []inspectLink{
		{Line: 1, Kind: "github", URL: "https://github.com/me/list", ID: "me/list"},
		{Line: 20, Kind: "arxiv", URL: "https://arxiv.org/abs/2309.99999\x1b[2J", ID: "2309.99999"},
	}
	if diff := cmp.Diff(wantUnlinked, got.Unlinked); diff != "" {
		t.Errorf("unlinked (-want +got):\n%s", diff)
	}
	wantTotals := inspectTotals{Entries: 4, Sections: 2, ArxivIDs: 2, Repos: 1, Links: 5, Unlinked: 2}
	if got.Totals != wantTotals {
		t.Errorf("totals %+v, want %+v", got.Totals, wantTotals)
	}
	if strings.Contains(b.String(), `\u003c`) || !strings.HasSuffix(b.String(), "}\n") {
		t.Errorf("JSON is not plain and newline-terminated:\n%s", b.String())
	}
}

func TestInspectErrors(t *testing.T) {
	dir := t.TempDir()
	empty := filepath.Join(dir, "empty.md")
	if err := os.WriteFile(empty, []byte(noEntries), 0o644); err != nil {
		t.Fatal(err)
	}
	noEntriesLine := "paperlist: no paper entries found in " + empty + ": " + layoutsRead + "\n"
	for _, tc := range []struct {
		name       string
		args       []string
		wantStderr string // what stderr holds; the whole of it when it ends in a line break
		wantStdout string // a line the report must have; "" for no report
	}{
		{"missing file", []string{"inspect", filepath.Join(dir, "nope.md")}, "paperlist: read list " + filepath.Join(dir, "nope.md") + ": ", ""},
		{"two lists", []string{"inspect", "a.md", "b.md"}, "paperlist: inspect takes one list, got 2 arguments", ""},
		{"bad flag", []string{"inspect", "-offline", "a.md"}, "paperlist: flag provided but not defined: -offline", ""},
		{"zero timeout", []string{"inspect", "-timeout", "0", "a.md"}, "paperlist: -timeout must be positive", ""},
		{"no entries", []string{"inspect", empty}, noEntriesLine, "\n0 entries, 0 arXiv ids, 0 repositories, "},
		{"no entries, json", []string{"inspect", "-json", empty}, noEntriesLine, `"entries": [],`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := runMain(t, nil, tc.args...)
			if r.code != exitFatal {
				t.Errorf("exit %d, want %d", r.code, exitFatal)
			}
			if exact := strings.HasSuffix(tc.wantStderr, "\n"); exact && r.stderr != tc.wantStderr || !strings.Contains(r.stderr, tc.wantStderr) {
				t.Errorf("stderr %q, want %q", r.stderr, tc.wantStderr)
			}
			if tc.wantStdout == "" && r.stdout != "" {
				t.Errorf("stdout %q, want nothing", r.stdout)
			}
			if !strings.Contains(r.stdout, tc.wantStdout) {
				t.Errorf("stdout lacks %q:\n%s", tc.wantStdout, r.stdout)
			}
		})
	}
}

// A list at a URL is fetched once, and nothing else is asked of anyone.
func TestInspectURL(t *testing.T) {
	src, err := os.ReadFile(inspectList)
	if err != nil {
		t.Fatal(err)
	}
	var requests atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		requests.Add(1)
		if r.URL.Path != "/README.md" {
			http.NotFound(w, r)
			return
		}
		w.Write(src)
	}))
	defer srv.Close()
	r := runMain(t, nil, "inspect", srv.URL+"/README.md")
	if r.code != exitOK {
		t.Fatalf("exit %d, stderr %q", r.code, r.stderr)
	}
	if !strings.Contains(r.stdout, "source: "+srv.URL+"/README.md\n") {
		t.Errorf("source not shown:\n%s", r.stdout)
	}
	if n := requests.Load(); n != 1 {
		t.Errorf("%d requests, want 1", n)
	}
}

// TestInspectSectionsByPath checks that sections of the same name under
// different parents are counted apart, and shown by their path.
func TestInspectSectionsByPath(t *testing.T) {
	src := `# Papers

## Vision

### Attack

- **Vision Attack One**, arXiv 2023. [[paper](https://arxiv.org/abs/2301.00001)]
- **Vision Attack Two**, arXiv 2023. [[paper](https://arxiv.org/abs/2301.00002)]

## Language

### Attack

- **Language Attack**, arXiv 2023. [[paper](https://arxiv.org/abs/2301.00003)]

### Defense

- **Language Defense**, arXiv 2023. [[paper](https://arxiv.org/abs/2301.00004)]
`
	l, err := markdown.Parse([]byte(src), "sections.md")
	if err != nil {
		t.Fatal(err)
	}
	in := newInspection(l)
	want := []inspectSection{
		{Name: "Attack", Path: []string{"Vision", "Attack"}, Entries: 2},
		{Name: "Attack", Path: []string{"Language", "Attack"}, Entries: 1},
		{Name: "Defense", Path: []string{"Language", "Defense"}, Entries: 1},
	}
	if diff := cmp.Diff(want, in.Sections); diff != "" {
		t.Errorf("sections (-want +got):\n%s", diff)
	}
	var b bytes.Buffer
	if err := in.writeText(&b); err != nil {
		t.Fatal(err)
	}
	for _, line := range []string{
		"  2  Vision › Attack\n", "  1  Language › Attack\n", "  1  Language › Defense\n",
		"\nVision › Attack\n", "\nLanguage › Attack\n",
	} {
		if !strings.Contains(b.String(), line) {
			t.Errorf("text lacks %q:\n%s", line, b.String())
		}
	}
}
