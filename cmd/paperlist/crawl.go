package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/paperlist/paperlist"
	"github.com/paperlist/paperlist/crawler"
	"github.com/paperlist/paperlist/output"
	"github.com/paperlist/paperlist/sources/markdown"
	"github.com/paperlist/paperlist/store"
)

// runCrawl runs crawl and check: it reads the list, enriches it through
// the cache and the sources, writes papers.json and papers.md, reports,
// and says by its error which exit code the run ends with.
func runCrawl(ctx context.Context, cmd string, args []string, env Env) error {
	c, err := parseCrawlFlags(cmd, args, env)
	if err != nil {
		return err
	}
	if err := checkOutputsApart(c); err != nil {
		return err
	}
	logOut := newLogWriter(env.Stderr)
	log := newLogger(&c.config, logOut)
	start := time.Now()

	list, cache, closeCache, err := loadAndOpen(ctx, cmd, c, log)
	if err != nil {
		return err
	}
	defer closeCache()

	transport := newTransport(&c.config, env, log)
	opts, gh, err := engineOptions(&c.config, env, cache, transport, c.pages, log)
	if err != nil {
		return err
	}
	// The records are read from the cache as the outputs are written, and
	// the list is the run's to fill: nothing reads it after.
	opts.OnDemand, opts.FillList = true, true
	bars := startBars(ctx, c.showBars(env), env.Stderr, logOut, &opts)
	if bars == nil {
		log.Info("crawl started", "list", list.Source, "papers", len(list.Papers), "offline", c.offline, "cache", c.db)
	}

	// The run fills the list's papers into the dataset; its links are
	// needed no more once the warning about links in no entry is decided
	// (17,000 of them in a list of 10,000 papers: 1.4 MB).
	strays, strayWarn := findStrays(list)
	source := list.Source
	list.Links = nil
	report, runErr := crawler.Run(ctx, list, opts)
	bars.finish(logOut, env.Stderr)
	// Outputs are written even when saving to the cache failed: they hold
	// what this run knows. Their records are read from the cache as they
	// are written; then the cache is released.
	version, _ := buildVersion()
	report.Dataset.Generator = &paperlist.Generator{Name: "paperlist", Version: version}
	if c.out != "" {
		err = output.WriteFiles(c.out, report.Dataset, output.MarkdownOptions{Sort: string(c.sort), Problems: c.problems})
	}
	closeCache()
	if err != nil {
		return fatalf("%v", err)
	}

	s := newSummary(report, transport, gh, time.Since(start))
	s.out = c.out
	problems := listedProblems(report.Dataset, c.ignore)
	if c.logFormat == logGitHub {
		writeAnnotations(env.Stdout, annotationFile(c.list), problems)
	}
	if err := writeStepSummary(env.Getenv, "paperlist "+cmd, annotationFile(c.list), problems); err != nil {
		log.Warn("write the step summary", "err", err)
	}
	if err := writeStepOutputs(env.Getenv, stepOutputs{problems: len(problems)}); err != nil {
		log.Warn("write the step outputs", "err", err)
	}
	if bars != nil {
		printProblems(env.Stderr, annotationFile(c.list), report.Dataset, s.stoppedSrc)
		s.print(env.Stderr)
	} else {
		s.log(log, report.Dataset)
	}
	whatNext(env.Stderr, bars != nil, log, c, problems)
	if strayWarn {
		sayStrays(strays, source, bars != nil, env.Stderr, log)
	}

	switch {
	case report.Interrupted:
		return &exitError{code: exitInterrupted, err: errors.New("interrupted")}
	case runErr != nil:
		// The outputs are written, the cache is not: partial, said once.
		fmt.Fprintf(env.Stderr, "paperlist: %s\n", paperlist.FoldSpace(strings.TrimPrefix(runErr.Error(), "crawler: ")))
		return &exitError{code: exitPartial, err: runErr}
	case report.Incomplete() != "":
		noNetwork(env.Stderr, transport)
		return &exitError{code: exitPartial, err: errors.New(report.Incomplete())}
	case cmd == "check" && len(problems) > 0:
		return &exitError{code: exitProblems, err: fmt.Errorf("%d problems", len(problems))}
	}
	return nil
}

// loadAndOpen reads the list and opens the cache. A cache that exists
// already (a rerun's) is opened while the list's bytes are read, and gives
// the list this build read from the same bytes before, if it kept it: a
// rerun on an unchanged list does not read it again. A list read anew is
// kept for the next run. A new cache is made only once the list has
// entries, so that a list that cannot be read leaves no cache file behind.
// The list's error comes first.
func loadAndOpen(ctx context.Context, cmd string, c *crawlConfig, log *slog.Logger) (*paperlist.List, crawler.Cache, func(), error) {
	type opened struct {
		cache crawler.Cache
		close func()
		err   error
	}
	// The first call opens the cache; the others wait for it.
	open := sync.OnceValue(func() opened {
		cache, closeCache, err := openCache(ctx, &c.config, log)
		return opened{cache, closeCache, err}
	})
	_, statErr := os.Stat(c.db)
	early := statErr == nil
	if early {
		go open()
	}
	fail := func(err error) (*paperlist.List, crawler.Cache, func(), error) {
		if early {
			if o := open(); o.close != nil {
				o.close()
			}
		}
		return nil, nil, nil, err
	}
	lists := func(o opened) *store.ListMemo {
		if s, ok := o.cache.(*store.Store); ok && o.err == nil {
			return s.Lists(readerBuild())
		}
		return nil
	}

	src, source, err := markdown.Read(ctx, listClient(c.timeout), c.list)
	if err != nil {
		return fail(interruptedOr(ctx, fatalf("%v", err)))
	}
	var memo *store.ListMemo // nil keeps nothing and finds nothing
	if early {
		memo = lists(open())
	}
	list, err := memo.List(source, src)
	if err != nil {
		log.Debug("the list kept in the cache is read again", "err", err)
		list = nil
	}
	keep := list == nil
	if keep {
		if list, err = markdown.ParseRead(ctx, src, source, c.list); err != nil {
			return fail(interruptedOr(ctx, fatalf("%v", err)))
		}
	} else {
		src = nil // the list's text is the kept list's own
		log.Debug("the list's bytes are those read before: the list kept in the cache is used", "list", source)
	}
	if err := requireEntries(cmd, list); err != nil {
		return fail(err)
	}
	o := open()
	if o.err != nil {
		return nil, nil, nil, interruptedOr(ctx, o.err)
	}
	if !early {
		memo = lists(o) // a new cache keeps the list it was made for
	}
	closeCache := o.close
	if keep {
		closeCache = keepBeside(memo, src, list, o.close, log)
	}
	return list, o.cache, closeCache, nil
}

// keepBeside keeps list, read from src, in the cache: encoded now, before
// the run fills the list's papers, and written beside the run, whose first
// minutes are the network's, so that its commit adds nothing to a cold
// crawl. It returns closeCache waiting for the write first.
func keepBeside(memo *store.ListMemo, src []byte, list *paperlist.List, closeCache func(), log *slog.Logger) func() {
	kept, err := memo.Encode(src, list)
	done := make(chan struct{})
	go func() {
		defer close(done)
		if err == nil {
			err = memo.Keep(kept)
		}
		if err != nil && !errors.Is(err, store.ErrReadOnly) {
			log.Debug("the list is not kept in the cache", "err", err)
		}
	}()
	return func() {
		<-done
		closeCache()
	}
}
