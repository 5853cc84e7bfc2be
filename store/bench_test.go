package store_test

import (
	"fmt"
	"strconv"
	"sync/atomic"
	"testing"

	"github.com/paperlist/paperlist"
)

func arxivEntries(n, from int) []*paperlist.Entry[paperlist.ArxivRecord] {
	entries := make([]*paperlist.Entry[paperlist.ArxivRecord], n)
	for i := range entries {
		id := fmt.Sprintf("2302.%05d", from+i)
		entries[i] = &paperlist.Entry[paperlist.ArxivRecord]{
			Key: id, State: paperlist.StateOK, FetchedAt: fetched, CheckedAt: checked,
			Data: &paperlist.ArxivRecord{
				ID: id, Version: 1, Title: "LLaMA: Open and Efficient Foundation Language Models",
				Abstract:  "We introduce LLaMA, a collection of foundation language models ranging from 7B to 65B parameters.",
				Authors:   []paperlist.Author{{Name: "Hugo Touvron"}, {Name: "Thibaut Lavril"}, {Name: "Gautier Izacard"}},
				Published: fetched, Updated: fetched, PrimaryCategory: "cs.CL", Categories: []string{"cs.CL"},
			},
		}
	}
	return entries
}

// BenchmarkPutArxiv stores batches of 30 entries, as the arXiv source
// emits them, one call after another.
func BenchmarkPutArxiv(b *testing.B) {
	s := openStore(b)
	i := 0
	for b.Loop() {
		if err := saveArxiv(s, arxivEntries(30, i*30)...); err != nil {
			b.Fatal(err)
		}
		i++
	}
}

// BenchmarkPutRepoSequential stores one repository per call from one
// goroutine.
func BenchmarkPutRepoSequential(b *testing.B) {
	s := openStore(b)
	i := 0
	for b.Loop() {
		name := "owner/repo" + strconv.Itoa(i)
		if err := saveRepo(s, name, repoEntry(name, int64(i+1), i)); err != nil {
			b.Fatal(err)
		}
		i++
	}
}

// BenchmarkPutRepoConcurrent stores one repository per call from many
// goroutines at once, as the GitHub workers do.
func BenchmarkPutRepoConcurrent(b *testing.B) {
	s := openStore(b)
	var n atomic.Int64
	b.SetParallelism(4)
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			i := n.Add(1)
			name := "owner/repo" + strconv.FormatInt(i, 10)
			if err := saveRepo(s, name, repoEntry(name, i, int(i))); err != nil {
				b.Error(err)
				return
			}
		}
	})
}

// BenchmarkReadAll reads 10,000 arXiv entries, one ArxivEntries call per
// id; one op is the full read. BenchmarkReadAllAtOnce reads them as a run
// plans: with one ArxivEntries.
func BenchmarkReadAll(b *testing.B) {
	s := openStore(b)
	const n = 10000
	entries := arxivEntries(n, 0)
	for i := 0; i < n; i += 500 {
		if err := saveArxiv(s, entries[i:i+500]...); err != nil {
			b.Fatal(err)
		}
	}
	for b.Loop() {
		for _, e := range entries {
			got, err := loadArxiv(s, e.Key)
			if err != nil || got == nil {
				b.Fatal(got, err)
			}
		}
	}
}

func BenchmarkReadAllAtOnce(b *testing.B) {
	s := openStore(b)
	const n = 10000
	entries := arxivEntries(n, 0)
	ids := make([]string, n)
	for i, e := range entries {
		ids[i] = e.Key
	}
	for i := 0; i < n; i += 500 {
		if err := saveArxiv(s, entries[i:i+500]...); err != nil {
			b.Fatal(err)
		}
	}
	for b.Loop() {
		got, err := s.ArxivEntries(ids)
		if err != nil || len(got) != n {
			b.Fatal(len(got), err)
		}
	}
}
