package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/paperlist/paperlist/store"
)

const sameFileList = "# Papers\n\n## Pruning\n\n- LLM-Pruner [[paper](https://arxiv.org/abs/2305.11627)]\n"

// TestOutputsApartFromInputs runs offline with an output that is the
// list or the cache, by name, by a link, or by a path not yet made: the
// run must refuse in one line and leave every file as it was.
func TestOutputsApartFromInputs(t *testing.T) {
	tests := []struct {
		name string
		// setup makes the files in dir and returns the flags and the list
		// argument, and the file that must stay as it was.
		setup     func(t *testing.T, dir string) (args []string, keep string)
		wantWhich string // "list" or "cache"; empty: the run goes on
	}{
		{
			name: "list is OUT/papers.md",
			setup: func(t *testing.T, dir string) ([]string, string) {
				list := writeFile(t, filepath.Join(dir, "papers.md"), sameFileList)
				return []string{"-out", dir, "-db", filepath.Join(dir, "cache.db"), list}, list
			},
			wantWhich: "list",
		},
		{
			name: "list given by a relative path",
			setup: func(t *testing.T, dir string) ([]string, string) {
				list := writeFile(t, filepath.Join(dir, "papers.md"), sameFileList)
				t.Chdir(dir)
				return []string{"-out", ".", "-db", "cache.db", "./sub/../papers.md"}, list
			},
			wantWhich: "list",
		},
		{
			name: "OUT/papers.md is a symbolic link to the list",
			setup: func(t *testing.T, dir string) ([]string, string) {
				list := writeFile(t, filepath.Join(dir, "lists", "README.md"), sameFileList)
				out := mkdir(t, filepath.Join(dir, "site"))
				symlink(t, list, filepath.Join(out, "papers.md"))
				return []string{"-out", out, "-db", filepath.Join(dir, "cache.db"), list}, list
			},
			wantWhich: "list",
		},
		{
			name: "the list is a symbolic link to OUT/papers.md",
			setup: func(t *testing.T, dir string) ([]string, string) {
				target := writeFile(t, filepath.Join(dir, "site", "papers.md"), sameFileList)
				symlink(t, target, filepath.Join(dir, "README.md"))
				return []string{"-out", filepath.Join(dir, "site"), "-db", filepath.Join(dir, "cache.db"), filepath.Join(dir, "README.md")}, target
			},
			wantWhich: "list",
		},
		{
			name: "OUT/papers.md is a hard link to the list",
			setup: func(t *testing.T, dir string) ([]string, string) {
				list := writeFile(t, filepath.Join(dir, "README.md"), sameFileList)
				out := mkdir(t, filepath.Join(dir, "site"))
				if err := os.Link(list, filepath.Join(out, "papers.md")); err != nil {
					t.Skip(err)
				}
				return []string{"-out", out, "-db", filepath.Join(dir, "cache.db"), list}, list
			},
			wantWhich: "list",
		},
		{
			name: "cache named OUT/papers.json",
			setup: func(t *testing.T, dir string) ([]string, string) {
				db := filepath.Join(dir, "papers.json")
				makeCache(t, db)
				return []string{"-out", dir, "-db", db}, db
			},
			wantWhich: "cache",
		},
		{
			name: "cache not made yet, through a linked folder",
			setup: func(t *testing.T, dir string) ([]string, string) {
				out := mkdir(t, filepath.Join(dir, "site"))
				symlink(t, out, filepath.Join(dir, "link"))
				return []string{"-out", out, "-db", filepath.Join(dir, "link", "papers.md")}, ""
			},
			wantWhich: "cache",
		},
		{
			name: "OUT/papers.json a dangling link to the cache not made yet",
			setup: func(t *testing.T, dir string) ([]string, string) {
				out := mkdir(t, filepath.Join(dir, "site"))
				symlink(t, filepath.Join("..", "cache.db"), filepath.Join(out, "papers.json"))
				return []string{"-out", out, "-db", filepath.Join(dir, "cache.db")}, ""
			},
			wantWhich: "cache",
		},
		{
			name: "list and cache apart from the outputs",
			setup: func(t *testing.T, dir string) ([]string, string) {
				list := writeFile(t, filepath.Join(dir, "README.md"), sameFileList)
				db := filepath.Join(dir, "cache.db")
				makeCache(t, db)
				return []string{"-out", mkdir(t, filepath.Join(dir, "site")), "-db", db, list}, list
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			args, keep := tt.setup(t, dir)
			var before []byte
			if keep != "" {
				before = readFile(t, keep)
			}
			r := runMain(t, nil, append([]string{"crawl", "-offline", "-progress=false"}, args...)...)
			if keep != "" {
				if after := readFile(t, keep); string(after) != string(before) {
					t.Errorf("%s was overwritten", keep)
				}
			}
			if tt.wantWhich == "" {
				if r.code != exitOK {
					t.Fatalf("exit %d, stderr %q", r.code, r.stderr)
				}
				return
			}
			if r.code != exitFatal {
				t.Fatalf("exit %d, want %d; stderr %q", r.code, exitFatal, r.stderr)
			}
			if !strings.Contains(r.stderr, "would overwrite the "+tt.wantWhich) || strings.Count(r.stderr, "\n") != 1 {
				t.Errorf("stderr %q, want one line saying it would overwrite the %s", r.stderr, tt.wantWhich)
			}
		})
	}
}

func writeFile(t *testing.T, path, content string) string {
	t.Helper()
	mkdir(t, filepath.Dir(path))
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func readFile(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func mkdir(t *testing.T, path string) string {
	t.Helper()
	if err := os.MkdirAll(path, 0o755); err != nil {
		t.Fatal(err)
	}
	return path
}

func symlink(t *testing.T, target, link string) {
	t.Helper()
	if err := os.Symlink(target, link); err != nil {
		t.Skip(err)
	}
}

func makeCache(t *testing.T, path string) {
	t.Helper()
	s, err := store.Open(path, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
}
