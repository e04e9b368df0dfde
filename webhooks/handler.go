package webhooks

import (
	"bytes"
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/netip"
	"sync"
	"sync/atomic"
	"time"
)

// Receiver acts on delivered events. The notifiers of package notify are
// Receivers. Receive returns nil when done with the event; any error makes
// the handler try again later (with backoff), unless it is marked with
// [Permanent]. Because a delivery may be repeated (at-least-once), Receive
// should tolerate seeing an event twice.
type Receiver interface {
	Receive(ctx context.Context, e *Event) error
}

// ReceiverFunc adapts a function to [Receiver].
type ReceiverFunc func(ctx context.Context, e *Event) error

// Receive calls f.
func (f ReceiverFunc) Receive(ctx context.Context, e *Event) error { return f(ctx, e) }

type subscription struct {
	name  string
	r     Receiver
	types map[EventType]bool // nil: every event
}

func (s *subscription) wants(t EventType) bool { return s.types == nil || s.types[t] }

// Handler receives Tableau webhooks. It is an [http.Handler]: mount it at the
// URL given to Tableau. It checks each request (source, token, size, content
// type, optional confirmation), drops duplicates, persists the event (fsync)
// and only then answers 200. [Handler.Run] delivers persisted events to the
// receivers registered with [Handler.Handle], retrying with backoff; events
// not yet delivered when the process stops are delivered after the next
// start.
type Handler struct {
	opts      Options
	tokenHash [32]byte
	st        *store

	mu     sync.Mutex
	subs   []*subscription
	q      queue
	queued map[uint64]bool
	wake   chan struct{}

	running  atomic.Bool
	closed   atomic.Bool
	acceptMu sync.RWMutex  // read-held by requests being accepted; Close write-locks it
	stop     chan struct{} // closed by Close: Run takes no new deliveries
	hardStop chan struct{} // closed when Close's ctx ends: deliveries are cancelled
	runDone  chan struct{} // closed when Run returns
	closeMu  sync.Mutex

	stats statsCounters
}

// NewHandler opens (or creates) the event store at opts.StorePath and returns
// a handler. Events left undelivered by an earlier process are queued for
// [Handler.Run]. Call [Handler.Close] when done.
func NewHandler(opts *Options) (*Handler, error) {
	o := opts.withDefaults()
	if o.StorePath == "" {
		return nil, errors.New("webhooks: Options.StorePath is required")
	}
	if o.Token == "" && !o.InsecureNoToken {
		return nil, errors.New("webhooks: Options.Token is required (or set InsecureNoToken)")
	}
	for _, p := range o.AllowedSources {
		if !p.IsValid() {
			return nil, fmt.Errorf("webhooks: Options.AllowedSources has an invalid prefix %v", p)
		}
	}
	st, pending, err := openStore(o.StorePath, 5*time.Second)
	if err != nil {
		return nil, err
	}
	st.onLazyErr = func(err error) {
		o.Logger.Error("webhooks: recording a finished delivery failed; it will be repeated after a restart", "err", err)
	}
	h := &Handler{
		opts:      o,
		tokenHash: sha256.Sum256([]byte(o.Token)),
		st:        st,
		queued:    make(map[uint64]bool, len(pending)),
		wake:      make(chan struct{}, 1),
		stop:      make(chan struct{}),
		hardStop:  make(chan struct{}),
		runDone:   make(chan struct{}),
	}
	for _, p := range pending {
		h.q.push(p)
		h.queued[p.seq] = true
	}
	return h, nil
}

// Handle registers r under a unique name for the given event types (all
// events, the test event included, when none are given). Delivery progress is
// stored per name, so keep names stable across restarts. Register receivers
// before calling [Handler.Run].
func (h *Handler) Handle(name string, r Receiver, types ...EventType) error {
	if name == "" || r == nil {
		return errors.New("webhooks: Handle needs a name and a receiver")
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	for _, s := range h.subs {
		if s.name == name {
			return fmt.Errorf("webhooks: a receiver named %q is already registered", name)
		}
	}
	s := &subscription{name: name, r: r}
	if len(types) > 0 {
		s.types = make(map[EventType]bool, len(types))
		for _, t := range types {
			s.types[t] = true
		}
	}
	h.subs = append(h.subs, s)
	return nil
}

// HandleFunc registers f like [Handler.Handle].
func (h *Handler) HandleFunc(name string, f func(ctx context.Context, e *Event) error, types ...EventType) error {
	return h.Handle(name, ReceiverFunc(f), types...)
}

// response is the JSON body of every answer.
type response struct {
	Status string `json:"status"`
	ID     string `json:"id,omitempty"`
	Error  string `json:"error,omitempty"`
}

func (h *Handler) reply(w http.ResponseWriter, code int, body response) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(code)
	_ = json.NewEncoder(w).Encode(body)
}

