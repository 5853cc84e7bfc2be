package hostpool

// When connections fail before any answer: a host that never answered is
// given up after ConnectAttempts, the hosts of its group with it, and when
// no host of the run has answered and several fail that way, the network
// is down and every request ends at once.

import (
	"context"
	"errors"
	"fmt"
	"net"
	"syscall"

	"github.com/paperlist/paperlist"
)

// DefaultConnectAttempts is Options.ConnectAttempts when zero.
const DefaultConnectAttempts = 2

// networkDownHosts is how many distinct hosts must fail to connect, with
// no host of the run having answered, before the network counts as down.
const networkDownHosts = 2

// ConnectFailure reports whether err is a failure to reach a host before
// any answer: a name that does not resolve, a connection refused or with
// no route, a proxy that cannot be reached.
func ConnectFailure(err error) bool {
	var dnsErr *net.DNSError
	if errors.As(err, &dnsErr) {
		return true
	}
	var opErr *net.OpError
	if errors.As(err, &opErr) && (opErr.Op == "dial" || opErr.Op == "proxyconnect") {
		return true
	}
	return errors.Is(err, syscall.ECONNREFUSED) || errors.Is(err, syscall.EHOSTUNREACH) ||
		errors.Is(err, syscall.ENETUNREACH)
}

// network is what the transport knows of the connections of the run as a
// whole.
type network struct {
	answered bool             // some host answered this run
	failed   map[Host]bool    // hosts that failed to connect before answering
	groups   map[string]error // groups given up by a connection failure
	down     error            // set when the network is down
	// downCtx is cancelled when the network goes down, ending the backoff
	// waits of every request.
	downCtx    context.Context
	cancelDown context.CancelFunc
}

func newNetwork() network {
	ctx, cancel := context.WithCancel(context.Background())
	return network{failed: map[Host]bool{}, groups: map[string]error{}, downCtx: ctx, cancelDown: cancel}
}

// NetworkDown returns why the transport takes the network for down (no
// host answered and connections failed to several), or nil.
func (t *Transport) NetworkDown() error {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.net.down
}

// heard notes that a host answered this run.
func (t *Transport) heard(h *hostState) {
	t.mu.Lock()
	t.net.answered = true
	t.mu.Unlock()
	h.mu.Lock()
	h.heard = true
	h.mu.Unlock()
}

// held returns the error that ends a request to h before it is sent: the
// network is down, or h's group was given up.
func (t *Transport) held(h *hostState) error {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.net.down != nil {
		return t.net.down
	}
	if g := h.policy.Group; g != "" {
		return t.net.groups[g]
	}
	return nil
}

// connectFailed handles a failure to connect to h at the given attempt.
// It returns the error that ends the request at once (the network is
// down, or h never answered and had its connect attempts), or nil to try
// again.
func (t *Transport) connectFailed(h *hostState, attempt int, err error) error {
	h.mu.Lock()
	heard := h.heard
	h.mu.Unlock()
	if heard {
		return nil
	}
	t.mu.Lock()
	t.net.failed[h.key] = true
	if t.net.down == nil && !t.net.answered && len(t.net.failed) >= networkDownHosts {
		t.net.down = &networkDownError{hosts: len(t.net.failed), cause: err}
		t.net.cancelDown()
		t.log.Debug("no network: connections fail before any answer", "err", err)
	}
	down := t.net.down
	t.mu.Unlock()
	if down != nil {
		t.markStopped(h, down)
		return fmt.Errorf("%w (%w)", err, down)
	}
	if attempt < t.opts.ConnectAttempts {
		return nil
	}
	stopErr := fmt.Errorf("hostpool: %s failed to connect %d times: %w for this run", h.name(), attempt, paperlist.ErrHostDown)
	t.markStopped(h, stopErr)
	if g := h.policy.Group; g != "" {
		t.mu.Lock()
		if t.net.groups[g] == nil {
			t.net.groups[g] = stopErr
		}
		t.mu.Unlock()
	}
	t.log.Debug("host unreachable for this run", "host", h.name(), "attempts", attempt, "err", err)
	return fmt.Errorf("%w (%w for this run)", err, paperlist.ErrHostDown)
}

// markStopped stops h with err unless it is stopped already.
func (t *Transport) markStopped(h *hostState, err error) {
	h.mu.Lock()
	if h.stopErr == nil {
		h.stopErr = err
		h.stats.Stopped = err.Error()
	}
	h.mu.Unlock()
}

// networkDownError is why every request ends once the network is down; it
// is a paperlist.ErrHostDown for the sources and the crawler.
type networkDownError struct {
	hosts int
	cause error
}

func (e *networkDownError) Error() string {
	return fmt.Sprintf("hostpool: no network: %d hosts unreachable, none answered (%v)", e.hosts, e.cause)
}

func (e *networkDownError) Is(target error) bool { return target == paperlist.ErrHostDown }
