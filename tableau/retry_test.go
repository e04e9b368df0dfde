package tableau

import (
	"context"
	"errors"
	"net"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// signedIn returns a signed-in PAT session on f recording its waits.
func signedIn(t *testing.T, f *fake, mod func(*Config)) (*Session, *sleeper) {
	t.Helper()
	s, sl := newTestSession(t, f, mod)
	if err := s.SignIn(context.Background()); err != nil {
		t.Fatal(err)
	}
	return s, sl
}

// flaky answers the first n requests with status (and header h), then 200.
func flaky(f *fake, pattern string, n int32, status int, h http.Header) *atomic.Int32 {
	var calls atomic.Int32
	f.mux.HandleFunc(pattern, func(w http.ResponseWriter, r *http.Request) {
		if calls.Add(1) <= n {
			for k, v := range h {
				w.Header()[k] = v
			}
			writeError(w, status, "", http.StatusText(status), "injected")
			return
		}
		writeXML(w, 200, "")
	})
	return &calls
}

func TestRetryAfterSeconds(t *testing.T) {
	f := newFake(t)
	s, sl := signedIn(t, f, nil)
	calls := flaky(f, "POST /api/{v}/things", 2, 429, http.Header{"Retry-After": {"7"}})
	// POST: 429 is retried whatever the method.
	if err := s.Post(context.Background(), "things", nil, nil, nil); err != nil {
		t.Fatal(err)
	}
	if calls.Load() != 3 {
		t.Fatalf("calls = %d, want 3", calls.Load())
	}
	if w := sl.recorded(); len(w) != 2 || w[0] != 7*time.Second || w[1] != 7*time.Second {
		t.Fatalf("waits = %v, want [7s 7s]", w)
	}
}

func TestRetryAfterHTTPDate(t *testing.T) {
	f := newFake(t)
	now := time.Date(2026, 12, 3, 19, 0, 0, 0, time.UTC)
	s, sl := signedIn(t, f, func(c *Config) { c.Retry.Now = func() time.Time { return now } })
	date := now.Add(95 * time.Second).Format(http.TimeFormat)
	flaky(f, "GET /api/{v}/things", 1, 429, http.Header{"Retry-After": {date}})
	if err := s.Get(context.Background(), "things", nil, nil); err != nil {
		t.Fatal(err)
	}
	if w := sl.recorded(); len(w) != 1 || w[0] != 95*time.Second {
		t.Fatalf("waits = %v, want [1m35s]", w)
	}
}

func TestRateLimitedGivesUp(t *testing.T) {
	f := newFake(t)
	s, sl := signedIn(t, f, func(c *Config) { c.Retry.MaxRetries = 2 })
	calls := flaky(f, "GET /api/{v}/things", 100, 429, http.Header{"Retry-After": {"1"}})
	err := s.Get(context.Background(), "things", nil, nil)
	if !errors.Is(err, ErrRateLimited) {
		t.Fatalf("err = %v, want ErrRateLimited", err)
	}
	if calls.Load() != 3 || len(sl.recorded()) != 2 {
		t.Fatalf("calls = %d waits = %v", calls.Load(), sl.recorded())
	}
	// A Retry-After beyond MaxRetryAfter is not waited for.
	s2, sl2 := signedIn(t, f, func(c *Config) { c.Retry.MaxRetryAfter = time.Minute })
	calls.Store(0)
	flaky(f, "GET /api/{v}/slow", 100, 429, http.Header{"Retry-After": {"3600"}})
	if err := s2.Get(context.Background(), "slow", nil, nil); !errors.Is(err, ErrRateLimited) {
		t.Fatalf("err = %v", err)
	}
	if len(sl2.recorded()) != 0 {
		t.Fatalf("waited %v", sl2.recorded())
	}
}

func TestRetry5xxIdempotentOnly(t *testing.T) {
	for _, status := range []int{502, 503, 504} {
		f := newFake(t)
		s, sl := signedIn(t, f, func(c *Config) { c.Retry.MinWait = time.Second; c.Retry.MaxWait = 3 * time.Second })
		get := flaky(f, "GET /api/{v}/things", 3, status, nil)
		if err := s.Get(context.Background(), "things", nil, nil); err != nil {
			t.Fatalf("%d: %v", status, err)
		}
		if get.Load() != 4 {
			t.Fatalf("%d: GET calls = %d", status, get.Load())
		}
		// Exponential with equal jitter and a cap: [0.5s,1s], [1s,2s], [1.5s,3s].
		w := sl.recorded()
		bounds := [][2]time.Duration{{500 * time.Millisecond, time.Second}, {time.Second, 2 * time.Second}, {1500 * time.Millisecond, 3 * time.Second}}
		for i, d := range w {
			if d < bounds[i][0] || d > bounds[i][1] {
				t.Errorf("%d: wait %d = %v, want in %v", status, i, d, bounds[i])
			}
		}
		post := flaky(f, "POST /api/{v}/things", 3, status, nil)
		err := s.Post(context.Background(), "things", nil, nil, nil)
		if !errors.Is(err, ErrServer) || post.Load() != 1 {
			t.Fatalf("%d: POST err = %v calls = %d, want one call and ErrServer", status, err, post.Load())
		}
	}
}

func TestBackoffCap(t *testing.T) {
	p := RetryPolicy{MinWait: time.Second, MaxWait: 10 * time.Second}.withDefaults()
	for attempt := range 40 {
		d := p.backoff(attempt)
		if d < time.Second/2 || d > 10*time.Second {
			t.Fatalf("backoff(%d) = %v", attempt, d)
		}
	}
}

func TestRetryAfterParse(t *testing.T) {
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	for v, want := range map[string]time.Duration{
		"0": 0, "12": 12 * time.Second, now.Add(-time.Hour).Format(http.TimeFormat): 0,
		now.Add(2 * time.Minute).Format(http.TimeFormat): 2 * time.Minute,
	} {
		if d, ok := retryAfter(v, now); !ok || d != want {
			t.Errorf("retryAfter(%q) = %v, %v; want %v", v, d, ok, want)
		}
	}
	for _, v := range []string{"", "-3", "soon", "1.5"} {
		if _, ok := retryAfter(v, now); ok {
			t.Errorf("retryAfter(%q) accepted", v)
		}
	}
}

// TestConnectionReset drops the connection without a response: GET is
// retried, POST is not.
func TestConnectionReset(t *testing.T) {
	f := newFake(t)
	s, _ := signedIn(t, f, func(c *Config) { c.HTTPClient = &http.Client{Transport: &http.Transport{DisableKeepAlives: true}} })
	var calls atomic.Int32
	handler := func(w http.ResponseWriter, r *http.Request) {
		if calls.Add(1) == 1 {
			conn, _, err := w.(http.Hijacker).Hijack()
			if err == nil {
				if tc, ok := conn.(*net.TCPConn); ok {
					_ = tc.SetLinger(0) // RST
				}
				conn.Close()
			}
			return
		}
		writeXML(w, 200, "")
	}
	f.mux.HandleFunc("GET /api/{v}/reset", handler)
	f.mux.HandleFunc("POST /api/{v}/reset", handler)
	if err := s.Get(context.Background(), "reset", nil, nil); err != nil {
		t.Fatal(err)
	}
	if calls.Load() != 2 {
		t.Fatalf("GET calls = %d, want 2", calls.Load())
	}
	calls.Store(0)
	if err := s.Post(context.Background(), "reset", nil, nil, nil); err == nil || calls.Load() != 1 {
		t.Fatalf("POST err = %v calls = %d, want an error after one call", err, calls.Load())
	}
}

// TestCancelStopsBackoff: the default sleeper must end its wait the moment
// the context is cancelled, even with Retry-After: 3600.
func TestCancelStopsBackoff(t *testing.T) {
	f := newFake(t)
	s, err := NewSession(Config{Server: f.srv.URL, Credentials: PersonalAccessToken{Name: fakePATName, Secret: fakePATSecret},
		Retry: RetryPolicy{MaxRetryAfter: 2 * time.Hour}})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.SignIn(context.Background()); err != nil {
		t.Fatal(err)
	}
	got := make(chan struct{}, 1)
	f.mux.HandleFunc("GET /api/{v}/busy", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Retry-After", "3600")
		writeError(w, 429, "", "Too Many Requests", "")
		got <- struct{}{}
	})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- s.Get(ctx, "busy", nil, nil) }()
	<-got // the first attempt was answered; the session is now waiting an hour
	cancel()
	select {
	case err := <-done:
		if !errors.Is(err, context.Canceled) {
			t.Fatalf("err = %v, want context.Canceled", err)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("the backoff did not stop when the context was cancelled")
	}
}

