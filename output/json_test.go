package output_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/paperlist/paperlist"
	"github.com/paperlist/paperlist/output"
)

func writeJSON(t *testing.T, d *paperlist.Dataset) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := output.WriteJSON(&buf, d); err != nil {
		t.Fatalf("WriteJSON: %v", err)
	}
	return buf.Bytes()
}

func TestWriteJSONGolden(t *testing.T) {
	tests := []struct {
		name    string
		dataset *paperlist.Dataset
	}{
		{"empty", emptyDataset()},
		{"full", fullDataset()},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			checkGolden(t, tt.name+".json", writeJSON(t, tt.dataset))
		})
	}
}

func TestWriteJSONForm(t *testing.T) {
	tests := []struct {
		name    string
		dataset *paperlist.Dataset
		want    []string // substrings the output must have
		notWant []string // substrings it must not have
	}{
		{
			name:    "empty list gives an empty array",
			dataset: emptyDataset(),
			want:    []string{"\n  \"papers\": []\n}\n", `"schema_version": 1,`},
			notWant: []string{"null"},
		},
		{
			name:    "nil papers give an empty array",
			dataset: &paperlist.Dataset{SchemaVersion: 1, GeneratedAt: generatedAt},
			want:    []string{`"papers": []`},
			notWant: []string{"null"},
		},
		{
			name:    "times are UTC to the second",
			dataset: fullDataset(),
			want: []string{
				`"generated_at": "2026-11-27T08:00:05Z"`,
				`"updated": "2023-02-27T18:48:02Z"`,
				`"pushed_at": "2023-05-02T06:30:00Z"`,
				`"fetched_at": "2026-11-27T08:59:00Z"`,
			},
			notWant: []string{"+01:00", "-07:00", ".123"},
		},
		{
			name:    "html is escaped",
			dataset: fullDataset(),
			want:    []string{`\u003cscript\u003e`, `Mallory \u0026 Eve`},
			notWant: []string{"<script", "<img", "&"},
		},
		{
			name:    "absent values are omitted",
			dataset: &paperlist.Dataset{Papers: []*paperlist.Paper{{Key: "title:x", Line: 1, Title: "X"}}},
			want:    []string{"{\n      \"key\": \"title:x\",\n      \"line\": 1,\n      \"title\": \"X\"\n    }"},
			notWant: []string{`""`, "arxiv", "github", "page", "problems", "authors", `"sections"`, `"stars_7d"`},
		},
		{
			name:    "zero star trends are kept, unknown ones omitted",
			dataset: fullDataset(),
			want:    []string{`"stars_7d": 0,`, `"stars_30d": -3`},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := string(writeJSON(t, tt.dataset))
			for _, s := range tt.want {
				if !strings.Contains(got, s) {
					t.Errorf("output lacks %q:\n%s", s, got)
				}
			}
			for _, s := range tt.notWant {
				if strings.Contains(got, s) {
					t.Errorf("output has %q:\n%s", s, got)
				}
			}
		})
	}
}

func TestWriteJSONDeterministicAndPure(t *testing.T) {
	d := fullDataset()
	first := writeJSON(t, d)
	second := writeJSON(t, d)
	if !bytes.Equal(first, second) {
		t.Error("two writes of one dataset differ")
	}
	if diff := cmp.Diff(fullDataset(), d); diff != "" {
		t.Errorf("WriteJSON changed the dataset (-before +after):\n%s", diff)
	}
}

// TestWriteJSONRoundTrip reads the output back: nothing is lost but the
// time zones and fractions of a second.
func TestWriteJSONRoundTrip(t *testing.T) {
	d := fullDataset()
	var back paperlist.Dataset
	if err := json.Unmarshal(writeJSON(t, d), &back); err != nil {
		t.Fatal(err)
	}
	sameSecond := cmp.Comparer(func(a, b time.Time) bool {
		return a.Truncate(time.Second).Equal(b.Truncate(time.Second))
	})
	if diff := cmp.Diff(d, &back, sameSecond); diff != "" {
		t.Errorf("round trip (-written +read):\n%s", diff)
	}
}

type failingWriter struct{ err error }

func (w failingWriter) Write([]byte) (int, error) { return 0, w.err }

