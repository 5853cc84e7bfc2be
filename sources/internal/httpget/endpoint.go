package httpget

import (
	"fmt"
	"github.com/paperlist/paperlist"
	"net/url"
)

// ParseEndpoint parses a source's API address: raw, or def when raw is
// empty, as an absolute http or https URL. The error quotes the address
// and says it is not one; the caller says whose address it is.
func ParseEndpoint(raw, def string) (*url.URL, error) {
	if raw == "" {
		raw = def
	}
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("%q is not an absolute http or https url", raw)
	}
	return u, nil
}

// BadSecret reports whether a key or token cannot go in a header as it is:
// it holds a space or a control character.
func BadSecret(s string) bool { return paperlist.HasSpaceOrControl(s) }
