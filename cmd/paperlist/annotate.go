package main

import (
	"fmt"
	"io"
	"path/filepath"
	"slices"
	"strings"

	"github.com/paperlist/paperlist"
	"github.com/paperlist/paperlist/sources/markdown"
)

// maxAnnotations is how many problems -log-format github annotates one
// by one: GitHub shows about ten per step, and the summary annotation and
// the step summary give the rest.
const maxAnnotations = 10

// located is a problem on the line of its entry.
type located struct {
	line int
	paperlist.Problem
}

// listedProblems are the problems of d in list order, without the codes
// in ignore.
func listedProblems(d *paperlist.Dataset, ignore map[string]bool) []located {
	var out []located
	for _, p := range d.Papers {
		for _, pr := range p.Problems {
			if !ignore[pr.Code] {
				out = append(out, located{line: p.Line, Problem: pr})
			}
		}
	}
	return out
}

// annotationLevel is the workflow command of a problem: a failed fetch is
// a notice, a problem in the list a warning.
func annotationLevel(code string) string {
	if code == paperlist.ProblemFetchFailed || code == paperlist.ProblemCacheUnreadable {
		return "notice"
	}
	return "warning"
}

// writeAnnotations prints the problems as GitHub Actions workflow
// commands, so that a pull request to the list shows them on the lines
// that have them: at most maxAnnotations, warnings before notices, then
// one annotation with the total.
func writeAnnotations(w io.Writer, file string, problems []located) {
	if len(problems) == 0 {
		return
	}
	sorted := slices.Clone(problems)
	slices.SortStableFunc(sorted, func(a, b located) int {
		return strings.Compare(annotationLevel(b.Code), annotationLevel(a.Code)) // warning < notice
	})
	shown := min(len(sorted), maxAnnotations)
	for _, pr := range sorted[:shown] {
		fmt.Fprintf(w, "::%s file=%s,line=%d,title=%s::%s\n", annotationLevel(pr.Code),
			escapeProperty(file), pr.line, escapeProperty("paperlist "+pr.Code), escapeData(pr.Message))
	}
	fmt.Fprintf(w, "::notice file=%s,title=%s::%s\n", escapeProperty(file), escapeProperty("paperlist summary"),
		escapeData(fmt.Sprintf("%d problems, %d annotated; every one is in the step summary and papers.json", len(problems), shown)))
}

// annotationFile is the file an annotation points at: the list as given
// on the command line, or the built-in list's name.
func annotationFile(list string) string {
	switch {
	case list == "":
		return strings.TrimPrefix(markdown.BuiltinSource, "builtin:")
	case markdown.IsURL(list):
		return markdown.RedactURL(list)
	default:
		return filepath.ToSlash(filepath.Clean(list))
	}
}

// escapeData escapes a workflow command's message as the runner expects,
// its line breaks kept (as %0A) and, within each line, what safeText keeps
// from a terminal taken out: an annotation line is read on terminals too.
func escapeData(s string) string {
	return strings.NewReplacer("%", "%25", "\n", "%0A").Replace(safeLines(s))
}

// escapeProperty escapes a workflow command's property value.
func escapeProperty(s string) string {
	return strings.NewReplacer("%", "%25", "\n", "%0A", ":", "%3A", ",", "%2C").Replace(safeLines(s))
}

// safeLines is s with each of its lines made safe by safeText.
func safeLines(s string) string {
	lines := strings.Split(strings.ReplaceAll(s, "\r\n", "\n"), "\n")
	for i, l := range lines {
		lines[i] = safeText(l)
	}
	return strings.Join(lines, "\n")
}
