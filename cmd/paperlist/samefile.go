package main

import (
	"os"
	"path/filepath"

	"github.com/paperlist/paperlist/output"
	"github.com/paperlist/paperlist/sources/markdown"
)

// checkOutputsApart refuses a run whose outputs would overwrite its list
// or its cache: an output path that is one of them, by name (the files
// may not exist yet) or as the same file (a hard or symbolic link to it).
// It runs before any request.
func checkOutputsApart(c *crawlConfig) error {
	if c.out == "" {
		return nil // check without -out writes nothing
	}
	inputs := []struct{ what, path string }{{"the cache", c.db}}
	if c.list != "" && !markdown.IsURL(c.list) {
		inputs = append(inputs, struct{ what, path string }{"the list", c.list})
	}
	for _, name := range []string{output.JSONFile, output.MarkdownFile} {
		out := filepath.Join(c.out, name)
		for _, in := range inputs {
			if sameFile(out, in.path) {
				return fatalf("output %s would overwrite %s %s: give another -out or rename the file", out, in.what, in.path)
			}
		}
	}
	return nil
}

// sameFile reports whether paths a and b name one file: the same existing
// file, or the same place once made absolute with their links resolved.
func sameFile(a, b string) bool {
	if sa, err := os.Stat(a); err == nil {
		if sb, err := os.Stat(b); err == nil {
			return os.SameFile(sa, sb)
		}
	}
	return resolve(a) == resolve(b)
}

// resolve makes p absolute and resolves its links as far as they exist: a
// file that does not exist yet, or a link to one, resolves through its
// folder.
func resolve(p string) string {
	abs, err := filepath.Abs(p)
	if err != nil {
		return filepath.Clean(p)
	}
	if r, err := filepath.EvalSymlinks(abs); err == nil {
		return r
	}
	dir, base := filepath.Split(abs)
	if r, err := filepath.EvalSymlinks(dir); err == nil {
		dir = r
	}
	if target, err := os.Readlink(filepath.Join(dir, base)); err == nil {
		// A link to a file that does not exist yet.
		if !filepath.IsAbs(target) {
			target = filepath.Join(dir, target)
		}
		if r, err := filepath.EvalSymlinks(filepath.Dir(target)); err == nil {
			return filepath.Join(r, filepath.Base(target))
		}
		return filepath.Clean(target)
	}
	return filepath.Join(dir, base)
}
