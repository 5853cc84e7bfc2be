package arxivtest

import "testing"

// FuzzParseSearchQuery checks that no search_query makes the parser
// panic, and that a query it reads reads the same once echoed back.
func FuzzParseSearchQuery(f *testing.F) {
	for _, q := range []string{`ti:"a b" AND (au:c OR abs:d) ANDNOT cat:cs.*`, "ti:(a (b au:c))", "NOT x", ")(", `"`, "ti:", "submittedDate:[2022 TO 2023]"} {
		f.Add(q)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		q, err := parseSearchQuery(raw)
		if err != nil || q == nil {
			return
		}
		again, err := parseSearchQuery(q.echo)
		if err != nil || again == nil || again.echo != q.echo {
			t.Fatalf("%q echoes as %q, which reads as %v, %v", raw, q.echo, again, err)
		}
	})
}
