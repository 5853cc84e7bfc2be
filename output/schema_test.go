package output_test

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/paperlist/paperlist"
	"github.com/paperlist/paperlist/output"
)

const schemaID = "https://github.com/paperlist/paperlist/schema/papers.v1.json"

// compileSchema compiles the embedded schema, the one consumers validate
// with, checking it against the draft 2020-12 meta-schema, with formats
// asserted.
func compileSchema(t testing.TB) *jsonschema.Schema {
	t.Helper()
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(output.JSONSchema))
	if err != nil {
		t.Fatalf("read schema: %v", err)
	}
	return compile(t, doc)
}

// compileStrictSchema compiles the project's own strict copy of the
// schema: every object closed (additionalProperties false), so that the
// tests see a key the writer should not write.
func compileStrictSchema(t testing.TB) *jsonschema.Schema {
	t.Helper()
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(output.JSONSchema))
	if err != nil {
		t.Fatalf("read schema: %v", err)
	}
	closeObjects(doc)
	return compile(t, doc)
}

// closeObjects sets additionalProperties false on every object schema in
// v that lists its properties.
func closeObjects(v any) {
	switch v := v.(type) {
	case map[string]any:
		if _, ok := v["properties"]; ok && v["type"] == "object" {
			v["additionalProperties"] = false
		}
		for _, sub := range v {
			closeObjects(sub)
		}
	case []any:
		for _, sub := range v {
			closeObjects(sub)
		}
	}
}

func compile(t testing.TB, doc any) *jsonschema.Schema {
	t.Helper()
	c := jsonschema.NewCompiler()
	c.AssertFormat()
	if err := c.AddResource(schemaID, doc); err != nil {
		t.Fatal(err)
	}
	sch, err := c.Compile(schemaID)
	if err != nil {
		t.Fatalf("compile schema: %v", err)
	}
	return sch
}

func readJSON(t *testing.T, data []byte) any {
	t.Helper()
	v, err := jsonschema.UnmarshalJSON(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func TestSchemaAcceptsOutputs(t *testing.T) {
	sch := compileStrictSchema(t)
	golden, err := filepath.Glob(filepath.Join("testdata", "golden", "*.json"))
	if err != nil {
		t.Fatal(err)
	}
	if len(golden) < 2 {
		t.Fatalf("found %d golden papers.json files, want at least 2", len(golden))
	}
	docs := map[string][]byte{"generated": writeJSON(t, largeDataset(30))}
	for _, path := range golden {
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		docs[path] = data
	}
	for name, data := range docs {
		t.Run(name, func(t *testing.T) {
			if err := sch.Validate(readJSON(t, data)); err != nil {
				t.Errorf("%s does not match the schema: %v", name, err)
			}
		})
	}
}

// TestSchemaRejects changes a papers.json in ways the writer never does:
// the strict copy rejects each, the published schema all but the unknown
// keys.
func TestSchemaRejects(t *testing.T) {
	strict, published := compileStrictSchema(t), compileSchema(t)
	full := writeJSON(t, fullDataset())
	paper := func(doc any) map[string]any {
		return doc.(map[string]any)["papers"].([]any)[0].(map[string]any)
	}
	tests := []struct {
		name   string
		change func(doc any)
	}{
		{"missing papers", func(doc any) { delete(doc.(map[string]any), "papers") }},
		{"null papers", func(doc any) { doc.(map[string]any)["papers"] = nil }},
		{"other schema version", func(doc any) { doc.(map[string]any)["schema_version"] = json.Number("2") }},
		{"generated_at not a time", func(doc any) { doc.(map[string]any)["generated_at"] = "yesterday" }},
		{"unknown top-level key", func(doc any) { doc.(map[string]any)["extra"] = true }},
		{"paper without key", func(doc any) { delete(paper(doc), "key") }},
		{"line as a string", func(doc any) { paper(doc)["line"] = "12" }},
		{"year as a fraction", func(doc any) { paper(doc)["year"] = json.Number("2023.5") }},
		{"authors as a string", func(doc any) { paper(doc)["authors"] = "Hugo Touvron" }},
		{"unknown paper key", func(doc any) { paper(doc)["isbn"] = "978-3-16-148410-0" }},
		{"negative citations", func(doc any) { paper(doc)["citations"] = -1 }},
		{"unknown arxiv id source", func(doc any) { paper(doc)["arxiv_id_source"] = "guess" }},
		{"empty string for absent arxiv", func(doc any) { paper(doc)["arxiv"] = "" }},
		{"arxiv without id", func(doc any) { delete(paper(doc)["arxiv"].(map[string]any), "id") }},
		{"arxiv author as a string", func(doc any) { paper(doc)["arxiv"].(map[string]any)["authors"] = []any{"Hugo Touvron"} }},
		{"github stars as a string", func(doc any) { paper(doc)["github"].(map[string]any)["stars"] = "12k" }},
		{"github without archived", func(doc any) { delete(paper(doc)["github"].(map[string]any), "archived") }},
		{"unknown github key", func(doc any) { paper(doc)["github"].(map[string]any)["subscribers"] = json.Number("1") }},
		{"stars_7d null", func(doc any) { paper(doc)["github"].(map[string]any)["stars_7d"] = nil }},
		{"unknown problem code", func(doc any) {
			paper(doc)["problems"] = []any{map[string]any{"code": "repo_on_fire", "message": "m"}}
		}},
		{"problem without message", func(doc any) {
			paper(doc)["problems"] = []any{map[string]any{"code": paperlist.ProblemRepoArchived}}
		}},
	}
	// An unknown key is what a later paperlist may add: the published
	// schema accepts it.
	unknownKeys := map[string]bool{"unknown top-level key": true, "unknown paper key": true, "unknown github key": true}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc := readJSON(t, full)
			if err := strict.Validate(doc); err != nil {
				t.Fatalf("the unchanged document is rejected: %v", err)
			}
			tt.change(doc)
			if err := strict.Validate(doc); err == nil {
				t.Error("the strict schema accepts the changed document")
			}
			if err := published.Validate(doc); (err == nil) != unknownKeys[tt.name] {
				t.Errorf("the published schema: %v, want it to accept only unknown keys", err)
			}
		})
	}
}

