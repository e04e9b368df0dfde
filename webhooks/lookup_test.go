package webhooks_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/tableau-go/sdk/webhooks"
)

func TestLookupItemAgainstEmulator(t *testing.T) {
	sess, srv, seed := signIn(t)
	ctx := context.Background()
	site := sess.SiteID()

	wb, err := webhooks.LookupItem(ctx, sess, &webhooks.Event{Type: webhooks.WorkbookCreated, SiteLUID: site, ResourceLUID: seed.WorkbookIDs[0]})
	if err != nil {
		t.Fatal(err)
	}
	if wb.Kind != "workbook" || wb.ID != seed.WorkbookIDs[0] || wb.Name != "Workbook 1" || wb.ProjectName == "" || wb.OwnerName == "" ||
		!strings.HasPrefix(wb.WebpageURL, srv.URL()) || wb.CreatedAt.IsZero() {
		t.Fatalf("workbook %+v", wb)
	}
	ds, err := webhooks.LookupItem(ctx, sess, &webhooks.Event{Type: webhooks.DatasourceRefreshFailed, SiteLUID: site, ResourceLUID: seed.DatasourceIDs[0]})
	if err != nil {
		t.Fatal(err)
	}
	if ds.Kind != "datasource" || ds.Name != "Datasource 1" || ds.ProjectID == "" || !strings.HasPrefix(ds.WebpageURL, "http") {
		t.Fatalf("datasource %+v", ds)
	}
	for _, e := range []*webhooks.Event{
		{Type: webhooks.WorkbookDeleted, SiteLUID: site, ResourceLUID: seed.WorkbookIDs[0]},
		{Type: webhooks.UserDeleted, SiteLUID: site, ResourceLUID: "u"},
		{Type: webhooks.WorkbookUpdated, SiteLUID: site, ResourceLUID: "00000000-0000-4000-8000-000000000000"},
		{Type: webhooks.WorkbookUpdated, SiteLUID: site},
	} {
		if _, err := webhooks.LookupItem(ctx, sess, e); !errors.Is(err, webhooks.ErrNoItem) {
			t.Errorf("%s %q: %v, want ErrNoItem", e.Type, e.ResourceLUID, err)
		}
	}
	srv.Close()
	ctx2, cancel := context.WithTimeout(ctx, 5e9)
	defer cancel()
	_, err = webhooks.LookupItem(ctx2, sess, &webhooks.Event{Type: webhooks.WorkbookCreated, SiteLUID: site, ResourceLUID: seed.WorkbookIDs[0]})
	if err == nil || errors.Is(err, webhooks.ErrNoItem) {
		t.Fatalf("server down: %v, want a retryable error", err)
	}
}
