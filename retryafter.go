package paperlist

import (
	"strconv"
	"strings"
	"time"
)

// RetryAfterState says what a Retry-After header held.
type RetryAfterState int

const (
	// RetryAfterNone: no header, or one that is neither a number nor an
	// HTTP date.
	RetryAfterNone RetryAfterState = iota
	// RetryAfterOK: a wait, in seconds or until an HTTP date.
	RetryAfterOK
	// RetryAfterInvalid: a number that no wait can be, negative or beyond
	// what a time.Duration holds.
	RetryAfterInvalid
)

// maxRetryAfterSecs is the largest Retry-After in seconds that a
// time.Duration holds; a larger one overflows.
const maxRetryAfterSecs = int64(1<<63-1) / int64(time.Second)

// ParseRetryAfter reads the value of a Retry-After header, in seconds or as
// an HTTP date (RFC 9110, section 10.2.3), into how long to wait from now;
// a date in the past is no wait. It is the one reader of the header: the
// transport's retries and the GitHub client's rate-limit errors use it.
func ParseRetryAfter(value string, now time.Time) (time.Duration, RetryAfterState) {
	v := strings.TrimSpace(value)
	if v == "" {
		return 0, RetryAfterNone
	}
	if isInteger(v) {
		secs, err := strconv.ParseInt(v, 10, 64)
		if err != nil || secs < 0 || secs > maxRetryAfterSecs {
			return 0, RetryAfterInvalid
		}
		return time.Duration(secs) * time.Second, RetryAfterOK
	}
	for _, layout := range httpDateLayouts {
		if at, err := time.Parse(layout, v); err == nil {
			return max(at.Sub(now), 0), RetryAfterOK
		}
	}
	return 0, RetryAfterNone
}

// httpDateLayouts are the forms of an HTTP date a recipient accepts, as
// net/http's ParseTime reads them: IMF-fixdate, RFC 850 and asctime.
var httpDateLayouts = []string{"Mon, 02 Jan 2006 15:04:05 GMT", time.RFC850, time.ANSIC}

// isInteger reports whether s is digits with an optional sign.
func isInteger(s string) bool {
	s = strings.TrimLeft(s, "+-")
	return s != "" && strings.Trim(s, "0123456789") == ""
}
