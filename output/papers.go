package output

import (
	"errors"
	"fmt"
	"sync"

	"github.com/paperlist/paperlist"
)

// paperReader gives a dataset's papers in list order, one at a time, with
// their records when the dataset has Enrich. A paper is valid until a
// later chunk is read: the writers use each before asking for the next.
type paperReader interface {
	next() (*paperlist.Paper, error)
}

// chunkReader reads a dataset's papers itself, EnrichChunk at a time.
type chunkReader struct {
	d     *paperlist.Dataset
	pos   int // the index in d.Papers of the next paper
	chunk []*paperlist.Paper
	k     int // the index in chunk of the next paper
}

func newChunkReader(d *paperlist.Dataset) *chunkReader { return &chunkReader{d: d} }

func (r *chunkReader) next() (*paperlist.Paper, error) {
	if r.pos >= len(r.d.Papers) {
		return nil, errors.New("read past the last paper")
	}
	if r.d.Enrich == nil {
		r.pos++
		return r.d.Papers[r.pos-1], nil
	}
	if r.k == len(r.chunk) {
		c, err := enrichChunk(r.d, r.d.Papers[r.pos:min(r.pos+paperlist.EnrichChunk, len(r.d.Papers))])
		if err != nil {
			return nil, err
		}
		r.chunk, r.k = c, 0
	}
	r.pos++
	r.k++
	return r.chunk[r.k-1], nil
}

// enrichChunk is d.Enrich of ps, checked to give a paper for each.
func enrichChunk(d *paperlist.Dataset, ps []*paperlist.Paper) ([]*paperlist.Paper, error) {
	c, err := d.Enrich(ps)
	if err != nil {
		return nil, fmt.Errorf("read records: %w", err)
	}
	if len(c) != len(ps) {
		return nil, fmt.Errorf("read records: %d papers for %d", len(c), len(ps))
	}
	return c, nil
}

// eachPaper calls f with every paper of ps in order, enriched when d has
// Enrich; a paper is valid only during its call.
func eachPaper(d *paperlist.Dataset, ps []*paperlist.Paper, f func(i int, p *paperlist.Paper) error) error {
	if d.Enrich == nil {
		for i, p := range ps {
			if err := f(i, p); err != nil {
				return err
			}
		}
		return nil
	}
	for lo := 0; lo < len(ps); lo += paperlist.EnrichChunk {
		chunk, err := enrichChunk(d, ps[lo:min(lo+paperlist.EnrichChunk, len(ps))])
		if err != nil {
			return err
		}
		for i, p := range chunk {
			if err := f(lo+i, p); err != nil {
				return err
			}
		}
	}
	return nil
}

// feedChunks is how many chunks a feed's reader may fall behind the
// fastest one before the feed waits for it.
const feedChunks = 2

// feed reads a dataset's papers once, a chunk at a time, for several
// writers that each read all of them in list order: the records are read
// and decoded once, not once per file.
type feed struct {
	readers []*feedReader
	wg      sync.WaitGroup
}

// feedReader is one writer's view of a feed.
type feedReader struct {
	ch    chan feedChunk
	done  chan struct{}
	chunk []*paperlist.Paper
	k     int
	err   error
}

type feedChunk struct {
	papers []*paperlist.Paper
	err    error
}

// startFeed starts reading d's papers for n readers. Each reader must be
// closed when its writer is done with it, and wait called before d's
// records are released.
func startFeed(d *paperlist.Dataset, n int) *feed {
	f := &feed{}
	for range n {
		f.readers = append(f.readers, &feedReader{ch: make(chan feedChunk, feedChunks), done: make(chan struct{})})
	}
	f.wg.Go(func() {
		live := make([]bool, n)
		for i := range live {
			live[i] = true
		}
		defer func() {
			for _, r := range f.readers {
				close(r.ch)
			}
		}()
		ps := d.Papers
		for lo := 0; lo < len(ps); lo += paperlist.EnrichChunk {
			c, err := enrichChunk(d, ps[lo:min(lo+paperlist.EnrichChunk, len(ps))])
			sent := false
			for i, r := range f.readers {
				if !live[i] {
					continue
				}
				select {
				case r.ch <- feedChunk{papers: c, err: err}:
					sent = true
				case <-r.done:
					live[i] = false
				}
			}
			if err != nil || !sent {
				return
			}
		}
	})
	return f
}

// wait returns once the feed reads no more.
func (f *feed) wait() { f.wg.Wait() }

func (r *feedReader) next() (*paperlist.Paper, error) {
	for r.err == nil && r.k == len(r.chunk) {
		c, ok := <-r.ch
		switch {
		case !ok:
			r.err = errors.New("read past the last paper")
		case c.err != nil:
			r.err = c.err
		default:
			r.chunk, r.k = c.papers, 0
		}
	}
	if r.err != nil {
		return nil, r.err
	}
	r.k++
	return r.chunk[r.k-1], nil
}

// close says that the reader's writer reads no more.
func (r *feedReader) close() { close(r.done) }
