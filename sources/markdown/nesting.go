package markdown

import "fmt"

// MaxDepth is how deep list items and block quotes may nest in a list that
// Parse accepts. Real lists nest a few levels; goldmark's time and memory
// grow with the depth times the lines, so a crafted list of thousands of
// levels would take minutes.
const MaxDepth = 100

// maxWeight bounds the weight of a list: the sum, over its lines, of
// lineWeight and the depth the line may have. goldmark keeps about 120
// bytes per unit (a flat list item is a few units, each level of nesting
// under it one more), so a list within the bound parses in well under a
// second and 100 MB. Real lists weigh far less: the largest seen, 15,700
// lines, weighs about 90,000.
const maxWeight = 600_000

// lineWeight is the weight of a line apart from its depth.
const lineWeight = 4

// checkNesting refuses, before goldmark reads it, a source whose list items
// or block quotes may nest deeper than MaxDepth, or whose lines and their
// nesting weigh more than maxWeight. A container can only open at the start
// of a line, after the markers of the containers it is in, and a nested
// list item sits at least two columns right of the item that holds it; so a
// line is at most as deep as the block quote and list markers at its start
// plus half its indentation (tabs counted to the next multiple of four
// columns). The bound errs on the side of depth: a document under it nests
// no deeper.
func checkNesting(src []byte) error {
	line, weight := 1, 0
	for i := 0; i < len(src); {
		depth, col, markers, opens := 0, 0, 0, false
		j := i
	scan:
		for j < len(src) {
			switch c := src[j]; {
			case c == ' ':
				col++
				j++
			case c == '\t':
				col += 4 - col%4
				j++
			case c == '>':
				markers++
				opens = true
				col++
				j++
			case c == '-' || c == '*' || c == '+':
				if j+1 < len(src) && !isSpaceOrEOL(src[j+1]) {
					break scan
				}
				markers++
				opens = true
				col++
				j++
			case '0' <= c && c <= '9':
				k := j
				for k < len(src) && k-j < 10 && '0' <= src[k] && src[k] <= '9' {
					k++
				}
				if k == len(src) || (src[k] != '.' && src[k] != ')') || k+1 < len(src) && !isSpaceOrEOL(src[k+1]) {
					break scan
				}
				markers++
				opens = true
				col += k + 1 - j
				j = k + 1
			default:
				break scan
			}
			if depth = markers + col/2; opens && depth > MaxDepth {
				return fmt.Errorf("line %d nests lists or block quotes more than %d levels deep", line, MaxDepth)
			}
		}
		blank := j == len(src) || src[j] == '\n' || src[j] == '\r'
		if blank {
			weight++
		} else {
			weight += lineWeight + markers + col/2
		}
		if weight > maxWeight {
			return fmt.Errorf("list is too large to read: by line %d its lines and their nesting weigh more than %d (a list of 100,000 plain lines, or fewer nested deeply)", line, maxWeight)
		}
		for j < len(src) && src[j] != '\n' {
			j++
		}
		i = j + 1
		line++
	}
	return nil
}

func isSpaceOrEOL(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\r'
}
