// Package arxiv fetches paper metadata from arXiv: the export API's Atom
// feed, asked for many ids per request, with the abstract pages as a
// fallback when the API keeps failing. The landing pages of papers that are
// not on arXiv are read by sources/landing.
//
// The clients send one request at a time and never retry or sleep: the
// *http.Client they are given (the crawler's transport) spaces the requests,
// backs off and honours Retry-After. Their answers are turned into records
// or into errors that wrap paperlist.ErrInvalidResponse (an answer that
// cannot be read) or paperlist.ErrRejected (a request refused for good).
package arxiv

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/PuerkitoBio/goquery"

	"github.com/paperlist/paperlist"
	"github.com/paperlist/paperlist/sources/internal/citation"
	"github.com/paperlist/paperlist/sources/internal/cutnotice"
	"github.com/paperlist/paperlist/sources/internal/httpget"
)

// Defaults of Options.
const (
	DefaultAPIURL       = "https://export.arxiv.org/api/query"
	DefaultAbsURL       = "https://arxiv.org/abs/"
	DefaultBatchSize    = 100
	DefaultMaxBodyBytes = 16 << 20
)

// Options configure a Client. HTTPClient is required; the zero value of
// every other field picks its default.
type Options struct {
	// APIURL is the export API's query endpoint; DefaultAPIURL when empty.
	APIURL string
	// AbsURL is the prefix of the abstract pages, to which an id is
	// appended; DefaultAbsURL when empty.
	AbsURL string
	// HTTPClient sends every request. It is the one that spaces requests
	// and retries; the Client itself does neither.
	HTTPClient *http.Client
	// UserAgent is sent with every request; by default it names paperlist,
	// its version and its project URL.
	UserAgent string
	// BatchSize is how many ids one API request asks for; DefaultBatchSize
	// when 0. arXiv's URLs overflow at around 640 ids.
	BatchSize int
	// MaxBodyBytes bounds the body of an answer; DefaultMaxBodyBytes when 0.
	MaxBodyBytes int64
	// Now gives the time records are stamped with; time.Now when nil.
	Now func() time.Time
	// Logger receives debug lines about confirming requests and the
	// abstract-page fallback, and a warning the first time an answer is cut
	// to paperlist's bounds; nothing is logged when nil.
	Logger *slog.Logger
}

// Client fetches paper metadata from the arXiv export API. It is safe for
// concurrent use, though the crawler calls it from one goroutine.
type Client struct {
	apiURL    *url.URL
	absURL    string
	hc        *http.Client
	userAgent string
	batchSize int
	maxBody   int64
	now       func() time.Time
	log       *slog.Logger
	initErr   error
	cut       cutnotice.Notice
}

// New returns a client with the given options. A missing HTTPClient or an
// unusable APIURL is reported by every FetchArxiv call rather than by a
// panic.
func New(opts Options) *Client {
	c := &Client{
		absURL:    opts.AbsURL,
		hc:        opts.HTTPClient,
		userAgent: opts.UserAgent,
		batchSize: opts.BatchSize,
		maxBody:   opts.MaxBodyBytes,
		now:       opts.Now,
		log:       opts.Logger,
	}
	u, err := httpget.ParseEndpoint(opts.APIURL, DefaultAPIURL)
	if err != nil {
		c.initErr = fmt.Errorf("arxiv: api url %w", err)
	}
	c.apiURL = u
	if c.hc == nil {
		c.initErr = errors.New("arxiv: no HTTP client given")
	}
	if c.absURL == "" {
		c.absURL = DefaultAbsURL
	}
	if c.userAgent == "" {
		c.userAgent = paperlist.DefaultUserAgent
	}
	if c.batchSize <= 0 {
		c.batchSize = DefaultBatchSize
	}
	if c.maxBody <= 0 {
		c.maxBody = DefaultMaxBodyBytes
	}
	if c.now == nil {
		c.now = time.Now
	}
	if c.log == nil {
		c.log = slog.New(slog.DiscardHandler)
	}
	return c
}

// FetchArxiv fetches the records of ids and calls emit once per distinct id
// as soon as its outcome is known. It implements crawler.ArxivSource.
//
// Ids are checked first: a malformed one is emitted with an error wrapping
// paperlist.ErrRejected and never sent, since arXiv refuses a whole batch
// for one bad id. The rest go out in batches of BatchSize, each one GET of
// the export API with id_list and max_results set to the batch size
// (https://info.arxiv.org/help/api/user-manual.html). Entries are matched
// to ids by their <id>, whatever their order. An id missing from the
// answer is asked for once more before it is emitted as NotFound, since
// arXiv sometimes answers with an empty feed for papers it has.
//
// When a batch fails for another reason than a cancelled context or the
// crawler's rate-limit stop (paperlist.ErrWaitTooLong), its ids are fetched
// from their abstract pages instead; an id whose page fails too is emitted
// with the API's error. FetchArxiv returns an error only for a cancelled
// context, a rate-limit stop or a client without an HTTP client; the ids
// not emitted by then fail with it.
func (c *Client) FetchArxiv(ctx context.Context, ids []string, emit func(paperlist.ArxivResult)) error {
	if c.initErr != nil {
		return c.initErr
	}
	var valid []string
	seen := make(map[string]bool, len(ids))
	for _, id := range ids {
		if seen[id] {
			continue
		}
		seen[id] = true
		if !paperlist.ValidArxivID(id) || strings.TrimSpace(id) != id {
			emit(paperlist.ArxivResult{ID: id, Err: fmt.Errorf("arxiv: malformed id %q: %w", id, paperlist.ErrRejected)})
			continue
		}
		valid = append(valid, id)
	}
	for start := 0; start < len(valid); start += c.batchSize {
		batch := valid[start:min(start+c.batchSize, len(valid))]
		if err := c.fetchBatch(ctx, batch, emit); err != nil {
			return err
		}
	}
	return nil
}

