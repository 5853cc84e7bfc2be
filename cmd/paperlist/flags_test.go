package main

import (
	"errors"
	"flag"
	"io"
	"reflect"
	"testing"
)

func TestFlagValues(t *testing.T) {
	for _, tc := range []struct {
		name    string
		value   flag.Value
		in      string
		wantErr bool
	}{
		{"sort list", new(sortOrder), "list", false},
		{"sort stars", new(sortOrder), "stars", false},
		{"sort unknown", new(sortOrder), "date", true},
		{"sort empty", new(sortOrder), "", true},
		{"sort in capitals", new(sortOrder), "Stars", true},
		{"log text", new(logFormat), "text", false},
		{"log json", new(logFormat), "json", false},
		{"log github", new(logFormat), "github", false},
		{"log unknown", new(logFormat), "xml", true},
		{"log empty", new(logFormat), "", true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.value.Set(tc.in)
			switch {
			case tc.wantErr && err == nil:
				t.Errorf("Set(%q) accepted it as %q", tc.in, tc.value)
			case !tc.wantErr && err != nil:
				t.Errorf("Set(%q): %v", tc.in, err)
			case !tc.wantErr && tc.value.String() != tc.in:
				t.Errorf("Set(%q) gave %q", tc.in, tc.value)
			case tc.wantErr && tc.value.String() != "":
				t.Errorf("Set(%q) failed but set %q", tc.in, tc.value)
			}
		})
	}
}

// The flags start from the defaults: a command line without flags is the
// command's default configuration, with the list and the cache path filled
// in.
func TestFlagDefaults(t *testing.T) {
	withList := func(c config) config {
		c.list, c.db = "list.md", "cache.db"
		return c
	}
	args := []string{"-db", "cache.db", "list.md"}
	for _, cmd := range []string{"crawl", "check"} {
		t.Run(cmd, func(t *testing.T) {
			t.Chdir(t.TempDir()) // crawl creates its -out folder
			c, err := parseCrawlFlags(cmd, args, Env{})
			if err != nil {
				t.Fatal(err)
			}
			want := defaultCrawlConfig(cmd)
			want.config = withList(want.config)
			if !reflect.DeepEqual(c, want) {
				t.Errorf("parsed %+v\nwant   %+v", *c, *want)
			}
		})
	}
	t.Run("fix", func(t *testing.T) {
		c, err := parseFixFlags(args, Env{})
		if err != nil {
			t.Fatal(err)
		}
		want := &fixConfig{config: withList(defaultConfig("fix"))}
		if !reflect.DeepEqual(c, want) {
			t.Errorf("parsed %+v\nwant   %+v", *c, *want)
		}
	})
}

// Each command has its own flags: fix refuses crawl's, crawl and check
// refuse fix's, and the shared ones serve all three.
func TestFlagsPerCommand(t *testing.T) {
	parse := func(cmd string, args []string) error {
		args = append([]string{"-db", "cache.db"}, args...)
		if cmd == "fix" {
			_, err := parseFixFlags(args, Env{Stderr: io.Discard})
			return err
		}
		_, err := parseCrawlFlags(cmd, args, Env{Stderr: io.Discard})
		return err
	}
	tests := []struct {
		flag string
		ok   map[string]bool // the commands that take it
	}{
		{"-out=out", map[string]bool{"crawl": true, "check": true}},
		{"-sort=stars", map[string]bool{"crawl": true, "check": true}},
		{"-problems", map[string]bool{"crawl": true, "check": true}},
		{"-pages=false", map[string]bool{"crawl": true, "check": true}},
		{"-d", map[string]bool{"fix": true}},
		{"-w", map[string]bool{"fix": true}},
		{"-stars", map[string]bool{"fix": true}},
		{"-offline", map[string]bool{"crawl": true, "check": true, "fix": true}},
		{"-progress=false", map[string]bool{"crawl": true, "check": true, "fix": true}},
		{"-ignore=repo_archived", map[string]bool{"crawl": true, "check": true, "fix": true}},
	}
	for _, tt := range tests {
		for _, cmd := range []string{"crawl", "check", "fix"} {
			t.Run(cmd+" "+tt.flag, func(t *testing.T) {
				t.Chdir(t.TempDir())
				err := parse(cmd, []string{tt.flag, "list.md"})
				var usage *usageError
				switch {
				case tt.ok[cmd] && err != nil:
					t.Errorf("%s %s: %v", cmd, tt.flag, err)
				case !tt.ok[cmd] && !errors.As(err, &usage):
					t.Errorf("%s %s: error %v, want a usage error", cmd, tt.flag, err)
				}
			})
		}
	}
}
