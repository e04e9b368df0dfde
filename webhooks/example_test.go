package webhooks_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/tableau-go/sdk/rest"
	"github.com/tableau-go/sdk/tableau"
	"github.com/tableau-go/sdk/tableau/tableautest"
	"github.com/tableau-go/sdk/webhooks"
	"github.com/tableau-go/sdk/webhooks/notify"
)

func ExampleParseEvent() {
	e, err := webhooks.ParseEvent([]byte(`{"resource":"DATASOURCE","event_type":"DatasourceRefreshFailed",
		"resource_name":"Sales","site_luid":"b0ba","resource_luid":"d1d1","created_at":"2026-12-03T10:11:12Z"}`))
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(e.Type, e.ResourceName, e.CreatedAt.Format(time.DateTime))
	fmt.Println(e.Type.SourceName())

	_, err = webhooks.ParseEvent([]byte(`{"event_type":"WorkbookCreated","created_at":"yesterday"}`))
	fmt.Println(err)
	// Output:
	// DatasourceRefreshFailed Sales 2026-12-03 10:11:12
	// webhook-source-event-datasource-refresh-failed
	// webhooks: bad payload: field created_at: not an RFC 3339 time: parsing time "yesterday" as "2006-01-02T15:04:05.999999999Z07:00": cannot parse "yesterday" as "2006"
}

func ExampleParseEventType() {
	for _, name := range []string{"webhook-source-event-workbook-refresh-failed", "AdminPromoted", "nope"} {
		t, err := webhooks.ParseEventType(name)
		fmt.Println(t, err)
	}
	// Output:
	// WorkbookRefreshFailed <nil>
	// AdminPromoted <nil>
	//  webhooks: unknown event "nope" (neither an event_type nor a webhook-source name)
}

func ExampleEvents() {
	for _, e := range webhooks.Events()[:3] {
		fmt.Println(e.Type, e.Source, e.Resource)
	}
	// Output:
	// AdminPromoted webhook-event-user-promoted-admin USER
	// AdminDemoted webhook-event-user-demoted-admin USER
	// DatasourceUpdated webhook-source-event-datasource-updated DATASOURCE
}

