package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"net/http"
	"net/url"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/paperlist/paperlist"
	"github.com/paperlist/paperlist/crawler"
	"github.com/paperlist/paperlist/sources/arxiv"
	"github.com/paperlist/paperlist/sources/github"
	"github.com/paperlist/paperlist/sources/landing"
	"github.com/paperlist/paperlist/sources/markdown"
	"github.com/paperlist/paperlist/store"
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
	Stdin  io.Reader
	Stdout io.Writer
	Stderr io.Writer
	Getenv func(string) string
	// IsTerminal reports whether stderr is a terminal; nil means it is not.
	IsTerminal func() bool
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
			fmt.Fprintf(env.Stderr, "paperlist: %s\n", oneLine(ee.err.Error()))
		}
		return ee.code
	}
	fmt.Fprintf(env.Stderr, "paperlist: %s\n", oneLine(err.Error()))
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
	case "inspect":
		return runInspect(ctx, rest, env)
	case "version":
		return runVersion(rest, env)
	case "schema":
		if len(rest) > 0 {
			return &usageError{msg: "schema takes no arguments"}
		}
		_, err := env.Stdout.Write(paperlist.JSONSchema)
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
  paperlist inspect [flags] [LIST]  show what paperlist reads in the list, offline
  paperlist schema                  print the JSON Schema of papers.json
  paperlist version                 print the module version and VCS revision

LIST is a markdown file or an http(s) URL; without it, the built-in
LLaMA-Paper-List. Run 'paperlist crawl -h' for the flags.

Exit codes: 0 done, 1 fatal, 2 partial (fetches failed; outputs written with
the last good data), 3 problems found (check only), 130 interrupted.

Examples:
  paperlist crawl -out site/ README.md
  paperlist crawl -offline -out /tmp/out
  GITHUB_TOKEN=... paperlist check -quiet -log-format github README.md
`

var commandHelp = map[string]string{
	"crawl": `Enrich the list (a markdown file, an http(s) URL, or by default the built-in
LLaMA-Paper-List) and write papers.json and papers.md into -out.

Examples:
  paperlist crawl                                  the built-in list into ./
  GITHUB_TOKEN=... paperlist crawl -out site/ README.md
  paperlist crawl -quiet -db /var/cache/paperlist/cache.db README.md   (cron)
  paperlist crawl -offline -out /tmp/out README.md                     (no network)
  paperlist crawl -github-max-age 0 README.md      refresh every star count now
`,
	"check": `Like crawl, then exit 3 when any entry has a problem (exit 2 still means
that fetches failed).

