package store

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"syscall"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/paperlist/paperlist"
)

// The searches bucket keeps the answers of fix's arXiv title searches, so
// that fix -offline makes the fixes an online fix made: by search phrase,
// the results' ids and titles in arXiv's order and when arXiv was asked.
// The matched paper's full record is in the arxiv bucket like any other.
// A record is checked when read, as every record is: a phrase, ids and
// titles an answer could hold, a fetch time.

// Bounds of a remembered search answer.
const (
	maxSearchPhrase  = 1 << 10
	maxSearchResults = 100
	maxSearchTitle   = 4 << 10
	// maxSearchFile is the largest DB.searches.json, the file that kept the
	// answers before format 2's bucket, that is migrated.
	maxSearchFile = 16 << 20
)

// searchRecord is a search answer as stored, in JSON.
type searchRecord struct {
	At      time.Time      `json:"at"`
	Results []searchResult `json:"results"`
}

type searchResult struct {
	ID    string `json:"id"`
	Title string `json:"title"`
}

// Search returns the remembered answer to the title search phrase, as
// records with an id and a title, and when arXiv gave it; nil and the zero
// time when phrase was never searched. A record that is not a valid answer
// is an error.
func (s *Store) Search(phrase string) (results []*paperlist.ArxivRecord, at time.Time, err error) {
	var rec *searchRecord
	err = s.view(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketSearches)
		if b == nil {
			return nil
		}
		v := b.Get([]byte(phrase))
		if v == nil {
			return nil
		}
		rec, err = decodeSearch(phrase, v)
		return err
	})
	if err != nil || rec == nil {
		return nil, time.Time{}, err
	}
	results = make([]*paperlist.ArxivRecord, len(rec.Results))
	for i, r := range rec.Results {
		results[i] = &paperlist.ArxivRecord{ID: r.ID, Title: r.Title}
	}
	return results, rec.At, nil
}

// SaveSearch remembers the answer results to the title search phrase,
// asked at at. An answer that is not valid is refused.
func (s *Store) SaveSearch(phrase string, results []*paperlist.ArxivRecord, at time.Time) error {
	if s.readOnly {
		return ErrReadOnly
	}
	rec := searchRecord{At: at.UTC(), Results: []searchResult{}}
	for _, r := range results {
		if r != nil {
			rec.Results = append(rec.Results, searchResult{ID: r.ID, Title: r.Title})
		}
	}
	if err := checkSearch(phrase, &rec); err != nil {
		return fmt.Errorf("store: save search: %w", err)
	}
	v, err := json.Marshal(rec)
	if err != nil {
		return fmt.Errorf("store: save search: %w", err)
	}
	return s.update(func(tx *bolt.Tx) error {
		return tx.Bucket(bucketSearches).Put([]byte(phrase), v)
	})
}

// decodeSearch decodes and checks the record of phrase.
func decodeSearch(phrase string, v []byte) (*searchRecord, error) {
	var rec searchRecord
	dec := json.NewDecoder(bytes.NewReader(v))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&rec); err != nil {
		return nil, fmt.Errorf("bucket searches, key %q: %w", phrase, err)
	}
	if err := checkSearch(phrase, &rec); err != nil {
		return nil, fmt.Errorf("bucket searches, key %q: %w", phrase, err)
	}
	return &rec, nil
}

// checkSearch reports what makes rec no answer to the search phrase: an
// empty or long phrase, no fetch time, too many results, a result whose id
// is not an arXiv id without a version or whose title is long.
func checkSearch(phrase string, rec *searchRecord) error {
	switch {
	case phrase == "" || len(phrase) > maxSearchPhrase:
		return fmt.Errorf("search phrase of %d bytes", len(phrase))
	case rec.At.IsZero():
		return errors.New("search answer without a time")
	case len(rec.Results) > maxSearchResults:
		return fmt.Errorf("search answer with %d results", len(rec.Results))
	}
	for _, r := range rec.Results {
		if !paperlist.PlausibleArxivID(r.ID) {
			return fmt.Errorf("search result %q is not an arXiv id", r.ID)
		}
		if len(r.Title) > maxSearchTitle {
			return fmt.Errorf("search result %s has a title of %d bytes", r.ID, len(r.Title))
		}
	}
	return nil
}

// SearchFile is where paperlist kept the title searches of the cache at
// path before they had a bucket.
func SearchFile(path string) string { return path + ".searches.json" }

// MigrateSearchFile moves the answers of SearchFile(s.Path()) into the
// searches bucket, keeping a newer answer the bucket has, and removes the
// file. Only a regular file of at most 16 MiB is read, never through a
// symbolic link; anything else at that name is removed unread (a symbolic
// link itself, not its target). A read-only store leaves the file. The
// answers that are not valid are left out and named in the error.
func (s *Store) MigrateSearchFile() error {
	if s.readOnly {
		return nil
	}
	path := SearchFile(s.path)
	data, err := readSearchFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		_ = os.Remove(path)
		return fmt.Errorf("store: migrate %s: %w; removed", path, err)
	}
	var file struct {
		Searches map[string]searchRecord `json:"searches"`
	}
	if err := json.Unmarshal(data, &file); err != nil {
		_ = os.Remove(path)
		return fmt.Errorf("store: migrate %s: %w; removed", path, err)
	}
	var bad []error
	err = s.update(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketSearches)
		for phrase, rec := range file.Searches {
			if err := checkSearch(phrase, &rec); err != nil {
				bad = append(bad, fmt.Errorf("search %q: %w", phrase, err))
				continue
			}
			if old := b.Get([]byte(phrase)); old != nil {
				if have, err := decodeSearch(phrase, old); err == nil && !have.At.Before(rec.At) {
					continue
				}
			}
			rec.At = rec.At.UTC()
			v, err := json.Marshal(rec)
			if err != nil {
				return err
			}
			if err := b.Put([]byte(phrase), v); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("store: migrate %s: %w", path, err)
	}
	if err := os.Remove(path); err != nil {
		return fmt.Errorf("store: migrate %s: %w", path, err)
	}
	if len(bad) > 0 {
		return fmt.Errorf("store: migrate %s: left out: %w", path, errors.Join(bad...))
	}
	return nil
}

// readSearchFile reads the regular file at path, at most maxSearchFile
// bytes, without following a symbolic link or waiting on a FIFO.
func readSearchFile(path string) ([]byte, error) {
	before, err := os.Lstat(path)
	if err != nil {
		return nil, err
	}
	if !before.Mode().IsRegular() {
		return nil, fmt.Errorf("not a regular file (%s)", before.Mode().Type())
	}
	// O_NONBLOCK: a FIFO put there since the Lstat opens without waiting
	// for a writer, and the check below refuses it.
	f, err := os.OpenFile(path, os.O_RDONLY|syscall.O_NONBLOCK, 0)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return nil, err
	}
	if !fi.Mode().IsRegular() || !os.SameFile(before, fi) {
		return nil, errors.New("replaced while read")
	}
	if fi.Size() > maxSearchFile {
		return nil, fmt.Errorf("%d bytes, more than %d", fi.Size(), maxSearchFile)
	}
	data, err := io.ReadAll(io.LimitReader(f, maxSearchFile+1))
	if err != nil {
		return nil, err
	}
	if len(data) > maxSearchFile {
		return nil, fmt.Errorf("more than %d bytes", maxSearchFile)
	}
	return data, nil
}
