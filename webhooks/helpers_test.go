package webhooks_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/tableau-go/sdk/webhooks"
)

const testToken = "s3cret-token-for-tests"

// payload returns a Tableau-shaped payload.
func payload(typ webhooks.EventType, luid string) string {
	return fmt.Sprintf(`{"resource":"DATASOURCE","event_type":%q,"resource_name":"Sales %s","site_luid":"site-1","resource_luid":%q,"created_at":"2026-12-03T10:00:00.123Z"}`, typ, luid, luid)
}

// receiver is a name-keyed record of what was delivered.
type recorder struct {
	mu   sync.Mutex
	got  []webhooks.Event
	fail func(e *webhooks.Event) error
}

func (r *recorder) Receive(_ context.Context, e *webhooks.Event) error {
	if r.fail != nil {
		if err := r.fail(e); err != nil {
			return err
		}
	}
	r.mu.Lock()
	r.got = append(r.got, *e)
	r.mu.Unlock()
	return nil
}

func (r *recorder) events() []webhooks.Event {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]webhooks.Event(nil), r.got...)
}

// testServer runs a handler behind a real loopback HTTP server.
type testServer struct {
	t   *testing.T
	h   *webhooks.Handler
	srv *httptest.Server
	url string // with the token
}

func newOptions(t *testing.T) *webhooks.Options {
	return &webhooks.Options{
		StorePath:  filepath.Join(t.TempDir(), "events.db"),
		Token:      testToken,
		MinBackoff: 10 * time.Millisecond,
		MaxBackoff: 50 * time.Millisecond,
	}
}

// start builds a handler, lets setup register receivers, then serves and runs it.
func start(t *testing.T, opts *webhooks.Options, setup func(h *webhooks.Handler)) *testServer {
	t.Helper()
	h, err := webhooks.NewHandler(opts)
	if err != nil {
		t.Fatal(err)
	}
	if setup != nil {
		setup(h)
	}
	ctx, cancel := context.WithCancel(context.Background())
	runErr := make(chan error, 1)
	go func() { runErr <- h.Run(ctx) }()
	srv := httptest.NewServer(h)
	ts := &testServer{t: t, h: h, srv: srv, url: srv.URL + "/tableau?token=" + testToken}
	t.Cleanup(func() { ts.stop(cancel, runErr) })
	return ts
}

func (ts *testServer) stop(cancel context.CancelFunc, runErr chan error) {
	ts.srv.Close()
	cctx, ccancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer ccancel()
	if err := ts.h.Close(cctx); err != nil {
		ts.t.Errorf("Close: %v", err)
	}
	cancel()
	select {
	case err := <-runErr:
		if err != nil {
			ts.t.Errorf("Run: %v", err)
		}
	case <-time.After(10 * time.Second):
		ts.t.Error("Run did not return")
	}
}

func post(t *testing.T, url, contentType, body string) (int, string) {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, url, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// waitFor polls cond until it holds or 10 s pass.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func httptestServer(h http.Handler) *httptest.Server { return httptest.NewServer(h) }
