package githubtest

import (
	"math"

	"github.com/vektah/gqlparser/v2/ast"
)

// connectionFields are the fields of the served schema that are
// connections (their type is a *Connection), by the type that has them.
var connectionFields = map[string]bool{
	"issues": true, "pullRequests": true, "watchers": true, "stargazers": true, "repositoryTopics": true,
}

// queryCost is the points a query takes from the GraphQL budget, by
// GitHub's rule
// (https://docs.github.com/graphql/overview/rate-limits-and-node-limits-for-the-graphql-api,
// "Calculating a rate limit score before running the call"):
// add up the requests needed to fulfil each connection of the query,
// assuming every connection reaches its first or last argument (a
// connection nested in another needs one request per node of its parent),
// divide by 100 and round to the nearest whole number; at least 1. A
// batch of 100 repositories asking four connections of each costs 4.
func (e *executor) queryCost() int {
	if len(e.doc.Operations) == 0 {
		return 1
	}
	requests := e.connectionRequests(e.doc.Operations[0].SelectionSet, 1)
	return max(1, int(math.Round(float64(requests)/100)))
}

// connectionRequests counts the requests of the connections in set, each
// of whose parents stands for nodes nodes.
func (e *executor) connectionRequests(set ast.SelectionSet, nodes int) int {
	n := 0
	e.fields(set, 0, func(f *ast.Field) {
		inner := nodes
		if connectionFields[f.Name] {
			n += nodes
			inner = nodes * max(1, e.pageSize(f))
		}
		n += e.connectionRequests(f.SelectionSet, inner)
	})
	return n
}

// pageSize is a connection's first or last argument, 0 without one.
func (e *executor) pageSize(f *ast.Field) int {
	for _, name := range []string{"first", "last"} {
		if v, ok := intValue(e.arg(f, name)); ok {
			return v
		}
	}
	return 0
}
