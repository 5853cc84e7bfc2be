package markdown

import "fmt"

// Limits on one block (a run of lines without a blank line) that
// checkBlocks holds a list to before goldmark reads it. goldmark takes time
// growing with the square of the unclosed link destinations of a block, and
// memory of hundreds of bytes per byte on dense runs of brackets, table
// cells and emphasis delimiters; real lists stay far below these bounds (a
// table of 3,000 linked rows holds about 6,000 brackets, all closed).
const (
	// maxUnclosed bounds the unclosed "[" and the unclosed link
	// destinations "](" of a block.
	maxUnclosed = 64
	// maxCellsPerLine bounds the table cells of one line.
	maxCellsPerLine = 1000
	// denseCount and denseRatio bound the brackets, table cells and
	// emphasis delimiters of a block and of the whole list: more than
	// denseCount of one kind, at more than one per denseRatio bytes, is
	// refused. goldmark keeps a few hundred bytes per bracket, cell or
	// delimiter, so the bound keeps a list under about 40 bytes of memory
	// per byte of source.
	denseCount = 20000
	denseRatio = 12
)

// blockCounts are what checkBlocks counts in one block.
type blockCounts struct {
	start, bytes                           int // first line, size
	openBrackets, openDests                int
	brackets, cells, delimiters, lineCells int
}

// checkBlocks refuses, with the line where it starts, a block that goldmark
// would read in time or memory growing faster than its size: many unclosed
// "[" or "](", a line of more than maxCellsPerLine table cells, or a dense
// run of brackets, cells or emphasis delimiters. It reads src once.
func checkBlocks(src []byte) error {
	var c, total blockCounts
	c.start = 1
	line := 1
	blank := true // the line read so far is blank
	for i := 0; i < len(src); i++ {
		ch := src[i]
		switch ch {
		case '\n':
			if err := c.endLine(line); err != nil {
				return err
			}
			if blank {
				if err := c.check(); err != nil {
					return err
				}
				total.add(c)
				c = blockCounts{start: line + 1}
			}
			line++
			blank = true
			continue
		case ' ', '\t', '\r':
		case '\\':
			// An escaped character is text.
			i++
			blank = false
		case '[':
			c.openBrackets++
			c.brackets++
			blank = false
		case ']':
			if c.openBrackets > 0 {
				c.openBrackets--
			}
			if i+1 < len(src) && src[i+1] == '(' {
				c.openDests++
				i++
			}
			blank = false
		case ')':
			if c.openDests > 0 {
				c.openDests--
			}
			blank = false
		case '|':
			c.cells++
			c.lineCells++
			blank = false
		case '*', '_', '~':
			// One run of delimiters counts once.
			if i == 0 || src[i-1] != ch {
				c.delimiters++
			}
			blank = false
		default:
			blank = false
		}
		c.bytes++
	}
	if err := c.endLine(line); err != nil {
		return err
	}
	if err := c.check(); err != nil {
		return err
	}
	total.add(c)
	return total.checkDensity()
}

// add adds the brackets, cells, delimiters and bytes of a block to the
// list's.
func (c *blockCounts) add(b blockCounts) {
	c.brackets += b.brackets
	c.cells += b.cells
	c.delimiters += b.delimiters
	c.bytes += b.bytes
}

// checkDensity refuses a list whose brackets, cells or delimiters are too
// dense as a whole.
func (c *blockCounts) checkDensity() error {
	switch {
	case dense(c.brackets, c.bytes):
		return fmt.Errorf("list has %d brackets in %d bytes: paperlist refuses lists this dense", c.brackets, c.bytes)
	case dense(c.cells, c.bytes):
		return fmt.Errorf("list has %d table cells in %d bytes: paperlist refuses tables this dense", c.cells, c.bytes)
	case dense(c.delimiters, c.bytes):
		return fmt.Errorf("list has %d runs of emphasis delimiters in %d bytes: paperlist refuses lists this dense", c.delimiters, c.bytes)
	}
	return nil
}

func (c *blockCounts) endLine(line int) error {
	if c.lineCells > maxCellsPerLine {
		return fmt.Errorf("line %d has %d table cells, more than %d: paperlist refuses tables this wide", line, c.lineCells, maxCellsPerLine)
	}
	c.lineCells = 0
	return nil
}

// check refuses the block counted in c.
func (c *blockCounts) check() error {
	switch {
	case c.openBrackets > maxUnclosed:
		return fmt.Errorf("the block at line %d has %d unclosed \"[\", more than %d: paperlist refuses blocks that would take minutes to read", c.start, c.openBrackets, maxUnclosed)
	case c.openDests > maxUnclosed:
		return fmt.Errorf("the block at line %d has %d unclosed link targets \"](\", more than %d: paperlist refuses blocks that would take minutes to read", c.start, c.openDests, maxUnclosed)
	case dense(c.brackets, c.bytes):
		return fmt.Errorf("the block at line %d has %d brackets in %d bytes: paperlist refuses blocks this dense", c.start, c.brackets, c.bytes)
	case dense(c.cells, c.bytes):
		return fmt.Errorf("the block at line %d has %d table cells in %d bytes: paperlist refuses tables this dense", c.start, c.cells, c.bytes)
	case dense(c.delimiters, c.bytes):
		return fmt.Errorf("the block at line %d has %d runs of emphasis delimiters in %d bytes: paperlist refuses blocks this dense", c.start, c.delimiters, c.bytes)
	}
	return nil
}

func dense(n, bytes int) bool {
	return n > denseCount && n*denseRatio > bytes
}
