package crawler

import (
	"errors"
	"net/url"
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
	if p.ArxivID != "" || !paperlist.IsHTTPURL(p.PaperURL) {
		return "", ""
	}
	u, err := url.Parse(p.PaperURL)
	if err != nil || paperlist.IsArxivHost(u.Hostname()) {
		return "", ""
	}
	return p.PaperURL, p.PaperURL
}

// plan collects the distinct records of one source that the list needs,
// in list order, with their cached entries, read at once by get.
func plan[T any](r *run, list *paperlist.List, source string,
	keyOf func(*paperlist.Paper) (string, string),
	get func([]string) (map[string]*paperlist.Entry[T], error), maxAge time.Duration,
) (map[string]*item[T], []*item[T]) {
	items := map[string]*item[T]{}
	var order []*item[T]
	var names []string
	for _, p := range list.Papers {
		key, name := keyOf(p)
		if key == "" || items[key] != nil {
			continue
		}
		it := &item[T]{key: key, name: name}
		items[key] = it
		order = append(order, it)
		names = append(names, name)
	}
	if len(names) == 0 {
		return items, order
	}
	entries, err := get(names)
	if err != nil {
		// What could not be read is not in entries: it is fetched again,
		// and is a problem of its papers when it is not.
		r.log.Warn("cache read failed; fetching again what could not be read", "source", source, "err", err)
	}
	if ue := (*paperlist.UnreadableError)(nil); errors.As(err, &ue) {
		byName := make(map[string]*item[T], len(order))
		for _, it := range order {
			byName[it.name] = it
		}
		for _, name := range ue.Names {
			if it := byName[name]; it != nil {
				it.unreadable = true
			}
		}
	}
	st := r.sources[source]
	for _, it := range order {
		it.entry = entries[it.name]
		it.stale = !it.entry.Fresh(r.now, maxAge)
		st.Planned++
		if !it.stale {
			st.Fresh++
		}
	}
	return items, order
}
