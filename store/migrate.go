package store

// Migrations of older cache formats, run by Open in one write transaction.

import (
	"encoding/json"
	"fmt"

	bolt "go.etcd.io/bbolt"

	"github.com/paperlist/paperlist"
)

// compactRecords rewrites the JSON records of a format 1 file in the
// compact encoding. A record that cannot be decoded is left as it is, for
// a read to report as before.
func compactRecords(tx *bolt.Tx) error {
	if err := recode[paperlist.ArxivRecord](tx, bucketArxiv); err != nil {
		return err
	}
	if err := recode[paperlist.RepoStats](tx, bucketRepos); err != nil {
		return err
	}
	return recode[paperlist.PageRecord](tx, bucketPages)
}

func recode[T any](tx *bolt.Tx, bucket []byte) error {
	b := tx.Bucket(bucket)
	type kv struct{ k, v []byte }
	var todo []kv
	// bbolt allows no Put while ForEach walks the bucket: collect first.
	err := b.ForEach(func(k, v []byte) error {
		if len(v) == 0 || v[0] == compactTag {
			return nil
		}
		e := new(paperlist.Entry[T])
		if json.Unmarshal(v, e) != nil || e.Key == "" {
			return nil
		}
		if nv, ok := encodeCompact(nil, e); ok {
			todo = append(todo, kv{k, nv})
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("migrate bucket %s: %w", bucket, err)
	}
	for _, r := range todo {
		// The key is in the file's memory map, which a Put may move.
		if err := b.Put(append([]byte(nil), r.k...), r.v); err != nil {
			return fmt.Errorf("migrate bucket %s, key %q: %w", bucket, r.k, err)
		}
	}
	return nil
}
