package output

import (
	"bufio"
	"bytes"
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/paperlist/paperlist"
)

// JSONSchema is the JSON Schema (draft 2020-12) of papers.json as WriteJSON
// writes it, for downstream tools to validate against.
//
//go:embed schema.json
var JSONSchema []byte

// WriteJSON writes the dataset to w as papers.json: indented by two spaces,
// with a trailing newline, and the same bytes for the same dataset. Absent
// values are omitted, an empty list still gives "papers": [], and every time
// is written in RFC 3339 form in UTC to the second. <, > and & in strings are
// escaped as \u003c, \u003e and \u0026, so the document is safe to embed in
// HTML. The dataset is not modified.
//
// The document is streamed a paper at a time, so its size in memory does not
// grow with the list's. A dataset that is nil or lacks a paper writes
// nothing, but a failure while writing (a time that JSON cannot hold, a
// failing w) may leave part of the document written.
func WriteJSON(w io.Writer, d *paperlist.Dataset) error {
	if err := checkDataset(d); err != nil {
		return fmt.Errorf("write json: %w", err)
	}
	if err := writeJSON(w, d, newChunkReader(d)); err != nil {
		return fmt.Errorf("write json: %w", err)
	}
	return nil
}

// papersTail is how the indented document ends when it has no papers; a
// document with papers replaces its "[]" with the papers.
const papersTail = "\"papers\": []\n}"

// writeJSON writes d with the papers rd gives, every one of d's in list
// order.
func writeJSON(w io.Writer, d *paperlist.Dataset, rd paperReader) error {
	head := *d
	head.GeneratedAt = jsonTime(d.GeneratedAt)
	head.Papers = []*paperlist.Paper{}
	b, err := json.MarshalIndent(&head, "", "  ")
	if err != nil {
		return err
	}
	if !bytes.HasSuffix(b, []byte(papersTail)) {
		return errors.New("papers are not the last field of the document")
	}
	bw := bufio.NewWriter(w)
	if len(d.Papers) == 0 {
		bw.Write(b)
		bw.WriteByte('\n')
		return bw.Flush()
	}
	if _, err := bw.Write(b[:len(b)-len("]\n}")]); err != nil {
		return err
	}
	// Each paper is encoded compact and indented as an element of the
	// papers array: one encoder and two buffers serve them all.
	var buf bytes.Buffer
	var out []byte
	enc := json.NewEncoder(&buf)
	var form paperForm
	for i := range d.Papers {
		p, err := rd.next()
		if err != nil {
			return err
		}
		buf.Reset()
		if err := enc.Encode(form.of(p)); err != nil {
			return err
		}
		sep := ",\n    "
		if i == 0 {
			sep = "\n    "
		}
		bw.WriteString(sep)
		// Encode ends the value with a newline, which the separator or
		// the closing bracket replaces.
		out = indentCompact(out[:0], bytes.TrimSuffix(buf.Bytes(), []byte("\n")), "    ", "  ")
		if _, err := bw.Write(out); err != nil {
			return err
		}
	}
	bw.WriteString("\n  ]\n}\n")
	return bw.Flush()
}

// paperForm holds the copy of one paper as papers.json shows it, reused
// from paper to paper.
type paperForm struct {
	paper paperlist.Paper
	arxiv paperlist.ArxivRecord
	repo  paperlist.RepoStats
	page  paperlist.PageRecord
}

// of returns a copy of p with its times in UTC to the second. The copy is
// valid until the next call.
func (f *paperForm) of(p *paperlist.Paper) *paperlist.Paper {
	f.paper = *p
	if p.Arxiv != nil {
		f.arxiv = *p.Arxiv
		f.arxiv.Published = jsonTime(f.arxiv.Published)
		f.arxiv.Updated = jsonTime(f.arxiv.Updated)
		f.arxiv.FetchedAt = jsonTime(f.arxiv.FetchedAt)
		f.paper.Arxiv = &f.arxiv
	}
	if p.GitHub != nil {
		f.repo = *p.GitHub
		f.repo.PushedAt = jsonTime(f.repo.PushedAt)
		f.repo.CreatedAt = jsonTime(f.repo.CreatedAt)
		f.repo.FetchedAt = jsonTime(f.repo.FetchedAt)
		f.paper.GitHub = &f.repo
	}
	if p.Page != nil {
		f.page = *p.Page
		f.page.FetchedAt = jsonTime(f.page.FetchedAt)
		f.paper.Page = &f.page
	}
	return &f.paper
}

// jsonTime is t in UTC to the second; the zero time stays zero, so that
// omitzero still omits it.
func jsonTime(t time.Time) time.Time {
	if t.IsZero() {
		return t
	}
	return t.UTC().Truncate(time.Second)
}

// indentCompact appends src, compact JSON as encoding/json writes it, to
// dst indented as json.Indent would with prefix and indent. It trusts src
// to be valid, which spares it json.Indent's scanner: that check cost as
// much as encoding the papers.
func indentCompact(dst, src []byte, prefix, indent string) []byte {
	depth := 0
	newline := func() {
		dst = append(dst, '\n')
		dst = append(dst, prefix...)
		for range depth {
			dst = append(dst, indent...)
		}
	}
	for i := 0; i < len(src); i++ {
		c := src[i]
		switch c {
		case '"':
			// Copy the string whole: a quote ends it unless an odd run
			// of backslashes escapes it. Strings (abstracts above all)
			// are most of a paper, so the quotes are found by IndexByte
			// rather than byte by byte.
			j := i + 1
			for {
				k := bytes.IndexByte(src[j:], '"')
				if k < 0 {
					j = len(src)
					break
				}
				j += k
				n := 0
				for b := j - 1; b > i && src[b] == '\\'; b-- {
					n++
				}
				if n%2 == 0 {
					break
				}
				j++
			}
			dst = append(dst, src[i:min(j+1, len(src))]...)
			i = j
		case '{', '[':
			dst = append(dst, c)
			if i+1 < len(src) && (src[i+1] == '}' || src[i+1] == ']') {
				// An empty object or array stays on its line.
				dst = append(dst, src[i+1])
				i++
				continue
			}
			depth++
			newline()
		case '}', ']':
			depth--
			newline()
			dst = append(dst, c)
		case ',':
			dst = append(dst, c)
			newline()
		case ':':
			dst = append(dst, ':', ' ')
		default:
			dst = append(dst, c)
		}
	}
	return dst
}
