package main

import (
	"context"
	"io"
	"sync"

	"github.com/vbauerster/mpb/v8"
	"github.com/vbauerster/mpb/v8/decor"

	"github.com/paperlist/paperlist/crawler"
)

// progressBars shows a live bar per source on a terminal. It implements
// crawler.Progress.
type progressBars struct {
	p       *mpb.Progress
	mu      sync.Mutex
	bars    map[string]*mpb.Bar
	stopped map[string]bool
}

// nameWidth is the width of the bars' names: the longest source's name
// and a space.
const nameWidth = len(crawler.SourceCitations) + 1

func newProgressBars(ctx context.Context, w io.Writer) *progressBars {
	return &progressBars{
		p:       mpb.NewWithContext(ctx, mpb.WithOutput(w), mpb.WithWidth(40), mpb.WithAutoRefresh()),
		bars:    make(map[string]*mpb.Bar),
		stopped: make(map[string]bool),
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
			// Every counter lines up after the longest name.
			decor.Name(source, decor.WC{W: nameWidth, C: decor.DindentRight}),
			decor.CountersNoUnit("%d/%d", decor.WCSyncWidth),
		),
		// A source that stopped early keeps its count and says so.
		mpb.AppendDecorators(decor.OnAbort(decor.Percentage(decor.WC{W: 5}), "stopped"), decor.Elapsed(decor.ET_STYLE_GO, decor.WC{W: 6})),
	)
}

// Advance moves a source's bar on by n finished items; once the source
// stopped, what it no longer fetches does not count.
func (b *progressBars) Advance(source string, n int) {
	b.mu.Lock()
	bar, stopped := b.bars[source], b.stopped[source]
	b.mu.Unlock()
	if bar != nil && !stopped {
		bar.IncrBy(n)
	}
}

// Stopped marks a source that stopped before the end of the run: its bar
// ends at its count, saying stopped, not at 100 %.
func (b *progressBars) Stopped(source string) {
	b.mu.Lock()
	b.stopped[source] = true
	b.mu.Unlock()
}

// Done completes a source's bar, whatever its count, or ends it as
// stopped.
func (b *progressBars) Done(source string) {
	b.mu.Lock()
	bar, stopped := b.bars[source], b.stopped[source]
	b.mu.Unlock()
	switch {
	case bar == nil:
	case stopped:
		bar.Abort(false)
	default:
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

// showBars reports whether a run of c draws progress bars: on a terminal,
// unless -progress=false or -quiet.
func (c *config) showBars(env Env) bool {
	return c.progress && !c.quiet && env.IsTerminal != nil && env.IsTerminal()
}

// startBars draws the bars of a run that shows them (nil otherwise): opts
// tells them how fetching goes, and the log goes above them.
func startBars(ctx context.Context, show bool, stderr io.Writer, logOut *logWriter, opts *crawler.Options) *progressBars {
	if !show {
		return nil
	}
	b := newProgressBars(ctx, stderr)
	opts.Progress = b
	logOut.set(b.p)
	return b
}

// finish draws the bars a last time once the run is over and gives the
// log back to stderr; nothing without bars.
func (b *progressBars) finish(logOut *logWriter, stderr io.Writer) {
	if b == nil {
		return
	}
	logOut.set(stderr)
	b.Wait()
}

// logWriter is where a run's log goes: stderr, or, while bars are drawn,
// the bars' own writer, which prints each line above them, so that no
// redraw leaves stale lines however wide a line is.
type logWriter struct {
	mu     sync.Mutex
	w      io.Writer
	stderr io.Writer
}

func newLogWriter(stderr io.Writer) *logWriter { return &logWriter{w: stderr, stderr: stderr} }

// set sends the log to w from now on.
func (l *logWriter) set(w io.Writer) {
	l.mu.Lock()
	l.w = w
	l.mu.Unlock()
}

// Write writes to the current writer; a line the bars no longer take (they
// ended with the run's context) goes to stderr.
func (l *logWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	w := l.w
	l.mu.Unlock()
	n, err := w.Write(p)
	if err != nil && w != l.stderr {
		return l.stderr.Write(p)
	}
	return n, err
}
