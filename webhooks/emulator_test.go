package webhooks_test

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/tableau-go/sdk/rest"
	"github.com/tableau-go/sdk/tableau"
	"github.com/tableau-go/sdk/tableau/tableautest"
	"github.com/tableau-go/sdk/webhooks"
	"github.com/tableau-go/sdk/webhooks/notify"
)

// TestEndToEndWithEmulator runs the whole chain on real sockets: webhooks
// registered through REST on the emulator, a failed extract refresh there,
// the emulator's webhook POST to the handler (token, confirmation through
// REST, persistence), and the alert to a Slack double with the datasource,
// its project, the time and a link.
func TestEndToEndWithEmulator(t *testing.T) {
	emu := tableautest.NewTestServer(t, nil)
	emu.SetJobDuration(0)
	emu.SetWebhookRetry(5, 20*time.Millisecond)
	seed, err := emu.Seed(tableautest.SeedOptions{Projects: 1, Datasources: 1})
	must(t, err)
	creds := emu.Credentials()
	ctx := context.Background()
	c, err := rest.SignIn(ctx, tableau.Config{
		Server:      emu.URL(),
		Site:        creds.SiteContentURL,
		Credentials: tableau.PersonalAccessToken{Name: creds.PATName, Secret: creds.PATSecret},
	})
	must(t, err)
	defer c.Session.SignOut(ctx)

	// Slack, played by a loopback server that keeps the messages.
	var mu sync.Mutex
	var slackMsgs []notify.SlackMessage
	slack := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var m notify.SlackMessage
		if err := json.NewDecoder(r.Body).Decode(&m); err != nil {
			http.Error(w, "invalid_payload", 400)
			return
		}
		mu.Lock()
		slackMsgs = append(slackMsgs, m)
		mu.Unlock()
		io.WriteString(w, "ok")
	}))
	defer slack.Close()
	sl, err := notify.NewSlack(slack.URL+"/services/T/B/x", &notify.SlackOptions{
		Lookup: func(ctx context.Context, e *webhooks.Event) (*webhooks.Item, error) {
			return webhooks.LookupItem(ctx, c.Session, e)
		},
	})
	must(t, err)

	opts := newOptions(t)
	opts.Confirmer = &webhooks.SessionConfirmer{Session: c.Session}
	tests, succeeded := &recorder{}, &recorder{}
	ts := start(t, opts, func(h *webhooks.Handler) {
		must(t, h.Handle("slack", sl, webhooks.DatasourceRefreshFailed))
		must(t, h.Handle("tests", tests, webhooks.EventTest))
		must(t, h.Handle("succeeded", succeeded, webhooks.DatasourceRefreshSucceeded))
	})
	dest, err := webhooks.DestinationURL(ts.srv.URL+"/tableau", testToken)
	must(t, err)

	hooks, err := webhooks.Subscribe(ctx, c.Webhooks, "alerts", dest, webhooks.DatasourceRefreshFailed, webhooks.DatasourceRefreshSucceeded)
	must(t, err)
	if len(hooks) != 2 || hooks[0].Event != "webhook-source-event-datasource-refresh-failed" || hooks[0].URL != dest {
		t.Fatalf("created %+v", hooks)
	}

	// Tableau's "Test a Webhook" reaches the handler as the test event.
	res, err := c.Webhooks.Test(ctx, hooks[0].ID)
	must(t, err)
	if res.Status != http.StatusOK {
		t.Fatalf("test delivery answered %d: %s", res.Status, res.Body)
	}
	waitFor(t, "the test event", func() bool { return len(tests.events()) == 1 })

	// A failed extract refresh becomes a Slack alert.
	emu.FailRefreshesOf("Datasource 1", "Database server unreachable")
	_, err = c.Datasources.Refresh(ctx, seed.DatasourceIDs[0], nil)
	must(t, err)
	waitFor(t, "the Slack alert", func() bool { mu.Lock(); defer mu.Unlock(); return len(slackMsgs) == 1 })
	mu.Lock()
	m := slackMsgs[0]
	mu.Unlock()
	raw, _ := json.Marshal(m)
	for _, want := range []string{"Data source refresh failed: Datasource 1", "Project 1", `"type":"button"`, strings.TrimSuffix(emu.URL(), "/")} {
		if !strings.Contains(string(raw), want) {
			t.Errorf("Slack message lacks %q:\n%s", want, raw)
		}
	}

	// A successful refresh goes only to the receiver that wants it.
	emu.FailRefreshesOf("Datasource 1", "")
	_, err = c.Datasources.Refresh(ctx, seed.DatasourceIDs[0], nil)
	must(t, err)
	waitFor(t, "the success event", func() bool { return len(succeeded.events()) == 1 })
	must(t, emu.WaitWebhooks(ctx))
	mu.Lock()
	if len(slackMsgs) != 1 {
		t.Errorf("Slack got %d messages, want 1", len(slackMsgs))
	}
	mu.Unlock()
	e := succeeded.events()[0]
	if e.ResourceLUID != seed.DatasourceIDs[0] || e.SiteLUID != c.Session.SiteID() || e.ResourceName != "Datasource 1" || e.CreatedAt.IsZero() {
		t.Fatalf("event %+v", e)
	}
	for _, d := range emu.WebhookDeliveries() {
		if d.Status != http.StatusOK {
			t.Errorf("emulator delivery %+v was not answered 200", d)
		}
	}

	n, err := webhooks.Unsubscribe(ctx, c.Webhooks, dest)
	if err != nil || n != 2 {
		t.Fatalf("Unsubscribe: %d, %v", n, err)
	}
	left, err := c.Webhooks.List(ctx)
	must(t, err)
	if len(left) != 0 {
		t.Fatalf("%d webhooks left", len(left))
	}
}

