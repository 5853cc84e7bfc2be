package githubtest

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/vektah/gqlparser/v2/ast"
)

// maxFragmentDepth bounds how deep fragment spreads nest, so that a
// fragment that spreads itself ends.
const maxFragmentDepth = 10

// gqlError is an entry of the errors array of an answer, shaped like
// GitHub's.
type gqlError struct {
	Type       string         `json:"type,omitempty"`
	Path       []any          `json:"path,omitempty"`
	Extensions map[string]any `json:"extensions,omitempty"`
	Locations  []location     `json:"locations,omitempty"`
	Message    string         `json:"message"`
}

type location struct {
	Line   int `json:"line"`
	Column int `json:"column"`
}

// executor runs the first operation of a parsed query against the
// server's repositories. It is schema-agnostic beyond the fields it knows:
// a field it does not know makes the query invalid, as GitHub's validation
// would. It runs under s.mu.
type executor struct {
	s         *Server
	doc       *ast.QueryDocument
	vars      map[string]any
	rateLimit map[string]any

	errs    []gqlError
	invalid bool
}

func (e *executor) run() map[string]any {
	if len(e.doc.Operations) != 1 || e.doc.Operations[0].Operation != ast.Query {
		e.refuse(nil, nil, "githubtest: send exactly one query operation")
		return nil
	}
	data := map[string]any{}
	e.fields(e.doc.Operations[0].SelectionSet, 0, func(f *ast.Field) {
		path := []any{f.Alias}
		switch f.Name {
		case "__typename":
			data[f.Alias] = "Query"
		case "rateLimit":
			data[f.Alias] = e.object(f, path, "RateLimit", func(sub *ast.Field) (any, bool) {
				v, ok := e.rateLimit[sub.Name]
				return v, ok
			})
		case "repository":
			data[f.Alias] = e.repository(f, path)
		default:
			e.undefined(f, path, "Query")
		}
	})
	return data
}

// fields calls fn for each field of a selection set, with the fields of
// its fragments in place.
func (e *executor) fields(set ast.SelectionSet, depth int, fn func(*ast.Field)) {
	if depth > maxFragmentDepth {
		e.refuse(nil, nil, "githubtest: fragments nest too deep")
		return
	}
	for _, sel := range set {
		switch v := sel.(type) {
		case *ast.Field:
			fn(v)
		case *ast.InlineFragment:
			e.fields(v.SelectionSet, depth+1, fn)
		case *ast.FragmentSpread:
			fr := e.doc.Fragments.ForName(v.Name)
			if fr == nil {
				e.refuse(nil, v.Position, fmt.Sprintf("Fragment %s was used, but not defined", v.Name))
				continue
			}
			e.fields(fr.SelectionSet, depth+1, fn)
		}
	}
}

// object resolves the selection set of f with resolve, which reports false
// for a field the type does not have.
func (e *executor) object(f *ast.Field, path []any, typ string, resolve func(*ast.Field) (any, bool)) map[string]any {
	if len(f.SelectionSet) == 0 {
		e.refuse(path, f.Position, fmt.Sprintf("Field must have selections (field '%s' returns %s but has no selections. Did you mean '%s { ... }'?)", f.Name, typ, f.Name))
		return nil
	}
	out := map[string]any{}
	e.fields(f.SelectionSet, 0, func(sub *ast.Field) {
		if sub.Name == "__typename" {
			out[sub.Alias] = typ
			return
		}
		v, ok := resolve(sub)
		if !ok {
			e.undefined(sub, at(path, sub.Alias), typ)
			return
		}
		out[sub.Alias] = v
	})
	return out
}

// arg returns the value of an argument, with variables replaced.
func (e *executor) arg(f *ast.Field, name string) any {
	a := f.Arguments.ForName(name)
	if a == nil {
		return nil
	}
	v, err := a.Value.Value(e.vars)
	if err != nil {
		e.refuse(nil, a.Position, fmt.Sprintf("Argument '%s' on Field '%s' has an invalid value: %v", name, f.Name, err))
		return nil
	}
	return v
}

