// Command paperbench measures paperlist the way its users run it: it
// builds cmd/paperlist, generates lists of the given sizes in the real
// list's layout, serves their papers and repositories from arxivtest and
// githubtest on loopback with a per-request latency, and runs the binary on
// each list three times: a cold crawl, a warm rerun (everything fresh) and
// a stale rerun (both max ages 0), all through GitHub's REST API
// (-github-api rest). Then, with the same token, a cold crawl through
// GraphQL in a cache of its own; then it changes the stars of 30% of the
// repositories and runs a "daily" rerun (-github-max-age 0) of each cache:
// REST's conditional requests cost quota for every changed repository,
// GraphQL's queries four points per 100 repositories whatever changed
// (GitHub's rule: four connections per repository, 400 requests ÷ 100).
// Beside it, on the same servers, it runs
// the crawl people write by hand: one arXiv request per paper at the same
// interval and one unconditional GitHub request per entry with a code link.
//
// It prints a markdown table per size: requests per host, GitHub REST quota
// and GraphQL points used, wall time, the floor that arXiv's interval and GitHub's latency
// impose, the ratio of wall time to that floor and the peak memory of the
// paperlist process; then the targets, met or missed.
//
// Usage:
//
//	go run ./cmd/paperbench [-sizes 32,2000,10000] [-arxiv-interval 100ms]
//	    [-arxiv-latency 30ms] [-github-latency 30ms] [-workers 4]
//	    [-baseline=true] [-baseline-sample 2000] [-short]
//
// -short runs sizes 32 and 200 in seconds and exits 1 when a structural
// target fails (a warm rerun that sends requests, a stale rerun that uses
// GitHub quota, a cold crawl that does not batch arXiv ids by 100 or asks
// for a repository more than once, a GraphQL crawl that does not batch
// repositories by 100, a daily REST rerun that pays for more than the
// changed repositories), so that CI keeps the benchmark honest.
// A full run exits 1 on the same failures; the timing targets are reported,
// not enforced, since they depend on the machine.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strconv"
	"strings"
	"time"
)

// benchToken is the GitHub token the crawls use against githubtest.
const benchToken = "ghp_paperbenchToken0000000000000000000"

func main() {
	launch()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// config is paperbench's command line.
type config struct {
	sizes          []int
	arxivInterval  time.Duration
	arxivLatency   time.Duration
	githubLatency  time.Duration
	workers        int
	baseline       bool
	baselineSample int
	short          bool
}

func parseFlags(args []string, stderr io.Writer) (*config, error) {
	c := &config{}
	fs := flag.NewFlagSet("paperbench", flag.ContinueOnError)
	fs.SetOutput(stderr)
	sizes := fs.String("sizes", "32,2000,10000", "comma-separated list `sizes` (papers)")
	fs.DurationVar(&c.arxivInterval, "arxiv-interval", 100*time.Millisecond, "paperlist's -arxiv-interval, and the baseline's spacing")
	fs.DurationVar(&c.arxivLatency, "arxiv-latency", 30*time.Millisecond, "latency of every arXiv answer")
	fs.DurationVar(&c.githubLatency, "github-latency", 30*time.Millisecond, "latency of every GitHub answer")
	fs.IntVar(&c.workers, "workers", 4, "paperlist's -workers")
	fs.BoolVar(&c.baseline, "baseline", true, "also run the hand-written per-paper crawl")
	fs.IntVar(&c.baselineSample, "baseline-sample", 2000, "the baseline crawls at most this many papers of a list and extrapolates its time to the rest")
	fs.BoolVar(&c.short, "short", false, "sizes 32 and 200 only, baseline sample 32: a quick structural check that exits 1 on failure")
	if err := fs.Parse(args); err != nil {
		return nil, err
	}
	if fs.NArg() > 0 {
		return nil, fmt.Errorf("unexpected arguments %q", fs.Args())
	}
	if c.short {
		*sizes = "32,200"
		c.baselineSample = 32
	}
	for _, s := range strings.Split(*sizes, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(s))
		if err != nil || n < 1 {
			return nil, fmt.Errorf("-sizes: %q is not a positive number", s)
		}
		c.sizes = append(c.sizes, n)
	}
	switch {
	case c.workers < 1:
		return nil, errors.New("-workers must be at least 1")
	case c.baselineSample < 1:
		return nil, errors.New("-baseline-sample must be at least 1")
	case c.arxivInterval < 0 || c.arxivLatency < 0 || c.githubLatency < 0:
		return nil, errors.New("durations must not be negative")
	}
	return c, nil
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	c, err := parseFlags(args, stderr)
	if errors.Is(err, flag.ErrHelp) {
		return 0
	}
	if err != nil {
		fmt.Fprintf(stderr, "paperbench: %v\n", err)
		return 2
	}
	dir, err := os.MkdirTemp("", "paperbench-")
	if err != nil {
		fmt.Fprintf(stderr, "paperbench: %v\n", err)
		return 1
	}
	defer os.RemoveAll(dir)
	fmt.Fprintln(stderr, "paperbench: building cmd/paperlist")
	bin, err := buildPaperlist(ctx, dir)
	if err != nil {
		fmt.Fprintf(stderr, "paperbench: %v\n", err)
		return 1
	}

	printHeader(stdout, c)
	var results []*sizeResult
	for _, n := range c.sizes {
		res, err := benchSize(ctx, c, bin, dir, n, stderr)
		if err != nil {
			fmt.Fprintf(stderr, "paperbench: %d papers: %v\n", n, err)
			return 1
		}
		res.print(stdout, c)
		results = append(results, res)
	}
	failures := printTargets(stdout, c, results)
	if len(failures) > 0 {
		fmt.Fprintf(stderr, "paperbench: %d structural targets failed:\n  %s\n", len(failures), strings.Join(failures, "\n  "))
		return 1
	}
	return 0
}
