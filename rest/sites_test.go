package rest_test

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/tableau-go/sdk/rest"
	"github.com/tableau-go/sdk/tableau"
)

func TestSitesCRUD(t *testing.T) {
	c, srv := newClient(t, nil, nil)
	ctx := context.Background()
	created, err := c.Sites.Create(ctx, rest.SiteCreate{Name: "Sales Team", ContentURL: "sales", AdminMode: rest.AdminModeContentAndUsers, UserQuota: 25})
	if err != nil {
		t.Fatal(err)
	}
	if created.ID == "" || created.Name != "Sales Team" || created.ContentURL != "sales" || created.AdminMode != rest.AdminModeContentAndUsers ||
		created.UserQuota != 25 || created.State != rest.SiteActive {
		t.Fatalf("created %+v", created)
	}
	if _, err := c.Sites.Create(ctx, rest.SiteCreate{Name: "Other", ContentURL: "SALES"}); !errors.Is(err, tableau.ErrConflict) {
		t.Fatalf("duplicate content URL: %v", err)
	}
	for name, get := range map[string]func() (*rest.Site, error){
		"name":       func() (*rest.Site, error) { return c.Sites.GetByName(ctx, "Sales Team") },
		"contentUrl": func() (*rest.Site, error) { return c.Sites.GetByContentURL(ctx, "sales") },
	} {
		s, err := get()
		if err != nil || s.ID != created.ID {
			t.Fatalf("get by %s = %+v, %v", name, s, err)
		}
	}
	if _, err := c.Sites.GetByName(ctx, "No Such Site"); !errors.Is(err, tableau.ErrNotFound) {
		t.Fatalf("missing: %v", err)
	}
	// Get, Update and Delete by id need a session on that site.
	if err := c.Session.SwitchSite(ctx, "sales"); err != nil {
		t.Fatal(err)
	}
	if c.Session.SiteID() != created.ID {
		t.Fatalf("site after switch = %s", c.Session.SiteID())
	}
	if got, err := c.Sites.Get(ctx, created.ID); err != nil || got.Name != "Sales Team" {
		t.Fatalf("get by id = %+v, %v", got, err)
	}
	newName, state, limit, subs := "Sales", rest.SiteSuspended, 10, true
	upd, err := c.Sites.Update(ctx, created.ID, rest.SiteUpdate{Name: &newName, State: &state, RevisionLimit: &limit, DisableSubscriptions: &subs})
	if err != nil || upd.Name != "Sales" || upd.State != rest.SiteSuspended || upd.RevisionLimit != 10 || !upd.DisableSubscriptions {
		t.Fatalf("update = %+v, %v", upd, err)
	}
	sites, err := c.Sites.List(&tableau.ListOptions{Sorts: []tableau.Sort{tableau.Asc("name")}}).Collect(ctx)
	if err != nil || len(sites) != 2 || sites[1].Name != "Sales" {
		t.Fatalf("list = %+v, %v", sites, err)
	}
	projects, err := c.Projects.List(nil).Collect(ctx)
	if err != nil || len(projects) != 1 || projects[0].Name != "Default" {
		t.Fatalf("projects on the new site = %+v, %v", projects, err)
	}
	if err := c.Sites.Delete(ctx, created.ID); err != nil {
		t.Fatal(err)
	}
	creds := srv.Credentials()
	other, err := rest.SignIn(ctx, tableau.Config{Server: srv.URL(), Credentials: tableau.Password{Username: creds.Username, Password: creds.Password}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := other.Sites.GetByContentURL(ctx, "sales"); !errors.Is(err, tableau.ErrNotFound) {
		t.Fatalf("deleted site: %v", err)
	}
}

func TestSitesValidateBeforeRequest(t *testing.T) {
	c, srv := newClient(t, nil, nil)
	ctx := context.Background()
	before := srv.Stats().Requests
	bad, empty := "Sometimes", ""
	for name, err := range map[string]error{
		"create no name": func() error { _, err := c.Sites.Create(ctx, rest.SiteCreate{ContentURL: "x"}); return err }(),
		"create no url":  func() error { _, err := c.Sites.Create(ctx, rest.SiteCreate{Name: "x"}); return err }(),
		"create bad mode": func() error {
			_, err := c.Sites.Create(ctx, rest.SiteCreate{Name: "x", ContentURL: "x", AdminMode: bad})
			return err
		}(),
		"content only quota": func() error {
			_, err := c.Sites.Create(ctx, rest.SiteCreate{Name: "x", ContentURL: "x", AdminMode: rest.AdminModeContentOnly, UserQuota: 3})
			return err
		}(),
		"create neg quota": func() error {
			_, err := c.Sites.Create(ctx, rest.SiteCreate{Name: "x", ContentURL: "x", UserQuota: -1})
			return err
		}(),
		"get":          func() error { _, err := c.Sites.Get(ctx, ""); return err }(),
		"by name":      func() error { _, err := c.Sites.GetByName(ctx, ""); return err }(),
		"by url":       func() error { _, err := c.Sites.GetByContentURL(ctx, ""); return err }(),
		"update state": func() error { _, err := c.Sites.Update(ctx, "id", rest.SiteUpdate{State: &bad}); return err }(),
		"update mode":  func() error { _, err := c.Sites.Update(ctx, "id", rest.SiteUpdate{AdminMode: &bad}); return err }(),
		"update name":  func() error { _, err := c.Sites.Update(ctx, "id", rest.SiteUpdate{Name: &empty}); return err }(),
		"delete":       c.Sites.Delete(ctx, ""),
	} {
		if !errors.Is(err, tableau.ErrInvalidArgument) {
			t.Errorf("%s: err = %v", name, err)
		}
	}
	if srv.Stats().Requests != before {
		t.Fatalf("%d requests were sent", srv.Stats().Requests-before)
	}
}

// TestSitesGetByNameEscapes: names with spaces, "&", "/" and "?" travel in
// the path escaped and come back intact.
func TestSitesGetByNameEscapes(t *testing.T) {
	c, _ := newClient(t, nil, nil)
	ctx := context.Background()
	for i, name := range []string{"Sales & Marketing", "EU/West", "What? 100%", "Ünïcode site"} {
		created, err := c.Sites.Create(ctx, rest.SiteCreate{Name: name, ContentURL: fmt.Sprintf("s%d", i)})
		if err != nil {
			t.Fatalf("%q: %v", name, err)
		}
		got, err := c.Sites.GetByName(ctx, name)
		if err != nil || got.ID != created.ID || got.Name != name {
			t.Fatalf("%q: got %+v, %v", name, got, err)
		}
	}
}
