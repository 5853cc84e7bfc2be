package main

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"time"
)

// baselineResult is what the hand-written crawl measured.
type baselineResult struct {
	// crawled is how many papers it went through; when fewer than the
	// list's, wall is extrapolated to the whole list.
	crawled int
	wall    time.Duration
}

// runBaseline is the crawl people write by hand, with plain net/http: a
// loop over the papers that asks the export API for one id at a time
// (id_list=ID), starting each request at least interval after the last,
// and asks GitHub unconditionally for the repository of each entry with a
// code link. It goes through at most sample papers.
func runBaseline(ctx context.Context, c *corpus, arxivURL, githubURL string, interval time.Duration, sample int) (baselineResult, error) {
	client := &http.Client{Timeout: 30 * time.Second}
	n := min(sample, len(c.entries))
	start := time.Now()
	next := start
	for _, e := range c.entries[:n] {
		if err := sleepUntil(ctx, next); err != nil {
			return baselineResult{}, err
		}
		next = time.Now().Add(interval)
		if err := get(ctx, client, arxivURL+"?id_list="+url.QueryEscape(e.id), ""); err != nil {
			return baselineResult{}, err
		}
		if e.repo != "" {
			if err := get(ctx, client, githubURL+"repos/"+e.repo, benchToken); err != nil {
				return baselineResult{}, err
			}
		}
	}
	wall := time.Since(start)
	if n < len(c.entries) && n > 0 {
		wall = time.Duration(float64(wall) * float64(len(c.entries)) / float64(n))
	}
	return baselineResult{crawled: n, wall: wall}, nil
}

func get(ctx context.Context, client *http.Client, u, token string) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return err
	}
	req.Header.Set("User-Agent", "hand-written-crawler/1.0")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := client.Do(req)
	if err != nil {
		return fmt.Errorf("baseline: %w", err)
	}
	defer resp.Body.Close()
	if _, err := io.Copy(io.Discard, resp.Body); err != nil {
		return fmt.Errorf("baseline: read %s: %w", req.URL.Path, err)
	}
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("baseline: %s answered %s", req.URL.Path, resp.Status)
	}
	return nil
}

func sleepUntil(ctx context.Context, t time.Time) error {
	d := time.Until(t)
	if d <= 0 {
		return ctx.Err()
	}
	timer := time.NewTimer(d)
	defer timer.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-timer.C:
		return nil
	}
}
