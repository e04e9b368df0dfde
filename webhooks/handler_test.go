package webhooks_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/netip"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/tableau-go/sdk/webhooks"
)

func TestHandlerDispatchesByType(t *testing.T) {
	failures, all, tests := &recorder{}, &recorder{}, &recorder{}
	ts := start(t, newOptions(t), func(h *webhooks.Handler) {
		must(t, h.Handle("failures", failures, webhooks.DatasourceRefreshFailed, webhooks.WorkbookRefreshFailed))
		must(t, h.Handle("all", all))
		must(t, h.Handle("tests", tests, webhooks.EventTest))
		if err := h.Handle("all", all); err == nil {
			t.Error("a second receiver named all was accepted")
		}
	})
	for i, typ := range []webhooks.EventType{webhooks.DatasourceRefreshFailed, webhooks.WorkbookCreated, webhooks.WorkbookRefreshFailed, "SomethingNew"} {
		code, body := post(t, ts.url, "application/json; charset=utf-8", payload(typ, fmt.Sprint(i)))
		if code != http.StatusOK || !strings.Contains(body, `"accepted"`) {
			t.Fatalf("%s: %d %s", typ, code, body)
		}
	}
	waitFor(t, "deliveries", func() bool { return len(all.events()) == 4 && len(failures.events()) == 2 })
	for _, e := range failures.events() {
		if e.Type != webhooks.DatasourceRefreshFailed && e.Type != webhooks.WorkbookRefreshFailed {
			t.Errorf("failures got %s", e.Type)
		}
		if e.SiteLUID != "site-1" || e.ReceivedAt.IsZero() || e.CreatedAt.IsZero() {
			t.Errorf("incomplete event %+v", e)
		}
	}
	if len(tests.events()) != 0 {
		t.Error("tests receiver got a non-test event")
	}
	waitFor(t, "nothing pending", func() bool { return ts.h.Stats().Pending == 0 })
}

func TestHandlerTestEvent(t *testing.T) {
	tests, failures := &recorder{}, &recorder{}
	ts := start(t, newOptions(t), func(h *webhooks.Handler) {
		must(t, h.Handle("tests", tests, webhooks.EventTest))
		must(t, h.Handle("failures", failures, webhooks.DatasourceRefreshFailed))
	})
	// Tableau's "Test a Webhook" sends an empty payload; twice is not a duplicate.
	for range 2 {
		if code, body := post(t, ts.url, "", ""); code != http.StatusOK {
			t.Fatalf("%d %s", code, body)
		}
	}
	if code, body := post(t, ts.url, "application/json", "{}"); code != http.StatusOK {
		t.Fatalf("%d %s", code, body)
	}
	waitFor(t, "test events", func() bool { return len(tests.events()) == 3 })
	if !tests.events()[0].IsTest() || len(failures.events()) != 0 {
		t.Fatal("test event misrouted")
	}
}

func TestHandlerRejects(t *testing.T) {
	opts := newOptions(t)
	opts.MaxBodyBytes = 1024
	rec := &recorder{}
	ts := start(t, opts, func(h *webhooks.Handler) { must(t, h.Handle("r", rec)) })
	good := payload(webhooks.WorkbookCreated, "w1")
	base := ts.srv.URL + "/tableau"
	cases := []struct {
		name, method, url, ct, body string
		want                        int
	}{
		{"no token", http.MethodPost, base, "application/json", good, http.StatusUnauthorized},
		{"wrong token", http.MethodPost, base + "?token=s3cret-token-for-testz", "application/json", good, http.StatusUnauthorized},
		{"token prefix", http.MethodPost, base + "?token=s3cret", "application/json", good, http.StatusUnauthorized},
		{"GET", http.MethodGet, ts.url, "", "", http.StatusMethodNotAllowed},
		{"text/plain", http.MethodPost, ts.url, "text/plain", good, http.StatusUnsupportedMediaType},
		{"no content type", http.MethodPost, ts.url, "", good, http.StatusUnsupportedMediaType},
		{"bad JSON", http.MethodPost, ts.url, "application/json", `{"event_type":"WorkbookCreated"`, http.StatusBadRequest},
		{"not an object", http.MethodPost, ts.url, "application/json", `[]`, http.StatusBadRequest},
		{"bad time", http.MethodPost, ts.url, "application/json", `{"event_type":"WorkbookCreated","created_at":"x"}`, http.StatusBadRequest},
		{"oversized", http.MethodPost, ts.url, "application/json", `{"event_type":"WorkbookCreated","pad":"` + strings.Repeat("x", 2000) + `"}`, http.StatusRequestEntityTooLarge},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			req, _ := http.NewRequest(c.method, c.url, strings.NewReader(c.body))
			if c.ct != "" {
				req.Header.Set("Content-Type", c.ct)
			}
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if resp.StatusCode != c.want {
				t.Fatalf("status %d, want %d", resp.StatusCode, c.want)
			}
		})
	}
	// An oversized body sent chunked (no Content-Length) is cut off too.
	req, _ := http.NewRequest(http.MethodPost, ts.url, struct{ *strings.Reader }{strings.NewReader(`{"pad":"` + strings.Repeat("y", 5000) + `"}`)})
	req.Header.Set("Content-Type", "application/json")
	req.ContentLength = -1
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusRequestEntityTooLarge {
		t.Fatalf("chunked oversized: %d", resp.StatusCode)
	}
	if code, _ := post(t, ts.url, "application/json", good); code != http.StatusOK {
		t.Fatalf("good request after bad ones: %d", code)
	}
	waitFor(t, "the good event", func() bool { return len(rec.events()) == 1 })
	if s := ts.h.Stats(); s.Rejected != int64(len(cases))+1 || s.Accepted != 1 {
		t.Fatalf("stats %+v", s)
	}
}