func TestSleepCtx(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := sleepCtx(ctx, time.Hour); !errors.Is(err, context.Canceled) {
		t.Fatal(err)
	}
	if err := sleepCtx(context.Background(), 0); err != nil {
		t.Fatal(err)
	}
}

func TestRetriesDisabled(t *testing.T) {
	f := newFake(t)
	s, sl := signedIn(t, f, func(c *Config) { c.Retry.MaxRetries = -1 })
	calls := flaky(f, "GET /api/{v}/things", 1, 503, nil)
	if err := s.Get(context.Background(), "things", nil, nil); !errors.Is(err, ErrServer) {
		t.Fatal(err)
	}
	if calls.Load() != 1 || len(sl.recorded()) != 0 {
		t.Fatalf("calls = %d", calls.Load())
	}
}

// TestIdempotentPOSTRetried: sign-in (a POST marked Idempotent) is retried
// after a 503 and a reset; a plain POST is not (TestRetry5xxIdempotentOnly).
func TestIdempotentPOSTRetried(t *testing.T) {
	f := newFake(t)
	var calls atomic.Int32
	first := func(w http.ResponseWriter, r *http.Request) bool {
		if !strings.HasSuffix(r.URL.Path, "/auth/signin") || calls.Add(1) > 1 {
			return false
		}
		writeError(w, 503, "", "Service Unavailable", "")
		return true
	}
	f.intercept.Store(&first)
	s, sl := newTestSession(t, f, func(c *Config) { c.APIVersion = "3.24" })
	if err := s.SignIn(context.Background()); err != nil {
		t.Fatal(err)
	}
	if calls.Load() != 2 || len(sl.recorded()) != 1 || f.signInCount() != 1 {
		t.Fatalf("calls = %d waits = %v", calls.Load(), sl.recorded())
	}
}

