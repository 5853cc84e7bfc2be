package s2test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"hash/fnv"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
)

// MaxBatch is the most ids a batch request may ask for.
const MaxBatch = 500

// maxRequestBody bounds the body the server reads: 500 long URLs.
const maxRequestBody = 4 << 20

// knownFields are the fields the server answers, in the order the real
// API writes them in a paper; any other field is refused as unknown, as
// the real API refuses a field it does not have.
var knownFields = []string{
	"paperId", "externalIds", "corpusId", "publicationVenue", "url", "title", "venue", "year",
	"referenceCount", "citationCount", "influentialCitationCount", "isOpenAccess", "openAccessPdf",
	"publicationDate",
}

// defaultFields are the fields of a request without fields=.
var defaultFields = []string{"paperId", "title"}

// readBody reads a request's body up to maxRequestBody, and puts it back
// for the handler.
func readBody(r *http.Request) []byte {
	if r.Body == nil {
		return nil
	}
	b, _ := io.ReadAll(io.LimitReader(r.Body, maxRequestBody+1))
	r.Body = io.NopCloser(bytes.NewReader(b))
	return b
}

// requestedIDs are the ids a request asks for.
func requestedIDs(r *http.Request, body []byte) []string {
	if r.URL.Path != "/graph/v1/paper/batch" {
		return []string{pathID(r)}
	}
	var b struct {
		IDs []string `json:"ids"`
	}
	_ = json.Unmarshal(body, &b)
	return b.IDs
}

// fields reads fields=, answering 400 and returning false for an unknown
// field.
func fields(w http.ResponseWriter, r *http.Request) ([]string, bool) {
	raw := r.URL.Query().Get("fields")
	if raw == "" {
		return defaultFields, true
	}
	asked := make(map[string]bool)
	var unknown []string
	for f := range strings.SplitSeq(raw, ",") {
		f = strings.TrimSpace(f)
		if f == "" {
			continue
		}
		if !isKnown(f) {
			unknown = append(unknown, f)
		}
		asked[f] = true
	}
	if len(unknown) > 0 {
		writeError(w, http.StatusBadRequest, "Unrecognized or unsupported fields: ["+strings.Join(unknown, ", ")+"]")
		return nil, false
	}
	out := []string{"paperId"}
	for _, f := range knownFields[1:] {
		if asked[f] {
			out = append(out, f)
		}
	}
	return out, true
}

func isKnown(f string) bool {
	for _, k := range knownFields {
		if k == f {
			return true
		}
	}
	return false
}

// serveBatch answers POST /graph/v1/paper/batch.
func (s *Server) serveBatch(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		writeJSON(w, http.StatusMethodNotAllowed, `{"message":"Method Not Allowed"}`)
		return
	}
	fs, ok := fields(w, r)
	if !ok {
		return
	}
	body, _ := io.ReadAll(r.Body)
	var req struct {
		IDs *[]json.RawMessage `json:"ids"`
	}
	if err := json.Unmarshal(body, &req); err != nil || req.IDs == nil {
		writeError(w, http.StatusBadRequest, `Unacceptable JSON: expected {"ids": [...]}`)
		return
	}
	if len(*req.IDs) > MaxBatch {
		writeError(w, http.StatusBadRequest, fmt.Sprintf("Cannot process more than %d ids in a single request", MaxBatch))
		return
	}
	var b bytes.Buffer
	b.WriteByte('[')
	for i, raw := range *req.IDs {
		if i > 0 {
			b.WriteString(", ")
		}
		var id string
		p, ok := Paper{}, false
		if json.Unmarshal(raw, &id) == nil {
			p, ok = s.lookup(id)
		}
		if !ok {
			b.WriteString("null")
			continue
		}
		writePaper(&b, p, fs)
	}
	b.WriteByte(']')
	writeJSON(w, http.StatusOK, b.String())
}

