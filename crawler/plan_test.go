package crawler_test

import (
	"errors"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/paperlist/paperlist"
)

// cachedRepo is a repository entry answered at checked with validators.
func cachedRepo(name string, stars int, checked time.Time) *paperlist.Entry[paperlist.RepoStats] {
	return &paperlist.Entry[paperlist.RepoStats]{
		Key: paperlist.RepoKey(name), State: paperlist.StateOK,
		Data:      &paperlist.RepoStats{FullName: name, ID: 42, Stars: stars, FetchedAt: checked},
		FetchedAt: checked, CheckedAt: checked, ETag: `W/"old"`, LastModified: "Mon, 01 Jan 2024 00:00:00 GMT",
	}
}

func TestRunFreshness(t *testing.T) {
	checked := now.Add(-2 * time.Hour)
	tests := []struct {
		name          string
		githubMaxAge  time.Duration
		arxivMaxAge   time.Duration
		wantRepoReqs  []paperlist.RepoRequest
		wantArxivCall bool
	}{
		{"fresh entries not refetched", 24 * time.Hour, 168 * time.Hour, nil, false},
		{"stale entries refetched conditionally", time.Hour, time.Hour,
			[]paperlist.RepoRequest{{Name: "o/r", ID: 42, ETag: `W/"old"`, LastModified: "Mon, 01 Jan 2024 00:00:00 GMT"}}, true},
		{"max age 0 refetches everything", 0, 0,
			[]paperlist.RepoRequest{{Name: "o/r", ID: 42, ETag: `W/"old"`, LastModified: "Mon, 01 Jan 2024 00:00:00 GMT"}}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := newMemCache()
			c.PutRepo("o/r", cachedRepo("o/r", 5, checked))
			c.PutArxiv(&paperlist.Entry[paperlist.ArxivRecord]{Key: "2302.13971", State: paperlist.StateOK,
				Data: &paperlist.ArxivRecord{ID: "2302.13971", Title: "T"}, FetchedAt: checked, CheckedAt: checked})
			a := &fakeArxiv{results: map[string]paperlist.ArxivResult{"2302.13971": arxivOK("T")}}
			r := &fakeRepos{results: map[string]paperlist.RepoResult{"o/r": repoOK("o/r", 42, 6)}}
			o := options(c, a, r, nil)
			o.GitHubMaxAge, o.ArxivMaxAge = tt.githubMaxAge, tt.arxivMaxAge
			rep := run(t, t.Context(), newList(paperSpec{title: "T", arxiv: "2302.13971", repo: "o/r"}), o)

			if diff := cmp.Diff(tt.wantRepoReqs, r.requests()); diff != "" {
				t.Errorf("repo requests (-want +got):\n%s", diff)
			}
			if got := len(a.calls) > 0; got != tt.wantArxivCall {
				t.Errorf("arXiv called: %v, want %v", got, tt.wantArxivCall)
			}
			wantNetwork := 0
			if tt.wantArxivCall {
				wantNetwork = 1
			}
			if rep.FromNetwork != wantNetwork || rep.FromCache != 1-wantNetwork {
				t.Errorf("from network %d, from cache %d; want %d, %d", rep.FromNetwork, rep.FromCache, wantNetwork, 1-wantNetwork)
			}
		})
	}
}

// unreadableCache is a cache whose arXiv records of some ids are stored
// but cannot be decoded, as a damaged value in a real cache.
type unreadableCache struct {
	*memCache
	ids map[string]bool
}

func (c unreadableCache) ArxivEntries(ids []string) (map[string]*paperlist.Entry[paperlist.ArxivRecord], error) {
	var readable, bad []string
	for _, id := range ids {
		if c.ids[id] {
			bad = append(bad, id)
		} else {
			readable = append(readable, id)
		}
	}
	m, err := c.memCache.ArxivEntries(readable)
	if err == nil && len(bad) > 0 {
		err = &paperlist.UnreadableError{Names: bad, Err: errors.New("decode: invalid character")}
	}
	return m, err
}

// A cached record that cannot be decoded is a problem of its paper when
// it is not fetched again (offline), not a silent absence; fetched again,
// it is no problem.
func TestRunUnreadableCacheRecord(t *testing.T) {
	for _, offline := range []bool{true, false} {
		t.Run(fmt.Sprintf("offline=%t", offline), func(t *testing.T) {
			c := unreadableCache{memCache: newMemCache(), ids: map[string]bool{"2302.13971": true}}
			a := &fakeArxiv{results: map[string]paperlist.ArxivResult{"2302.13971": arxivOK("LLaMA")}}
			l := newList(paperSpec{title: "LLaMA", arxiv: "2302.13971"})
			o := options(c, a, nil, nil)
			o.Offline = offline
			rep := run(t, t.Context(), l, o)
			got := codes(rep.Dataset.Papers[0])
			if offline {
				if !slices.Contains(got, paperlist.ProblemCacheUnreadable) || !rep.Partial() {
					t.Errorf("problems %v, partial %t; want %s and partial", got, rep.Partial(), paperlist.ProblemCacheUnreadable)
				}
				return
			}
			if len(got) != 0 || rep.Dataset.Papers[0].Arxiv == nil || rep.Partial() {
				t.Errorf("problems %v, record %+v, partial %t; want the record fetched again", got, rep.Dataset.Papers[0].Arxiv, rep.Partial())
			}
		})
	}
}
