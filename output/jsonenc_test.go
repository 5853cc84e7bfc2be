package output

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/paperlist/paperlist"
)

// ReferenceWriteJSON lets the black-box tests compare WriteJSON with the
// writer it replaced.
var ReferenceWriteJSON = referenceWriteJSON

// referenceWriteJSON is WriteJSON as it was before paperEncoder: each
// paper encoded by encoding/json, then indented. The hand-written encoder
// is held to it byte for byte.
func referenceWriteJSON(w io.Writer, d *paperlist.Dataset) error {
	if err := checkDataset(d); err != nil {
		return fmt.Errorf("write json: %w", err)
	}
	rd := newChunkReader(d)
	head := *d
	head.GeneratedAt = jsonTime(d.GeneratedAt)
	head.Papers = []*paperlist.Paper{}
	b, err := json.MarshalIndent(&head, "", "  ")
	if err != nil {
		return fmt.Errorf("write json: %w", err)
	}
	bw := bufio.NewWriter(w)
	if len(d.Papers) == 0 {
		bw.Write(b)
		bw.WriteByte('\n')
		return bw.Flush()
	}
	if _, err := bw.Write(b[:len(b)-len("]\n}")]); err != nil {
		return fmt.Errorf("write json: %w", err)
	}
	var ref paperReference
	for i := range d.Papers {
		p, err := rd.next()
		if err != nil {
			return fmt.Errorf("write json: %w", err)
		}
		out, err := ref.encode(p)
		if err != nil {
			return fmt.Errorf("write json: %w", err)
		}
		sep := ",\n    "
		if i == 0 {
			sep = "\n    "
		}
		bw.WriteString(sep)
		if _, err := bw.Write(out); err != nil {
			return fmt.Errorf("write json: %w", err)
		}
	}
	bw.WriteString("\n  ]\n}\n")
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("write json: %w", err)
	}
	return nil
}

// paperReference encodes a paper as the old writer did: encoding/json on
// a copy with its times made UTC to the second, then indentCompact.
type paperReference struct {
	buf  bytes.Buffer
	enc  *json.Encoder
	form paperForm
	out  []byte
}

func (r *paperReference) encode(p *paperlist.Paper) ([]byte, error) {
	if r.enc == nil {
		r.enc = json.NewEncoder(&r.buf)
	}
	r.buf.Reset()
	if err := r.enc.Encode(r.form.of(p)); err != nil {
		return nil, err
	}
	r.out = indentCompact(r.out[:0], bytes.TrimSuffix(r.buf.Bytes(), []byte("\n")), "    ", "  ")
	return r.out, nil
}

// paperForm holds the copy of one paper as papers.json shows it, reused
// from paper to paper.
type paperForm struct {
	paper paperlist.Paper
	arxiv paperlist.ArxivRecord
	repo  paperlist.RepoStats
	page  paperlist.PageRecord
}

// of returns a copy of p with its times in UTC to the second. The copy is
// valid until the next call.
func (f *paperForm) of(p *paperlist.Paper) *paperlist.Paper {
	f.paper = *p
	if p.Arxiv != nil {
		f.arxiv = *p.Arxiv
		f.arxiv.Published = jsonTime(f.arxiv.Published)
		f.arxiv.Updated = jsonTime(f.arxiv.Updated)
		f.arxiv.FetchedAt = jsonTime(f.arxiv.FetchedAt)
		f.paper.Arxiv = &f.arxiv
	}
	if p.GitHub != nil {
		f.repo = *p.GitHub
		f.repo.PushedAt = jsonTime(f.repo.PushedAt)
		f.repo.CreatedAt = jsonTime(f.repo.CreatedAt)
		f.repo.FetchedAt = jsonTime(f.repo.FetchedAt)
		f.paper.GitHub = &f.repo
	}
	if p.Page != nil {
		f.page = *p.Page
		f.page.FetchedAt = jsonTime(f.page.FetchedAt)
		f.paper.Page = &f.page
	}
	return &f.paper
}

