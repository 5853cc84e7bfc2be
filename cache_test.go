package paperlist_test

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/paperlist/paperlist"
)

type repoEntry = paperlist.Entry[paperlist.RepoStats]

func TestEntryStateChanges(t *testing.T) {
	then := time.Date(2024, 5, 1, 0, 0, 0, 0, time.UTC)
	now := then.Add(48 * time.Hour)
	oldData := &paperlist.RepoStats{FullName: "a/b", Stars: 1}
	newData := &paperlist.RepoStats{FullName: "A/B", Stars: 2}
	earlier := &paperlist.Failure{Kind: paperlist.FailureTransient, Message: "timeout", At: then}
	fail := &paperlist.Failure{Kind: paperlist.FailureRateLimit, Message: "wait too long", At: now, Attempts: 3}
	cached := func() *repoEntry {
		return &repoEntry{
			Key: "a/b", State: paperlist.StateOK, Data: oldData,
			FetchedAt: then, CheckedAt: then, ETag: `"e1"`, LastModified: "Wed, 01 May 2024 00:00:00 GMT",
			Failure: earlier,
		}
	}
	gone := func() *repoEntry {
		e := cached()
		e.State, e.Reason, e.ETag, e.LastModified = paperlist.StateUnavailable, "dmca", "", ""
		return e
	}
	tests := []struct {
		name   string
		old    *repoEntry
		change func(*repoEntry) *repoEntry
		want   *repoEntry
	}{
		{
			name:   "data for nothing cached",
			change: func(e *repoEntry) *repoEntry { return e.WithData("a/b", newData, `"e2"`, "", now) },
			want:   &repoEntry{Key: "a/b", State: paperlist.StateOK, Data: newData, FetchedAt: now, CheckedAt: now, ETag: `"e2"`},
		},
		{
			name: "data replaces data, key, validators and failure",
			old:  cached(),
			change: func(e *repoEntry) *repoEntry {
				return e.WithData("new/name", newData, `"e2"`, "Fri, 03 May 2024 00:00:00 GMT", now)
			},
			want: &repoEntry{
				Key: "new/name", State: paperlist.StateOK, Data: newData, FetchedAt: now, CheckedAt: now,
				ETag: `"e2"`, LastModified: "Fri, 03 May 2024 00:00:00 GMT",
			},
		},
		{
			name:   "data after a permanent answer clears its reason",
			old:    gone(),
			change: func(e *repoEntry) *repoEntry { return e.WithData("a/b", newData, "", "", now) },
			want:   &repoEntry{Key: "a/b", State: paperlist.StateOK, Data: newData, FetchedAt: now, CheckedAt: now},
		},
		{
			name:   "not modified confirms data and validators",
			old:    cached(),
			change: func(e *repoEntry) *repoEntry { return e.WithNotModified(now) },
			want: &repoEntry{
				Key: "a/b", State: paperlist.StateOK, Data: oldData, FetchedAt: then, CheckedAt: now,
				ETag: `"e1"`, LastModified: "Wed, 01 May 2024 00:00:00 GMT",
			},
		},
		{
			name:   "permanent answer for nothing cached",
			change: func(e *repoEntry) *repoEntry { return e.WithPermanent("x/y", paperlist.StateNotFound, "", now) },
			want:   &repoEntry{Key: "x/y", State: paperlist.StateNotFound, FetchedAt: now, CheckedAt: now},
		},
		{
			name: "permanent answer keeps the data and its key, drops the validators",
			old:  cached(),
			change: func(e *repoEntry) *repoEntry {
				return e.WithPermanent("other", paperlist.StateUnavailable, "dmca", now)
			},
			want: &repoEntry{
				Key: "a/b", State: paperlist.StateUnavailable, Reason: "dmca", Data: oldData,
				FetchedAt: now, CheckedAt: now,
			},
		},
		{
			name:   "failure for nothing cached",
			change: func(e *repoEntry) *repoEntry { return e.WithFailure("a/b", fail) },
			want:   &repoEntry{Key: "a/b", Failure: fail},
		},
		{
			name:   "failure keeps everything else",
			old:    cached(),
			change: func(e *repoEntry) *repoEntry { return e.WithFailure("other", fail) },
			want: &repoEntry{
				Key: "a/b", State: paperlist.StateOK, Data: oldData, FetchedAt: then, CheckedAt: then,
				ETag: `"e1"`, LastModified: "Wed, 01 May 2024 00:00:00 GMT", Failure: fail,
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var before repoEntry
			if tt.old != nil {
				before = *tt.old
			}
			got := tt.change(tt.old)
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("entry (-want +got):\n%s", diff)
			}
			if tt.old == nil {
				return
			}
			if got == tt.old {
				t.Error("the change returned the old entry, not a copy")
			}
			if diff := cmp.Diff(&before, tt.old); diff != "" {
				t.Errorf("the old entry changed (-before +after):\n%s", diff)
			}
		})
	}
}
