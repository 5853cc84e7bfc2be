package store

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"fmt"

	bolt "go.etcd.io/bbolt"

	"github.com/paperlist/paperlist"
)

// The lists bucket keeps, for each list source, the last list read from it:
// the bytes it was read from (by their SHA-256), the build of the reader
// that read them, and the list the reader made of them, so that a rerun on
// an unchanged list does not read it again. Reading a list of 10,000 papers
// costs about 130 ms of a rerun's 380; decoding the kept list about 11.
//
// A kept list is used only by the build that made it: the reader's rules
// change from build to build, and what an old reader made is not what the
// running one makes. Under the key of the list's Source, its value is
//
//	uvarint len(build) | build | sha256 of the bytes (32) | the list (listcodec.go)
//
// One list is kept per source: reading another version of a list replaces
// it.

// ListMemo is a build's view of the lists bucket: it finds and keeps only
// what that build read. A nil ListMemo finds and keeps nothing.
type ListMemo struct {
	s     *Store
	build string
}

// Lists returns the view of the lists bucket of the build named build,
// something that differs between any two builds of the reader (the
// executable's build ID). An empty build keeps nothing and finds nothing.
func (s *Store) Lists(build string) *ListMemo { return &ListMemo{s: s, build: build} }

// List returns the list that this build read from src under source, nil
// when it kept none. A kept list that does not decode is no list: the
// caller reads src again, and keeps what it reads in its place.
func (m *ListMemo) List(source string, src []byte) (*paperlist.List, error) {
	if m == nil || m.build == "" {
		return nil, nil
	}
	sum := sha256.Sum256(src)
	var l *paperlist.List
	err := m.s.view(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketLists)
		if b == nil {
			return nil
		}
		v := b.Get([]byte(source))
		body, ok := m.match(v, sum)
		if !ok {
			return nil
		}
		// The decoded list's text is a copy: the list outlives the
		// transaction, and the map's pages can go.
		defer releaseMapped(tx.DB().Info().Data, tx.Size())
		var got paperlist.List
		if err := decodeList(body, &got); err != nil {
			return fmt.Errorf("decode the list kept for %s: %w", source, err)
		}
		if err := checkKept(&got, source); err != nil {
			return err
		}
		l = &got
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("store: lists: %w", err)
	}
	return l, nil
}

// match returns the encoded list in v when v is this build's list of
// the bytes whose SHA-256 is sum.
func (m *ListMemo) match(v []byte, sum [sha256.Size]byte) ([]byte, bool) {
	n, k := binary.Uvarint(v)
	if k <= 0 || n != uint64(len(m.build)) || uint64(len(v)-k) < n+sha256.Size {
		return nil, false
	}
	v = v[k:]
	if string(v[:n]) != m.build || !bytes.Equal(v[n:n+sha256.Size], sum[:]) {
		return nil, false
	}
	return v[n+sha256.Size:], true
}

// checkKept refuses a decoded list that a reader could not have made.
func checkKept(l *paperlist.List, source string) error {
	if l.Source != source {
		return fmt.Errorf("the list kept for %s names the source %q", source, l.Source)
	}
	for i, p := range l.Papers {
		if p == nil {
			return fmt.Errorf("the list kept for %s lacks paper %d", source, i+1)
		}
	}
	return nil
}

// Remember keeps l, which this build read from src, for the next run that
// reads the same bytes under l's Source: Keep of what Encode gives.
func (m *ListMemo) Remember(src []byte, l *paperlist.List) error {
	k, err := m.Encode(src, l)
	if err != nil {
		return err
	}
	return m.Keep(k)
}

// KeptList is a list encoded to be kept, by Encode.
type KeptList struct {
	source string
	value  []byte
}

// Encode encodes l, which this build read from src, to be kept; l may
// change after. A memo of no build gives nothing to keep (nil).
func (m *ListMemo) Encode(src []byte, l *paperlist.List) (*KeptList, error) {
	if m == nil || m.build == "" {
		return nil, nil
	}
	sum := sha256.Sum256(src)
	body, err := encodeList(l)
	if err != nil {
		return nil, fmt.Errorf("store: lists: encode %s: %w", l.Source, err)
	}
	v := binary.AppendUvarint(make([]byte, 0, binary.MaxVarintLen64+len(m.build)+sha256.Size+len(body)), uint64(len(m.build)))
	v = append(v, m.build...)
	v = append(v, sum[:]...)
	v = append(v, body...)
	return &KeptList{source: l.Source, value: v}, nil
}

// Keep writes k into the cache, replacing the list kept for its source.
// It may run beside the rest of a run: it is a write of its own.
func (m *ListMemo) Keep(k *KeptList) error {
	if k == nil {
		return nil
	}
	if m.s.readOnly {
		return ErrReadOnly
	}
	err := m.s.update(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketLists)
		if b == nil {
			return errors.New("no lists bucket")
		}
		return b.Put([]byte(k.source), k.value)
	})
	if err != nil {
		return fmt.Errorf("store: lists: keep %s: %w", k.source, err)
	}
	return nil
}