// repository resolves repository(owner:, name:, followRenames:): names in
// any case, a renamed or moved repository under its new name unless
// followRenames is false, and NOT_FOUND for a name that does not resolve
// or a repository blocked for legal reasons (whose block GraphQL does not
// tell).
func (e *executor) repository(f *ast.Field, path []any) any {
	owner, _ := e.arg(f, "owner").(string)
	name, _ := e.arg(f, "name").(string)
	if owner == "" || name == "" {
		e.refuse(path, f.Position, "Field 'repository' is missing required arguments: owner, name")
		return nil
	}
	follow := true
	if b, ok := e.arg(f, "followRenames").(bool); ok {
		follow = b
	}
	full := strings.ToLower(owner + "/" + name)
	id, ok := e.s.byName[full]
	if !ok && follow {
		id, ok = e.s.moved[full]
	}
	st := e.s.repos[id]
	if !ok || st == nil || st.block != nil {
		e.errs = append(e.errs, gqlError{
			Type: "NOT_FOUND", Path: path, Locations: locations(f.Position),
			Message: fmt.Sprintf("Could not resolve to a Repository with the name '%s/%s'.", owner, name),
		})
		return nil
	}
	return e.object(f, path, "Repository", func(sub *ast.Field) (any, bool) {
		return e.repoField(st, sub, at(path, sub.Alias))
	})
}

// repoField resolves a field of a repository from the same data as the
// REST body: empty strings are null, a missing default branch is "main",
// a missing creation time is the last change, a missing push the creation.
func (e *executor) repoField(st *repoState, f *ast.Field, path []any) (any, bool) {
	r := &st.repo
	owner, name, _ := strings.Cut(r.FullName, "/")
	created, pushed := r.CreatedAt, r.PushedAt
	if created.IsZero() {
		created = st.modified
	}
	if pushed.IsZero() {
		pushed = created
	}
	count := func(n int) any {
		return e.object(f, path, "Connection", func(sub *ast.Field) (any, bool) {
			return n, sub.Name == "totalCount"
		})
	}
	named := func(typ, v string) any {
		if v == "" {
			return nil
		}
		return e.object(f, path, typ, func(sub *ast.Field) (any, bool) {
			return v, sub.Name == "name"
		})
	}
	switch f.Name {
	case "id":
		return "R_test" + name, true
	case "databaseId":
		return r.ID, true
	case "name":
		return name, true
	case "nameWithOwner":
		return r.FullName, true
	case "owner":
		return e.object(f, path, "User", func(sub *ast.Field) (any, bool) {
			return owner, sub.Name == "login"
		}), true
	case "url":
		return "https://github.com/" + r.FullName, true
	case "description":
		return nullable(r.Description), true
	case "homepageUrl":
		return nullable(r.Homepage), true
	case "stargazerCount":
		return r.Stars, true
	case "forkCount":
		return r.Forks, true
	case "isArchived":
		return r.Archived, true
	case "isDisabled":
		return r.Disabled, true
	case "isFork":
		return r.Fork, true
	case "isPrivate":
		return false, true
	case "createdAt":
		return created.UTC().Format(time.RFC3339), true
	case "pushedAt":
		return pushed.UTC().Format(time.RFC3339), true
	case "updatedAt":
		return st.modified.UTC().Format(time.RFC3339), true
	case "issues":
		if !e.openOnly(f, path) {
			return nil, true
		}
		return count(r.OpenIssues - r.OpenPullRequests), true
	case "pullRequests":
		if !e.openOnly(f, path) {
			return nil, true
		}
		return count(r.OpenPullRequests), true
	case "watchers":
		return count(r.Watchers), true
	case "stargazers":
		return count(r.Stars), true
	case "primaryLanguage":
		return named("Language", r.Language), true
	case "defaultBranchRef":
		branch := r.DefaultBranch
		if branch == "" {
			branch = "main"
		}
		return named("Ref", branch), true
	case "licenseInfo":
		if r.License == "" {
			return nil, true
		}
		return e.object(f, path, "License", func(sub *ast.Field) (any, bool) {
			switch sub.Name {
			case "spdxId":
				return r.License, true
			case "key":
				return strings.ToLower(r.License), true
			case "name":
				if n, ok := licenseNames[r.License]; ok {
					return n, true
				}
				return r.License, true
			}
			return nil, false
		}), true
	case "repositoryTopics":
		return e.topics(st, f, path), true
	}
	return nil, false
}