func TestHandlerSourceAllowlist(t *testing.T) {
	opts := newOptions(t)
	opts.AllowedSources = []netip.Prefix{netip.MustParsePrefix("10.0.0.0/8")}
	ts := start(t, opts, nil)
	if code, _ := post(t, ts.url, "application/json", payload(webhooks.WorkbookCreated, "a")); code != http.StatusForbidden {
		t.Fatalf("loopback not in 10/8: %d", code)
	}

	opts2 := newOptions(t)
	opts2.AllowedSources = []netip.Prefix{netip.MustParsePrefix("10.0.0.0/8"), netip.MustParsePrefix("127.0.0.0/8")}
	ts2 := start(t, opts2, nil)
	if code, _ := post(t, ts2.url, "application/json", payload(webhooks.WorkbookCreated, "a")); code != http.StatusOK {
		t.Fatalf("loopback allowed: %d", code)
	}
}

func TestHandlerDuplicates(t *testing.T) {
	opts := newOptions(t)
	var now atomic.Int64
	now.Store(time.Date(2026, 12, 3, 12, 0, 0, 0, time.UTC).UnixNano())
	opts.Now = func() time.Time { return time.Unix(0, now.Load()) }
	opts.DedupWindow = time.Hour
	rec := &recorder{}
	ts := start(t, opts, func(h *webhooks.Handler) { must(t, h.Handle("r", rec)) })
	p := payload(webhooks.DatasourceRefreshFailed, "ds1")
	statuses := ""
	for range 3 {
		_, body := post(t, ts.url, "application/json", p)
		statuses += body
	}
	if strings.Count(statuses, `"accepted"`) != 1 || strings.Count(statuses, `"duplicate"`) != 2 {
		t.Fatalf("answers: %s", statuses)
	}
	// Same event with different JSON whitespace is still a duplicate.
	if _, body := post(t, ts.url, "application/json", " "+strings.ReplaceAll(p, ",", ", ")); !strings.Contains(body, "duplicate") {
		t.Fatalf("reformatted duplicate: %s", body)
	}
	now.Add(int64(2 * time.Hour)) // past the window: a new delivery
	if _, body := post(t, ts.url, "application/json", p); !strings.Contains(body, "accepted") {
		t.Fatalf("after the window: %s", body)
	}
	waitFor(t, "two deliveries", func() bool { return len(rec.events()) == 2 })
	if s := ts.h.Stats(); s.Duplicates != 3 || s.Accepted != 2 {
		t.Fatalf("stats %+v", s)
	}
}

func TestHandlerDuplicatesSurviveRestart(t *testing.T) {
	opts := newOptions(t)
	h, err := webhooks.NewHandler(opts)
	must(t, err)
	srv := httptestServer(h)
	p := payload(webhooks.WorkbookDeleted, "wb9")
	if _, body := post(t, srv.URL+"?token="+testToken, "application/json", p); !strings.Contains(body, "accepted") {
		t.Fatal(body)
	}
	srv.Close()
	must(t, h.Close(context.Background()))

	ts := start(t, opts, nil)
	if _, body := post(t, ts.url, "application/json", p); !strings.Contains(body, "duplicate") {
		t.Fatalf("after restart: %s", body)
	}
}

