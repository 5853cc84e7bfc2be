package semanticscholar_test

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// interaction is one request and its answer from a vcrpy cassette of
// testdata.
type interaction struct {
	Method, URI, RequestBody string
	Status                   int
	Body                     string
	ContentLength            int // -1 when not recorded
}

// readCassette reads the interactions of a cassette of testdata. It knows
// the little of YAML that vcrpy writes: keys by indentation, the request
// body and the answer body (response.body.string, or response.content in
// the older format) as single-quoted scalars folded over lines, and the
// status as status.code or status_code.
func readCassette(t testing.TB, name string) []interaction {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(string(b), "\n")
	var out []interaction
	var cur *interaction
	section, lastKey := "", ""
	for i := 0; i < len(lines); i++ {
		line := lines[i]
		trimmed := strings.TrimSpace(line)
		switch {
		case strings.HasPrefix(line, "- request:"):
			out = append(out, interaction{ContentLength: -1})
			cur = &out[len(out)-1]
			section = "request"
			continue
		case strings.HasPrefix(line, "  response:"):
			section = "response"
			continue
		case cur == nil:
			continue
		}
		key, value, _ := strings.Cut(trimmed, ":")
		if item, ok := strings.CutPrefix(trimmed, "- "); ok {
			key, value = "-", item
		}
		value = strings.TrimSpace(value)
		if strings.HasPrefix(value, "'") {
			var s string
			s, i = singleQuoted(lines, i, strings.Index(line, "'"))
			switch {
			case section == "request" && key == "body":
				cur.RequestBody = s
			case section == "response" && (key == "string" || key == "content"):
				cur.Body = s
			case section == "response" && lastKey == "Content-Length" && key == "-":
				cur.ContentLength, _ = strconv.Atoi(s)
			}
			continue
		}
		switch {
		case section == "request" && key == "method":
			cur.Method = value
		case section == "request" && key == "uri":
			cur.URI = strings.TrimSpace(strings.TrimPrefix(trimmed, "uri:"))
		case section == "response" && (key == "code" || key == "status_code"):
			cur.Status, _ = strconv.Atoi(value)
		}
		if key != "-" {
			lastKey = key
		}
	}
	if len(out) == 0 {
		t.Fatalf("%s: no interactions", name)
	}
	return out
}

// singleQuoted reads the single-quoted scalar that starts at column col of
// lines[i] and returns it with the index of its last line: the lines are
// folded (a line break is a space, each empty line a newline, the
// indentation dropped) and ” is a quote.
func singleQuoted(lines []string, i, col int) (string, int) {
	var parts []string
	rest := lines[i][col+1:]
	for {
		if end := closingQuote(rest); end >= 0 {
			parts = append(parts, rest[:end])
			break
		}
		parts = append(parts, rest)
		i++
		if i >= len(lines) {
			break
		}
		rest = lines[i]
	}
	var b strings.Builder
	empties := 0
	for j, p := range parts {
		if j > 0 {
			p = strings.TrimLeft(p, " \t")
		}
		if j < len(parts)-1 {
			p = strings.TrimRight(p, " \t")
		}
		if j > 0 && j < len(parts)-1 && p == "" {
			empties++
			continue
		}
		if j > 0 {
			if empties > 0 {
				b.WriteString(strings.Repeat("\n", empties))
			} else {
				b.WriteByte(' ')
			}
		}
		empties = 0
		b.WriteString(p)
	}
	return strings.ReplaceAll(b.String(), "''", "'"), i
}

// closingQuote is the index of the quote that ends a single-quoted scalar
// in s, skipping doubled quotes; -1 when s has none.
func closingQuote(s string) int {
	for k := 0; k < len(s); k++ {
		if s[k] != '\'' {
			continue
		}
		if k+1 < len(s) && s[k+1] == '\'' {
			k++
			continue
		}
		return k
	}
	return -1
}