// fetchBatch fetches one batch: the API request, the confirming request
// for what it lacked, and the fallback when the API fails.
func (c *Client) fetchBatch(ctx context.Context, batch []string, emit func(paperlist.ArxivResult)) error {
	found, err := c.query(ctx, batch)
	if err != nil {
		return c.batchFailed(ctx, batch, err, emit)
	}
	missing := emitFound(batch, found, emit)
	if len(missing) == 0 {
		return nil
	}
	c.log.Debug("arxiv: confirming missing ids", "missing", len(missing), "batch", len(batch))
	found, err = c.query(ctx, missing)
	if err != nil {
		return c.batchFailed(ctx, missing, err, emit)
	}
	for _, id := range emitFound(missing, found, emit) {
		emit(paperlist.ArxivResult{ID: id, NotFound: true})
	}
	return nil
}

// emitFound emits the ids of batch that found has a record for and
// returns the others.
func emitFound(batch []string, found map[string]*paperlist.ArxivRecord, emit func(paperlist.ArxivResult)) (missing []string) {
	for _, id := range batch {
		if r := found[bareID(id)]; r != nil {
			emit(paperlist.ArxivResult{ID: id, Record: r})
		} else {
			missing = append(missing, id)
		}
	}
	return missing
}

// batchFailed handles an API failure for ids: it stops on cancellation
// and rate-limit stops, drops an id arXiv names as malformed and fetches
// the rest again, and otherwise falls back to the abstract pages.
func (c *Client) batchFailed(ctx context.Context, ids []string, err error, emit func(paperlist.ArxivResult)) error {
	err = fmt.Errorf("arxiv: fetch batch of %d: %w", len(ids), err)
	if stops(ctx, err) {
		return err
	}
	var apiErr *APIError
	if errors.As(err, &apiErr) {
		bad := apiErr.ID()
		rest := make([]string, 0, len(ids))
		for _, id := range ids {
			if id == bad || bareID(id) == bad {
				emit(paperlist.ArxivResult{ID: id, Err: err})
			} else {
				rest = append(rest, id)
			}
		}
		if len(rest) < len(ids) {
			if len(rest) == 0 {
				return nil
			}
			return c.fetchBatch(ctx, rest, emit)
		}
		// arXiv refused the batch without naming one of its ids: no
		// other request will fare better.
		for _, id := range ids {
			emit(paperlist.ArxivResult{ID: id, Err: err})
		}
		return nil
	}
	c.log.Debug("arxiv: api failed, reading abstract pages", "ids", len(ids), "err", err)
	for _, id := range ids {
		rec, notFound, absErr := c.fetchAbs(ctx, id)
		switch {
		case absErr != nil && stops(ctx, absErr):
			return fmt.Errorf("arxiv: abstract page of %s: %w", id, absErr)
		case absErr != nil:
			emit(paperlist.ArxivResult{ID: id, Err: fmt.Errorf("%w (abstract page: %v)", err, absErr)})
		case notFound:
			emit(paperlist.ArxivResult{ID: id, NotFound: true})
		default:
			emit(paperlist.ArxivResult{ID: id, Record: rec})
		}
	}
	return nil
}

// stops reports whether err must end the fetch: the context is done or the
// crawler stopped the host for this run.
func stops(ctx context.Context, err error) bool {
	return ctx.Err() != nil || errors.Is(err, context.Canceled) || errors.Is(err, paperlist.ErrWaitTooLong)
}

// query sends one export API request for ids and returns the records it
// got, by bare id.
func (c *Client) query(ctx context.Context, ids []string) (map[string]*paperlist.ArxivRecord, error) {
	u := *c.apiURL
	q := "id_list=" + strings.Join(ids, ",") + "&max_results=" + strconv.Itoa(len(ids))
	if u.RawQuery != "" {
		q = u.RawQuery + "&" + q
	}
	u.RawQuery = q
	resp, err := httpget.Get(ctx, c.hc, u.String(), c.userAgent, "application/atom+xml", c.maxBody)
	if err != nil {
		return nil, err
	}
	f, err := readFeed(resp)
	if err != nil {
		return nil, err
	}
	now := c.now()
	found := make(map[string]*paperlist.ArxivRecord, len(f.Entries))
	for i := range f.Entries {
		r, ok := f.Entries[i].record(now)
		if !ok {
			// arXiv has answered unknown ids with an entry without an id.
			continue
		}
		if _, dup := found[r.ID]; !dup {
			c.cut.Note(c.log, "arxiv", r.ID, r.Bound())
			found[r.ID] = r
		}
	}
	return found, nil
}

