package main

import (
	"bytes"
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"time"

	"github.com/paperlist/paperlist/sources/arxiv/arxivtest"
	"github.com/paperlist/paperlist/sources/github/githubtest"
	"github.com/paperlist/paperlist/sources/semanticscholar"
	"github.com/paperlist/paperlist/sources/semanticscholar/s2test"
)

// arxivBatch is how many ids paperlist asks arXiv for in one request.
const arxivBatch = 100

func buildPaperlist(ctx context.Context, dir string) (string, error) {
	bin := filepath.Join(dir, "paperlist")
	cmd := exec.CommandContext(ctx, "go", "build", "-o", bin, "github.com/paperlist/paperlist/cmd/paperlist")
	if out, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("build paperlist: %v\n%s", err, out)
	}
	return bin, nil
}

// measure is one crawl: what it sent, what it took.
type measure struct {
	name        string
	arxivReqs   int
	githubReqs  int
	notModified int // GitHub answers 304
	quota       int
	points      int // GraphQL points
	wall        time.Duration
	floor       time.Duration
	maxRSSKiB   int64 // 0 when unknown
	s2Reqs      int   // Semantic Scholar requests
	note        string
}

// sizeResult is everything measured for one list size.
type sizeResult struct {
	papers, ids, withCode, repos int
	cold, warm, stale            measure
	baseline                     *measure
	gql                          *gqlResult
	citations                    *measure
}

// benchSize generates a list of n papers, starts the servers and runs the
// three crawls and the baseline against them.
func benchSize(ctx context.Context, c *config, bin, dir string, n int, log io.Writer) (*sizeResult, error) {
	corp := generate(n)
	ax := arxivtest.NewServer(arxivtest.Options{Generate: true, Latency: c.arxivLatency, Seed: 1})
	defer ax.Close()
	gh := githubtest.NewServer(githubtest.Options{
		Latency: c.githubLatency,
		// Far above GitHub's 5,000 an hour, so that the largest list is
		// measured crawling rather than waiting for the next hour.
		Quota: 1 << 30,
		Token: benchToken,
	})
	defer gh.Close()
	s2 := s2test.NewServer(s2test.Options{Generate: true, Latency: c.githubLatency})
	defer s2.Close()
	corp.load(ax, gh)

	sdir := filepath.Join(dir, fmt.Sprintf("size-%d", n))
	if err := os.MkdirAll(sdir, 0o755); err != nil {
		return nil, err
	}
	listPath := filepath.Join(sdir, "list.md")
	if err := os.WriteFile(listPath, corp.markdown, 0o644); err != nil {
		return nil, err
	}
	r := &sizeResult{papers: n, ids: len(corp.entries), withCode: corp.withCode, repos: len(corp.repos)}
	floor := max(time.Duration(ceilDiv(r.ids, arxivBatch))*c.arxivInterval,
		time.Duration(ceilDiv(r.repos, c.workers))*c.githubLatency)

	b := &bencher{c: c, bin: bin, dir: sdir, list: listPath, ax: ax, gh: gh, s2: s2, api: "rest"}
	var err error
	fmt.Fprintf(log, "paperbench: %d papers: cold crawl\n", n)
	if r.cold, err = b.crawl(ctx, "paperlist, cold crawl"); err != nil {
		return nil, err
	}
	r.cold.floor = floor
	fmt.Fprintf(log, "paperbench: %d papers: warm rerun ×%d\n", n, warmRuns)
	if r.warm, err = b.warm(ctx); err != nil {
		return nil, err
	}
	fmt.Fprintf(log, "paperbench: %d papers: stale rerun\n", n)
	if r.stale, err = b.crawl(ctx, "paperlist, stale rerun", "-arxiv-max-age", "0", "-github-max-age", "0"); err != nil {
		return nil, err
	}
	r.stale.floor = floor
	if r.gql, err = benchGraphQL(ctx, b, corp, floor, log); err != nil {
		return nil, err
	}
	cm, err := benchCitations(ctx, b, floor, r.ids, log)
	if err != nil {
		return nil, err
	}
	r.citations = &cm
	if c.baseline {
		fmt.Fprintf(log, "paperbench: %d papers: baseline\n", n)
		a0, g0, q0 := len(ax.Requests()), len(gh.Requests()), gh.QuotaUsed()
		res, err := runBaseline(ctx, corp, ax.URL(), gh.URL(), c.arxivInterval, c.baselineSample)
		if err != nil {
			return nil, err
		}
		m := &measure{
			name:       "baseline: per-paper loop",
			arxivReqs:  len(ax.Requests()) - a0,
			githubReqs: len(gh.Requests()) - g0,
			quota:      gh.QuotaUsed() - q0,
			wall:       res.wall,
			floor:      floor,
		}
		if res.crawled < n {
			// The requests of the papers not crawled are known exactly: one
			// per paper and one per code link.
			m.arxivReqs, m.githubReqs, m.quota = r.ids, r.withCode, r.withCode
			m.note = fmt.Sprintf("extrapolated from its first %d papers", res.crawled)
		}
		r.baseline = m
	}
	return r, nil
}

