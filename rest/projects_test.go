package rest_test

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/tableau-go/sdk/rest"
	"github.com/tableau-go/sdk/tableau"
)

func TestProjectsCRUDNested(t *testing.T) {
	c, _ := newClient(t, nil, nil)
	ctx := context.Background()
	parent, err := c.Projects.Create(ctx, rest.ProjectCreate{Name: "Finance", Description: "money", ContentPermissions: rest.PermissionsLockedToProject})
	if err != nil {
		t.Fatal(err)
	}
	if parent.ID == "" || parent.Name != "Finance" || parent.Description != "money" || parent.ContentPermissions != rest.PermissionsLockedToProject {
		t.Fatalf("created %+v", parent)
	}
	child, err := c.Projects.Create(ctx, rest.ProjectCreate{Name: "Reports", ParentProjectID: parent.ID})
	if err != nil {
		t.Fatal(err)
	}
	if child.ParentProjectID != parent.ID {
		t.Fatalf("child parent = %q", child.ParentProjectID)
	}
	grand, err := c.Projects.Create(ctx, rest.ProjectCreate{Name: "2024", ParentProjectID: child.ID})
	if err != nil {
		t.Fatal(err)
	}
	// Duplicate name under the same parent: 409.
	_, err = c.Projects.Create(ctx, rest.ProjectCreate{Name: "reports", ParentProjectID: parent.ID})
	if !errors.Is(err, tableau.ErrConflict) {
		t.Fatalf("duplicate: %v", err)
	}
	got, err := c.Projects.Get(ctx, grand.ID)
	if err != nil || got.Name != "2024" || got.ParentProjectID != child.ID {
		t.Fatalf("get = %+v, %v", got, err)
	}
	byPath, err := c.Projects.GetByPath(ctx, "Finance/Reports/2024")
	if err != nil || byPath.ID != grand.ID {
		t.Fatalf("by path = %+v, %v", byPath, err)
	}
	if _, err := c.Projects.GetByPath(ctx, "Finance/Nope"); !errors.Is(err, tableau.ErrNotFound) {
		t.Fatalf("missing path: %v", err)
	}
	name, desc, top := "Reporting", "renamed", ""
	upd, err := c.Projects.Update(ctx, child.ID, rest.ProjectUpdate{Name: &name, Description: &desc, ParentProjectID: &top})
	if err != nil || upd.Name != "Reporting" || upd.Description != "renamed" || upd.ParentProjectID != "" {
		t.Fatalf("update = %+v, %v", upd, err)
	}
	all, err := c.Projects.List(&tableau.ListOptions{Sorts: []tableau.Sort{tableau.Asc("name")}}).Collect(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, p := range all {
		names = append(names, p.Name)
		if p.CreatedAt.IsZero() || p.Owner.ID == "" {
			t.Errorf("project %s lacks dates or owner: %+v", p.Name, p)
		}
	}
	if fmt.Sprint(names) != "[2024 Default Finance Reporting]" {
		t.Fatalf("names = %v", names)
	}
	top1, err := c.Projects.List(&tableau.ListOptions{Filters: []tableau.Filter{tableau.Eq("topLevelProject", "true")}}).Collect(ctx)
	if err != nil || len(top1) != 3 {
		t.Fatalf("top-level = %d, %v", len(top1), err)
	}
	if err := c.Projects.Delete(ctx, child.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Projects.Get(ctx, grand.ID); !errors.Is(err, tableau.ErrNotFound) {
		t.Fatalf("nested project survived its parent: %v", err)
	}
	var e *tableau.Error
	if err := c.Projects.Delete(ctx, child.ID); !errors.As(err, &e) || e.HTTPStatus != 404 || e.Code == "" {
		t.Fatalf("delete twice: %v", err)
	}
}

func TestProjectsValidateBeforeRequest(t *testing.T) {
	c, srv := newClient(t, nil, nil)
	ctx := context.Background()
	before := srv.Stats().Requests
	bad := "Sometimes"
	empty := ""
	for name, err := range map[string]error{
		"create no name": func() error { _, err := c.Projects.Create(ctx, rest.ProjectCreate{}); return err }(),
		"create bad perms": func() error {
			_, err := c.Projects.Create(ctx, rest.ProjectCreate{Name: "x", ContentPermissions: bad})
			return err
		}(),
		"update no id": func() error { _, err := c.Projects.Update(ctx, "", rest.ProjectUpdate{}); return err }(),
		"update empty": func() error { _, err := c.Projects.Update(ctx, "id", rest.ProjectUpdate{Name: &empty}); return err }(),
		"update perms": func() error {
			_, err := c.Projects.Update(ctx, "id", rest.ProjectUpdate{ContentPermissions: &bad})
			return err
		}(),
		"delete no id": c.Projects.Delete(ctx, ""),
		"get no id":    func() error { _, err := c.Projects.Get(ctx, ""); return err }(),
		"bad path":     func() error { _, err := c.Projects.GetByPath(ctx, "a//b"); return err }(),
		"bad filter": func() error {
			_, err := c.Projects.List(&tableau.ListOptions{Filters: []tableau.Filter{tableau.Eq("name", "a,b")}}).Collect(ctx)
			return err
		}(),
	} {
		if !errors.Is(err, tableau.ErrInvalidArgument) {
			t.Errorf("%s: err = %v", name, err)
		}
	}
	if srv.Stats().Requests != before {
		t.Fatalf("%d requests were sent", srv.Stats().Requests-before)
	}
}

func TestProjectsParallelPagingInOrder(t *testing.T) {
	c, _ := newClient(t, nil, nil)
	ctx := context.Background()
	want := []string{"Default"}
	for i := range 57 {
		name := fmt.Sprintf("p%03d", i)
		if _, err := c.Projects.Create(ctx, rest.ProjectCreate{Name: name}); err != nil {
			t.Fatal(err)
		}
		want = append(want, name)
	}
	for _, parallel := range []int{1, 4, 16} {
		seen := map[string]int{}
		var got []string
		for p, err := range c.Projects.List(&tableau.ListOptions{PageSize: 5, Parallel: parallel, Sorts: []tableau.Sort{tableau.Asc("name")}}).All(ctx) {
			if err != nil {
				t.Fatal(err)
			}
			seen[p.ID]++
			got = append(got, p.Name)
		}
		if fmt.Sprint(got) != fmt.Sprint(sortedCopy(want)) {
			t.Fatalf("parallel %d: got %v", parallel, got)
		}
		for id, n := range seen {
			if n != 1 {
				t.Fatalf("parallel %d: %s yielded %d times", parallel, id, n)
			}
		}
	}
	page, err := c.Projects.List(&tableau.ListOptions{PageSize: 10}).Page(ctx, 6)
	if err != nil || len(page.Items) != 8 || page.Pagination.TotalAvailable != 58 || page.Pagination.PageNumber != 6 {
		t.Fatalf("page 6 = %d items %+v, %v", len(page.Items), page.Pagination, err)
	}
}
