package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/paperlist/paperlist"
	"github.com/paperlist/paperlist/crawler"
	"github.com/paperlist/paperlist/hostpool"
)

// summary is what every run ends with: entries, where their data came
// from, problems by code, requests per host and the time taken.
type summary struct {
	entries     int
	network     int
	cached      int
	missing     int
	withArxiv   int
	withGitHub  int
	problems    int
	byCode      map[string]int
	requests    map[string]int
	quota       string
	graphql     string
	stopped     []string
	sources     map[string]crawler.SourceStats
	interrupted bool
	elapsed     time.Duration
}

func newSummary(r *crawler.Report, t *hostpool.Transport, gh *githubSources, elapsed time.Duration) *summary {
	s := &summary{
		entries:     r.Entries,
		network:     r.FromNetwork,
		cached:      r.FromCache,
		missing:     r.Missing,
		byCode:      r.Problems,
		requests:    t.Requests(),
		interrupted: r.Interrupted,
		sources:     r.Sources,
		elapsed:     elapsed,
	}
	s.withArxiv, s.withGitHub = r.WithArxiv, r.WithGitHub
	for _, n := range r.Problems {
		s.problems += n
	}
	for _, src := range slices.Sorted(maps.Keys(r.Stopped)) {
		reason := r.Stopped[src]
		if !strings.HasPrefix(reason, src+": ") {
			reason = src + ": " + reason
		}
		s.stopped = append(s.stopped, reason)
	}
	if gh != nil {
		if limit, remaining, reset := gh.rest.Rate(); limit > 0 {
			s.quota = fmt.Sprintf("%d/%d left, resets %s", remaining, limit, reset.UTC().Format(time.TimeOnly))
		}
	}
	if gh != nil && gh.batch != nil {
		u := gh.batch.Usage()
		s.graphql = fmt.Sprintf("%d queries, %d points", u.Queries, u.Points)
		if u.Limit > 0 {
			s.graphql += fmt.Sprintf("; %d/%d left, resets %s", u.Remaining, u.Limit, u.Reset.UTC().Format(time.TimeOnly))
		}
	}
	return s
}

func countsText(m map[string]int) string {
	if len(m) == 0 {
		return "none"
	}
	var parts []string
	for _, k := range slices.Sorted(maps.Keys(m)) {
		parts = append(parts, fmt.Sprintf("%s %d", k, m[k]))
	}
	return strings.Join(parts, ", ")
}

// maxListed is how many problems the terminal summary lists one by one;
// papers.json and papers.md have them all.
const maxListed = 40

// printProblems lists the problems for a person at a terminal, by line.
func printProblems(w io.Writer, file string, d *paperlist.Dataset) {
	n := 0
	for _, p := range d.Papers {
		for _, pr := range p.Problems {
			if n++; n <= maxListed {
				fmt.Fprintf(w, "%s:%d: %s: %s\n", file, p.Line, pr.Code, paperlist.FoldSpace(pr.Message))
			}
		}
	}
	if n > maxListed {
		fmt.Fprintf(w, "… and %d more problems: see papers.json or papers.md\n", n-maxListed)
	}
}

// print writes the summary for a person at a terminal.
func (s *summary) print(w io.Writer) {
	fmt.Fprintf(w, "\n%d entries: %d enriched from the network, %d from the cache, %d missing data\n",
		s.entries, s.network, s.cached, s.missing)
	fmt.Fprintf(w, "arXiv metadata on %d, GitHub stats on %d\n", s.withArxiv, s.withGitHub)
	for _, name := range slices.Sorted(maps.Keys(s.sources)) {
		st := s.sources[name]
		fmt.Fprintf(w, "%s: %d planned, %d fresh in the cache, %d fetched, %d not modified, %d failed, %d skipped\n",
			name, st.Planned, st.Fresh, st.Fetched, st.NotModified, st.Failed, st.Skipped)
	}
	fmt.Fprintf(w, "problems: %d (%s)\n", s.problems, countsText(s.byCode))
	fmt.Fprintf(w, "requests: %s\n", countsText(s.requests))
	if s.quota != "" {
		fmt.Fprintf(w, "GitHub quota: %s\n", s.quota)
	}
	if s.graphql != "" {
		fmt.Fprintf(w, "GitHub GraphQL: %s\n", s.graphql)
	}
	for _, st := range s.stopped {
		fmt.Fprintf(w, "stopped early: %s\n", st)
	}
	if s.interrupted {
		fmt.Fprintln(w, "interrupted: outputs written from what was fetched")
	}
	fmt.Fprintf(w, "took %s\n", s.elapsed.Round(time.Millisecond))
}

// log writes the summary, and a line per problem, for a log reader: a
// cron job's mail or a CI log.
func (s *summary) log(log *slog.Logger, d *paperlist.Dataset) {
	for _, p := range d.Papers {
		for _, pr := range p.Problems {
			level := slog.LevelInfo
			if pr.Code == paperlist.ProblemFetchFailed {
				level = slog.LevelWarn
			}
			log.Log(context.Background(), level, "problem", "line", p.Line, "code", pr.Code, "key", p.Key, "msg", pr.Message)
		}
	}
	for _, name := range slices.Sorted(maps.Keys(s.sources)) {
		st := s.sources[name]
		log.Info("source", "name", name, "planned", st.Planned, "fresh", st.Fresh, "fetched", st.Fetched,
			"not_modified", st.NotModified, "failed", st.Failed, "skipped", st.Skipped)
	}
	for _, st := range s.stopped {
		log.Warn("source stopped early", "reason", st)
	}
	log.Info("crawl finished",
		"entries", s.entries, "network", s.network, "cache", s.cached, "missing", s.missing,
		"arxiv", s.withArxiv, "github", s.withGitHub,
		"problems", s.problems, "by_code", countsText(s.byCode),
		"requests", countsText(s.requests), "quota", s.quota, "graphql", s.graphql,
		"interrupted", s.interrupted, "elapsed", s.elapsed.Round(time.Millisecond).String())
}
