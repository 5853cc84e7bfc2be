package cutnotice_test

import (
	"bytes"
	"log/slog"
	"strings"
	"testing"

	"github.com/paperlist/paperlist/sources/internal/cutnotice"
)

func TestNote(t *testing.T) {
	type call struct {
		record string
		cut    []string
	}
	tests := []struct {
		name  string
		calls []call
		want  []string // records logged, in order
	}{
		{"nothing cut logs nothing", []call{{"a", nil}, {"b", []string{}}}, nil},
		{"the first cut is logged", []call{{"a", []string{"title", "abstract"}}}, []string{"a"}},
		{"later cuts are not", []call{{"a", nil}, {"b", []string{"title"}}, {"c", []string{"abstract"}}}, []string{"b"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var buf bytes.Buffer
			log := slog.New(slog.NewTextHandler(&buf, nil))
			var n cutnotice.Notice
			for _, c := range tt.calls {
				n.Note(log, "arxiv", c.record, c.cut)
			}
			lines := strings.Split(strings.TrimSpace(buf.String()), "\n")
			if buf.Len() == 0 {
				lines = nil
			}
			if len(lines) != len(tt.want) {
				t.Fatalf("logged %d lines, want %d:\n%s", len(lines), len(tt.want), buf.String())
			}
			for i, rec := range tt.want {
				if !strings.Contains(lines[i], "level=WARN") || !strings.Contains(lines[i], "source=arxiv record="+rec+" ") {
					t.Errorf("line %d = %q, want a warning of record %s", i, lines[i], rec)
				}
			}
		})
	}
}

func TestNoteWithoutLogger(t *testing.T) {
	var n cutnotice.Notice
	n.Note(nil, "arxiv", "a", []string{"title"}) // must not panic
}
