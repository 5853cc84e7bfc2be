package store

import (
	"bytes"
	"errors"
	"fmt"
	"runtime"
	"sync"

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
	// One cursor finds every alias of the transaction (see seekGet).
	var aliases *bolt.Cursor
	m, err := readEntries[paperlist.RepoStats](s, bucketRepos, names, func(tx *bolt.Tx, name string) []byte {
		key := []byte(repoKey(name))
		if aliases == nil || aliases.Bucket().Tx() != tx {
			aliases = tx.Bucket(bucketRepoNames).Cursor()
		}
		if c := seekGet(aliases, key); c != nil {
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

// ArxivHeads is ArxivEntries without the records: each entry's Data is
// nil. It reads what says whether a record is fresh, and costs a fraction
// of a full read.
func (s *Store) ArxivHeads(ids []string) (map[string]*paperlist.Entry[paperlist.ArxivRecord], error) {
	m, err := readEntriesWith(s, bucketArxiv, ids, arxivKey, decodeHead[paperlist.ArxivRecord])
	if err != nil {
		return m, fmt.Errorf("store: arxiv entries: %w", err)
	}
	return m, nil
}

// ArxivChecks is ArxivEntries with only what the checks of a paper read
// of each record (see paperlist.CheckArxiv): its id, title, comment and
// whether it was withdrawn.
func (s *Store) ArxivChecks(ids []string) (map[string]*paperlist.Entry[paperlist.ArxivRecord], error) {
	m, err := readEntriesWith(s, bucketArxiv, ids, arxivKey, decodeArxivCheck)
	if err != nil {
		return m, fmt.Errorf("store: arxiv entries: %w", err)
	}
	return m, nil
}

// PageHeads is PageEntries without the records: each entry's Data is nil.
func (s *Store) PageHeads(urls []string) (map[string]*paperlist.Entry[paperlist.PageRecord], error) {
	m, err := readEntriesWith(s, bucketPages, urls, pageKey, decodeHead[paperlist.PageRecord])
	if err != nil {
		return m, fmt.Errorf("store: page entries: %w", err)
	}
	return m, nil
}

func arxivKey(_ *bolt.Tx, id string) []byte { return []byte(id) }

func pageKey(_ *bolt.Tx, url string) []byte { return []byte(url) }

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
	return decodeEntry[T](bucket, key, v)
}

func decodeEntry[T any](bucket, key, v []byte) (*paperlist.Entry[T], error) {
	return decodeEntryWith(bucket, key, v, decodeRecord[T])
}

func decodeEntryWith[T any](bucket, key, v []byte, decode func([]byte, *paperlist.Entry[T]) error) (*paperlist.Entry[T], error) {
	e := new(paperlist.Entry[T])
	if err := decode(v, e); err != nil {
		return nil, fmt.Errorf("bucket %s, key %q: decode: %w", bucket, key, err)
	}
	return e, nil
}

// readEntries reads the entries of names from bucket in one transaction,
// each under the key that keyOf gives it in that transaction, and returns
// them by name. Entries that cannot be decoded are left out and named in
// the error, a *paperlist.UnreadableError.
//
// Decoding is most of the time a read takes, so the values, which
// stay valid while the transaction is open, are decoded on every CPU.
func readEntries[T any](s *Store, bucket []byte, names []string, keyOf func(*bolt.Tx, string) []byte) (map[string]*paperlist.Entry[T], error) {
	return readEntriesWith(s, bucket, names, keyOf, decodeRecord[T])
}

// releaseEvery is how many values a read decodes before it lets the map's
// pages go. Every page a read touches brings the pages around it into the
// process's resident set too (the kernel maps up to 64 KB around a fault
// of a file map, whatever the map's advice), so a read of a few hundred
// records scattered over the file held several MB of it. Released every
// 64 values, a warm rerun of 10,000 papers peaks about 2 MB lower, for
// more faults of the pages two reads share: about 5% of its time.
const releaseEvery = 64

// readEntriesWith is readEntries decoding each value with decode.
func readEntriesWith[T any](s *Store, bucket []byte, names []string, keyOf func(*bolt.Tx, string) []byte,
	decode func([]byte, *paperlist.Entry[T]) error,
) (map[string]*paperlist.Entry[T], error) {
	type value struct {
		name     string
		key, raw []byte
		entry    *paperlist.Entry[T]
		err      error
	}
	out := make(map[string]*paperlist.Entry[T], len(names))
	var errs []error
	var unreadable []string
	err := s.view(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucket)
		if b == nil {
			return nil
		}
		values := make([]value, 0, min(len(names), releaseEvery))
		c := b.Cursor()
		for lo := 0; lo < len(names); lo += releaseEvery {
			values = values[:0]
			for _, name := range names[lo:min(lo+releaseEvery, len(names))] {
				key := keyOf(tx, name)
				if len(key) == 0 {
					continue
				}
				if raw := seekGet(c, key); raw != nil {
					values = append(values, value{name: name, key: key, raw: raw})
				}
			}
			// Chunks of at least 64 values keep the goroutines worth
			// starting.
			chunk := max(64, (len(values)+runtime.GOMAXPROCS(0)-1)/runtime.GOMAXPROCS(0))
			var wg sync.WaitGroup
			for lo := 0; lo < len(values); lo += chunk {
				part := values[lo:min(lo+chunk, len(values))]
				wg.Go(func() {
					for i := range part {
						part[i].entry, part[i].err = decodeEntryWith(bucket, part[i].key, part[i].raw, decode)
					}
				})
			}
			wg.Wait()
			// What was read is decoded into copies: the map's pages can
			// go.
			releaseMapped(tx.DB().Info().Data, tx.Size())
			for _, v := range values {
				if v.err != nil {
					errs = append(errs, v.err)
					unreadable = append(unreadable, v.name)
					continue
				}
				out[v.name] = v.entry
			}
		}
		return nil
	})
	if err != nil || len(errs) == 0 {
		return out, err
	}
	return out, &paperlist.UnreadableError{Names: unreadable, Err: errors.Join(errs...)}
}

// seekGet is Bucket.Get through c: the value stored under key, nil when
// there is none or key names a bucket. Get makes a cursor of its own on
// every call, whose stack is allocated anew; a read of thousands of
// records through one cursor spares those allocations (8 MB in a warm
// rerun of 10,000 papers).
func seekGet(c *bolt.Cursor, key []byte) []byte {
	k, v := c.Seek(key)
	if v == nil || !bytes.Equal(k, key) {
		return nil
	}
	return v
}
