package listedit

import (
	"bytes"
	"fmt"
	"strconv"
	"strings"
)

// diffContext is how many unchanged lines a hunk shows around a change, as
// diff -u and git do.
const diffContext = 3

// UnifiedDiff returns the unified diff that turns a into b: a "--- a/NAME"
// and a "+++ b/NAME" header, then hunks with three lines of context, so that
// `patch -p1` run in the folder holding NAME turns the original into b.
// name should be a slash-separated relative path; one with white space,
// quotes, backslashes or control characters is written in C-style quotes,
// which GNU patch and git read. Lines are compared and written with their
// line endings, so a CRLF file gives CRLF lines; a last line without a
// newline is followed by "\ No newline at end of file". Equal inputs give
// an empty diff (nil).
func UnifiedDiff(name string, a, b []byte) []byte {
	if bytes.Equal(a, b) {
		return nil
	}
	al, bl := splitLines(a), splitLines(b)
	script := diffLines(al, bl)
	var out bytes.Buffer
	out.WriteString("--- " + quoteName("a/"+name) + "\n")
	out.WriteString("+++ " + quoteName("b/"+name) + "\n")
	for i := 0; i < len(script); {
		if script[i].kind == opEqual {
			i++
			continue
		}
		// A hunk starts diffContext lines before its first change and
		// takes in every later change that is at most twice the context
		// away, so that no two hunks share a line.
		start := max(i-diffContext, 0)
		last := i
		for j := i + 1; j < len(script) && j-last <= 2*diffContext; j++ {
			if script[j].kind != opEqual {
				last = j
			}
		}
		end := min(last+diffContext+1, len(script))
		writeHunk(&out, script[start:end], al, bl)
		i = end
	}
	return out.Bytes()
}

// writeHunk writes the hunk of ops: its header and its lines.
func writeHunk(out *bytes.Buffer, ops []op, al, bl []string) {
	aStart, bStart := ops[0].a, ops[0].b
	var aCount, bCount int
	for _, o := range ops {
		if o.kind != opInsert {
			aCount++
		}
		if o.kind != opDelete {
			bCount++
		}
	}
	fmt.Fprintf(out, "@@ -%s +%s @@\n", hunkRange(aStart, aCount), hunkRange(bStart, bCount))
	for _, o := range ops {
		var line string
		switch o.kind {
		case opEqual:
			out.WriteByte(' ')
			line = al[o.a]
		case opDelete:
			out.WriteByte('-')
			line = al[o.a]
		case opInsert:
			out.WriteByte('+')
			line = bl[o.b]
		}
		out.WriteString(line)
		if !strings.HasSuffix(line, "\n") {
			out.WriteString("\n\\ No newline at end of file\n")
		}
	}
}

// hunkRange writes one side's range in a hunk header as GNU diff does: the
// first line and the count, the count left out when it is 1, and for an
// empty range the line after which the change goes.
func hunkRange(start, count int) string {
	switch count {
	case 0:
		return strconv.Itoa(start) + ",0"
	case 1:
		return strconv.Itoa(start + 1)
	}
	return strconv.Itoa(start+1) + "," + strconv.Itoa(count)
}

// quoteName quotes a file name for a diff header when patch would misread
// it bare.
func quoteName(name string) string {
	if !strings.ContainsFunc(name, func(r rune) bool { return r <= ' ' || r == '"' || r == '\\' || r == 0x7f }) {
		return name
	}
	var b strings.Builder
	b.WriteByte('"')
	for i := 0; i < len(name); i++ {
		switch c := name[i]; {
		case c == '"' || c == '\\':
			b.WriteByte('\\')
			b.WriteByte(c)
		case c == '\t':
			b.WriteString(`\t`)
		case c == '\n':
			b.WriteString(`\n`)
		case c < ' ' || c == 0x7f:
			fmt.Fprintf(&b, `\%03o`, c)
		default:
			b.WriteByte(c)
		}
	}
	b.WriteByte('"')
	return b.String()
}

// splitLines splits s after every "\n"; the last line lacks one when s does
// not end in a newline.
func splitLines(s []byte) []string {
	var lines []string
	for len(s) > 0 {
		i := bytes.IndexByte(s, '\n')
		if i < 0 {
			lines = append(lines, string(s))
			break
		}
		lines = append(lines, string(s[:i+1]))
		s = s[i+1:]
	}
	return lines
}
