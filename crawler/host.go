package crawler

// What the transport knows of one host, and how a request to it waits its
// turn: spacing, concurrency, pauses, the quota, and stopping the host.

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strings"
	"sync"
	"time"

	"golang.org/x/time/rate"

	"github.com/paperlist/paperlist"
)

// hostState is what the transport knows about one host.
type hostState struct {
	name    string
	policy  HostPolicy
	limiter *rate.Limiter // nil without Interval
	sem     chan struct{} // nil without Concurrency

	mu          sync.Mutex
	pausedUntil time.Time
	stopErr     error
	// remaining and reset are the last rate-limit headers seen.
	haveRemaining bool
	remaining     int
	reset         time.Time
	secondary     time.Duration // the last secondary-limit wait without Retry-After
	// inflight counts the requests sent and not answered yet; answered is
	// closed and replaced at each answer (or failure to get one).
	inflight int
	answered chan struct{}
	// lastStart is when the last request to the host was let go. The
	// limiter spaces reservations, not sends: a goroutine that wakes late
	// would otherwise let the next request follow it too closely.
	lastStart time.Time
	stats     HostStats
}

func (t *Transport) host(name string) *hostState {
	name = strings.ToLower(name)
	t.mu.Lock()
	defer t.mu.Unlock()
	if h, ok := t.hosts[name]; ok {
		return h
	}
	p, ok := t.opts.Hosts[name]
	if !ok {
		p = t.opts.Default
	}
	h := &hostState{name: name, policy: p, answered: make(chan struct{})}
	if p.Interval > 0 {
		h.limiter = rate.NewLimiter(rate.Every(p.Interval), 1)
	}
	if p.Concurrency > 0 {
		h.sem = make(chan struct{}, p.Concurrency)
	}
	t.hosts[name] = h
	return h
}

// acquire waits for the host's turn: not stopped, not paused, a free slot,
// the spacing since the last start.
func (t *Transport) acquire(ctx context.Context, h *hostState) error {
	if err := h.stopped(); err != nil {
		return err
	}
	if h.sem != nil {
		select {
		case h.sem <- struct{}{}:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	for {
		if err := t.waitPause(ctx, h); err != nil {
			h.release()
			return err
		}
		if h.limiter != nil {
			start := time.Now()
			if err := h.limiter.Wait(ctx); err != nil {
				h.release()
				if ctx.Err() != nil {
					return ctx.Err()
				}
				return fmt.Errorf("crawler: %s: %w", h.name, err)
			}
			h.addWaited(time.Since(start))
		}
		// A pause set while waiting for the spacing holds this request
		// too; the spacing is then taken again after it.
		if hd, _ := h.holdUntil(time.Now()); !hd.until.IsZero() {
			continue
		}
		d := h.claimStart(time.Now())
		if d <= 0 {
			return nil
		}
		if err := sleep(ctx, d); err != nil {
			h.release()
			return err
		}
		h.addWaited(d)
		if d := h.claimStart(time.Now()); d <= 0 {
			return nil
		}
	}
}

// claimStart lets a request go now when the host's interval has passed
// since the last one went, and otherwise says how much longer to wait.
func (h *hostState) claimStart(now time.Time) time.Duration {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.policy.Interval > 0 && !h.lastStart.IsZero() {
		if d := h.lastStart.Add(h.policy.Interval).Sub(now); d > 0 {
			return d
		}
	}
	h.lastStart = now
	return 0
}

// waitPause waits while the host is paused or its quota is at the reserve.
func (t *Transport) waitPause(ctx context.Context, h *hostState) error {
	for {
		now := time.Now()
		hd, err := h.holdUntil(now)
		if err != nil {
			return err
		}
		if hd.until.IsZero() {
			return nil
		}
		if hd.answer != nil {
			// The quota may not be used up: wait for an answer to say.
			select {
			case <-hd.answer:
				continue
			case <-ctx.Done():
				return ctx.Err()
			}
		}
		d := hd.until.Sub(now)
		if d > t.opts.MaxWait {
			return t.stop(h, t.waitReason(hd.until, d, hd.quota))
		}
		if err := sleep(ctx, d); err != nil {
			return err
		}
		h.addWaited(d)
	}
}

// pause holds every request to the host until the given time, or stops
// the host when that is further off than MaxWait; quota says the host
// refused a request because its quota is used up.
func (t *Transport) pause(h *hostState, until time.Time, d time.Duration, quota bool) error {
	if d > t.opts.MaxWait {
		return t.stop(h, t.waitReason(until, d, quota))
	}
	h.mu.Lock()
	if until.After(h.pausedUntil) {
		h.pausedUntil = until
	}
	h.mu.Unlock()
	return nil
}

// waitReason says why a host holds requests until a time d from now: its
// used-up quota, or a wait it asked for.
func (t *Transport) waitReason(until time.Time, d time.Duration, quota bool) string {
	if quota {
		return fmt.Sprintf("has used up its rate-limit quota until %s (in %s), later than the max wait of %s allows",
			until.UTC().Format("15:04 UTC"), d.Round(time.Second), t.opts.MaxWait)
	}
	return fmt.Sprintf("asks to wait %s, longer than the max wait of %s", d.Round(time.Second), t.opts.MaxWait)
}

// stop stops the host for the rest of the run, saying why in the words of
// waitReason.
func (t *Transport) stop(h *hostState, why string) error {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.stopErr == nil {
		h.stopErr = fmt.Errorf("crawler: %s %s: %w", h.name, why, paperlist.ErrWaitTooLong)
		h.stats.Stopped = h.stopErr.Error()
		t.log.Warn("host stopped for this run", "host", h.name, "reason", why, "max_wait", t.opts.MaxWait)
	}
	return h.stopErr
}

// down marks a host that gave no answer to a whole series of attempts as
// down for the rest of the run, and returns err saying so.
func (t *Transport) down(h *hostState, err error) error {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.stopErr == nil {
		h.stopErr = fmt.Errorf("crawler: %s gave no answer to %d attempts: %w for this run", h.name, t.opts.MaxAttempts, paperlist.ErrHostDown)
		h.stats.Stopped = h.stopErr.Error()
		t.log.Warn("host down for this run", "host", h.name, "attempts", t.opts.MaxAttempts, "err", err)
	}
	return fmt.Errorf("%w (%w for this run)", err, paperlist.ErrHostDown)
}

func (t *Transport) backoff(ctx context.Context, h *hostState, attempt int) error {
	ceiling := t.opts.MaxDelay
	if shift := attempt - 1; shift < 30 {
		ceiling = min(ceiling, t.opts.BaseDelay<<shift)
	}
	d := time.Duration(rand.Int64N(int64(ceiling) + 1))
	if err := sleep(ctx, d); err != nil {
		return err
	}
	h.addWaited(d)
	return nil
}

func (h *hostState) stopped() error {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.stopErr
}

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

func (h *hostState) release() {
	if h.sem != nil {
		<-h.sem
	}
}
