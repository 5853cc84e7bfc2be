package paperlist

import (
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"time"
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
func WriteJSON(w io.Writer, d *Dataset) error {
	out, err := jsonForm(d)
	if err != nil {
		return fmt.Errorf("write json: %w", err)
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	// Encode marshals the whole document before its single Write, so a
	// value that cannot be marshalled writes nothing.
	if err := enc.Encode(out); err != nil {
		return fmt.Errorf("write json: %w", err)
	}
	return nil
}

// jsonForm returns a copy of d as papers.json shows it: times in UTC to the
// second and a papers list that is never null.
func jsonForm(d *Dataset) (*Dataset, error) {
	if d == nil {
		return nil, errors.New("no dataset")
	}
	out := *d
	out.GeneratedAt = jsonTime(d.GeneratedAt)
	out.Papers = make([]*Paper, len(d.Papers))
	for i, p := range d.Papers {
		if p == nil {
			return nil, fmt.Errorf("paper %d is missing", i+1)
		}
		cp := *p
		if p.Arxiv != nil {
			a := *p.Arxiv
			a.Published = jsonTime(a.Published)
			a.Updated = jsonTime(a.Updated)
			a.FetchedAt = jsonTime(a.FetchedAt)
			cp.Arxiv = &a
		}
		if p.GitHub != nil {
			g := *p.GitHub
			g.PushedAt = jsonTime(g.PushedAt)
			g.CreatedAt = jsonTime(g.CreatedAt)
			g.FetchedAt = jsonTime(g.FetchedAt)
			cp.GitHub = &g
		}
		if p.Page != nil {
			pg := *p.Page
			pg.FetchedAt = jsonTime(pg.FetchedAt)
			cp.Page = &pg
		}
		out.Papers[i] = &cp
	}
	return &out, nil
}

// jsonTime is t in UTC to the second; the zero time stays zero, so that
// omitzero still omits it.
func jsonTime(t time.Time) time.Time {
	if t.IsZero() {
		return t
	}
	return t.UTC().Truncate(time.Second)
}
