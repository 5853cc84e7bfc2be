package arxiv

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"time"

	"github.com/PuerkitoBio/goquery"

	"github.com/paperlist/paperlist"
)

// DefaultPageMaxBodyBytes bounds a landing page unless PageOptions says
// otherwise.
const DefaultPageMaxBodyBytes = 4 << 20

// PageOptions configure Pages. HTTPClient is required; the zero value of
// every other field picks its default.
type PageOptions struct {
	// HTTPClient sends every request; it spaces them per host and retries.
	HTTPClient *http.Client
	// UserAgent is sent with every request; by default it names paperlist,
	// its version and its project URL.
	UserAgent string
	// MaxBodyBytes bounds a page; DefaultPageMaxBodyBytes when 0.
	MaxBodyBytes int64
	// Now gives the time records are stamped with; time.Now when nil.
	Now func() time.Time
	// Logger receives debug lines, and a warning the first time an
	// answer is cut to paperlist's bounds; nothing is logged when nil.
	Logger *slog.Logger
}

// Pages reads what the landing page of a paper that is not on arXiv
// (OpenReview, ACL Anthology, PMLR, proceedings pages) says about it. It is
// safe for concurrent use.
type Pages struct {
	hc        *http.Client
	userAgent string
	maxBody   int64
	now       func() time.Time
	log       *slog.Logger
	cut       paperlist.CutNotice
}

// NewPages returns a landing-page reader with the given options.
func NewPages(opts PageOptions) *Pages {
	p := &Pages{
		hc:        opts.HTTPClient,
		userAgent: opts.UserAgent,
		maxBody:   opts.MaxBodyBytes,
		now:       opts.Now,
		log:       opts.Logger,
	}
	if p.userAgent == "" {
		p.userAgent = defaultUserAgent()
	}
	if p.maxBody <= 0 {
		p.maxBody = DefaultPageMaxBodyBytes
	}
	if p.now == nil {
		p.now = time.Now
	}
	if p.log == nil {
		p.log = slog.New(slog.DiscardHandler)
	}
	return p
}

// FetchPage fetches one landing page and reads its citation_* meta tags:
// title (else og:title), authors, abstract (else the abstract block the
// page shows, else og:description), date (citation_publication_date, else
// citation_date, else citation_online_date, as written), PDF link and DOI.
// A 404 or 410 is StateNotFound; any other failure is in the result's Err,
// wrapping paperlist.ErrInvalidResponse for a page that is not HTML or is
// over the size limit and paperlist.ErrRejected for a refused request. It
// implements crawler.PageSource.
func (p *Pages) FetchPage(ctx context.Context, pageURL string) paperlist.PageResult {
	fail := func(err error) paperlist.PageResult {
		return paperlist.PageResult{Err: fmt.Errorf("arxiv: landing page %s: %w", pageURL, err)}
	}
	if p.hc == nil {
		return fail(errors.New("no HTTP client given"))
	}
	if !paperlist.IsHTTPURL(pageURL) {
		return fail(fmt.Errorf("not an http(s) URL: %w", paperlist.ErrRejected))
	}
	resp, err := get(ctx, p.hc, pageURL, p.userAgent, "text/html,application/xhtml+xml", p.maxBody)
	if err != nil {
		return fail(err)
	}
	p.log.Debug("arxiv: landing page", "url", pageURL, "status", resp.Status, "bytes", len(resp.Body))
	switch {
	case resp.Status == http.StatusNotFound || resp.Status == http.StatusGone:
		return paperlist.PageResult{State: paperlist.StateNotFound}
	case resp.Status == http.StatusTooManyRequests || resp.Status == http.StatusRequestTimeout:
		return fail(fmt.Errorf("status %d", resp.Status))
	case resp.Status >= 400 && resp.Status <= 499:
		return fail(fmt.Errorf("status %d: %w", resp.Status, paperlist.ErrRejected))
	case resp.Status < 200 || resp.Status > 299:
		return fail(fmt.Errorf("status %d", resp.Status))
	}
	if mt := resp.mediaType(); mt != "text/html" && mt != "application/xhtml+xml" {
		return fail(fmt.Errorf("content type %q, not HTML: %w", mt, paperlist.ErrInvalidResponse))
	}
	rec, err := pageRecord(resp.Body, pageURL, p.now())
	if err != nil {
		return fail(err)
	}
	p.cut.Note(p.log, "pages", pageURL, rec.Bound())
	return paperlist.PageResult{State: paperlist.StateOK, Page: rec}
}

// pageRecord reads a landing page's HTML.
func pageRecord(body []byte, pageURL string, fetchedAt time.Time) (*paperlist.PageRecord, error) {
	doc, err := goquery.NewDocumentFromReader(bytes.NewReader(body))
	if err != nil {
		return nil, fmt.Errorf("parse HTML: %v: %w", err, paperlist.ErrInvalidResponse)
	}
	cit := readCitation(doc)
	r := &paperlist.PageRecord{
		URL:       pageURL,
		Title:     firstOf(cit.Title, cit.OGTitle),
		Abstract:  cit.Abstract,
		Authors:   cit.Authors,
		Published: firstOf(cit.PublicationDate, cit.Date, cit.OnlineDate),
		PDFURL:    resolve(pageURL, cit.PDFURL),
		DOI:       cit.DOI,
		FetchedAt: fetchedAt,
	}
	if r.Abstract == "" {
		r.Abstract = firstOf(visibleAbstract(doc), cit.OGDescription)
	}
	return r, nil
}

func firstOf(s ...string) string {
	for _, v := range s {
		if v != "" {
			return v
		}
	}
	return ""
}
