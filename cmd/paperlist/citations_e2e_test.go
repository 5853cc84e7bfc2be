package main_test

// The end-to-end tests of Semantic Scholar, the third source, and of the
// paper behind every title: through the binary, against arxivtest,
// githubtest and s2test.

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/paperlist/paperlist"
	"github.com/paperlist/paperlist/sources/arxiv/arxivtest"
	"github.com/paperlist/paperlist/sources/semanticscholar"
	"github.com/paperlist/paperlist/sources/semanticscholar/s2test"
)

// s2Key is the Semantic Scholar key of the key test; s2test accepts only
// it there.
const s2Key = "s2KeyE2eTestNotARealOne0123456789abcdef"

// TestCitationsSeed: the seed list's cold crawl asks Semantic Scholar once
// for its 31 arXiv papers and fills their citations; a warm rerun asks
// nothing.
func TestCitationsSeed(t *testing.T) {
	t.Parallel()
	w := newWorld(t, worldOptions{})
	r := runPaperlist(t, w.args("crawl", "-pages=false")...)
	wantCode(t, r, 0)
	reqs := w.s2.Requests()
	if len(reqs) != 1 || len(reqs[0].IDs) != len(w.ids) || len(w.ids) != 31 {
		t.Fatalf("cold crawl: %d Semantic Scholar requests (ids %v), want 1 for the 31 arXiv ids", len(reqs), idsOf(reqs))
	}
	_, md, d := w.outputs(t)
	cited := 0
	for _, p := range d.Papers {
		if p.ArxivID == "" {
			continue
		}
		if p.Citations == nil || p.ArxivIDSource != paperlist.ArxivIDFromList || p.SemanticScholarURL == "" || p.ScholarVenue == "" {
			t.Errorf("line %d (%s): citations %v, source %q, url %q, venue %q", p.Line, p.ArxivID, deref(p.Citations), p.ArxivIDSource, p.SemanticScholarURL, p.ScholarVenue)
			continue
		}
		cited++
	}
	if cited < 31 || !strings.Contains(md, " citations") || !strings.Contains(md, "📄 ") {
		t.Errorf("%d papers with citations, want every arXiv paper; papers.md shows citations: %v", cited, strings.Contains(md, "📄 "))
	}
	if !strings.Contains(r.stderr, "semantic_scholar") {
		t.Errorf("stderr names no semantic_scholar source:\n%s", r.stderr)
	}

	w.reset()
	r = runPaperlist(t, w.args("crawl", "-pages=false")...)
	wantCode(t, r, 0)
	if n := len(w.s2.Requests()); n != 0 {
		t.Errorf("warm rerun: %d Semantic Scholar requests, want none", n)
	}
	_, _, d2 := w.outputs(t)
	for i, p := range d2.Papers {
		if fmt.Sprint(deref(p.Citations)) != fmt.Sprint(deref(d.Papers[i].Citations)) {
			t.Errorf("line %d: warm citations %v, cold %v", p.Line, deref(p.Citations), deref(d.Papers[i].Citations))
		}
	}

	// -sort citations orders a section by its citations, most first.
	r = runPaperlist(t, w.args("crawl", "-offline", "-sort", "citations")...)
	wantCode(t, r, 0)
	_, sorted, _ := w.outputs(t)
	checkSortedByCitations(t, sorted)
}

var citedRE = regexp.MustCompile(`📄 ([0-9.]+)(k?) citations?`)

// checkSortedByCitations checks that within each section of papers.md the
// entries go from most cited to least, those without citations last.
func checkSortedByCitations(t *testing.T, md string) {
	t.Helper()
	prev, entries := -1.0, 0
	for _, line := range strings.Split(md, "\n") {
		switch {
		case strings.HasPrefix(line, "#"):
			prev = -1
		case strings.HasPrefix(line, "- **"):
			entries++
			n := -0.5 // no citations: after every count
			if m := citedRE.FindStringSubmatch(line); m != nil {
				n, _ = strconv.ParseFloat(m[1], 64)
				if m[2] == "k" {
					n *= 1000
				}
			}
			if prev >= 0 && n > prev || prev == -0.5 && n >= 0 {
				t.Errorf("papers.md -sort citations: %q comes after an entry with fewer citations", line)
			}
			prev = n
		}
	}
	if entries == 0 {
		t.Error("papers.md has no entries")
	}
}

