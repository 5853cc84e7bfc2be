package store

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/paperlist/paperlist"
)

// The citations bucket keeps Semantic Scholar's records by the CitationID
// they were asked by ("ARXIV:2302.13971", "DOI:10.…", "URL:https://…"), as
// entries like the other sources' (JSON: the compact encoding knows the
// records of arXiv, GitHub and pages only). The title_matches bucket keeps
// the crawler's batched arXiv title searches by listed title: the one id
// that matched, how many did, when arXiv was asked. Every record is
// checked as it is read: a record that is not one is an unreadable entry,
// fetched again.

// maxTitleMatches bounds the matches a remembered title search counts.
const maxTitleMatches = 1 << 20

// CitationEntries returns the entries of Semantic Scholar's records by
// CitationID, read in one transaction; ids with no entry stored are not in
// the map. An entry that cannot be decoded, or that is no record of its id,
// is left out and named in the error, a *paperlist.UnreadableError, which
// comes with the map of all the others.
func (s *Store) CitationEntries(ids []string) (map[string]*paperlist.Entry[paperlist.CitationRecord], error) {
	m, err := readEntries[paperlist.CitationRecord](s, bucketCitations, ids, func(_ *bolt.Tx, id string) []byte { return []byte(id) })
	var bad []string
	var errs []error
	for id, e := range m {
		if cerr := checkCitation(id, e); cerr != nil {
			delete(m, id)
			bad = append(bad, id)
			errs = append(errs, fmt.Errorf("bucket %s, key %q: %w", bucketCitations, id, cerr))
		}
	}
	if len(bad) > 0 {
		ue := &paperlist.UnreadableError{Names: bad, Err: errors.Join(errs...)}
		if prev := (*paperlist.UnreadableError)(nil); errors.As(err, &prev) {
			ue.Names = append(prev.Names, bad...)
			ue.Err = errors.Join(prev.Err, ue.Err)
		}
		err = ue
	}
	if err != nil {
		return m, fmt.Errorf("store: citation entries: %w", err)
	}
	return m, nil
}

// checkCitation reports what makes e no entry of Semantic Scholar's record
// of id: another key, a key without an id prefix, a record whose strings
// are longer than paperlist's bounds, negative counts or an arXiv id that
// is none.
func checkCitation(id string, e *paperlist.Entry[paperlist.CitationRecord]) error {
	switch {
	case e.Key != id:
		return fmt.Errorf("entry of %q under another key", e.Key)
	case !citationIDPrefix(id):
		return errors.New("key is no Semantic Scholar id")
	case e.State != "" && e.State != paperlist.StateOK && e.State != paperlist.StateNotFound && e.State != paperlist.StateUnavailable:
		return fmt.Errorf("state %q", e.State)
	}
	d := e.Data
	if d == nil {
		return nil
	}
	c := *d
	switch {
	case len(c.Bound()) > 0:
		return fmt.Errorf("record longer than paperlist's bounds (%s)", strings.Join(c.Bound(), ", "))
	case d.Citations < 0, d.InfluentialCitations < 0, d.References < 0:
		return errors.New("negative count")
	case d.ArxivID != "" && !paperlist.PlausibleArxivID(d.ArxivID):
		return fmt.Errorf("arXiv id %q is none", d.ArxivID)
	}
	return nil
}

func citationIDPrefix(id string) bool {
	for _, p := range []string{"ARXIV:", "DOI:", "URL:"} {
		if strings.HasPrefix(id, p) && len(id) > len(p) {
			return true
		}
	}
	return false
}

// TitleMatches returns the remembered title searches of titles, by title;
// titles never searched are not in the map. A record that cannot be
// decoded or is no answer is left out and named in the error, a
// *paperlist.UnreadableError, which comes with the map of all the others.
func (s *Store) TitleMatches(titles []string) (map[string]paperlist.TitleMatch, error) {
	out := make(map[string]paperlist.TitleMatch, len(titles))
	var bad []string
	var errs []error
	err := s.view(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketTitleMatches)
		if b == nil {
			return nil
		}
		for _, t := range titles {
			if checkKey([]byte(t)) != nil {
				continue
			}
			v := b.Get([]byte(t))
			if v == nil {
				continue
			}
			var m paperlist.TitleMatch
			err := json.Unmarshal(v, &m)
			if err == nil {
				err = checkTitleMatch(t, &m)
			}
			if err != nil {
				bad = append(bad, t)
				errs = append(errs, fmt.Errorf("bucket %s, key %q: %w", bucketTitleMatches, t, err))
				continue
			}
			out[t] = m
		}
		return nil
	})
	if err == nil && len(bad) > 0 {
		err = &paperlist.UnreadableError{Names: bad, Err: errors.Join(errs...)}
	}
	if err != nil {
		return out, fmt.Errorf("store: title matches: %w", err)
	}
	return out, nil
}

// checkTitleMatch reports what makes m no answer to the search of title.
func checkTitleMatch(title string, m *paperlist.TitleMatch) error {
	switch {
	case m.Title != title:
		return fmt.Errorf("answer for the title %q", m.Title)
	case m.At.IsZero():
		return errors.New("answer without a time")
	case m.Matches < 0 || m.Matches > maxTitleMatches:
		return fmt.Errorf("%d matches", m.Matches)
	case (m.ArxivID != "") != (m.Matches == 1):
		return fmt.Errorf("id %q with %d matches", m.ArxivID, m.Matches)
	case m.ArxivID != "" && !paperlist.PlausibleArxivID(m.ArxivID):
		return fmt.Errorf("arXiv id %q is none", m.ArxivID)
	}
	return nil
}

// encodeTitleMatches encodes the title searches to store; one that is no
// answer is left out and its error added to bad.
func encodeTitleMatches(ms []paperlist.TitleMatch, bad *[]error) []put {
	puts := make([]put, 0, len(ms))
	for _, m := range ms {
		m.At = m.At.UTC().Truncate(time.Second)
		err := checkKey([]byte(m.Title))
		if err == nil {
			err = checkTitleMatch(m.Title, &m)
		}
		var v []byte
		if err == nil {
			v, err = json.Marshal(m)
		}
		if err != nil {
			*bad = append(*bad, fmt.Errorf("title search %q: %w", m.Title, err))
			continue
		}
		puts = append(puts, put{bucketTitleMatches, []byte(m.Title), v})
	}
	return puts
}
