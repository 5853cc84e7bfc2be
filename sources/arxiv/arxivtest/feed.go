package arxivtest

import (
	"crypto/sha1"
	"encoding/base64"
	"fmt"
	"hash/fnv"
	"math/rand/v2"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/paperlist/paperlist"
)

const feedHead = `<?xml version='1.0' encoding='UTF-8'?>
<feed xmlns:opensearch="http://a9.com/-/spec/opensearch/1.1/" xmlns:arxiv="http://arxiv.org/schemas/atom" xmlns="http://www.w3.org/2005/Atom">
`

// serveQuery answers /api/query like the export API answers id_list and
// search_query requests: the papers id_list names, those of them that
// match search_query when both are given, or the papers added to the
// server that match search_query.
func (s *Server) serveQuery(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	now := s.opts.Now().UTC()
	idList := q.Get("id_list")
	ids := splitIDList(idList)

	maxResults, start := 10, 0
	if v := q.Get("max_results"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil {
			writeErrorFeed(w, now, "max_results_must_be_an_integer", "max_results must be an integer")
			return
		}
		if n < 0 {
			writeErrorFeed(w, now, "max_results_must_be_non-negative", "max_results must be non-negative")
			return
		}
		maxResults = n
	}
	if v := q.Get("start"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil {
			writeErrorFeed(w, now, "start_must_be_an_integer", "start must be an integer")
			return
		}
		if n < 0 {
			writeErrorFeed(w, now, "start_must_be_non-negative", "start must be non-negative")
			return
		}
		start = n
	}
	sortBy, sortOrder := q.Get("sortBy"), q.Get("sortOrder")
	switch sortBy {
	case "":
		sortBy = sortRelevance
	case sortRelevance, sortLastUpdated, sortSubmitted:
	default:
		writeErrorFeed(w, now, "sortBy_must_be_in_relevance,_lastUpdatedDate,_submittedDate",
			"sortBy must be in relevance, lastUpdatedDate, submittedDate")
		return
	}
	switch sortOrder {
	case "":
		sortOrder = orderDescending
	case orderAscending, orderDescending:
	default:
		writeErrorFeed(w, now, "sortOrder_must_be_in_ascending,_descending", "sortOrder must be in ascending, descending")
		return
	}
	for _, id := range ids {
		if !paperlist.ValidArxivID(id) {
			writeErrorFeed(w, now, "incorrect_id_format_for_"+id, "incorrect id format for "+id)
			return
		}
	}
	search, err := parseSearchQuery(q.Get("search_query"))
	if err != nil {
		writeErrorFeed(w, now, "invalid_search_query", "invalid search_query: "+q.Get("search_query"))
		return
	}

	s.mu.Lock()
	var garbage Garbage
	empty := false
	switch {
	case len(s.garbage) > 0:
		garbage = s.garbage[0]
		s.garbage = s.garbage[1:]
	case s.empty > 0:
		s.empty--
		empty = true
	}
	var found []entry
	switch {
	case empty:
	case len(ids) > 0:
		seen := make(map[string]bool)
		for _, id := range ids {
			e, ok := s.lookup(id)
			if ok && !seen[e.key()] && (search == nil || search.root.score(e) > 0) {
				seen[e.key()] = true
				found = append(found, e)
			}
		}
	case search != nil:
		for _, p := range s.papers {
			if e := (entry{Paper: p, version: max(p.Version, 1)}); search.root.score(e) > 0 {
				found = append(found, e)
			}
		}
	}
	s.mu.Unlock()

	if search == nil && sortBy == sortRelevance {
		// arXiv does not list id_list results in the order asked for. A
		// seeded shuffle keeps runs reproducible.
		h := fnv.New64a()
		h.Write([]byte(idList))
		rng := rand.New(rand.NewPCG(s.opts.Seed, h.Sum64()))
		rng.Shuffle(len(found), func(i, j int) { found[i], found[j] = found[j], found[i] })
	} else {
		sortEntries(found, search, sortBy, sortOrder)
	}

	total := len(found)
	page := found[min(start, total):min(start+maxResults, total)]

	echoed := ""
	if search != nil {
		echoed = search.echo
	}
	var b strings.Builder
	b.WriteString(feedHead)
	query := "search_query=" + echoed + "&id_list=" + idList +
		"&start=" + strconv.Itoa(start) + "&max_results=" + strconv.Itoa(maxResults)
	link := "https://arxiv.org/api/query?search_query=" + echoed + "&start=" + strconv.Itoa(start) +
		"&max_results=" + strconv.Itoa(maxResults) + "&id_list=" + idList
	sum := sha1.Sum([]byte(query))
	fmt.Fprintf(&b, "  <id>https://arxiv.org/api/%s</id>\n", base64.RawStdEncoding.EncodeToString(sum[:]))
	fmt.Fprintf(&b, "  <title>arXiv Query: %s</title>\n", esc(query))
	fmt.Fprintf(&b, "  <updated>%s</updated>\n", now.Format(time.RFC3339))
	fmt.Fprintf(&b, "  <link href=\"%s\" type=\"application/atom+xml\"/>\n", esc(link))
	fmt.Fprintf(&b, "  <opensearch:itemsPerPage>%d</opensearch:itemsPerPage>\n", maxResults)
	fmt.Fprintf(&b, "  <opensearch:totalResults>%d</opensearch:totalResults>\n", total)
	fmt.Fprintf(&b, "  <opensearch:startIndex>%d</opensearch:startIndex>\n", start)
	for _, e := range page {
		e.write(&b)
	}
	b.WriteString("</feed>\n")
	body := b.String()

	switch garbage {
	case GarbageTruncated:
		cut := len(body) / 2
		if i := strings.Index(body, "<entry>"); i >= 0 {
			cut = i + len("<entry>") + 40
		}
		body = body[:min(cut, len(body))]
	case GarbageHTML:
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.WriteHeader(http.StatusOK)
		_, _ = w.Write([]byte("<!DOCTYPE html>\n<html><head><title>arXiv is temporarily unavailable</title></head>\n" +
			"<body><h1>Service temporarily unavailable</h1><p>Please try again later.</p></body></html>\n"))
		return
	case GarbageMalformed:
		body = feedHead + "  <entry><id>http://arxiv.org/abs/0704.0001v1</id><title>broken &amp</title></summary>\n</feed>\n"
	}
	w.Header().Set("Content-Type", "application/atom+xml; charset=UTF-8")
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write([]byte(body))
}

