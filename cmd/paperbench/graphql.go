package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"
)

// gqlBatch is how many repositories paperlist asks GraphQL for in one
// query.
const gqlBatch = 100

// changedShare is the share of repositories, in tenths, whose stars change
// before the daily reruns.
const changedShare = 3

// gqlResult is the GraphQL side of one size: a cold crawl with a token
// through GraphQL, and a daily rerun after 30% of the repositories
// changed, through REST and through GraphQL.
type gqlResult struct {
	changed                       int
	cold, dailyREST, dailyGraphQL measure
}

// benchGraphQL runs the cold crawl through GraphQL in a cache of its own,
// changes the stars of 30% of the repositories, and reruns both caches
// with -github-max-age 0: REST with its conditional requests (a changed
// repository answers 200 and costs quota), GraphQL with its queries.
func benchGraphQL(ctx context.Context, rest *bencher, corp *corpus, floor time.Duration, log io.Writer) (*gqlResult, error) {
	g := *rest
	g.api = "graphql"
	g.dir = filepath.Join(rest.dir, "graphql")
	if err := os.MkdirAll(g.dir, 0o755); err != nil {
		return nil, err
	}
	r := &gqlResult{}
	var err error
	fmt.Fprintf(log, "paperbench: %d repositories: cold crawl through GraphQL\n", len(corp.repos))
	if r.cold, err = g.crawl(ctx, "paperlist, cold crawl with a token (GraphQL)"); err != nil {
		return nil, err
	}
	r.cold.floor = floor
	for i, name := range corp.repos {
		if i%10 < changedShare {
			if err := rest.gh.SetStars(name, 100000+i); err != nil {
				return nil, err
			}
			r.changed++
		}
	}
	fmt.Fprintf(log, "paperbench: %d repositories: daily reruns, %d changed\n", len(corp.repos), r.changed)
	if r.dailyREST, err = rest.crawl(ctx, "paperlist, daily rerun, 30% changed (REST)", "-github-max-age", "0"); err != nil {
		return nil, err
	}
	if r.dailyGraphQL, err = g.crawl(ctx, "paperlist, daily rerun, 30% changed (GraphQL)", "-github-max-age", "0"); err != nil {
		return nil, err
	}
	return r, nil
}

// pointsPerQuery is what GitHub charges a query of 100 repositories: it
// asks four connections of each (open issues, open pull requests,
// watchers, topics), 400 requests, and GitHub divides by 100.
const pointsPerQuery = 4

// targets are the structural targets of the GraphQL runs.
func (r *gqlResult) targets(repos int) []struct {
	ok   bool
	what string
} {
	queries := ceilDiv(repos, gqlBatch)
	return []struct {
		ok   bool
		what string
	}{
		{r.cold.githubReqs == queries && r.cold.quota == 0,
			fmt.Sprintf("cold crawl through GraphQL: %d GitHub requests, %d REST quota for %d repositories (want %d queries, no REST)", r.cold.githubReqs, r.cold.quota, repos, queries)},
		{r.cold.points <= pointsPerQuery*queries+queries/4,
			fmt.Sprintf("cold crawl through GraphQL: %d points (want at most %d)", r.cold.points, pointsPerQuery*queries+queries/4)},
		{r.dailyREST.quota == r.changed,
			fmt.Sprintf("daily rerun through REST: %d quota for %d changed repositories (want one each)", r.dailyREST.quota, r.changed)},
		{r.dailyGraphQL.githubReqs == queries && r.dailyGraphQL.quota == 0,
			fmt.Sprintf("daily rerun through GraphQL: %d GitHub requests, %d REST quota (want %d queries, no REST)", r.dailyGraphQL.githubReqs, r.dailyGraphQL.quota, queries)},
	}
}
