package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/paperlist/paperlist"
	"github.com/paperlist/paperlist/crawler"
	"github.com/paperlist/paperlist/fix"
	"github.com/paperlist/paperlist/hostpool"
	"github.com/paperlist/paperlist/listedit"
	"github.com/paperlist/paperlist/sources/markdown"
	"github.com/paperlist/paperlist/store"
)

const fixHelp = `Crawl as crawl does, then put what it found back into the list: a renamed
repository's code link becomes its canonical URL (path suffix kept), and an
arXiv link whose paper has another title becomes the one paper an arXiv
title search names (-offline uses the searches the cache keeps). -stars
writes each live repository's star count after its code link; -add-links
writes the arXiv link found for an entry that has none (Semantic Scholar's
record of its DOI or page, or an arXiv title search) after its title.

By default the fixed list goes to stdout; -d prints a unified diff that
'patch -p1' applies; -w rewrites LIST in place (a file, not a URL or the
built-in list). Every byte outside the fixed links stays as it was. On
stderr: one line per fix, then the problems left for a person.

Examples:
  paperlist fix -d README.md
  GITHUB_TOKEN=... paperlist fix -w -stars README.md
  paperlist fix -offline -w README.md          (from the cache alone)
`

// fixConfig is the validated command line of fix.
type fixConfig struct {
	config
	// diff, write and stars are -d, -w and -stars; addLinks is -add-links.
	diff, write, stars bool
	addLinks           bool
}

// parseFixFlags reads fix's command line: the shared flags and what fix
// has instead of crawl's -out, -sort, -problems and -pages (fix fetches no
// landing page).
func parseFixFlags(args []string, env Env) (*fixConfig, error) {
	c := &fixConfig{config: defaultConfig("fix")}
	fs := newFlagSet("fix", fixHelp, env)
	fs.BoolVar(&c.diff, "d", c.diff, "print a unified diff instead of the fixed list")
	fs.BoolVar(&c.write, "w", c.write, "write the fixed list back to LIST (atomically, keeping its mode)")
	fs.BoolVar(&c.stars, "stars", c.stars, "write each live GitHub repository's star count after its code link")
	fs.BoolVar(&c.addLinks, "add-links", c.addLinks, "write the arXiv link found for an entry without one (by Semantic Scholar or a title search) after its title")
	c.addSourceFlags(fs)
	c.addLogFlags(fs)
	if err := c.parse(fs, args, env); err != nil {
		return nil, err
	}
	return c, nil
}

