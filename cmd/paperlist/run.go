package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"

	"github.com/paperlist/paperlist"
	"github.com/paperlist/paperlist/hostpool"
	"github.com/paperlist/paperlist/output"
)

// Exit codes.
const (
	exitOK          = 0
	exitFatal       = 1
	exitPartial     = 2
	exitProblems    = 3
	exitInterrupted = 130
)

// Env is what the command takes from its process, so that tests can run it
// in-process.
type Env struct {
	Stdout io.Writer
	Stderr io.Writer
	Getenv func(string) string
	// IsTerminal reports whether stderr is a terminal; nil means it is not.
	IsTerminal func() bool

	// clock is the time the requests are paced and retried by; nil means
	// the wall clock. Tests set it so as not to wait.
	clock hostpool.Clock
}

// exitError carries the exit code of a failed command.
type exitError struct {
	code int
	err  error
}

func (e *exitError) Error() string { return e.err.Error() }
func (e *exitError) Unwrap() error { return e.err }

func fatalf(format string, args ...any) error {
	return &exitError{code: exitFatal, err: fmt.Errorf(format, args...)}
}

// usageError is a mistake in the command line; the usage hint follows it.
type usageError struct{ msg string }

func (e *usageError) Error() string { return e.msg }

// Main runs the command line args and returns the process exit code.
func Main(ctx context.Context, args []string, env Env) int {
	if env.Getenv == nil {
		env.Getenv = func(string) string { return "" }
	}
	err := dispatch(ctx, args, env)
	if err == nil {
		return exitOK
	}
	if errors.Is(err, flag.ErrHelp) {
		return exitOK
	}
	var ue *usageError
	if errors.As(err, &ue) {
		fmt.Fprintf(env.Stderr, "paperlist: %s\nRun 'paperlist -h' for usage.\n", ue.msg)
		return exitFatal
	}
	var ee *exitError
	if errors.As(err, &ee) {
		if ee.err != nil && ee.code != exitProblems && ee.code != exitPartial && ee.code != exitInterrupted {
			fmt.Fprintf(env.Stderr, "paperlist: %s\n", paperlist.FoldSpace(ee.err.Error()))
		}
		return ee.code
	}
	fmt.Fprintf(env.Stderr, "paperlist: %s\n", paperlist.FoldSpace(err.Error()))
	return exitFatal
}

func dispatch(ctx context.Context, args []string, env Env) error {
	if len(args) == 0 {
		fmt.Fprint(env.Stderr, usage)
		return &usageError{msg: "no command given"}
	}
	switch cmd, rest := args[0], args[1:]; cmd {
	case "crawl":
		return runCrawl(ctx, "crawl", rest, env)
	case "check":
		return runCrawl(ctx, "check", rest, env)
	case "fix":
		return runFix(ctx, rest, env)
	case "inspect":
		return runInspect(ctx, rest, env)
	case "version":
		return runVersion(rest, env)
	case "schema":
		if len(rest) > 0 {
			return &usageError{msg: "schema takes no arguments"}
		}
		_, err := env.Stdout.Write(output.JSONSchema)
		return err
	case "help", "-h", "-help", "--help":
		fmt.Fprint(env.Stdout, usage)
		return nil
	default:
		return &usageError{msg: fmt.Sprintf("unknown command %q", cmd)}
	}
}

const usage = `paperlist keeps awesome-style paper lists alive: it reads a list, enriches
every entry with arXiv metadata and GitHub repository stats, caches what it
fetched, and writes papers.json and papers.md.

Usage:
  paperlist crawl [flags] [LIST]    enrich and write papers.json and papers.md
  paperlist check [flags] [LIST]    the same, then exit 3 when any entry has a problem
  paperlist fix [flags] [LIST]      put the crawl's findings back into the list (-d diff, -w write)
  paperlist inspect [flags] [LIST]  show what paperlist reads in the list, offline
  paperlist schema                  print the JSON Schema of papers.json
  paperlist version                 print the module version and VCS revision

LIST is a markdown file or an http(s) URL; without it, the built-in
LLaMA-Paper-List. Run 'paperlist crawl -h' for the flags.

Exit codes: 0 done (one entry's failed fetch is a problem on that entry),
1 fatal, 2 a source stopped early or nothing could be fetched (outputs written
with the last good data), 3 problems found (check only), 130 interrupted.

Examples:
  paperlist crawl -out site/ README.md
  paperlist crawl -offline -out /tmp/out
  GITHUB_TOKEN=... paperlist check -quiet -log-format github README.md
`
