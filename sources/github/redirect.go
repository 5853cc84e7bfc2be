package github

import (
	"errors"
	"fmt"
	"net/http"
)

// maxRedirects is how many redirects one request follows: a rename or a
// move answers one; a chain of them is a server that is not GitHub.
const maxRedirects = 3

// errRedirect is wrapped by the error of a redirect that is not followed.
var errRedirect = errors.New("redirect not followed")

// checkRedirect follows a redirect only within the API host, where a 301
// says a repository was renamed or moved, and at most maxRedirects of
// them. A redirect elsewhere would make a repository of any host's
// answer.
func (c *Client) checkRedirect(req *http.Request, via []*http.Request) error {
	if !c.isAPIHost(req.URL) {
		return fmt.Errorf("%w: to %s, off the API host", errRedirect, req.URL.Redacted())
	}
	if len(via) > maxRedirects {
		return fmt.Errorf("%w: more than %d redirects", errRedirect, maxRedirects)
	}
	return nil
}
