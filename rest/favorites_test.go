package rest_test

import (
	"bytes"
	"context"
	"errors"
	"image/png"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/tableau-go/sdk/rest"
	"github.com/tableau-go/sdk/tableau"
	"github.com/tableau-go/sdk/tableau/tableautest"
)

func TestFavoritesSubscriptionsAlertsCustomViews(t *testing.T) {
	ctx := context.Background()
	c, srv := newClient(t, nil, nil)
	seed, err := srv.Seed(tableautest.SeedOptions{Workbooks: 2, Datasources: 1})
	if err != nil {
		t.Fatal(err)
	}
	me := c.Session.UserID()
	wb, view := seed.WorkbookIDs[0], seed.ViewIDs[0]

	// Favorites, through c.Favorites and c.Users.
	if _, err := c.Favorites.Add(ctx, me, "workbook", wb, "My workbook"); err != nil {
		t.Fatal(err)
	}
	favs, err := c.Favorites.Add(ctx, me, "view", view, "My view")
	if err != nil || len(favs) != 2 || favs[1].Kind != "view" || favs[1].ID != view || favs[1].Name == "" {
		t.Fatalf("favorites %+v %v", favs, err)
	}
	if _, err := c.Favorites.Add(ctx, me, "view", view, "Again"); !errors.Is(err, tableau.ErrConflict) {
		t.Fatalf("duplicate favorite: %v", err)
	}
	if err := c.Favorites.Delete(ctx, me, "workbook", wb); err != nil {
		t.Fatal(err)
	}
	if favs, _ := c.Users.Favorites(ctx, me); len(favs) != 1 || favs[0].Label != "My view" {
		t.Fatalf("after delete %+v", favs)
	}
	owned, err := c.Users.Workbooks(me, &rest.WorkbooksOptions{OwnedOnly: true}).Collect(ctx)
	if err != nil || len(owned) != 2 {
		t.Fatalf("user's workbooks %d %v", len(owned), err)
	}

	// Subscriptions need a Subscription schedule.
	sched, err := c.Schedules.Create(ctx, rest.ScheduleCreate{Name: "mornings", Type: rest.ScheduleSubscription, Recurrence: rest.DailyRecurrence("07:00:00")})
	if err != nil {
		t.Fatal(err)
	}
	sub, err := c.Subscriptions.Create(ctx, rest.SubscriptionCreate{Subject: "Daily sales", ContentType: "View", ContentID: view, ScheduleID: sched.ID, UserID: me, AttachPdf: true, PageOrientation: "LANDSCAPE"})
	if err != nil || sub.Content.ID != view || !sub.AttachPdf || sub.Schedule.Name != "mornings" {
		t.Fatalf("subscription %+v %v", sub, err)
	}
	on := true
	if s2, err := c.Subscriptions.Update(ctx, sub.ID, rest.SubscriptionUpdate{Suspended: &on}); err != nil || !s2.Suspended {
		t.Fatalf("suspend %+v %v", s2, err)
	}
	extract, _ := c.Schedules.Create(ctx, rest.ScheduleCreate{Name: "extracts", Type: rest.ScheduleExtract, Recurrence: rest.DailyRecurrence("01:00:00")})
	if _, err := c.Subscriptions.Create(ctx, rest.SubscriptionCreate{Subject: "x", ContentType: "View", ContentID: view, ScheduleID: extract.ID, UserID: me}); !errors.Is(err, tableau.ErrBadRequest) {
		t.Fatalf("subscription on an extract schedule: %v", err)
	}
	if subs, err := c.Subscriptions.List(nil).Collect(ctx); err != nil || len(subs) != 1 {
		t.Fatalf("list %d %v", len(subs), err)
	}
	if err := c.Subscriptions.Delete(ctx, sub.ID); err != nil {
		t.Fatal(err)
	}

	// Data-driven alerts.
	other, _ := c.Users.Add(ctx, rest.UserAdd{Name: "colleague", SiteRole: rest.RoleViewer})
	alert, err := c.DataAlerts.Create(ctx, rest.DataAlertCreate{ViewID: view, Subject: "Sales dropped", Condition: "below", Threshold: "100", Frequency: "daily", Public: true})
	if err != nil || alert.View.ID != view || len(alert.Recipients) != 1 {
		t.Fatalf("alert %+v %v", alert, err)
	}
	if a, err := c.DataAlerts.AddUser(ctx, alert.ID, other.ID); err != nil || len(a.Recipients) != 2 {
		t.Fatalf("add recipient %+v %v", a, err)
	}
	if err := c.DataAlerts.RemoveUser(ctx, alert.ID, other.ID); err != nil {
		t.Fatal(err)
	}
	subj := "Sales dropped a lot"
	if a, err := c.DataAlerts.Update(ctx, alert.ID, rest.DataAlertUpdate{Subject: &subj}); err != nil || a.Subject != subj {
		t.Fatalf("update alert %+v %v", a, err)
	}
	if err := c.DataAlerts.Delete(ctx, alert.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := c.DataAlerts.Get(ctx, alert.ID); !errors.Is(err, tableau.ErrNotFound) {
		t.Fatalf("deleted alert: %v", err)
	}

	// Custom views: publish, image, data, download, rename, delete.
	cv, err := c.CustomViews.Publish(ctx, rest.CustomViewPublish{Name: "Only EMEA", WorkbookID: wb, Shared: true, Definition: []byte(`{"filters":["EMEA"]}`)})
	if err != nil || cv.Workbook.ID != wb || cv.View.ID != view || !cv.Shared {
		t.Fatalf("custom view %+v %v", cv, err)
	}
	img, err := c.CustomViews.Image(ctx, cv.ID, &rest.CustomViewImageOptions{Width: 400, Height: 300})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := png.Decode(bytes.NewReader(img)); err != nil {
		t.Fatalf("image is not a PNG: %v", err)
	}
	data, err := c.CustomViews.Data(ctx, cv.ID)
	if err != nil || !strings.Contains(string(data), ",") {
		t.Fatalf("data %q %v", data, err)
	}
	pdf, err := c.CustomViews.PDF(ctx, cv.ID, &rest.CustomViewPDFOptions{PageType: "A4", Orientation: "Landscape", Language: "fr"})
	if err != nil || !bytes.HasPrefix(pdf, []byte("%PDF-")) || !bytes.Contains(pdf, []byte("/Lang (fr)")) {
		t.Fatalf("pdf %.20q %v", pdf, err)
	}
	if _, err := c.CustomViews.Image(ctx, cv.ID, &rest.CustomViewImageOptions{Language: "tlh"}); !errors.Is(err, tableau.ErrBadRequest) {
		t.Fatalf("image in a language Tableau lacks: %v", err)
	}
	if _, err := c.CustomViews.PDF(ctx, cv.ID, &rest.CustomViewPDFOptions{Language: "not a tag"}); !errors.Is(err, tableau.ErrInvalidArgument) {
		t.Fatalf("pdf language that is not a tag: %v", err)
	}
	def, err := c.CustomViews.Download(ctx, cv.ID)
	if err != nil || string(def) != `{"filters":["EMEA"]}` {
		t.Fatalf("download %q %v", def, err)
	}
	name := "EMEA only"
	if got, err := c.CustomViews.Update(ctx, cv.ID, rest.CustomViewUpdate{Name: &name}); err != nil || got.Name != name {
		t.Fatalf("rename %+v %v", got, err)
	}
	if list, err := c.CustomViews.List(nil).Collect(ctx); err != nil || len(list) != 1 {
		t.Fatalf("list %d %v", len(list), err)
	}
	if err := c.CustomViews.Delete(ctx, cv.ID); err != nil {
		t.Fatal(err)
	}
}

func TestTagsBatchAndDataQualityWarnings(t *testing.T) {
	ctx := context.Background()
	c, srv := newClient(t, nil, nil)
	srv.SetWebhookRetry(1, 0)
	seed, err := srv.Seed(tableautest.SeedOptions{Workbooks: 1, Datasources: 1})
	if err != nil {
		t.Fatal(err)
	}
	items := []rest.Tagged{{Kind: "workbook", ID: seed.WorkbookIDs[0]}, {Kind: "datasource", ID: seed.DatasourceIDs[0]}, {Kind: "view", ID: seed.ViewIDs[0]}}
	if err := c.Tags.Add(ctx, []string{"finance", "q3"}, items...); err != nil {
		t.Fatal(err)
	}
	wbs, err := c.Workbooks.List(&tableau.ListOptions{Filters: []tableau.Filter{tableau.Eq("tags", "finance")}}).Collect(ctx)
	if err != nil || len(wbs) != 1 {
		t.Fatalf("tagged workbooks %d %v", len(wbs), err)
	}
	if err := c.Tags.Remove(ctx, []string{"q3"}, items...); err != nil {
		t.Fatal(err)
	}
	if err := c.Tags.Add(ctx, []string{"x"}, rest.Tagged{Kind: "workbook", ID: "00000000-0000-4000-8000-000000000000"}); !errors.Is(err, tableau.ErrNotFound) {
		t.Fatalf("tagging a missing workbook: %v", err)
	}
	if err := c.Tags.Add(ctx, []string{"a,b"}, items...); !errors.Is(err, tableau.ErrInvalidArgument) {
		t.Fatalf("comma in a tag: %v", err)
	}

	// Data quality warnings fire label webhooks.
	hook := newHookRecorder(t)
	if _, err := c.Webhooks.Create(ctx, rest.WebhookCreate{Name: "labels", Event: "LabelCreated", URL: hook.URL, Destination: loopback}); err != nil {
		t.Fatal(err)
	}
	ds := seed.DatasourceIDs[0]
	w, err := c.DataQualityWarnings.Add(ctx, "datasource", ds, rest.DQWSpec{Type: rest.DQWStaleData, Message: "Refresh failed yesterday", Severe: true})
	if err != nil || !w.Active || !w.Severe || w.Content.ID != ds {
		t.Fatalf("add %+v %v", w, err)
	}
	if _, err := c.DataQualityWarnings.Update(ctx, w.ID, rest.DQWSpec{Type: rest.DQWDeprecated, Inactive: true}); err != nil {
		t.Fatal(err)
	}
	got, err := c.DataQualityWarnings.Get(ctx, w.ID)
	if err != nil || got.Type != rest.DQWDeprecated || got.Active {
		t.Fatalf("get %+v %v", got, err)
	}
	list, err := c.DataQualityWarnings.List(ctx, "datasource", ds)
	if err != nil || len(list) != 1 {
		t.Fatalf("list %d %v", len(list), err)
	}
	if err := c.DataQualityWarnings.DeleteAll(ctx, "datasource", ds); err != nil {
		t.Fatal(err)
	}
	if list, _ := c.DataQualityWarnings.List(ctx, "datasource", ds); len(list) != 0 {
		t.Fatalf("after delete %d", len(list))
	}
	if _, err := c.DataQualityWarnings.Add(ctx, "workbook", "x", rest.DQWSpec{Type: rest.DQWWarning}); !errors.Is(err, tableau.ErrInvalidArgument) {
		t.Fatalf("warning on a workbook: %v", err)
	}
	wctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	if err := srv.WaitWebhooks(wctx); err != nil {
		t.Fatal(err)
	}
	if ev := hook.events(); !slices.Contains(ev, "LabelCreated") {
		t.Errorf("label webhook deliveries %v", ev)
	}
}
