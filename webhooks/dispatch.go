package webhooks

import (
	"container/heap"
	"context"
	"errors"
	"math/rand/v2"
	"slices"
	"sync"
	"time"
)

// queue is a min-heap of pending events by next attempt time.
type queue []pendingItem

func (q queue) Len() int           { return len(q) }
func (q queue) Less(i, j int) bool { return q[i].next.Before(q[j].next) }
func (q queue) Swap(i, j int)      { q[i], q[j] = q[j], q[i] }
func (q *queue) Push(x any)        { *q = append(*q, x.(pendingItem)) }
func (q *queue) Pop() any {
	old := *q
	it := old[len(old)-1]
	*q = old[:len(old)-1]
	return it
}
func (q *queue) push(it pendingItem) { heap.Push(q, it) }

func (h *Handler) enqueue(it pendingItem) {
	h.mu.Lock()
	if !h.queued[it.seq] {
		h.queued[it.seq] = true
		h.q.push(it)
	}
	h.mu.Unlock()
	h.signal()
}

// next pops the first due event, or returns how long to wait for one.
func (h *Handler) next(now time.Time) (pendingItem, time.Duration, bool) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.q.Len() == 0 {
		return pendingItem{}, time.Hour, false
	}
	if d := h.q[0].next.Sub(now); d > 0 {
		return pendingItem{}, d, false
	}
	return heap.Pop(&h.q).(pendingItem), 0, true
}

// Run delivers accepted events to the registered receivers until ctx is
// done or [Handler.Close] is called, and returns nil then. When ctx is done,
// deliveries in progress see their context cancelled; Close instead lets
// them finish until its own ctx ends. An event whose delivery did not finish
// stays in the store and is delivered again by the next Run, in this process
// or the next. Run may be called once.
func (h *Handler) Run(ctx context.Context) error {
	if !h.running.CompareAndSwap(false, true) {
		return errors.New("webhooks: Run called twice")
	}
	defer close(h.runDone)
	if h.closed.Load() {
		return ErrClosed
	}
	// loop stops taking new work; deliver is what receivers see.
	loop, stopLoop := context.WithCancel(ctx)
	defer stopLoop()
	deliver, cancelDeliveries := context.WithCancel(ctx)
	defer cancelDeliveries()
	go func() {
		select {
		case <-h.stop:
			stopLoop()
		case <-loop.Done():
		}
		select {
		case <-h.hardStop:
			cancelDeliveries()
		case <-deliver.Done():
		}
	}()

	var wg sync.WaitGroup
	defer wg.Wait()
	sem := make(chan struct{}, h.opts.Workers)
	prune := time.NewTicker(pruneEvery(h.opts.DedupWindow))
	defer prune.Stop()
	timer := time.NewTimer(time.Hour)
	defer timer.Stop()
	for {
		if loop.Err() != nil {
			return nil
		}
		it, wait, ok := h.next(h.opts.Now())
		if ok {
			select {
			case sem <- struct{}{}:
			case <-loop.Done():
				h.requeue(it)
				return nil
			}
			wg.Add(1)
			go func() {
				defer wg.Done()
				defer func() { <-sem }()
				h.deliver(deliver, it.seq)
			}()
			continue
		}
		timer.Reset(wait)
		select {
		case <-loop.Done():
			return nil
		case <-h.wake:
		case <-timer.C:
		case <-prune.C:
			if h.opts.DedupWindow > 0 {
				if _, err := h.st.pruneDedup(h.opts.Now().Add(-h.opts.DedupWindow)); err != nil {
					h.opts.Logger.Error("webhooks: pruning duplicate ids failed", "err", err)
				}
			}
		}
	}
}

func pruneEvery(window time.Duration) time.Duration {
	if window <= 0 {
		return time.Hour
	}
	return min(max(window/4, time.Second), time.Hour)
}

// requeue puts an item back without changing its time.
func (h *Handler) requeue(it pendingItem) {
	h.mu.Lock()
	h.q.push(it)
	h.mu.Unlock()
}