func (h *Handler) reject(w http.ResponseWriter, r *http.Request, code int, msg string) {
	h.stats.rejected.Add(1)
	// r.URL.Path only: the query may hold the token.
	h.opts.Logger.Warn("webhooks: request rejected", "status", code, "reason", msg, "path", r.URL.Path, "remote", r.RemoteAddr)
	h.reply(w, code, response{Status: "rejected", Error: msg})
}

// ServeHTTP checks, decodes, deduplicates and persists one webhook delivery.
// Answers: 200 accepted or duplicate; 400 bad payload; 401 wrong token;
// 403 source not allowed or event not confirmed; 405 not POST; 413 body too
// large; 415 not JSON; 503 closed, store failure or confirmation unavailable.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	h.acceptMu.RLock()
	defer h.acceptMu.RUnlock()
	if h.closed.Load() {
		h.reject(w, r, http.StatusServiceUnavailable, "receiver is shutting down")
		return
	}
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		h.reject(w, r, http.StatusMethodNotAllowed, "method must be POST")
		return
	}
	if len(h.opts.AllowedSources) > 0 {
		addr, err := h.opts.ClientAddr(r)
		if err != nil || !h.allowed(addr) {
			h.reject(w, r, http.StatusForbidden, "source address not allowed")
			return
		}
	}
	if !h.opts.InsecureNoToken {
		got := sha256.Sum256([]byte(h.opts.TokenFrom(r)))
		if subtle.ConstantTimeCompare(got[:], h.tokenHash[:]) != 1 {
			h.reject(w, r, http.StatusUnauthorized, "missing or wrong token")
			return
		}
	}
	// No Content-Type is allowed only for the empty test payload (checked
	// after reading); any other type is refused before reading.
	ct := r.Header.Get("Content-Type")
	if ct != "" {
		mt, _, err := mime.ParseMediaType(ct)
		if err != nil || mt != "application/json" {
			h.reject(w, r, http.StatusUnsupportedMediaType, "Content-Type must be application/json")
			return
		}
	}
	if r.ContentLength > h.opts.MaxBodyBytes {
		h.reject(w, r, http.StatusRequestEntityTooLarge, fmt.Sprintf("body larger than %d bytes", h.opts.MaxBodyBytes))
		return
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, h.opts.MaxBodyBytes))
	if err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			h.reject(w, r, http.StatusRequestEntityTooLarge, fmt.Sprintf("body larger than %d bytes", h.opts.MaxBodyBytes))
			return
		}
		h.reject(w, r, http.StatusBadRequest, "reading body failed")
		return
	}
	if ct == "" && len(bytes.TrimSpace(body)) > 0 {
		h.reject(w, r, http.StatusUnsupportedMediaType, "Content-Type must be application/json")
		return
	}
	ev, err := ParseEvent(body)
	if err != nil {
		h.reject(w, r, http.StatusBadRequest, err.Error())
		return
	}
	now := h.opts.Now()
	window := h.opts.DedupWindow
	if ev.IsTest() {
		window = 0 // every test delivery is answered and delivered
	}
	if window > 0 {
		dup, err := h.st.seenWithin(ev.ID, window, now)
		if err != nil {
			h.opts.Logger.Error("webhooks: store read failed", "err", err)
			h.reject(w, r, http.StatusServiceUnavailable, "store unavailable")
			return
		}
		if dup {
			h.stats.duplicates.Add(1)
			h.reply(w, http.StatusOK, response{Status: "duplicate", ID: ev.ID})
			return
		}
	}
	if h.opts.Confirmer != nil && !ev.IsTest() {
		ctx, cancel := context.WithTimeout(r.Context(), h.opts.ConfirmTimeout)
		err := h.opts.Confirmer.Confirm(ctx, &ev)
		cancel()
		if errors.Is(err, ErrNotConfirmed) {
			h.reject(w, r, http.StatusForbidden, "event not confirmed")
			return
		}
		if err != nil {
			h.opts.Logger.Warn("webhooks: confirmation unavailable", "event", ev.Type, "err", err)
			h.reject(w, r, http.StatusServiceUnavailable, "event could not be confirmed now")
			return
		}
	}
	seq, dup, err := h.st.accept(ev.ID, ev.Raw, window, now)
	if err != nil {
		h.opts.Logger.Error("webhooks: store write failed", "err", err)
		h.reject(w, r, http.StatusServiceUnavailable, "store unavailable")
		return
	}
	if dup {
		h.stats.duplicates.Add(1)
		h.reply(w, http.StatusOK, response{Status: "duplicate", ID: ev.ID})
		return
	}
	h.stats.accepted.Add(1)
	h.enqueue(pendingItem{seq: seq, next: now})
	h.reply(w, http.StatusOK, response{Status: "accepted", ID: ev.ID})
}

func (h *Handler) allowed(addr netip.Addr) bool {
	for _, p := range h.opts.AllowedSources {
		if p.Contains(addr) {
			return true
		}
	}
	return false
}
