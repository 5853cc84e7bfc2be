package store_test

import (
	"testing"
	"time"
)

func TestStarsOn(t *testing.T) {
	day := func(d, hour int) time.Time { return time.Date(2026, 3, d, hour, 0, 0, 0, time.UTC) }
	s := openStore(t)
	records := []struct {
		repo  string
		at    time.Time
		stars int
	}{
		{"a/b", day(3, 8), 100},
		{"a/b", day(3, 20), 103}, // the same UTC day: replaces 100
		{"a/b", day(5, 1), 110},
		{"a/b", day(9, 23), 130},
		// 00:30 on the 10th in UTC+2 is 22:30 on the 9th in UTC: it
		// replaces 130.
		{"A/B", time.Date(2026, 3, 10, 0, 30, 0, 0, time.FixedZone("EET", 2*3600)), 131},
		// Neighbours whose keys sort next to a/b's.
		{"a/b-c", day(1, 0), 1},
		{"a/a", day(20, 0), 2},
		{"a/bb", day(2, 0), 3},
	}
	for _, r := range records {
		if err := saveStars(s, r.repo, r.at, r.stars); err != nil {
			t.Fatal(err)
		}
	}
	tests := []struct {
		name   string
		repo   string
		at     time.Time
		want   int
		wantOK bool
	}{
		{"before the first day", "a/b", day(2, 23), 0, false},
		{"first day, replaced", "a/b", day(3, 0), 103, true},
		{"in a gap", "a/b", day(4, 12), 103, true},
		{"on a day", "a/b", day(5, 0), 110, true},
		{"last day, replaced across zones", "a/b", day(9, 0), 131, true},
		{"after the last day", "a/b", day(30, 0), 131, true},
		{"any case", "A/b", day(6, 0), 110, true},
		{"time zone of at", "a/b", time.Date(2026, 3, 2, 20, 0, 0, 0, time.FixedZone("PST", -8*3600)), 103, true},
		{"key sorting after the repo's", "a/b-c", day(31, 0), 1, true},
		{"key sorting before the repo's, before its first day", "a/a", day(19, 0), 0, false},
		{"key sorting around the repo's, before its first day", "a/bb", day(1, 0), 0, false},
		{"unknown repo", "x/y", day(9, 0), 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok, err := s.StarsOn(tt.repo, tt.at)
			if err != nil {
				t.Fatal(err)
			}
			if got != tt.want || ok != tt.wantOK {
				t.Errorf("StarsOn(%q, %v) = %d, %t; want %d, %t", tt.repo, tt.at, got, ok, tt.want, tt.wantOK)
			}
		})
	}
}
