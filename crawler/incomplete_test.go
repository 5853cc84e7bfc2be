package crawler_test

import (
	"strings"
	"testing"

	"github.com/paperlist/paperlist/crawler"
)

// One entry's failure is a problem on that entry; a run needs a look when
// a source stopped or nothing it asked for got an answer.
func TestReportIncomplete(t *testing.T) {
	tests := []struct {
		name    string
		report  crawler.Report
		wantSub string // "" means complete
	}{
		{"all fetched", crawler.Report{Sources: map[string]crawler.SourceStats{"github": {Planned: 3, Fetched: 3}}}, ""},
		{"one page refused", crawler.Report{Sources: map[string]crawler.SourceStats{
			"github": {Planned: 3, Fetched: 3}, "pages": {Planned: 1, Failed: 1}}}, ""},
		{"all fresh in the cache", crawler.Report{Sources: map[string]crawler.SourceStats{"arxiv": {Planned: 3, Fresh: 3}}}, ""},
		{"a source stopped", crawler.Report{
			Sources: map[string]crawler.SourceStats{"github": {Planned: 3, Fetched: 1, Failed: 2}},
			Stopped: map[string]string{"github": "quota used up"}}, "stopped early: github"},
		{"nothing answered", crawler.Report{Sources: map[string]crawler.SourceStats{
			"arxiv": {Planned: 2, Failed: 2}, "github": {Planned: 1, Failed: 1}}}, "no fetch got an answer (3 failed)"},
		{"only 304s", crawler.Report{Sources: map[string]crawler.SourceStats{"github": {Planned: 2, NotModified: 1, Failed: 1}}}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := tt.report.Incomplete()
			if (got == "") != (tt.wantSub == "") || !strings.Contains(got, tt.wantSub) {
				t.Errorf("Incomplete() = %q, want %q", got, tt.wantSub)
			}
		})
	}
}
