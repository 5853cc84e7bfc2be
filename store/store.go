// Package store is paperlist's cache: one bbolt file that keeps every arXiv
// record, repository record and landing page fetched so far, with when it
// was fetched and checked, the server's validators and the last failure, and
// a star count per repository per day.
//
// The file holds these buckets:
//
//	meta        "schema_version" → the file's FormatVersion, in decimal
//	arxiv       arXiv id → Entry[ArxivRecord]
//	repos       canonical lower-case "owner/name" → Entry[RepoStats]
//	repo_names  lower-case "owner/name" as listed → canonical key
//	pages       URL → Entry[PageRecord]
//	history     canonical "owner/name" NUL "YYYY-MM-DD" (UTC) → stars, in decimal
//	searches    arXiv title search phrase → its answer (searches.go)
//	citations   Semantic Scholar id ("ARXIV:…", "DOI:…", "URL:…") → Entry[CitationRecord] (citations.go)
//	title_matches  listed title → the crawler's title search answer (citations.go)
//
// bbolt's file lock keeps two runs from writing one file at once: Open waits
// at most Options.Timeout for it and then fails with ErrLocked. A read-only
// Open never waits: when a writer holds the file, it reads a copy that is
// one committed state of it.
//
// bbolt maps the file into memory and trusts its pages, so a damaged file
// would crash the process; Open checks every page a run will read, with
// plain reads, before bbolt sees the file.
//
// Records are in the compact encoding of codec.go since format 2; format 1
// wrote them as JSON, which is still read, and Open rewrites the records of
// a format 1 file in the compact encoding.
package store

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"time"

	bolt "go.etcd.io/bbolt"
	berrors "go.etcd.io/bbolt/errors"
)

// FormatVersion is the version of the layout of the cache files this
// package writes: its buckets, keys and record encodings. It is not the
// version of papers.json (paperlist.FormatVersion). A file of a newer
// format is refused; a file of an older one is migrated on open.
//
// Format 2 writes records in the compact encoding instead of JSON.
const FormatVersion = 2

// Errors of the store, to be told apart with errors.Is.
var (
	// ErrLocked means another run holds the file's lock.
	ErrLocked = errors.New("cache is in use by another run")
	// ErrNotDatabase means the file is not a paperlist cache: not a bbolt
	// database at all, or a bbolt database of some other program. Open
	// never modifies such a file.
	ErrNotDatabase = errors.New("not a paperlist cache")
	// ErrNewerFormat means the file was written by a newer paperlist, in a
	// format version this one does not know.
	ErrNewerFormat = errors.New("cache format is newer than this paperlist knows")
	// ErrReadOnly is returned by writes to a store opened read-only.
	ErrReadOnly = errors.New("cache is open read-only")
)

// Bucket names.
var (
	bucketMeta      = []byte("meta")
	bucketArxiv     = []byte("arxiv")
	bucketRepos     = []byte("repos")
	bucketRepoNames = []byte("repo_names")
	bucketPages     = []byte("pages")
	bucketHistory   = []byte("history")
	bucketSearches  = []byte("searches")

	bucketCitations    = []byte("citations")
	bucketTitleMatches = []byte("title_matches")
	bucketLists        = []byte("lists")

	allBuckets = [][]byte{bucketMeta, bucketArxiv, bucketRepos, bucketRepoNames, bucketPages, bucketHistory, bucketSearches, bucketCitations, bucketTitleMatches, bucketLists}

	// keyFormatVersion keeps its name of old: files already written hold
	// their FormatVersion under it.
	keyFormatVersion = []byte("schema_version")
)

// Options configure Open.
type Options struct {
	// Timeout is how long to wait for another run to release the file's
	// lock. Zero or less means one attempt: fail at once.
	Timeout time.Duration
	// ReadOnly opens the file with a shared lock and never creates or
	// writes it; several read-only stores may share a file. While a writer
	// holds the file, a read-only store reads a copy of it, taken into the
	// temporary folder and removed on Close, and ignores Timeout.
	ReadOnly bool
}

// Store is an open cache file. Its methods may be called from several
// goroutines at once.
type Store struct {
	db       *bolt.DB
	path     string
	readOnly bool
	snapshot string // the copy a read-only store reads, removed on Close
}

// DefaultPath returns where the cache lives unless told otherwise:
// cache.db in a paperlist folder of the user's cache directory.
func DefaultPath() (string, error) {
	dir, err := os.UserCacheDir()
	if err != nil {
		return "", fmt.Errorf("store: default path: %w", err)
	}
	return filepath.Join(dir, "paperlist", "cache.db"), nil
}

// Open opens the cache at path. Unless opts.ReadOnly, it creates the file
// (mode 0600) and its folder (0700) when missing and the buckets when new.
// A read-only open of a missing or empty file fails with an error wrapping
// fs.ErrNotExist. Open fails with an error wrapping ErrLocked when the lock
// is not obtained within opts.Timeout, ErrNotDatabase when the file is not a
// paperlist cache, and ErrNewerFormat when it was written by a newer
// paperlist; in all three cases the file is left as it was.
func Open(path string, opts Options) (*Store, error) {
	return OpenContext(context.Background(), path, opts)
}

