package paperlist

import (
	"slices"
	"strings"
	"unicode/utf8"
)

// Bounds of what a record keeps of an upstream answer, in characters
// (runes) for strings and in items for lists. GitHub and arXiv stay far
// below them (GitHub cuts a description at about 350 characters and a
// topic at 50; arXiv abstracts are a few thousand characters at most), so
// only a broken or hostile server reaches them; without them one answer
// can cost megabytes in memory, the cache and both outputs. The sources
// cut their records with the Bound methods and say when they did.
const (
	// MaxTitleLen bounds a title.
	MaxTitleLen = 1024
	// MaxAbstractLen bounds an abstract.
	MaxAbstractLen = 8192
	// MaxTextLen bounds a short text: a description, a comment, a journal
	// reference.
	MaxTextLen = 1024
	// MaxNameLen bounds a name: an author, an affiliation, a language, a
	// license, a category, a branch, a DOI, a date as written.
	MaxNameLen = 256
	// MaxURLLen bounds a URL.
	MaxURLLen = 2048
	// MaxTopicLen and MaxTopics bound a repository's topics.
	MaxTopicLen = 50
	MaxTopics   = 50
	// MaxCategories bounds an arXiv paper's categories.
	MaxCategories = 50
	// MaxAuthors bounds a paper's authors (the largest collaborations
	// sign with about 5,000), MaxAffiliations an author's affiliations.
	MaxAuthors      = 10000
	MaxAffiliations = 20
)

// Ellipsis ends a string that was cut.
const Ellipsis = "…"

// Clip returns s cut to at most n characters, the last of them Ellipsis,
// and whether it cut. The cut is at a character boundary, and the result
// is a copy: it does not keep the rest of s in memory.
func Clip(s string, n int) (string, bool) {
	if len(s) <= n || utf8.RuneCountInString(s) <= n {
		return s, false
	}
	if n <= 0 {
		return "", true
	}
	i, count := 0, 0
	for i = range s {
		if count == n-1 {
			break
		}
		count++
	}
	return strings.Clone(s[:i]) + Ellipsis, true
}

// clipper cuts the fields of a record and remembers the names of those it
// cut.
type clipper struct{ cut []string }

func (c *clipper) str(name string, s *string, n int) {
	if v, ok := Clip(*s, n); ok {
		*s = v
		c.note(name)
	}
}

func (c *clipper) strs(name string, ss *[]string, maxItems, n int) {
	if len(*ss) > maxItems {
		*ss = append([]string(nil), (*ss)[:maxItems]...)
		c.note(name)
	}
	for i := range *ss {
		c.str(name, &(*ss)[i], n)
	}
}

func (c *clipper) note(name string) {
	if !slices.Contains(c.cut, name) {
		c.cut = append(c.cut, name)
	}
}

// Bound cuts the strings and lists of s to the bounds above and returns
// the JSON names of the fields it cut, nil when none. FullName, which
// names the repository, is not cut: a source refuses a record whose name
// is too long.
func (s *RepoStats) Bound() []string {
	var c clipper
	c.str("html_url", &s.HTMLURL, MaxURLLen)
	c.str("description", &s.Description, MaxTextLen)
	c.str("language", &s.Language, MaxNameLen)
	c.str("license", &s.License, MaxNameLen)
	c.strs("topics", &s.Topics, MaxTopics, MaxTopicLen)
	c.str("homepage", &s.Homepage, MaxURLLen)
	c.str("default_branch", &s.DefaultBranch, MaxNameLen)
	return c.cut
}

// Bound cuts the strings and lists of r to the bounds above and returns
// the JSON names of the fields it cut, nil when none.
func (r *ArxivRecord) Bound() []string {
	var c clipper
	c.str("title", &r.Title, MaxTitleLen)
	c.str("abstract", &r.Abstract, MaxAbstractLen)
	if len(r.Authors) > MaxAuthors {
		r.Authors = append([]Author(nil), r.Authors[:MaxAuthors]...)
		c.note("authors")
	}
	for i := range r.Authors {
		a := &r.Authors[i]
		c.str("authors", &a.Name, MaxNameLen)
		c.strs("authors", &a.Affiliations, MaxAffiliations, MaxNameLen)
	}
	c.str("primary_category", &r.PrimaryCategory, MaxNameLen)
	c.strs("categories", &r.Categories, MaxCategories, MaxNameLen)
	c.str("comment", &r.Comment, MaxTextLen)
	c.str("journal_ref", &r.JournalRef, MaxTextLen)
	c.str("doi", &r.DOI, MaxNameLen)
	c.str("abs_url", &r.AbsURL, MaxURLLen)
	c.str("pdf_url", &r.PDFURL, MaxURLLen)
	return c.cut
}

// Bound cuts the strings and lists of r to the bounds above and returns
// the JSON names of the fields it cut, nil when none. URL, the page asked
// for, is the caller's and is kept.
func (r *PageRecord) Bound() []string {
	var c clipper
	c.str("title", &r.Title, MaxTitleLen)
	c.str("abstract", &r.Abstract, MaxAbstractLen)
	c.strs("authors", &r.Authors, MaxAuthors, MaxNameLen)
	c.str("published", &r.Published, MaxNameLen)
	c.str("pdf_url", &r.PDFURL, MaxURLLen)
	c.str("doi", &r.DOI, MaxNameLen)
	return c.cut
}
