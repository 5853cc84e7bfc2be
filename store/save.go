package store

import (
	"encoding/json"
	"errors"
	"fmt"
	"strconv"

	bolt "go.etcd.io/bbolt"

	"github.com/paperlist/paperlist"
)

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
	pages = append(pages, encodeAll(bucketCitations, b.Citations, &bad)...)
	pages = append(pages, encodeTitleMatches(b.TitleMatches, &bad)...)
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
			// The pages the puts walked are read through the map: like a
			// read's (see readEntries), they can go, or a run that saves
			// all over the file would end holding the whole of it.
			releaseMapped(tx.DB().Info().Data, tx.Size())
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

func encodeEntry[T any](e *paperlist.Entry[T]) ([]byte, error) {
	if e == nil {
		return nil, errors.New("nil entry")
	}
	if e.Key == "" {
		return nil, errors.New("entry without key")
	}
	if v, ok := encodeCompact(make([]byte, 0, 512), e); ok {
		return v, nil
	}
	v, err := json.Marshal(e)
	if err != nil {
		return nil, fmt.Errorf("encode %q: %w", e.Key, err)
	}
	return v, nil
}
