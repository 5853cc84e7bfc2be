package main

import (
	"errors"
	"flag"
	"fmt"
	"net/url"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/paperlist/paperlist"
	"github.com/paperlist/paperlist/output"
	"github.com/paperlist/paperlist/sources/arxiv"
	"github.com/paperlist/paperlist/sources/github"
	"github.com/paperlist/paperlist/sources/semanticscholar"
	"github.com/paperlist/paperlist/store"
)

// crawlHelp and checkHelp are what crawl -h and check -h say before the
// flags.
const (
	crawlHelp = `Enrich the list (a markdown file, an http(s) URL, or by default the built-in
LLaMA-Paper-List) and write papers.json and papers.md into -out.

Examples:
  paperlist crawl                                  the built-in list into ./
  GITHUB_TOKEN=... paperlist crawl -out site/ README.md
  paperlist crawl -quiet -db /var/cache/paperlist/cache.db README.md   (cron)
  paperlist crawl -offline -out /tmp/out README.md                     (no network)
  paperlist crawl -github-max-age 0 README.md      refresh every star count now
`
	checkHelp = `Like crawl, then exit 3 when any entry has a problem whose code -ignore does
not drop (exit 2 still means that a source stopped early). check writes
papers.json and papers.md only when -out is given.

Examples:
  paperlist check README.md
  paperlist check -quiet -log-format github README.md   (in a pull request's CI)
  paperlist check -ignore repo_archived,duplicate_paper README.md
`
)

// config is what every command that crawls a list shares: the list, the
// cache, the sources, the network and the log. Its fields are named after
// their flags. Each command has its own configuration built on it
// (crawlConfig, fixConfig) and its own flag set built from the shared
// pieces (addSourceFlags, addLogFlags).
type config struct {
	cmd           string
	list          string
	offline       bool
	db            string
	arxivURL      string
	arxivInterval time.Duration
	arxivMaxAge   time.Duration
	githubURL     string
	githubMaxAge  time.Duration
	githubAPI     githubAPI
	workers       int
	lockTimeout   time.Duration
	timeout       time.Duration
	maxWait       time.Duration
	quiet         bool
	verbose       bool
	logFormat     logFormat
	progress      bool
	// ignore are the problem codes -ignore drops from the exit status,
	// the annotations and the step summary.
	ignore map[string]bool
	// citations, citationsURL and citationsMaxAge are -citations,
	// -citations-url and -citations-max-age.
	citations       bool
	citationsURL    string
	citationsMaxAge time.Duration
}

// crawlConfig is the validated command line of crawl and check.
type crawlConfig struct {
	config
	out      string
	pages    bool
	sort     sortOrder
	problems bool
}

// defaultConfig is the shared configuration before any flag is given: the
// one place the shared flags' defaults are defined, and what -h shows as
// them. An empty db means store.DefaultPath.
func defaultConfig(cmd string) config {
	return config{
		cmd:           cmd,
		arxivURL:      arxiv.DefaultAPIURL,
		arxivInterval: 3 * time.Second,
		arxivMaxAge:   168 * time.Hour,
		githubURL:     github.DefaultBaseURL,
		githubMaxAge:  24 * time.Hour,
		githubAPI:     apiAuto,
		workers:       4,
		timeout:       30 * time.Second,
		maxWait:       10 * time.Minute,
		logFormat:     logText,
		progress:      true,

		citations:       true,
		citationsURL:    semanticscholar.DefaultBaseURL,
		citationsMaxAge: 7 * 24 * time.Hour,
	}
}

// defaultCrawlConfig is crawl's or check's configuration before any flag
// is given.
func defaultCrawlConfig(cmd string) *crawlConfig {
	return &crawlConfig{
		config: defaultConfig(cmd),
		out:    defaultOut(cmd),
		pages:  true,
		sort:   output.SortList,
	}
}

// newFlagSet is the flag set of command cmd, which says help before its
// flags when asked for them.
func newFlagSet(cmd, help string, env Env) *flag.FlagSet {
	fs := flag.NewFlagSet(cmd, flag.ContinueOnError)
	fs.SetOutput(env.Stderr)
	fs.Usage = func() {
		fmt.Fprintf(env.Stderr, "Usage: paperlist %s [flags] [LIST]\n\n%s\nFlags:\n", cmd, help)
		fs.PrintDefaults()
	}
	return fs
}

