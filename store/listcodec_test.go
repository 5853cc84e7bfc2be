package store

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/paperlist/paperlist"
)

// TestListCodec: what encodeList writes decodes to the same list, nil and
// empty slices apart, repeated strings written once.
func TestListCodec(t *testing.T) {
	for _, tc := range []struct {
		name string
		list paperlist.List
	}{
		{"empty", paperlist.List{}},
		{"nil and empty slices", paperlist.List{Sections: []string{}, Papers: []*paperlist.Paper{{Authors: []string{}}, {}}}},
		{"a nil paper among others", paperlist.List{Papers: []*paperlist.Paper{{Title: "a"}, nil, {Title: "b"}}}},
		{"repeated text", paperlist.List{Title: "T", Sections: []string{"S", "S"}, Papers: []*paperlist.Paper{
			{Section: "S", SectionPath: []string{"T", "S"}, Title: "T", Line: -3, Year: 2024, PaperSpan: paperlist.Span{Start: 5, End: 9}},
			{Section: "S", Arxiv: &paperlist.ArxivRecord{ID: "2302.13971", Published: time.Date(2023, 2, 27, 18, 0, 0, 0, time.FixedZone("x", 3600))}},
		}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			b, err := encodeList(&tc.list)
			if err != nil {
				t.Fatal(err)
			}
			var got paperlist.List
			if err := decodeList(b, &got); err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tc.list, got); diff != "" {
				t.Errorf("decoded list differs (-want +got):\n%s", diff)
			}
		})
	}
	// "S" and "T" once each, whatever the times they are used.
	l := paperlist.List{Title: "T", Sections: []string{"S", "S", "S"}}
	b, err := encodeList(&l)
	if err != nil {
		t.Fatal(err)
	}
	if b[len(listCodecMagic)] != 3 { // "T", "" (Source), "S"
		t.Errorf("the table holds %d strings, want 3", b[len(listCodecMagic)])
	}
}

// FuzzDecodeList: no input makes decodeList panic or allocate beyond what
// the input can describe; what it accepts encodes again to a list that
// decodes the same.
func FuzzDecodeList(f *testing.F) {
	seed := paperlist.List{Title: "T", Source: "s", Sections: []string{"A"}, Papers: []*paperlist.Paper{{Key: "arxiv:2302.13971", Title: "x", Authors: []string{"a", "b"}}},
		Links: []paperlist.SourceLink{{Kind: paperlist.LinkArxiv, Line: 3, URL: "u", InEntry: true}}}
	b, err := encodeList(&seed)
	if err != nil {
		f.Fatal(err)
	}
	f.Add(b)
	f.Add([]byte("PL1"))
	f.Add([]byte("PL1\xff\xff\xff\xff\x0f"))
	f.Fuzz(func(t *testing.T, data []byte) {
		var l paperlist.List
		if err := decodeList(data, &l); err != nil {
			return
		}
		again, err := encodeList(&l)
		if err != nil {
			t.Fatalf("a decoded list does not encode: %v", err)
		}
		var l2 paperlist.List
		if err := decodeList(again, &l2); err != nil {
			t.Fatalf("a list encoded again does not decode: %v", err)
		}
		if diff := cmp.Diff(l, l2); diff != "" {
			t.Errorf("the list changed through a second encoding:\n%s", diff)
		}
	})
}
