package rest_test

import (
	"context"
	"errors"
	"testing"

	"github.com/tableau-go/sdk/rest"
	"github.com/tableau-go/sdk/tableau"
	"github.com/tableau-go/sdk/tableau/tableautest"
)

func TestVirtualConnectionsCatalogMetricsSettings(t *testing.T) {
	ctx := context.Background()
	c, srv := newClient(t, nil, nil)
	seed, err := srv.Seed(tableautest.SeedOptions{Projects: 1, Workbooks: 1})
	if err != nil {
		t.Fatal(err)
	}
	proj := seed.ProjectIDs[0]
	g, _ := c.Groups.Create(ctx, rest.GroupCreate{Name: "Analysts"})

	// Virtual connections.
	vc, err := c.VirtualConnections.Publish(ctx, rest.VirtualConnectionPublish{Name: "Warehouse", ProjectID: proj,
		Content: `{"connections":[{"dbClass":"postgres","server":"wh.example.com","port":"5432","username":"reader"}]}`})
	if err != nil {
		t.Fatal(err)
	}
	got, err := c.VirtualConnections.Get(ctx, vc.ID)
	if err != nil || got.Content == "" || got.Project.ID != proj {
		t.Fatalf("get %+v %v", got, err)
	}
	conns, err := c.VirtualConnections.Connections(ctx, vc.ID)
	if err != nil || len(conns) != 1 || conns[0].Server != "wh.example.com" {
		t.Fatalf("connections %+v %v", conns, err)
	}
	port := "6543"
	if cn, err := c.VirtualConnections.UpdateConnection(ctx, vc.ID, conns[0].ID, rest.ConnectionUpdate{ServerPort: &port}); err != nil || cn.Port != port {
		t.Fatalf("update connection %+v %v", cn, err)
	}
	yes := true
	if u, err := c.VirtualConnections.Update(ctx, vc.ID, rest.VirtualConnectionUpdate{Certified: &yes}); err != nil || !u.IsCertified {
		t.Fatalf("certify %+v %v", u, err)
	}
	if _, err := c.Permissions.Add(ctx, rest.ContentVirtualConnections, vc.ID, rest.Rule{GranteeKind: rest.GranteeGroup, GranteeID: g.ID, Capabilities: map[string]string{"Connect": rest.Allow}}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.VirtualConnections.Publish(ctx, rest.VirtualConnectionPublish{Name: "x", ProjectID: proj, Content: "{not json"}); !errors.Is(err, tableau.ErrInvalidArgument) {
		t.Fatalf("bad JSON: %v", err)
	}
	if list, err := c.VirtualConnections.List(nil).Collect(ctx); err != nil || len(list) != 1 {
		t.Fatalf("list %d %v", len(list), err)
	}
	if err := c.VirtualConnections.Delete(ctx, vc.ID); err != nil {
		t.Fatal(err)
	}

	// Databases and tables, with permissions, tags and warnings.
	dbID, tableIDs, err := srv.AddDatabase("", "sales", "postgres", "orders", "customers")
	if err != nil {
		t.Fatal(err)
	}
	dbs, err := c.Databases.List(nil).Collect(ctx)
	if err != nil || len(dbs) != 1 || dbs[0].ConnectionType != "postgres" {
		t.Fatalf("databases %+v %v", dbs, err)
	}
	note := "Curated by data engineering"
	me := c.Session.UserID()
	db, err := c.Databases.Update(ctx, dbID, rest.AssetUpdate{Certified: &yes, CertificationNote: &note, ContactID: &me})
	if err != nil || !db.IsCertified || db.Contact.ID != me {
		t.Fatalf("certify database %+v %v", db, err)
	}
	tbl, err := c.Tables.Get(ctx, tableIDs[0])
	if err != nil || tbl.Name != "orders" {
		t.Fatalf("table %+v %v", tbl, err)
	}
	cols, err := c.Tables.Columns(tableIDs[0], nil).Collect(ctx)
	if err != nil || len(cols) != 2 {
		t.Fatalf("columns %+v %v", cols, err)
	}
	if col, err := c.Tables.UpdateColumn(ctx, tableIDs[0], cols[0].ID, "Order number"); err != nil || col.Description != "Order number" {
		t.Fatalf("column %+v %v", col, err)
	}
	if err := c.Tables.DeleteColumn(ctx, tableIDs[0], cols[1].ID); err != nil {
		t.Fatal(err)
	}
	for _, ct := range []struct {
		ct rest.ContentType
		id string
	}{{rest.ContentDatabases, dbID}, {rest.ContentTables, tableIDs[0]}} {
		if _, err := c.Permissions.Add(ctx, ct.ct, ct.id, rest.Rule{GranteeKind: rest.GranteeGroup, GranteeID: g.ID, Capabilities: map[string]string{"Read": rest.Allow}}); err != nil {
			t.Fatalf("%s permissions: %v", ct.ct, err)
		}
	}
	if err := c.Tags.Add(ctx, []string{"pii"}, rest.Tagged{Kind: "table", ID: tableIDs[1]}, rest.Tagged{Kind: "database", ID: dbID}); err != nil {
		t.Fatal(err)
	}
	if tb, _ := c.Tables.Get(ctx, tableIDs[1]); len(tb.Tags) != 1 || tb.Tags[0].Label != "pii" {
		t.Fatalf("table tags %+v", tb.Tags)
	}
	if _, err := c.DataQualityWarnings.Add(ctx, "table", tableIDs[0], rest.DQWSpec{Type: rest.DQWSensitiveData}); err != nil {
		t.Fatal(err)
	}
	if err := c.Databases.Delete(ctx, dbID); err != nil {
		t.Fatal(err)
	}
	if tables, _ := c.Tables.List(nil).Collect(ctx); len(tables) != 0 {
		t.Fatalf("tables of a deleted database remain: %d", len(tables))
	}

	// Metrics.
	mid, err := srv.AddMetric("", proj, "Revenue", seed.ViewIDs[0])
	if err != nil {
		t.Fatal(err)
	}
	if m, err := c.Metrics.Get(ctx, mid); err != nil || m.UnderlyingView.ID != seed.ViewIDs[0] {
		t.Fatalf("metric %+v %v", m, err)
	}
	if m, err := c.Metrics.Update(ctx, mid, rest.MetricUpdate{Suspended: &yes}); err != nil || !m.Suspended {
		t.Fatalf("suspend metric %+v %v", m, err)
	}
	if list, err := c.Metrics.List(nil).Collect(ctx); err != nil || len(list) != 1 {
		t.Fatalf("metrics %d %v", len(list), err)
	}
	if err := c.Metrics.Delete(ctx, mid); err != nil {
		t.Fatal(err)
	}

	// Extension settings.
	x, err := c.SiteSettings.SetExtensions(ctx, rest.SiteExtensions{Enabled: true, UseDefaultSetting: false,
		SafeList: []rest.SafeExtension{{URL: "https://ext.example.com/viz", FullDataAllowed: true}}})
	if err != nil || len(x.SafeList) != 1 || !x.SafeList[0].FullDataAllowed {
		t.Fatalf("set extensions %+v %v", x, err)
	}
	if x, err := c.SiteSettings.Extensions(ctx); err != nil || x.UseDefaultSetting || x.SafeList[0].URL != "https://ext.example.com/viz" {
		t.Fatalf("extensions %+v %v", x, err)
	}
	if _, err := c.SiteSettings.SetExtensions(ctx, rest.SiteExtensions{SafeList: []rest.SafeExtension{{URL: "http://insecure.example.com"}}}); !errors.Is(err, tableau.ErrInvalidArgument) {
		t.Fatalf("insecure safe-list URL: %v", err)
	}
	sx, err := c.SiteSettings.SetServerExtensions(ctx, rest.ServerExtensions{Enabled: true, BlockList: []string{"https://bad.example.com"}})
	if err != nil || len(sx.BlockList) != 1 {
		t.Fatalf("server extensions %+v %v", sx, err)
	}
	if sx, err := c.SiteSettings.ServerExtensions(ctx); err != nil || !sx.Enabled || sx.BlockList[0] != "https://bad.example.com" {
		t.Fatalf("server extensions %+v %v", sx, err)
	}
}
