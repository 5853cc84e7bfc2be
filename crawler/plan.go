package crawler

import (
	"errors"
	"net/url"
	"strings"
	"time"

	"github.com/paperlist/paperlist"
)

// item is one distinct record a run needs: an arXiv id, a repository, a
// landing page.
type item[T any] struct {
	key   string // arXiv id, RepoKey of the listed name, URL
	name  string // the repository name as first listed
	entry *paperlist.Entry[T]
	stale bool
	// answered is set when the source answered this run; failed when the
	// fetch failed this run.
	answered bool
	failed   *paperlist.Failure
	// unreadable is set when the cache holds a record that it could not
	// decode.
	unreadable bool
	// inCache is set when the entry's Data was left in the cache, to be
	// read again as its papers are assembled and written
	// (Options.OnDemand).
	inCache bool
	// starName is, for a repository in state ok whose Data was left in
	// the cache, the RepoKey of its current name, under which its star
	// history is kept.
	starName string
	// checked is, for a fresh record in state ok left in the cache, what
	// the assembly reads of it; nil otherwise, and once the papers are
	// assembled.
	checked *checked
}

// Keys of the records a paper needs from each source; "" when it needs
// none.
func arxivKey(p *paperlist.Paper) (key, name string) {
	if !paperlist.ValidArxivID(p.ArxivID) {
		return "", ""
	}
	return p.ArxivID, p.ArxivID
}

func repoKey(p *paperlist.Paper) (key, name string) {
	if p.Repo == "" {
		return "", ""
	}
	return paperlist.RepoKey(p.Repo), p.Repo
}

func pageKey(p *paperlist.Paper) (key, name string) {
	if listedArxiv(p) || !paperlist.IsHTTPURL(p.PaperURL) {
		return "", ""
	}
	u, err := url.Parse(p.PaperURL)
	if err != nil || paperlist.IsArxivHost(u.Hostname()) {
		return "", ""
	}
	return p.PaperURL, p.PaperURL
}

// listedArxiv reports whether the list gives the paper an arXiv id. A
// paper whose id was found keeps its landing page: the list links it.
func listedArxiv(p *paperlist.Paper) bool {
	return p.ArxivID != "" && (p.ArxivIDSource == "" || p.ArxivIDSource == paperlist.ArxivIDFromList)
}

// planChunk is how many cached entries plan reads at once.
const planChunk = 512

