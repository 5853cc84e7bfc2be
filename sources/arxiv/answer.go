package arxiv

import (
	"fmt"
	"net/http"
	"strings"

	"github.com/paperlist/paperlist"
	"github.com/paperlist/paperlist/sources/internal/httpget"
)

// readFeed reads the export API's answer to a query, by id_list or by
// search_query: the feed of a 200, or the error its status, its error feed
// or its body means. A 400 is the APIError of its error feed; it and the
// other 4xx but 408 and 429 wrap paperlist.ErrRejected, since asking again
// gets the same answer. An HTML page or a body that is not a complete feed
// wraps paperlist.ErrInvalidResponse.
func readFeed(resp *httpget.Response) (*feed, error) {
	switch {
	case resp.Status == http.StatusBadRequest:
		if f, err := parseFeed(resp.Body); err == nil {
			if apiErr := feedError(f); apiErr != nil {
				return nil, apiErr
			}
		}
		return nil, fmt.Errorf("status %d: %s: %w", resp.Status, excerpt(resp), paperlist.ErrRejected)
	case resp.Status == http.StatusTooManyRequests:
		return nil, fmt.Errorf("rate limited (status 429): %s", excerpt(resp))
	case resp.Status >= 400 && resp.Status <= 499 && resp.Status != http.StatusRequestTimeout:
		return nil, fmt.Errorf("status %d: %s: %w", resp.Status, excerpt(resp), paperlist.ErrRejected)
	case resp.Status != http.StatusOK:
		return nil, fmt.Errorf("status %d: %s", resp.Status, excerpt(resp))
	}
	if mt := resp.MediaType(); strings.Contains(mt, "html") {
		return nil, fmt.Errorf("an HTML page (%s) instead of a feed: %w", mt, paperlist.ErrInvalidResponse)
	}
	f, err := parseFeed(resp.Body)
	if err != nil {
		return nil, err
	}
	if apiErr := feedError(f); apiErr != nil {
		return nil, apiErr
	}
	return f, nil
}
