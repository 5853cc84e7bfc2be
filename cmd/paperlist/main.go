// Command paperlist keeps awesome-style paper lists alive: it reads a list,
// enriches every entry with arXiv metadata and GitHub repository stats,
// caches what it fetched, and writes papers.json and papers.md.
//
// Run "paperlist -h" for the commands and flags.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"

	"golang.org/x/term"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	go func() {
		// After the first signal, a second one kills the process at once.
		<-ctx.Done()
		stop()
	}()
	code := Main(ctx, os.Args[1:], Env{
		Stdout: os.Stdout,
		Stderr: os.Stderr,
		Getenv: os.Getenv,
		IsTerminal: func() bool {
			return term.IsTerminal(int(os.Stderr.Fd()))
		},
	})
	stop()
	os.Exit(code)
}