// plan collects the distinct records of one source that the list needs,
// in list order, with their cached entries, read by get planChunk at a
// time. With Options.OnDemand, a fresh entry keeps its state and leaves
// its Data in the cache: a warm rerun then holds none of the abstracts and
// repository stats it does not need.
func plan[T any](r *run, list *paperlist.List, source string,
	keyOf func(*paperlist.Paper) (string, string),
	get func([]string) (map[string]*paperlist.Entry[T], error), maxAge time.Duration,
) (map[string]*item[T], []*item[T]) {
	items := map[string]*item[T]{}
	var order []*item[T]
	var names, titles []string // titles: of each item's first paper
	for _, p := range list.Papers {
		key, name := keyOf(p)
		if key == "" || items[key] != nil {
			continue
		}
		it := &item[T]{key: key, name: name}
		items[key] = it
		order = append(order, it)
		names = append(names, name)
		titles = append(titles, p.Title)
	}
	st := r.sources[source]
	// The entry of every fresh record in state ok left in the cache: the
	// run reads no more of it than that until it reads the record back.
	okHead := &paperlist.Entry[T]{State: paperlist.StateOK, CheckedAt: r.now}
	heads := headsOf[T](r)
	// A stale arXiv entry stays in the cache too: arXiv answers in full
	// or not at all, and what keeps the old record (a failure, not found)
	// reads it back first (see whole). A stale page or repository is read
	// whole: its conditional request keeps the record on a 304.
	_, staleInCache := any((*T)(nil)).(*paperlist.ArxivRecord)
	for lo := 0; lo < len(order); lo += planChunk {
		part := order[lo:min(lo+planChunk, len(order))]
		read := get
		if heads != nil {
			read = heads
		}
		entries := planRead(r, source, part, names[lo:lo+len(part)], read)
		var stale []*item[T]
		var staleNames []string
		for i, it := range part {
			it.entry = entries[it.name]
			var facts *checked
			if heads != nil && it.entry != nil && it.entry.Data != nil {
				// A read of what the checks look at (arXiv's): the
				// entry stays a head, what was read goes to checked.
				if it.entry.State == paperlist.StateOK {
					facts = checkedOf(it.entry.Data, titles[lo+i], it.name)
				}
				it.entry.Data = nil
			}
			it.stale = !it.entry.Fresh(r.now, maxAge)
			st.Planned++
			switch {
			case it.stale && heads != nil && it.entry != nil && staleInCache:
				it.inCache = true
			case it.stale && heads != nil && it.entry != nil:
				// A stale record is read whole: a failed fetch keeps it.
				stale = append(stale, it)
				staleNames = append(staleNames, it.name)
			case it.stale:
			case heads != nil:
				st.Fresh++
				it.inCache = true
				it.checked = facts
				it.shareHead(okHead)
			default:
				st.Fresh++
				if r.opts.OnDemand && it.entry.Data != nil && !keptInMemory(it.key, it.entry.Data) {
					if st, ok := any(it.entry.Data).(*paperlist.RepoStats); ok && it.entry.State == paperlist.StateOK {
						// A copy: the name may be a slice of the record.
						it.starName = strings.Clone(paperlist.RepoKey(st.FullName))
					}
					if it.entry.State == paperlist.StateOK && it.entry.Failure == nil {
						it.checked = checkedOf(it.entry.Data, "", it.name)
					}
					it.leaveInCache()
					it.shareHead(okHead)
				}
			}
		}
		if len(stale) > 0 {
			full := planRead(r, source, stale, staleNames, get)
			for _, it := range stale {
				it.entry = full[it.name]
			}
		}
	}
	return items, order
}

// planRead reads the entries of the items part, named names, with read.
// An entry that cannot be read is not in the map, and its item is marked
// unreadable: it is fetched again, and is a problem of its papers when it
// is not.
func planRead[T any](r *run, source string, part []*item[T], names []string,
	read func([]string) (map[string]*paperlist.Entry[T], error),
) map[string]*paperlist.Entry[T] {
	entries, err := read(names)
	if err != nil {
		r.log.Warn("cache read failed; fetching again what could not be read", "source", source, "err", err)
	}
	if ue := (*paperlist.UnreadableError)(nil); errors.As(err, &ue) {
		byName := make(map[string]*item[T], len(part))
		for _, it := range part {
			byName[it.name] = it
		}
		for _, name := range ue.Names {
			if it := byName[name]; it != nil {
				it.unreadable = true
			}
		}
	}
	return entries
}

// The reads a Cache may also offer, which store.Store does: entries
// without their records (all that plan needs of a fresh one), and arXiv
// entries with only what the checks of a paper read of their records.
type (
	arxivHeads interface {
		ArxivHeads(ids []string) (map[string]*paperlist.Entry[paperlist.ArxivRecord], error)
	}
	pageHeads interface {
		PageHeads(urls []string) (map[string]*paperlist.Entry[paperlist.PageRecord], error)
	}
	arxivChecks interface {
		ArxivChecks(ids []string) (map[string]*paperlist.Entry[paperlist.ArxivRecord], error)
	}
)

// headsOf is the read of entries without their records of T (for arXiv,
// with only what the checks read of them), when the run leaves records in
// the cache (Options.OnDemand) and the cache offers it; nil otherwise. Repository records are read whole: the star history
// is kept under the name they hold.
func headsOf[T any](r *run) func([]string) (map[string]*paperlist.Entry[T], error) {
	if !r.opts.OnDemand {
		return nil
	}
	var f any
	switch any((*T)(nil)).(type) {
	case *paperlist.ArxivRecord:
		// What the checks read, where the cache can: the assembly then
		// reads none of the records again (see checked).
		if c, ok := r.cache.(arxivChecks); ok {
			f = c.ArxivChecks
		} else if c, ok := r.cache.(arxivHeads); ok {
			f = c.ArxivHeads
		}
	case *paperlist.PageRecord:
		if c, ok := r.cache.(pageHeads); ok {
			f = c.PageHeads
		}
	}
	read, _ := f.(func([]string) (map[string]*paperlist.Entry[T], error))
	return read
}

