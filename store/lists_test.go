package store_test

import (
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"fmt"
	"path/filepath"
	"reflect"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	bolt "go.etcd.io/bbolt"

	"github.com/paperlist/paperlist"
	"github.com/paperlist/paperlist/store"
)

// fill sets every field reachable from v to a value that is not its zero,
// different from field to field (n counts them), so that a field the
// memo's encoding drops shows in a comparison. A kind it does not know
// fails the test: a new field of such a kind needs the test to learn it.
func fill(t *testing.T, v reflect.Value, n *int, path string) {
	t.Helper()
	*n++
	if v.Type() == reflect.TypeFor[time.Time]() {
		v.Set(reflect.ValueOf(time.Date(2020, 1, 1+*n%28, 0, 0, *n, 0, time.UTC)))
		return
	}
	switch v.Kind() {
	case reflect.String:
		v.SetString(fmt.Sprintf("%s #%d ü\x00<&>", path, *n))
	case reflect.Bool:
		v.SetBool(true)
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		v.SetInt(int64(*n))
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		v.SetUint(uint64(*n))
	case reflect.Float32, reflect.Float64:
		v.SetFloat(float64(*n) + 0.5)
	case reflect.Pointer:
		v.Set(reflect.New(v.Type().Elem()))
		fill(t, v.Elem(), n, path)
	case reflect.Slice:
		v.Set(reflect.MakeSlice(v.Type(), 2, 2))
		for i := range 2 {
			fill(t, v.Index(i), n, fmt.Sprintf("%s[%d]", path, i))
		}
	case reflect.Map:
		v.Set(reflect.MakeMap(v.Type()))
		k, e := reflect.New(v.Type().Key()).Elem(), reflect.New(v.Type().Elem()).Elem()
		fill(t, k, n, path+".key")
		fill(t, e, n, path+".value")
		v.SetMapIndex(k, e)
	case reflect.Struct:
		for i := range v.NumField() {
			f := v.Type().Field(i)
			if !f.IsExported() {
				// Gob carries exported fields only: a list would come
				// back without this one.
				t.Fatalf("%s.%s is unexported: the kept lists would lose it", path, f.Name)
			}
			fill(t, v.Field(i), n, path+"."+f.Name)
		}
	default:
		t.Fatalf("%s: fill knows no %s", path, v.Kind())
	}
}

// TestListMemoKeepsEveryField: a list with every field set comes back as
// it was kept.
func TestListMemoKeepsEveryField(t *testing.T) {
	var l paperlist.List
	n := 0
	fill(t, reflect.ValueOf(&l).Elem(), &n, "List")
	l.Source = "lists/README.md"
	s := openTemp(t)
	m := s.Lists("build-1")
	src := []byte("# A list\n")
	if err := m.Remember(src, &l); err != nil {
		t.Fatal(err)
	}
	got, err := m.List(l.Source, src)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(&l, got); diff != "" {
		t.Errorf("the kept list differs (-kept +got):\n%s", diff)
	}
}

// TestListMemoFindsOnlyItsOwn: a list is found only by the build that kept
// it, for the same bytes and the same source.
func TestListMemoFindsOnlyItsOwn(t *testing.T) {
	src := []byte("# A list\n\n- [A paper](https://arxiv.org/abs/2302.13971)\n")
	kept := &paperlist.List{Title: "A list", Source: "README.md", Papers: []*paperlist.Paper{{Key: "arxiv:2302.13971", Title: "A paper", Line: 3}}}
	for _, tc := range []struct {
		name   string
		build  string
		source string
		src    []byte
		found  bool
	}{
		{"the same build, bytes and source", "b1", "README.md", src, true},
		{"another build", "b2", "README.md", src, false},
		{"a build that is a prefix", "b", "README.md", src, false},
		{"no build", "", "README.md", src, false},
		{"other bytes", "b1", "README.md", append([]byte("x"), src...), false},
		{"another source", "b1", "other.md", src, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := openTemp(t)
			if err := s.Lists("b1").Remember(src, kept); err != nil {
				t.Fatal(err)
			}
			got, err := s.Lists(tc.build).List(tc.source, tc.src)
			if err != nil {
				t.Fatal(err)
			}
			if found := got != nil; found != tc.found {
				t.Fatalf("found %v, want %v", found, tc.found)
			}
			if got != nil && got.Papers[0].Title != "A paper" {
				t.Errorf("found %+v", got.Papers[0])
			}
		})
	}
}