// addSourceFlags adds the flags of where a crawl reads from: the cache,
// the sources and the network.
func (c *config) addSourceFlags(fs *flag.FlagSet) {
	fs.BoolVar(&c.offline, "offline", c.offline, "fetch nothing: outputs from the list and the cache (opened read-only)")
	fs.StringVar(&c.db, "db", c.db, "the bbolt cache `file` (default <user cache dir>/paperlist/cache.db)")
	fs.StringVar(&c.arxivURL, "arxiv-url", c.arxivURL, "arXiv export API `URL`")
	fs.DurationVar(&c.arxivInterval, "arxiv-interval", c.arxivInterval, "minimum spacing between arXiv requests (arXiv asks for 3s)")
	fs.DurationVar(&c.arxivMaxAge, "arxiv-max-age", c.arxivMaxAge, "refetch arXiv records and landing pages older than this")
	fs.StringVar(&c.githubURL, "github-url", c.githubURL, "GitHub REST API base `URL` (GitHub Enterprise: https://HOST/api/v3/)")
	fs.DurationVar(&c.githubMaxAge, "github-max-age", c.githubMaxAge, "refresh repository stats older than this (a 304 costs no quota)")
	fs.Var(&c.githubAPI, "github-api", "GitHub API for repository stats: `auto|rest|graphql` (auto: GraphQL, 100 repositories a query, when a token is set)")
	fs.IntVar(&c.workers, "workers", c.workers, "GitHub requests in flight at most")
	fs.DurationVar(&c.lockTimeout, "lock-timeout", c.lockTimeout, "how long to wait for a cache in use by another run (0: fail at once)")
	fs.DurationVar(&c.timeout, "timeout", c.timeout, "timeout of one HTTP request")
	fs.DurationVar(&c.maxWait, "max-wait", c.maxWait, "longest rate-limit wait; a source that asks for more stops for this run")
	fs.BoolVar(&c.citations, "citations", c.citations, "fetch citation counts, venues and DOIs from Semantic Scholar (key: S2_API_KEY or SEMANTIC_SCHOLAR_API_KEY)")
	fs.StringVar(&c.citationsURL, "citations-url", c.citationsURL, "Semantic Scholar Academic Graph API `URL`")
	fs.DurationVar(&c.citationsMaxAge, "citations-max-age", c.citationsMaxAge, "refetch citation records older than this")
}

// addLogFlags adds the flags of what a run says: the log, the progress
// bars, and the problems that count.
func (c *config) addLogFlags(fs *flag.FlagSet) {
	kept := " (papers.json keeps them)"
	if c.cmd == "fix" {
		kept = " (stderr still lists them)" // fix writes no papers.json
	}
	fs.Func("ignore", "drop problem `CODE[,CODE]` from the exit status, the annotations and the step summary"+kept, c.setIgnore)
	fs.BoolVar(&c.quiet, "quiet", c.quiet, "log only warnings and errors (for cron)")
	fs.BoolVar(&c.verbose, "v", c.verbose, "log every request and decision")
	fs.Var(&c.logFormat, "log-format", "log format on stderr: `text|json|github` (GitHub Actions annotations on stdout)")
	fs.BoolVar(&c.progress, "progress", c.progress, "show progress bars when stderr is a terminal")
}

// parse parses args with fs, whose flags set c and the command's own
// configuration, takes the list argument and validates what c holds.
func (c *config) parse(fs *flag.FlagSet, args []string, env Env) error {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return &usageError{msg: paperlist.FoldSpace(err.Error())}
	}
	switch fs.NArg() {
	case 0:
	case 1:
		c.list = fs.Arg(0)
	default:
		return &usageError{msg: fmt.Sprintf("%s takes one list, got %d arguments", c.cmd, fs.NArg())}
	}
	if c.githubAPI == apiGraphQL && !c.offline && github.TokenFromEnv(env.Getenv) == "" {
		return &usageError{msg: "-github-api graphql needs a token: set GITHUB_TOKEN or GH_TOKEN"}
	}
	return c.validate()
}

