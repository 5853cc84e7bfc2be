package markdown_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/paperlist/paperlist/sources/markdown"
)

const smallList = "# Small\n## S\n- **A Paper.** arxiv 2023. [paper](https://arxiv.org/abs/2302.13971)\n"

func TestLoadBuiltin(t *testing.T) {
	l, err := markdown.Load(context.Background(), nil, "")
	if err != nil {
		t.Fatal(err)
	}
	if l.Source != markdown.BuiltinSource || len(l.Papers) != 32 {
		t.Errorf("Load(\"\") = source %q with %d papers, want %q with 32", l.Source, len(l.Papers), markdown.BuiltinSource)
	}
}

func TestLoadFile(t *testing.T) {
	dir := t.TempDir()
	write := func(name string, data []byte) string {
		t.Helper()
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	good := write("README.md", []byte(smallList))
	big := write("big.md", []byte(strings.Repeat("x", markdown.MaxSize+1)))
	binary := write("binary.md", []byte{0xff, 0xfe, '#'})

	l, err := markdown.Load(context.Background(), nil, good)
	if err != nil {
		t.Fatal(err)
	}
	if l.Source != good || l.Title != "Small" || len(l.Papers) != 1 {
		t.Errorf("Load(%s) = source %q, title %q, %d papers", good, l.Source, l.Title, len(l.Papers))
	}

	errs := []struct {
		name, arg, want string
	}{
		{"missing", filepath.Join(dir, "missing.md"), "read list " + filepath.Join(dir, "missing.md") + ": open "},
		{"too large", big, "read list " + big + ": larger than the limit"},
		{"not UTF-8", binary, "read list " + binary + ": list is not UTF-8 text"},
		{"a folder", dir, "read list " + dir + ": "},
	}
	for _, tt := range errs {
		t.Run(tt.name, func(t *testing.T) {
			_, err := markdown.Load(context.Background(), nil, tt.arg)
			if err == nil || !strings.HasPrefix(err.Error(), tt.want) || strings.Contains(err.Error(), "\n") {
				t.Errorf("Load(%s) error = %v, want one line starting %q", tt.arg, err, tt.want)
			}
		})
	}
}

func TestLoadURL(t *testing.T) {
	mux := http.NewServeMux()
	mux.HandleFunc("/list.md", func(w http.ResponseWriter, r *http.Request) {
		w.Write([]byte(smallList))
	})
	mux.HandleFunc("/big.md", func(w http.ResponseWriter, r *http.Request) {
		w.Write([]byte(strings.Repeat("x", markdown.MaxSize+1)))
	})
	mux.HandleFunc("/gone.md", func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "gone", http.StatusNotFound)
	})
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)

	l, err := markdown.Load(context.Background(), srv.Client(), srv.URL+"/list.md")
	if err != nil {
		t.Fatal(err)
	}
	if l.Source != srv.URL+"/list.md" || len(l.Papers) != 1 {
		t.Errorf("Load(URL) = source %q with %d papers, want %q with 1", l.Source, len(l.Papers), srv.URL+"/list.md")
	}

	canceled, cancel := context.WithCancel(context.Background())
	cancel()
	tests := []struct {
		name   string
		ctx    context.Context
		client *http.Client
		path   string
		want   string
	}{
		{"not found", context.Background(), srv.Client(), "/gone.md", "status 404 Not Found"},
		{"too large", context.Background(), srv.Client(), "/big.md", "larger than the limit"},
		{"no client", context.Background(), nil, "/list.md", "no http client"},
		{"canceled", canceled, srv.Client(), "/list.md", "context canceled"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			u := srv.URL + tt.path
			_, err := markdown.Load(tt.ctx, tt.client, u)
			if err == nil || !strings.HasPrefix(err.Error(), "fetch list "+u+": ") || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("Load(%s) error = %v, want %q after the context", u, err, tt.want)
			}
		})
	}
}

func TestLoadURLHidesPassword(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "no", http.StatusUnauthorized)
	}))
	t.Cleanup(srv.Close)
	u := strings.Replace(srv.URL, "http://", "http://user:s3cret@", 1) + "/list.md"
	_, err := markdown.Load(context.Background(), srv.Client(), u)
	if err == nil || strings.Contains(err.Error(), "s3cret") {
		t.Errorf("Load error = %v, want an error without the password", err)
	}
}

func TestRedactURL(t *testing.T) {
	tests := []struct{ raw, want string }{
		{"https://example.com/README.md", "https://example.com/README.md"},
		{"https://user:s3cret@example.com/README.md", "https://user:xxxxx@example.com/README.md"},
		{"https://example.com/README.md?token=s3cret", "https://example.com/README.md?token=xxxxx"},
		{"https://example.com/r.md?ref=main&Access_Token=s3cret&sig=s3cret", "https://example.com/r.md?Access_Token=xxxxx&ref=main&sig=xxxxx"},
		{"https://example.com/r.md?ref=main", "https://example.com/r.md?ref=main"},
		{"https://example.com/%zz?token=s3cret", "(unreadable URL)"},
	}
	for _, tt := range tests {
		got := markdown.RedactURL(tt.raw)
		if got != tt.want {
			t.Errorf("RedactURL(%q) = %q, want %q", tt.raw, got, tt.want)
		}
		if strings.Contains(got, "s3cret") {
			t.Errorf("RedactURL(%q) shows the secret", tt.raw)
		}
	}
}

func TestIsURL(t *testing.T) {
	tests := []struct {
		arg  string
		want bool
	}{
		{"https://example.com/README.md", true},
		{"http://example.com/README.md", true},
		{"HTTPS://Example.com/README.md", true},
		{"Http://example.com/README.md", true},
		{"README.md", false},
		{"lists/https.md", false},
		{"https:README.md", false},
		{"ftp://example.com/README.md", false},
		{"", false},
	}
	for _, tt := range tests {
		if got := markdown.IsURL(tt.arg); got != tt.want {
			t.Errorf("IsURL(%q) = %v, want %v", tt.arg, got, tt.want)
		}
	}
}

// A scheme in capitals names a fetched list too, not a file.
func TestLoadURLInCapitals(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Write([]byte(smallList))
	}))
	t.Cleanup(srv.Close)
	u := "HTTP://" + strings.TrimPrefix(srv.URL, "http://") + "/list.md"
	l, err := markdown.Load(context.Background(), srv.Client(), u)
	if err != nil {
		t.Fatal(err)
	}
	if len(l.Papers) != 1 {
		t.Errorf("Load(%s) = %d papers, want 1", u, len(l.Papers))
	}
}
