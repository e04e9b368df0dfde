package webhooks_test

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/tableau-go/sdk/tableau"
	"github.com/tableau-go/sdk/tableau/tableautest"
	"github.com/tableau-go/sdk/webhooks"
)

// signIn starts the emulator, seeds it and signs in to its default site.
func signIn(t *testing.T) (*tableau.Session, *tableautest.Server, tableautest.SeedResult) {
	t.Helper()
	srv := tableautest.NewTestServer(t, nil)
	seed, err := srv.Seed(tableautest.SeedOptions{Workbooks: 1, Datasources: 1})
	if err != nil {
		t.Fatal(err)
	}
	creds := srv.Credentials()
	sess, err := tableau.NewSession(tableau.Config{
		Server:      srv.URL(),
		Site:        creds.SiteContentURL,
		Credentials: tableau.PersonalAccessToken{Name: creds.PATName, Secret: creds.PATSecret},
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := sess.SignIn(context.Background()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = sess.SignOut(context.Background()) })
	return sess, srv, seed
}

func TestSessionConfirmerAgainstEmulator(t *testing.T) {
	sess, _, seed := signIn(t)
	c := &webhooks.SessionConfirmer{Session: sess}
	site := sess.SiteID()
	ev := func(typ webhooks.EventType, site, luid string) *webhooks.Event {
		return &webhooks.Event{Type: typ, SiteLUID: site, ResourceLUID: luid}
	}
	missing := "00000000-0000-4000-8000-000000000000"
	cases := []struct {
		name string
		e    *webhooks.Event
		want string // "ok", "refused" or "error"
	}{
		{"datasource refresh failed, datasource exists", ev(webhooks.DatasourceRefreshFailed, site, seed.DatasourceIDs[0]), "ok"},
		{"workbook created, workbook exists", ev(webhooks.WorkbookCreated, site, seed.WorkbookIDs[0]), "ok"},
		{"forged datasource", ev(webhooks.DatasourceRefreshFailed, site, missing), "refused"},
		{"forged workbook", ev(webhooks.WorkbookUpdated, site, missing), "refused"},
		{"workbook deleted but still there", ev(webhooks.WorkbookDeleted, site, seed.WorkbookIDs[0]), "refused"},
		{"datasource deleted and gone", ev(webhooks.DatasourceDeleted, site, missing), "ok"},
		{"view deleted and gone", ev(webhooks.ViewDeleted, site, missing), "ok"},
		{"view deleted but still there", ev(webhooks.ViewDeleted, site, seed.ViewIDs[0]), "refused"},
		{"site updated, site exists", ev(webhooks.SiteUpdated, site, site), "ok"},
		{"other site", ev(webhooks.WorkbookCreated, missing, seed.WorkbookIDs[0]), "refused"},
		{"no resource", ev(webhooks.WorkbookCreated, site, ""), "refused"},
		{"user event is not checkable", ev(webhooks.UserDeleted, site, missing), "ok"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			err := c.Confirm(context.Background(), tc.e)
			got := "ok"
			if errors.Is(err, webhooks.ErrNotConfirmed) {
				got = "refused"
			} else if err != nil {
				got = "error"
			}
			if got != tc.want {
				t.Fatalf("got %s (%v), want %s", got, err, tc.want)
			}
		})
	}
	strict := &webhooks.SessionConfirmer{Session: sess, RejectUnverifiable: true}
	if err := strict.Confirm(context.Background(), ev(webhooks.AdminPromoted, site, missing)); !errors.Is(err, webhooks.ErrNotConfirmed) {
		t.Fatalf("strict: %v", err)
	}
}

func TestSessionConfirmerInHandler(t *testing.T) {
	sess, srv, seed := signIn(t)
	opts := newOptions(t)
	opts.Confirmer = &webhooks.SessionConfirmer{Session: sess}
	rec := &recorder{}
	ts := start(t, opts, func(h *webhooks.Handler) { must(t, h.Handle("r", rec)) })
	body := func(luid string) string {
		return fmt.Sprintf(`{"resource":"DATASOURCE","event_type":"DatasourceRefreshFailed","resource_name":"Datasource 1","site_luid":%q,"resource_luid":%q,"created_at":"2026-12-03T10:00:00Z"}`, sess.SiteID(), luid)
	}
	if code, b := post(t, ts.url, "application/json", body(seed.DatasourceIDs[0])); code != 200 {
		t.Fatalf("real event: %d %s", code, b)
	}
	if code, _ := post(t, ts.url, "application/json", body("00000000-0000-4000-8000-000000000001")); code != 403 {
		t.Fatalf("forged event: %d", code)
	}
	// Tableau unreachable: 503 so that Tableau delivers again later.
	srv.Close()
	if code, _ := post(t, ts.url, "application/json", body(seed.DatasourceIDs[0]+"x")); code != 503 {
		t.Fatalf("emulator down: %d", code)
	}
	waitFor(t, "the real event", func() bool { return len(rec.events()) == 1 })
}