// parseCrawlFlags reads the command line of crawl or check (cmd).
func parseCrawlFlags(cmd string, args []string, env Env) (*crawlConfig, error) {
	c := defaultCrawlConfig(cmd)
	help := crawlHelp
	outHelp := "write papers.json and papers.md into `DIR`, created when missing"
	if cmd == "check" {
		help = checkHelp
		outHelp += " (check writes them only when -out is given)"
	}
	fs := newFlagSet(cmd, help, env)
	fs.StringVar(&c.out, "out", c.out, outHelp)
	fs.Var(&c.sort, "sort", "order of entries within each section of papers.md: `list|stars|citations`")
	fs.BoolVar(&c.problems, "problems", c.problems, "show each entry's problems in papers.md (they are always in papers.json and on stderr)")
	fs.BoolVar(&c.pages, "pages", c.pages, "fetch the landing pages of papers that are not on arXiv")
	c.addSourceFlags(fs)
	c.addLogFlags(fs)
	if err := c.parse(fs, args, env); err != nil {
		return nil, err
	}
	if c.out != "" {
		if err := os.MkdirAll(c.out, 0o755); err != nil {
			return nil, fatalf("output folder %s: %v", c.out, err)
		}
	}
	return c, nil
}

// validate checks what the flags' own parsing cannot: ranges, URLs and
// flags that exclude each other. It fills in the default cache path.
func (c *config) validate() error {
	switch {
	case c.workers < 1:
		return &usageError{msg: "-workers must be at least 1"}
	case c.arxivInterval < 0, c.arxivMaxAge < 0, c.githubMaxAge < 0, c.citationsMaxAge < 0, c.lockTimeout < 0, c.maxWait < 0:
		return &usageError{msg: "durations must not be negative"}
	case c.timeout <= 0:
		return &usageError{msg: "-timeout must be positive"}
	case c.quiet && c.verbose:
		return &usageError{msg: "-quiet and -v exclude each other"}
	}
	for name, raw := range map[string]string{"-arxiv-url": c.arxivURL, "-github-url": c.githubURL, "-citations-url": c.citationsURL} {
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
	return nil
}

// defaultOut is where a command writes papers.json and papers.md without
// -out: crawl into the current folder, check nowhere (it reads a list, it
// does not change its repository).
func defaultOut(cmd string) string {
	if cmd == "crawl" {
		return "."
	}
	return ""
}

// setIgnore reads -ignore: problem codes separated by commas, each one
// paperlist knows.
func (c *config) setIgnore(v string) error {
	if c.ignore == nil {
		c.ignore = map[string]bool{}
	}
	for code := range strings.SplitSeq(v, ",") {
		code = strings.TrimSpace(code)
		if code == "" {
			continue
		}
		if !slices.ContainsFunc(paperlist.ProblemCodes, func(p struct{ Code, Meaning string }) bool { return p.Code == code }) {
			return fmt.Errorf("unknown problem code %q", code)
		}
		c.ignore[code] = true
	}
	return nil
}

// sortOrder is the value of -sort: how papers.md orders the entries of a
// section, output.SortList or output.SortStars.
type sortOrder string

func (s *sortOrder) String() string { return string(*s) }

// Set accepts the orders WriteMarkdown knows.
func (s *sortOrder) Set(v string) error {
	return setChoice(s, v, output.SortList, output.SortStars, output.SortCitations)
}

// logFormat is the value of -log-format: how the log on stderr is written.
type logFormat string

const (
	logText logFormat = "text"
	logJSON logFormat = "json"
	// logGitHub logs text and writes the problems as GitHub Actions
	// annotations on stdout.
	logGitHub logFormat = "github"
)

func (f *logFormat) String() string { return string(*f) }

// Set accepts the formats that newLogger knows.
func (f *logFormat) Set(v string) error { return setChoice(f, v, logText, logJSON, logGitHub) }

// githubAPI is the value of -github-api: which GitHub API fetches the
// repositories.
type githubAPI string

const (
	// apiAuto is GraphQL with a token, REST without one (GraphQL refuses
	// anonymous queries).
	apiAuto    githubAPI = "auto"
	apiREST    githubAPI = "rest"
	apiGraphQL githubAPI = "graphql"
)

func (a *githubAPI) String() string { return string(*a) }

// Set accepts the APIs addSources knows.
func (a *githubAPI) Set(v string) error { return setChoice(a, v, apiAuto, apiREST, apiGraphQL) }

// setChoice sets *p to v when v is one of choices, the values a flag of
// type T takes; otherwise it says which it takes ("want a, b or c").
func setChoice[T ~string](p *T, v string, choices ...T) error {
	if i := slices.Index(choices, T(v)); i >= 0 {
		*p = choices[i]
		return nil
	}
	names := make([]string, len(choices))
	for i, c := range choices {
		names[i] = string(c)
	}
	last := len(names) - 1
	if last == 0 {
		return fmt.Errorf("want %s", names[0])
	}
	return fmt.Errorf("want %s or %s", strings.Join(names[:last], ", "), names[last])
}