// schemaDoc is the embedded schema read as plain JSON.
func schemaDoc(t *testing.T) map[string]any {
	t.Helper()
	var doc map[string]any
	if err := json.Unmarshal(output.JSONSchema, &doc); err != nil {
		t.Fatal(err)
	}
	return doc
}

func TestSchemaIdentity(t *testing.T) {
	doc := schemaDoc(t)
	if got := doc["$id"]; got != schemaID {
		t.Errorf("$id = %v, want %s", got, schemaID)
	}
	if got := doc["$schema"]; got != "https://json-schema.org/draft/2020-12/schema" {
		t.Errorf("$schema = %v, want draft 2020-12", got)
	}
	v := doc["properties"].(map[string]any)["schema_version"].(map[string]any)["const"]
	if v != float64(paperlist.SchemaVersion) {
		t.Errorf("schema_version const = %v, want %d", v, paperlist.SchemaVersion)
	}
}

func TestSchemaProblemCodes(t *testing.T) {
	defs := schemaDoc(t)["$defs"].(map[string]any)
	var got []string
	for _, c := range defs["problem"].(map[string]any)["properties"].(map[string]any)["code"].(map[string]any)["enum"].([]any) {
		got = append(got, c.(string))
	}
	var want []string
	for _, c := range paperlist.ProblemCodes {
		want = append(want, c.Code)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("problem codes in the schema (-ProblemCodes +schema):\n%s", diff)
	}
}

// TestSchemaMatchesTypes checks every object of the schema against the Go
// type it describes: the same keys, the same required keys (those without
// omitempty or omitzero), and matching JSON types, so that a field added to
// or changed in a type cannot be forgotten in the schema.
func TestSchemaMatchesTypes(t *testing.T) {
	doc := schemaDoc(t)
	defs := doc["$defs"].(map[string]any)
	tests := []struct {
		def string
		typ reflect.Type
	}{
		{"(root)", reflect.TypeFor[paperlist.Dataset]()},
		{"generator", reflect.TypeFor[paperlist.Generator]()},
		{"list", reflect.TypeFor[paperlist.ListInfo]()},
		{"paper", reflect.TypeFor[paperlist.Paper]()},
		{"arxiv", reflect.TypeFor[paperlist.ArxivRecord]()},
		{"author", reflect.TypeFor[paperlist.Author]()},
		{"github", reflect.TypeFor[paperlist.RepoStats]()},
		{"page", reflect.TypeFor[paperlist.PageRecord]()},
		{"problem", reflect.TypeFor[paperlist.Problem]()},
	}
	for _, tt := range tests {
		t.Run(tt.def, func(t *testing.T) {
			obj := doc
			if tt.def != "(root)" {
				obj = defs[tt.def].(map[string]any)
			}
			// Objects are open for consumers: a later paperlist may add
			// optional keys without changing schema_version.
			if ap, ok := obj["additionalProperties"]; ok {
				t.Errorf("additionalProperties is %v, want it unset (open)", ap)
			}
			props := obj["properties"].(map[string]any)
			var wantRequired, gotRequired, keys []string
			if req, ok := obj["required"].([]any); ok {
				for _, r := range req {
					gotRequired = append(gotRequired, r.(string))
				}
			}
			for f := range tt.typ.Fields() {
				name, opts, _ := strings.Cut(f.Tag.Get("json"), ",")
				if name == "-" {
					// Not part of papers.json.
					continue
				}
				keys = append(keys, name)
				if !strings.Contains(opts, "omitempty") && !strings.Contains(opts, "omitzero") {
					wantRequired = append(wantRequired, name)
				}
				prop, ok := props[name].(map[string]any)
				if !ok {
					t.Errorf("field %s (%s) is not in the schema", f.Name, name)
					continue
				}
				checkPropType(t, name, f.Type, prop, defs)
			}
			for name := range props {
				if !slices.Contains(keys, name) {
					t.Errorf("schema property %s has no field", name)
				}
			}
			slices.Sort(wantRequired)
			slices.Sort(gotRequired)
			if diff := cmp.Diff(wantRequired, gotRequired); diff != "" {
				t.Errorf("required keys (-Go +schema):\n%s", diff)
			}
		})
	}
}

