// Package landing reads what the landing page of a paper that is not on
// arXiv (OpenReview, ACL Anthology, PMLR, proceedings pages) says about it:
// its citation_* meta tags, else the abstract the page shows.
//
// The Client sends one request per page and never retries or sleeps: the
// *http.Client it is given (the crawler's transport) spaces the requests
// per host, backs off and honours Retry-After. Its failures wrap
// paperlist.ErrInvalidResponse (a page that cannot be read) or
// paperlist.ErrRejected (a request refused for good).
package landing

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"time"

	"github.com/PuerkitoBio/goquery"

	"github.com/paperlist/paperlist"
	"github.com/paperlist/paperlist/sources/internal/citation"
	"github.com/paperlist/paperlist/sources/internal/cutnotice"
	"github.com/paperlist/paperlist/sources/internal/httpget"
)

// DefaultMaxBodyBytes bounds a landing page unless Options says otherwise.
const DefaultMaxBodyBytes = 4 << 20

// Options configure a Client. HTTPClient is required; the zero value of
// every other field picks its default.
type Options struct {
	// HTTPClient sends every request; it spaces them per host and retries.
	HTTPClient *http.Client
	// UserAgent is sent with every request; by default it names paperlist,
	// its version and its project URL.
	UserAgent string
	// MaxBodyBytes bounds a page; DefaultMaxBodyBytes when 0.
	MaxBodyBytes int64
	// Now gives the time records are stamped with; time.Now when nil.
	Now func() time.Time
	// Logger receives debug lines, and a warning the first time an
	// answer is cut to paperlist's bounds; nothing is logged when nil.
	Logger *slog.Logger
}

// Client reads landing pages. It is safe for concurrent use.
type Client struct {
	hc        *http.Client
	userAgent string
	maxBody   int64
	now       func() time.Time
	log       *slog.Logger
	cut       cutnotice.Notice
}

// New returns a landing-page client with the given options.
func New(opts Options) *Client {
	c := &Client{
		hc:        opts.HTTPClient,
		userAgent: opts.UserAgent,
		maxBody:   opts.MaxBodyBytes,
		now:       opts.Now,
		log:       opts.Logger,
	}
	if c.userAgent == "" {
		c.userAgent = paperlist.DefaultUserAgent
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

// FetchPage fetches one landing page and reads its citation_* meta tags:
// title (else og:title), authors, abstract (else the abstract block the
// page shows, else og:description), date (citation_publication_date, else
// citation_date, else citation_online_date, as written), PDF link and DOI.
// A 404 or 410 is StateNotFound; any other failure is in the result's Err,
// wrapping paperlist.ErrInvalidResponse for a page that is not HTML or is
// over the size limit and paperlist.ErrRejected for a refused request. It
// implements crawler.PageSource.
func (c *Client) FetchPage(ctx context.Context, pageURL string) paperlist.PageResult {
	fail := func(err error) paperlist.PageResult {
		return paperlist.PageResult{Err: fmt.Errorf("landing: %s: %w", pageURL, err)}
	}
	if c.hc == nil {
		return fail(errors.New("no HTTP client given"))
	}
	if !paperlist.IsHTTPURL(pageURL) {
		return fail(fmt.Errorf("not an http(s) URL: %w", paperlist.ErrRejected))
	}
	resp, err := httpget.Get(ctx, c.hc, pageURL, c.userAgent, "text/html,application/xhtml+xml", c.maxBody)
	if err != nil {
		return fail(err)
	}
	c.log.Debug("landing: page", "url", pageURL, "status", resp.Status, "bytes", len(resp.Body))
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
	if mt := resp.MediaType(); mt != "text/html" && mt != "application/xhtml+xml" {
		return fail(fmt.Errorf("content type %q, not HTML: %w", mt, paperlist.ErrInvalidResponse))
	}
	rec, err := pageRecord(resp.Body, pageURL, c.now())
	if err != nil {
		return fail(err)
	}
	c.cut.Note(c.log, "pages", pageURL, rec.Bound())
	return paperlist.PageResult{State: paperlist.StateOK, Page: rec}
}

// pageRecord reads a landing page's HTML.
func pageRecord(body []byte, pageURL string, fetchedAt time.Time) (*paperlist.PageRecord, error) {
	doc, err := goquery.NewDocumentFromReader(bytes.NewReader(body))
	if err != nil {
		return nil, fmt.Errorf("parse HTML: %v: %w", err, paperlist.ErrInvalidResponse)
	}
	cit := citation.Read(doc)
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
		r.Abstract = firstOf(citation.VisibleAbstract(doc), cit.OGDescription)
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

// resolve makes a possibly relative link of a page absolute.
func resolve(base, ref string) string {
	if ref == "" {
		return ""
	}
	b, err := url.Parse(base)
	if err != nil {
		return ""
	}
	r, err := url.Parse(ref)
	if err != nil {
		return ""
	}
	// Only an http(s) link is a link papers.json may carry: a page's
	// javascript: or data: "PDF" is no PDF.
	if u := b.ResolveReference(r).String(); paperlist.IsHTTPURL(u) {
		return u
	}
	return ""
}
