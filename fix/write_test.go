package fix_test

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/paperlist/paperlist/fix"
)

func TestGuardWrite(t *testing.T) {
	const read, fixed = "# L\n\n- old\n", "# L\n\n- new\n"
	tests := []struct {
		name string
		// meanwhile changes the list at path after it was read.
		meanwhile func(t *testing.T, path string)
		want      string
		changed   bool
	}{
		{"untouched", func(*testing.T, string) {}, fixed, false},
		{"line appended", func(t *testing.T, path string) { appendTo(t, path, "- EDIT\n") }, read + "- EDIT\n", true},
		{"same size, other bytes", func(t *testing.T, path string) {
			if err := os.WriteFile(path, []byte(strings.Replace(read, "old", "OLD", 1)), 0o644); err != nil {
				t.Fatal(err)
			}
		}, strings.Replace(read, "old", "OLD", 1), true},
		{"replaced by the same bytes", func(t *testing.T, path string) {
			// An editor that saves by rename: another file, which may
			// hold an edit made and undone; fix does not guess.
			tmp := path + ".new"
			if err := os.WriteFile(tmp, []byte(read), 0o644); err != nil {
				t.Fatal(err)
			}
			if err := os.Rename(tmp, path); err != nil {
				t.Fatal(err)
			}
		}, read, true},
		{"removed", func(t *testing.T, path string) {
			if err := os.Remove(path); err != nil {
				t.Fatal(err)
			}
		}, "", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			path := filepath.Join(dir, "LIST.md")
			if err := os.WriteFile(path, []byte(read), 0o640); err != nil {
				t.Fatal(err)
			}
			g, err := fix.WatchList(path)
			if err != nil {
				t.Fatal(err)
			}
			tt.meanwhile(t, path)
			err = g.Write([]byte(read), []byte(fixed))
			if got := errors.Is(err, fix.ErrChanged); got != tt.changed {
				t.Fatalf("Write: %v; want ErrChanged: %v", err, tt.changed)
			}
			if !tt.changed && err != nil {
				t.Fatal(err)
			}
			got, _ := os.ReadFile(path)
			if string(got) != tt.want {
				t.Errorf("the list holds %q, want %q", got, tt.want)
			}
			if names := dirNames(t, dir); len(names) > 1 {
				t.Errorf("files beside the list: %v", names)
			}
			if !tt.changed {
				if st, err := os.Stat(path); err != nil || st.Mode().Perm() != 0o640 {
					t.Errorf("mode after the write: %v, %v; want 0640", st.Mode(), err)
				}
			}
		})
	}
}

func TestWatchListRefuses(t *testing.T) {
	tests := []struct {
		name  string
		setup func(t *testing.T, path string)
		want  string
	}{
		{"read-only", func(t *testing.T, path string) {
			if err := os.Chmod(path, 0o444); err != nil {
				t.Fatal(err)
			}
		}, "read-only (mode 0444)"},
		{"hard-linked", func(t *testing.T, path string) {
			if err := os.Link(path, path+".link"); err != nil {
				t.Fatal(err)
			}
		}, "has 2 hard links"},
		{"directory", func(t *testing.T, path string) {
			if err := os.Remove(path); err != nil {
				t.Fatal(err)
			}
			if err := os.Mkdir(path, 0o755); err != nil {
				t.Fatal(err)
			}
		}, "not a regular file"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "LIST.md")
			if err := os.WriteFile(path, []byte("# L\n"), 0o644); err != nil {
				t.Fatal(err)
			}
			tt.setup(t, path)
			_, err := fix.WatchList(path)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("WatchList: %v, want an error with %q", err, tt.want)
			}
		})
	}
}

// TestGuardWriteRemovesLeftovers: the temporary files of a fix that was
// killed go with the next fix -w, even one with nothing to write; those of
// a fix still running stay.
func TestGuardWriteRemovesLeftovers(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "LIST.md")
	if err := os.WriteFile(path, []byte("a\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	dead := exec.Command("true")
	if err := dead.Run(); err != nil {
		t.Skip("no true program:", err)
	}
	leftovers := []string{
		".LIST.md.fix-123456789",                                 // named as fix named them before
		".LIST.md.fix-p" + strconv.Itoa(dead.Process.Pid) + "-1", // a process that ended
	}
	running := ".LIST.md.fix-p" + strconv.Itoa(os.Getpid()) + "-2"
	for _, n := range append(slices.Clone(leftovers), running, ".OTHER.md.fix-1") {
		if err := os.WriteFile(filepath.Join(dir, n), []byte("partial"), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := fix.WatchList(path); err != nil {
		t.Fatal(err)
	}
	want := []string{".LIST.md.fix-p" + strconv.Itoa(os.Getpid()) + "-2", ".OTHER.md.fix-1", "LIST.md"}
	slices.Sort(want)
	if got := dirNames(t, dir); !slices.Equal(got, want) {
		t.Errorf("files after the write: %v, want %v", got, want)
	}
}

func appendTo(t *testing.T, path, s string) {
	t.Helper()
	f, err := os.OpenFile(path, os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if _, err := f.WriteString(s); err != nil {
		t.Fatal(err)
	}
}

func dirNames(t *testing.T, dir string) []string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	return names
}
