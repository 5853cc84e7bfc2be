package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/paperlist/paperlist/sources/markdown"
)

func TestFixHelpGolden(t *testing.T) {
	r := runMain(t, nil, "fix", "-h")
	if r.code != exitOK {
		t.Fatalf("exit %d, stderr %q", r.code, r.stderr)
	}
	golden(t, "help-fix.golden", r.stdout+r.stderr)
}

func TestFixUsage(t *testing.T) {
	for _, tc := range []struct {
		name string
		args []string
		want string
	}{
		{"-w on the built-in list", []string{"fix", "-w"}, "-w needs a list file"},
		{"-w on a URL", []string{"fix", "-w", "https://example.com/README.md"}, "-w needs a list file"},
		{"no -out", []string{"fix", "-out", "x", "README.md"}, "flag provided but not defined: -out"},
		{"no -sort", []string{"fix", "-sort", "stars", "README.md"}, "flag provided but not defined: -sort"},
		{"two lists", []string{"fix", "a.md", "b.md"}, "fix takes one list"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := runMain(t, nil, append([]string{tc.args[0], "-db", t.TempDir() + "/c.db"}, tc.args[1:]...)...)
			if r.code != exitFatal || !strings.Contains(r.stderr, tc.want) {
				t.Errorf("exit %d, stderr %q; want exit 1 and %q", r.code, r.stderr, tc.want)
			}
		})
	}
}

// TestFixInterrupted: a fix stopped by a signal exits 130 and leaves the
// list as it was.
func TestFixInterrupted(t *testing.T) {
	dir := t.TempDir()
	list := filepath.Join(dir, "LIST.md")
	if err := os.WriteFile(list, markdown.Builtin, 0o644); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	var stdout, stderr bytes.Buffer
	code := Main(ctx, []string{"fix", "-w", "-db", filepath.Join(dir, "cache.db"), list}, Env{Stdout: &stdout, Stderr: &stderr})
	if code != exitInterrupted {
		t.Fatalf("exit %d, want %d; stderr %q", code, exitInterrupted, stderr.String())
	}
	if got, _ := os.ReadFile(list); !bytes.Equal(got, markdown.Builtin) {
		t.Errorf("an interrupted fix -w changed the list")
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 1 {
		t.Errorf("an interrupted fix left %d files beside the list", len(entries)-1)
	}
}

// TestFixParseEndsOnSignal: a signal during the reading of the list ends
// it there (the reader checks ctx between blocks), before any cache is
// opened or request made.
func TestFixParseEndsOnSignal(t *testing.T) {
	list := filepath.Join(t.TempDir(), "LIST.md")
	if err := os.WriteFile(list, markdown.Builtin, 0o644); err != nil {
		t.Fatal(err)
	}
	c := &config{list: list, timeout: time.Second}
	if _, _, err := loadFixSource(context.Background(), c); err != nil {
		t.Fatalf("read the list: %v", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, l, err := loadFixSource(ctx, c)
	if err == nil || !strings.Contains(err.Error(), "context canceled") {
		t.Fatalf("reading with a cancelled context: list %v, err %v; want context canceled", l != nil, err)
	}
}