// indentCompact appends src, compact JSON as encoding/json writes it, to
// dst indented as json.Indent would with prefix and indent. It trusts src
// to be valid, which spares it json.Indent's scanner: that check cost as
// much as encoding the papers.
func indentCompact(dst, src []byte, prefix, indent string) []byte {
	depth := 0
	newline := func() {
		dst = append(dst, '\n')
		dst = append(dst, prefix...)
		for range depth {
			dst = append(dst, indent...)
		}
	}
	for i := 0; i < len(src); i++ {
		c := src[i]
		switch c {
		case '"':
			// Copy the string whole: a quote ends it unless an odd run
			// of backslashes escapes it. Strings (abstracts above all)
			// are most of a paper, so the quotes are found by IndexByte
			// rather than byte by byte.
			j := i + 1
			for {
				k := bytes.IndexByte(src[j:], '"')
				if k < 0 {
					j = len(src)
					break
				}
				j += k
				n := 0
				for b := j - 1; b > i && src[b] == '\\'; b-- {
					n++
				}
				if n%2 == 0 {
					break
				}
				j++
			}
			dst = append(dst, src[i:min(j+1, len(src))]...)
			i = j
		case '{', '[':
			dst = append(dst, c)
			if i+1 < len(src) && (src[i+1] == '}' || src[i+1] == ']') {
				// An empty object or array stays on its line.
				dst = append(dst, src[i+1])
				i++
				continue
			}
			depth++
			newline()
		case '}', ']':
			depth--
			newline()
			dst = append(dst, c)
		case ',':
			dst = append(dst, c)
			newline()
		case ':':
			dst = append(dst, ':', ' ')
		default:
			dst = append(dst, c)
		}
	}
	return dst
}

// filler fills a value of any type reachable from Paper with random
// values, field by field through reflection, so that a field added to any
// of them is filled, and fails TestPaperEncoderMatchesReference until
// paperEncoder writes it.
type filler struct{ r *rand.Rand }

