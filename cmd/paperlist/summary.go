package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"maps"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/paperlist/paperlist"
	"github.com/paperlist/paperlist/crawler"
	"github.com/paperlist/paperlist/hostpool"
	"github.com/paperlist/paperlist/output"
)

// summary is what every run ends with: entries, where their data came
// from, problems by code, requests per host and the time taken.
type summary struct {
	entries    int
	network    int
	cached     int
	missing    int
	withArxiv  int
	withGitHub int
	problems   int
	byCode     map[string]int
	requests   map[string]int
	quota      string
	graphql    string
	stopped    []string
	// stoppedSrc are the sources that stopped: their entries' fetch_failed
	// problems are summed up in stopped, one line a source.
	stoppedSrc  map[string]bool
	sources     map[string]crawler.SourceStats
	interrupted bool
	elapsed     time.Duration
	// out is the folder papers.json and papers.md went to, "" for none.
	out string

	// withCitations counts the papers with citation counts; found the
	// arXiv ids found, by how; titles the title searches.
	withCitations int
	found         map[string]int
	titles        crawler.SourceStats
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
	s.withCitations, s.found, s.titles = r.WithCitations, r.FoundArxiv, r.Titles
	for _, n := range r.Problems {
		s.problems += n
	}
	s.stoppedSrc, s.stopped = stoppedSources(r, t)
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

// stoppedSources returns the sources of a run that stopped, and a line
// for each: how many of its records were not fetched, and why.
func stoppedSources(r *crawler.Report, t *hostpool.Transport) (map[string]bool, []string) {
	srcs := map[string]bool{}
	var lines []string
	for _, src := range slices.Sorted(maps.Keys(r.Stopped)) {
		srcs[src] = true
		reason := strings.TrimPrefix(r.Stopped[src], src+": ")
		reason = strings.TrimPrefix(reason, "hostpool: ")
		if t != nil && t.NetworkDown() != nil {
			// The run's last line says what failed and what to do.
			reason = "no network"
		}
		st := r.Sources[src]
		lines = append(lines, fmt.Sprintf("%s: %d %s not fetched: %s",
			src, st.Failed+st.Skipped, recordNoun(src), paperlist.FoldSpace(reason)))
	}
	return srcs, lines
}

// recordNoun names the records of a source, for "github: 22 repositories
// not fetched".
func recordNoun(source string) string {
	switch source {
	case crawler.SourceGitHub:
		return "repositories"
	case crawler.SourcePages:
		return "landing pages"
	case crawler.SourceArxiv:
		return "papers"
	case crawler.SourceCitations:
		return "papers"
	}
	return "records"
}

// summedUp reports whether a problem is said by a source's stopped line
// rather than one by one: a fetch_failed of a source that stopped. It
// stays on its entry in papers.json.
func summedUp(stopped map[string]bool, pr paperlist.Problem) bool {
	if pr.Code != paperlist.ProblemFetchFailed {
		return false
	}
	src, _, _ := strings.Cut(pr.Message, ": ")
	return stopped[src]
}

// maxListed is how many problems the terminal summary lists one by one;
// papers.json and papers.md have them all.
const maxListed = 40

// printProblems lists the problems for a person at a terminal, by line.
func printProblems(w io.Writer, file string, d *paperlist.Dataset, stopped map[string]bool) {
	n := 0
	for _, p := range d.Papers {
		for _, pr := range p.Problems {
			if summedUp(stopped, pr) {
				continue
			}
			if n++; n <= maxListed {
				// A message quotes titles and answers: safe text only.
				fmt.Fprintf(w, "%s:%d: %s: %s\n", file, p.Line, pr.Code, safeText(pr.Message))
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
	if s.withCitations > 0 || len(s.found) > 0 {
		fmt.Fprintf(w, "citations on %d; arXiv ids found: %s\n", s.withCitations, countsText(s.found))
	}
	if st := s.titles; st.Planned > 0 {
		fmt.Fprintf(w, "title searches: %d titles, %d remembered, %d searched, %d failed, %d skipped\n",
			st.Planned, st.Fresh, st.Fetched, st.Failed, st.Skipped)
	}
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
			if summedUp(s.stoppedSrc, pr) {
				continue
			}
			level := slog.LevelInfo
			if pr.Code == paperlist.ProblemFetchFailed {
				level = slog.LevelWarn
			}
			log.Log(context.Background(), level, "problem", "line", p.Line, "code", pr.Code, "key", p.Key, "msg", pr.Message)
		}
	}
	for _, name := range slices.Sorted(maps.Keys(s.sources)) {
		st := s.sources[name]
		if s.stoppedSrc[name] || st.Planned == 0 {
			continue
		}
		log.Info("source", "name", name, "planned", st.Planned, "fresh", st.Fresh, "fetched", st.Fetched,
			"not_modified", st.NotModified, "failed", st.Failed, "skipped", st.Skipped)
	}
	// The searches go to arXiv: a stopped arXiv's line says it.
	if st := s.titles; st.Planned > 0 && !s.stoppedSrc[crawler.SourceArxiv] {
		log.Info("title searches", "titles", st.Planned, "remembered", st.Fresh, "searched", st.Fetched, "failed", st.Failed, "skipped", st.Skipped)
	}
	for _, st := range s.stopped {
		log.Warn(st)
	}
	log.Info("crawl finished",
		"entries", s.entries, "network", s.network, "cache", s.cached, "missing", s.missing,
		"arxiv", s.withArxiv, "github", s.withGitHub, "citations", s.withCitations, "arxiv_ids_found", countsText(s.found),
		"problems", s.problems, "by_code", countsText(s.byCode),
		"requests", countsText(s.requests), "quota", s.quota, "graphql", s.graphql,
		"interrupted", s.interrupted, "elapsed", s.elapsed.Round(time.Millisecond).String(), "out", s.out)
}

// fixable reports whether fix may fix a problem: a renamed repository's
// link, an arXiv link whose paper has another title.
func fixable(code string) bool {
	return code == paperlist.ProblemRepoRenamed || code == paperlist.ProblemTitleMismatch
}

// whatNext says, after the summary, where papers.json and papers.md went
// and, when fix may fix some of the problems, the command that shows how:
// on a terminal as lines, in a log as one line each.
func whatNext(w io.Writer, terminal bool, log *slog.Logger, c *crawlConfig, problems []located) {
	n := 0
	for _, pr := range problems {
		if fixable(pr.Code) {
			n++
		}
	}
	hint := "paperlist fix -d"
	if c.list != "" {
		hint += " " + shellWord(annotationFile(c.list))
	}
	if terminal {
		if c.out != "" {
			fmt.Fprintf(w, "wrote %s and %s\n", filepath.Join(c.out, output.JSONFile), filepath.Join(c.out, output.MarkdownFile))
		}
		if n > 0 {
			fmt.Fprintf(w, "%d problems fix may fix (renamed repositories, wrong arXiv links): %s\n", n, hint)
		}
		return
	}
	// In a log, "crawl finished" names the outputs' folder.
	if n > 0 {
		log.Info("fix may fix some problems", "count", n, "run", hint)
	}
}

// shellWord quotes s for a shell when it holds more than plain path
// characters.
func shellWord(s string) string {
	if s != "" && strings.Trim(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_./:@+=,") == "" {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}
