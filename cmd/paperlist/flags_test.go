package main

import (
	"flag"
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

// The flags start from defaultConfig: a command line without flags is the
// default configuration, with the list and the cache path filled in.
func TestFlagDefaults(t *testing.T) {
	c, err := parseFlags("crawl", []string{"-db", "cache.db", "list.md"}, Env{})
	if err != nil {
		t.Fatal(err)
	}
	want := defaultConfig("crawl")
	want.list, want.db = "list.md", "cache.db"
	if !reflect.DeepEqual(c, want) {
		t.Errorf("parsed %+v\nwant   %+v", *c, *want)
	}
}
