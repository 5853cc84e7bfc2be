package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"github.com/paperlist/paperlist/sources/semanticscholar"
)

// benchCitations runs a cold crawl with the third source on, in a cache of
// its own: arXiv, GitHub and Semantic Scholar side by side, three hosts.
// The other rows run with -citations=false, as they were measured before
// the source existed. Its floor is the larger of theirs and Semantic
// Scholar's: one request of 500 ids a second.
func benchCitations(ctx context.Context, rest *bencher, floor time.Duration, ids int, log io.Writer) (measure, error) {
	b := *rest
	b.citations = true
	b.dir = filepath.Join(rest.dir, "citations")
	if err := os.MkdirAll(b.dir, 0o755); err != nil {
		return measure{}, err
	}
	fmt.Fprintf(log, "paperbench: %d ids: cold crawl with citations\n", ids)
	s0 := len(b.s2.Requests())
	m, err := b.crawl(ctx, "paperlist, cold crawl with citations")
	if err != nil {
		return measure{}, err
	}
	s2Reqs := len(b.s2.Requests()) - s0
	want := ceilDiv(ids, semanticscholar.MaxBatch)
	m.floor = max(floor, time.Duration(want-1)*semanticscholar.Interval)
	m.note = fmt.Sprintf("%d Semantic Scholar requests", s2Reqs)
	m.s2Reqs = s2Reqs
	return m, nil
}
