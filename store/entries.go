package store

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	bolt "go.etcd.io/bbolt"

	"github.com/paperlist/paperlist"
)

// ArxivEntry returns the entry of an arXiv id (without version), or nil when
// none is stored.
func (s *Store) ArxivEntry(id string) (*paperlist.Entry[paperlist.ArxivRecord], error) {
	var e *paperlist.Entry[paperlist.ArxivRecord]
	err := s.db.View(func(tx *bolt.Tx) error {
		var err error
		e, err = getEntry[paperlist.ArxivRecord](tx, bucketArxiv, []byte(id))
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("store: arxiv entry: %w", err)
	}
	return e, nil
}

// PutArxiv stores entries under their Key, all in one transaction.
func (s *Store) PutArxiv(entries ...*paperlist.Entry[paperlist.ArxivRecord]) error {
	values := make([][]byte, len(entries))
	for i, e := range entries {
		v, err := encodeEntry(e)
		if err != nil {
			return fmt.Errorf("store: put arxiv: entry %d: %w", i, err)
		}
		values[i] = v
	}
	err := s.write(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketArxiv)
		for i, e := range entries {
			if err := b.Put([]byte(e.Key), values[i]); err != nil {
				return fmt.Errorf("key %q: %w", e.Key, err)
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("store: put arxiv: %w", err)
	}
	return nil
}

// RepoEntry returns the entry of a repository by the name as listed,
// following the alias to the canonical record, or by its canonical name, in
// any case; nil when none is stored.
func (s *Store) RepoEntry(name string) (*paperlist.Entry[paperlist.RepoStats], error) {
	key := repoKey(name)
	var e *paperlist.Entry[paperlist.RepoStats]
	err := s.db.View(func(tx *bolt.Tx) error {
		canonical := []byte(key)
		if names := tx.Bucket(bucketRepoNames); names != nil {
			if c := names.Get(canonical); c != nil {
				canonical = bytes.Clone(c)
			}
		}
		var err error
		e, err = getEntry[paperlist.RepoStats](tx, bucketRepos, canonical)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("store: repo entry %s: %w", name, err)
	}
	return e, nil
}

// PutRepo stores e under its canonical key: the lower-cased e.Data.FullName
// when e has data, else the lower-cased e.Key (else name). It sets e.Key to
// that key and records name, as listed, as an alias of it.
//
// When the alias pointed to another record of the same repository (same
// GitHub id) before, the repository was renamed or moved: the old record is
// dropped, its other aliases and its star history follow to the new key, and
// so every name it was ever listed under resolves to the new record.
func (s *Store) PutRepo(name string, e *paperlist.Entry[paperlist.RepoStats]) error {
	if e == nil {
		return fmt.Errorf("store: put repo %s: nil entry", name)
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
		return errors.New("store: put repo: entry without name")
	}
	e.Key = canonical
	value, err := encodeEntry(e)
	if err != nil {
		return fmt.Errorf("store: put repo %s: %w", name, err)
	}

	err = s.write(func(tx *bolt.Tx) error {
		repos, names := tx.Bucket(bucketRepos), tx.Bucket(bucketRepoNames)
		if alias != "" {
			if old := names.Get([]byte(alias)); old != nil && string(old) != canonical {
				if err := moveRepo(tx, string(old), canonical, e); err != nil {
					return err
				}
			}
			if err := names.Put([]byte(alias), []byte(canonical)); err != nil {
				return fmt.Errorf("alias %q: %w", alias, err)
			}
		}
		if err := repos.Put([]byte(canonical), value); err != nil {
			return fmt.Errorf("key %q: %w", canonical, err)
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("store: put repo %s: %w", name, err)
	}
	return nil
}

// moveRepo moves what is stored under the canonical key from to the key to,
// when the record under from is the same repository as e. Otherwise it
// leaves from as it is: only the alias being written changes.
func moveRepo(tx *bolt.Tx, from, to string, e *paperlist.Entry[paperlist.RepoStats]) error {
	repos, names, history := tx.Bucket(bucketRepos), tx.Bucket(bucketRepoNames), tx.Bucket(bucketHistory)
	old, err := getEntry[paperlist.RepoStats](tx, bucketRepos, []byte(from))
	if err != nil {
		return err
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

// PageEntry returns the entry of a landing page by URL, or nil when none is
// stored.
func (s *Store) PageEntry(url string) (*paperlist.Entry[paperlist.PageRecord], error) {
	var e *paperlist.Entry[paperlist.PageRecord]
	err := s.db.View(func(tx *bolt.Tx) error {
		var err error
		e, err = getEntry[paperlist.PageRecord](tx, bucketPages, []byte(url))
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("store: page entry: %w", err)
	}
	return e, nil
}

// PutPage stores e under its Key, the page's URL.
func (s *Store) PutPage(e *paperlist.Entry[paperlist.PageRecord]) error {
	value, err := encodeEntry(e)
	if err != nil {
		return fmt.Errorf("store: put page: %w", err)
	}
	err = s.write(func(tx *bolt.Tx) error {
		return tx.Bucket(bucketPages).Put([]byte(e.Key), value)
	})
	if err != nil {
		return fmt.Errorf("store: put page %q: %w", e.Key, err)
	}
	return nil
}

// write runs fn in a read-write transaction of its own, committed (and
// synced to disk) before write returns.
//
// bbolt's Batch, which lets concurrent writes share a commit, was measured
// (BenchmarkPut*) and not taken: it holds each commit up to 10ms to gather
// others, which made a put from one goroutine 5 to 20 times slower, and
// from 8 goroutines it gained between nothing and a fifth, depending on how
// slow fsync was. A crawl has few writers (one for arXiv, -workers for
// GitHub) whose pace the network sets far below what one commit per put
// sustains. Update also runs fn exactly once, and a failing put fails alone.
func (s *Store) write(fn func(*bolt.Tx) error) error {
	if s.readOnly {
		return fmt.Errorf("%w: %s", ErrReadOnly, s.path)
	}
	return s.db.Update(fn)
}

// repoKey is the key of a repository name: "owner/name" in lower case, as
// GitHub names are case-insensitive.
func repoKey(name string) string {
	return strings.ToLower(strings.TrimSpace(name))
}

func encodeEntry[T any](e *paperlist.Entry[T]) ([]byte, error) {
	if e == nil {
		return nil, errors.New("nil entry")
	}
	if e.Key == "" {
		return nil, errors.New("entry without key")
	}
	v, err := json.Marshal(e)
	if err != nil {
		return nil, fmt.Errorf("encode %q: %w", e.Key, err)
	}
	return v, nil
}

// getEntry decodes the entry stored under key in bucket, nil when there is
// none. Decoding copies what it keeps, so the entry outlives tx.
func getEntry[T any](tx *bolt.Tx, bucket, key []byte) (*paperlist.Entry[T], error) {
	b := tx.Bucket(bucket)
	if b == nil || len(key) == 0 {
		return nil, nil
	}
	v := b.Get(key)
	if v == nil {
		return nil, nil
	}
	e := new(paperlist.Entry[T])
	if err := json.Unmarshal(v, e); err != nil {
		return nil, fmt.Errorf("bucket %s, key %q: decode: %w", bucket, key, err)
	}
	return e, nil
}