func TestSubscribeValidatesBeforeRequests(t *testing.T) {
	emu := tableautest.NewTestServer(t, nil)
	creds := emu.Credentials()
	ctx := context.Background()
	c, err := rest.SignIn(ctx, tableau.Config{
		Server:      emu.URL(),
		Site:        creds.SiteContentURL,
		Credentials: tableau.PersonalAccessToken{Name: creds.PATName, Secret: creds.PATSecret},
	})
	must(t, err)
	defer c.Session.SignOut(ctx)
	before := emu.Stats()
	if _, err := webhooks.Subscribe(ctx, c.Webhooks, "x", "http://example.com/hook", webhooks.WorkbookCreated); !errors.Is(err, webhooks.ErrBadDestination) {
		t.Fatalf("http destination: %v", err)
	}
	if _, err := webhooks.Subscribe(ctx, c.Webhooks, "x", "https://example.com/hook", "NoSuchEvent"); !errors.Is(err, webhooks.ErrUnknownEvent) {
		t.Fatalf("unknown event: %v", err)
	}
	if _, err := webhooks.Subscribe(ctx, c.Webhooks, "", "https://example.com/hook", webhooks.WorkbookCreated); err == nil {
		t.Fatal("empty name accepted")
	}
	if _, err := webhooks.Subscribe(ctx, c.Webhooks, "x", "https://example.com/hook"); err == nil {
		t.Fatal("no event types accepted")
	}
	if after := emu.Stats(); after != before {
		t.Fatalf("requests were sent: %+v -> %+v", before, after)
	}
	// All event types of the catalogue can be subscribed to by their names.
	var all []webhooks.EventType
	for _, e := range webhooks.Events() {
		all = append(all, e.Type)
	}
	hooks, err := webhooks.Subscribe(ctx, c.Webhooks, "everything", "https://hooks.example.com/tableau", all...)
	must(t, err)
	if len(hooks) != len(all) {
		t.Fatalf("%d webhooks for %d events", len(hooks), len(all))
	}
	for i, h := range hooks {
		if h.Event != all[i].SourceName() {
			t.Errorf("webhook %d has event %q, want %q", i, h.Event, all[i].SourceName())
		}
	}
}
