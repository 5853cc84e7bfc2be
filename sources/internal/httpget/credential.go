package httpget

import (
	"net/http"
	"net/url"
	"strings"
)

// FirstEnv returns the first value of the environment variables names,
// read with getenv, that is not empty once trimmed; "" when none is. It
// reads a source's key or token: GITHUB_TOKEN, else GH_TOKEN.
func FirstEnv(getenv func(string) string, names ...string) string {
	for _, name := range names {
		if v := strings.TrimSpace(getenv(name)); v != "" {
			return v
		}
	}
	return ""
}

// SameHost reports whether u is on the scheme and host of base, the host
// compared without regard to case.
func SameHost(u, base *url.URL) bool {
	return u.Scheme == base.Scheme && strings.EqualFold(u.Host, base.Host)
}

// Credential keeps a source's secret to its API host: it returns req with
// header set to value when toAPI and value is not empty, and without
// header when not toAPI (a redirect or a link to another host). req is
// returned itself when nothing changes, else a clone.
func Credential(req *http.Request, toAPI bool, header, value string) *http.Request {
	switch {
	case toAPI && value != "":
		req = req.Clone(req.Context())
		req.Header.Set(header, value)
	case !toAPI && req.Header.Get(header) != "":
		req = req.Clone(req.Context())
		req.Header.Del(header)
	}
	return req
}

// Wrap returns a copy of hc whose transport is wrap of hc's
// (http.DefaultTransport when nil) and whose redirects checkRedirect
// decides: how a source puts its credential and checks around the
// engine's client without changing it.
func Wrap(hc *http.Client, wrap func(next http.RoundTripper) http.RoundTripper, checkRedirect func(*http.Request, []*http.Request) error) *http.Client {
	c := *hc
	next := c.Transport
	if next == nil {
		next = http.DefaultTransport
	}
	c.Transport = wrap(next)
	c.CheckRedirect = checkRedirect
	return &c
}

// Redact is err with every occurrence of secret in its text replaced by
// label ("[token]", "[api key]"); it still unwraps to err, for errors.Is
// and errors.As. A nil err, an empty secret or a text without it gives err
// as it is.
func Redact(err error, secret, label string) error {
	if err == nil || secret == "" || !strings.Contains(err.Error(), secret) {
		return err
	}
	return &redactedError{msg: strings.ReplaceAll(err.Error(), secret, label), err: err}
}

// redactedError is an error whose text had a secret taken out.
type redactedError struct {
	msg string
	err error
}

func (e *redactedError) Error() string { return e.msg }
func (e *redactedError) Unwrap() error { return e.err }