// checkPropType checks that the schema of a property fits the Go type of
// its field.
func checkPropType(t *testing.T, name string, typ reflect.Type, prop, defs map[string]any) {
	t.Helper()
	if typ.Kind() == reflect.Pointer {
		typ = typ.Elem()
	}
	if ref, ok := prop["$ref"].(string); ok {
		def, ok := defs[strings.TrimPrefix(ref, "#/$defs/")].(map[string]any)
		if !ok || typ.Kind() != reflect.Struct || def["type"] != "object" {
			t.Errorf("%s: $ref %s does not describe the struct %s", name, ref, typ)
		}
		return
	}
	if _, ok := prop["const"]; ok {
		return
	}
	if _, ok := prop["enum"]; ok {
		if typ.Kind() != reflect.String {
			t.Errorf("%s: enum on a %s", name, typ)
		}
		return
	}
	want := ""
	switch {
	case typ == reflect.TypeFor[time.Time]():
		want = "string"
		if prop["format"] != "date-time" {
			t.Errorf("%s: a time without format date-time", name)
		}
	case typ.Kind() == reflect.String:
		want = "string"
	case typ.Kind() == reflect.Int || typ.Kind() == reflect.Int64:
		want = "integer"
	case typ.Kind() == reflect.Bool:
		want = "boolean"
	case typ.Kind() == reflect.Slice:
		want = "array"
		if items, ok := prop["items"].(map[string]any); ok {
			checkPropType(t, name+"[]", typ.Elem(), items, defs)
		} else {
			t.Errorf("%s: an array without items", name)
		}
	default:
		t.Errorf("%s: no rule for the Go type %s", name, typ)
	}
	if prop["type"] != want {
		t.Errorf("%s: type %v, want %s for the Go type %s", name, prop["type"], want, typ)
	}
}

// TestSchemaConsumerAcceptsUnknownFields is a consumer that validates with
// the published schema: a papers.json from a later paperlist, with keys
// this one does not know at every level, is accepted.
func TestSchemaConsumerAcceptsUnknownFields(t *testing.T) {
	sch := compileSchema(t)
	d := fullDataset()
	d.Generator = &paperlist.Generator{Name: "paperlist", Version: "v9.0.0"}
	doc := readJSON(t, writeJSON(t, d)).(map[string]any)
	doc["mirror"] = "https://example.org/papers.json"
	doc["list"].(map[string]any)["commit"] = "01be334d2e"
	doc["generator"].(map[string]any)["revision"] = "abc123"
	for _, p := range doc["papers"].([]any) {
		p := p.(map[string]any)
		p["doi"] = "10.1/x"
		for _, rec := range []string{"arxiv", "github", "page"} {
			if r, ok := p[rec].(map[string]any); ok {
				r["new_field"] = json.Number("1")
			}
		}
		problems, _ := p["problems"].([]any)
		for _, pr := range problems {
			pr.(map[string]any)["severity"] = "warning"
		}
	}
	if err := sch.Validate(doc); err != nil {
		t.Errorf("the published schema rejects a papers.json with unknown keys: %v", err)
	}
	if err := compileStrictSchema(t).Validate(doc); err == nil {
		t.Error("the strict copy accepts unknown keys")
	}
}