// lockPoll is the longest single attempt at the file's lock: bbolt's own
// wait cannot be cancelled, so a long Timeout is waited in attempts of this
// length, and a cancelled context ends the wait within one.
const lockPoll = 100 * time.Millisecond

// OpenContext is Open whose wait for another run's lock also ends when ctx
// is done, with ctx's error (a signal during the wait is an interruption,
// not a failure).
func OpenContext(ctx context.Context, path string, opts Options) (*Store, error) {
	deadline := time.Now().Add(opts.Timeout)
	for {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		try := opts
		try.Timeout = min(lockPoll, time.Until(deadline))
		s, err := openOnce(path, try)
		switch {
		case err == nil || !errors.Is(err, ErrLocked):
			return s, err
		case ctx.Err() != nil:
			return nil, ctx.Err()
		case !time.Now().Before(deadline):
			return nil, lockedError(path, opts.Timeout)
		}
	}
}

// openOnce is Open with a wait for the lock of at most opts.Timeout.
func openOnce(path string, opts Options) (*Store, error) {
	if path == "" {
		return nil, errors.New("store: open: empty path")
	}
	if !opts.ReadOnly {
		if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
			return nil, fmt.Errorf("store: open: %w", err)
		}
	}
	snap, err := checkFile(path, opts)
	if err != nil {
		return nil, openFailed(err)
	}

	// bbolt waits forever on a zero Timeout; ours means one attempt, which
	// bbolt makes for any timeout below its retry interval. A read-only
	// open never waits: it reads a copy instead.
	timeout := max(opts.Timeout, time.Nanosecond)
	if opts.ReadOnly {
		timeout = time.Nanosecond
	}
	db, err := openBolt(cmp.Or(snap, path), &bolt.Options{Timeout: timeout, ReadOnly: opts.ReadOnly})
	if opts.ReadOnly && snap == "" && errors.Is(err, berrors.ErrTimeout) {
		// A writer took the file between checkFile and bbolt.
		if snap, err = snapshotOf(path); err != nil {
			return nil, openFailed(err)
		}
		db, err = openBolt(snap, &bolt.Options{Timeout: timeout, ReadOnly: true})
	}
	if err != nil && snap != "" {
		_ = os.Remove(snap)
	}
	switch {
	case errors.Is(err, berrors.ErrTimeout):
		return nil, lockedError(path, opts.Timeout)
	case errors.Is(err, berrors.ErrInvalid), errors.Is(err, berrors.ErrVersionMismatch), errors.Is(err, berrors.ErrChecksum):
		return nil, notDatabase(path, err)
	case errors.Is(err, ErrCorrupt):
		return nil, &openError{msg: err.Error(), kind: ErrNotDatabase, cause: err}
	case err != nil:
		return nil, fmt.Errorf("store: open %s: %w", path, err)
	}

	s := &Store{db: db, path: path, readOnly: opts.ReadOnly, snapshot: snap}
	if err := s.prepare(); err != nil {
		_ = s.Close()
		var ce *corruptError
		if errors.As(err, &ce) {
			return nil, &openError{msg: ce.Error(), kind: ErrNotDatabase, cause: ce}
		}
		return nil, err
	}
	return s, nil
}

// ErrCorrupt is wrapped by the errors of a cache file whose pages bbolt
// cannot read: bbolt panics on such pages, and the store turns the panic
// into this error so that a damaged file gives a clear message, never a
// crash, and is never written over.
var ErrCorrupt = errors.New("cache file is corrupt")

// openBolt is bolt.Open with its panics on a damaged file (an invalid
// freelist or meta page) turned into an error wrapping ErrCorrupt.
func openBolt(path string, o *bolt.Options) (db *bolt.DB, err error) {
	defer func() {
		if r := recover(); r != nil {
			db, err = nil, &corruptError{path: path, what: fmt.Sprint(r)}
		}
	}()
	return bolt.Open(path, 0o600, o)
}

// view runs fn in a read transaction, with a panic of bbolt's on a damaged
// page turned into an error wrapping ErrCorrupt.
func (s *Store) view(fn func(*bolt.Tx) error) (err error) {
	defer s.recoverCorrupt(&err)
	return s.db.View(fn)
}

// update runs fn in a write transaction like view; bbolt rolls the
// transaction back before the panic reaches the store, so nothing of it is
// written.
func (s *Store) update(fn func(*bolt.Tx) error) (err error) {
	defer s.recoverCorrupt(&err)
	return s.db.Update(fn)
}

func (s *Store) recoverCorrupt(err *error) {
	if r := recover(); r != nil {
		*err = &corruptError{path: s.path, what: fmt.Sprint(r)}
	}
}

// corruptError is a panic of bbolt's on a damaged page, as an error.
type corruptError struct{ path, what string }

func (e *corruptError) Error() string {
	return fmt.Sprintf("cache %s is corrupt (%s): move it away or use another -db", e.path, e.what)
}