Examples:
  paperlist check README.md
  paperlist check -quiet -log-format github README.md   (in a pull request's CI)
`,
}

// config is the validated command line of crawl and check.
type config struct {
	cmd       string
	list      string
	out       string
	offline   bool
	db        string
	arxivURL  string
	arxivInt  time.Duration
	arxivAge  time.Duration
	githubURL string
	githubAge time.Duration
	workers   int
	lockWait  time.Duration
	timeout   time.Duration
	maxWait   time.Duration
	pages     bool
	sort      string
	quiet     bool
	verbose   bool
	logFormat string
	progress  bool
}

func parseFlags(cmd string, args []string, env Env) (*config, error) {
	c := &config{cmd: cmd}
	fs := flag.NewFlagSet(cmd, flag.ContinueOnError)
	fs.SetOutput(env.Stderr)
	fs.StringVar(&c.out, "out", ".", "write papers.json and papers.md into `DIR`")
	fs.BoolVar(&c.offline, "offline", false, "fetch nothing: outputs from the list and the cache (opened read-only)")
	fs.StringVar(&c.db, "db", "", "the bbolt cache `file` (default <user cache dir>/paperlist/cache.db)")
	fs.StringVar(&c.arxivURL, "arxiv-url", arxiv.DefaultAPIURL, "arXiv export API `URL`")
	fs.DurationVar(&c.arxivInt, "arxiv-interval", 3*time.Second, "minimum spacing between arXiv requests (arXiv asks for 3s)")
	fs.DurationVar(&c.arxivAge, "arxiv-max-age", 168*time.Hour, "refetch arXiv records and landing pages older than this")
	fs.StringVar(&c.githubURL, "github-url", github.DefaultBaseURL, "GitHub REST API base `URL` (GitHub Enterprise: https://HOST/api/v3/)")
	fs.DurationVar(&c.githubAge, "github-max-age", 24*time.Hour, "refresh repository stats older than this (a 304 costs no quota)")
	fs.IntVar(&c.workers, "workers", 4, "GitHub requests in flight at most")
	fs.DurationVar(&c.lockWait, "lock-timeout", 0, "how long to wait for a cache in use by another run (0: fail at once)")
	fs.DurationVar(&c.timeout, "timeout", 30*time.Second, "timeout of one HTTP request")
	fs.DurationVar(&c.maxWait, "max-wait", 10*time.Minute, "longest rate-limit wait; a source that asks for more stops for this run")
	fs.BoolVar(&c.pages, "pages", true, "fetch the landing pages of papers that are not on arXiv")
	fs.StringVar(&c.sort, "sort", "list", "order of entries within each section of papers.md: list|stars")
	fs.BoolVar(&c.quiet, "quiet", false, "log only warnings and errors (for cron)")
	fs.BoolVar(&c.verbose, "v", false, "log every request and decision")
	fs.StringVar(&c.logFormat, "log-format", "text", "log format on stderr: text|json|github (GitHub Actions annotations on stdout)")
	fs.BoolVar(&c.progress, "progress", true, "show progress bars when stderr is a terminal")
	fs.Usage = func() {
		fmt.Fprintf(env.Stderr, "Usage: paperlist %s [flags] [LIST]\n\n%s\nFlags:\n", cmd, commandHelp[cmd])
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return nil, err
		}
		return nil, &usageError{msg: oneLine(err.Error())}
	}
	switch fs.NArg() {
	case 0:
	case 1:
		c.list = fs.Arg(0)
	default:
		return nil, &usageError{msg: fmt.Sprintf("%s takes one list, got %d arguments", cmd, fs.NArg())}
	}
	return c, c.validate(env)
}

func (c *config) validate(env Env) error {
	switch {
	case c.workers < 1:
		return &usageError{msg: "-workers must be at least 1"}
	case c.arxivInt < 0, c.arxivAge < 0, c.githubAge < 0, c.lockWait < 0, c.maxWait < 0:
		return &usageError{msg: "durations must not be negative"}
	case c.timeout <= 0:
		return &usageError{msg: "-timeout must be positive"}
	case c.sort != "list" && c.sort != "stars":
		return &usageError{msg: fmt.Sprintf("-sort is list or stars, not %q", c.sort)}
	case c.logFormat != "text" && c.logFormat != "json" && c.logFormat != "github":
		return &usageError{msg: fmt.Sprintf("-log-format is text, json or github, not %q", c.logFormat)}
	case c.quiet && c.verbose:
		return &usageError{msg: "-quiet and -v exclude each other"}
	}
	for name, raw := range map[string]string{"-arxiv-url": c.arxivURL, "-github-url": c.githubURL} {
		if u, err := url.Parse(raw); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return &usageError{msg: fmt.Sprintf("%s must be an http(s) URL", name)}
		}
	}
	if c.db == "" {
		p, err := store.DefaultPath()
		if err != nil {
			return fatalf("find the cache folder: %v (give -db)", err)
		}
		c.db = p
	}
	if st, err := os.Stat(c.out); err != nil || !st.IsDir() {
		return fatalf("output folder %s does not exist or is not a folder", c.out)
	}
	return nil
}

func newLogger(c *config, env Env) *slog.Logger {
	level := slog.LevelInfo
	switch {
	case c.quiet:
		level = slog.LevelWarn
	case c.verbose:
		level = slog.LevelDebug
	}
	opts := &slog.HandlerOptions{Level: level}
	if c.logFormat == "json" {
		return slog.New(slog.NewJSONHandler(env.Stderr, opts))
	}
	return slog.New(slog.NewTextHandler(env.Stderr, opts))
}

func runCrawl(ctx context.Context, cmd string, args []string, env Env) error {
	c, err := parseFlags(cmd, args, env)
	if err != nil {
		return err
	}
	if err := checkOutputsApart(c); err != nil {
		return err
	}
	log := newLogger(c, env)
	start := time.Now()

	listClient := &http.Client{Timeout: c.timeout}
	list, err := markdown.Load(ctx, listClient, c.list)
	if err != nil {
		return interruptedOr(ctx, fatalf("%v", err))
	}
	if err := requireEntries(cmd, list); err != nil {
		return err
	}

	cache, closeCache, err := openCache(ctx, c, log)
	if err != nil {
		return interruptedOr(ctx, err)
	}
	defer closeCache()

	transport := crawler.NewTransport(crawler.TransportOptions{
		Hosts:       hostPolicies(c),
		Default:     crawler.HostPolicy{Interval: time.Second, Concurrency: 1},
		MaxAttempts: 5,
		BaseDelay:   time.Second,
		MaxDelay:    time.Minute,
		MaxWait:     c.maxWait,
		Timeout:     c.timeout,
		Logger:      log,
	})
	httpClient := &http.Client{Transport: transport}

	opts := crawler.Options{
		Cache:        cache,
		ArxivMaxAge:  c.arxivAge,
		GitHubMaxAge: c.githubAge,
		PageMaxAge:   c.arxivAge,
		Workers:      c.workers,
		Offline:      c.offline,
		Logger:       log,
	}
	var gh *github.Client
	if !c.offline {
		opts.Arxiv = arxiv.New(arxiv.Options{
			APIURL:     c.arxivURL,
			AbsURL:     absURL(c.arxivURL),
			HTTPClient: httpClient,
			UserAgent:  userAgent(),
			Logger:     log,
		})
		if c.pages {
			opts.Pages = landing.New(landing.Options{HTTPClient: httpClient, UserAgent: userAgent(), Logger: log})
		}
		gh, err = github.New(github.Options{
			BaseURL:    c.githubURL,
			Token:      github.TokenFromEnv(env.Getenv),
			HTTPClient: httpClient,
			UserAgent:  userAgent(),
			Logger:     log,
		})
		if err != nil {
			return fatalf("%v", err)
		}
		if !gh.Authenticated() {
			log.Warn("no GITHUB_TOKEN or GH_TOKEN: GitHub allows 60 requests an hour without one")
		}
		opts.Repos = gh
	}
	var bars *progressBars
	if c.progress && !c.quiet && env.IsTerminal != nil && env.IsTerminal() {
		bars = newProgressBars(ctx, env.Stderr)
		opts.Progress = bars
	} else {
		log.Info("crawl started", "list", list.Source, "papers", len(list.Papers), "offline", c.offline, "cache", c.db)
	}

	report, runErr := crawler.Run(ctx, list, opts)
	if bars != nil {
		bars.Wait()
	}
	// The crawl is over: release the cache (its lock, and its memory map,
	// which a large cache would otherwise add to the peak while writing).
	closeCache()
	if report == nil {
		return fatalf("crawl: %v", runErr)
	}
	// Outputs are written even when saving to the cache failed: they hold
	// what this run knows.
	if err := paperlist.WriteFiles(c.out, report.Dataset, paperlist.MarkdownOptions{Sort: c.sort}); err != nil {
		return fatalf("%v", err)
	}

	s := newSummary(report, transport, gh, time.Since(start))
	if c.logFormat == "github" {
		writeAnnotations(env.Stdout, annotationFile(c.list), report.Dataset)
	}
	if bars != nil {
		printProblems(env.Stderr, annotationFile(c.list), report.Dataset)
		s.print(env.Stderr)
	} else {
		s.log(log, report.Dataset)
	}
	warnStrayLinks(list, bars != nil, env.Stderr, log)

	switch {
	case report.Interrupted:
		return &exitError{code: exitInterrupted, err: errors.New("interrupted")}
	case runErr != nil:
		// The outputs are written, the cache is not: partial, said once.
		fmt.Fprintf(env.Stderr, "paperlist: %s\n", oneLine(strings.TrimPrefix(runErr.Error(), "crawler: ")))
		return &exitError{code: exitPartial, err: runErr}
	case report.Partial():
		return &exitError{code: exitPartial, err: errors.New("some fetches failed")}
	case cmd == "check" && s.problems > 0:
		return &exitError{code: exitProblems, err: fmt.Errorf("%d problems", s.problems)}
	}
	return nil
}

// openCache opens the bbolt cache: read-only when offline, where a missing
// file means running with no cache at all.
func openCache(ctx context.Context, c *config, log *slog.Logger) (crawler.Cache, func(), error) {
	s, err := openStore(ctx, c.db, store.Options{Timeout: c.lockWait, ReadOnly: c.offline})
	switch {
	case err == nil:
		var once sync.Once
		return s, func() {
			once.Do(func() {
				if err := s.Close(); err != nil {
					log.Error("close cache", "err", err)
				}
			})
		}, nil
	case c.offline && errors.Is(err, fs.ErrNotExist):
		log.Info("no cache yet: offline outputs come from the list alone", "cache", c.db)
		return nil, func() {}, nil
	default:
		return nil, nil, fatalf("%v", err)
	}
}

// hostPolicies gives arXiv one request at a time at its interval, and
// GitHub -workers in flight paced by its rate-limit headers.
func hostPolicies(c *config) map[string]crawler.HostPolicy {
	arxivPolicy := crawler.HostPolicy{Interval: c.arxivInt, Concurrency: 1}
	hosts := map[string]crawler.HostPolicy{"arxiv.org": arxivPolicy}
	if u, err := url.Parse(c.arxivURL); err == nil {
		hosts[u.Host] = arxivPolicy
	}
	if u, err := url.Parse(c.githubURL); err == nil {
		hosts[u.Host] = crawler.HostPolicy{Concurrency: c.workers, RateLimitHeaders: true}
	}
	return hosts
}

// absURL is where the abstract pages are for an export API at apiURL: the
// real arxiv.org for the real API, the same server for any other.
func absURL(apiURL string) string {
	u, err := url.Parse(apiURL)
	if apiURL == arxiv.DefaultAPIURL || err != nil {
		return arxiv.DefaultAbsURL
	}
	return u.Scheme + "://" + u.Host + "/abs/"
}

func oneLine(s string) string {
	return strings.Join(strings.Fields(s), " ")
}
