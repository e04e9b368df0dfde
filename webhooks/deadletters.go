package webhooks

import "fmt"

// DeadLetters returns the events receivers gave up on.
func (h *Handler) DeadLetters() ([]DeadLetter, error) {
	if h.closed.Load() {
		return nil, ErrClosed
	}
	return h.st.deadLetters()
}

// RequeueDeadLetters gives every dead letter another chance, for example
// after a notifier's URL was fixed: each goes back to the queue for the
// receiver that gave up on it (only that one), and is removed from the dead
// letters. It returns how many were requeued.
func (h *Handler) RequeueDeadLetters() (int, error) {
	if h.closed.Load() {
		return 0, ErrClosed
	}
	others := func(payload []byte, receiver string) []string {
		ev, err := ParseEvent(payload)
		if err != nil {
			return nil
		}
		h.mu.Lock()
		defer h.mu.Unlock()
		var done []string
		for _, s := range h.subs {
			if s.name != receiver && s.wants(ev.Type) {
				done = append(done, s.name)
			}
		}
		return done
	}
	now := h.opts.Now()
	seqs, err := h.st.requeueDead(others, now)
	if err != nil {
		return 0, fmt.Errorf("webhooks: requeueing dead letters: %w", err)
	}
	for _, seq := range seqs {
		h.enqueue(pendingItem{seq: seq, next: now})
	}
	return len(seqs), nil
}
