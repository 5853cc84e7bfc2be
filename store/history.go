package store

import (
	"bytes"
	"errors"
	"fmt"
	"strconv"
	"time"

	bolt "go.etcd.io/bbolt"
)

// dayLayout names a UTC day in history keys; its fixed width makes the keys
// of one repository sort by day.
const dayLayout = "2006-01-02"

// historyKey is the key of a repository's star count on the UTC day of at.
// NUL sorts before every character a repository name may hold, so the days
// of one repository are contiguous and never mix with another's.
func historyKey(repo string, at time.Time) []byte {
	return []byte(repoKey(repo) + "\x00" + at.UTC().Format(dayLayout))
}

// RecordStars stores the star count of a canonical repository for the UTC
// day of at, replacing any count already stored for that day.
func (s *Store) RecordStars(repo string, at time.Time, stars int) error {
	if repoKey(repo) == "" {
		return errors.New("store: record stars: empty repository name")
	}
	key := historyKey(repo, at)
	err := s.write(func(tx *bolt.Tx) error {
		return tx.Bucket(bucketHistory).Put(key, []byte(strconv.Itoa(stars)))
	})
	if err != nil {
		return fmt.Errorf("store: record stars of %s: %w", repo, err)
	}
	return nil
}

// StarsOn returns the latest star count stored for a canonical repository
// on or before the UTC day of at; ok is false when none is.
func (s *Store) StarsOn(repo string, at time.Time) (stars int, ok bool, err error) {
	prefix := []byte(repoKey(repo) + "\x00")
	target := historyKey(repo, at)
	err = s.db.View(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketHistory)
		if b == nil {
			return nil
		}
		// Seek finds the first key at or after the day; the one wanted is
		// that key when it is the day itself, else the one before it.
		c := b.Cursor()
		k, v := c.Seek(target)
		switch {
		case k == nil:
			k, v = c.Last()
		case !bytes.Equal(k, target):
			k, v = c.Prev()
		}
		if k == nil || !bytes.HasPrefix(k, prefix) {
			return nil
		}
		n, convErr := strconv.Atoi(string(v))
		if convErr != nil {
			return fmt.Errorf("bucket history, key %q: %q is not a star count", k, v)
		}
		stars, ok = n, true
		return nil
	})
	if err != nil {
		return 0, false, fmt.Errorf("store: stars of %s: %w", repo, err)
	}
	return stars, ok, nil
}
