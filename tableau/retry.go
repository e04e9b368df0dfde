package tableau

import (
	"context"
	"errors"
	"io"
	"math/rand/v2"
	"net/http"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// RetryPolicy says how the session retries requests. The zero value uses
// every default. Retried are: 429 Too Many Requests, always, after the wait
// its Retry-After header asks for (seconds or an HTTP date), or the backoff
// without one; 502, 503 and 504 and connections reset or closed without a
// response, for idempotent requests only (GET, HEAD, PUT, DELETE, OPTIONS,
// and requests marked [Request].Idempotent). A Retry-After holds back the
// session's other new requests as well, until it has passed. Every wait ends
// when the request's context does.
type RetryPolicy struct {
	// MaxRetries is how many times one request is retried.
	// Default: 4. A negative value disables retries.
	MaxRetries int
	// MinWait is the first backoff; each retry doubles it. Default: 500ms.
	MinWait time.Duration
	// MaxWait caps the backoff (not a Retry-After). Default: 30s.
	MaxWait time.Duration
	// MaxRetryAfter is the longest Retry-After the session waits for; a
	// longer one returns the 429 as an error matching [ErrRateLimited].
	// Default: 5 minutes.
	MaxRetryAfter time.Duration
	// Sleep waits d or until ctx is done, returning ctx.Err() then.
	// Tests inject it to see the waits without waiting.
	// Default: a timer that stops when ctx is done.
	Sleep func(ctx context.Context, d time.Duration) error
	// Now is the clock used for Retry-After dates. Default: time.Now.
	Now func() time.Time
}

// withDefaults returns p with zero fields set to their defaults.
func (p RetryPolicy) withDefaults() RetryPolicy {
	if p.MaxRetries == 0 {
		p.MaxRetries = 4
	}
	if p.MaxRetries < 0 {
		p.MaxRetries = 0
	}
	if p.MinWait <= 0 {
		p.MinWait = 500 * time.Millisecond
	}
	if p.MaxWait <= 0 {
		p.MaxWait = 30 * time.Second
	}
	if p.MaxWait < p.MinWait {
		p.MaxWait = p.MinWait
	}
	if p.MaxRetryAfter <= 0 {
		p.MaxRetryAfter = 5 * time.Minute
	}
	if p.Sleep == nil {
		p.Sleep = sleepCtx
	}
	if p.Now == nil {
		p.Now = time.Now
	}
	return p
}

// sleepCtx waits d or until ctx is done.
func sleepCtx(ctx context.Context, d time.Duration) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if d <= 0 {
		return nil
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// backoff returns the exponential backoff before retry number attempt
// (0 for the first retry): MinWait·2^attempt capped at MaxWait, with
// "equal jitter" (a random point in the upper half) so that many clients
// do not retry in step.
func (p RetryPolicy) backoff(attempt int) time.Duration {
	d := p.MinWait
	for i := 0; i < attempt && d < p.MaxWait; i++ {
		d *= 2
	}
	d = min(d, p.MaxWait)
	half := d / 2
	if half <= 0 {
		return d
	}
	return half + rand.N(half+1)
}

// retryAfter parses a Retry-After value: delay seconds or an HTTP date.
// A date in the past means no wait.
func retryAfter(v string, now time.Time) (time.Duration, bool) {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0, false
	}
	if secs, err := strconv.ParseInt(v, 10, 64); err == nil {
		if secs < 0 {
			return 0, false
		}
		if secs > int64((1<<63-1)/time.Second) {
			secs = int64((1<<63 - 1) / time.Second)
		}
		return time.Duration(secs) * time.Second, true
	}
	t, err := http.ParseTime(v)
	if err != nil {
		return 0, false
	}
	return max(t.Sub(now), 0), true
}

// wait returns how long to wait before retry number attempt after resp
// (nil after a connection error).
func (p RetryPolicy) wait(attempt int, resp *http.Response) time.Duration {
	if resp != nil && (resp.StatusCode == http.StatusTooManyRequests || resp.StatusCode == http.StatusServiceUnavailable) {
		if d, ok := retryAfter(resp.Header.Get("Retry-After"), p.Now()); ok {
			return d
		}
	}
	return p.backoff(attempt)
}

// isIdempotent reports whether an HTTP method may be repeated safely.
func isIdempotent(method string) bool {
	switch method {
	case http.MethodGet, http.MethodHead, http.MethodPut, http.MethodDelete, http.MethodOptions, http.MethodTrace:
		return true
	}
	return false
}

// isConnReset reports whether err is a connection reset or closed before
// a response arrived.
func isConnReset(err error) bool {
	return errors.Is(err, syscall.ECONNRESET) || errors.Is(err, syscall.EPIPE) ||
		errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) ||
		errors.Is(err, syscall.ECONNABORTED)
}
