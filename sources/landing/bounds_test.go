package landing_test

import (
	"bytes"
	"context"
	"fmt"
	"html"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/paperlist/paperlist"
	"github.com/paperlist/paperlist/sources/landing"
)

// TestFetchPageBoundsStrings serves a landing page with megabyte meta
// tags.
func TestFetchPageBoundsStrings(t *testing.T) {
	huge := html.EscapeString(strings.Repeat("ü", 1<<17)) // 256 KiB each, under the page limit
	var page strings.Builder
	page.WriteString("<html><head>")
	fmt.Fprintf(&page, `<meta name="citation_title" content="%s">`, huge)
	fmt.Fprintf(&page, `<meta name="citation_abstract" content="%s">`, huge)
	for range 3 {
		fmt.Fprintf(&page, `<meta name="citation_author" content="%s">`, huge)
	}
	fmt.Fprintf(&page, `<meta name="citation_publication_date" content="%s">`, huge)
	page.WriteString("</head><body></body></html>")
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprint(w, page.String())
	}))
	t.Cleanup(ts.Close)
	var logs bytes.Buffer
	p := landing.New(landing.Options{HTTPClient: &http.Client{Timeout: 10 * time.Second}, Logger: slog.New(slog.NewTextHandler(&logs, nil))})
	res := p.FetchPage(context.Background(), ts.URL+"/paper")
	if res.Err != nil || res.Page == nil {
		t.Fatalf("%+v", res)
	}
	r := res.Page
	if n := utf8.RuneCountInString(r.Title); n != paperlist.MaxTitleLen {
		t.Errorf("title of %d characters", n)
	}
	if n := utf8.RuneCountInString(r.Abstract); n != paperlist.MaxAbstractLen {
		t.Errorf("abstract of %d characters", n)
	}
	if n := utf8.RuneCountInString(r.Published); n > paperlist.MaxNameLen {
		t.Errorf("published of %d characters", n)
	}
	for _, a := range r.Authors {
		if n := utf8.RuneCountInString(a); n > paperlist.MaxNameLen {
			t.Errorf("author of %d characters", n)
		}
	}
	if !strings.Contains(logs.String(), "answer longer than paperlist keeps") {
		t.Errorf("the cut was not logged:\n%s", logs.String())
	}
}
