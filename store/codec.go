package store

// The compact encoding of cache records. A JSON record spends most of its
// bytes on field names and most of a warm rerun's decoding time on
// scanning them; this one writes the fields in a fixed order, lengths as
// varints, and decodes a record's strings out of one copy of its value.

import (
	"encoding/json"
	"fmt"
	"strings"
	"unsafe"

	"github.com/paperlist/paperlist"
)

// compactTag is the first byte of a record in the compact encoding; a
// record in JSON, as format 1 wrote them all, starts with '{'. The byte
// after it is the version of the compact layout.
const (
	compactTag     = 0x00
	compactVersion = 1
)

// encodeCompact appends e in the compact encoding to dst; ok is false when
// T is a record type the encoding does not know.
func encodeCompact[T any](dst []byte, e *paperlist.Entry[T]) (out []byte, ok bool) {
	w := writer{b: append(dst, compactTag, compactVersion)}
	w.str(e.Key)
	w.str(string(e.State))
	w.str(e.Reason)
	w.time(e.FetchedAt)
	w.time(e.CheckedAt)
	w.str(e.ETag)
	w.str(e.LastModified)
	w.flag(e.Failure != nil)
	if f := e.Failure; f != nil {
		w.str(f.Kind)
		w.str(f.Message)
		w.time(f.At)
		w.int(int64(f.Attempts))
	}
	w.flag(e.Data != nil)
	if e.Data == nil {
		return w.b, true
	}
	switch d := any(e.Data).(type) {
	case *paperlist.ArxivRecord:
		w.arxiv(d)
	case *paperlist.RepoStats:
		w.repo(d)
	case *paperlist.PageRecord:
		w.page(d)
	default:
		return dst, false
	}
	return w.b, true
}

// decodeHead decodes a record in either encoding into e without its
// data, which is nil: all that says whether the record is fresh. The whole
// record is read, so that one that cannot be decoded is an error as with
// decodeRecord, but only e's own fields are copied out of v, whose copy
// is the most of what decoding a record costs: e outlives v.
func decodeHead[T any](v []byte, e *paperlist.Entry[T]) error {
	if err := decodeView(v, e, true); err != nil {
		return err
	}
	e.Data = nil
	return nil
}

// decodeArxivCheck decodes an arXiv record in either encoding into e
// with only what the checks of a paper read of its data (see
// paperlist.CheckArxiv): the id, title, comment and whether it was
// withdrawn. Like decodeHead it copies only what it keeps.
func decodeArxivCheck(v []byte, e *paperlist.Entry[paperlist.ArxivRecord]) error {
	if err := decodeView(v, e, true); err != nil {
		return err
	}
	if d := e.Data; d != nil {
		*d = paperlist.ArxivRecord{
			ID: strings.Clone(d.ID), Title: strings.Clone(d.Title),
			Comment: strings.Clone(d.Comment), Withdrawn: d.Withdrawn,
		}
	}
	return nil
}

// decodeView decodes a record in either encoding into e, whose own fields
// (not its data's) are copies; the strings of e.Data of a compact record
// are slices of v, valid while v is. When lean, it leaves out of e.Data
// what takes an allocation of its own (an arXiv record's authors and
// categories): for the reads that keep a few fields of a record, whose
// rest would be garbage at once.
func decodeView[T any](v []byte, e *paperlist.Entry[T], lean bool) error {
	if len(v) == 0 || v[0] != compactTag {
		return json.Unmarshal(v, e)
	}
	if len(v) < 2 || v[1] != compactVersion {
		return fmt.Errorf("unknown compact record version")
	}
	if err := decodeCompactLean(unsafe.String(unsafe.SliceData(v[2:]), len(v)-2), e, lean); err != nil {
		return err
	}
	e.Key, e.State, e.Reason = strings.Clone(e.Key), paperlist.State(strings.Clone(string(e.State))), strings.Clone(e.Reason)
	e.ETag, e.LastModified = strings.Clone(e.ETag), strings.Clone(e.LastModified)
	if f := e.Failure; f != nil {
		f.Kind, f.Message = strings.Clone(f.Kind), strings.Clone(f.Message)
	}
	return nil
}

// decodeRecord decodes a record in either encoding.
func decodeRecord[T any](v []byte, e *paperlist.Entry[T]) error {
	if len(v) == 0 || v[0] != compactTag {
		return json.Unmarshal(v, e)
	}
	if len(v) < 2 || v[1] != compactVersion {
		return fmt.Errorf("unknown compact record version")
	}
	// One string holds all the record's text: its fields are slices of it.
	return decodeCompact(string(v[2:]), e)
}

// decodeCompact decodes the fields of a record in the compact encoding,
// its tag and version taken off, into e; e's strings are slices of s.
func decodeCompact[T any](s string, e *paperlist.Entry[T]) error {
	return decodeCompactLean(s, e, false)
}

