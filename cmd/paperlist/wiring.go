package main

import (
	"context"
	"errors"
	"io"
	"io/fs"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/paperlist/paperlist/crawler"
	"github.com/paperlist/paperlist/hostpool"
	"github.com/paperlist/paperlist/sources/arxiv"
	"github.com/paperlist/paperlist/sources/github"
	"github.com/paperlist/paperlist/sources/landing"
	"github.com/paperlist/paperlist/sources/semanticscholar"
	"github.com/paperlist/paperlist/store"
)

// newLogger logs to w (stderr, or above the bars) at the level -quiet and -v choose, in JSON for
// -log-format json and as text otherwise.
func newLogger(c *config, w io.Writer) *slog.Logger {
	level := slog.LevelInfo
	switch {
	case c.quiet:
		level = slog.LevelWarn
	case c.verbose:
		level = slog.LevelDebug
	}
	opts := &slog.HandlerOptions{Level: level}
	if c.logFormat == logJSON {
		return slog.New(slog.NewJSONHandler(w, opts))
	}
	return slog.New(slog.NewTextHandler(w, opts))
}

// openCache opens the bbolt cache: read-only when offline, where a missing
// file means running with no cache at all.
func openCache(ctx context.Context, c *config, log *slog.Logger) (crawler.Cache, func(), error) {
	s, err := store.OpenContext(ctx, c.db, store.Options{Timeout: c.lockTimeout, ReadOnly: c.offline})
	switch {
	case err == nil:
		if !c.offline {
			dropped, err := s.UseEndpoints(store.Endpoints{
				Arxiv:  endpointKey(c.arxivURL, arxiv.DefaultAPIURL),
				GitHub: endpointKey(c.githubURL, github.DefaultBaseURL),
				// With -citations=false the records are kept for the
				// next run that fetches them.
				SemanticScholar: s2Endpoint(c),
			})
			if err != nil {
				_ = s.Close()
				return nil, nil, fatalf("%v", err)
			}
			for _, src := range dropped {
				log.Info("the cache held records of another server: they are dropped and fetched again", "source", src)
			}
		}
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

// newTransport is the transport every request of a run goes through: it
// paces each host by its policy and retries what is worth retrying.
func newTransport(c *config, env Env, log *slog.Logger) *hostpool.Transport {
	return hostpool.New(hostpool.Options{
		Hosts:       hostPolicies(c),
		Default:     hostpool.Policy{Interval: time.Second, Concurrency: 1},
		MaxAttempts: 5,
		BaseDelay:   time.Second,
		MaxDelay:    time.Minute,
		MaxWait:     c.maxWait,
		Timeout:     c.timeout,
		Logger:      log,
		Clock:       env.clock,
	})
}

// hostPolicies gives arXiv one request at a time at its interval, and
// GitHub -workers in flight paced by its rate-limit headers.
func hostPolicies(c *config) map[hostpool.Host]hostpool.Policy {
	// The export API and the abstract pages are one service: a network
	// that cannot reach one cannot reach the other.
	arxivPolicy := hostpool.Policy{Interval: c.arxivInterval, Concurrency: 1, Group: "arxiv"}
	hosts := map[hostpool.Host]hostpool.Policy{hostpool.NewHost("https", "arxiv.org"): arxivPolicy}
	if u, err := url.Parse(c.arxivURL); err == nil {
		hosts[hostpool.HostOf(u)] = arxivPolicy
	}
	if u, err := url.Parse(c.githubURL); err == nil {
		// REST and GraphQL share the host and have budgets apart; a GraphQL
		// batch that times out is halved by the client, not sent again.
		hosts[hostpool.HostOf(u)] = hostpool.Policy{
			Concurrency:   c.workers,
			RateLimits:    github.ReadAPIRateLimit,
			Resource:      github.Resource,
			NoServerRetry: github.IsGraphQL,
		}
	}
	if u, err := url.Parse(c.citationsURL); err == nil && c.citations {
		// One request at a time, a second apart, as the API asks of a
		// client with a key; a 429 backs off from twice that. A group of
		// its own: a host that fails says nothing of the others.
		hosts[hostpool.HostOf(u)] = hostpool.Policy{Interval: semanticscholar.Interval, Concurrency: 1}
	}
	return hosts
}

// engineOptions are the engine's options for a run of c over cache, the
// one place crawl, check and fix get them: the ages, the workers and the
// logger and, unless offline, the sources, all sending through transport.
// Landing pages are fetched only when pages is set.
func engineOptions(c *config, env Env, cache crawler.Cache, transport *hostpool.Transport, pages bool, log *slog.Logger) (crawler.Options, *githubSources, error) {
	opts := crawler.Options{
		Cache:        cache,
		ArxivMaxAge:  c.arxivMaxAge,
		GitHubMaxAge: c.githubMaxAge,
		PageMaxAge:   c.arxivMaxAge,
		Workers:      c.workers,
		Offline:      c.offline,
		Logger:       log,

		// Semantic Scholar's records (and, for fix, the arXiv ids that
		// -add-links writes).
		CitationMaxAge: c.citationsMaxAge,
		NoCitations:    !c.citations,
	}
	if c.offline {
		return opts, nil, nil
	}
	gh, err := addSources(&opts, c, env, &http.Client{Transport: transport}, pages, log)
	return opts, gh, err
}

// s2Endpoint is the Semantic Scholar endpoint the cache's citation
// records are to come from.
func s2Endpoint(c *config) string {
	return endpointKey(c.citationsURL, semanticscholar.DefaultBaseURL)
}

// githubSources are the GitHub clients of a run, for the summary's quota
// lines: REST always, the GraphQL batcher when it fetches.
type githubSources struct {
	rest  *github.Client
	batch *github.Batcher
}

// addSources sets the sources of opts for an online run, all of them
// sending through httpClient (landing pages only when pages is set), and
// returns the GitHub clients.
func addSources(opts *crawler.Options, c *config, env Env, httpClient *http.Client, pages bool, log *slog.Logger) (*githubSources, error) {
	ax := arxiv.New(arxiv.Options{
		APIURL:     c.arxivURL,
		AbsURL:     absURL(c.arxivURL),
		HTTPClient: httpClient,
		UserAgent:  userAgent(),
		Logger:     log,
	})
	opts.Arxiv, opts.Titles = ax, ax
	if c.citations {
		s2, err := semanticscholar.New(semanticscholar.Options{
			BaseURL:    c.citationsURL,
			APIKey:     semanticscholar.KeyFromEnv(env.Getenv),
			HTTPClient: httpClient,
			UserAgent:  userAgent(),
			Logger:     log,
		})
		if err != nil {
			return nil, fatalf("%v", err)
		}
		opts.Citations = s2
	}
	if pages {
		opts.Pages = landing.New(landing.Options{HTTPClient: httpClient, UserAgent: userAgent(), Logger: log})
	}
	token := github.TokenFromEnv(env.Getenv)
	gh, err := github.New(github.Options{
		BaseURL:    c.githubURL,
		Token:      token,
		HTTPClient: httpClient,
		UserAgent:  userAgent(),
		Logger:     log,
	})
	if err != nil {
		return nil, fatalf("%v", err)
	}
	if !gh.Authenticated() {
		log.Warn("no GITHUB_TOKEN or GH_TOKEN: GitHub allows 60 requests an hour without one")
	}
	srcs := &githubSources{rest: gh}
	opts.Repos = gh
	if c.githubAPI == apiREST || token == "" {
		return srcs, nil
	}
	endpoint, err := github.GraphQLEndpoint(c.githubURL)
	if err != nil {
		return nil, fatalf("%v", err)
	}
	gql, err := github.NewGraphQL(github.GraphQLOptions{
		Endpoint:   endpoint,
		Token:      token,
		HTTPClient: httpClient,
		UserAgent:  userAgent(),
		Logger:     log,
	})
	if err != nil {
		return nil, fatalf("%v", err)
	}
	srcs.batch = github.NewBatcher(gql, gh)
	opts.Repos = srcs.batch
	return srcs, nil
}

// endpointKey is the host and path of an API base URL, the form the cache
// keeps its records' server in, or "" when it is the default server def
// (the caches written before they named a server hold the default's).
func endpointKey(raw, def string) string {
	key := func(s string) string {
		u, err := url.Parse(s)
		if err != nil {
			return s
		}
		return hostpool.HostOf(u).String() + strings.TrimSuffix(u.EscapedPath(), "/")
	}
	if k := key(raw); k != key(def) {
		return k
	}
	return ""
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
