package crawler

import (
	"strings"

	"github.com/paperlist/paperlist"
)

// checked is what the assembly reads of a record left in the cache: what
// the checks of its papers look at and what the counts and papers.md's
// summary need. The plan takes it from the record as it reads the record
// anyway, so that the assembly reads no record of a warm rerun again
// (reading 10,000 arXiv records and 6,000 repositories back was a fifth of
// a rerun's time). Only arXiv records and repositories have it. Its strings
// are the list's own where the record says what the list does (the title
// of the id's first paper, the repository's name as listed), else copies,
// so that a rerun holds next to nothing more for it.
type checked struct {
	// arXiv: the title, and the comment of a withdrawn paper;
	// repository: the full name.
	title, text string
	stars       int
	flags       uint8
}

// Flags of checked.
const (
	checkedWithdrawn uint8 = 1 << iota
	checkedDisabled
	checkedArchived
)

// checkedOf is what the checks read of d, a record in state ok, given the
// title of the first paper that needs it and its name as listed; nil for
// a record of another kind.
func checkedOf[T any](d *T, title, name string) *checked {
	switch r := any(d).(type) {
	case *paperlist.ArxivRecord:
		c := &checked{title: ownString(r.Title, title)}
		if r.Withdrawn {
			c.flags |= checkedWithdrawn
			c.text = strings.Clone(r.Comment)
		}
		return c
	case *paperlist.RepoStats:
		c := &checked{text: ownString(r.FullName, name), stars: r.Stars}
		if r.Disabled {
			c.flags |= checkedDisabled
		}
		if r.Archived {
			c.flags |= checkedArchived
		}
		return c
	}
	return nil
}

// ownString is s, as the list's own string when it says the same, else a
// copy.
func ownString(s, listed string) string {
	if s == listed {
		return listed
	}
	return strings.Clone(s)
}

// checkedEntry is an entry in state ok whose record holds what c holds:
// enough for the checks and the counts, not for the outputs.
func checkedEntry[T any](c *checked) *paperlist.Entry[T] {
	d := new(T)
	switch r := any(d).(type) {
	case *paperlist.ArxivRecord:
		r.Title, r.Withdrawn = c.title, c.flags&checkedWithdrawn != 0
		if r.Withdrawn {
			r.Comment = c.text
		}
	case *paperlist.RepoStats:
		r.FullName, r.Stars = c.text, c.stars
		r.Disabled, r.Archived = c.flags&checkedDisabled != 0, c.flags&checkedArchived != 0
	}
	return &paperlist.Entry[T]{State: paperlist.StateOK, Data: d}
}
