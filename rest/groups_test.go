package rest_test

import (
	"context"
	"errors"
	"slices"
	"testing"

	"github.com/tableau-go/sdk/rest"
	"github.com/tableau-go/sdk/tableau"
)

func userIDs(t *testing.T, c *rest.Client, names ...string) []string {
	t.Helper()
	var ids []string
	for _, n := range names {
		u, err := c.Users.Add(context.Background(), rest.UserAdd{Name: n, SiteRole: rest.RoleViewer})
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, u.ID)
	}
	return ids
}

func memberNames(t *testing.T, c *rest.Client, groupID string) []string {
	t.Helper()
	users, err := c.Groups.Users(groupID, &tableau.ListOptions{Sorts: []tableau.Sort{tableau.Asc("name")}}).Collect(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, u := range users {
		out = append(out, u.Name)
	}
	return out
}

func TestGroupsLocalAndMembers(t *testing.T) {
	ctx := context.Background()
	c, srv := newClient(t, nil, nil)
	ids := userIDs(t, c, "u1", "u2", "u3")
	g, err := c.Groups.Create(ctx, rest.GroupCreate{Name: "Analysts", MinimumSiteRole: rest.RoleExplorer})
	if err != nil {
		t.Fatal(err)
	}
	if !g.Local() || g.MinimumSiteRole != rest.RoleExplorer {
		t.Fatalf("created %+v", g)
	}
	u, err := c.Groups.AddUser(ctx, g.ID, ids[0])
	if err != nil || u.SiteRole != rest.RoleExplorer {
		t.Fatalf("add user %+v %v", u, err)
	}
	added, err := c.Groups.AddUsers(ctx, g.ID, ids[1:])
	if err != nil || len(added) != 2 {
		t.Fatalf("add users %+v %v", added, err)
	}
	if _, err := c.Groups.AddUsers(ctx, g.ID, ids[:1]); !errors.Is(err, tableau.ErrConflict) {
		t.Fatalf("adding a member again: %v", err)
	}
	if got := memberNames(t, c, g.ID); !slices.Equal(got, []string{"u1", "u2", "u3"}) {
		t.Fatalf("members %v", got)
	}
	if err := c.Groups.RemoveUsers(ctx, g.ID, ids[:2]); err != nil {
		t.Fatal(err)
	}
	if err := c.Groups.RemoveUser(ctx, g.ID, ids[2]); err != nil {
		t.Fatal(err)
	}
	if got := memberNames(t, c, g.ID); len(got) != 0 {
		t.Fatalf("members after removal %v", got)
	}
	name := "Analysts EU"
	g2, err := c.Groups.Update(ctx, g.ID, rest.GroupUpdate{Name: &name})
	if err != nil || g2.Name != name {
		t.Fatalf("update %+v %v", g2, err)
	}
	found, err := c.Groups.GetByName(ctx, "analysts eu")
	if err != nil || found.ID != g.ID {
		t.Fatalf("by name %+v %v", found, err)
	}
	counted, err := c.Groups.List(&tableau.ListOptions{Fields: []string{tableau.FieldsAll}, Filters: []tableau.Filter{tableau.Eq("name", "All Users")}}).Collect(ctx)
	if err != nil || len(counted) != 1 || counted[0].UserCount != 4 {
		t.Fatalf("All Users %+v %v", counted, err)
	}
	if err := c.Groups.Delete(ctx, g.ID); err != nil {
		t.Fatal(err)
	}
	before := srv.Stats().Requests
	for i, err := range []error{
		func() error { _, err := c.Groups.Create(ctx, rest.GroupCreate{Name: " "}); return err }(),
		func() error {
			_, err := c.Groups.Create(ctx, rest.GroupCreate{Name: "x", MinimumSiteRole: "God"})
			return err
		}(),
		func() error { _, err := c.Groups.AddUsers(ctx, "g", []string{"a", "a"}); return err }(),
		c.Groups.RemoveUsers(ctx, "g", nil),
		func() error { _, err := c.Groups.ImportAD(ctx, rest.ADGroup{Name: "x"}); return err }(),
		func() error {
			_, err := c.Groups.ImportAD(ctx, rest.ADGroup{Name: "x", Domain: "d", GrantLicenseMode: "never"})
			return err
		}(),
	} {
		if !errors.Is(err, tableau.ErrInvalidArgument) {
			t.Errorf("check %d: %v", i, err)
		}
	}
	if n := srv.Stats().Requests - before; n != 0 {
		t.Errorf("%d requests for invalid input", n)
	}
}

func TestGroupsActiveDirectory(t *testing.T) {
	ctx := context.Background()
	c, srv := newClient(t, nil, nil)
	srv.SetDirectoryGroup("example.com", "Sales", "ann", "ben")
	job, err := c.Groups.ImportADAsJob(ctx, rest.ADGroup{Name: "Sales", Domain: "example.com", SiteRole: rest.RoleExplorer, GrantLicenseMode: "onSync"})
	if err != nil || !job.Succeeded() {
		t.Fatalf("import job %+v %v", job, err)
	}
	g, err := c.Groups.GetByName(ctx, "Sales")
	if err != nil || g.Local() || g.Import == nil || g.Import.SiteRole != rest.RoleExplorer {
		t.Fatalf("AD group %+v %v", g, err)
	}
	if got := memberNames(t, c, g.ID); !slices.Equal(got, []string{`example.com\ann`, `example.com\ben`}) {
		t.Fatalf("members %v", got)
	}
	srv.SetDirectoryGroup("example.com", "Sales", "cat")
	if _, err := c.Groups.SyncAD(ctx, g.ID, rest.ADGroup{Name: "Sales", Domain: "example.com", SiteRole: rest.RoleExplorer}); err != nil {
		t.Fatal(err)
	}
	if got := memberNames(t, c, g.ID); !slices.Equal(got, []string{`example.com\cat`}) {
		t.Fatalf("members after sync %v", got)
	}
	if _, err := c.Groups.ImportAD(ctx, rest.ADGroup{Name: "Nobody", Domain: "example.com"}); !errors.Is(err, tableau.ErrNotFound) {
		t.Fatalf("missing directory group: %v", err)
	}
}

func TestGroupSets(t *testing.T) {
	ctx := context.Background()
	c, _ := newClient(t, nil, nil)
	a, _ := c.Groups.Create(ctx, rest.GroupCreate{Name: "A"})
	b, _ := c.Groups.Create(ctx, rest.GroupCreate{Name: "B"})
	gs, err := c.GroupSets.Create(ctx, "Both")
	if err != nil {
		t.Fatal(err)
	}
	for _, g := range []*rest.Group{a, b} {
		if err := c.GroupSets.AddGroup(ctx, gs.ID, g.ID); err != nil {
			t.Fatal(err)
		}
	}
	got, err := c.GroupSets.Get(ctx, gs.ID)
	if err != nil || got.GroupCount != 2 || len(got.Groups) != 2 {
		t.Fatalf("get %+v %v", got, err)
	}
	if err := c.GroupSets.RemoveGroup(ctx, gs.ID, a.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := c.GroupSets.Rename(ctx, gs.ID, "Just B"); err != nil {
		t.Fatal(err)
	}
	all, err := c.GroupSets.List(nil).Collect(ctx)
	if err != nil || len(all) != 1 || all[0].Name != "Just B" || all[0].GroupCount != 1 {
		t.Fatalf("list %+v %v", all, err)
	}
	if err := c.GroupSets.Delete(ctx, gs.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := c.GroupSets.Get(ctx, gs.ID); !errors.Is(err, tableau.ErrNotFound) {
		t.Fatalf("after delete: %v", err)
	}
}
