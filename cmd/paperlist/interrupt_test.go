package main

import (
	"bytes"
	"context"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"testing"
	"time"

	"github.com/paperlist/paperlist/store"
)

// TestInterruptWhileWaiting cancels the command's context while it waits
// for a cache held by another run (-lock-timeout 40s) or for a list URL
// that does not answer: it must exit 130 at once, not when the wait ends.
func TestInterruptWhileWaiting(t *testing.T) {
	hang := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		<-r.Context().Done()
	}))
	t.Cleanup(hang.Close)
	tests := []struct {
		name     string
		holdLock bool
		list     string
		// cancelAfter is when the signal comes; negative means before the
		// command starts.
		cancelAfter time.Duration
	}{
		{name: "waiting for the lock", holdLock: true, cancelAfter: 300 * time.Millisecond},
		{name: "signalled before the lock is tried", holdLock: true, cancelAfter: -1},
		{name: "fetching the list", list: hang.URL + "/README.md", cancelAfter: 300 * time.Millisecond},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			db := filepath.Join(dir, "cache.db")
			if tt.holdLock {
				held, err := store.Open(db, store.Options{})
				if err != nil {
					t.Fatal(err)
				}
				t.Cleanup(func() { held.Close() })
			}
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			var cancelled time.Time
			if tt.cancelAfter < 0 {
				cancel()
				cancelled = time.Now()
			} else {
				time.AfterFunc(tt.cancelAfter, func() { cancelled = time.Now(); cancel() })
			}
			args := []string{"crawl", "-db", db, "-out", dir, "-lock-timeout", "40s", "-timeout", "40s",
				"-arxiv-url", "http://127.0.0.1:1/", "-github-url", "http://127.0.0.1:1/", "-citations-url", "http://127.0.0.1:1/"}
			if tt.list != "" {
				args = append(args, tt.list)
			}
			var stdout, stderr bytes.Buffer
			start := time.Now()
			code := Main(ctx, args, Env{Stdout: &stdout, Stderr: &stderr})
			end := time.Now()
			if code != exitInterrupted {
				t.Fatalf("exit %d after %s, want %d; stderr %q", code, end.Sub(start), exitInterrupted, stderr.String())
			}
			if after := end.Sub(cancelled); after > time.Second {
				t.Errorf("exit %s after the signal, want within a second (of a 40s wait)", after)
			}
		})
	}
}
