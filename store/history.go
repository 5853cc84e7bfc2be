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

// StarsOn returns the latest star count stored for a canonical repository
// on or before the UTC day of at; ok is false when none is.
func (s *Store) StarsOn(repo string, at time.Time) (stars int, ok bool, err error) {
	counts, err := s.StarCounts([]string{repo}, at)
	stars, ok = counts[repo]
	return stars, ok, err
}

// StarCounts returns, by repository as given, the latest star count stored
// for each canonical repository on or before the UTC day of at, read in one
// transaction; repositories with none are not in the map. A count that
// cannot be read is left out and named in the error, which comes with the
// map of all the others.
func (s *Store) StarCounts(repos []string, at time.Time) (map[string]int, error) {
	counts := make(map[string]int, len(repos))
	var errs []error
	err := s.view(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketHistory)
		if b == nil {
			return nil
		}
		c := b.Cursor()
		for _, repo := range repos {
			if repoKey(repo) == "" {
				continue
			}
			n, ok, err := starsOn(c, repo, at)
			switch {
			case err != nil:
				errs = append(errs, err)
			case ok:
				counts[repo] = n
			}
		}
		return nil
	})
	if err == nil {
		err = errors.Join(errs...)
	}
	if err != nil {
		return counts, fmt.Errorf("store: star counts: %w", err)
	}
	return counts, nil
}

// starsOn finds the count of one repository with the history's cursor.
func starsOn(c *bolt.Cursor, repo string, at time.Time) (int, bool, error) {
	prefix := []byte(repoKey(repo) + "\x00")
	target := historyKey(repo, at)
	// Seek finds the first key at or after the day; the one wanted is that
	// key when it is the day itself, else the one before it.
	k, v := c.Seek(target)
	switch {
	case k == nil:
		k, v = c.Last()
	case !bytes.Equal(k, target):
		k, v = c.Prev()
	}
	if k == nil || !bytes.HasPrefix(k, prefix) {
		return 0, false, nil
	}
	n, err := strconv.Atoi(string(v))
	if err != nil {
		return 0, false, fmt.Errorf("bucket history, key %q: %q is not a star count", k, v)
	}
	return n, true, nil
}
