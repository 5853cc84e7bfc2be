package hostpool

// What the transport knows of one host, and how a request to it waits its
// turn: concurrency, pauses, the quota, the spacing, and stopping the host.

import (
	"context"
	"fmt"
	"math"
	"net/http"
	"sync"
	"time"

	"golang.org/x/time/rate"

	"github.com/paperlist/paperlist"
)

// hostState is what the transport knows about one host.
type hostState struct {
	key      Host
	resource string
	policy   Policy
	sem      chan struct{} // nil without Concurrency

	mu sync.Mutex
	// limiter spaces the sends: a request takes its token at the moment it
	// is let go, so the interval holds between sends, however late a
	// waiting goroutine wakes. Nil without Interval.
	limiter     *rate.Limiter
	pausedUntil time.Time
	// backoffUntil holds the host after an overloaded answer that told no
	// wait; unlike pausedUntil no max wait bounds it.
	backoffUntil time.Time
	stopErr      error
	// remaining and reset are the last quota an answer told.
	haveRemaining bool
	remaining     int
	reset         time.Time
	secondary     time.Duration // the last secondary-limit wait without Retry-After
	// inflight counts the requests sent and not answered yet; answered is
	// closed and replaced at each answer (or failure to get one).
	inflight int
	answered chan struct{}
	// heard is set at the host's first answer: from then on a failure to
	// connect is a hiccup, not a host that cannot be reached.
	heard bool
	stats Stats
}

// host returns the state of the host, and of its resource, that req is
// sent to.
func (t *Transport) host(req *http.Request) *hostState {
	key := HostOf(req.URL)
	p, ok := t.opts.Hosts[key]
	if !ok {
		p = t.opts.Default
	}
	sk := stateKey{host: key}
	if p.Resource != nil {
		sk.resource = p.Resource(req)
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	if h, ok := t.hosts[sk]; ok {
		return h
	}
	h := &hostState{key: key, resource: sk.resource, policy: p, answered: make(chan struct{})}
	if p.Interval > 0 {
		h.limiter = rate.NewLimiter(rate.Every(p.Interval), 1)
	}
	if p.Concurrency > 0 {
		h.sem = make(chan struct{}, p.Concurrency)
	}
	t.hosts[sk] = h
	return h
}

// name is the host, with its resource when it has more than one, as
// messages name it: "api.github.com", "api.github.com (graphql)".
func (h *hostState) name() string {
	if h.resource == "" {
		return h.key.String()
	}
	return h.key.String() + " (" + h.resource + ")"
}

// acquire waits for the host's turn: not stopped, a free slot, not paused,
// quota left, the interval since the last send.
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
		now := t.clock.Now()
		hd, err := h.turn(now)
		if err != nil {
			h.release()
			return err
		}
		if hd.answer != nil {
			// The quota may not be used up: wait for an answer to say.
			select {
			case <-hd.answer:
				continue
			case <-ctx.Done():
				h.release()
				return ctx.Err()
			}
		}
		if hd.until.IsZero() {
			return nil
		}
		d := hd.until.Sub(now)
		if !hd.spacing && d > t.opts.MaxWait {
			h.release()
			return t.stop(h, t.waitReason(hd.until, d, hd.quota))
		}
		if err := t.clock.Sleep(ctx, d); err != nil {
			h.release()
			return err
		}
		h.addWaited(d)
	}
}

// hold is what keeps a host from being sent to.
type hold struct {
	// until is when the host may be sent to again, zero when now.
	until time.Time
	// quota says that the host has no quota left until then, rather than
	// that it asked for a pause.
	quota bool
	// spacing says that until is the host's next free slot of its
	// Interval or the end of a backoff, which no max wait bounds.
	spacing bool
	// answer, when not nil, is closed at the next answer of a request in
	// flight: the quota is used up only by the count of requests whose
	// answers may yet say that some is left.
	answer <-chan struct{}
}

