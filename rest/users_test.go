package rest_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/tableau-go/sdk/rest"
	"github.com/tableau-go/sdk/tableau"
)

func strp(s string) *string { return &s }

func TestUsersLifecycle(t *testing.T) {
	ctx := context.Background()
	c, _ := newClient(t, nil, nil)
	u, err := c.Users.Add(ctx, rest.UserAdd{Name: "alice", SiteRole: rest.RoleExplorer})
	if err != nil {
		t.Fatal(err)
	}
	if u.ID == "" || u.SiteRole != rest.RoleExplorer || u.AuthSetting != rest.AuthServerDefault {
		t.Fatalf("added %+v", u)
	}
	if _, err := c.Users.Add(ctx, rest.UserAdd{Name: "Alice", SiteRole: rest.RoleViewer}); !errors.Is(err, tableau.ErrConflict) {
		t.Fatalf("duplicate: %v", err)
	}
	upd, err := c.Users.Update(ctx, u.ID, rest.UserUpdate{FullName: strp("Alice Liddell"), Email: strp("alice@example.com"), SiteRole: strp(rest.RoleCreator)})
	if err != nil {
		t.Fatal(err)
	}
	if upd.FullName != "Alice Liddell" || upd.SiteRole != rest.RoleCreator || upd.ID != u.ID {
		t.Fatalf("updated %+v", upd)
	}
	got, err := c.Users.Get(ctx, u.ID)
	if err != nil || got.Email != "alice@example.com" || got.Domain.Name != "local" {
		t.Fatalf("get %+v %v", got, err)
	}
	byName, err := c.Users.GetByName(ctx, "ALICE")
	if err != nil || byName.ID != u.ID || byName.Email != "alice@example.com" {
		t.Fatalf("by name %+v %v", byName, err)
	}
	if _, err := c.Users.Add(ctx, rest.UserAdd{Name: "bob", SiteRole: rest.RoleViewer}); err != nil {
		t.Fatal(err)
	}
	viewers, err := c.Users.List(&tableau.ListOptions{Filters: []tableau.Filter{tableau.Eq("siteRole", rest.RoleViewer)}}).Collect(ctx)
	if err != nil || len(viewers) != 1 || viewers[0].Name != "bob" {
		t.Fatalf("viewers %+v %v", viewers, err)
	}
	all, err := c.Users.List(&tableau.ListOptions{Sorts: []tableau.Sort{tableau.Asc("name")}, PageSize: 1, Fields: []string{tableau.FieldsDefault, "email"}}).Collect(ctx)
	if err != nil || len(all) != 3 || all[1].Name != "alice" || all[1].Email != "alice@example.com" {
		t.Fatalf("all %+v %v", all, err)
	}
	groups, err := c.Users.Groups(u.ID, nil).Collect(ctx)
	if err != nil || len(groups) != 1 || groups[0].Name != "All Users" {
		t.Fatalf("groups %+v %v", groups, err)
	}
	if err := c.Users.Remove(ctx, u.ID, nil); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Users.Get(ctx, u.ID); !errors.Is(err, tableau.ErrNotFound) {
		t.Fatalf("after remove: %v", err)
	}
}

func TestUsersValidateBeforeRequest(t *testing.T) {
	ctx := context.Background()
	c, srv := newClient(t, nil, nil)
	before := srv.Stats().Requests
	checks := []error{
		func() error { _, err := c.Users.Add(ctx, rest.UserAdd{Name: "x", SiteRole: "Boss"}); return err }(),
		func() error { _, err := c.Users.Add(ctx, rest.UserAdd{SiteRole: rest.RoleViewer}); return err }(),
		func() error {
			_, err := c.Users.Add(ctx, rest.UserAdd{Name: "x", SiteRole: rest.RoleViewer, AuthSetting: "Kerberos"})
			return err
		}(),
		func() error { _, err := c.Users.Update(ctx, "id", rest.UserUpdate{Email: strp("nope")}); return err }(),
		func() error { _, err := c.Users.Get(ctx, ""); return err }(),
		c.Users.Remove(ctx, "a", &rest.RemoveOptions{MapAssetsTo: "a"}),
		func() error {
			_, err := c.Users.Import(ctx, []rest.UserImport{{Name: "x", SiteRole: rest.RoleReadOnly}})
			return err
		}(),
		func() error {
			_, err := c.Users.Import(ctx, []rest.UserImport{{Name: "x", SiteRole: rest.RoleViewer}, {Name: "X", SiteRole: rest.RoleViewer}})
			return err
		}(),
		func() error { _, err := c.Users.RemoveByName(ctx, []string{"a\nb"}); return err }(),
	}
	for i, err := range checks {
		if !errors.Is(err, tableau.ErrInvalidArgument) {
			t.Errorf("check %d: %v", i, err)
		}
	}
	if n := srv.Stats().Requests - before; n != 0 {
		t.Errorf("%d requests sent for invalid input", n)
	}
}

