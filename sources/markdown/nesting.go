package markdown

import "fmt"

// MaxDepth is how deep list items and block quotes may nest in a list that
// Parse accepts. Real lists nest a few levels; goldmark's time grows with
// the depth times the lines, so a crafted list of thousands of levels would
// take minutes.
const MaxDepth = 100

// checkNesting refuses a source whose list items or block quotes may nest
// deeper than MaxDepth, before goldmark reads it. A container can only open
// at the start of a line, after the markers of the containers it is in, and
// a nested list item sits at least two columns right of the item that holds
// it; so a line that starts a container is at most as deep as the block
// quote and list markers at its start plus half its indentation (tabs
// counted to the next multiple of four columns). The bound errs on the side
// of depth: a document under it nests no deeper.
func checkNesting(src []byte) error {
	line := 1
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
				if j+1 < len(src) && src[j+1] != ' ' && src[j+1] != '\t' && src[j+1] != '\n' && src[j+1] != '\r' {
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
				if k == len(src) || (src[k] != '.' && src[k] != ')') ||
					k+1 < len(src) && src[k+1] != ' ' && src[k+1] != '\t' && src[k+1] != '\n' && src[k+1] != '\r' {
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
		for j < len(src) && src[j] != '\n' {
			j++
		}
		i = j + 1
		line++
	}
	return nil
}
