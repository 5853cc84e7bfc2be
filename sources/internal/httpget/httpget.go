// Package httpget sends the GET requests of the sources that read web
// pages and feeds (sources/arxiv, sources/landing), and with Do any other
// request (sources/semanticscholar's POST): one request, the answer read
// in full up to a size limit. It also keeps the sources' credentials
// (credential.go): a key or token read from the first variable set, sent
// to its API host and nowhere else.
package httpget

import (
	"context"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	neturl "net/url"
	"strings"

	"github.com/paperlist/paperlist"
)

// Response is a finished HTTP exchange: the status, the headers and the
// body, read in full (up to a limit for a success, a short excerpt for a
// failure).
type Response struct {
	Status int
	Header http.Header
	Body   []byte
}

// MediaType is the media type of the response without its parameters.
func (r *Response) MediaType() string {
	mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil {
		return strings.ToLower(strings.TrimSpace(r.Header.Get("Content-Type")))
	}
	return mt
}

// errorExcerptBytes is how much of a failed response's body is read for
// the error message.
const errorExcerptBytes = 4 << 10

// Get sends one GET through hc and reads the answer. A 2xx body longer than
// limit is an error wrapping paperlist.ErrInvalidResponse, and so is a body
// cut short. A non-2xx answer is returned as a Response, not an error, with
// at most the first 4 KiB of its body.
func Get(ctx context.Context, hc *http.Client, url, userAgent, accept string, limit int64) (*Response, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return nil, err
	}
	req.Header.Set("User-Agent", userAgent)
	req.Header.Set("Accept", accept)
	return Do(ctx, hc, req, limit)
}

// Do sends req, which the caller made with ctx and its headers, through hc
// and reads the answer as Get does.
func Do(ctx context.Context, hc *http.Client, req *http.Request, limit int64) (*Response, error) {
	resp, err := hc.Do(req)
	if err != nil {
		// *url.Error repeats the method and the whole URL, a hundred ids
		// long for a batch; the caller says what was asked for.
		var uerr *neturl.Error
		if errors.As(err, &uerr) {
			return nil, uerr.Err
		}
		return nil, err
	}
	defer resp.Body.Close()
	success := resp.StatusCode >= 200 && resp.StatusCode <= 299
	readLimit := limit
	if !success {
		readLimit = errorExcerptBytes
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, readLimit+1))
	if err != nil {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		return nil, fmt.Errorf("read body: %v: %w", err, paperlist.ErrInvalidResponse)
	}
	r := &Response{Status: resp.StatusCode, Header: resp.Header, Body: body}
	if int64(len(body)) > readLimit {
		if success {
			return nil, fmt.Errorf("body over the limit of %d bytes: %w", limit, paperlist.ErrInvalidResponse)
		}
		r.Body = body[:readLimit]
	}
	return r, nil
}