// TestCitationsBatches: 1,200 arXiv papers are 3 requests of at most 500
// ids.
func TestCitationsBatches(t *testing.T) {
	t.Parallel()
	arx := arxivtest.NewServer(arxivtest.Options{Generate: true})
	t.Cleanup(arx.Close)
	s2 := s2test.NewServer(s2test.Options{Generate: true})
	t.Cleanup(s2.Close)
	dir := t.TempDir()
	var md strings.Builder
	md.WriteString("# Generated\n\n## Papers\n\n")
	for i := 1; i <= 1200; i++ {
		fmt.Fprintf(&md, "- [Paper %d](https://arxiv.org/abs/2301.%05d)\n", i, i)
	}
	list := filepath.Join(dir, "list.md")
	if err := os.WriteFile(list, []byte(md.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	r := runPaperlist(t, "crawl", "-db", filepath.Join(dir, "cache.db"), "-out", dir, "-pages=false",
		"-arxiv-url", arx.URL(), "-arxiv-interval", "1ms", "-github-url", "http://127.0.0.1:1/",
		"-citations-url", s2.URL(), list)
	wantCode(t, r, 0)
	reqs := s2.Requests()
	if len(reqs) != 3 {
		t.Fatalf("%d Semantic Scholar requests, want 3", len(reqs))
	}
	total := 0
	for _, q := range reqs {
		if len(q.IDs) > semanticscholar.MaxBatch {
			t.Errorf("a request of %d ids", len(q.IDs))
		}
		total += len(q.IDs)
	}
	if total != 1200 {
		t.Errorf("%d ids asked, want 1200", total)
	}
}

// TestCitationsUnknownID: an id Semantic Scholar does not know gives no
// citations and no problem.
func TestCitationsUnknownID(t *testing.T) {
	t.Parallel()
	arx := arxivtest.NewServer(arxivtest.Options{Generate: true})
	t.Cleanup(arx.Close)
	s2 := s2test.NewServer(s2test.Options{})
	t.Cleanup(s2.Close)
	s2.Add(s2test.Paper{Title: "Known", ArxivID: "2301.00001", Citations: 1234})
	dir := t.TempDir()
	list := filepath.Join(dir, "list.md")
	src := "# L\n\n## Papers\n\n- [Known](https://arxiv.org/abs/2301.00001)\n- [Unknown](https://arxiv.org/abs/2301.00002)\n"
	if err := os.WriteFile(list, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	r := runPaperlist(t, "check", "-db", filepath.Join(dir, "cache.db"), "-out", dir, "-pages=false", "-ignore", "title_mismatch",
		"-arxiv-url", arx.URL(), "-arxiv-interval", "1ms", "-github-url", "http://127.0.0.1:1/",
		"-citations-url", s2.URL(), list)
	wantCode(t, r, 0)
	d := readDataset(t, dir)
	known, unknown := d.Papers[0], d.Papers[1]
	if known.Citations == nil || *known.Citations != 1234 {
		t.Errorf("known paper: citations %v, want 1234", deref(known.Citations))
	}
	if unknown.Citations != nil || unknown.HasProblem(paperlist.ProblemFetchFailed) {
		t.Errorf("unknown paper: citations %v, problems %v; want none", deref(unknown.Citations), unknown.Problems)
	}
	md, err := os.ReadFile(filepath.Join(dir, "papers.md"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(md), "📄 1.2k citations") {
		t.Errorf("papers.md does not show 📄 1.2k citations:\n%s", md)
	}
}

// TestCitationsRateLimited: a 429 without Retry-After is waited out, at
// least twice the host's interval, and the run completes.
func TestCitationsRateLimited(t *testing.T) {
	t.Parallel()
	w := newWorld(t, worldOptions{})
	w.s2.FailNext(1, 429, "")
	r := runPaperlist(t, w.args("crawl", "-pages=false")...)
	wantCode(t, r, 0)
	reqs := w.s2.Requests()
	if len(reqs) != 2 || reqs[0].Status != 429 || reqs[1].Status != 200 {
		t.Fatalf("Semantic Scholar requests %v, want a 429 then a 200", statuses(reqs))
	}
	if gap := reqs[1].Time.Sub(reqs[0].Time); gap < 2*semanticscholar.Interval {
		t.Errorf("retried %s after a 429 without Retry-After, want at least %s", gap, 2*semanticscholar.Interval)
	}
}

// TestCitationsKeyStaysSecret: the key goes to Semantic Scholar alone and
// is in no output, no log line and no byte of the cache.
func TestCitationsKeyStaysSecret(t *testing.T) {
	t.Parallel()
	for _, name := range []string{"S2_API_KEY", "SEMANTIC_SCHOLAR_API_KEY"} {
		t.Run(name, func(t *testing.T) {
			w := newWorld(t, worldOptions{s2: s2test.Options{Key: s2Key}})
			r := runEnv(t, w.dir, []string{name + "=" + s2Key}, w.args("crawl", "-v", "-pages=false")...)
			wantCode(t, r, 0)
			for _, q := range w.s2.Requests() {
				if q.Status != 200 || q.Header.Get("X-Api-Key") != s2Key {
					t.Errorf("Semantic Scholar request answered %d, key sent: %v", q.Status, q.Header.Get("X-Api-Key") == s2Key)
				}
			}
			if len(w.s2.Requests()) != 1 {
				t.Errorf("%d Semantic Scholar requests, want 1", len(w.s2.Requests()))
			}
			for _, q := range w.arxiv.Requests() {
				if strings.Contains(fmt.Sprint(q.Header, q.RawQuery), s2Key) {
					t.Errorf("the key went to arXiv: %s", q.Path)
				}
			}
			for _, q := range w.gh.Requests() {
				if strings.Contains(fmt.Sprint(q.Header), s2Key) {
					t.Errorf("the key went to GitHub: %s", q.Path)
				}
			}
			// The refused run: a wrong key's 403 is logged (-v) and kept in
			// the cache as the failure, without the key.
			bad := runEnv(t, w.dir, []string{name + "=" + s2Key + "x"}, w.args("crawl", "-v", "-citations-max-age", "0", "-pages=false")...)
			places := map[string][]byte{"stdout": []byte(r.stdout), "stderr": []byte(r.stderr),
				"stdout of the refused run": []byte(bad.stdout), "stderr of the refused run": []byte(bad.stderr)}
			for _, f := range []string{"papers.json", "papers.md", "cache.db"} {
				b, err := os.ReadFile(filepath.Join(w.dir, f))
				if err != nil {
					t.Fatal(err)
				}
				places[f] = b
			}
			for where, b := range places {
				if bytes.Contains(b, []byte(s2Key)) {
					t.Errorf("the key is in %s", where)
				}
			}
			if !strings.Contains(bad.stderr, "403") {
				t.Errorf("the refused run (exit %d) does not say 403:\n%s", bad.code, bad.stderr)
			}
		})
	}
}

// titleList is a list of 50 title-only entries, 45 of them papers the
// fake arXiv knows, one a title two of its papers have, and 2 DOI links
// Semantic Scholar knows the arXiv id of; known maps each known title to
// its id.
func titleWorld(t *testing.T) (w *world, list string, known map[string]string, twice string) {
	t.Helper()
	w = newWorld(t, worldOptions{})
	known = map[string]string{}
	var md strings.Builder
	md.WriteString("# Titles\n\n## Papers\n\n")
	published := time.Date(2024, 3, 1, 0, 0, 0, 0, time.UTC)
	words := []string{"Sparse", "Dense", "Gated", "Linear", "Rotary", "Mixture", "Quantized", "Distilled", "Recurrent"}
	for i := 0; i < 50; i++ {
		title := fmt.Sprintf("%s %s Attention for Long Context Models Variant %d", words[i%len(words)], words[(i/len(words))%len(words)], i)
		fmt.Fprintf(&md, "- **%s**\n", title)
		switch {
		case i < 45:
			id := fmt.Sprintf("2403.%05d", 100+i)
			known[title] = id
			w.arxiv.Add(arxivtest.Paper{ID: id, Version: 1, Title: title, Published: published, Updated: published,
				Authors: []paperlist.Author{{Name: "A. Author"}}, PrimaryCategory: "cs.CL", Categories: []string{"cs.CL"}})
		case i == 45:
			twice = title
			for j, id := range []string{"2403.00901", "2403.00902"} {
				w.arxiv.Add(arxivtest.Paper{ID: id, Version: 1 + j, Title: title, Published: published, Updated: published,
					Authors: []paperlist.Author{{Name: "B. Author"}}, PrimaryCategory: "cs.CL", Categories: []string{"cs.CL"}})
			}
		}
	}
	for i, id := range []string{"2403.00801", "2403.00802"} {
		title := fmt.Sprintf("A Paper Published Elsewhere %d", i)
		doi := fmt.Sprintf("10.18653/v1/2024.acl-long.%d", i+1)
		w.arxiv.Add(arxivtest.Paper{ID: id, Version: 1, Title: title, Published: published, Updated: published,
			Authors: []paperlist.Author{{Name: "C. Author"}}, PrimaryCategory: "cs.CL", Categories: []string{"cs.CL"}})
		w.s2.Add(s2test.Paper{Title: title, ArxivID: id, DOI: doi, Venue: "Annual Meeting of the Association for Computational Linguistics", Citations: 10 + i})
		fmt.Fprintf(&md, "- [%s](https://doi.org/%s)\n", title, doi)
	}
	list = filepath.Join(t.TempDir(), "titles.md")
	if err := os.WriteFile(list, []byte(md.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	return w, list, known, twice
}

// TestPaperBehindEveryTitle: the titles the fake arXiv knows are found,
// each asked once, in at most 6 searches; a title two papers have is left
// alone; the DOI-linked papers get their id from Semantic Scholar; the
// found ids are fetched from arXiv in the same run; a warm rerun searches
// nothing.
func TestPaperBehindEveryTitle(t *testing.T) {
	t.Parallel()
	w, list, known, twice := titleWorld(t)
	r := runPaperlist(t, w.args("crawl", "-pages=false", list)...)
	wantCode(t, r, 0)
	asked := map[string]int{}
	searches := 0
	for _, q := range w.arxiv.Requests() {
		v, err := url.ParseQuery(q.RawQuery)
		if err != nil || v.Get("search_query") == "" {
			continue
		}
		searches++
		for title := range known {
			if strings.Contains(v.Get("search_query"), `"`+title+`"`) {
				asked[title]++
			}
		}
	}
	t.Logf("%d title search requests for 50 titles", searches)
	if searches == 0 || searches > 6 {
		t.Errorf("%d title search requests, want 1 to 6", searches)
	}
	for title := range known {
		if asked[title] != 1 {
			t.Errorf("%q asked in %d searches, want 1", title, asked[title])
		}
	}
	d := readDataset(t, w.dir)
	for _, p := range d.Papers {
		switch {
		case known[p.Title] != "":
			if p.ArxivID != known[p.Title] || p.ArxivIDSource != paperlist.ArxivIDFromTitleSearch || p.Arxiv == nil || p.Citations == nil {
				t.Errorf("%q: id %q (%s), arXiv record %v, citations %v; want %s from the title search, fetched and cited",
					p.Title, p.ArxivID, p.ArxivIDSource, p.Arxiv != nil, deref(p.Citations), known[p.Title])
			}
		case p.Title == twice:
			if p.ArxivID != "" {
				t.Errorf("%q, a title of two papers, got %s", p.Title, p.ArxivID)
			}
		case strings.HasPrefix(p.Title, "A Paper Published Elsewhere"):
			if p.ArxivIDSource != paperlist.ArxivIDFromSemanticScholar || p.Arxiv == nil || p.DOI == "" {
				t.Errorf("%q: id %q (%s), arXiv record %v, doi %q; want the id from Semantic Scholar", p.Title, p.ArxivID, p.ArxivIDSource, p.Arxiv != nil, p.DOI)
			}
		default:
			if p.ArxivID != "" {
				t.Errorf("%q, a title arXiv does not know, got %s", p.Title, p.ArxivID)
			}
		}
	}

	w.reset()
	r = runPaperlist(t, w.args("crawl", "-pages=false", list)...)
	wantCode(t, r, 0)
	for _, q := range w.arxiv.Requests() {
		if strings.Contains(q.RawQuery, "search_query") {
			t.Errorf("warm rerun searched: %s", q.RawQuery)
		}
	}
	if n := len(w.s2.Requests()); n != 0 {
		t.Errorf("warm rerun: %d Semantic Scholar requests", n)
	}
	d2 := readDataset(t, w.dir)
	for i, p := range d2.Papers {
		if p.ArxivID != d.Papers[i].ArxivID || p.ArxivIDSource != d.Papers[i].ArxivIDSource {
			t.Errorf("warm rerun: %q got %q (%s), the cold run %q", p.Title, p.ArxivID, p.ArxivIDSource, d.Papers[i].ArxivID)
		}
	}
}

// TestFixAddLinks: fix -add-links -d shows the arXiv links found, after
// each title, and nothing else; without -add-links fix adds none.
func TestFixAddLinks(t *testing.T) {
	t.Parallel()
	w, list, known, _ := titleWorld(t)
	src, err := os.ReadFile(list)
	if err != nil {
		t.Fatal(err)
	}
	plain := runPaperlist(t, w.fixArgs("-d", list)...)
	if plain.stdout != "" {
		t.Errorf("fix -d without -add-links printed a diff:\n%s", plain.stdout)
	}
	r := runPaperlist(t, w.fixArgs("-add-links", "-d", list)...)
	wantCode(t, r, 0)
	var removed, added []string
	for _, line := range strings.Split(r.stdout, "\n") {
		switch {
		case strings.HasPrefix(line, "---"), strings.HasPrefix(line, "+++"):
		case strings.HasPrefix(line, "-"):
			removed = append(removed, line[1:])
		case strings.HasPrefix(line, "+"):
			added = append(added, line[1:])
		}
	}
	if len(removed) != len(known)+2 || len(added) != len(removed) {
		t.Fatalf("the diff changes %d lines into %d, want %d:\n%s", len(removed), len(added), len(known)+2, r.stdout)
	}
	for i, old := range removed {
		rest, ok := strings.CutPrefix(added[i], old+" [[arXiv](https://arxiv.org/abs/")
		id := strings.TrimSuffix(rest, ")]")
		if !ok || !strings.HasSuffix(rest, ")]") || !paperlist.PlausibleArxivID(id) || !strings.Contains(string(src), old+"\n") {
			t.Errorf("changed %q into %q, want the arXiv link added after the title", old, added[i])
		}
	}
	if n := strings.Count(r.stderr, "added: [arXiv]("); n != len(known)+2 ||
		strings.Count(r.stderr, "(found by an arXiv title search)") != len(known) ||
		strings.Count(r.stderr, "(found by Semantic Scholar's record of https://doi.org/") != 2 {
		t.Errorf("stderr has %d added lines, want %d saying how each was found:\n%s", n, len(known)+2, r.stderr)
	}
}

func readDataset(t *testing.T, dir string) *paperlist.Dataset {
	t.Helper()
	j, err := os.ReadFile(filepath.Join(dir, "papers.json"))
	if err != nil {
		t.Fatal(err)
	}
	validate(t, j)
	d := &paperlist.Dataset{}
	if err := json.Unmarshal(j, d); err != nil {
		t.Fatalf("papers.json: %v", err)
	}
	return d
}

func idsOf(reqs []s2test.Request) [][]string {
	var out [][]string
	for _, q := range reqs {
		out = append(out, q.IDs)
	}
	return out
}

func statuses(reqs []s2test.Request) []int {
	var out []int
	for _, q := range reqs {
		out = append(out, q.Status)
	}
	return out
}

// TestCitationsOff: with -citations=false no field comes from Semantic
// Scholar, online or offline, though the cache holds its records, and no
// arXiv id it found is used; the ids the title searches found stay.
func TestCitationsOff(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name  string
		extra []string
	}{
		{"offline", []string{"-offline"}},
		{"online", []string{"-pages=false"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			w, list, known, _ := titleWorld(t)
			wantCode(t, runPaperlist(t, w.args("crawl", "-pages=false", list)...), 0)
			w.reset()
			args := append(append([]string{"-citations=false"}, tc.extra...), list)
			r := runPaperlist(t, w.args("crawl", args...)...)
			wantCode(t, r, 0)
			if n := len(w.s2.Requests()); n != 0 {
				t.Errorf("%d Semantic Scholar requests with -citations=false", n)
			}
			_, md, d := w.outputs(t)
			if strings.Contains(md, "📄") || strings.Contains(md, " citations") {
				t.Errorf("papers.md shows citations with -citations=false:\n%s", md)
			}
			titled := 0
			for _, p := range d.Papers {
				if p.Citations != nil || p.InfluentialCitations != nil || p.ScholarVenue != "" || p.SemanticScholarURL != "" || p.OpenAccessPDF != "" {
					t.Errorf("%q: citations %v, venue %q, url %q, pdf %q from Semantic Scholar with -citations=false",
						p.Title, deref(p.Citations), p.ScholarVenue, p.SemanticScholarURL, p.OpenAccessPDF)
				}
				if p.ArxivIDSource == paperlist.ArxivIDFromSemanticScholar {
					t.Errorf("%q: arXiv id %s found by Semantic Scholar with -citations=false", p.Title, p.ArxivID)
				}
				if id := known[p.Title]; id != "" && p.ArxivID == id && p.ArxivIDSource == paperlist.ArxivIDFromTitleSearch {
					titled++
				}
			}
			if titled != len(known) {
				t.Errorf("%d papers keep the id their title search found, want %d", titled, len(known))
			}
		})
	}
}
