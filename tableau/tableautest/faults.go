package tableautest

import (
	"fmt"
	"net"
	"net/http"
	"strings"
	"sync"
)

// Faults injects failures into the next requests, for reliability tests.
// Every method is safe for concurrent use. Rules apply in the order they
// were added; each request consumes at most one rule.
type Faults struct {
	core *faultCore
	path string // only URL paths containing this ("" = every path)
}

type faultKind int

const (
	faultRateLimit faultKind = iota
	faultStatus
	faultDrop
)

type faultRule struct {
	kind       faultKind
	remaining  int
	retryAfter string
	status     int
	path       string
}

type faultCore struct {
	mu    sync.Mutex
	rules []*faultRule
}

// Faults returns the server's fault injection, applying to every path.
func (s *Server) Faults() *Faults { return &Faults{core: s.faults} }

// OnlyPath returns a view of f whose rules apply only to requests whose URL
// path contains substr, for example "/projects".
func (f *Faults) OnlyPath(substr string) *Faults {
	return &Faults{core: f.core, path: substr}
}

func (f *Faults) add(r *faultRule) {
	if r.remaining <= 0 {
		return
	}
	r.path = f.path
	f.core.mu.Lock()
	f.core.rules = append(f.core.rules, r)
	f.core.mu.Unlock()
}

// RateLimit answers the next n requests with 429 Too Many Requests and a
// Retry-After header of retryAfter (seconds, or an HTTP date; "" sends none).
func (f *Faults) RateLimit(n int, retryAfter string) {
	f.add(&faultRule{kind: faultRateLimit, remaining: n, retryAfter: retryAfter})
}

// Status answers the next n requests with that HTTP status (a 5xx, such as
// 503) and an <error> body whose code is the status followed by "000".
// A status outside 400 to 599 is ignored.
func (f *Faults) Status(n int, code int) {
	if code < 400 || code > 599 {
		return
	}
	f.add(&faultRule{kind: faultStatus, remaining: n, status: code})
}

// Drop closes the connection of the next n requests without a response
// (the client sees a connection reset).
func (f *Faults) Drop(n int) {
	f.add(&faultRule{kind: faultDrop, remaining: n})
}

// Clear removes the pending rules of this view: all of them for the
// server's Faults, those of the same path for an OnlyPath view.
func (f *Faults) Clear() {
	f.core.mu.Lock()
	defer f.core.mu.Unlock()
	if f.path == "" {
		f.core.rules = nil
		return
	}
	kept := f.core.rules[:0]
	for _, r := range f.core.rules {
		if r.path != f.path {
			kept = append(kept, r)
		}
	}
	f.core.rules = kept
}

// take consumes the first rule matching path, if any.
func (c *faultCore) take(path string) (faultRule, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for i, r := range c.rules {
		if r.path != "" && !strings.Contains(path, r.path) {
			continue
		}
		got := *r
		r.remaining--
		if r.remaining == 0 {
			c.rules = append(c.rules[:i], c.rules[i+1:]...)
		}
		return got, true
	}
	return faultRule{}, false
}

// intercept applies a pending fault to the request and reports whether it did.
func (c *faultCore) intercept(w http.ResponseWriter, r *http.Request) bool {
	rule, ok := c.take(r.URL.Path)
	if !ok {
		return false
	}
	switch rule.kind {
	case faultRateLimit:
		if rule.retryAfter != "" {
			w.Header().Set("Retry-After", rule.retryAfter)
		}
		writeError(w, r, newAPIError(http.StatusTooManyRequests, codeTooManyRequests, "Too Many Requests",
			"The server is rate limiting requests; retry after the Retry-After interval."))
	case faultStatus:
		writeError(w, r, newAPIError(rule.status, fmt.Sprintf("%d000", rule.status), http.StatusText(rule.status),
			"Injected by tableautest fault injection."))
	case faultDrop:
		conn, _, err := http.NewResponseController(w).Hijack()
		if err != nil {
			// HTTP/2 cannot hijack: abort the stream instead.
			panic(http.ErrAbortHandler)
		}
		if tc, ok := conn.(*net.TCPConn); ok {
			tc.SetLinger(0) //nolint:errcheck // best effort: a reset rather than a clean close
		}
		conn.Close()
	}
	return true
}