// servePaper answers GET /graph/v1/paper/{id}.
func (s *Server) servePaper(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet {
		w.Header().Set("Allow", http.MethodGet)
		writeJSON(w, http.StatusMethodNotAllowed, `{"message":"Method Not Allowed"}`)
		return
	}
	// The real API looks the paper up before it reads the fields: an
	// unknown paper is a 404 whatever the fields.
	id := pathID(r)
	p, found := s.lookup(id)
	if !found {
		writeError(w, http.StatusNotFound, "Paper with id "+id+" not found")
		return
	}
	fs, ok := fields(w, r)
	if !ok {
		return
	}
	var b bytes.Buffer
	writePaper(&b, p, fs)
	writeJSON(w, http.StatusOK, b.String())
}

var (
	newArxivID = regexp.MustCompile(`^\d{4}\.\d{4,5}$`)
	hexID      = regexp.MustCompile(`^[0-9a-f]{40}$`)
)

// lookup finds the paper an id names.
func (s *Server) lookup(id string) (Paper, bool) {
	kind, value, found := strings.Cut(id, ":")
	if !found || strings.HasPrefix(strings.ToLower(id), "http") {
		kind, value = "", id
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	var match func(Paper) bool
	switch strings.ToUpper(kind) {
	case "ARXIV":
		match = func(p Paper) bool { return p.ArxivID != "" && p.ArxivID == value }
	case "DOI":
		match = func(p Paper) bool { return p.DOI != "" && strings.EqualFold(p.DOI, value) }
	case "URL":
		u := pageKey(value)
		match = func(p Paper) bool {
			for _, page := range pages(p) {
				if pageKey(page) == u {
					return true
				}
			}
			return false
		}
	case "CORPUSID":
		n, err := strconv.ParseInt(value, 10, 64)
		match = func(p Paper) bool { return err == nil && p.CorpusID == n }
	case "":
		switch {
		case strings.HasPrefix(value, "10.") && strings.Contains(value, "/"):
			match = func(p Paper) bool { return p.DOI != "" && strings.EqualFold(p.DOI, value) }
		case hexID.MatchString(value):
			match = func(p Paper) bool { return p.PaperID == value }
		}
	}
	if match != nil {
		for _, p := range s.papers {
			if match(p) {
				return p, true
			}
		}
	}
	if id := generatedID(kind, value); s.opts.Generate && id != "" {
		return generate(id), true
	}
	return Paper{}, false
}

// generatedID is the arXiv id of a paper Options.Generate invents for an
// id, "" for none.
func generatedID(kind, value string) string {
	var id string
	switch strings.ToUpper(kind) {
	case "ARXIV":
		id = value
	case "DOI":
		if len(value) > len(arxivDOIPrefix) && strings.EqualFold(value[:len(arxivDOIPrefix)], arxivDOIPrefix) {
			id = value[len(arxivDOIPrefix):]
		}
	case "URL":
		if rest, ok := strings.CutPrefix(pageKey(value), "arxiv.org/"); ok {
			_, id, _ = strings.Cut(rest, "/")
		}
	}
	if !newArxivID.MatchString(id) || strings.Trim(id[strings.IndexByte(id, '.')+1:], "0") == "" {
		return ""
	}
	return id
}

// arxivDOIPrefix begins the DOI arXiv gives every paper.
const arxivDOIPrefix = "10.48550/arXiv."

// pages are the URLs a paper is found by.
func pages(p Paper) []string {
	out := append([]string(nil), p.URLs...)
	out = append(out, semanticScholarURL(p))
	if p.ArxivID != "" {
		out = append(out, "https://arxiv.org/abs/"+p.ArxivID, "https://arxiv.org/pdf/"+p.ArxivID)
	}
	return out
}

// pageKey is a URL as it is compared: without its scheme, a leading
// "www.", a version of an arXiv page, a ".pdf" or a trailing slash.
func pageKey(raw string) string {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil {
		return raw
	}
	host := strings.TrimPrefix(strings.ToLower(u.Host), "www.")
	path := strings.TrimSuffix(strings.TrimSuffix(u.Path, "/"), ".pdf")
	if host == "arxiv.org" {
		if i := strings.LastIndex(path, "v"); i > 0 && isDigits(path[i+1:]) && strings.Contains(path[:i], ".") {
			path = path[:i]
		}
	}
	return host + path
}

func isDigits(s string) bool {
	return s != "" && strings.Trim(s, "0123456789") == ""
}

func semanticScholarURL(p Paper) string {
	return "https://www.semanticscholar.org/paper/" + p.PaperID
}

// generate invents a plausible paper for an arXiv id, the same every time.
func generate(id string) Paper {
	h := fnv.New64a()
	h.Write([]byte(id))
	n := h.Sum64()
	year := 2000 + int(id[0]-'0')*10 + int(id[1]-'0')
	p := Paper{
		Title:                "Generated paper " + id,
		ArxivID:              id,
		DOI:                  arxivDOIPrefix + id,
		Venue:                "arXiv.org",
		PublicationVenue:     "arXiv.org",
		Year:                 year,
		PublicationDate:      fmt.Sprintf("%d-%s-01", year, id[2:4]),
		Citations:            int(n % 5000),
		InfluentialCitations: int(n % 5000 / 20),
		References:           int(n/5000%80) + 5,
		IsOpenAccess:         true,
		OpenAccessPDF:        "https://arxiv.org/pdf/" + id,
	}
	return complete(p)
}

// writePaper writes p as the API does, with the fields fs in the API's
// order and its spacing.
func writePaper(b *bytes.Buffer, p Paper, fs []string) {
	b.WriteByte('{')
	for i, f := range fs {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(quote(f) + ": ")
		switch f {
		case "paperId":
			b.WriteString(quote(p.PaperID))
		case "externalIds":
			b.WriteByte('{')
			if p.ArxivID != "" {
				b.WriteString(`"ArXiv": ` + quote(p.ArxivID) + ", ")
			}
			if p.DOI != "" {
				b.WriteString(`"DOI": ` + quote(p.DOI) + ", ")
			}
			b.WriteString(`"CorpusId": ` + strconv.FormatInt(p.CorpusID, 10) + "}")
		case "corpusId":
			b.WriteString(strconv.FormatInt(p.CorpusID, 10))
		case "publicationVenue":
			if p.PublicationVenue == "" {
				b.WriteString("null")
				break
			}
			sum := fnv.New32a()
			sum.Write([]byte(p.PublicationVenue))
			fmt.Fprintf(b, `{"id": "%08x-0000-4000-8000-000000000000", "name": %s, "type": "conference"}`,
				sum.Sum32(), quote(p.PublicationVenue))
		case "url":
			b.WriteString(quote(semanticScholarURL(p)))
		case "title":
			b.WriteString(quote(p.Title))
		case "venue":
			b.WriteString(quote(p.Venue))
		case "year":
			writeOptionalInt(b, p.Year)
		case "referenceCount":
			b.WriteString(strconv.Itoa(p.References))
		case "citationCount":
			b.WriteString(strconv.Itoa(p.Citations))
		case "influentialCitationCount":
			b.WriteString(strconv.Itoa(p.InfluentialCitations))
		case "isOpenAccess":
			b.WriteString(strconv.FormatBool(p.IsOpenAccess))
		case "openAccessPdf":
			if p.OpenAccessPDF == "" {
				b.WriteString("null")
				break
			}
			b.WriteString(`{"url": ` + quote(p.OpenAccessPDF) + `, "status": "GREEN"}`)
		case "publicationDate":
			if p.PublicationDate == "" {
				b.WriteString("null")
				break
			}
			b.WriteString(quote(p.PublicationDate))
		}
	}
	b.WriteByte('}')
}

func writeOptionalInt(b *bytes.Buffer, n int) {
	if n == 0 {
		b.WriteString("null")
		return
	}
	b.WriteString(strconv.Itoa(n))
}

// quote is s as a JSON string.
func quote(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}
