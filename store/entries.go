package store

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"

	bolt "go.etcd.io/bbolt"

	"github.com/paperlist/paperlist"
)

// ArxivEntries returns the entries of arXiv ids (without versions) by id,
// read in one transaction; ids with no entry stored are not in the map. An
// entry that cannot be decoded is left out and named in the error, which
// comes with the map of all the others.
func (s *Store) ArxivEntries(ids []string) (map[string]*paperlist.Entry[paperlist.ArxivRecord], error) {
	m, err := readEntries[paperlist.ArxivRecord](s, bucketArxiv, ids, func(_ *bolt.Tx, id string) []byte { return []byte(id) })
	if err != nil {
		return m, fmt.Errorf("store: arxiv entries: %w", err)
	}
	return m, nil
}

// RepoEntries returns the entries of repositories by name, read in one
// transaction. A name is found in any case, as listed (following its alias
// to the canonical record) or as the canonical name; the map is keyed by
// the names as given, and names with no entry stored are not in it. An entry that cannot
// be decoded is left out and named in the error, which comes with the map
// of all the others.
func (s *Store) RepoEntries(names []string) (map[string]*paperlist.Entry[paperlist.RepoStats], error) {
	m, err := readEntries[paperlist.RepoStats](s, bucketRepos, names, func(tx *bolt.Tx, name string) []byte {
		key := []byte(repoKey(name))
		if c := tx.Bucket(bucketRepoNames).Get(key); c != nil {
			return c
		}
		return key
	})
	if err != nil {
		return m, fmt.Errorf("store: repo entries: %w", err)
	}
	return m, nil
}

// PageEntries returns the entries of landing pages by URL, read in one
// transaction; URLs with no entry stored are not in the map. An entry that
// cannot be decoded is left out and named in the error, which comes with
// the map of all the others.
func (s *Store) PageEntries(urls []string) (map[string]*paperlist.Entry[paperlist.PageRecord], error) {
	m, err := readEntries[paperlist.PageRecord](s, bucketPages, urls, func(_ *bolt.Tx, url string) []byte { return []byte(url) })
	if err != nil {
		return m, fmt.Errorf("store: page entries: %w", err)
	}
	return m, nil
}

// Save stores everything in b in one transaction, committed (and synced to
// disk) before Save returns. A record that cannot be stored (nil, without a
// key, a key longer than bbolt allows, a star count without a repository)
// is left out and named in the error, and the rest is stored all the same;
// when the transaction fails, nothing is.
//
// The arXiv entries and the pages are stored under their Key. A repository
// entry is stored under its canonical key: the lower-cased Data.FullName
// when it has data, else the lower-cased Key (else the name it was listed
// under); Save sets its Key to that key and records the listed name as an
// alias of it. When the alias pointed to another record of the same
// repository (same GitHub id) before, the repository was renamed or moved:
// the old record is dropped, its other aliases and its star history follow
// to the new key, and so every name it was ever listed under resolves to
// the new record. A star count is stored for its repository's UTC day,
// replacing any count already stored for that day.
func (s *Store) Save(b *paperlist.CacheBatch) error {
	if b == nil {
		return nil
	}
	var bad []error
	arxiv := encodeAll(bucketArxiv, b.Arxiv, &bad)
	pages := encodeAll(bucketPages, b.Pages, &bad)
	repos := make([]repoPut, 0, len(b.Repos))
	for _, r := range b.Repos {
		p, err := newRepoPut(r.Name, r.Entry)
		if err != nil {
			bad = append(bad, fmt.Errorf("repo %s: %w", r.Name, err))
			continue
		}
		repos = append(repos, p)
	}
	stars := make([]put, 0, len(b.Stars))
	for _, c := range b.Stars {
		key := historyKey(c.Repo, c.At)
		err := checkKey(key)
		if repoKey(c.Repo) == "" {
			err = errors.New("empty repository name")
		}
		if err != nil {
			bad = append(bad, fmt.Errorf("stars of %q: %w", c.Repo, err))
			continue
		}
		stars = append(stars, put{bucketHistory, key, []byte(strconv.Itoa(c.Stars))})
	}

	if len(arxiv)+len(pages)+len(repos)+len(stars) > 0 {
		err := s.write(func(tx *bolt.Tx) error {
			for _, p := range arxiv {
				if err := p.do(tx); err != nil {
					return err
				}
			}
			for _, p := range repos {
				if err := p.do(tx); err != nil {
					return err
				}
			}
			for _, p := range pages {
				if err := p.do(tx); err != nil {
					return err
				}
			}
			for _, p := range stars {
				if err := p.do(tx); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			return fmt.Errorf("store: save: %w", errors.Join(append([]error{err}, bad...)...))
		}
	}
	if len(bad) > 0 {
		return fmt.Errorf("store: save: %w", errors.Join(bad...))
	}
	return nil
}

// put is one value to store under a key of a bucket.
type put struct {
	bucket, key, value []byte
}

func (p put) do(tx *bolt.Tx) error {
	if err := tx.Bucket(p.bucket).Put(p.key, p.value); err != nil {
		return fmt.Errorf("bucket %s, key %q: %w", p.bucket, p.key, err)
	}
	return nil
}

// checkKey returns an error for a key bbolt would refuse.
func checkKey(key []byte) error {
	switch {
	case len(key) == 0:
		return errors.New("empty key")
	case len(key) > bolt.MaxKeySize:
		return fmt.Errorf("key of %d bytes, more than %d", len(key), bolt.MaxKeySize)
	}
	return nil
}

// encodeAll encodes entries for bucket; an entry that cannot be stored is
// left out and its error added to bad.
func encodeAll[T any](bucket []byte, entries []*paperlist.Entry[T], bad *[]error) []put {
	puts := make([]put, 0, len(entries))
	for i, e := range entries {
		v, err := encodeEntry(e)
		if err == nil {
			err = checkKey([]byte(e.Key))
		}
		if err != nil {
			*bad = append(*bad, fmt.Errorf("%s entry %d: %w", bucket, i, err))
			continue
		}
		puts = append(puts, put{bucket, []byte(e.Key), v})
	}
	return puts
}

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

// write runs fn in a read-write transaction of its own, committed (and
// synced to disk) before write returns.
//
// bbolt's Batch, which lets concurrent writes share a commit, was measured
// and not taken: it holds each commit up to 10ms to gather others, and it
// may run fn twice. Writers batch instead by handing Save everything they
// have at once: the crawler commits from one goroutine whatever its workers
// queued while the last commit ran.
func (s *Store) write(fn func(*bolt.Tx) error) error {
	if s.readOnly {
		return fmt.Errorf("%w: %s", ErrReadOnly, s.path)
	}
	return s.update(fn)
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
