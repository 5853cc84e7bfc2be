package main

import (
	"errors"
	"fmt"
	"io"
	"log/slog"
	"strconv"
	"strings"

	"github.com/paperlist/paperlist"
	"github.com/paperlist/paperlist/sources/markdown"
)

// What the list reader could not read. A list in a layout paperlist does
// not read must not pass for an empty or a short list: no entry at all is
// an error, and many links in no entry are a warning. Both point the
// maintainer at "paperlist inspect".

// layoutsRead names the layouts of entries the list reader knows, for the
// messages that say none was found.
const layoutsRead = "paperlist reads bulleted and numbered list items, table rows and paragraph entries that link a paper or code"

// requireEntries returns the error of a command that read no entry from
// the list: exit 1 and one line naming the list and the layouts read. For
// crawl and check the line ends with the inspect command to run; inspect
// itself has just shown what it read.
func requireEntries(cmd string, l *paperlist.List) error {
	if len(l.Papers) > 0 {
		return nil
	}
	msg := fmt.Sprintf("no paper entries found in %s: %s", safeText(l.Source), layoutsRead)
	if cmd != "inspect" {
		msg += "; to see what it read, run: " + inspectCommand(l.Source)
	}
	return &exitError{code: exitFatal, err: errors.New(msg)}
}

// inspectCommand is the command line that inspects l: its source as given
// (a URL without its password), nothing for the built-in list.
func inspectCommand(source string) string {
	if source == markdown.BuiltinSource || source == "" {
		return "paperlist inspect"
	}
	return "paperlist inspect " + shellQuote(safeText(source))
}

// shellQuote quotes s for a POSIX shell when it holds more than the
// characters of ordinary paths and URLs.
func shellQuote(s string) string {
	plain := s != ""
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("_-./:@%+=,", r)) {
			plain = false
			break
		}
	}
	if plain {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// Stray links: a file whose paper and code links (arXiv, GitHub, doi.org,
// publishers, OpenReview, …) are largely in no entry
// was probably misread. A few are normal (the list's own repository, a
// survey cited in the introduction).
const (
	strayMin     = 5  // at least this many links in no entry
	strayPercent = 10 // and at least this share of the file's links
	strayLines   = 5  // line numbers the warning shows
)

// strays is the stray links of a list when there are enough to warn of.
type strays struct {
	count, links int
	lines        []int // the first strayLines distinct lines
	more         bool  // more lines than those
}

func findStrays(l *paperlist.List) (strays, bool) {
	s := strays{links: len(l.Links)}
	for _, k := range l.Links {
		if k.InEntry {
			continue
		}
		s.count++
		switch n := len(s.lines); {
		case n > 0 && s.lines[n-1] == k.Line:
		case n < strayLines:
			s.lines = append(s.lines, k.Line)
		default:
			s.more = true
		}
	}
	return s, s.count >= strayMin && s.count*100 >= s.links*strayPercent
}

func (s strays) lineList(sep string) string {
	parts := make([]string, len(s.lines), len(s.lines)+1)
	for i, n := range s.lines {
		parts[i] = strconv.Itoa(n)
	}
	if s.more {
		parts = append(parts, "…")
	}
	return strings.Join(parts, sep)
}

// warnStrayLinks says once, after the summary, that many of the list's
// paper and code links are in no entry: as a line on the terminal, or as
// a warning in the log, which -quiet keeps.
func warnStrayLinks(l *paperlist.List, terminal bool, stderr io.Writer, log *slog.Logger) {
	if s, warn := findStrays(l); warn {
		sayStrays(s, l.Source, terminal, stderr, log)
	}
}

// sayStrays says what warnStrayLinks says of strays found in the list read
// from source.
func sayStrays(s strays, source string, terminal bool, stderr io.Writer, log *slog.Logger) {
	if terminal {
		fmt.Fprintf(stderr, "warning: %d of the %d paper and code links in the list are in no entry (lines %s); to see what paperlist read, run: %s\n",
			s.count, s.links, s.lineList(", "), inspectCommand(source))
		return
	}
	log.Warn("paper and code links in no entry: paperlist may have misread the list",
		"count", s.count, "links", s.links, "lines", s.lineList(","), "run", inspectCommand(source))
}
