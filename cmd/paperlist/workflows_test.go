package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The README's workflows for a list's repository are the files in
// testdata/workflows, which .ci/run lints with actionlint: a reader copies
// what was linted.
func TestReadmeWorkflows(t *testing.T) {
	readme, err := os.ReadFile(filepath.Join("..", "..", "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"paperlist-fix.yml", "paperlist-check.yml"} {
		t.Run(name, func(t *testing.T) {
			wf, err := os.ReadFile(filepath.Join("testdata", "workflows", name))
			if err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(string(readme), "```yaml\n"+string(wf)+"```\n") {
				t.Errorf("README.md has no yaml block equal to testdata/workflows/%s", name)
			}
		})
	}
}