// decodeCompactLean is decodeCompact that, when lean, skips what takes an
// allocation of its own (see decodeView).
func decodeCompactLean[T any](s string, e *paperlist.Entry[T], lean bool) error {
	r := reader{s: s, lean: lean}
	e.Key = r.str()
	e.State = paperlist.State(r.str())
	e.Reason = r.str()
	e.FetchedAt = r.time()
	e.CheckedAt = r.time()
	e.ETag = r.str()
	e.LastModified = r.str()
	if r.flag() {
		e.Failure = &paperlist.Failure{Kind: r.str(), Message: r.str(), At: r.time(), Attempts: int(r.int())}
	}
	if r.flag() {
		e.Data = new(T)
		switch d := any(e.Data).(type) {
		case *paperlist.ArxivRecord:
			r.arxiv(d)
		case *paperlist.RepoStats:
			r.repo(d)
		case *paperlist.PageRecord:
			r.page(d)
		default:
			return fmt.Errorf("no compact encoding of %T", d)
		}
	}
	if r.err != nil {
		return r.err
	}
	if len(r.s) != 0 {
		return fmt.Errorf("%d bytes after the record", len(r.s))
	}
	return nil
}

func (w *writer) arxiv(d *paperlist.ArxivRecord) {
	w.str(d.ID)
	w.int(int64(d.Version))
	w.str(d.Title)
	w.str(d.Abstract)
	w.int(int64(len(d.Authors)))
	for _, a := range d.Authors {
		w.str(a.Name)
		w.strs(a.Affiliations)
	}
	w.time(d.Published)
	w.time(d.Updated)
	w.str(d.PrimaryCategory)
	w.strs(d.Categories)
	w.str(d.Comment)
	w.str(d.JournalRef)
	w.str(d.DOI)
	w.str(d.AbsURL)
	w.str(d.PDFURL)
	w.flag(d.Withdrawn)
	w.time(d.FetchedAt)
}

func (r *reader) arxiv(d *paperlist.ArxivRecord) {
	d.ID = r.str()
	d.Version = int(r.int())
	d.Title = r.str()
	d.Abstract = r.str()
	if n := r.count(); n > 0 && r.lean {
		for range n {
			r.str()
			r.skipStrs()
		}
	} else if n > 0 {
		d.Authors = make([]paperlist.Author, n)
		for i := range d.Authors {
			d.Authors[i] = paperlist.Author{Name: r.str(), Affiliations: r.strs()}
		}
	}
	d.Published = r.time()
	d.Updated = r.time()
	d.PrimaryCategory = r.str()
	if r.lean {
		r.skipStrs()
	} else {
		d.Categories = r.strs()
	}
	d.Comment = r.str()
	d.JournalRef = r.str()
	d.DOI = r.str()
	d.AbsURL = r.str()
	d.PDFURL = r.str()
	d.Withdrawn = r.flag()
	d.FetchedAt = r.time()
}

func (w *writer) repo(d *paperlist.RepoStats) {
	w.str(d.FullName)
	w.int(d.ID)
	w.str(d.HTMLURL)
	w.str(d.Description)
	w.int(int64(d.Stars))
	w.int(int64(d.Forks))
	w.int(int64(d.OpenIssues))
	w.int(int64(d.Watchers))
	w.str(d.Language)
	w.str(d.License)
	w.strs(d.Topics)
	w.flag(d.Archived)
	w.flag(d.Disabled)
	w.flag(d.Fork)
	w.time(d.PushedAt)
	w.time(d.CreatedAt)
	w.str(d.Homepage)
	w.str(d.DefaultBranch)
	w.time(d.FetchedAt)
	w.optInt(d.Stars7d)
	w.optInt(d.Stars30d)
}

func (r *reader) repo(d *paperlist.RepoStats) {
	d.FullName = r.str()
	d.ID = r.int()
	d.HTMLURL = r.str()
	d.Description = r.str()
	d.Stars = int(r.int())
	d.Forks = int(r.int())
	d.OpenIssues = int(r.int())
	d.Watchers = int(r.int())
	d.Language = r.str()
	d.License = r.str()
	d.Topics = r.strs()
	d.Archived = r.flag()
	d.Disabled = r.flag()
	d.Fork = r.flag()
	d.PushedAt = r.time()
	d.CreatedAt = r.time()
	d.Homepage = r.str()
	d.DefaultBranch = r.str()
	d.FetchedAt = r.time()
	d.Stars7d = r.optInt()
	d.Stars30d = r.optInt()
}

func (w *writer) page(d *paperlist.PageRecord) {
	w.str(d.URL)
	w.str(d.Title)
	w.str(d.Abstract)
	w.strs(d.Authors)
	w.str(d.Published)
	w.str(d.PDFURL)
	w.str(d.DOI)
	w.time(d.FetchedAt)
}

func (r *reader) page(d *paperlist.PageRecord) {
	d.URL = r.str()
	d.Title = r.str()
	d.Abstract = r.str()
	d.Authors = r.strs()
	d.Published = r.str()
	d.PDFURL = r.str()
	d.DOI = r.str()
	d.FetchedAt = r.time()
}
