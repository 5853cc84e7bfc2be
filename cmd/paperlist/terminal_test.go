//go:build unix

package main_test

// The bars on a real terminal: the binary runs on a pty of a given width,
// and what it wrote is played on a small terminal emulator (wrap at the
// width, cursor up, clear to the end of the screen), as tmux would show it.

import (
	"bytes"
	"errors"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/creack/pty"

	"github.com/paperlist/paperlist/sources/arxiv/arxivtest"
	"github.com/paperlist/paperlist/sources/github/githubtest"
	"github.com/paperlist/paperlist/sources/markdown"
)

// screen is a terminal of a fixed width and unbounded height: enough of
// one to replay what a program draws with cursor movements.
type screen struct {
	width    int
	rows     [][]rune
	row, col int
}

func (s *screen) line(r int) []rune {
	for len(s.rows) <= r {
		s.rows = append(s.rows, nil)
	}
	return s.rows[r]
}

func (s *screen) put(c rune) {
	if s.col >= s.width {
		// Auto-wrap, as xterm and tmux do once a line is full.
		s.row, s.col = s.row+1, 0
	}
	l := s.line(s.row)
	for len(l) <= s.col {
		l = append(l, ' ')
	}
	l[s.col] = c
	s.rows[s.row] = l
	s.col++
}

var csi = regexp.MustCompile(`^\x1b\[([0-9;?]*)([A-Za-z])`)

// play interprets the bytes a program wrote to the terminal.
func (s *screen) play(b []byte) {
	for len(b) > 0 {
		if m := csi.FindSubmatch(b); m != nil {
			n, _ := strconv.Atoi(string(m[1]))
			switch m[2][0] {
			case 'A': // cursor up
				s.row = max(s.row-max(n, 1), 0)
			case 'J': // clear from the cursor to the end of the screen
				s.line(s.row)
				if s.col < len(s.rows[s.row]) {
					s.rows[s.row] = s.rows[s.row][:s.col]
				}
				s.rows = s.rows[:s.row+1]
			case 'K': // clear to the end of the line
				s.line(s.row)
				if s.col < len(s.rows[s.row]) {
					s.rows[s.row] = s.rows[s.row][:s.col]
				}
			}
			b = b[len(m[0]):]
			continue
		}
		r, size := utf8.DecodeRune(b)
		b = b[size:]
		switch {
		case r == '\r':
			s.col = 0
		case r == '\n':
			s.row++
			s.line(s.row)
		case r == 0x1b || r < 0x20:
		default:
			s.put(r)
		}
	}
}

func (s *screen) text() []string {
	out := make([]string, len(s.rows))
	for i, l := range s.rows {
		out[i] = strings.TrimRight(string(l), " ")
	}
	return out
}

// barLine matches a source's bar as progress.go draws it: its name, then
// its counter.
var barLine = regexp.MustCompile(`^(arxiv|github|pages) +[0-9]+/[0-9]+ `)

func TestBarsRedrawCleanly(t *testing.T) {
	t.Parallel()
	for _, width := range []int{160, 100} {
		t.Run(strconv.Itoa(width)+" columns", func(t *testing.T) {
			// GitHub's quota runs out in the middle: the host stops, with a
			// warning far wider than the terminal, while the bars are drawn.
			// GitHub answers slowly, so the bars are drawn before it stops,
			// and arXiv late, so they are redrawn a few times after the
			// warning.
			w := newWorld(t, worldOptions{
				gh:    githubtest.Options{Quota: 6, Latency: 100 * time.Millisecond},
				arxiv: arxivtest.Options{Latency: 1500 * time.Millisecond},
			})
			out, code := runOnTerminal(t, width, w.args("crawl", "-pages=false", "-workers", "1", "-max-wait", "1s", "-arxiv-interval", "20ms")...)
			if code != 2 {
				t.Fatalf("exit %d, want 2 (GitHub stopped); it wrote:\n%s", code, out.String())
			}

			s := &screen{width: width}
			s.play(out.Bytes())
			lines := s.text()
			bars := map[string]int{}
			wide := false
			for _, l := range lines {
				if m := barLine.FindStringSubmatch(l); m != nil {
					bars[m[1]]++
				}
				if strings.Contains(l, "host stopped") || strings.Contains(l, "level=WARN") {
					wide = wide || utf8.RuneCountInString(l) >= width
				}
			}
			raw := strings.ReplaceAll(out.String(), "\r\n", "\n")
			longest := 0
			for _, l := range strings.Split(raw, "\n") {
				longest = max(longest, utf8.RuneCountInString(l))
			}
			if longest <= width {
				t.Fatalf("no line wider than %d columns was written; the test shows nothing", width)
			}
			for _, src := range []string{"arxiv", "github"} {
				if bars[src] != 1 {
					t.Errorf("the %s bar is on the screen %d times, want once:\n%s", src, bars[src], strings.Join(lines, "\n"))
				}
			}
			var githubBar string
			for _, l := range lines {
				if strings.HasPrefix(l, "github ") && barLine.MatchString(l) {
					githubBar = l
				}
			}
			if !strings.Contains(githubBar, "stopped") || strings.Contains(githubBar, "100 %") {
				t.Errorf("the stopped source's bar %q does not say stopped", githubBar)
			}
			if !slicesContainsPrefix(lines, "wrote "+filepath.Join(w.out(), "papers.json")) {
				t.Errorf("no line says where the outputs went:\n%s", strings.Join(lines, "\n"))
			}
		})
	}
}

