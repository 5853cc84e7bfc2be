package main

import (
	"errors"
	"fmt"
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
		msg += "; to see what it read, run: " + inspectCommand(l)
	}
	return &exitError{code: exitFatal, err: errors.New(msg)}
}

// inspectCommand is the command line that inspects l: its source as given
// (a URL without its password), nothing for the built-in list.
func inspectCommand(l *paperlist.List) string {
	if l.Source == markdown.BuiltinSource || l.Source == "" {
		return "paperlist inspect"
	}
	return "paperlist inspect " + shellQuote(safeText(l.Source))
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
