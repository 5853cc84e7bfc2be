package crawler_test

import (
	"context"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/paperlist/paperlist"
)

// memCache is an in-memory crawler.Cache that copies entries in and out,
// as a real store does. Its single-record methods are for tests to seed and
// inspect it.
type memCache struct {
	// beforeSave, when set, is called before each Save, which fails with
	// its error.
	beforeSave func(*paperlist.CacheBatch) error

	mu    sync.Mutex
	arxiv map[string]paperlist.Entry[paperlist.ArxivRecord]
	repos map[string]paperlist.Entry[paperlist.RepoStats] // by canonical key
	alias map[string]string                               // listed key → canonical key
	pages map[string]paperlist.Entry[paperlist.PageRecord]
	stars map[string]map[string]int // canonical → UTC day → stars
	saves []int                     // records in each Save
}

func newMemCache() *memCache {
	return &memCache{
		arxiv: map[string]paperlist.Entry[paperlist.ArxivRecord]{},
		repos: map[string]paperlist.Entry[paperlist.RepoStats]{},
		alias: map[string]string{},
		pages: map[string]paperlist.Entry[paperlist.PageRecord]{},
		stars: map[string]map[string]int{},
	}
}

func (c *memCache) ArxivEntry(id string) (*paperlist.Entry[paperlist.ArxivRecord], error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.arxiv[id]
	if !ok {
		return nil, nil
	}
	return &e, nil
}

func (c *memCache) PutArxiv(entries ...*paperlist.Entry[paperlist.ArxivRecord]) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, e := range entries {
		c.arxiv[e.Key] = *e
	}
	return nil
}

func (c *memCache) RepoEntry(name string) (*paperlist.Entry[paperlist.RepoStats], error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	k := strings.ToLower(name)
	if canon, ok := c.alias[k]; ok {
		k = canon
	}
	e, ok := c.repos[k]
	if !ok {
		return nil, nil
	}
	return &e, nil
}

func (c *memCache) PutRepo(name string, e *paperlist.Entry[paperlist.RepoStats]) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	canon := strings.ToLower(e.Key)
	if e.Data != nil && e.Data.FullName != "" {
		canon = strings.ToLower(e.Data.FullName)
	}
	c.repos[canon] = *e
	c.alias[strings.ToLower(name)] = canon
	return nil
}

func (c *memCache) PageEntry(url string) (*paperlist.Entry[paperlist.PageRecord], error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.pages[url]
	if !ok {
		return nil, nil
	}
	return &e, nil
}

func (c *memCache) PutPage(e *paperlist.Entry[paperlist.PageRecord]) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.pages[e.Key] = *e
	return nil
}

func (c *memCache) RecordStars(repo string, at time.Time, stars int) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.stars[repo] == nil {
		c.stars[repo] = map[string]int{}
	}
	c.stars[repo][at.UTC().Format(time.DateOnly)] = stars
	return nil
}

func (c *memCache) StarsOn(repo string, at time.Time) (int, bool, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	day := at.UTC().Format(time.DateOnly)
	best := ""
	for d := range c.stars[repo] {
		if d <= day && d > best {
			best = d
		}
	}
	if best == "" {
		return 0, false, nil
	}
	return c.stars[repo][best], true, nil
}

func (c *memCache) ArxivEntries(ids []string) (map[string]*paperlist.Entry[paperlist.ArxivRecord], error) {
	return getAll(ids, c.ArxivEntry)
}

func (c *memCache) RepoEntries(names []string) (map[string]*paperlist.Entry[paperlist.RepoStats], error) {
	return getAll(names, c.RepoEntry)
}

func (c *memCache) PageEntries(urls []string) (map[string]*paperlist.Entry[paperlist.PageRecord], error) {
	return getAll(urls, c.PageEntry)
}

func getAll[T any](keys []string, get func(string) (*paperlist.Entry[T], error)) (map[string]*paperlist.Entry[T], error) {
	m := map[string]*paperlist.Entry[T]{}
	for _, k := range keys {
		if e, _ := get(k); e != nil {
			m[k] = e
		}
	}
	return m, nil
}

func (c *memCache) Save(b *paperlist.CacheBatch) error {
	if c.beforeSave != nil {
		if err := c.beforeSave(b); err != nil {
			return err
		}
	}
	c.mu.Lock()
	c.saves = append(c.saves, b.Len())
	c.mu.Unlock()
	c.PutArxiv(b.Arxiv...)
	for _, r := range b.Repos {
		c.PutRepo(r.Name, r.Entry)
	}
	for _, e := range b.Pages {
		c.PutPage(e)
	}
	for _, n := range b.Stars {
		c.RecordStars(n.Repo, n.At, n.Stars)
	}
	return nil
}

func (c *memCache) StarCounts(repos []string, at time.Time) (map[string]int, error) {
	m := map[string]int{}
	for _, r := range repos {
		if n, ok, _ := c.StarsOn(r, at); ok {
			m[r] = n
		}
	}
	return m, nil
}

func (c *memCache) saveCalls() []int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return slices.Clone(c.saves)
}

// fakeArxiv answers from a map; ids it lacks are not emitted.
type fakeArxiv struct {
	results map[string]paperlist.ArxivResult
	err     error

	mu    sync.Mutex
	calls [][]string
}

func (f *fakeArxiv) FetchArxiv(_ context.Context, ids []string, emit func(paperlist.ArxivResult)) error {
	f.mu.Lock()
	f.calls = append(f.calls, slices.Clone(ids))
	f.mu.Unlock()
	for _, id := range ids {
		if r, ok := f.results[id]; ok {
			r.ID = id
			emit(r)
		}
	}
	return f.err
}

// fakeRepos answers from a map by lower-case name; block, when set, is
// called before answering.
type fakeRepos struct {
	results map[string]paperlist.RepoResult
	block   func(ctx context.Context, req paperlist.RepoRequest) error

	mu   sync.Mutex
	reqs []paperlist.RepoRequest
}

func (f *fakeRepos) FetchRepo(ctx context.Context, req paperlist.RepoRequest) paperlist.RepoResult {
	f.mu.Lock()
	f.reqs = append(f.reqs, req)
	f.mu.Unlock()
	if f.block != nil {
		if err := f.block(ctx, req); err != nil {
			return paperlist.RepoResult{Err: err}
		}
	}
	r, ok := f.results[strings.ToLower(req.Name)]
	if !ok {
		return paperlist.RepoResult{State: paperlist.StateNotFound}
	}
	if r.Stats != nil {
		st := *r.Stats
		r.Stats = &st
	}
	return r
}

func (f *fakeRepos) requests() []paperlist.RepoRequest {
	f.mu.Lock()
	defer f.mu.Unlock()
	return slices.Clone(f.reqs)
}

// fakePages answers from a map by URL.
type fakePages struct {
	results map[string]paperlist.PageResult

	mu   sync.Mutex
	urls []string
}

func (f *fakePages) FetchPage(_ context.Context, url string) paperlist.PageResult {
	f.mu.Lock()
	f.urls = append(f.urls, url)
	f.mu.Unlock()
	return f.results[url]
}

// fakeProgress records what it is told.
type fakeProgress struct {
	mu       sync.Mutex
	total    map[string]int
	advanced map[string]int
	done     map[string]bool
}

func newFakeProgress() *fakeProgress {
	return &fakeProgress{total: map[string]int{}, advanced: map[string]int{}, done: map[string]bool{}}
}

func (p *fakeProgress) Start(source string, total int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.total[source] = total
}

func (p *fakeProgress) Advance(source string, n int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.advanced[source] += n
}

func (p *fakeProgress) Done(source string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.done[source] = true
}
