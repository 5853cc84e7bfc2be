package store

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/paperlist/paperlist"
)

// codecEntries are entries of every record type with every field set, and
// with none, in times of every kind of location.
func codecEntries() (arxiv []*paperlist.Entry[paperlist.ArxivRecord], repos []*paperlist.Entry[paperlist.RepoStats], pages []*paperlist.Entry[paperlist.PageRecord]) {
	utc := time.Date(2026, 11, 27, 10, 11, 12, 345678901, time.UTC)
	east := time.Date(2025, 1, 2, 3, 4, 5, 0, time.FixedZone("CET", 3600))
	local := time.Date(2024, 6, 7, 8, 9, 10, 11, time.Local)
	seven, thirty := 7, -3
	failure := &paperlist.Failure{Kind: paperlist.FailureTransient, Message: "503 \u003c\"x\"\u003e", At: east, Attempts: 3}
	arxiv = []*paperlist.Entry[paperlist.ArxivRecord]{
		{Key: "2401.00001"},
		{Key: "2401.00002", State: paperlist.StateNotFound, CheckedAt: utc, Failure: &paperlist.Failure{Kind: "invalid"}},
		{Key: "2401.00003", State: paperlist.StateOK, FetchedAt: local, CheckedAt: utc, ETag: `W/"e"`, LastModified: "Mon, 02 Jan 2006", Failure: failure,
			Data: &paperlist.ArxivRecord{
				ID: "2401.00003", Version: 4, Title: "Ünïcode — and $O(n^2)$", Abstract: "line one\nline two",
				Authors:   []paperlist.Author{{Name: "A. Author", Affiliations: []string{"X", "Y"}}, {Name: "B"}},
				Published: east, Updated: local, PrimaryCategory: "cs.LG", Categories: []string{"cs.LG", "stat.ML"},
				Comment: "withdrawn", JournalRef: "J", DOI: "10.1/2", AbsURL: "https://arxiv.org/abs/2401.00003", PDFURL: "https://arxiv.org/pdf/2401.00003",
				Withdrawn: true, FetchedAt: utc,
			}},
		{Key: "2401.00004", State: paperlist.StateOK, Data: &paperlist.ArxivRecord{ID: "2401.00004"}},
	}
	repos = []*paperlist.Entry[paperlist.RepoStats]{
		{Key: "a/b", State: paperlist.StateUnavailable, Reason: "dmca", CheckedAt: utc},
		{Key: "a/c", State: paperlist.StateOK, CheckedAt: utc, Data: &paperlist.RepoStats{
			FullName: "A/C", ID: 1 << 40, HTMLURL: "https://github.com/A/C", Description: "d", Stars: 123456, Forks: 0, OpenIssues: 5,
			Watchers: 9, Language: "Go", License: "MIT", Topics: []string{"x"}, Archived: true, Disabled: true, Fork: true,
			PushedAt: east, CreatedAt: local, Homepage: "h", DefaultBranch: "main", FetchedAt: utc, Stars7d: &seven, Stars30d: &thirty,
		}},
		{Key: "a/d", State: paperlist.StateOK, Data: &paperlist.RepoStats{FullName: "a/d"}},
	}
	pages = []*paperlist.Entry[paperlist.PageRecord]{
		{Key: "https://example.org/p", State: paperlist.StateOK, CheckedAt: utc, Data: &paperlist.PageRecord{
			URL: "https://example.org/p", Title: "T", Abstract: "A", Authors: []string{"x", "y"}, Published: "2020", PDFURL: "p", DOI: "d", FetchedAt: local,
		}},
		{Key: "https://example.org/q", State: paperlist.StateOK, Data: &paperlist.PageRecord{URL: "https://example.org/q"}},
	}
	return arxiv, repos, pages
}

// TestCompactMatchesJSON checks that a record read back from the compact
// encoding is the record read back from JSON, as format 1 stored it: the
// same fields, the same times in the same locations.
func TestCompactMatchesJSON(t *testing.T) {
	arxiv, repos, pages := codecEntries()
	for _, e := range arxiv {
		checkCompact(t, e)
	}
	for _, e := range repos {
		checkCompact(t, e)
	}
	for _, e := range pages {
		checkCompact(t, e)
	}
}