func ExampleHandler() {
	dir, _ := os.MkdirTemp("", "webhooks-example")
	defer os.RemoveAll(dir)

	h, err := webhooks.NewHandler(&webhooks.Options{
		StorePath: filepath.Join(dir, "events.db"),
		Token:     "a-long-random-secret",
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	got := make(chan string, 1)
	_ = h.HandleFunc("log-failures", func(ctx context.Context, e *webhooks.Event) error {
		got <- fmt.Sprintf("%s: %s", e.Type, e.ResourceName)
		return nil // an error here would be retried with backoff
	}, webhooks.DatasourceRefreshFailed, webhooks.WorkbookRefreshFailed)

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go h.Run(ctx)
	srv := httptest.NewServer(h) // in production: http.Handle("/tableau", h)
	defer srv.Close()
	defer h.Close(context.Background())

	// What Tableau sends to the URL registered with the webhook.
	resp, err := http.Post(srv.URL+"/tableau?token=a-long-random-secret", "application/json",
		strings.NewReader(`{"resource":"DATASOURCE","event_type":"DatasourceRefreshFailed","resource_name":"Sales",
		"site_luid":"b0ba","resource_luid":"d1d1","created_at":"2026-12-03T10:11:12Z"}`))
	if err != nil {
		fmt.Println(err)
		return
	}
	resp.Body.Close()
	fmt.Println(resp.Status)
	fmt.Println(<-got)
	// Output:
	// 200 OK
	// DatasourceRefreshFailed: Sales
}

// ExampleSessionConfirmer refuses events that did not happen, checking them
// against Tableau's REST API (here the SDK's emulator).
func ExampleSessionConfirmer() {
	emu, _ := tableautest.NewServer(nil)
	defer emu.Close()
	seed, _ := emu.Seed(tableautest.SeedOptions{Datasources: 1})
	creds := emu.Credentials()
	sess, _ := tableau.NewSession(tableau.Config{
		Server:      emu.URL(),
		Site:        creds.SiteContentURL,
		Credentials: tableau.PersonalAccessToken{Name: creds.PATName, Secret: creds.PATSecret},
	})
	ctx := context.Background()
	if err := sess.SignIn(ctx); err != nil {
		fmt.Println(err)
		return
	}
	defer sess.SignOut(ctx)

	c := &webhooks.SessionConfirmer{Session: sess} // set as Options.Confirmer
	real := &webhooks.Event{Type: webhooks.DatasourceRefreshFailed, SiteLUID: sess.SiteID(), ResourceLUID: seed.DatasourceIDs[0]}
	forged := &webhooks.Event{Type: webhooks.DatasourceRefreshFailed, SiteLUID: sess.SiteID(), ResourceLUID: "00000000-0000-4000-8000-000000000000"}
	fmt.Println(c.Confirm(ctx, real))
	fmt.Println(errors.Is(c.Confirm(ctx, forged), webhooks.ErrNotConfirmed))

	item, _ := webhooks.LookupItem(ctx, sess, real)
	fmt.Println(item.Kind, item.Name)
	// Output:
	// <nil>
	// true
	// datasource Datasource 1
}

// ExampleSubscribe wires the whole chain: a handler that alerts Slack when an
// extract refresh fails, subscribed through the REST API. Tableau is played
// by the SDK's emulator and Slack by a local server.
func ExampleSubscribe() {
	ctx := context.Background()
	emu, _ := tableautest.NewServer(nil)
	defer emu.Close()
	emu.SetJobDuration(0)
	seed, _ := emu.Seed(tableautest.SeedOptions{Datasources: 1})
	creds := emu.Credentials()
	c, err := rest.SignIn(ctx, tableau.Config{
		Server:      emu.URL(),
		Site:        creds.SiteContentURL,
		Credentials: tableau.PersonalAccessToken{Name: creds.PATName, Secret: creds.PATSecret},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	defer c.Session.SignOut(ctx)

	alerts := make(chan string, 1)
	slackDouble := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var m notify.SlackMessage
		_ = json.NewDecoder(r.Body).Decode(&m)
		alerts <- m.Text
	}))
	defer slackDouble.Close()

	// The receiving side.
	dir, _ := os.MkdirTemp("", "webhooks-example")
	defer os.RemoveAll(dir)
	h, err := webhooks.NewHandler(&webhooks.Options{StorePath: filepath.Join(dir, "events.db"), Token: "a-long-random-secret"})
	if err != nil {
		fmt.Println(err)
		return
	}
	slack, _ := notify.NewSlack(slackDouble.URL, nil) // https://hooks.slack.com/services/… in production
	_ = h.Handle("slack", slack, webhooks.DatasourceRefreshFailed, webhooks.WorkbookRefreshFailed)
	runCtx, stop := context.WithCancel(ctx)
	defer stop()
	go h.Run(runCtx)
	srv := httptest.NewServer(h) // https://your-host/tableau in production
	defer srv.Close()
	defer h.Close(ctx)

	// Tell Tableau where to post.
	dest, _ := webhooks.DestinationURL(srv.URL+"/tableau", "a-long-random-secret")
	hooks, err := webhooks.Subscribe(ctx, c.Webhooks, "alerts", dest, webhooks.DatasourceRefreshFailed, webhooks.WorkbookRefreshFailed)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(len(hooks), "webhooks")

	// A refresh fails on "Tableau"; the alert arrives in "Slack".
	emu.FailRefreshesOf("Datasource 1", "Database server unreachable")
	_, _ = c.Datasources.Refresh(ctx, seed.DatasourceIDs[0], nil)
	fmt.Println(<-alerts)
	// Output:
	// 2 webhooks
	// Data source refresh failed: Datasource 1
}

// ExampleParseSources reads an allow-list of source networks, as a flag
// would give it, for Options.AllowedSources.
func ExampleParseSources() {
	sources, err := webhooks.ParseSources("203.0.113.0/24, 198.51.100.7")
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(sources)
	_, err = webhooks.ParseSources("tableau.example.com")
	fmt.Println(err)
	// Output:
	// [203.0.113.0/24 198.51.100.7/32]
	// webhooks: source "tableau.example.com" is neither an address nor a network like 203.0.113.0/24
}