// fetchAbs reads a paper's record from its abstract page's citation_* meta
// tags. A 404 or 410 is reported as notFound.
func (c *Client) fetchAbs(ctx context.Context, id string) (rec *paperlist.ArxivRecord, notFound bool, err error) {
	page := c.absURL + id
	resp, err := httpget.Get(ctx, c.hc, page, c.userAgent, "text/html", c.maxBody)
	if err != nil {
		return nil, false, err
	}
	switch {
	case resp.Status == http.StatusNotFound || resp.Status == http.StatusGone:
		return nil, true, nil
	case resp.Status != http.StatusOK:
		return nil, false, fmt.Errorf("status %d: %s", resp.Status, excerpt(resp))
	}
	if mt := resp.MediaType(); mt != "text/html" && mt != "application/xhtml+xml" {
		return nil, false, fmt.Errorf("content type %q, not HTML: %w", mt, paperlist.ErrInvalidResponse)
	}
	rec, err = absRecord(resp.Body, id, page, c.now())
	if err == nil {
		c.cut.Note(c.log, "arxiv", id, rec.Bound())
	}
	return rec, false, err
}

// absRecord reads a record from the HTML of an abstract page.
func absRecord(body []byte, id, page string, fetchedAt time.Time) (*paperlist.ArxivRecord, error) {
	doc, err := goquery.NewDocumentFromReader(bytes.NewReader(body))
	if err != nil {
		return nil, fmt.Errorf("parse HTML: %v: %w", err, paperlist.ErrInvalidResponse)
	}
	cit := citation.Read(doc)
	if cit.Title == "" {
		return nil, fmt.Errorf("abstract page without citation_title: %w", paperlist.ErrInvalidResponse)
	}
	bare := bareID(id)
	if cit.ArxivID != "" && bareID(cit.ArxivID) != bare {
		return nil, fmt.Errorf("abstract page of %s is about %s: %w", id, cit.ArxivID, paperlist.ErrInvalidResponse)
	}
	r := &paperlist.ArxivRecord{
		ID:        bare,
		Title:     cit.Title,
		Abstract:  cit.Abstract,
		Published: parseMetaDate(cit.Date),
		Updated:   parseMetaDate(cit.OnlineDate),
		DOI:       cit.DOI,
		AbsURL:    page,
		FetchedAt: fetchedAt,
	}
	if paperlist.IsHTTPURL(cit.PDFURL) {
		r.PDFURL = cit.PDFURL
	}
	if r.Abstract == "" {
		r.Abstract = citation.VisibleAbstract(doc)
	}
	if r.Updated.IsZero() {
		r.Updated = r.Published
	}
	// og:url names the version the page shows: https://arxiv.org/abs/1902.02534v2.
	if v, ok := urlVersion(cit.OGURL); ok && paperlist.IsHTTPURL(cit.OGURL) {
		r.Version = v
		r.AbsURL = cit.OGURL
	} else if _, v, ok := paperlist.SplitArxivID(id); ok && v > 0 {
		r.Version = v
	}
	for _, a := range cit.Authors {
		r.Authors = append(r.Authors, paperlist.Author{Name: a})
	}
	return r, nil
}

// urlVersion reads the version out of an abstract page URL.
func urlVersion(raw string) (int, bool) {
	_, rest, ok := strings.Cut(raw, "/abs/")
	if !ok {
		return 0, false
	}
	_, v, ok := paperlist.SplitArxivID(rest)
	return v, ok && v > 0
}

// parseMetaDate reads the dates of citation_* tags: "2019/02/07",
// "2019-02-07", "2019/02", "2019".
func parseMetaDate(s string) time.Time {
	s = strings.TrimSpace(s)
	for _, layout := range []string{"2006/01/02", "2006-01-02", time.RFC3339, "2006/01", "2006-01", "2006"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t.UTC()
		}
	}
	return time.Time{}
}

// bareID is an id without its version.
func bareID(id string) string {
	if bare, _, ok := paperlist.SplitArxivID(id); ok {
		return bare
	}
	return id
}

// excerptLen is about how many bytes of a failed response's body an error
// message shows.
const excerptLen = 200

// excerpt is the start of a failed response's body, on one line, for an
// error message, cut where a character starts.
func excerpt(r *httpget.Response) string {
	s := paperlist.FoldSpace(string(r.Body))
	if len(s) > excerptLen {
		cut := excerptLen
		for cut > 0 && !utf8.RuneStart(s[cut]) {
			cut--
		}
		s = s[:cut] + "…"
	}
	return s
}