// turn lets a request go now, taking its place in the host's spacing, or
// says what holds it.
func (h *hostState) turn(now time.Time) (hold, error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.stopErr != nil {
		return hold{}, h.stopErr
	}
	var hd hold
	if h.pausedUntil.After(now) {
		hd.until = h.pausedUntil
	}
	if h.backoffUntil.After(now) && h.backoffUntil.After(hd.until) {
		hd.until, hd.spacing = h.backoffUntil, true
	}
	if h.haveRemaining && !h.reset.After(now) {
		// The quota was renewed: what is left is unknown until the next
		// response says.
		h.haveRemaining = false
	}
	// remaining counts the requests in flight as spent already, so the
	// reserve kept for them never exceeds what is left: only when nothing
	// is left does the host wait for the reset.
	if h.haveRemaining && h.remaining <= 0 && h.reset.After(hd.until) {
		hd.until, hd.quota, hd.spacing = h.reset, true, false
		if h.inflight > 0 {
			hd.answer = h.answered
		}
	}
	if !hd.until.IsZero() || h.limiter == nil || h.limiter.AllowN(now, 1) {
		return hd, nil
	}
	// The token of the last send has not come back yet: tokens come at
	// one an Interval.
	missing := 1 - h.limiter.TokensAt(now)
	d := time.Duration(math.Ceil(missing * float64(h.policy.Interval)))
	return hold{until: now.Add(max(d, time.Nanosecond)), spacing: true}, nil
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

// backOff holds every request to the host until the given time, the end
// of a backoff.
func (h *hostState) backOff(until time.Time) {
	h.mu.Lock()
	if until.After(h.backoffUntil) {
		h.backoffUntil = until
	}
	h.mu.Unlock()
}

// waitReason says why a host holds requests until a time d from now: its
// used-up quota, or a wait it asked for.
func (t *Transport) waitReason(until time.Time, d time.Duration, quota bool) string {
	if quota {
		if d < day {
			return fmt.Sprintf("has used up its rate-limit quota until %s (in %s), later than the max wait of %s allows",
				until.UTC().Format("15:04 UTC"), d.Round(time.Second), t.opts.MaxWait)
		}
		return fmt.Sprintf("has used up its rate-limit quota until %s, later than the max wait of %s allows",
			farWait(until, d), t.opts.MaxWait)
	}
	if d < day {
		return fmt.Sprintf("asks to wait %s, longer than the max wait of %s", d.Round(time.Second), t.opts.MaxWait)
	}
	return fmt.Sprintf("asks to wait until %s, longer than the max wait of %s", farWait(until, d), t.opts.MaxWait)
}

const day = 24 * time.Hour

// farWait says when a wait of a day or more ends, as a person reads it:
// the date within a year, and no date beyond (a Retry-After of years, or
// one that overflows a Duration, whose "2562047h47m16s" says nothing).
func farWait(until time.Time, d time.Duration) string {
	if d < 366*day {
		return until.UTC().Format("2006-01-02 15:04 UTC")
	}
	return "more than a year from now"
}

// stop stops the host for the rest of the run, saying why in the words of
// waitReason.
func (t *Transport) stop(h *hostState, why string) error {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.stopErr == nil {
		h.stopErr = fmt.Errorf("hostpool: %s %s: %w", h.name(), why, paperlist.ErrWaitTooLong)
		h.stats.Stopped = h.stopErr.Error()
		t.log.Warn("host stopped for this run", "host", h.name(), "reason", why, "max_wait", t.opts.MaxWait)
	}
	return h.stopErr
}

// down marks a host that gave no answer to a whole series of attempts as
// down for the rest of the run, and returns err saying so.
func (t *Transport) down(h *hostState, err error) error {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.stopErr == nil {
		h.stopErr = fmt.Errorf("hostpool: %s gave no answer to %d attempts: %w for this run", h.name(), t.opts.MaxAttempts, paperlist.ErrHostDown)
		h.stats.Stopped = h.stopErr.Error()
		t.log.Warn("host down for this run", "host", h.name(), "attempts", t.opts.MaxAttempts, "err", err)
	}
	return fmt.Errorf("%w (%w for this run)", err, paperlist.ErrHostDown)
}

func (h *hostState) stopped() error {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.stopErr
}

func (h *hostState) release() {
	if h.sem != nil {
		<-h.sem
	}
}

// observe ends the flight of a request that got an answer, and reads what
// the answer says of the host's rate limits, when its policy can. The
// requests still in flight were sent against what the answer calls
// remaining and may not be counted in it yet: they are taken off, so that
// the workers never send more than the quota allows, however many there
// are.
func (h *hostState) observe(resp *http.Response, now time.Time) paperlist.RateLimit {
	var rl paperlist.RateLimit
	if h.policy.RateLimits != nil {
		rl = h.policy.RateLimits(resp)
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	h.land()
	if rl.Reset.After(now) {
		h.haveRemaining, h.remaining, h.reset = true, rl.Remaining-h.inflight, rl.Reset
	}
	return rl
}

// unanswered ends the flight of a request that got no answer.
func (h *hostState) unanswered() {
	h.mu.Lock()
	h.land()
	h.mu.Unlock()
}

// land counts a request out of flight and wakes whoever waits for an
// answer. It runs under h.mu.
func (h *hostState) land() {
	h.inflight--
	close(h.answered)
	h.answered = make(chan struct{})
}

func (h *hostState) nextSecondary(first time.Duration) time.Duration {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.secondary == 0 {
		h.secondary = first
	} else {
		h.secondary *= 2
	}
	return h.secondary
}

func (h *hostState) succeeded() {
	h.mu.Lock()
	h.secondary = 0
	h.mu.Unlock()
}
