// Package cutnotice tells, once per source and run, that an answer was
// longer than a record keeps. The records' bounds and the Bound methods
// that cut them are the domain's (the root package); saying so in the log
// is the sources' business, since the domain does not log.
package cutnotice

import (
	"log/slog"
	"strings"
	"sync"
)

// Notice says, once per source and run, that an answer was longer than a
// record keeps and was cut by a Bound method: the first such record is
// logged as a warning, with the fields cut. The zero value is ready for
// use, and it is safe for concurrent use.
type Notice struct{ once sync.Once }

// Note logs the cut fields of record (an arXiv id, a repository, a page)
// of source unless a cut was logged before; it does nothing when cut is
// empty.
func (n *Notice) Note(log *slog.Logger, source, record string, cut []string) {
	if len(cut) == 0 || log == nil {
		return
	}
	n.once.Do(func() {
		log.Warn("answer longer than paperlist keeps: cut, ending in …; later cuts this run are not logged",
			"source", source, "record", record, "fields", strings.Join(cut, ","))
	})
}
