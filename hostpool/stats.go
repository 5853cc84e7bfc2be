package hostpool

import "time"

// Stats are the counters of one host.
type Stats struct {
	// Requests counts every attempt sent, retries included.
	Requests int
	// Retries counts attempts after the first of each request.
	Retries int
	// Waited is the time spent waiting for spacing, pauses and backoff.
	Waited time.Duration
	// Stopped is the reason the host was stopped, empty when it was not.
	Stopped string
}

// Stats returns the counters of every host the transport has seen.
func (t *Transport) Stats() map[Host]Stats {
	t.mu.Lock()
	hosts := make([]*hostState, 0, len(t.hosts))
	for _, h := range t.hosts {
		hosts = append(hosts, h)
	}
	t.mu.Unlock()
	out := make(map[Host]Stats, len(hosts))
	for _, h := range hosts {
		h.mu.Lock()
		s := h.stats
		h.mu.Unlock()
		// The resources of a host add up to the host's counts.
		sum := out[h.key]
		sum.Requests += s.Requests
		sum.Retries += s.Retries
		sum.Waited += s.Waited
		if sum.Stopped == "" {
			sum.Stopped = s.Stopped
		}
		out[h.key] = sum
	}
	return out
}

// Requests returns the number of attempts sent per host, by the host's
// name (Host.String).
func (t *Transport) Requests() map[string]int {
	out := map[string]int{}
	for h, s := range t.Stats() {
		out[h.String()] = s.Requests
	}
	return out
}

// count counts an attempt about to be sent.
func (h *hostState) count(attempt int) {
	h.mu.Lock()
	h.stats.Requests++
	h.inflight++
	if attempt > 1 {
		h.stats.Retries++
	}
	if h.haveRemaining {
		// Counted down locally so that concurrent requests see the quota
		// shrink before their responses say so.
		h.remaining--
	}
	h.mu.Unlock()
}

func (h *hostState) addWaited(d time.Duration) {
	h.mu.Lock()
	h.stats.Waited += d
	h.mu.Unlock()
}
