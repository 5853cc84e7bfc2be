package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/paperlist/paperlist"
	"github.com/paperlist/paperlist/sources/markdown"
)

const inspectHelp = `Show what paperlist reads in the list (a markdown file, an http(s) URL, or
by default the built-in LLaMA-Paper-List), offline and at once: its
sections with their entry counts, each entry as "LINE: title | paper link |
code link", the paper and code links that are in no entry, and the totals.
Nothing is fetched but an http(s) LIST, and no cache is opened.

Exit codes: 0 done, 1 the list cannot be read or has no entry (what was
read is printed all the same).

Examples:
  paperlist inspect README.md
  paperlist inspect -json README.md | jq '.unlinked'
`

// inspectVersion is the version of the JSON that "inspect -json" prints.
// It changes only when a field is removed, renamed or changes meaning.
const inspectVersion = 1

func runInspect(ctx context.Context, args []string, env Env) error {
	var (
		asJSON  bool
		timeout time.Duration
	)
	fs := flag.NewFlagSet("inspect", flag.ContinueOnError)
	fs.SetOutput(env.Stderr)
	fs.BoolVar(&asJSON, "json", false, "print JSON for tools instead of text (see README)")
	fs.DurationVar(&timeout, "timeout", 30*time.Second, "timeout of fetching an http(s) LIST")
	fs.Usage = func() {
		fmt.Fprintf(env.Stderr, "Usage: paperlist inspect [flags] [LIST]\n\n%s\nFlags:\n", inspectHelp)
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return &usageError{msg: paperlist.FoldSpace(err.Error())}
	}
	if fs.NArg() > 1 {
		return &usageError{msg: fmt.Sprintf("inspect takes one list, got %d arguments", fs.NArg())}
	}
	if timeout <= 0 {
		return &usageError{msg: "-timeout must be positive"}
	}

	list, err := markdown.Load(ctx, listClient(timeout), fs.Arg(0))
	if err != nil {
		return fatalf("%v", err)
	}
	in := newInspection(list)
	if asJSON {
		err = in.writeJSON(env.Stdout)
	} else {
		err = in.writeText(env.Stdout)
	}
	if err != nil {
		return fatalf("write: %v", err)
	}
	return requireEntries("inspect", list)
}

// inspection is what paperlist read in a list, in the form "inspect -json"
// prints. Absent values are omitted, as in papers.json; the arrays are
// always there.
type inspection struct {
	Version  int              `json:"version"`
	List     inspectedList    `json:"list"`
	Sections []inspectSection `json:"sections"`
	Entries  []inspectEntry   `json:"entries"`
	Unlinked []inspectLink    `json:"unlinked"`
	Totals   inspectTotals    `json:"totals"`
}

type inspectedList struct {
	Title  string `json:"title,omitempty"`
	Source string `json:"source"`
}

// inspectSection is a section heading and how many entries it holds; the
// entries above the first section heading are in the section named "".
// Sections are told apart by their path of headings, so that two "Attack"
// sections under different parents are two sections.
type inspectSection struct {
	Name string `json:"name"`
	// Path is the headings the section is under, the outermost first,
	// ending with Name.
	Path    []string `json:"path,omitempty"`
	Entries int      `json:"entries"`
}

// inspectEntry is a paper as papers.json shows it (a list's entry carries
// no records yet), with where its links are written.
type inspectEntry struct {
	*paperlist.Paper
	// PaperSpan and CodeSpan are [start, end) byte offsets of the link
	// targets in the list.
	PaperSpan *[2]int `json:"paper_span,omitempty"`
	CodeSpan  *[2]int `json:"code_span,omitempty"`
}

type inspectLink struct {
	Line int    `json:"line"`
	Kind string `json:"kind"`
	URL  string `json:"url"`
	ID   string `json:"id,omitempty"`
}

type inspectTotals struct {
	Entries  int `json:"entries"`
	Sections int `json:"sections"`
	ArxivIDs int `json:"arxiv_ids"`
	Repos    int `json:"repos"`
	Links    int `json:"links"`
	Unlinked int `json:"unlinked"`
}