// runFix runs fix: it crawls the list like crawl, makes the edits the
// crawl's findings call for, and prints, diffs or writes the result.
func runFix(ctx context.Context, args []string, env Env) error {
	c, err := parseFixFlags(args, env)
	if err != nil {
		return err
	}
	if c.write && (c.list == "" || markdown.IsURL(c.list)) {
		return &usageError{msg: "-w needs a list file, not a URL or the built-in list"}
	}
	// Bars and a closing line on a terminal, unless -quiet: as crawl's.
	terminal := c.showBars(env)
	if !c.verbose {
		// stderr is for the fixes and the problems left; warnings still show.
		c.quiet = true
	}
	logOut := newLogWriter(env.Stderr)
	log := newLogger(&c.config, logOut)
	file := annotationFile(c.list)

	var guard *fix.Guard
	if c.write {
		// Watched before it is read: a file replaced after this is told
		// by the write, which then writes nothing.
		if guard, err = fix.WatchList(c.list); err != nil {
			return fatalf("%v", err)
		}
	}
	src, list, err := loadFixSource(ctx, &c.config)
	if err != nil {
		return interruptedOr(ctx, err)
	}
	if err := requireEntries("fix", list); err != nil {
		return err
	}
	cache, closeCache, err := openCache(ctx, &c.config, log)
	if err != nil {
		return interruptedOr(ctx, err)
	}
	defer closeCache()

	var transport *hostpool.Transport
	if !c.offline {
		transport = newTransport(&c.config, env, log)
	}
	// fix needs GitHub (renames, -stars) and arXiv (titles), never a
	// landing page: none is fetched, so none is waited on.
	opts, _, err := engineOptions(&c.config, env, cache, transport, false, log)
	if err != nil {
		return err
	}
	bars := startBars(ctx, terminal, env.Stderr, logOut, &opts)
	report, runErr := crawler.Run(ctx, list, opts)
	bars.finish(logOut, env.Stderr)
	if report.Interrupted {
		return &exitError{code: exitInterrupted, err: errors.New("interrupted")}
	}

	fopts := fix.Options{Cache: cache, MaxAge: c.arxivMaxAge, Stars: c.stars, AddLinks: c.addLinks, Logger: log}
	if s, ok := cache.(*store.Store); ok {
		if err := s.MigrateSearchFile(); err != nil {
			log.Warn("move the title searches into the cache", "err", err)
		}
		fopts.Memory = s
	}
	if s, ok := opts.Arxiv.(fix.Searcher); ok && !c.offline {
		fopts.Search = s
	}
	plan := fix.Make(ctx, src, report.Dataset, fopts)
	if ctx.Err() != nil {
		return &exitError{code: exitInterrupted, err: errors.New("interrupted")}
	}
	fixed, err := plan.Apply(src)
	if err != nil {
		return fatalf("fix %s: %v", file, err)
	}
	left := fix.ProblemsLeft(ctx, cache, src, fixed, list.Source, report.Dataset, log)
	closeCache()
	if ctx.Err() != nil {
		// A signal before the write: the list stays as it was.
		return &exitError{code: exitInterrupted, err: errors.New("interrupted")}
	}

	if err := writeFixed(c, guard, file, src, fixed, env.Stdout); err != nil {
		return err
	}
	for _, fx := range plan.Fixes {
		fmt.Fprintf(env.Stderr, "%s:%d: %s\n", file, fx.Line, safeText(fx.Note))
	}
	stopped, stoppedLines := stoppedSources(report, transport)
	for _, p := range left.Papers {
		for _, pr := range p.Problems {
			if summedUp(stopped, pr) {
				continue
			}
			fmt.Fprintf(env.Stderr, "%s:%d: %s: %s\n", file, p.Line, pr.Code, safeText(pr.Message))
		}
	}
	for _, line := range stoppedLines {
		fmt.Fprintf(env.Stderr, "paperlist: %s\n", line)
	}
	leftProblems := listedProblems(left, c.ignore)
	if c.logFormat == logGitHub && c.write && !c.diff {
		writeAnnotations(env.Stdout, file, leftProblems)
	}
	if err := writeStepSummary(env.Getenv, "paperlist fix", file, leftProblems); err != nil {
		log.Warn("write the step summary", "err", err)
	}
	outs := stepOutputs{problems: len(leftProblems), fixed: len(plan.Fixes), changed: string(src) != string(fixed)}
	if err := writeStepOutputs(env.Getenv, outs); err != nil {
		log.Warn("write the step outputs", "err", err)
	}
	warnStrayLinks(list, false, env.Stderr, log)
	if terminal {
		fixDone(env.Stderr, c, file, len(plan.Fixes), len(leftProblems), string(src) != string(fixed))
	}

	switch {
	case ctx.Err() != nil:
		return &exitError{code: exitInterrupted, err: errors.New("interrupted")}
	case runErr != nil:
		fmt.Fprintf(env.Stderr, "paperlist: %s\n", safeText(strings.TrimPrefix(runErr.Error(), "crawler: ")))
		return &exitError{code: exitPartial, err: runErr}
	case report.Incomplete() != "":
		noNetwork(env.Stderr, transport)
		return &exitError{code: exitPartial, err: errors.New(report.Incomplete())}
	}
	return nil
}

// writeFixed puts the fixed list where -d and -w say: a diff on stdout,
// the file rewritten through guard, or (by default) the list on stdout.
func writeFixed(c *fixConfig, guard *fix.Guard, file string, src, fixed []byte, stdout io.Writer) error {
	if c.diff {
		if _, err := stdout.Write(listedit.UnifiedDiff(file, src, fixed)); err != nil {
			return fatalf("write diff: %v", err)
		}
	}
	if c.write {
		if string(src) == string(fixed) {
			return nil
		}
		if err := guard.Write(src, fixed); errors.Is(err, fix.ErrChanged) {
			return fatalf("%s %v", safeText(file), err)
		} else if err != nil {
			return fatalf("%v", err)
		}
		return nil
	}
	if !c.diff {
		if _, err := stdout.Write(fixed); err != nil {
			return fatalf("write list: %v", err)
		}
	}
	return nil
}

// loadFixSource reads the list's bytes, which fix edits, and parses them:
// the built-in list, a URL or a file.
func loadFixSource(ctx context.Context, c *config) ([]byte, *paperlist.List, error) {
	src, source, err := markdown.Read(ctx, listClient(c.timeout), c.list)
	if err != nil {
		return nil, nil, fatalf("%v", err)
	}
	list, err := markdown.ParseContext(ctx, src, source)
	if err != nil {
		return nil, nil, fatalf("read list %s: %v", source, err)
	}
	return src, list, nil
}

// fixDone says on a terminal, after the fixes and the problems left, what
// became of the fixes and how many problems are left.
func fixDone(w io.Writer, c *fixConfig, file string, fixes, left int, changed bool) {
	var what string
	switch {
	case fixes == 0 || !changed:
		what = "nothing to fix"
	case c.write:
		what = fmt.Sprintf("%s written into %s", count(fixes, "fix", "fixes"), safeText(file))
	case c.diff:
		what = fmt.Sprintf("%s in the diff above (-w writes them)", count(fixes, "fix", "fixes"))
	default:
		what = fmt.Sprintf("%s in the list on stdout (-d shows a diff, -w writes them)", count(fixes, "fix", "fixes"))
	}
	fmt.Fprintf(w, "%s; %s left\n", what, count(left, "problem", "problems"))
}