// warmRuns is how many warm reruns are timed: one takes a fraction of a
// second, so a single one is at the mercy of whatever else the machine is
// doing; the median of several is not.
const warmRuns = 5

// warm times warmRuns warm reruns and returns the median one, with the
// requests and the peak memory of all of them.
func (b *bencher) warm(ctx context.Context) (measure, error) {
	runs := make([]measure, 0, warmRuns)
	for range warmRuns {
		m, err := b.crawl(ctx, "paperlist, warm rerun")
		if err != nil {
			return measure{}, err
		}
		runs = append(runs, m)
	}
	slices.SortFunc(runs, func(a, b measure) int { return cmp.Compare(a.wall, b.wall) })
	med := runs[len(runs)/2]
	for _, m := range runs {
		med.arxivReqs = max(med.arxivReqs, m.arxivReqs)
		med.githubReqs = max(med.githubReqs, m.githubReqs)
		med.quota = max(med.quota, m.quota)
		med.maxRSSKiB = max(med.maxRSSKiB, m.maxRSSKiB)
	}
	med.note = fmt.Sprintf("median of %d, %s to %s", warmRuns, seconds(runs[0].wall), seconds(runs[len(runs)-1].wall))
	return med, nil
}

// bencher runs the paperlist binary on one list and servers.
type bencher struct {
	c        *config
	bin, dir string
	list     string
	ax       *arxivtest.Server
	gh       *githubtest.Server
	s2       *s2test.Server
	// citations turns Semantic Scholar on; the other rows run without it.
	citations bool
	// api is the -github-api of the runs: rest, or graphql in a cache
	// of its own.
	api string
}

func (b *bencher) crawl(ctx context.Context, name string, extra ...string) (measure, error) {
	args := append([]string{"crawl", "-quiet",
		"-db", filepath.Join(b.dir, "cache.db"), "-out", b.dir,
		"-arxiv-url", b.ax.URL(), "-arxiv-interval", b.c.arxivInterval.String(),
		"-github-url", b.gh.URL(), "-github-api", b.api, "-workers", fmt.Sprint(b.c.workers),
		"-citations-url", b.s2.URL(), fmt.Sprintf("-citations=%t", b.citations),
	}, extra...)
	args = append(args, b.list)
	cmd, report, err := launched(b.dir, b.bin, args...)
	if err != nil {
		return measure{}, err
	}
	cmd.Env = append(cmd.Env, "PATH="+os.Getenv("PATH"), "HOME="+b.dir, "GITHUB_TOKEN="+benchToken)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	a0, g0, q0, p0 := len(b.ax.Requests()), len(b.gh.Requests()), b.gh.QuotaUsed(), b.gh.GraphQLPointsUsed()
	if err := cmd.Start(); err != nil {
		return measure{}, err
	}
	// The launcher is killed on a cancel; the crawl under it gets the
	// terminal's interrupt with the rest of the process group.
	stopOnCancel := context.AfterFunc(ctx, func() { _ = cmd.Process.Kill() })
	err = cmd.Wait()
	stopOnCancel()
	var exit *exec.ExitError
	if err != nil && !errors.As(err, &exit) {
		return measure{}, err
	}
	if code := cmd.ProcessState.ExitCode(); code != 0 {
		return measure{}, fmt.Errorf("%s: paperlist exited %d:\n%s", name, code, lastLines(stderr.String(), 10))
	}
	rss, wall, err := readLaunchReport(report)
	if err != nil {
		return measure{}, err
	}
	m := measure{
		name:       name,
		arxivReqs:  len(b.ax.Requests()) - a0,
		githubReqs: len(b.gh.Requests()) - g0,
		quota:      b.gh.QuotaUsed() - q0,
		points:     b.gh.GraphQLPointsUsed() - p0,
		wall:       wall,
		maxRSSKiB:  rss,
	}
	for _, r := range b.gh.Requests()[g0:] {
		if r.Status == 304 {
			m.notModified++
		}
	}
	return m, nil
}