// deliver tries the receivers that still need event seq.
func (h *Handler) deliver(ctx context.Context, seq uint64) {
	rec, err := h.st.get(seq)
	if err != nil {
		h.forget(seq)
		if !errors.Is(err, errNoRecord) {
			h.opts.Logger.Error("webhooks: reading a stored event failed", "seq", seq, "err", err)
		}
		return
	}
	ev, err := ParseEvent(rec.Payload)
	if err != nil { // cannot happen for what ServeHTTP stored; keep it visible
		h.opts.Logger.Error("webhooks: stored event does not decode", "seq", seq, "err", err)
		_ = h.st.finish(seq, []DeadLetter{{Receiver: "*", Payload: rec.Payload, ReceivedAt: rec.ReceivedAt, Error: err.Error(), At: h.opts.Now()}})
		h.forget(seq)
		return
	}
	ev.ReceivedAt = rec.ReceivedAt

	h.mu.Lock()
	var todo []*subscription
	for _, s := range h.subs {
		if s.wants(ev.Type) && !slices.Contains(rec.Done, s.name) {
			todo = append(todo, s)
		}
	}
	h.mu.Unlock()

	rec.Attempts++
	var (
		dead      []DeadLetter
		lastErr   error
		retryWait time.Duration
	)
	for _, s := range todo {
		if ctx.Err() != nil {
			lastErr = ctx.Err()
			break
		}
		dctx, cancel := context.WithTimeout(ctx, h.opts.DeliveryTimeout)
		e := ev // each receiver gets its own copy
		err := s.r.Receive(dctx, &e)
		cancel()
		switch {
		case err == nil:
			rec.Done = append(rec.Done, s.name)
			h.stats.delivered.Add(1)
		case IsPermanent(err) || (h.opts.MaxAttempts > 0 && rec.Attempts >= h.opts.MaxAttempts):
			h.opts.Logger.Error("webhooks: giving up a delivery", "receiver", s.name, "event", ev.Type, "attempts", rec.Attempts, "err", err)
			dead = append(dead, DeadLetter{Receiver: s.name, Payload: rec.Payload, ReceivedAt: rec.ReceivedAt, Attempts: rec.Attempts, Error: err.Error(), At: h.opts.Now()})
			rec.Done = append(rec.Done, s.name)
			h.stats.dead.Add(1)
		default:
			h.opts.Logger.Warn("webhooks: delivery failed, will retry", "receiver", s.name, "event", ev.Type, "attempt", rec.Attempts, "err", err)
			lastErr = err
			if d, ok := retryAfterOf(err); ok && d > retryWait {
				retryWait = d
			}
		}
	}

	if lastErr == nil {
		if err := h.st.finish(seq, dead); err != nil {
			h.opts.Logger.Error("webhooks: store write failed", "err", err)
			h.retryLater(seq, h.opts.MinBackoff)
			return
		}
		h.forget(seq)
		return
	}
	if ctx.Err() != nil {
		// Shutting down: do not count this attempt; the next Run redelivers.
		rec.Attempts--
	}
	h.stats.retries.Add(1)
	delay := max(h.backoff(rec.Attempts), retryWait)
	rec.NextAttempt = h.opts.Now().Add(delay)
	rec.LastError = lastErr.Error()
	if len(dead) > 0 {
		if err := h.st.addDead(seq, dead); err != nil {
			h.opts.Logger.Error("webhooks: store write failed", "err", err)
		}
	}
	if err := h.st.put(seq, rec); err != nil {
		h.opts.Logger.Error("webhooks: store write failed", "err", err)
	}
	if ctx.Err() != nil {
		return // left in the store; queued again by the next NewHandler
	}
	h.retryLater(seq, delay)
}

func (h *Handler) retryLater(seq uint64, delay time.Duration) {
	h.mu.Lock()
	h.q.push(pendingItem{seq: seq, next: h.opts.Now().Add(delay)})
	h.mu.Unlock()
	h.signal()
}

// signal wakes Run to look at the queue again.
func (h *Handler) signal() {
	select {
	case h.wake <- struct{}{}:
	default:
	}
}

func (h *Handler) forget(seq uint64) {
	h.mu.Lock()
	delete(h.queued, seq)
	h.mu.Unlock()
}

// backoff is MinBackoff·2^(attempt-1), capped at MaxBackoff, ±20% jitter.
func (h *Handler) backoff(attempt int) time.Duration {
	d := h.opts.MinBackoff
	for i := 1; i < attempt && d < h.opts.MaxBackoff; i++ {
		d *= 2
	}
	d = min(d, h.opts.MaxBackoff)
	jitter := 0.8 + 0.4*rand.Float64()
	return time.Duration(float64(d) * jitter)
}
