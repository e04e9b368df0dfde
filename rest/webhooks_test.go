package rest_test

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/tableau-go/sdk/rest"
	"github.com/tableau-go/sdk/tableau"
)

var loopback = &rest.DestinationOptions{AllowLoopbackHTTP: true}

func TestWebhooksManageAndReceive(t *testing.T) {
	ctx := context.Background()
	c, srv := newClient(t, nil, nil)
	srv.SetWebhookRetry(1, 0)
	var mu sync.Mutex
	var got []map[string]string
	recv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		var m map[string]string
		json.Unmarshal(b, &m)
		mu.Lock()
		got = append(got, m)
		mu.Unlock()
		w.Write([]byte("ok"))
	}))
	defer recv.Close()

	// Every event of the catalogue can be subscribed to, by either name.
	for i, e := range rest.WebhookEvents() {
		name := e.Payload
		if i%2 == 0 {
			name = e.Source
		}
		w, err := c.Webhooks.Create(ctx, rest.WebhookCreate{Name: "hook " + e.Payload, Event: name, URL: "https://hooks.example.com/" + e.Payload})
		if err != nil {
			t.Fatalf("%s: %v", e.Payload, err)
		}
		if w.Event != e.Source || !w.Enabled {
			t.Fatalf("%s: %+v", e.Payload, w)
		}
	}
	all, err := c.Webhooks.List(ctx)
	if err != nil || len(all) != len(rest.WebhookEvents()) {
		t.Fatalf("list: %d %v", len(all), err)
	}
	w, err := c.Webhooks.Create(ctx, rest.WebhookCreate{Name: "user gone", Event: "UserDeleted", URL: recv.URL + "/hook", Destination: loopback})
	if err != nil {
		t.Fatal(err)
	}
	res, err := c.Webhooks.Test(ctx, w.ID)
	if err != nil || res.Status != 200 || res.Body != "ok" {
		t.Fatalf("test %+v %v", res, err)
	}
	u, _ := c.Users.Add(ctx, rest.UserAdd{Name: "leaver", SiteRole: rest.RoleViewer})
	if err := c.Users.Remove(ctx, u.ID, nil); err != nil {
		t.Fatal(err)
	}
	wctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	if err := srv.WaitWebhooks(wctx); err != nil {
		t.Fatal(err)
	}
	mu.Lock()
	if len(got) != 2 || got[1]["event_type"] != "UserDeleted" || got[1]["resource_luid"] != u.ID {
		t.Errorf("received %v", got)
	}
	mu.Unlock()
	off := false
	upd, err := c.Webhooks.Update(ctx, w.ID, rest.WebhookUpdate{Enabled: &off})
	if err != nil || upd.Enabled {
		t.Fatalf("disable %+v %v", upd, err)
	}
	again, err := c.Webhooks.Get(ctx, w.ID)
	if err != nil || again.Enabled || again.URL != recv.URL+"/hook" {
		t.Fatalf("get %+v %v", again, err)
	}
	if err := c.Webhooks.Delete(ctx, w.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Webhooks.Get(ctx, w.ID); !errors.Is(err, tableau.ErrNotFound) {
		t.Fatalf("after delete: %v", err)
	}
}

func TestWebhooksDestinationCheckedBeforeRequest(t *testing.T) {
	ctx := context.Background()
	c, srv := newClient(t, nil, nil)
	before := srv.Stats().Requests
	for _, u := range []string{"http://hooks.example.com/x", "http://127.0.0.1:9/x", "ftp://example.com/x", "hooks.example.com/x",
		"https://user:pass@example.com/x", "https://example.com:99999/x", "https://example.com/x#frag", "", "https://"} {
		if _, err := c.Webhooks.Create(ctx, rest.WebhookCreate{Name: "x", Event: "WorkbookCreated", URL: u}); !errors.Is(err, tableau.ErrInvalidArgument) {
			t.Errorf("%q: %v", u, err)
		}
	}
	if _, err := c.Webhooks.Create(ctx, rest.WebhookCreate{Name: "x", Event: "PizzaDelivered", URL: "https://example.com"}); !errors.Is(err, tableau.ErrInvalidArgument) {
		t.Errorf("unknown event: %v", err)
	}
	if n := srv.Stats().Requests - before; n != 0 {
		t.Errorf("%d requests for invalid input", n)
	}
	if err := rest.CheckDestination("http://localhost:8080/hook", loopback); err != nil {
		t.Errorf("loopback allowed for the emulator: %v", err)
	}
	if err := rest.CheckDestination("http://10.0.0.1/hook", loopback); err == nil {
		t.Errorf("plain http to a non-loopback host must be refused")
	}
}

// hookRecorder is a real HTTP receiver that records event types.
type hookRecorder struct {
	*httptest.Server
	mu    sync.Mutex
	types []string
}

func newHookRecorder(t *testing.T) *hookRecorder {
	h := &hookRecorder{}
	h.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var m map[string]string
		json.NewDecoder(r.Body).Decode(&m)
		h.mu.Lock()
		h.types = append(h.types, m["event_type"])
		h.mu.Unlock()
	}))
	t.Cleanup(h.Close)
	return h
}

func (h *hookRecorder) events() []string {
	h.mu.Lock()
	defer h.mu.Unlock()
	return append([]string(nil), h.types...)
}
