package main_test

import (
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/paperlist/paperlist/store"
)

// TestSignalWhileWaiting signals the binary while it waits for a cache
// held by another run (-lock-timeout 40s) or for a list URL that does not
// answer: it must exit 130 at once.
func TestSignalWhileWaiting(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the paperlist binary as a subprocess: not under -short")
	}
	t.Parallel()
	hang := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		<-r.Context().Done()
	}))
	t.Cleanup(hang.Close)
	tests := []struct {
		name   string
		signal os.Signal
		list   string // empty: the built-in list, and a held cache
	}{
		{"SIGINT waiting for the lock", os.Interrupt, ""},
		{"SIGTERM waiting for the lock", syscall.SIGTERM, ""},
		{"SIGTERM fetching the list", syscall.SIGTERM, hang.URL + "/README.md"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			db := filepath.Join(dir, "cache.db")
			if tt.list == "" {
				held, err := store.Open(db, store.Options{})
				if err != nil {
					t.Fatal(err)
				}
				t.Cleanup(func() { held.Close() })
			}
			args := []string{"crawl", "-db", db, "-out", dir, "-lock-timeout", "40s", "-timeout", "40s",
				"-arxiv-url", "http://127.0.0.1:1/", "-github-url", "http://127.0.0.1:1/", "-citations-url", "http://127.0.0.1:1/"}
			if tt.list != "" {
				args = append(args, tt.list)
			}
			p := startPaperlist(t, args...)
			time.Sleep(time.Second) // started, and waiting
			if err := p.cmd.Process.Signal(tt.signal); err != nil {
				t.Fatal(err)
			}
			signalled := time.Now()
			r := p.wait(t)
			wantCode(t, r, 130)
			if after := time.Since(signalled); after > 3*time.Second {
				t.Errorf("exit %s after the signal, want at once (of a 40s wait)", after)
			}
		})
	}
}