// writeErrorFeed answers 400 with an error feed, in the form arXiv uses.
func writeErrorFeed(w http.ResponseWriter, now time.Time, code, message string) {
	id := "https://arxiv.org/api/errors#" + code
	var b strings.Builder
	b.WriteString(feedHead)
	b.WriteString("  <id>https://arxiv.org/</id>\n")
	b.WriteString("  <title>arXiv Search Results</title>\n")
	fmt.Fprintf(&b, "  <updated>%s</updated>\n", now.Format(time.RFC3339))
	b.WriteString("  <opensearch:itemsPerPage>1</opensearch:itemsPerPage>\n")
	b.WriteString("  <opensearch:totalResults>1</opensearch:totalResults>\n")
	b.WriteString("  <opensearch:startIndex>0</opensearch:startIndex>\n")
	b.WriteString("  <entry>\n")
	fmt.Fprintf(&b, "    <id>%s</id>\n", esc(id))
	b.WriteString("    <title>Error</title>\n")
	fmt.Fprintf(&b, "    <updated>%s</updated>\n", now.Format(time.RFC3339))
	fmt.Fprintf(&b, "    <link href=\"%s\" rel=\"alternate\" type=\"text/html\"/>\n", esc(id))
	fmt.Fprintf(&b, "    <summary>%s</summary>\n", esc(message))
	b.WriteString("    <author>\n      <name>arXiv api core</name>\n    </author>\n")
	b.WriteString("  </entry>\n</feed>\n")
	w.Header().Set("Content-Type", "application/atom+xml; charset=UTF-8")
	w.WriteHeader(http.StatusBadRequest)
	_, _ = w.Write([]byte(b.String()))
}

// entry is a paper at one version, as a feed lists it.
type entry struct {
	Paper
	version int
}

func (e entry) key() string { return e.ID + "v" + strconv.Itoa(e.version) }