func newInspection(l *paperlist.List) *inspection {
	in := &inspection{
		Version:  inspectVersion,
		List:     inspectedList{Title: l.Title, Source: l.Source},
		Sections: []inspectSection{},
		Entries:  make([]inspectEntry, 0, len(l.Papers)),
		Unlinked: []inspectLink{},
	}
	sectionAt := map[string]int{}
	ids, repos := map[string]bool{}, map[string]bool{}
	for _, p := range l.Papers {
		key := sectionKey(p.Section, p.SectionPath)
		i, ok := sectionAt[key]
		if !ok {
			i = len(in.Sections)
			sectionAt[key] = i
			in.Sections = append(in.Sections, inspectSection{Name: p.Section, Path: p.SectionPath})
		}
		in.Sections[i].Entries++
		if p.ArxivID != "" {
			ids[p.ArxivID] = true
		}
		if p.Repo != "" {
			repos[paperlist.RepoKey(p.Repo)] = true
		}
		in.Entries = append(in.Entries, inspectEntry{
			Paper:     p,
			PaperSpan: spanJSON(p.PaperSpan),
			CodeSpan:  spanJSON(p.CodeSpan),
		})
	}
	for _, k := range l.Links {
		if !k.InEntry {
			in.Unlinked = append(in.Unlinked, inspectLink{Line: k.Line, Kind: k.Kind, URL: k.URL, ID: k.ID})
		}
	}
	in.Totals = inspectTotals{
		Entries:  len(in.Entries),
		Sections: len(l.Sections),
		ArxivIDs: len(ids),
		Repos:    len(repos),
		Links:    len(l.Links),
		Unlinked: len(in.Unlinked),
	}
	return in
}

func spanJSON(s paperlist.Span) *[2]int {
	if s.IsZero() {
		return nil
	}
	return &[2]int{s.Start, s.End}
}

func (in *inspection) writeJSON(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	return enc.Encode(in)
}

// writeText prints the inspection for a person: the list, its sections,
// its entries under their sections, the links in no entry and the totals.
// Everything that comes from the list is made safe for a terminal.
func (in *inspection) writeText(w io.Writer) error {
	bw := bufio.NewWriter(w)
	title := safeText(in.List.Title)
	if title == "" {
		title = "(no title)"
	}
	fmt.Fprintf(bw, "%s\nsource: %s\n", title, safeText(in.List.Source))

	width := len(strconv.Itoa(in.Totals.Entries))
	fmt.Fprintf(bw, "\nsections:\n")
	if len(in.Sections) == 0 {
		fmt.Fprintf(bw, "  none\n")
	}
	for _, s := range in.Sections {
		fmt.Fprintf(bw, "  %*d  %s\n", width, s.Entries, sectionLabel(s.Name, s.Path))
	}

	width = lineWidth(in)
	for i, e := range in.Entries {
		if i == 0 || sectionKey(e.Section, e.SectionPath) != sectionKey(in.Entries[i-1].Section, in.Entries[i-1].SectionPath) {
			fmt.Fprintf(bw, "\n%s\n", sectionLabel(e.Section, e.SectionPath))
		}
		fmt.Fprintf(bw, "  %*d: %s | %s | %s\n", width, e.Line, safeText(e.Title),
			linkText(e.PaperURL, e.HasProblem(paperlist.ProblemBadPaperLink)),
			linkText(e.CodeURL, e.HasProblem(paperlist.ProblemEmptyCodeLink)))
	}

	fmt.Fprintf(bw, "\nlinks in no entry:\n")
	if len(in.Unlinked) == 0 {
		fmt.Fprintf(bw, "  none\n")
	}
	for _, k := range in.Unlinked {
		fmt.Fprintf(bw, "  %*d: %s %s\n", width, k.Line, k.Kind, safeText(k.URL))
	}

	t := in.Totals
	fmt.Fprintf(bw, "\n%s, %s, %s, %d of %s in no entry\n",
		count(t.Entries, "entry", "entries"), count(t.ArxivIDs, "arXiv id", "arXiv ids"),
		count(t.Repos, "repository", "repositories"), t.Unlinked, count(t.Links, "paper or code link", "paper and code links"))
	return bw.Flush()
}

// linkText shows a link target: "-" for no link, "()" for a link with an
// empty target.
func linkText(url string, emptyTarget bool) string {
	switch {
	case url != "":
		return safeText(url)
	case emptyTarget:
		return "()"
	}
	return "-"
}

// sectionKey tells sections apart by their path of headings, or by name
// when the reader gave no path.
func sectionKey(name string, path []string) string {
	if len(path) == 0 {
		return name
	}
	return strings.Join(path, "\x00")
}

// sectionLabel shows a section by its path of headings: "Vision › Image ›
// Attack".
func sectionLabel(name string, path []string) string {
	if len(path) > 1 {
		parts := make([]string, len(path))
		for i, h := range path {
			parts[i] = safeText(h)
		}
		return strings.Join(parts, " › ")
	}
	return sectionName(name)
}

func sectionName(name string) string {
	if name = safeText(name); name == "" {
		return "(no section)"
	}
	return name
}

// lineWidth is the width of the largest line number shown.
func lineWidth(in *inspection) int {
	most := 0
	for _, e := range in.Entries {
		most = max(most, e.Line)
	}
	for _, k := range in.Unlinked {
		most = max(most, k.Line)
	}
	return len(strconv.Itoa(most))
}

func count(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return strconv.Itoa(n) + " " + many
}
