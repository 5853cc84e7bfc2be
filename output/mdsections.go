package output

import (
	"bufio"
	"cmp"
	"fmt"
	"slices"
	"strings"

	"github.com/paperlist/paperlist"
)

// section is a heading of papers.md with its entries in the order shown.
type section struct {
	name string
	// path is the section's path of headings, when the papers carry one.
	path   []string
	papers []*paperlist.Paper
}

// writePath writes the headings of path that differ from prev, "##" for
// the first level and one "#" more for each level under it (at most six),
// and returns path.
func writePath(bw *bufio.Writer, prev, path []string) []string {
	same := 0
	for same < len(prev) && same < len(path) && prev[same] == path[same] {
		same++
	}
	if same == len(path) && same > 0 {
		same-- // the same path again: its last heading is written again
	}
	for i := same; i < len(path); i++ {
		heading := mdText(path[i])
		if heading == "" {
			heading = "Untitled section"
		}
		fmt.Fprintf(bw, "%s %s\n\n", strings.Repeat("#", min(2+i, 6)), heading)
	}
	return path
}

// pathKey is the key of a paper's path of headings.
func pathKey(p *paperlist.Paper) string {
	return strings.Join(p.SectionPath, "\x00")
}

// groupSections puts the papers under their sections: papers without a
// section first, then the sections in the list's order, then any section
// the list info does not name, in the order its first paper appears.
// Sections without papers are left out. With stars (one per paper), the
// papers of each section are ordered by them, most first.
func groupSections(d *paperlist.Dataset, stars []int) []section {
	if hasPaths(d) {
		return groupPaths(d, stars)
	}
	order := []string{""}
	seen := map[string]bool{"": true}
	add := func(name string) {
		if !seen[name] {
			seen[name] = true
			order = append(order, name)
		}
	}
	for _, name := range d.List.Sections {
		add(name)
	}
	members := map[string][]int{}
	for i, p := range d.Papers {
		add(p.Section)
		members[p.Section] = append(members[p.Section], i)
	}
	var out []section
	for _, name := range order {
		is := members[name]
		if len(is) == 0 {
			continue
		}
		if stars != nil {
			slices.SortStableFunc(is, func(a, b int) int { return cmp.Compare(stars[b], stars[a]) })
		}
		ps := make([]*paperlist.Paper, len(is))
		for k, i := range is {
			ps[k] = d.Papers[i]
		}
		out = append(out, section{name: name, papers: ps})
	}
	return out
}

// hasPaths reports whether the papers carry their paths of headings.
func hasPaths(d *paperlist.Dataset) bool {
	for _, p := range d.Papers {
		if len(p.SectionPath) > 0 {
			return true
		}
	}
	return false
}

// groupPaths puts the papers under their paths of headings, so that
// same-named sections under different parents stay apart: papers without a
// path first, then each path in the order its first paper appears.
func groupPaths(d *paperlist.Dataset, stars []int) []section {
	order := []string{""}
	members := map[string][]int{}
	paths := map[string][]string{}
	for i, p := range d.Papers {
		k := pathKey(p)
		if _, ok := members[k]; !ok && k != "" {
			order = append(order, k)
			paths[k] = p.SectionPath
		}
		members[k] = append(members[k], i)
	}
	var out []section
	for _, k := range order {
		is := members[k]
		if len(is) == 0 {
			continue
		}
		if stars != nil {
			slices.SortStableFunc(is, func(a, b int) int { return cmp.Compare(stars[b], stars[a]) })
		}
		ps := make([]*paperlist.Paper, len(is))
		for n, i := range is {
			ps[n] = d.Papers[i]
		}
		s := section{papers: ps, path: paths[k]}
		if len(s.path) > 0 {
			s.name = s.path[len(s.path)-1]
		}
		out = append(out, s)
	}
	return out
}
