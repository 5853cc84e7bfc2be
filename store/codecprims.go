package store

// The primitives of the compact encoding (codec.go): varints, strings,
// flags, optional ints and times, written in order and read back in the
// same order.

import (
	"encoding/binary"
	"errors"
	"fmt"
	"time"
)

// errShort is a record that ends before its last field.
var errShort = errors.New("record ends early")

// writer appends the fields of a record.
type writer struct{ b []byte }

func (w *writer) int(n int64) { w.b = binary.AppendVarint(w.b, n) }

func (w *writer) str(s string) {
	w.b = binary.AppendUvarint(w.b, uint64(len(s)))
	w.b = append(w.b, s...)
}

// strs writes a list of strings; an empty list decodes as nil, as an
// omitted one does from JSON.
func (w *writer) strs(ss []string) {
	w.int(int64(len(ss)))
	for _, s := range ss {
		w.str(s)
	}
}

func (w *writer) flag(b bool) {
	if b {
		w.b = append(w.b, 1)
	} else {
		w.b = append(w.b, 0)
	}
}

func (w *writer) optInt(p *int) {
	w.flag(p != nil)
	if p != nil {
		w.int(int64(*p))
	}
}

// time writes a flag, then the seconds, nanoseconds and zone offset of a
// time that is not zero: what JSON's RFC 3339 text keeps of it.
func (w *writer) time(t time.Time) {
	w.flag(!t.IsZero())
	if t.IsZero() {
		return
	}
	_, off := t.Zone()
	w.int(t.Unix())
	w.int(int64(t.Nanosecond()))
	w.int(int64(off))
}

// reader takes the fields of a record off the front of s; the first
// failure is kept in err and every read after it gives zero values.
type reader struct {
	s    string
	err  error
	lean bool // skip the lists of a record (see decodeView)
}

func (r *reader) fail(err error) {
	if r.err == nil {
		r.err = err
	}
	r.s = ""
}

func (r *reader) uint() uint64 {
	n, k := uvarint(r.s)
	if k <= 0 {
		r.fail(errShort)
		return 0
	}
	r.s = r.s[k:]
	return n
}

func (r *reader) int() int64 {
	u := r.uint()
	return int64(u>>1) ^ -int64(u&1)
}

// count reads a list length, which cannot exceed the bytes left.
func (r *reader) count() int {
	n := r.int()
	if n < 0 || n > int64(len(r.s)) {
		r.fail(errShort)
		return 0
	}
	return int(n)
}

func (r *reader) str() string {
	n := r.uint()
	if n > uint64(len(r.s)) {
		r.fail(errShort)
		return ""
	}
	s := r.s[:n]
	r.s = r.s[n:]
	return s
}

func (r *reader) strs() []string {
	n := r.count()
	if n == 0 {
		return nil
	}
	ss := make([]string, n)
	for i := range ss {
		ss[i] = r.str()
	}
	return ss
}

// skipStrs reads past what strs reads.
func (r *reader) skipStrs() {
	for range r.count() {
		r.str()
	}
}

func (r *reader) flag() bool {
	if r.s == "" {
		r.fail(errShort)
		return false
	}
	b := r.s[0]
	r.s = r.s[1:]
	if b > 1 {
		r.fail(fmt.Errorf("flag byte %d", b))
	}
	return b == 1
}

func (r *reader) optInt() *int {
	if !r.flag() {
		return nil
	}
	n := int(r.int())
	return &n
}

// time reads a time as writer.time wrote it, in the location that
// parsing its RFC 3339 text gives: UTC for offset zero, Local where the
// offset is Local's at that instant, an unnamed fixed zone otherwise.
func (r *reader) time() time.Time {
	if !r.flag() {
		return time.Time{}
	}
	sec, nsec, off := r.int(), r.int(), r.int()
	if r.err != nil {
		return time.Time{}
	}
	t := time.Unix(sec, nsec)
	if off == 0 {
		return t.UTC()
	}
	if _, local := t.Zone(); int64(local) == off {
		return t
	}
	return t.In(time.FixedZone("", int(off)))
}

// uvarint is binary.Uvarint on a string.
func uvarint(s string) (uint64, int) {
	var x uint64
	var shift uint
	for i := 0; i < len(s) && i < binary.MaxVarintLen64; i++ {
		b := s[i]
		if b < 0x80 {
			if i == binary.MaxVarintLen64-1 && b > 1 {
				return 0, -1
			}
			return x | uint64(b)<<shift, i + 1
		}
		x |= uint64(b&0x7f) << shift
		shift += 7
	}
	return 0, 0
}