func (e *corruptError) Unwrap() error { return ErrCorrupt }

// Path returns the file the store was opened on.
func (s *Store) Path() string { return s.path }

// Close releases the file and its lock.
func (s *Store) Close() error {
	err := s.db.Close()
	if s.snapshot != "" {
		err = errors.Join(err, os.Remove(s.snapshot))
	}
	if err != nil {
		return fmt.Errorf("store: close %s: %w", s.path, err)
	}
	return nil
}

// Stats returns the number of records in each bucket but meta, by bucket
// name.
func (s *Store) Stats() (map[string]int, error) {
	stats := make(map[string]int, len(allBuckets)-1)
	err := s.view(func(tx *bolt.Tx) error {
		for _, name := range allBuckets[1:] {
			n := 0
			if b := tx.Bucket(name); b != nil {
				n = b.Stats().KeyN
			}
			stats[string(name)] = n
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("store: stats: %w", err)
	}
	return stats, nil
}

// openError is an error of Open with a message for a person and a sentinel
// for code.
type openError struct {
	msg   string
	kind  error
	cause error
}

func (e *openError) Error() string { return e.msg }

func (e *openError) Unwrap() []error {
	if e.cause == nil {
		return []error{e.kind}
	}
	return []error{e.kind, e.cause}
}

func notDatabase(path string, cause error) error {
	msg := fmt.Sprintf("cache %s is not a bbolt database; refusing to touch it: move it away or use another -db", path)
	if cause != nil {
		msg = fmt.Sprintf("cache %s is not a readable bbolt database (%v); refusing to touch it: move it away or use another -db", path, cause)
	}
	return &openError{msg: msg, kind: ErrNotDatabase, cause: cause}
}

// openFailed gives an error of checkFile the form of Open's errors.
func openFailed(err error) error {
	var ce *corruptError
	if errors.As(err, &ce) {
		return &openError{msg: ce.Error(), kind: ErrNotDatabase, cause: ce}
	}
	return err
}

func lockedError(path string, waited time.Duration) error {
	return &openError{
		msg:  fmt.Sprintf("cache %s is in use by another run (waited %s); try again later or raise -lock-timeout", path, max(waited, 0)),
		kind: ErrLocked,
	}
}

// prepare checks the format version of the file and, when writable,
// creates the buckets, migrates an older format and records the current
// one. A file already current is not written to.
func (s *Store) prepare() error {
	var version int
	var foreign bool
	var complete bool
	err := s.view(func(tx *bolt.Tx) error {
		var err error
		version, err = formatVersion(tx)
		if err != nil {
			return err
		}
		complete = true
		for _, name := range allBuckets {
			if tx.Bucket(name) == nil {
				complete = false
			}
		}
		// A database without our meta bucket that holds buckets anyway was
		// made by some other program.
		if tx.Bucket(bucketMeta) == nil {
			foreign = tx.ForEach(func([]byte, *bolt.Bucket) error { return errStop }) != nil
		}
		return nil
	})
	switch {
	case err != nil:
		return fmt.Errorf("store: open %s: %w", s.path, err)
	case foreign:
		return &openError{
			msg:  fmt.Sprintf("cache %s is a bbolt database of another program; refusing to touch it: use another -db", s.path),
			kind: ErrNotDatabase,
		}
	case version > FormatVersion:
		return &openError{
			msg:  fmt.Sprintf("cache %s is format %d, this paperlist knows up to %d: upgrade paperlist or use another -db", s.path, version, FormatVersion),
			kind: ErrNewerFormat,
		}
	case s.readOnly, version == FormatVersion && complete:
		// A read-only store reads an older format as it is: JSON records
		// are still read, and what a format adds decodes as absent.
		return nil
	}

	err = s.update(func(tx *bolt.Tx) error {
		for _, name := range allBuckets {
			if _, err := tx.CreateBucketIfNotExists(name); err != nil {
				return fmt.Errorf("create bucket %s: %w", name, err)
			}
		}
		// Migrations of older formats go here, in order, each as
		// "if version < N { … }"; format 0 is a new file and needs none.
		if version == 1 {
			if err := compactRecords(tx); err != nil {
				return err
			}
		}
		return tx.Bucket(bucketMeta).Put(keyFormatVersion, []byte(strconv.Itoa(FormatVersion)))
	})
	if err != nil {
		return fmt.Errorf("store: prepare %s: %w", s.path, err)
	}
	return nil
}

var errStop = errors.New("stop")

// formatVersion returns the format version recorded in the file, 0 when
// none is.
func formatVersion(tx *bolt.Tx) (int, error) {
	b := tx.Bucket(bucketMeta)
	if b == nil {
		return 0, nil
	}
	v := b.Get(keyFormatVersion)
	if v == nil {
		return 0, nil
	}
	n, err := strconv.Atoi(string(v))
	if err != nil || n < 0 {
		return 0, fmt.Errorf("bucket meta, key schema_version: %q is not a format version", v)
	}
	return n, nil
}
