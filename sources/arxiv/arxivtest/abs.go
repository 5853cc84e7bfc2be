package arxivtest

import (
	"fmt"
	"hash/fnv"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/paperlist/paperlist"
)

// serveAbs answers /abs/ID[vN] with an abstract page carrying the
// citation_* meta tags arXiv's pages have, or a 404 page.
func (s *Server) serveAbs(w http.ResponseWriter, r *http.Request) {
	raw := strings.TrimPrefix(r.URL.Path, "/abs/")
	s.mu.Lock()
	e, ok := s.lookup(raw)
	s.mu.Unlock()
	if !ok {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.WriteHeader(http.StatusNotFound)
		fmt.Fprintf(w, "<!DOCTYPE html>\n<html><head><title>Article identifier '%s' not recognized</title></head>\n"+
			"<body><h1>Article identifier '%s' not recognized</h1></body></html>\n", escHTML(raw), escHTML(raw))
		return
	}
	vid := e.ID + "v" + strconv.Itoa(e.version)
	var b strings.Builder
	b.WriteString("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n")
	fmt.Fprintf(&b, "<title>[%s] %s</title>\n", e.ID, escHTML(e.Title))
	fmt.Fprintf(&b, "<link rel=\"canonical\" href=\"/abs/%s\"/>", e.ID)
	b.WriteString("<meta property=\"og:type\" content=\"website\" />\n")
	b.WriteString("<meta property=\"og:site_name\" content=\"arXiv.org\" />\n")
	fmt.Fprintf(&b, "<meta property=\"og:title\" content=\"%s\" />\n", escHTML(e.Title))
	fmt.Fprintf(&b, "<meta property=\"og:url\" content=\"https://arxiv.org/abs/%s\" />\n", vid)
	fmt.Fprintf(&b, "<meta property=\"og:description\" content=\"%s\"/>\n", escHTML(e.Abstract))
	fmt.Fprintf(&b, "<meta name=\"citation_title\" content=\"%s\" />\n", escHTML(e.Title))
	for _, a := range e.Authors {
		fmt.Fprintf(&b, "<meta name=\"citation_author\" content=\"%s\" />\n", escHTML(lastFirst(a.Name)))
	}
	if e.DOI != "" {
		fmt.Fprintf(&b, "<meta name=\"citation_doi\" content=\"%s\" />\n", escHTML(e.DOI))
	}
	fmt.Fprintf(&b, "<meta name=\"citation_date\" content=\"%s\" />\n", e.Published.UTC().Format("2006/01/02"))
	fmt.Fprintf(&b, "<meta name=\"citation_online_date\" content=\"%s\" />\n", e.updated().UTC().Format("2006/01/02"))
	fmt.Fprintf(&b, "<meta name=\"citation_pdf_url\" content=\"http://arxiv.org/pdf/%s\" />\n", e.ID)
	fmt.Fprintf(&b, "<meta name=\"citation_arxiv_id\" content=\"%s\" />\n", e.ID)
	fmt.Fprintf(&b, "<meta name=\"citation_abstract\" content=\"%s\" />\n", escHTML(e.Abstract))
	b.WriteString("</head>\n<body>\n<div id=\"abs\">\n")
	fmt.Fprintf(&b, "<h1 class=\"title mathjax\"><span class=\"descriptor\">Title:</span>%s</h1>\n", escHTML(e.Title))
	fmt.Fprintf(&b, "<blockquote class=\"abstract mathjax\">\n<span class=\"descriptor\">Abstract:</span>%s\n</blockquote>\n", escHTML(e.Abstract))
	b.WriteString("</div>\n</body>\n</html>\n")
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write([]byte(b.String()))
}

// lastFirst writes "First Last" as "Last, First", the form of arXiv's
// citation_author tags.
func lastFirst(name string) string {
	i := strings.LastIndex(name, " ")
	if i < 0 {
		return name
	}
	return name[i+1:] + ", " + name[:i]
}

var htmlEscaper = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&quot;", "'", "&#39;")

func escHTML(s string) string { return htmlEscaper.Replace(s) }

// generate invents a plausible paper for a well-formed id, the same one
// every time. Ids whose number is all zeros are unknown.
func generate(id string) (Paper, bool) {
	number := id[strings.LastIndexAny(id, "./")+1:]
	if strings.Trim(number, "0") == "" {
		return Paper{}, false
	}
	h := fnv.New64a()
	h.Write([]byte(id))
	sum := h.Sum64()
	pick := func(words []string, n uint64) string { return words[(sum>>n)%uint64(len(words))] }

	published := time.Date(2007, 4, 1, 12, 0, 0, 0, time.UTC)
	if yymm := yearMonth(id); yymm != "" {
		yy, _ := strconv.Atoi(yymm[:2])
		mm, _ := strconv.Atoi(yymm[2:])
		year := 2000 + yy
		if yy >= 91 {
			year = 1900 + yy
		}
		if mm >= 1 && mm <= 12 {
			published = time.Date(year, time.Month(mm), 1+int(sum%27), 9+int(sum%9), int(sum%60), int(sum>>8%60), 0, time.UTC)
		}
	}
	version := 1 + int(sum>>16%3)
	updated := published.Add(time.Duration(version-1) * 41 * 24 * time.Hour)
	var authors []paperlist.Author
	for i := range 1 + int(sum>>20%5) {
		authors = append(authors, paperlist.Author{Name: pick(givenNames, uint64(i*7)) + " " + pick(familyNames, uint64(i*5+3))})
	}
	topic := pick(topics, 24)
	method := pick(methods, 30)
	category := pick(categories, 36)
	return Paper{
		ID:      id,
		Version: version,
		Title:   fmt.Sprintf("%s for %s: A Study of %s", method, topic, id),
		Abstract: fmt.Sprintf("We study %s with %s. Our approach improves over strong baselines on %d benchmarks "+
			"while using %d%% less memory, and we release code and models. Experiments on $O(n \\log n)$ "+
			"variants confirm the analysis.", strings.ToLower(topic), strings.ToLower(method), 2+sum%9, 10+sum%80),
		Authors:         authors,
		Published:       published,
		Updated:         updated,
		PrimaryCategory: category,
		Categories:      []string{category, "cs.AI"},
		Comment:         fmt.Sprintf("%d pages, %d figures", 8+sum%30, 1+sum%12),
	}, true
}

// yearMonth is the YYMM an id starts its number with.
func yearMonth(id string) string {
	number := id[strings.LastIndex(id, "/")+1:]
	if len(number) < 4 {
		return ""
	}
	return number[:4]
}

var (
	givenNames  = []string{"Ada", "Alan", "Grace", "Edsger", "Barbara", "Donald", "Frances", "John", "Leslie", "Radia", "Tony", "Shafi"}
	familyNames = []string{"Lovelace", "Turing", "Hopper", "Dijkstra", "Liskov", "Knuth", "Allen", "McCarthy", "Lamport", "Perlman", "Hoare", "Goldwasser", "Müller"}
	topics      = []string{"Large Language Models", "Instruction Tuning", "Long-Context Attention", "Quantization", "Retrieval", "Model Merging", "Speculative Decoding"}
	methods     = []string{"Sparse Adapters", "Low-Rank Updates", "Contrastive Pretraining", "Mixture of Experts", "Knowledge Distillation", "Preference Optimization"}
	categories  = []string{"cs.CL", "cs.LG", "cs.CV", "stat.ML"}
)
