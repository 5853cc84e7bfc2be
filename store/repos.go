package store

import (
	"bytes"
	"errors"
	"fmt"
	"strings"

	bolt "go.etcd.io/bbolt"

	"github.com/paperlist/paperlist"
)

// repoPut is a repository entry to store under its canonical key, with the
// alias of the name it was listed under.
type repoPut struct {
	alias, canonical string
	entry            *paperlist.Entry[paperlist.RepoStats]
	value            []byte
}

// newRepoPut encodes e for Save's rules for repositories and sets e.Key
// to its canonical key.
func newRepoPut(name string, e *paperlist.Entry[paperlist.RepoStats]) (repoPut, error) {
	if e == nil {
		return repoPut{}, errors.New("nil entry")
	}
	canonical := e.Key
	if e.Data != nil && e.Data.FullName != "" {
		canonical = e.Data.FullName
	}
	if canonical == "" {
		canonical = name
	}
	canonical = repoKey(canonical)
	alias := repoKey(name)
	if canonical == "" {
		return repoPut{}, errors.New("entry without name")
	}
	if err := checkKey([]byte(canonical)); err != nil {
		return repoPut{}, err
	}
	if len(alias) > bolt.MaxKeySize {
		return repoPut{}, checkKey([]byte(alias))
	}
	e.Key = canonical
	value, err := encodeEntry(e)
	if err != nil {
		return repoPut{}, err
	}
	return repoPut{alias: alias, canonical: canonical, entry: e, value: value}, nil
}

func (p repoPut) do(tx *bolt.Tx) error {
	repos, names := tx.Bucket(bucketRepos), tx.Bucket(bucketRepoNames)
	if p.alias != "" {
		if old := names.Get([]byte(p.alias)); old != nil && string(old) != p.canonical {
			if err := moveRepo(tx, string(old), p.canonical, p.entry); err != nil {
				return err
			}
		}
		if err := names.Put([]byte(p.alias), []byte(p.canonical)); err != nil {
			return fmt.Errorf("alias %q: %w", p.alias, err)
		}
	}
	if err := repos.Put([]byte(p.canonical), p.value); err != nil {
		return fmt.Errorf("key %q: %w", p.canonical, err)
	}
	return nil
}

// moveRepo moves what is stored under the canonical key from to the key to,
// when the record under from is the same repository as e. Otherwise, or
// when that record cannot be read, it leaves from as it is: only the alias
// being written changes.
func moveRepo(tx *bolt.Tx, from, to string, e *paperlist.Entry[paperlist.RepoStats]) error {
	repos, names, history := tx.Bucket(bucketRepos), tx.Bucket(bucketRepoNames), tx.Bucket(bucketHistory)
	old, err := getEntry[paperlist.RepoStats](tx, bucketRepos, []byte(from))
	if err != nil {
		// A record that cannot be read is left to the next put of its own
		// name; it must not fail the puts it shares a transaction with.
		return nil
	}
	if old == nil || old.Data == nil || e.Data == nil || old.Data.ID == 0 || old.Data.ID != e.Data.ID {
		return nil
	}
	type kv struct{ k, v []byte }
	var aliases, days []kv
	err = names.ForEach(func(k, v []byte) error {
		if string(v) == from {
			aliases = append(aliases, kv{k: bytes.Clone(k)})
		}
		return nil
	})
	if err != nil {
		return err
	}
	prefix := []byte(from + "\x00")
	c := history.Cursor()
	for k, v := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, v = c.Next() {
		days = append(days, kv{k: bytes.Clone(k), v: bytes.Clone(v)})
	}

	for _, a := range aliases {
		if err := names.Put(a.k, []byte(to)); err != nil {
			return fmt.Errorf("alias %q: %w", a.k, err)
		}
	}
	for _, d := range days {
		// A count already stored under the new name for that day is newer.
		newKey := append([]byte(to+"\x00"), d.k[len(prefix):]...)
		if history.Get(newKey) == nil {
			if err := history.Put(newKey, d.v); err != nil {
				return fmt.Errorf("history %q: %w", newKey, err)
			}
		}
		if err := history.Delete(d.k); err != nil {
			return fmt.Errorf("history %q: %w", d.k, err)
		}
	}
	if err := repos.Delete([]byte(from)); err != nil {
		return fmt.Errorf("key %q: %w", from, err)
	}
	return nil
}

// repoKey is the key of a repository name: "owner/name" in lower case, as
// GitHub names are case-insensitive.
func repoKey(name string) string {
	return strings.ToLower(strings.TrimSpace(name))
}