// TestListMemoReplaces: one list is kept per source, the last one read.
func TestListMemoReplaces(t *testing.T) {
	s := openTemp(t)
	m := s.Lists("b1")
	old, new := []byte("old"), []byte("new")
	for _, src := range [][]byte{old, new} {
		if err := m.Remember(src, &paperlist.List{Source: "README.md", Title: string(src)}); err != nil {
			t.Fatal(err)
		}
	}
	if got, err := m.List("README.md", old); got != nil || err != nil {
		t.Errorf("the replaced list: %v, %v", got, err)
	}
	if got, err := m.List("README.md", new); got == nil || got.Title != "new" || err != nil {
		t.Errorf("the last list: %v, %v", got, err)
	}
	st, err := s.Stats()
	if err != nil {
		t.Fatal(err)
	}
	if st["lists"] != 1 {
		t.Errorf("lists kept: %d, want 1", st["lists"])
	}
}

// TestListMemoRefuses: a kept list that does not decode is an error and
// no list; a read-only store keeps nothing.
func TestListMemoRefuses(t *testing.T) {
	src := []byte("# A list\n")
	sum := sha256.Sum256(src)
	head := append(binary.AppendUvarint(nil, 2), "b1"...)
	head = append(head, sum[:]...)
	for _, tc := range []struct {
		name  string
		value []byte
		err   bool
	}{
		{"not a kept list", append(head, "something else"...), true},
		{"a list cut short", append(head, "PL1\x05\x01a"...), true},
		{"a string beyond the table", append(head, "PL1\x01\x01a\x05"...), true},
		{"no list after the head", head, true},
		{"a head cut short", head[:10], false},
		{"an empty value", nil, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "cache.db")
			s, err := store.Open(path, store.Options{})
			if err != nil {
				t.Fatal(err)
			}
			if err := s.Close(); err != nil {
				t.Fatal(err)
			}
			db, err := bolt.Open(path, 0o600, nil)
			if err != nil {
				t.Fatal(err)
			}
			err = db.Update(func(tx *bolt.Tx) error {
				return tx.Bucket([]byte("lists")).Put([]byte("README.md"), tc.value)
			})
			if err := errors.Join(err, db.Close()); err != nil {
				t.Fatal(err)
			}
			s = openAt(t, path)
			got, err := s.Lists("b1").List("README.md", src)
			if got != nil || (err != nil) != tc.err {
				t.Errorf("List: %v, %v; want no list and an error: %v", got, err, tc.err)
			}
			// The next read keeps its own list over the bad one.
			if err := s.Lists("b1").Remember(src, &paperlist.List{Source: "README.md", Title: "good"}); err != nil {
				t.Fatal(err)
			}
			if got, err := s.Lists("b1").List("README.md", src); got == nil || got.Title != "good" || err != nil {
				t.Errorf("after Remember: %v, %v", got, err)
			}
		})
	}
	path := filepath.Join(t.TempDir(), "cache.db")
	if err := openAt(t, path).Close(); err != nil {
		t.Fatal(err)
	}
	ro, err := store.Open(path, store.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer ro.Close()
	if err := ro.Lists("b1").Remember(src, &paperlist.List{Source: "README.md"}); !errors.Is(err, store.ErrReadOnly) {
		t.Errorf("Remember on a read-only store: %v, want ErrReadOnly", err)
	}
}