func checkCompact[T any](t *testing.T, e *paperlist.Entry[T]) {
	t.Helper()
	v, err := encodeEntry(e)
	if err != nil {
		t.Fatal(err)
	}
	if v[0] != compactTag {
		t.Fatalf("%s: encoded as %q, not compact", e.Key, v)
	}
	got, err := decodeEntry[T](bucketArxiv, []byte(e.Key), v)
	if err != nil {
		t.Fatalf("%s: %v", e.Key, err)
	}
	js, err := json.Marshal(e)
	if err != nil {
		t.Fatal(err)
	}
	want, err := decodeEntry[T](bucketArxiv, []byte(e.Key), js)
	if err != nil {
		t.Fatalf("%s: %v", e.Key, err)
	}
	// The JSON of the two, with the locations' offsets, and the locations
	// themselves: what papers.json and papers.md could show differently.
	gj, _ := json.Marshal(got)
	wj, _ := json.Marshal(want)
	if string(gj) != string(wj) {
		t.Errorf("%s: compact gives\n%s\nJSON gives\n%s", e.Key, gj, wj)
	}
	if g, w := locations(got), locations(want); g != w {
		t.Errorf("%s: compact gives locations %q, JSON %q", e.Key, g, w)
	}
}

// locations names the location of every time in an entry, in order.
func locations(v any) string {
	b, _ := json.Marshal(v)
	var m any
	_ = json.Unmarshal(b, &m)
	var out string
	var walk func(any)
	walk = func(x any) {
		switch x := x.(type) {
		case map[string]any:
			for _, k := range []string{"fetched_at", "checked_at", "at", "published", "updated", "pushed_at", "created_at"} {
				if s, ok := x[k].(string); ok {
					if tm, err := time.Parse(time.RFC3339Nano, s); err == nil {
						out += k + "=" + tm.Location().String() + " "
					}
				}
			}
			for _, k := range []string{"data", "failure"} {
				walk(x[k])
			}
		}
	}
	walk(m)
	return out
}

// TestCompactRefusesDamage cuts and corrupts a compact record every way
// and checks that decoding fails, never panics, and never reads a cut
// record as whole.
func TestCompactRefusesDamage(t *testing.T) {
	arxiv, repos, _ := codecEntries()
	for _, v := range [][]byte{mustEncode(t, arxiv[2]), mustEncode(t, repos[1])} {
		for n := 1; n < len(v); n++ {
			if _, err := decodeEntry[paperlist.ArxivRecord](bucketArxiv, nil, v[:n]); err == nil {
				if _, err := decodeEntry[paperlist.RepoStats](bucketRepos, nil, v[:n]); err == nil {
					t.Errorf("a record cut to %d of %d bytes decodes", n, len(v))
				}
			}
		}
		for i := range v {
			bad := append([]byte(nil), v...)
			bad[i] ^= 0xff
			_, _ = decodeEntry[paperlist.ArxivRecord](bucketArxiv, nil, bad)
			_, _ = decodeEntry[paperlist.RepoStats](bucketRepos, nil, bad)
		}
		long := append(append([]byte(nil), v...), 0)
		if _, err := decodeEntry[paperlist.RepoStats](bucketRepos, nil, long); err == nil {
			if _, err := decodeEntry[paperlist.ArxivRecord](bucketArxiv, nil, long); err == nil {
				t.Error("a record with a byte after its end decodes")
			}
		}
	}
	if _, err := decodeEntry[paperlist.ArxivRecord](bucketArxiv, nil, []byte{compactTag, 99}); err == nil {
		t.Error("an unknown compact version decodes")
	}
}

func mustEncode[T any](t *testing.T, e *paperlist.Entry[T]) []byte {
	t.Helper()
	v, err := encodeEntry(e)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func FuzzDecodeCompact(f *testing.F) {
	arxiv, repos, pages := codecEntries()
	f.Add(mustEncodeF(arxiv[2]))
	f.Add(mustEncodeF(repos[1]))
	f.Add(mustEncodeF(pages[0]))
	f.Fuzz(func(t *testing.T, v []byte) {
		e, err := decodeEntry[paperlist.ArxivRecord](bucketArxiv, nil, v)
		if err == nil && e.Key != "" {
			// What decodes encodes to a record that decodes to itself.
			once := mustEncode(t, e)
			e2, err := decodeEntry[paperlist.ArxivRecord](bucketArxiv, nil, once)
			if err != nil {
				t.Fatalf("re-encoded record does not decode: %v", err)
			}
			if twice := mustEncode(t, e2); string(twice) != string(once) {
				t.Errorf("re-encoding is not stable:\n%q\n%q", once, twice)
			}
		}
		_, _ = decodeEntry[paperlist.RepoStats](bucketRepos, nil, v)
		_, _ = decodeEntry[paperlist.PageRecord](bucketPages, nil, v)
	})
}

func mustEncodeF[T any](e *paperlist.Entry[T]) []byte {
	v, _ := encodeCompact(nil, e)
	return v
}