func lastLines(s string, n int) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	return strings.Join(lines[max(0, len(lines)-n):], "\n")
}

func ceilDiv(a, b int) int { return (a + b - 1) / b }

func printHeader(w io.Writer, c *config) {
	fmt.Fprintf(w, "## paperbench\n\n")
	fmt.Fprintf(w, "`go run ./cmd/paperbench -sizes %s -arxiv-interval %s -arxiv-latency %s -github-latency %s -workers %d -baseline=%t -baseline-sample %d`\n\n",
		joinInts(c.sizes), c.arxivInterval, c.arxivLatency, c.githubLatency, c.workers, c.baseline, c.baselineSample)
	fmt.Fprintf(w, "arXiv interval %s, arXiv latency %s, GitHub latency %s, %d GitHub workers; %s/%s, %d CPUs, %s. "+
		"Servers: arxivtest and githubtest on loopback (GitHub quota set far above 5,000/h so that no run waits for the hour). "+
		"Floor = max(arXiv requests × interval, repositories ÷ workers × GitHub latency), from the requests a cold crawl must make.\n",
		c.arxivInterval, c.arxivLatency, c.githubLatency, c.workers, runtime.GOOS, runtime.GOARCH, runtime.NumCPU(), runtime.Version())
}

func joinInts(ns []int) string {
	s := make([]string, len(ns))
	for i, n := range ns {
		s[i] = fmt.Sprint(n)
	}
	return strings.Join(s, ",")
}

func (r *sizeResult) print(w io.Writer, c *config) {
	fmt.Fprintf(w, "\n### %s papers (%s arXiv ids, %s entries with a code link, %s repositories)\n\n",
		count(r.papers), count(r.ids), count(r.withCode), count(r.repos))
	fmt.Fprintln(w, "| run | arXiv requests | GitHub requests | REST quota used | GraphQL points | wall time | floor | wall ÷ floor | peak memory |")
	fmt.Fprintln(w, "|---|--:|--:|--:|--:|--:|--:|--:|--:|")
	rows := []*measure{&r.cold, &r.warm, &r.stale}
	if r.gql != nil {
		rows = append(rows, &r.gql.cold, &r.gql.dailyREST, &r.gql.dailyGraphQL)
	}
	if r.citations != nil {
		rows = append(rows, r.citations)
	}
	if r.baseline != nil {
		rows = append(rows, r.baseline)
	}
	for _, m := range rows {
		gh := count(m.githubReqs)
		if m.notModified > 0 {
			gh += fmt.Sprintf(" (%s × 304)", count(m.notModified))
		}
		name := m.name
		if m.note != "" {
			name += " (" + m.note + ")"
		}
		fmt.Fprintf(w, "| %s | %s | %s | %s | %s | %s | %s | %s | %s |\n",
			name, count(m.arxivReqs), gh, count(m.quota), count(m.points), seconds(m.wall), floorText(m.floor), ratioText(m), memText(m.maxRSSKiB))
	}
}

func count(n int) string {
	s := fmt.Sprint(n)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}

func seconds(d time.Duration) string {
	if d < 10*time.Second {
		return fmt.Sprintf("%.3f s", d.Seconds())
	}
	return fmt.Sprintf("%.1f s", d.Seconds())
}

func floorText(d time.Duration) string {
	if d == 0 {
		return "0"
	}
	return seconds(d)
}

func ratioText(m *measure) string {
	if m.floor == 0 {
		return "–"
	}
	return fmt.Sprintf("%.2f×", m.ratio())
}

