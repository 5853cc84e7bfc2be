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
	// Each paper is encoded straight into its indented form, in one
	// buffer that serves them all.
	var enc paperEncoder
	for i := range d.Papers {
		p, err := rd.next()
		if err != nil {
			return err
		}
		out, err := enc.encode(p)
		if err != nil {
			return err
		}
		sep := ",\n    "
		if i == 0 {
			sep = "\n    "
		}
		bw.WriteString(sep)
		if _, err := bw.Write(out); err != nil {
			return err
		}
	}
	bw.WriteString("\n  ]\n}\n")
	return bw.Flush()
}

// jsonTime is t in UTC to the second; the zero time stays zero, so that
// omitzero still omits it.
func jsonTime(t time.Time) time.Time {
	if t.IsZero() {
		return t
	}
	return t.UTC().Truncate(time.Second)
}
