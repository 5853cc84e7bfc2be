package output_test

import (
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"testing"

	"github.com/paperlist/paperlist/output"
)

func TestWriteTemp(t *testing.T) {
	failed := errors.New("write failed")
	tests := []struct {
		name    string
		perm    fs.FileMode
		write   func(io.Writer) error
		want    string
		wantErr error
	}{
		{"shared output", 0o644, func(w io.Writer) error { _, err := io.WriteString(w, "papers"); return err }, "papers", nil},
		{"a list kept private", 0o600, func(w io.Writer) error { _, err := io.WriteString(w, "list"); return err }, "list", nil},
		{"a failing writer leaves nothing", 0o644, func(w io.Writer) error { io.WriteString(w, "part"); return failed }, "", failed},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			path, err := output.WriteTemp(dir, ".out.*.tmp", tt.perm, tt.write)
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("WriteTemp: %v, want %v", err, tt.wantErr)
			}
			entries, _ := os.ReadDir(dir)
			if err != nil {
				if len(entries) != 0 {
					t.Errorf("left %d files behind", len(entries))
				}
				return
			}
			if filepath.Dir(path) != dir || len(entries) != 1 {
				t.Fatalf("path %s, %d files in %s", path, len(entries), dir)
			}
			got, err := os.ReadFile(path)
			if err != nil || string(got) != tt.want {
				t.Errorf("file holds %q (%v), want %q", got, err, tt.want)
			}
			fi, err := os.Stat(path)
			if err != nil {
				t.Fatal(err)
			}
			if fi.Mode().Perm() != tt.perm {
				t.Errorf("mode %v, want %v", fi.Mode().Perm(), tt.perm)
			}
		})
	}
}
