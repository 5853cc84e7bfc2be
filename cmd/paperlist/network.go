package main

import (
	"fmt"
	"io"
	"strings"

	"github.com/paperlist/paperlist"
	"github.com/paperlist/paperlist/hostpool"
)

// noNetwork says, in one line, that the run found no network and how to
// run without one, when the transport took the network for down.
func noNetwork(w io.Writer, t *hostpool.Transport) {
	if t == nil {
		return
	}
	err := t.NetworkDown()
	if err == nil {
		return
	}
	msg := strings.TrimPrefix(err.Error(), "hostpool: ")
	fmt.Fprintf(w, "paperlist: %s: check the network or proxy, or run with -offline to use the cache alone\n",
		paperlist.FoldSpace(msg))
}