// runOnTerminal runs paperlist with args on a pseudo-terminal width
// columns wide and returns what it wrote there and its exit code.
func runOnTerminal(t *testing.T, width int, args ...string) (*bytes.Buffer, int) {
	t.Helper()
	cmd := binaryCommand(t, args...)
	cmd.Env = []string{"PATH=" + os.Getenv("PATH"), "HOME=" + t.TempDir(), "GITHUB_TOKEN=" + testToken, "TERM=xterm"}
	cmd.Dir = t.TempDir()
	f, err := pty.StartWithSize(cmd, &pty.Winsize{Rows: 40, Cols: uint16(width)})
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	copied := make(chan error, 1)
	go func() {
		_, err := io.Copy(&out, f)
		copied <- err
	}()
	waited := make(chan error, 1)
	go func() { waited <- cmd.Wait() }()
	select {
	case <-waited:
	case <-time.After(runTimeout):
		_ = cmd.Process.Kill()
		t.Fatalf("paperlist hung on the pty; it wrote:\n%s", out.String())
	}
	// The pty's reader ends with EIO once the program has exited.
	if err := <-copied; err != nil && !errors.Is(err, os.ErrClosed) && !strings.Contains(err.Error(), "input/output error") {
		t.Fatal(err)
	}
	_ = f.Close()
	return &out, cmd.ProcessState.ExitCode()
}

// TestFixOnATerminal: fix shows a bar per source while it crawls, then
// its fixes and one line saying what became of them; off a terminal,
// that line is not written.
func TestFixOnATerminal(t *testing.T) {
	t.Parallel()
	w := newFixWorld(t)
	list := writeList(t, t.TempDir(), markdown.Builtin, 0o644)
	out, code := runOnTerminal(t, 100, w.fixArgs("-w", list)...)
	if code != 0 {
		t.Fatalf("exit %d; it wrote:\n%s", code, out.String())
	}
	s := &screen{width: 100}
	s.play(out.Bytes())
	lines := s.text()
	bars := map[string]int{}
	for _, l := range lines {
		if m := barLine.FindStringSubmatch(l); m != nil {
			bars[m[1]]++
		}
	}
	for _, src := range []string{"arxiv", "github"} {
		if bars[src] != 1 {
			t.Errorf("the %s bar is on the screen %d times, want once:\n%s", src, bars[src], strings.Join(lines, "\n"))
		}
	}
	if want := "5 fixes written into " + list + "; 3 problems left"; !slicesContainsPrefix(lines, want) {
		t.Errorf("no line starts %q:\n%s", want, strings.Join(lines, "\n"))
	}
	sameBytes(t, "the fixed list", readFile(t, list), wantFixed(t))

	// Off a terminal: the fixes, no closing line.
	list = writeList(t, t.TempDir(), markdown.Builtin, 0o644)
	r := runPaperlist(t, w.fixArgs("-w", list)...)
	wantCode(t, r, 0)
	if strings.Contains(r.stderr, "written into") || !strings.Contains(r.stderr, "fixed: ") {
		t.Errorf("off a terminal stderr is:\n%s", r.stderr)
	}
}

func slicesContainsPrefix(lines []string, prefix string) bool {
	for _, l := range lines {
		if strings.HasPrefix(l, prefix) {
			return true
		}
	}
	return false
}