// hostile are pieces of strings that encoding/json escapes or that test
// the escaper's edges.
var hostile = func() []string {
	pieces := []string{
		"", "a", "Attention Is All You Need", `"`, `\`, `\"`, `"\`, "<", ">", "&",
		"<script>alert(1)</script>", "a&b", "\u2028", "\u2029", "\u2027", "\u202a",
		"\xff", "\xfe", "\xc3", "\xc3\x28", "\xe2\x80", "\xed\xa0\x80", "\xf4\x90\x80\x80",
		"\xf0\x9f\x98", "\xc0\xaf", "é", "e\u0301", "😀", "👩‍👩‍👧", "日本語", "\ufeff", "\ufffd",
		"\u007f", "\u0080", "\u00a0", "\U0010ffff", " ", "/", "'", "%", "\\u0041",
	}
	for c := range 0x20 {
		pieces = append(pieces, string(rune(c)))
	}
	return pieces
}()

func (f *filler) string() string {
	switch f.r.IntN(8) {
	case 0:
		return ""
	case 1:
		// A long string, above all ASCII as abstracts are, with a
		// hostile piece somewhere in it.
		n := 100 + f.r.IntN(5000)
		b := []byte(strings.Repeat("Large language models are few-shot learners. ", n/45+1)[:n])
		at := f.r.IntN(len(b))
		return string(b[:at]) + hostile[f.r.IntN(len(hostile))] + string(b[at:])
	}
	var sb strings.Builder
	for range 1 + f.r.IntN(8) {
		sb.WriteString(hostile[f.r.IntN(len(hostile))])
	}
	return sb.String()
}

func (f *filler) time() time.Time {
	zones := []*time.Location{
		time.UTC, time.Local, time.FixedZone("CET", 3600), time.FixedZone("PDT", -7*3600),
		time.FixedZone("IST", 5*3600+1800), time.FixedZone("LINT", 14*3600),
		time.FixedZone("", -12*3600-1800), time.FixedZone("odd", -(3*3600 + 17*60 + 13)),
	}
	zone := zones[f.r.IntN(len(zones))]
	switch f.r.IntN(12) {
	case 0, 1:
		return time.Time{}
	case 2:
		// Within the first second of year 1: not zero, but zero once
		// truncated to the second, so omitzero drops it.
		return time.Date(1, 1, 1, 0, 0, 0, f.r.IntN(1e9), time.UTC).In(zone)
	case 3:
		// Near the ends of the years RFC 3339 holds; a year outside
		// them is an error both writers must give alike, so it is rare.
		years := []int{0, 1, 9999, 10000, -1, 0, 9999, 1, 9999, 0, 1, 9999}
		return time.Date(years[f.r.IntN(len(years))], time.Month(1+f.r.IntN(12)), 1+f.r.IntN(31),
			f.r.IntN(24), f.r.IntN(60), f.r.IntN(60), f.r.IntN(1e9), zone)
	case 4:
		return time.Unix(f.r.Int64N(4e9), 0).In(zone)
	}
	return time.Unix(f.r.Int64N(4e9), f.r.Int64N(1e9)).In(zone)
}

func (f *filler) int(bits int) int64 {
	switch f.r.IntN(6) {
	case 0:
		return 0
	case 1:
		return -f.r.Int64N(1000)
	case 2:
		if bits == 64 {
			return []int64{math.MaxInt64, math.MinInt64}[f.r.IntN(2)]
		}
		return []int64{math.MaxInt32, math.MinInt32}[f.r.IntN(2)]
	}
	return f.r.Int64N(1 << 20)
}

// fill fills v, named path in errors. It fails for a kind it cannot fill,
// so that a new field of such a kind is noticed, not left zero.
func (f *filler) fill(v reflect.Value, path string) error {
	if v.Type() == reflect.TypeFor[time.Time]() {
		v.Set(reflect.ValueOf(f.time()))
		return nil
	}
	switch v.Kind() {
	case reflect.String:
		v.SetString(f.string())
	case reflect.Bool:
		v.SetBool(f.r.IntN(2) == 0)
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		n := f.int(v.Type().Bits())
		if v.OverflowInt(n) {
			n = int64(int8(n))
		}
		v.SetInt(n)
	case reflect.Slice:
		switch k := f.r.IntN(6); k {
		case 0:
			v.SetZero()
		case 1:
			v.Set(reflect.MakeSlice(v.Type(), 0, 0))
		default:
			s := reflect.MakeSlice(v.Type(), k-1, k-1)
			for i := range k - 1 {
				if err := f.fill(s.Index(i), fmt.Sprintf("%s[%d]", path, i)); err != nil {
					return err
				}
			}
			v.Set(s)
		}
	case reflect.Pointer:
		if f.r.IntN(4) == 0 {
			v.SetZero()
			return nil
		}
		p := reflect.New(v.Type().Elem())
		if err := f.fill(p.Elem(), path); err != nil {
			return err
		}
		v.Set(p)
	case reflect.Struct:
		t := v.Type()
		for i := range t.NumField() {
			sf := t.Field(i)
			if !sf.IsExported() {
				return fmt.Errorf("%s.%s: an unexported field the generator cannot fill", path, sf.Name)
			}
			if err := f.fill(v.Field(i), path+"."+sf.Name); err != nil {
				return err
			}
		}
	default:
		return fmt.Errorf("%s: the generator cannot fill a %s (%s): teach it and paperEncoder", path, v.Kind(), v.Type())
	}
	return nil
}

func (f *filler) paper(t *testing.T) *paperlist.Paper {
	t.Helper()
	var p paperlist.Paper
	if err := f.fill(reflect.ValueOf(&p).Elem(), "Paper"); err != nil {
		t.Fatal(err)
	}
	return &p
}

func TestFillerRefusesUnknownKinds(t *testing.T) {
	tests := []struct {
		name string
		v    any
	}{
		{"map", &struct{ M map[string]int }{}},
		{"float", &struct{ F float64 }{}},
		{"uint", &struct{ U uint }{}},
		{"interface", &struct{ I any }{}},
		{"func", &struct{ F func() }{}},
		{"array", &struct{ A [2]string }{}},
		{"unexported", &struct{ x int }{}},
		{"nested", &struct {
			P *struct{ S []struct{ C chan int } }
		}{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			// Enough tries that a pointer or a slice is filled at least once.
			f := filler{rand.New(rand.NewPCG(1, 2))}
			var err error
			for range 100 {
				if err = f.fill(reflect.ValueOf(tt.v).Elem(), "T"); err != nil {
					break
				}
			}
			if err == nil {
				t.Fatalf("filled %T without an error", tt.v)
			}
		})
	}
}

// TestPaperEncoderMatchesReference encodes thousands of random papers,
// every field of which is filled, with paperEncoder and with
// encoding/json, and wants the same bytes, or the same error.
func TestPaperEncoderMatchesReference(t *testing.T) {
	n := 5000
	if testing.Short() {
		n = 1000
	}
	f := filler{rand.New(rand.NewPCG(20, 26))}
	var enc paperEncoder
	var ref paperReference
	errs := 0
	for i := range n {
		p := f.paper(t)
		want, wantErr := ref.encode(p)
		got, gotErr := enc.encode(p)
		if wantErr != nil || gotErr != nil {
			errs++
			if fmt.Sprint(gotErr) != fmt.Sprint(wantErr) {
				t.Fatalf("paper %d: error %v, want %v", i, gotErr, wantErr)
			}
			var me *json.MarshalerError
			if !errors.As(gotErr, &me) {
				t.Fatalf("paper %d: error %T is no *json.MarshalerError", i, gotErr)
			}
			continue
		}
		if !bytes.Equal(got, want) {
			t.Fatalf("paper %d differs:\n got %s\nwant %s\n%s", i, got, want, firstDiff(got, want))
		}
	}
	// Both outcomes must have been tried, or the test proves less than it
	// says.
	if errs == 0 || errs > n/10 {
		t.Errorf("%d of %d papers failed to encode", errs, n)
	}
}

// TestWriteJSONMatchesReferenceRandom writes whole documents of random
// papers both ways.
func TestWriteJSONMatchesReferenceRandom(t *testing.T) {
	f := filler{rand.New(rand.NewPCG(7, 11))}
	for doc := range 20 {
		var d paperlist.Dataset
		if err := f.fill(reflect.ValueOf(&d.List).Elem(), "List"); err != nil {
			t.Fatal(err)
		}
		d.SchemaVersion = paperlist.SchemaVersion
		d.GeneratedAt = time.Date(2026, 12, 6, 21, 30, 0, 123, time.FixedZone("", 3600))
		for range doc * 10 {
			d.Papers = append(d.Papers, f.paper(t))
		}
		var got, want bytes.Buffer
		gotErr := WriteJSON(&got, &d)
		wantErr := referenceWriteJSON(&want, &d)
		if fmt.Sprint(gotErr) != fmt.Sprint(wantErr) {
			t.Fatalf("document %d: error %v, want %v", doc, gotErr, wantErr)
		}
		if !bytes.Equal(got.Bytes(), want.Bytes()) {
			t.Fatalf("document %d differs: %s", doc, firstDiff(got.Bytes(), want.Bytes()))
		}
	}
}

// firstDiff shows where got first differs from want.
func firstDiff(got, want []byte) string {
	i := 0
	for i < len(got) && i < len(want) && got[i] == want[i] {
		i++
	}
	from := max(0, i-60)
	return fmt.Sprintf("at byte %d:\n got …%q\nwant …%q", i, got[from:min(len(got), i+60)], want[from:min(len(want), i+60)])
}

func FuzzAppendJSONString(f *testing.F) {
	for _, s := range hostile {
		f.Add(s)
	}
	f.Add(strings.Repeat("a<b>c&d\"e\\f\x00\x1f\x7f\u2028\xff", 50))
	f.Fuzz(func(t *testing.T, s string) {
		want, err := json.Marshal(s)
		if err != nil {
			t.Fatal(err)
		}
		got := appendJSONString([]byte("x"), s)
		if string(got[1:]) != string(want) {
			t.Errorf("%q: got %s, want %s", s, got[1:], want)
		}
		if !utf8.Valid(got) {
			t.Errorf("%q: got invalid UTF-8 %q", s, got)
		}
	})
}

// BenchmarkAppendJSONString escapes an abstract as arXiv gives most of
// them, plain ASCII with the odd quote.
func BenchmarkAppendJSONString(b *testing.B) {
	s := strings.Repeat("We propose a \"simple\" method that scales language models to 65B parameters; ", 20)
	var dst []byte
	b.SetBytes(int64(len(s)))
	for b.Loop() {
		dst = appendJSONString(dst[:0], s)
	}
}