func TestHandlerConfirmer(t *testing.T) {
	opts := newOptions(t)
	var calls atomic.Int32
	opts.Confirmer = webhooks.ConfirmerFunc(func(ctx context.Context, e *webhooks.Event) error {
		calls.Add(1)
		switch e.ResourceLUID {
		case "forged":
			return fmt.Errorf("datasource %s: %w", e.ResourceLUID, webhooks.ErrNotConfirmed)
		case "flaky":
			return errors.New("tableau unreachable")
		}
		return nil
	})
	ts := start(t, opts, nil)
	for luid, want := range map[string]int{"forged": 403, "flaky": 503, "real": 200} {
		if code, body := post(t, ts.url, "application/json", payload(webhooks.DatasourceCreated, luid)); code != want {
			t.Errorf("%s: %d %s, want %d", luid, code, body, want)
		}
	}
	post(t, ts.url, "", "") // the test event is not confirmed
	if calls.Load() != 3 {
		t.Fatalf("Confirm called %d times, want 3", calls.Load())
	}
}

func TestHandlerRetriesAndDeadLetters(t *testing.T) {
	opts := newOptions(t)
	opts.MaxAttempts = 3
	var flakyCalls, brokenCalls atomic.Int32
	ok := &recorder{}
	ts := start(t, opts, func(h *webhooks.Handler) {
		must(t, h.Handle("ok", ok))
		must(t, h.HandleFunc("flaky", func(ctx context.Context, e *webhooks.Event) error {
			if flakyCalls.Add(1) < 3 {
				return errors.New("temporarily down")
			}
			return nil
		}))
		must(t, h.HandleFunc("broken", func(ctx context.Context, e *webhooks.Event) error {
			brokenCalls.Add(1)
			return webhooks.Permanent(errors.New("channel archived"))
		}))
	})
	post(t, ts.url, "application/json", payload(webhooks.ViewDeleted, "v1"))
	waitFor(t, "delivery done", func() bool { return ts.h.Stats().Pending == 0 })
	if flakyCalls.Load() != 3 || brokenCalls.Load() != 1 || len(ok.events()) != 1 {
		t.Fatalf("flaky %d broken %d ok %d (ok must not be called again on retries)", flakyCalls.Load(), brokenCalls.Load(), len(ok.events()))
	}
	dead, err := ts.h.DeadLetters()
	must(t, err)
	if len(dead) != 1 || dead[0].Receiver != "broken" || !strings.Contains(dead[0].Error, "archived") {
		t.Fatalf("dead letters %+v", dead)
	}

	// MaxAttempts: a receiver that never recovers ends in the dead letters.
	var never atomic.Int32
	opts2 := newOptions(t)
	opts2.MaxAttempts = 3
	ts2 := start(t, opts2, func(h *webhooks.Handler) {
		must(t, h.HandleFunc("never", func(ctx context.Context, e *webhooks.Event) error {
			never.Add(1)
			return errors.New("down")
		}))
	})
	post(t, ts2.url, "application/json", payload(webhooks.ViewDeleted, "v2"))
	waitFor(t, "given up", func() bool { return ts2.h.Stats().Pending == 0 })
	if never.Load() != 3 {
		t.Fatalf("tried %d times, want 3", never.Load())
	}
}

func TestHandlerRetryAfter(t *testing.T) {
	opts := newOptions(t)
	var first atomic.Int64
	var second atomic.Int64
	ts := start(t, opts, func(h *webhooks.Handler) {
		must(t, h.HandleFunc("slow", func(ctx context.Context, e *webhooks.Event) error {
			if first.Load() == 0 {
				first.Store(time.Now().UnixNano())
				return webhooks.RetryAfter(300*time.Millisecond, errors.New("429"))
			}
			second.Store(time.Now().UnixNano())
			return nil
		}))
	})
	post(t, ts.url, "application/json", payload(webhooks.SiteUpdated, "s"))
	waitFor(t, "second attempt", func() bool { return second.Load() != 0 })
	if gap := time.Duration(second.Load() - first.Load()); gap < 300*time.Millisecond {
		t.Fatalf("retried after %v, want >= 300ms", gap)
	}
}

func TestHandlerClosed(t *testing.T) {
	opts := newOptions(t)
	h, err := webhooks.NewHandler(opts)
	must(t, err)
	srv := httptestServer(h)
	defer srv.Close()
	must(t, h.Close(context.Background()))
	if code, _ := post(t, srv.URL+"?token="+testToken, "application/json", payload(webhooks.SiteCreated, "s")); code != http.StatusServiceUnavailable {
		t.Fatalf("after Close: %d", code)
	}
	if err := h.Run(context.Background()); !errors.Is(err, webhooks.ErrClosed) {
		t.Fatalf("Run after Close: %v", err)
	}
}

