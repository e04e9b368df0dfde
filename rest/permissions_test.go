package rest_test

import (
	"context"
	"errors"
	"testing"

	"github.com/tableau-go/sdk/rest"
	"github.com/tableau-go/sdk/tableau"
	"github.com/tableau-go/sdk/tableau/tableautest"
)

func TestPermissionsEveryContentType(t *testing.T) {
	ctx := context.Background()
	c, srv := newClient(t, nil, nil)
	seed, err := srv.Seed(tableautest.SeedOptions{Projects: 1, Workbooks: 1, Datasources: 1})
	if err != nil {
		t.Fatal(err)
	}
	g, _ := c.Groups.Create(ctx, rest.GroupCreate{Name: "Readers"})
	u, _ := c.Users.Add(ctx, rest.UserAdd{Name: "pat", SiteRole: rest.RoleCreator})
	items := []struct {
		ct  rest.ContentType
		id  string
		cap string
	}{
		{rest.ContentProjects, seed.ProjectIDs[0], "Write"},
		{rest.ContentWorkbooks, seed.WorkbookIDs[0], "ExportData"},
		{rest.ContentDatasources, seed.DatasourceIDs[0], "Connect"},
		{rest.ContentViews, seed.ViewIDs[0], "ExportImage"},
	}
	for _, it := range items {
		rules := []rest.Rule{
			{GranteeKind: rest.GranteeGroup, GranteeID: g.ID, Capabilities: map[string]string{"Read": rest.Allow, it.cap: rest.Deny}},
			{GranteeKind: rest.GranteeUser, GranteeID: u.ID, Capabilities: map[string]string{it.cap: rest.Allow}},
		}
		if _, err := c.Permissions.Add(ctx, it.ct, it.id, rules...); err != nil {
			t.Fatalf("%s: %v", it.ct, err)
		}
		p, err := c.Permissions.List(ctx, it.ct, it.id)
		if err != nil {
			t.Fatal(err)
		}
		if p.ItemID != it.id || len(p.Rules) != 2 || p.Rules[0].Capabilities[it.cap] != rest.Deny || p.Rules[1].GranteeKind != rest.GranteeUser {
			t.Fatalf("%s: %+v", it.ct, p)
		}
		if err := c.Permissions.Delete(ctx, it.ct, it.id, rules[0]); err != nil {
			t.Fatal(err)
		}
		p, _ = c.Permissions.List(ctx, it.ct, it.id)
		if len(p.Rules) != 1 || p.Rules[0].GranteeID != u.ID {
			t.Fatalf("%s after delete: %+v", it.ct, p)
		}
	}
	// Project defaults per content type.
	proj := seed.ProjectIDs[0]
	for _, ct := range []rest.ContentType{rest.ContentWorkbooks, rest.ContentDatasources, rest.ContentFlows, rest.ContentVirtualConnections, rest.ContentTables, rest.ContentDatabases, rest.ContentMetrics, rest.ContentLenses, rest.ContentDataRoles} {
		r := rest.Rule{GranteeKind: rest.GranteeGroup, GranteeID: g.ID, Capabilities: map[string]string{"Read": rest.Allow}}
		if _, err := c.Permissions.AddDefault(ctx, proj, ct, r); err != nil {
			t.Fatalf("default %s: %v", ct, err)
		}
		p, err := c.Permissions.ListDefault(ctx, proj, ct)
		if err != nil || len(p.Rules) != 1 || p.ItemID != proj {
			t.Fatalf("default %s: %+v %v", ct, p, err)
		}
		if err := c.Permissions.DeleteDefault(ctx, proj, ct, r); err != nil {
			t.Fatal(err)
		}
	}
	before := srv.Stats().Requests
	bad := rest.Rule{GranteeKind: rest.GranteeGroup, GranteeID: g.ID, Capabilities: map[string]string{"ExportImage": rest.Allow}}
	for i, err := range []error{
		func() error { _, err := c.Permissions.Add(ctx, rest.ContentDatasources, "x", bad); return err }(),
		func() error {
			_, err := c.Permissions.Add(ctx, rest.ContentWorkbooks, "x", rest.Rule{GranteeKind: "robot", GranteeID: "r", Capabilities: map[string]string{"Read": rest.Allow}})
			return err
		}(),
		func() error {
			_, err := c.Permissions.Add(ctx, rest.ContentWorkbooks, "x", rest.Rule{GranteeKind: rest.GranteeUser, GranteeID: "r", Capabilities: map[string]string{"Read": "Maybe"}})
			return err
		}(),
		func() error { _, err := c.Permissions.List(ctx, "pizzas", "x"); return err }(),
		func() error { _, err := c.Permissions.ListDefault(ctx, proj, rest.ContentProjects); return err }(),
		func() error { _, err := c.Permissions.Add(ctx, rest.ContentWorkbooks, "x"); return err }(),
	} {
		if !errors.Is(err, tableau.ErrInvalidArgument) {
			t.Errorf("check %d: %v", i, err)
		}
	}
	if n := srv.Stats().Requests - before; n != 0 {
		t.Errorf("%d requests for invalid input", n)
	}
	if _, err := c.Permissions.List(ctx, rest.ContentWorkbooks, "00000000-0000-4000-8000-000000000000"); !errors.Is(err, tableau.ErrNotFound) {
		t.Errorf("missing workbook: %v", err)
	}
}
