package main_test

import (
	"bytes"
	"errors"
	"strings"
	"testing"

	bolt "go.etcd.io/bbolt"

	"github.com/paperlist/paperlist/sources/markdown"
)

// TestFixHostileName: a GitHub that renames a repository of the list to a
// name with markdown, a newline or an escape sequence gets none of it into
// the list, the diff, stderr or the annotations.
func TestFixHostileName(t *testing.T) {
	t.Parallel()
	for _, bad := range []string{"evil/x) [click](javascript:alert(1)", "evil/x\n- [spam](https://spam.example)", "evil/x\x1b]0;pwned\x07\x1b[2J"} {
		w := newFixWorld(t)
		if err := w.gh.Rename(spqr, bad); err != nil {
			t.Fatal(err)
		}
		dir := t.TempDir()
		list := writeList(t, dir, markdown.Builtin, 0o644)
		r := runPaperlist(t, w.fixArgs("-log-format", "github", "-d", list)...)
		// One repository's invalid answer is a problem on its entry, not
		// a failed run (the exit-code rule of the README).
		if r.code != 0 {
			t.Errorf("%q: exit code %d, want 0 (the invalid answer stays on its entry)\n%s", bad, r.code, r.stderr)
		}
		if !strings.Contains(r.stderr, "is not an owner/name GitHub gives") {
			t.Errorf("%q: stderr does not name the invalid answer:\n%s", bad, r.stderr)
		}
		if strings.Contains(r.stdout, "evil") {
			t.Errorf("%q: the diff holds the hostile name:\n%s", bad, r.stdout)
		}
		// stderr names the invalid answer, quoted: no control character
		// of it reaches the terminal.
		if strings.ContainsAny(r.stderr, "\x1b\x07") || strings.Contains(r.stderr, "\n- [spam]") {
			t.Errorf("%q: stderr shows the hostile name raw:\n%s", bad, r.stderr)
		}
		r = runPaperlist(t, w.fixArgs("-log-format", "github", "-w", list)...)
		if got := string(readFile(t, list)); strings.Contains(got, "evil") || strings.ContainsAny(r.stdout+r.stderr, "\x1b\x07") {
			t.Errorf("%q: the list or the annotations hold the hostile name", bad)
		}
	}
}

// TestFixForgedSearchMemory: a search answer forged in the cache (an id
// with markdown after it) is refused when read: fix -offline does not put
// it into the list, and says the search failed (a problem on its entry:
// exit 0, as one entry's failed lookup is).
func TestFixForgedSearchMemory(t *testing.T) {
	t.Parallel()
	w := newFixWorld(t)
	dir := t.TempDir()
	writeList(t, dir, markdown.Builtin, 0o644)
	wantCode(t, runIn(t, dir, w.fixArgs("LIST.md")...), 0) // the search is remembered

	db, err := bolt.Open(w.db(), 0o600, &bolt.Options{Timeout: runTimeout})
	if err != nil {
		t.Fatal(err)
	}
	forged := 0
	err = db.Update(func(tx *bolt.Tx) error {
		b := tx.Bucket([]byte("searches"))
		if b == nil {
			return errors.New("no searches bucket")
		}
		var keys [][]byte
		_ = b.ForEach(func(k, _ []byte) error { keys = append(keys, bytes.Clone(k)); return nil })
		for _, k := range keys {
			v := strings.ReplaceAll(string(b.Get(k)), `"`+recomputationID+`"`, `"`+recomputationID+`) [x](javascript:alert(1)"`)
			if err := b.Put(k, []byte(v)); err != nil {
				return err
			}
			forged++
		}
		return nil
	})
	if cerr := db.Close(); err == nil {
		err = cerr
	}
	if err != nil || forged == 0 {
		t.Fatalf("forge the memory: %v (%d records)", err, forged)
	}

	r := runIn(t, dir, w.fixArgs("-offline", "LIST.md")...)
	wantCode(t, r, 0)
	if strings.Contains(r.stdout, "javascript") || strings.Contains(r.stdout, recomputationID) {
		t.Errorf("the forged answer reached the list")
	}
	if !strings.Contains(r.stderr, "title search failed") {
		t.Errorf("stderr does not say the search failed:\n%s", r.stderr)
	}
}