// openOnly checks that a count of issues or pull requests asks for the
// open ones, the only count the server knows apart from REST's sum.
func (e *executor) openOnly(f *ast.Field, path []any) bool {
	states, _ := e.arg(f, "states").([]any)
	if v, ok := e.arg(f, "states").(string); ok {
		states = []any{v}
	}
	if len(states) != 1 || states[0] != "OPEN" {
		e.refuse(path, f.Position, fmt.Sprintf("githubtest: only %s(states: OPEN) is supported", f.Name))
		return false
	}
	return true
}

// topics resolves repositoryTopics(first:), which, like every connection
// of GitHub's, needs first or last between 1 and 100.
func (e *executor) topics(st *repoState, f *ast.Field, path []any) any {
	n, ok := intValue(e.arg(f, "first"))
	if !ok {
		n, ok = intValue(e.arg(f, "last"))
	}
	switch {
	case !ok:
		e.refuse(path, f.Position, "You must provide a `first` or `last` value to properly paginate the `repositoryTopics` connection.")
		return nil
	case n < 1 || n > 100:
		e.refuse(path, f.Position, fmt.Sprintf("Requesting %d records on the `repositoryTopics` connection exceeds the `first` limit of 100 records.", n))
		return nil
	}
	topics := st.repo.Topics
	if len(topics) > n {
		topics = topics[:n]
	}
	return e.object(f, path, "RepositoryTopicConnection", func(sub *ast.Field) (any, bool) {
		switch sub.Name {
		case "totalCount":
			return len(st.repo.Topics), true
		case "nodes":
			nodes := make([]any, 0, len(topics))
			for i, t := range topics {
				p := at(path, sub.Alias, i)
				nodes = append(nodes, e.object(sub, p, "RepositoryTopic", func(tf *ast.Field) (any, bool) {
					if tf.Name != "topic" {
						return nil, false
					}
					return e.object(tf, at(p, tf.Alias), "Topic", func(nf *ast.Field) (any, bool) {
						return t, nf.Name == "name"
					}), true
				}))
			}
			return nodes, true
		}
		return nil, false
	})
}

// undefined refuses a field the type does not have, as GitHub's
// validation does.
func (e *executor) undefined(f *ast.Field, path []any, typ string) {
	e.invalid = true
	e.errs = append(e.errs, gqlError{
		Path: path, Locations: locations(f.Position),
		Extensions: map[string]any{"code": "undefinedField", "typeName": typ, "fieldName": f.Name},
		Message:    fmt.Sprintf("Field '%s' doesn't exist on type '%s'", f.Name, typ),
	})
}

// refuse makes the query invalid with a message.
func (e *executor) refuse(path []any, pos *ast.Position, msg string) {
	e.invalid = true
	e.errs = append(e.errs, gqlError{Path: path, Locations: locations(pos), Message: msg})
}

func locations(pos *ast.Position) []location {
	if pos == nil {
		return nil
	}
	return []location{{Line: pos.Line, Column: pos.Column}}
}

// at returns a copy of path with more elements, so that the paths kept in
// errors never share an array.
func at(path []any, more ...any) []any {
	return append(slices.Clone(path), more...)
}

func nullable(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// intValue reads an Int argument, given in the query (int64) or as a
// JSON variable (float64).
func intValue(v any) (int, bool) {
	switch n := v.(type) {
	case int64:
		return int(n), true
	case float64:
		if n == float64(int(n)) {
			return int(n), true
		}
	}
	return 0, false
}