// TestRateLimitSharedBySession: after one request got 429 with
// Retry-After: 5, the session's next request waits out the same pause
// before it is sent (the clock is frozen, so the pause has not passed).
func TestRateLimitSharedBySession(t *testing.T) {
	f := newFake(t)
	now := time.Date(2026, 12, 3, 19, 0, 0, 0, time.UTC)
	s, sl := signedIn(t, f, func(c *Config) { c.Retry.Now = func() time.Time { return now } })
	flaky(f, "GET /api/{v}/a", 1, 429, http.Header{"Retry-After": {"5"}})
	var sentB atomic.Int32
	f.mux.HandleFunc("GET /api/{v}/b", func(w http.ResponseWriter, r *http.Request) {
		sentB.Add(1)
		writeXML(w, 200, "")
	})
	if err := s.Get(context.Background(), "a", nil, nil); err != nil {
		t.Fatal(err)
	}
	if err := s.Get(context.Background(), "b", nil, nil); err != nil {
		t.Fatal(err)
	}
	if w := sl.recorded(); len(w) != 2 || w[0] != 5*time.Second || w[1] != 5*time.Second {
		t.Fatalf("waits = %v, want [5s 5s] (the retry, then the held-back request)", w)
	}
	// Once the pause is over, requests go at once.
	now = now.Add(6 * time.Second)
	if err := s.Get(context.Background(), "b", nil, nil); err != nil {
		t.Fatal(err)
	}
	if w := sl.recorded(); len(w) != 2 || sentB.Load() != 2 {
		t.Fatalf("waits = %v sent = %d", w, sentB.Load())
	}
}