// lookup finds the paper an id names, at the version it names or its
// latest. s.mu must be held.
func (s *Server) lookup(raw string) (entry, bool) {
	id, version, ok := paperlist.SplitArxivID(raw)
	if !ok {
		return entry{}, false
	}
	p, ok := s.papers[id]
	if !ok {
		if !s.opts.Generate {
			return entry{}, false
		}
		p, ok = generate(id)
		if !ok {
			return entry{}, false
		}
	}
	latest := max(p.Version, 1)
	if version == 0 {
		version = latest
	}
	if version > latest {
		return entry{}, false
	}
	return entry{Paper: p, version: version}, true
}

// updated is when this version appeared: the paper's Updated for the
// latest version, Published for any earlier one.
func (e entry) updated() time.Time {
	if e.version == max(e.Version, 1) && !e.Updated.IsZero() {
		return e.Updated
	}
	return e.Published
}

func (e entry) categories() []string {
	if len(e.Categories) > 0 {
		return e.Categories
	}
	if e.PrimaryCategory != "" {
		return []string{e.PrimaryCategory}
	}
	return nil
}

func (e entry) write(b *strings.Builder) {
	vid := e.ID + "v" + strconv.Itoa(e.version)
	b.WriteString("  <entry>\n")
	fmt.Fprintf(b, "    <id>http://arxiv.org/abs/%s</id>\n", vid)
	fmt.Fprintf(b, "    <title>%s</title>\n", esc(wrap(e.Title, 66, "\n  ")))
	fmt.Fprintf(b, "    <updated>%s</updated>\n", e.updated().UTC().Format(time.RFC3339))
	fmt.Fprintf(b, "    <link href=\"https://arxiv.org/abs/%s\" rel=\"alternate\" type=\"text/html\"/>\n", vid)
	fmt.Fprintf(b, "    <link href=\"https://arxiv.org/pdf/%s\" rel=\"related\" type=\"application/pdf\" title=\"pdf\"/>\n", vid)
	fmt.Fprintf(b, "    <summary>  %s\n</summary>\n", esc(wrap(e.Abstract, 78, "\n")))
	for _, c := range e.categories() {
		fmt.Fprintf(b, "    <category term=\"%s\" scheme=\"http://arxiv.org/schemas/atom\"/>\n", esc(c))
	}
	fmt.Fprintf(b, "    <published>%s</published>\n", e.Published.UTC().Format(time.RFC3339))
	if e.Comment != "" {
		fmt.Fprintf(b, "    <arxiv:comment>%s</arxiv:comment>\n", esc(wrap(e.Comment, 66, "\n  ")))
	}
	if pc := firstCategory(e); pc != "" {
		fmt.Fprintf(b, "    <arxiv:primary_category term=\"%s\"/>\n", esc(pc))
	}
	if e.JournalRef != "" {
		fmt.Fprintf(b, "    <arxiv:journal_ref>%s</arxiv:journal_ref>\n", esc(e.JournalRef))
	}
	for _, a := range e.Authors {
		fmt.Fprintf(b, "    <author>\n      <name>%s</name>\n", esc(a.Name))
		for _, aff := range a.Affiliations {
			fmt.Fprintf(b, "      <arxiv:affiliation>%s</arxiv:affiliation>\n", esc(aff))
		}
		b.WriteString("    </author>\n")
	}
	if e.DOI != "" {
		fmt.Fprintf(b, "    <arxiv:doi>%s</arxiv:doi>\n", esc(e.DOI))
		fmt.Fprintf(b, "    <link rel=\"related\" href=\"https://doi.org/%s\" title=\"doi\"/>\n", esc(e.DOI))
	}
	b.WriteString("  </entry>\n")
}

func firstCategory(e entry) string {
	if e.PrimaryCategory != "" {
		return e.PrimaryCategory
	}
	if cs := e.categories(); len(cs) > 0 {
		return cs[0]
	}
	return ""
}

// wrap breaks s into lines of at most width bytes at spaces, joined by sep,
// the way arXiv hard-wraps titles and abstracts.
func wrap(s string, width int, sep string) string {
	words := strings.Fields(s)
	var b strings.Builder
	line := 0
	for i, w := range words {
		switch {
		case i == 0:
		case line+1+len(w) > width:
			b.WriteString(sep)
			line = 0
		default:
			b.WriteByte(' ')
			line++
		}
		b.WriteString(w)
		line += len(w)
	}
	return b.String()
}

// esc escapes text for XML character data and attribute values, leaving
// line breaks as they are.
func esc(s string) string { return xmlEscaper.Replace(s) }

var xmlEscaper = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&quot;")
