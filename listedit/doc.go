// Package listedit rewrites parts of a paper list's source in place and
// shows the change as a unified diff. It is the ground `paperlist fix`
// stands on: Apply replaces byte ranges (the link spans the markdown reader
// records) and leaves every other byte as it was, CRLF line endings, a BOM,
// tabs, trailing spaces and HTML included; UnifiedDiff writes the change so
// that `patch -p1` applies it to the original; StarsEdit places the star
// count that `fix -stars` writes after a code link, and finds the one a
// previous run wrote so that it is replaced, not repeated.
package listedit
