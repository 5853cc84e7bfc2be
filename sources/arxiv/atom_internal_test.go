package arxiv

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/paperlist/paperlist"
	"github.com/paperlist/paperlist/sources/arxiv/arxivtest"
)

func TestParseFeedRefusesWhatIsNoFeed(t *testing.T) {
	tests := []struct {
		name, body string
	}{
		{"empty", ""},
		{"white space", "  \n"},
		{"plain text", "Rate exceeded."},
		{"HTML page", "<!DOCTYPE html><html><head><title>Error</title></head><body>down</body></html>"},
		{"another root", `<?xml version="1.0"?><rss version="2.0"><channel/></rss>`},
		{"feed outside the Atom namespace", `<feed><entry><id>http://arxiv.org/abs/2302.13971v1</id></entry></feed>`},
		{"truncated", `<feed xmlns="http://www.w3.org/2005/Atom"><entry><id>http://arxiv.org/abs/2302.13971v1</id><title>LLa`},
		{"mismatched tags", `<feed xmlns="http://www.w3.org/2005/Atom"><entry></summary></feed>`},
		{"binary", "\x00\x01\x02\xff\xfe"},
		{"two roots", `<feed xmlns="http://www.w3.org/2005/Atom"></feed><feed xmlns="http://www.w3.org/2005/Atom"></feed>`},
		{"undefined entity", `<feed xmlns="http://www.w3.org/2005/Atom"><title>&nbsp;</title></feed>`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, err := parseFeed([]byte(tt.body))
			if !errors.Is(err, paperlist.ErrInvalidResponse) {
				t.Errorf("parseFeed = %v, %v; want an error wrapping ErrInvalidResponse", f, err)
			}
		})
	}
}

func TestEntryLinksHTTPOnly(t *testing.T) {
	// papers.json carries http(s) links only: an answer's javascript: or
	// data: link is dropped, and a later http(s) one of the kind is kept.
	f, err := parseFeed([]byte(`<feed xmlns="http://www.w3.org/2005/Atom"><entry><id>http://arxiv.org/abs/2302.13971v1</id><title>T</title>` +
		`<link href="javascript:alert(1)" rel="alternate" type="text/html"/>` +
		`<link title="pdf" href="data:text/html,x" rel="related" type="application/pdf"/>` +
		`<link href="https://arxiv.org/abs/2302.13971v1" rel="alternate" type="text/html"/></entry></feed>`))
	if err != nil {
		t.Fatal(err)
	}
	r, ok := f.Entries[0].record(time.Time{})
	if !ok {
		t.Fatal("no record")
	}
	if r.AbsURL != "https://arxiv.org/abs/2302.13971v1" || r.PDFURL != "" {
		t.Errorf("AbsURL, PDFURL = %q, %q; want the https page and no PDF", r.AbsURL, r.PDFURL)
	}
}

func TestEntryWithoutID(t *testing.T) {
	// arXiv once answered unknown ids with an entry lacking an <id>.
	f, err := parseFeed([]byte(`<feed xmlns="http://www.w3.org/2005/Atom"><entry><title>Error</title></entry></feed>`))
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := f.Entries[0].record(time.Time{}); ok {
		t.Error("an entry without an id made a record")
	}
}

func TestWithdrawn(t *testing.T) {
	tests := []struct {
		comment string
		want    bool
	}{
		{"This paper has been withdrawn by the author", true},
		{"withdrawn", true},
		{"Withdrawn due to an error in Lemma 2", true},
		{"20 pages, 3 figures", false},
		{"", false},
		{"withdrawnness is not a word", false},
	}
	for _, tt := range tests {
		if got := isWithdrawn(tt.comment); got != tt.want {
			t.Errorf("isWithdrawn(%q) = %v, want %v", tt.comment, got, tt.want)
		}
	}
}

// generatedFeed is an arxivtest answer for n ids.
func generatedFeed(b *testing.B, n int) []byte {
	b.Helper()
	srv := arxivtest.NewServer(arxivtest.Options{Generate: true})
	defer srv.Close()
	ids := make([]string, n)
	for i := range ids {
		ids[i] = fmt.Sprintf("2306.%05d", i+1)
	}
	resp, err := http.Get(fmt.Sprintf("%s?max_results=%d&id_list=%s", srv.URL(), n, strings.Join(ids, ",")))
	if err != nil {
		b.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		b.Fatal(err)
	}
	return body
}

func BenchmarkParseFeed(b *testing.B) {
	search, err := os.ReadFile(filepath.Join("testdata", "search_testing.xml"))
	if err != nil {
		b.Fatalf("the recorded responses are missing: %v", err)
	}
	for _, bc := range []struct {
		name    string
		body    []byte
		entries int
	}{
		{"search_testing.xml/10", search, 10},
		{"generated/100", generatedFeed(b, 100), 100},
	} {
		b.Run(bc.name, func(b *testing.B) {
			now := time.Now()
			b.SetBytes(int64(len(bc.body)))
			b.ReportAllocs()
			for b.Loop() {
				f, err := parseFeed(bc.body)
				if err != nil {
					b.Fatal(err)
				}
				n := 0
				for i := range f.Entries {
					if _, ok := f.Entries[i].record(now); ok {
						n++
					}
				}
				if n != bc.entries {
					b.Fatalf("%d records, want %d", n, bc.entries)
				}
			}
		})
	}
}
