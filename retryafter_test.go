package paperlist_test

import (
	"testing"
	"time"

	"github.com/paperlist/paperlist"
)

func TestParseRetryAfter(t *testing.T) {
	now := time.Date(2024, 5, 1, 12, 0, 0, 0, time.UTC)
	tests := []struct {
		value string
		want  time.Duration
		state paperlist.RetryAfterState
	}{
		{"", 0, paperlist.RetryAfterNone},
		{"  ", 0, paperlist.RetryAfterNone},
		{"0", 0, paperlist.RetryAfterOK},
		{" 60 ", time.Minute, paperlist.RetryAfterOK},
		{"+5", 5 * time.Second, paperlist.RetryAfterOK},
		{"-1", 0, paperlist.RetryAfterInvalid},
		{"99999999999999999999", 0, paperlist.RetryAfterInvalid},
		{"9223372037", 0, paperlist.RetryAfterInvalid}, // one second past what a Duration holds
		{"Wed, 01 May 2024 12:01:30 GMT", 90 * time.Second, paperlist.RetryAfterOK},
		{"Wednesday, 01-May-24 12:00:10 GMT", 10 * time.Second, paperlist.RetryAfterOK},
		{"Wed May  1 12:00:20 2024", 20 * time.Second, paperlist.RetryAfterOK},
		{"Wed, 01 May 2024 11:00:00 GMT", 0, paperlist.RetryAfterOK}, // in the past: no wait
		{"soon", 0, paperlist.RetryAfterNone},
		{"1.5", 0, paperlist.RetryAfterNone},
	}
	for _, tt := range tests {
		t.Run(tt.value, func(t *testing.T) {
			got, state := paperlist.ParseRetryAfter(tt.value, now)
			if got != tt.want || state != tt.state {
				t.Errorf("ParseRetryAfter(%q) = %v, %v; want %v, %v", tt.value, got, state, tt.want, tt.state)
			}
		})
	}
}