// limitWriter takes the first limit bytes, then fails every write, counting
// the writes it is asked for after its first failure.
type limitWriter struct {
	buf        bytes.Buffer
	limit      int
	err        error
	failed     bool
	lateWrites int
}

func (w *limitWriter) Write(p []byte) (int, error) {
	if w.failed {
		w.lateWrites++
		return 0, w.err
	}
	if room := w.limit - w.buf.Len(); len(p) > room {
		w.buf.Write(p[:room])
		w.failed = true
		return room, w.err
	}
	return w.buf.Write(p)
}

func TestWriteJSONErrors(t *testing.T) {
	errDisk := errors.New("disk full")
	// lateYear fails on its last paper, after most of the document.
	lateYear := largeDataset(100)
	lateYear.Papers[99].GitHub.PushedAt = time.Date(-1, 1, 1, 0, 0, 0, 0, time.UTC)
	tests := []struct {
		name    string
		dataset *paperlist.Dataset
		w       failingWriter
		want    string
		wantIs  error
		// partial is set when the failure comes after the writing began,
		// so part of the document may have been written.
		partial bool
	}{
		{name: "no dataset", want: "write json: no dataset"},
		{name: "missing paper", dataset: &paperlist.Dataset{Papers: []*paperlist.Paper{{Key: "a"}, nil}}, want: "write json: paper 2 is missing"},
		{name: "missing last paper", dataset: &paperlist.Dataset{Papers: append(largeDataset(100).Papers, nil)}, want: "write json: paper 101 is missing"},
		{name: "time out of range", dataset: yearOutOfRange(), want: "year outside of range", partial: true},
		{name: "time out of range late", dataset: lateYear, want: "write json: json: error calling MarshalJSON for type time.Time: Time.MarshalJSON: year outside of range", partial: true},
		{name: "writer fails", dataset: fullDataset(), w: failingWriter{errDisk}, want: "write json: disk full", wantIs: errDisk},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var buf bytes.Buffer
			var err error
			if tt.w.err != nil {
				err = output.WriteJSON(tt.w, tt.dataset)
			} else {
				err = output.WriteJSON(&buf, tt.dataset)
			}
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("error = %v, want one containing %q", err, tt.want)
			}
			if tt.wantIs != nil && !errors.Is(err, tt.wantIs) {
				t.Errorf("error %v does not wrap %v", err, tt.wantIs)
			}
			if !tt.partial && buf.Len() != 0 {
				t.Errorf("wrote %d bytes before failing", buf.Len())
			}
			// What was written before a failure is never a whole document.
			if buf.Len() != 0 && json.Valid(buf.Bytes()) {
				t.Errorf("wrote a valid document of %d bytes before failing", buf.Len())
			}
		})
	}
}

// TestWriteJSONStopsAtWriteError checks that a writer failing part way
// through a large document is not written to again.
func TestWriteJSONStopsAtWriteError(t *testing.T) {
	errDisk := errors.New("disk full")
	tests := []struct {
		name  string
		limit int
	}{
		{"at once", 0},
		{"in the header", 10},
		{"in the papers", 100_000},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := &limitWriter{limit: tt.limit, err: errDisk}
			err := output.WriteJSON(w, largeDataset(1000))
			if !errors.Is(err, errDisk) {
				t.Fatalf("error = %v, want one wrapping %v", err, errDisk)
			}
			if !w.failed {
				t.Fatal("the writer never failed")
			}
			if w.lateWrites != 0 {
				t.Errorf("%d writes after the first failure", w.lateWrites)
			}
		})
	}
}

// TestWriteJSONStreamedAsOne checks that the document written a paper at
// a time is byte for byte the one encoding/json gives for the dataset as a
// whole, once its times are in UTC to the second.
func TestWriteJSONStreamedAsOne(t *testing.T) {
	tests := []struct {
		name    string
		dataset func() *paperlist.Dataset
	}{
		{"empty", emptyDataset},
		{"full", fullDataset},
		{"one paper", func() *paperlist.Dataset { return largeDataset(1) }},
		{"many papers", func() *paperlist.Dataset { return largeDataset(300) }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			want := encodeWhole(t, utcSeconds(tt.dataset()))
			got := writeJSON(t, tt.dataset())
			if !bytes.Equal(got, want) {
				t.Errorf("streamed document differs from the whole one:\n%s", cmp.Diff(string(want), string(got)))
			}
		})
	}
}