// whole reads back with get the Data of an entry left in the cache, for
// an answer that keeps it (a failure, a permanent answer) before the entry
// is saved again. An entry that cannot be read back is kept as it is,
// without its Data.
func (it *item[T]) whole(r *run, get func([]string) (map[string]*paperlist.Entry[T], error)) {
	wholeAll(r, []*item[T]{it}, get)
}

// wholeAll is whole for many items at once, read planChunk names a
// transaction: a source that stopped leaves thousands of ids unanswered,
// and one read for each would be a transaction (and a release of the
// cache's mapped pages) each.
func wholeAll[T any](r *run, items []*item[T], get func([]string) (map[string]*paperlist.Entry[T], error)) {
	var left []*item[T]
	for _, it := range items {
		if it.inCache {
			left = append(left, it)
		}
	}
	for lo := 0; lo < len(left); lo += planChunk {
		part := left[lo:min(lo+planChunk, len(left))]
		names := make([]string, len(part))
		for i, it := range part {
			names[i] = it.name
		}
		m, err := get(names)
		for _, it := range part {
			it.inCache = false
			if e := m[it.name]; e != nil && e.State == it.entry.State && e.CheckedAt.Equal(it.entry.CheckedAt) {
				it.entry = e
				continue
			}
			r.log.Warn("cached record not read back; saved without it", "key", it.key, "err", err)
		}
	}
}

// shareHead replaces the entry of a fresh record in state ok, left in the
// cache, with head, one entry for all of them that says only that: its
// key, times and validators are read again with its Data, and a run
// holds 10,000 of them.
func (it *item[T]) shareHead(head *paperlist.Entry[T]) {
	if it.inCache && !it.stale && it.entry != nil && it.entry.State == paperlist.StateOK && it.entry.Failure == nil {
		it.entry = head
	}
}

// savedInCache is what the saver calls once it has committed the item's
// new entry: with Options.OnDemand the entry's Data is left in the cache,
// as a fresh one's is, so that a stale rerun does not hold every record it
// fetched. A failed commit keeps the Data: the outputs show what the run
// knows.
func savedInCache[T any](r *run, it *item[T]) func() {
	if !r.opts.OnDemand {
		return nil
	}
	return it.leaveInCache
}

// leaveInCache drops the entry's Data, to be read again from the cache.
// The strings kept are copied: a decoded entry's strings may share one
// allocation with its Data.
func (it *item[T]) leaveInCache() {
	if it.entry == nil || it.entry.Data == nil {
		return
	}
	e := *it.entry
	e.Data = nil
	e.Key, e.State, e.Reason = strings.Clone(e.Key), paperlist.State(strings.Clone(string(e.State))), strings.Clone(e.Reason)
	e.ETag, e.LastModified = strings.Clone(e.ETag), strings.Clone(e.LastModified)
	if e.Failure != nil {
		f := *e.Failure
		f.Kind, f.Message = strings.Clone(f.Kind), strings.Clone(f.Message)
		e.Failure = &f
	}
	it.entry = &e
	it.inCache = true
}

// keptInMemory reports whether the data of the record under key stays in
// memory with Options.OnDemand: Semantic Scholar's record of a DOI or a
// page, which the run reads to find the paper's arXiv id. Every other
// record, the one of an arXiv id included, is read again as its papers
// are assembled.
func keptInMemory(key string, data any) bool {
	if _, ok := data.(*paperlist.CitationRecord); ok {
		return !strings.HasPrefix(key, "ARXIV:")
	}
	return false
}
