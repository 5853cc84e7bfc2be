package semanticscholar

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/paperlist/paperlist/sources/semanticscholar/s2test"
)

// BenchmarkParseBatch reads a full batch answer: 500 papers with every
// field the client asks for, as the fake writes them.
func BenchmarkParseBatch(b *testing.B) {
	srv := s2test.NewServer(s2test.Options{Generate: true})
	defer srv.Close()
	ids := make([]string, MaxBatch)
	for i := range ids {
		ids[i] = fmt.Sprintf("ARXIV:2301.%05d", i+1)
	}
	reqBody, _ := json.Marshal(map[string][]string{"ids": ids})
	req, err := http.NewRequestWithContext(context.Background(), http.MethodPost,
		srv.URL()+"/paper/batch?fields="+strings.Join(Fields, ","), bytes.NewReader(reqBody))
	if err != nil {
		b.Fatal(err)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		b.Fatal(err)
	}
	body, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil || resp.StatusCode != http.StatusOK {
		b.Fatalf("%v, status %d", err, resp.StatusCode)
	}
	b.SetBytes(int64(len(body)))
	b.ReportAllocs()
	for b.Loop() {
		items, err := parseBatch(body, MaxBatch)
		if err != nil {
			b.Fatal(err)
		}
		for _, raw := range items {
			if r, err := parsePaper(raw); err != nil || r == nil {
				b.Fatalf("%v, %v", r, err)
			}
		}
	}
}