func TestNewHandlerValidates(t *testing.T) {
	if _, err := webhooks.NewHandler(nil); err == nil {
		t.Fatal("nil options accepted")
	}
	if _, err := webhooks.NewHandler(&webhooks.Options{StorePath: t.TempDir() + "/x.db"}); err == nil || strings.Contains(err.Error(), testToken) {
		t.Fatalf("missing token: %v", err)
	}
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func TestCloseCancelsStuckDeliveryAndKeepsEvent(t *testing.T) {
	opts := newOptions(t)
	h, err := webhooks.NewHandler(opts)
	must(t, err)
	entered := make(chan struct{})
	var once atomic.Bool
	must(t, h.HandleFunc("stuck", func(ctx context.Context, e *webhooks.Event) error {
		if once.CompareAndSwap(false, true) {
			close(entered)
		}
		<-ctx.Done() // a receiver that only stops when cancelled
		return ctx.Err()
	}))
	runErr := make(chan error, 1)
	go func() { runErr <- h.Run(context.Background()) }()
	srv := httptestServer(h)
	if code, _ := post(t, srv.URL+"?token="+testToken, "application/json", payload(webhooks.UserDeleted, "u1")); code != 200 {
		t.Fatal(code)
	}
	<-entered
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	if err := h.Close(ctx); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("Close: %v", err)
	}
	must(t, <-runErr)
	srv.Close()

	rec := &recorder{}
	ts := start(t, opts, func(h *webhooks.Handler) { must(t, h.Handle("stuck", rec)) })
	waitFor(t, "redelivery after restart", func() bool { return len(rec.events()) == 1 })
	if rec.events()[0].ResourceLUID != "u1" {
		t.Fatal("wrong event")
	}
	waitFor(t, "nothing pending", func() bool { return ts.h.Stats().Pending == 0 })
}

func TestTokenNeverLogged(t *testing.T) {
	var buf syncBuffer
	opts := newOptions(t)
	opts.Logger = slog.New(slog.NewTextHandler(&buf, &slog.HandlerOptions{Level: slog.LevelDebug}))
	ts := start(t, opts, func(h *webhooks.Handler) {
		must(t, h.HandleFunc("failing", func(ctx context.Context, e *webhooks.Event) error {
			return webhooks.Permanent(errors.New("boom"))
		}))
	})
	post(t, ts.srv.URL+"/hook?token="+testToken+"x", "application/json", payload(webhooks.SiteDeleted, "s"))
	post(t, ts.url, "text/plain", "x")
	post(t, ts.url, "application/json", payload(webhooks.SiteDeleted, "s"))
	waitFor(t, "the dead letter", func() bool { return ts.h.Stats().Dead == 1 })
	out := buf.String()
	if !strings.Contains(out, "request rejected") || !strings.Contains(out, "giving up") {
		t.Fatalf("expected log lines missing:\n%s", out)
	}
	if strings.Contains(out, "s3cret") {
		t.Fatalf("token in logs:\n%s", out)
	}
}

type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func TestRequeueDeadLetters(t *testing.T) {
	opts := newOptions(t)
	var broken atomic.Bool
	broken.Store(true)
	fixed, other := &recorder{}, &recorder{}
	ts := start(t, opts, func(h *webhooks.Handler) {
		must(t, h.Handle("other", other))
		must(t, h.HandleFunc("slack", func(ctx context.Context, e *webhooks.Event) error {
			if broken.Load() {
				return webhooks.Permanent(errors.New("invalid_token"))
			}
			return fixed.Receive(ctx, e)
		}))
	})
	for i := range 3 {
		post(t, ts.url, "application/json", payload(webhooks.WorkbookCreated, fmt.Sprint(i)))
	}
	waitFor(t, "dead letters", func() bool { return ts.h.Stats().Dead == 3 && ts.h.Stats().Pending == 0 })
	broken.Store(false) // the webhook URL was fixed
	n, err := ts.h.RequeueDeadLetters()
	if err != nil || n != 3 {
		t.Fatalf("requeued %d, %v", n, err)
	}
	waitFor(t, "redelivery", func() bool { return len(fixed.events()) == 3 && ts.h.Stats().Pending == 0 })
	if len(other.events()) != 3 {
		t.Fatalf("the other receiver got %d events, want 3 (no repeats)", len(other.events()))
	}
	dead, err := ts.h.DeadLetters()
	if err != nil || len(dead) != 0 {
		t.Fatalf("dead letters left: %v %v", dead, err)
	}
}