func (m *measure) ratio() float64 { return m.wall.Seconds() / m.floor.Seconds() }

func memText(kib int64) string {
	if kib == 0 {
		return "–"
	}
	return fmt.Sprintf("%.1f MB", float64(kib)/1024)
}

// printTargets prints the targets, met or missed, and returns the
// structural ones that failed.
func printTargets(w io.Writer, c *config, results []*sizeResult) (failures []string) {
	fmt.Fprintf(w, "\n### Targets\n\n")
	mark := func(ok bool) string {
		if ok {
			return "met"
		}
		return "**missed**"
	}
	for _, r := range results {
		wantArxiv := ceilDiv(r.ids, arxivBatch)
		structural := []struct {
			ok   bool
			what string
		}{
			{r.cold.arxivReqs == wantArxiv, fmt.Sprintf("cold crawl: %d arXiv requests for %d ids (want %d)", r.cold.arxivReqs, r.ids, wantArxiv)},
			{r.cold.githubReqs == r.repos, fmt.Sprintf("cold crawl: %d GitHub requests for %d repositories (want one each)", r.cold.githubReqs, r.repos)},
			{r.warm.arxivReqs+r.warm.githubReqs == 0, fmt.Sprintf("warm rerun: %d requests (want none)", r.warm.arxivReqs+r.warm.githubReqs)},
			{r.stale.quota == 0, fmt.Sprintf("stale rerun: %d GitHub quota used (want 0)", r.stale.quota)},
			{r.stale.notModified == r.repos, fmt.Sprintf("stale rerun: %d of %d repositories answered 304", r.stale.notModified, r.repos)},
		}
		if r.gql != nil {
			structural = append(structural, r.gql.targets(r.repos)...)
		}
		if m := r.citations; m != nil {
			want := ceilDiv(r.ids, semanticscholar.MaxBatch)
			structural = append(structural, struct {
				ok   bool
				what string
			}{m.s2Reqs == want, fmt.Sprintf("cold crawl with citations: %d Semantic Scholar requests for %d ids (want %d)", m.s2Reqs, r.ids, want)})
		}
		for _, s := range structural {
			fmt.Fprintf(w, "- %s papers, %s: %s\n", count(r.papers), s.what, mark(s.ok))
			if !s.ok {
				failures = append(failures, fmt.Sprintf("%d papers: %s", r.papers, s.what))
			}
		}
		fmt.Fprintf(w, "- %s papers, cold crawl within 1.2× of the floor: %.2f× — %s\n", count(r.papers), r.cold.ratio(), mark(r.cold.ratio() <= 1.2))
		if m := r.citations; m != nil {
			fmt.Fprintf(w, "- %s papers, cold crawl with citations within 1.2× of the floor: %.2f× — %s\n", count(r.papers), m.ratio(), mark(m.ratio() <= 1.2))
		}
		if r.papers <= 2000 {
			fmt.Fprintf(w, "- %s papers, warm rerun under 0.2 s: %s — %s\n", count(r.papers), seconds(r.warm.wall), mark(r.warm.wall < 200*time.Millisecond))
		}
		if r.papers >= 10000 {
			peak := max(r.cold.maxRSSKiB, r.warm.maxRSSKiB, r.stale.maxRSSKiB)
			fmt.Fprintf(w, "- %s papers, peak memory under 100 MB: %s — %s\n", count(r.papers), memText(peak), mark(peak > 0 && peak < 100*1024))
			// Issue 20's goals for a rerun that streams its records.
			fmt.Fprintf(w, "- %s papers, warm rerun under 0.3 s: %s — %s\n", count(r.papers), seconds(r.warm.wall), mark(r.warm.wall < 300*time.Millisecond))
			fmt.Fprintf(w, "- %s papers, warm rerun under 50 MB: %s — %s\n", count(r.papers), memText(r.warm.maxRSSKiB), mark(r.warm.maxRSSKiB > 0 && r.warm.maxRSSKiB < 50*1024))
			fmt.Fprintf(w, "- %s papers, stale rerun under 60 MB: %s — %s\n", count(r.papers), memText(r.stale.maxRSSKiB), mark(r.stale.maxRSSKiB > 0 && r.stale.maxRSSKiB < 60*1024))
		}
	}
	return failures
}
