package github_test

import (
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/parser"
	"github.com/vektah/gqlparser/v2/validator"

	"github.com/paperlist/paperlist/sources/github"
	"github.com/paperlist/paperlist/sources/github/githubtest"
)

// loadSchema loads GitHub's GraphQL schema from testdata. The published
// schema defines EnterpriseOwnerInfo.repositoryDeployKeySetting twice,
// alike, which gqlparser refuses; the copy is kept byte for byte (see
// TestGraphQLSchemaCopy), so a field defined again with the same type is
// dropped here, and one defined again differently fails the test.
func loadSchema(t *testing.T) *ast.Schema {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(fixtureDir, "schema.graphql"))
	if err != nil {
		t.Fatal(err)
	}
	doc, err := parser.ParseSchemas(validator.Prelude, &ast.Source{Name: "schema.graphql", Input: string(b)})
	if err != nil {
		t.Fatalf("parse schema.graphql: %v", err)
	}
	for _, def := range append(doc.Definitions, doc.Extensions...) {
		seen := map[string]*ast.FieldDefinition{}
		var fields ast.FieldList
		for _, f := range def.Fields {
			if first, ok := seen[f.Name]; ok {
				if first.Type.String() != f.Type.String() || len(first.Arguments) != len(f.Arguments) {
					t.Fatalf("schema.graphql: %s.%s defined twice, differently", def.Name, f.Name)
				}
				continue
			}
			seen[f.Name] = f
			fields = append(fields, f)
		}
		def.Fields = fields
	}
	schema, err := validator.ValidateSchemaDocument(doc)
	if err != nil {
		t.Fatalf("load schema.graphql: %v", err)
	}
	return schema
}

// TestGraphQLQueriesMatchSchema validates every query the client sends, as
// githubtest received it, against GitHub's published schema, with its
// variables.
func TestGraphQLQueriesMatchSchema(t *testing.T) {
	schema := loadSchema(t)
	for _, n := range []int{1, 2, github.MaxBatch} {
		t.Run("batch of "+strconv.Itoa(n), func(t *testing.T) {
			srv := newServer(t, githubtest.Options{Now: func() time.Time { return t0 }})
			batch := names(srv, n)
			batch[0] = `we"ird\owner/na}me` // a name no repository has, passed as is
			g := newGraphQL(t, srv.GraphQLURL(), testToken)
			fetchBatch(t, g, batch...)
			qs := graphqlQueries(srv)
			if len(qs) != 1 {
				t.Fatalf("%d queries, want 1", len(qs))
			}
			doc, err := parser.ParseQuery(&ast.Source{Name: "query", Input: qs[0].Query})
			if err != nil {
				t.Fatalf("parse: %v\n%s", err, qs[0].Query)
			}
			if errs := validator.ValidateWithRules(schema, doc, nil); len(errs) > 0 {
				t.Fatalf("the query does not fit GitHub's schema: %v\n%s", errs, qs[0].Query)
			}
			if len(doc.Operations) != 1 {
				t.Fatalf("%d operations, want 1", len(doc.Operations))
			}
			vars, err := validator.VariableValues(schema, doc.Operations[0], qs[0].Variables)
			if err != nil {
				t.Fatalf("variables: %v", err)
			}
			if len(vars) != 2*n || vars["o0"] != `we"ird\owner` || vars["n0"] != "na}me" {
				t.Errorf("variables %v, want 2 per repository with the names as given", vars)
			}
		})
	}
}

// TestSchemaCatchesMistakes checks that the validation above would see a
// query that GitHub refuses.
func TestSchemaCatchesMistakes(t *testing.T) {
	schema := loadSchema(t)
	for _, q := range []string{
		`query { r0: repository(owner: "a", name: "b") { stargazersCount } }`,
		`query { r0: repository(owner: "a", name: "b") { issues(states: OPENED) { totalCount } } }`,
		`query { r0: repository(owner: "a") { nameWithOwner } }`,
		`query { rateLimit { cost remaining resetsAt } }`,
	} {
		doc, err := parser.ParseQuery(&ast.Source{Input: q})
		if err != nil {
			t.Fatalf("parse %s: %v", q, err)
		}
		if errs := validator.ValidateWithRules(schema, doc, nil); len(errs) == 0 {
			t.Errorf("no validation error for %s", q)
		}
	}
}
