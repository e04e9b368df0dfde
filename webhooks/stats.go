package webhooks

import "sync/atomic"

// Stats counts what a [Handler] did since it was created.
type Stats struct {
	// Accepted events, persisted and answered 200.
	Accepted int64
	// Duplicates dropped (answered 200 without storing).
	Duplicates int64
	// Rejected requests (any 4xx or 5xx answer).
	Rejected int64
	// Delivered counts successful receiver calls.
	Delivered int64
	// Retries counts delivery attempts that left work for later.
	Retries int64
	// Dead counts deliveries given up (see [Handler.DeadLetters]).
	Dead int64
	// Pending is the number of stored events not yet fully delivered.
	Pending int
}

type statsCounters struct {
	accepted, duplicates, rejected, delivered, retries, dead atomic.Int64
}

// Stats returns the handler's counters.
func (h *Handler) Stats() Stats {
	h.mu.Lock()
	pending := len(h.queued)
	h.mu.Unlock()
	return Stats{
		Accepted:   h.stats.accepted.Load(),
		Duplicates: h.stats.duplicates.Load(),
		Rejected:   h.stats.rejected.Load(),
		Delivered:  h.stats.delivered.Load(),
		Retries:    h.stats.retries.Load(),
		Dead:       h.stats.dead.Load(),
		Pending:    pending,
	}
}
