package main

import (
	"fmt"
	"io"
	"path/filepath"
	"strings"

	"github.com/paperlist/paperlist"
	"github.com/paperlist/paperlist/sources/markdown"
)

// writeAnnotations prints every problem as a GitHub Actions workflow
// command, so that a pull request to the list shows each problem on the
// line that has it.
func writeAnnotations(w io.Writer, file string, d *paperlist.Dataset) {
	for _, p := range d.Papers {
		for _, pr := range p.Problems {
			level := "warning"
			if pr.Code == paperlist.ProblemFetchFailed {
				level = "notice"
			}
			fmt.Fprintf(w, "::%s file=%s,line=%d,title=%s::%s\n", level,
				escapeProperty(file), p.Line, escapeProperty("paperlist "+pr.Code), escapeData(pr.Message))
		}
	}
}

// annotationFile is the file an annotation points at: the list as given
// on the command line, or the built-in list's name.
func annotationFile(list string) string {
	switch {
	case list == "":
		return strings.TrimPrefix(markdown.BuiltinSource, "builtin:")
	case strings.HasPrefix(list, "http://"), strings.HasPrefix(list, "https://"):
		return list
	default:
		return filepath.ToSlash(filepath.Clean(list))
	}
}

// escapeData escapes a workflow command's message as the runner expects.
func escapeData(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A").Replace(s)
}

// escapeProperty escapes a workflow command's property value.
func escapeProperty(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A", ":", "%3A", ",", "%2C").Replace(s)
}