// encodeWhole encodes d as one value, as WriteJSON did before it streamed.
func encodeWhole(t *testing.T, d *paperlist.Dataset) []byte {
	t.Helper()
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetIndent("", "  ")
	if err := enc.Encode(d); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// utcSeconds sets every time of d to UTC to the second, in place.
func utcSeconds(d *paperlist.Dataset) *paperlist.Dataset {
	fix := func(t *time.Time) {
		if !t.IsZero() {
			*t = t.UTC().Truncate(time.Second)
		}
	}
	fix(&d.GeneratedAt)
	for _, p := range d.Papers {
		if a := p.Arxiv; a != nil {
			fix(&a.Published)
			fix(&a.Updated)
			fix(&a.FetchedAt)
		}
		if g := p.GitHub; g != nil {
			fix(&g.PushedAt)
			fix(&g.CreatedAt)
			fix(&g.FetchedAt)
		}
		if pg := p.Page; pg != nil {
			fix(&pg.FetchedAt)
		}
	}
	return d
}

// TestWriteJSONMatchesReference writes the test datasets with WriteJSON
// and with the encoding/json writer it replaced: the same bytes, or the
// same error.
func TestWriteJSONMatchesReference(t *testing.T) {
	tests := []struct {
		name    string
		dataset func() *paperlist.Dataset
	}{
		{"empty", emptyDataset},
		{"nil papers", func() *paperlist.Dataset { return &paperlist.Dataset{SchemaVersion: 1, GeneratedAt: generatedAt} }},
		{"full", fullDataset},
		{"plain", plainDataset},
		{"one paper", func() *paperlist.Dataset { return largeDataset(1) }},
		{"large", func() *paperlist.Dataset { return largeDataset(2000) }},
		{"many full", func() *paperlist.Dataset { return manyPapers(fullDataset(), 600) }},
		{"enriched on demand", func() *paperlist.Dataset {
			full := manyPapers(fullDataset(), 600)
			d, _ := onDemand(full)
			return withHeld(d, full)
		}},
		{"year out of range", yearOutOfRange},
		{"late year out of range", lateYearOutOfRange},
		{"missing paper", func() *paperlist.Dataset {
			return &paperlist.Dataset{Papers: []*paperlist.Paper{{Key: "a"}, nil}}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got, want bytes.Buffer
			gotErr := output.WriteJSON(&got, tt.dataset())
			wantErr := output.ReferenceWriteJSON(&want, tt.dataset())
			if fmt.Sprint(gotErr) != fmt.Sprint(wantErr) {
				t.Fatalf("error = %v, want %v", gotErr, wantErr)
			}
			if !bytes.Equal(got.Bytes(), want.Bytes()) {
				t.Errorf("document differs from the reference:\n%s", cmp.Diff(want.String(), got.String()))
			}
			if wantErr == nil && !json.Valid(got.Bytes()) {
				t.Error("the document is not valid JSON")
			}
		})
	}
}

func BenchmarkWriteJSON(b *testing.B) {
	d := largeDataset(10_000)
	var buf bytes.Buffer
	b.ReportAllocs()
	for b.Loop() {
		buf.Reset()
		if err := output.WriteJSON(&buf, d); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(buf.Len()), "out-bytes")
}

func TestIndentCompactMatchesJSONIndent(t *testing.T) {
	tests := []string{
		`{}`, `[]`, `"a"`, `1`, `null`,
		`{"a":1,"b":[],"c":{},"d":[1,2,{"e":"x\"y,z:[]{}"}],"f":"\\","g":"\u003c\\\""}`,
		`[[],[[]],{"a":{"b":{}}},"",true,false,-1.5e10]`,
		`{"a":"\\\\","b":"\\\\\"","c":"\"\\\\\\\"\\"}`,
		`["\\","\"",["\\\\"],{"\\":"\""}]`,
	}
	for _, src := range tests {
		var want bytes.Buffer
		if err := json.Indent(&want, []byte(src), "    ", "  "); err != nil {
			t.Fatalf("%s: %v", src, err)
		}
		if got := output.IndentCompact(nil, []byte(src), "    ", "  "); string(got) != want.String() {
			t.Errorf("%s:\ngot  %s\nwant %s", src, got, want.String())
		}
	}
}
