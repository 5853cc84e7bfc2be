package fix_test

import (
	"go/build"
	"path/filepath"
	"strings"
	"testing"
)

// TestNoCommandDependency: package fix, and every package of the module
// it depends on, import nothing under cmd/: another tool can use fix.
func TestNoCommandDependency(t *testing.T) {
	const module = "github.com/paperlist/paperlist"
	seen := map[string]bool{}
	var walk func(path string)
	walk = func(path string) {
		if seen[path] {
			return
		}
		seen[path] = true
		if strings.HasPrefix(path, module+"/cmd/") {
			t.Errorf("fix depends on %s", path)
			return
		}
		pkg, err := build.ImportDir(filepath.Join("..", strings.TrimPrefix(path, module)), 0)
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		for _, imp := range pkg.Imports {
			if imp == module || strings.HasPrefix(imp, module+"/") {
				walk(imp)
			}
		}
	}
	walk(module + "/fix")
	if len(seen) < 3 {
		t.Fatalf("walked %d packages; the walk is broken", len(seen))
	}
}
