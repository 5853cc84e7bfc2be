package markdown

import (
	"bytes"
	"sync"

	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

// chunkSize is about how many bytes of a list goldmark parses at a time.
// The syntax tree of a list is about twenty times its size, so a list is
// read one chunk at a time, each tree dropped before the next is built,
// rather than as one tree of the whole document (40 MB for a list of
// 10,000 papers).
const chunkSize = 64 << 10

// chunkBounds returns where the chunks of src start, the first at 0, and
// len(src) last. A chunk starts at a line that opens an ATX heading at
// column 0 right after a blank line, and is at least size bytes long
// (the last one aside); size 0 gives one chunk, the whole document.
//
// Such a line ends every block open above it, as CommonMark reads it,
// except a fenced code block or an HTML block of the kinds that only their
// closing line ends (<pre>, <!-- …): a blank line ends a paragraph, a
// table and the other HTML blocks, and a line that is neither indented nor
// a list marker ends the blocks of a list, a block quote and an indented
// code block. So goldmark reads the chunk before it, parsed alone, as it
// reads that part of the document, unless one of those two blocks is open
// at its end, which readChunks sees in the chunk's tree (see openAtEnd).
// The heading's section, the paragraph under it and the lists after that
// are in the chunk it starts: what the reader reads across blocks (a
// heading and the paragraph below it, a title paragraph and the list of
// fields after it, a list and the HTML block after it) is never split.
func chunkBounds(src []byte, size int) []int {
	bounds := []int{0}
	if size > 0 {
		blank := false // the line before the one at i is blank
		for i := 0; i < len(src); {
			end := bytes.IndexByte(src[i:], '\n')
			if end < 0 {
				end = len(src)
			} else {
				end += i + 1
			}
			line := src[i:end]
			if blank && i-bounds[len(bounds)-1] >= size && isHeadingStart(line) {
				bounds = append(bounds, i)
			}
			blank = len(bytes.Trim(line, " \t\r\n")) == 0
			i = end
		}
	}
	return append(bounds, len(src))
}

// isHeadingStart reports whether line opens an ATX heading at column 0:
// one to six "#" and a space or tab.
func isHeadingStart(line []byte) bool {
	n := 0
	for n < len(line) && n < 7 && line[n] == '#' {
		n++
	}
	return n >= 1 && n <= 6 && n < len(line) && (line[n] == ' ' || line[n] == '\t')
}

// openAtEnd reports whether a block of doc, a chunk's tree, holds the
// blank line that ends the chunk at end: a fenced code block or an HTML
// block still open there, whose next lines the whole document would give
// it; the chunk then does not end there. An indented code block open
// there drops its trailing blank lines when it closes and is not seen.
func openAtEnd(doc ast.Node, src []byte, end int) bool {
	blank := bytes.LastIndexByte(src[:end-1], '\n') + 1 // the start of the chunk's last line
	for n := doc.LastChild(); n != nil; n = n.LastChild() {
		if n.Type() != ast.TypeBlock {
			return false
		}
		if lines := n.Lines(); lines.Len() > 0 && lines.At(lines.Len()-1).Stop > blank {
			return true
		}
	}
	return false
}

// parseRange parses src[start:end] as a document of its own, with the
// offsets of its nodes in src, and the link reference definitions refs
// known as if they were defined before it. It returns the tree and the
// parser context, which holds the definitions known after it.
func parseRange(src []byte, start, end int, refs map[string]parser.Reference) (ast.Node, parser.Context) {
	pc := parser.NewContext()
	for _, ref := range refs {
		pc.AddReference(ref)
	}
	rd := text.NewReader(src[:end])
	if start > 0 {
		rd.SetPosition(-1, text.NewSegment(start, start))
		rd.AdvanceLine()
	}
	return mdParser.Parse(rd, parser.WithContext(pc)), pc
}

// eachChunk parses the chunks of r.src between bounds in order and calls
// read with each tree; a chunk at whose end a block is still open (see
// openAtEnd) is read to the end of the document instead. It returns the
// bounds of the chunks read. Every chunk knows the definitions refs holds;
// when collect is set, those it defines are added to refs, the first of
// each label, as CommonMark keeps it.
//
// The next chunk is parsed in a goroutine while read reads one, so that
// reading a long list takes about the longer of the two, not their sum;
// only the parser touches refs.
func (r *reader) eachChunk(bounds []int, refs map[string]parser.Reference, collect bool, read func(doc ast.Node) error) ([]int, error) {
	type parsed struct {
		doc ast.Node
		end int
	}
	chunks := make(chan parsed, 1)
	done := make(chan struct{})
	var wg sync.WaitGroup
	defer wg.Wait()
	defer close(done)
	wg.Go(func() {
		defer close(chunks)
		for i := 0; i+1 < len(bounds); i++ {
			if r.ctx.Err() != nil {
				return
			}
			start, end := bounds[i], bounds[i+1]
			doc, pc := parseRange(r.src, start, end, refs)
			if end < len(r.src) && openAtEnd(doc, r.src, end) {
				end, i = len(r.src), len(bounds)
				doc, pc = parseRange(r.src, start, end, refs)
			}
			if collect {
				for _, ref := range pc.References() {
					k := string(util.ToLinkReference(ref.Label()))
					if _, ok := refs[k]; !ok {
						refs[k] = ref
					}
				}
			}
			select {
			case chunks <- parsed{doc, end}:
			case <-done:
				return
			}
		}
	})
	out := []int{0}
	for c := range chunks {
		if err := read(c.doc); err != nil {
			return nil, err
		}
		out = append(out, c.end)
	}
	if err := r.ctx.Err(); err != nil {
		return nil, err
	}
	return out, nil
}

// readChunks reads the document r.src chunk by chunk (see chunkBounds),
// so that only one chunk's tree is held at a time. A reference link can
// name a definition further down the document, so a list that has
// definitions ("[label]: …") is parsed twice: first to collect them,
// then, with all of them known to every chunk, to be read.
func (r *reader) readChunks(size int) error {
	bounds := chunkBounds(r.src, size)
	var refs map[string]parser.Reference
	if len(bounds) > 2 && bytes.Contains(r.src, []byte("]:")) {
		refs = make(map[string]parser.Reference)
		var err error
		bounds, err = r.eachChunk(bounds, refs, true, func(doc ast.Node) error {
			r.addDefs(doc)
			return nil
		})
		if err != nil {
			return err
		}
	}
	_, err := r.eachChunk(bounds, refs, false, func(doc ast.Node) error {
		r.collect(doc)
		// The blocks are walked, not the document: the reader may be in a
		// section it skips (news), which a heading of the chunk ends.
		var err error
		for n := doc.FirstChild(); n != nil && err == nil; n = n.NextSibling() {
			err = ast.Walk(n, r.visit)
		}
		// What the reader kept of this chunk's nodes is dropped with them.
		clear(r.plainItems)
		clear(r.usedHTML)
		clear(r.usedPara)
		r.classes = nil
		return err
	})
	return err
}
