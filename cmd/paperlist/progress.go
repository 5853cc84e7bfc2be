package main

import (
	"context"
	"io"
	"sync"

	"github.com/vbauerster/mpb/v8"
	"github.com/vbauerster/mpb/v8/decor"
)

// progressBars shows a live bar per source on a terminal. It implements
// crawler.Progress.
type progressBars struct {
	p    *mpb.Progress
	mu   sync.Mutex
	bars map[string]*mpb.Bar
}

func newProgressBars(ctx context.Context, w io.Writer) *progressBars {
	return &progressBars{
		p:    mpb.NewWithContext(ctx, mpb.WithOutput(w), mpb.WithWidth(40), mpb.WithAutoRefresh()),
		bars: make(map[string]*mpb.Bar),
	}
}

// Start adds the bar of a source that has total items to fetch.
func (b *progressBars) Start(source string, total int) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if _, ok := b.bars[source]; ok || total <= 0 {
		return
	}
	b.bars[source] = b.p.AddBar(int64(total),
		mpb.PrependDecorators(
			decor.Name(source, decor.WC{W: 8, C: decor.DindentRight}),
			decor.CountersNoUnit("%d/%d", decor.WCSyncWidth),
		),
		mpb.AppendDecorators(decor.Percentage(decor.WC{W: 5}), decor.Elapsed(decor.ET_STYLE_GO, decor.WC{W: 6})),
	)
}

// Advance moves a source's bar on by n finished items.
func (b *progressBars) Advance(source string, n int) {
	b.mu.Lock()
	bar := b.bars[source]
	b.mu.Unlock()
	if bar != nil {
		bar.IncrBy(n)
	}
}

// Done completes a source's bar, whatever its count.
func (b *progressBars) Done(source string) {
	b.mu.Lock()
	bar := b.bars[source]
	b.mu.Unlock()
	if bar != nil {
		bar.SetTotal(-1, true)
	}
}

// Wait completes every bar still running and waits for the last render.
func (b *progressBars) Wait() {
	b.mu.Lock()
	for _, bar := range b.bars {
		if !bar.AbortedOrCompleted() {
			bar.Abort(false)
		}
	}
	b.mu.Unlock()
	b.p.Wait()
}
