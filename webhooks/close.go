package webhooks

import (
	"context"
	"time"
)

// Close shuts the handler down: new requests get 503; requests being
// accepted finish; [Handler.Run] takes no new deliveries and the ones in
// progress may finish until ctx ends, when they are cancelled; then the store
// is closed. It returns ctx's error if ctx ended first. Undelivered events
// stay in the store for the next start.
func (h *Handler) Close(ctx context.Context) error {
	h.closeMu.Lock()
	defer h.closeMu.Unlock()
	if h.closed.Swap(true) {
		return nil
	}
	close(h.stop)
	done := make(chan struct{})
	go func() {
		// Taking the write lock waits for the requests being accepted.
		h.acceptMu.Lock()
		//lint:ignore SA2001 the lock is the barrier; there is nothing to guard
		h.acceptMu.Unlock()
		if h.running.Load() {
			<-h.runDone
		}
		close(done)
	}()
	var err error
	select {
	case <-done:
	case <-ctx.Done():
		err = ctx.Err()
		close(h.hardStop)
		select { // cancelled receivers return promptly; do not hang on one that does not
		case <-done:
		case <-time.After(5 * time.Second):
		}
	}
	if cerr := h.st.close(); cerr != nil && err == nil {
		err = cerr
	}
	return err
}
