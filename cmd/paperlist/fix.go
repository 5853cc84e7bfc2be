package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strings"

	"github.com/paperlist/paperlist"
	"github.com/paperlist/paperlist/crawler"
	"github.com/paperlist/paperlist/listedit"
	"github.com/paperlist/paperlist/sources/markdown"
)

const fixHelp = `Crawl as crawl does, then put what it found back into the list: a renamed
repository's code link becomes its canonical URL (path suffix kept), and an
arXiv link whose paper has another title becomes the one paper an arXiv
title search names (-offline uses the searches the cache keeps). -stars
writes each live repository's star count after its code link.

By default the fixed list goes to stdout; -d prints a unified diff that
'patch -p1' applies; -w rewrites LIST in place (a file, not a URL or the
built-in list). Every byte outside the fixed links stays as it was. On
stderr: one line per fix, then the problems left for a person.

Examples:
  paperlist fix -d README.md
  GITHUB_TOKEN=... paperlist fix -w -stars README.md
  paperlist fix -offline -w README.md          (from the cache alone)
`

// addFixFlags adds what fix has instead of crawl's -out and -sort.
func addFixFlags(fs *flag.FlagSet, c *config) {
	fs.BoolVar(&c.diff, "d", c.diff, "print a unified diff instead of the fixed list")
	fs.BoolVar(&c.write, "w", c.write, "write the fixed list back to LIST (atomically, keeping its mode)")
	fs.BoolVar(&c.stars, "stars", c.stars, "write each live GitHub repository's star count after its code link")
}

// runFix runs fix: it crawls the list like crawl, makes the edits the
// crawl's findings call for, and prints, diffs or writes the result.
func runFix(ctx context.Context, args []string, env Env) error {
	c, err := parseFlags("fix", args, env)
	if err != nil {
		return err
	}
	if c.write && (c.list == "" || isListURL(c.list)) {
		return &usageError{msg: "-w needs a list file, not a URL or the built-in list"}
	}
	if !c.verbose {
		// stderr is for the fixes and the problems left; warnings still show.
		c.quiet = true
	}
	log := newLogger(c, env)
	file := annotationFile(c.list)

	src, list, err := loadFixSource(ctx, c)
	if err != nil {
		return interruptedOr(ctx, err)
	}
	if err := requireEntries("fix", list); err != nil {
		return err
	}
	cache, closeCache, err := openCache(ctx, c, log)
	if err != nil {
		return interruptedOr(ctx, err)
	}
	defer closeCache()

	opts := crawler.Options{
		Cache:        cache,
		ArxivMaxAge:  c.arxivMaxAge,
		GitHubMaxAge: c.githubMaxAge,
		PageMaxAge:   c.arxivMaxAge,
		Workers:      c.workers,
		Offline:      c.offline,
		Logger:       log,
	}
	if !c.offline {
		if _, err := addSources(&opts, c, env, &http.Client{Transport: newTransport(c, env, log)}, log); err != nil {
			return err
		}
	}
	report, runErr := crawler.Run(ctx, list, opts)
	if report.Interrupted {
		return &exitError{code: exitInterrupted, err: errors.New("interrupted")}
	}

	f := &fixer{src: src, cache: cache, searches: openSearches(c.db), log: log}
	if s, ok := opts.Arxiv.(titleSearcher); ok && !c.offline {
		f.search = s
	}
	fixes, searchFailed := f.fixes(ctx, report.Dataset, c.stars)
	if err := f.searches.save(); err != nil {
		log.Warn("keep the title searches", "err", err)
	}
	if ctx.Err() != nil {
		return &exitError{code: exitInterrupted, err: errors.New("interrupted")}
	}
	edits := make([]listedit.Edit, len(fixes))
	for i, fx := range fixes {
		edits[i] = fx.edit
	}
	fixed, err := listedit.Apply(src, edits)
	if err != nil {
		return fatalf("fix %s: %v", file, err)
	}
	left := f.problemsLeft(ctx, fixed, list.Source, report.Dataset)
	closeCache()
	if ctx.Err() != nil {
		// A signal before the write: the list stays as it was.
		return &exitError{code: exitInterrupted, err: errors.New("interrupted")}
	}

	if err := writeFixed(c, file, src, fixed, env.Stdout); err != nil {
		return err
	}
	for _, fx := range fixes {
		fmt.Fprintf(env.Stderr, "%s:%d: %s\n", file, fx.line, paperlist.FoldSpace(fx.note))
	}
	for _, p := range left.Papers {
		for _, pr := range p.Problems {
			fmt.Fprintf(env.Stderr, "%s:%d: %s: %s\n", file, p.Line, pr.Code, paperlist.FoldSpace(pr.Message))
		}
	}
	if c.logFormat == logGitHub && c.write && !c.diff {
		writeAnnotations(env.Stdout, file, left)
	}
	warnStrayLinks(list, false, env.Stderr, log)

	switch {
	case ctx.Err() != nil:
		return &exitError{code: exitInterrupted, err: errors.New("interrupted")}
	case runErr != nil:
		fmt.Fprintf(env.Stderr, "paperlist: %s\n", paperlist.FoldSpace(strings.TrimPrefix(runErr.Error(), "crawler: ")))
		return &exitError{code: exitPartial, err: runErr}
	case report.Partial() || searchFailed:
		return &exitError{code: exitPartial, err: errors.New("some lookups failed")}
	}
	return nil
}

// writeFixed puts the fixed list where -d and -w say: a diff on stdout,
// the file rewritten, or (by default) the list on stdout.
func writeFixed(c *config, file string, src, fixed []byte, stdout io.Writer) error {
	if c.diff {
		if _, err := stdout.Write(listedit.UnifiedDiff(file, src, fixed)); err != nil {
			return fatalf("write diff: %v", err)
		}
	}
	if c.write {
		if string(src) == string(fixed) {
			return nil
		}
		if err := writeAtomic(c.list, fixed); err != nil {
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
	list, err := markdown.Parse(src, source)
	if err != nil {
		return nil, nil, fatalf("read list %s: %v", source, err)
	}
	return src, list, nil
}

// discard is a logger for the second, offline assembly of the fixed list.
var discard = slog.New(slog.DiscardHandler)
