package github

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/paperlist/paperlist"
	"github.com/paperlist/paperlist/sources/internal/httpget"
)

// MaxBatch is the most repositories one GraphQL query asks for: GitHub
// counts a query's cost by the hundred connection requests, and the query
// asks four connections of each repository (open issues, open pull
// requests, watchers, topics), so a hundred repositories cost four points.
const MaxBatch = 100

// GraphQLEndpoint returns the GraphQL endpoint that goes with a REST API
// root: "https://api.github.com/" gives "https://api.github.com/graphql",
// and a GitHub Enterprise Server root "https://HOST/api/v3/" gives
// "https://HOST/api/graphql". Any other root gets "graphql" appended, as
// a server mounted under a path (such as githubtest's) keeps both under
// it.
//
// GitHub API docs: https://docs.github.com/graphql/guides/forming-calls-with-graphql#the-graphql-endpoint
func GraphQLEndpoint(restBase string) (string, error) {
	u, err := httpget.ParseEndpoint(restBase, DefaultBaseURL)
	if err != nil {
		return "", fmt.Errorf("github: base url %w", err)
	}
	if u.RawQuery != "" || u.Fragment != "" || u.User != nil {
		return "", fmt.Errorf("github: base url %q has a query, fragment or user", u.Redacted())
	}
	p := strings.TrimRight(u.Path, "/")
	if rest, ok := strings.CutSuffix(p, "/v3"); ok {
		p = rest
	}
	u.Path = p + "/graphql"
	u.RawPath = ""
	return u.String(), nil
}

// repoFragment names the fields of a repository that paperlist reads, the
// same that the REST client maps in stats: open issues are issues and pull
// requests both (REST's open_issues_count counts both), watchers are the
// subscribers (REST's subscribers_count), and topics are read up to
// paperlist's bound.
var repoFragment = `fragment repo on Repository {
  databaseId
  nameWithOwner
  url
  description
  stargazerCount
  forkCount
  issues(states: OPEN) { totalCount }
  pullRequests(states: OPEN) { totalCount }
  watchers { totalCount }
  primaryLanguage { name }
  licenseInfo { spdxId }
  repositoryTopics(first: ` + strconv.Itoa(paperlist.MaxTopics) + `) { nodes { topic { name } } }
  isArchived
  isDisabled
  isFork
  pushedAt
  createdAt
  homepageUrl
  defaultBranchRef { name }
}
`

// batchQuery is a query for a batch of repositories, with its variables.
type batchQuery struct {
	Query     string         `json:"query"`
	Variables map[string]any `json:"variables"`
}

// alias is the response key of the i-th repository of a batch.
func alias(i int) string { return "r" + strconv.Itoa(i) }

// splitName splits "owner/name" as the REST client does, refusing what
// cannot name a repository.
func splitName(full string) (owner, name string, err error) {
	owner, name, ok := strings.Cut(full, "/")
	if !ok || owner == "" || name == "" || strings.Contains(name, "/") {
		return "", "", fmt.Errorf("github: invalid repository name %q: %w", full, paperlist.ErrRejected)
	}
	return owner, name, nil
}

// buildBatchQuery returns the query for repositories named "owner/name",
// the i-th under alias ri, with owner and name passed as the variables oi
// and ni (never spliced into the query text), and the rateLimit of the
// query:
//
//	query paperlist($o0: String!, $n0: String!, …) {
//	  r0: repository(owner: $o0, name: $n0) { ...repo }
//	  …
//	  rateLimit { cost limit remaining resetAt used }
//	}
//	fragment repo on Repository { … }
//
// The names must have passed splitName.
func buildBatchQuery(names []string) batchQuery {
	var b strings.Builder
	vars := make(map[string]any, 2*len(names))
	b.WriteString("query paperlist(")
	for i := range names {
		if i > 0 {
			b.WriteString(", ")
		}
		fmt.Fprintf(&b, "$o%d: String!, $n%d: String!", i, i)
	}
	b.WriteString(") {\n")
	for i, full := range names {
		owner, name, _ := strings.Cut(full, "/")
		vars["o"+strconv.Itoa(i)] = owner
		vars["n"+strconv.Itoa(i)] = name
		fmt.Fprintf(&b, "  %s: repository(owner: $o%d, name: $n%d) { ...repo }\n", alias(i), i, i)
	}
	b.WriteString("  rateLimit { cost limit remaining resetAt used }\n}\n")
	b.WriteString(repoFragment)
	return batchQuery{Query: b.String(), Variables: vars}
}