func TestUsersRemoveWithReassignment(t *testing.T) {
	ctx := context.Background()
	c, _ := newClient(t, nil, nil)
	owner, _ := c.Users.Add(ctx, rest.UserAdd{Name: "owner", SiteRole: rest.RoleCreator})
	heir, _ := c.Users.Add(ctx, rest.UserAdd{Name: "heir", SiteRole: rest.RoleCreator})
	p, err := c.Projects.Create(ctx, rest.ProjectCreate{Name: "Owned"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.Projects.Update(ctx, p.ID, rest.ProjectUpdate{OwnerID: &owner.ID}); err != nil {
		t.Fatal(err)
	}
	if err := c.Users.Remove(ctx, owner.ID, nil); !errors.Is(err, tableau.ErrConflict) {
		t.Fatalf("removing an owner without reassignment: %v", err)
	}
	if err := c.Users.Remove(ctx, owner.ID, &rest.RemoveOptions{MapAssetsTo: heir.ID}); err != nil {
		t.Fatal(err)
	}
	got, err := c.Projects.Get(ctx, p.ID)
	if err != nil || got.Owner.ID != heir.ID {
		t.Fatalf("owner after removal %+v %v", got, err)
	}
}

func TestUsersImportAndRemoveByName(t *testing.T) {
	ctx := context.Background()
	c, _ := newClient(t, nil, nil)
	job, err := c.Users.Import(ctx, []rest.UserImport{
		{Name: "carol", SiteRole: rest.RoleSiteAdministratorCreator, FullName: "Carol, C.", Email: "carol@example.com", Password: "s3cret"},
		{Name: "dan", SiteRole: rest.RoleExplorerCanPublish},
		{Name: "erin", SiteRole: rest.RoleViewer, AuthSetting: rest.AuthSAML},
		{Name: "fred", SiteRole: rest.RoleUnlicensed},
	})
	if err != nil {
		t.Fatal(err)
	}
	if !job.Succeeded() || job.Type != "UserImport" {
		t.Fatalf("job %+v", job)
	}
	want := map[string]string{"carol": rest.RoleSiteAdministratorCreator, "dan": rest.RoleExplorerCanPublish, "erin": rest.RoleViewer, "fred": rest.RoleUnlicensed}
	users, err := c.Users.List(&tableau.ListOptions{Fields: []string{tableau.FieldsAll}}).Collect(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, u := range users {
		if r, ok := want[u.Name]; ok && r != u.SiteRole {
			t.Errorf("%s: %s, want %s", u.Name, u.SiteRole, r)
		}
		if u.Name == "carol" && u.FullName != "Carol, C." {
			t.Errorf("a quoted CSV field: %q", u.FullName)
		}
		if u.Name == "erin" && u.AuthSetting != rest.AuthSAML {
			t.Errorf("erin auth %s", u.AuthSetting)
		}
	}
	job, err = c.Users.RemoveByName(ctx, []string{"dan", "erin", "nobody"})
	if err != nil {
		t.Fatal(err)
	}
	if job.Succeeded() || len(job.Notes) != 1 || !strings.Contains(job.Notes[0].Text, "nobody") {
		t.Fatalf("remove job %+v", job)
	}
	left, _ := c.Users.List(nil).Collect(ctx)
	if len(left) != 3 {
		t.Errorf("%d users left, want 3", len(left))
	}
}
