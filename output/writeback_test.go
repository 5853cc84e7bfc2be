package output

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
)

// TestWriteback checks that the writer under WriteTemp passes every byte
// through in order and starts the writeback of each writebackEvery bytes
// once, whatever the sizes of the writes.
func TestWriteback(t *testing.T) {
	tests := []struct {
		name        string
		writes      []int
		wantStarted int64
	}{
		{"a small file starts none", []int{10, 20}, 0},
		{"one write of exactly the step", []int{writebackEvery}, writebackEvery},
		{"buffer-sized writes across two steps", repeat(writeBufferSize, 2*writebackEvery/writeBufferSize+3), 2 * writebackEvery},
		{"uneven writes", []int{writebackEvery - 1, 2, writebackEvery, 5}, 2*writebackEvery + 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, err := os.Create(filepath.Join(t.TempDir(), "out"))
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			w := &writeback{f: f}
			var want bytes.Buffer
			for i, n := range tt.writes {
				p := bytes.Repeat([]byte{byte('a' + i%26)}, n)
				want.Write(p)
				if m, err := w.Write(p); err != nil || m != n {
					t.Fatalf("write %d: %d, %v; want %d, nil", i, m, err, n)
				}
			}
			if w.started != tt.wantStarted {
				t.Errorf("writeback started for %d bytes, want %d", w.started, tt.wantStarted)
			}
			got, err := os.ReadFile(f.Name())
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(got, want.Bytes()) {
				t.Errorf("file holds %d bytes, not the %d written", len(got), want.Len())
			}
		})
	}
}

func repeat(n, times int) []int {
	out := make([]int, times)
	for i := range out {
		out[i] = n
	}
	return out
}
