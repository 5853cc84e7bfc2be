//go:build unix

package fix_test

import (
	"os"
	"path/filepath"
	"syscall"
	"testing"

	"github.com/paperlist/paperlist/fix"
)

// TestGuardWriteKeepsOwner: run as root, the rewritten list keeps its
// owner and group.
func TestGuardWriteKeepsOwner(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("only root can give a file another owner")
	}
	path := filepath.Join(t.TempDir(), "LIST.md")
	if err := os.WriteFile(path, []byte("a\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Chown(path, 1234, 5678); err != nil {
		t.Fatal(err)
	}
	g, err := fix.WatchList(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := g.Write([]byte("a\n"), []byte("b\n")); err != nil {
		t.Fatal(err)
	}
	st, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if sys, ok := st.Sys().(*syscall.Stat_t); !ok || sys.Uid != 1234 || sys.Gid != 5678 {
		t.Errorf("owner after the write: %+v, want 1234:5678", st.Sys())
	}
}
