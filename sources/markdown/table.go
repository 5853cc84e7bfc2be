package markdown

import (
	"strings"

	"github.com/yuin/goldmark/ast"
	east "github.com/yuin/goldmark/extension/ast"
)

// columnRole is what a table column holds, as its header names it.
type columnRole int

const (
	roleNone columnRole = iota
	roleTitle
	rolePaper
	roleCode
	// roleVenue and roleYear are the columns that name where and when the
	// paper appeared: "| Informatics | 2021 |".
	roleVenue
	roleYear
)

// headerRoles maps a header (as linkLabel leaves it) to its column's role.
var headerRoles = map[string]columnRole{
	"title": roleTitle, "name": roleTitle, "paper title": roleTitle, "paper name": roleTitle,
	"model": roleTitle, "method": roleTitle, "papers": roleTitle,
	"paper": rolePaper, "pdf": rolePaper, "link": rolePaper, "links": rolePaper, "arxiv": rolePaper,
	"paper link": rolePaper, "url": rolePaper,
	"code": roleCode, "github": roleCode, "repo": roleCode, "repository": roleCode,
	"official code": roleCode, "code link": roleCode, "implementation": roleCode, "project": roleCode,
	"venue": roleVenue, "conference": roleVenue, "journal": roleVenue, "publication": roleVenue,
	"published in": roleVenue, "year": roleYear,
}

func isTable(n ast.Node) bool {
	_, ok := n.(*east.Table)
	return ok
}

// table reads the rows of a table, one entry per row. The header names the
// columns (see headerRoles); a column named "paper" whose cells hold long
// linked titles is the title column. Without a title column, the column
// whose cells hold the most text is.
func (r *reader) table(n ast.Node) {
	var header []string
	var rows []*east.TableRow
	for c := n.FirstChild(); c != nil; c = c.NextSibling() {
		switch c := c.(type) {
		case *east.TableHeader:
			for cell := c.FirstChild(); cell != nil; cell = cell.NextSibling() {
				header = append(header, linkLabel(r.text(cell, false)))
			}
		case *east.TableRow:
			rows = append(rows, c)
		}
	}
	cells := make([][][]token, len(rows))
	for i, row := range rows {
		for cell := row.FirstChild(); cell != nil; cell = cell.NextSibling() {
			cells[i] = append(cells[i], r.tokens(cell, nil))
		}
	}
	roles, named := columnRoles(header, cells)
	kind := guessedRow
	if named {
		kind = namedRow
	}
	for i, row := range rows {
		var toks []token
		for j, ct := range cells[i] {
			if j > 0 {
				toks = append(toks, token{kind: tokBreak, pos: -1})
			}
			for k := range ct {
				if j < len(roles) {
					ct[k].role = roles[j]
				}
			}
			toks = append(toks, ct...)
		}
		e, ok := r.entry(toks, kind)
		if !ok {
			continue
		}
		e.Section, e.SectionPath, e.Line = r.section, r.sectionPath(), r.lineAt(rowStart(row, toks))
		r.entries = append(r.entries, e)
	}
}

// rowStart is the offset of a table row: its first cell's text.
func rowStart(row *east.TableRow, toks []token) int {
	if p := firstPos(toks); p >= 0 {
		return p
	}
	return nodeStart(row)
}

// columnRoles returns the role of each column of a table, and whether the
// header names the title column.
func columnRoles(header []string, cells [][][]token) ([]columnRole, bool) {
	roles := make([]columnRole, len(header))
	title := -1
	for j, h := range header {
		roles[j] = headerRoles[h]
		if roles[j] == roleNone {
			switch {
			case strings.Contains(h, "title"):
				roles[j] = roleTitle
			case strings.Contains(h, "code") || strings.Contains(h, "github"):
				roles[j] = roleCode
			case strings.Contains(h, "paper"):
				roles[j] = rolePaper
			}
		}
		if roles[j] == roleTitle && title < 0 {
			title = j
		}
	}
	if title >= 0 {
		return roles, true
	}
	// A "paper" column of long linked titles is the title column.
	best, bestWords := -1, 0
	for j := range header {
		if roles[j] == roleCode || roles[j] == roleVenue || roles[j] == roleYear {
			continue
		}
		words := 0
		for _, row := range cells {
			if j < len(row) {
				for _, t := range row[j] {
					if t.kind != tokBreak {
						words += len(strings.Fields(t.text))
					}
				}
			}
		}
		if words > bestWords {
			best, bestWords = j, words
		}
	}
	if best >= 0 && bestWords >= 3*len(cells) {
		roles[best] = roleTitle
	}
	return roles, false
}
