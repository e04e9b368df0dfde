package rest_test

import (
	"context"
	"errors"
	"slices"
	"testing"

	"github.com/tableau-go/sdk/tableau"
	"github.com/tableau-go/sdk/tableau/tableautest"
)

// TestViewsTagsAndDelete tags a view and removes a tag; a viewer may not
// delete a view; deleting one view leaves the other, deleting the last
// one deletes the workbook.
func TestViewsTagsAndDelete(t *testing.T) {
	ctx := context.Background()
	c, srv := newClient(t, &tableautest.Options{APIVersion: "3.27"}, nil)
	seed, err := srv.Seed(tableautest.SeedOptions{Workbooks: 1, ViewsPerWorkbook: 2})
	if err != nil {
		t.Fatal(err)
	}
	wb, v0, v1 := seed.WorkbookIDs[0], seed.ViewIDs[0], seed.ViewIDs[1]
	tags, err := c.Views.AddTags(ctx, v0, "finance", "q3")
	if err != nil || !slices.Equal(sortedCopy(tags), []string{"finance", "q3"}) {
		t.Fatalf("add tags %v %v", tags, err)
	}
	if err := c.Views.DeleteTag(ctx, v0, "q3"); err != nil {
		t.Fatal(err)
	}
	got, err := c.Views.Get(ctx, v0, false)
	if err != nil || len(got.Tags) != 1 || got.Tags[0].Label != "finance" {
		t.Fatalf("view after tagging %+v %v", got, err)
	}
	if err := c.Views.DeleteTag(ctx, v0, "q3"); !errors.Is(err, tableau.ErrNotFound) {
		t.Fatalf("second tag delete: %v, want ErrNotFound", err)
	}
	if _, err := c.Views.AddTags(ctx, v0); !errors.Is(err, tableau.ErrInvalidArgument) {
		t.Fatalf("no tags: %v, want ErrInvalidArgument", err)
	}

	viewer := signInViewer(t, srv, "viewer1", "tableau:content:read", "tableau:views:delete")
	if err := viewer.Views.Delete(ctx, v0); !errors.Is(err, tableau.ErrForbidden) {
		t.Fatalf("a viewer deleted a view: %v, want ErrForbidden", err)
	}
	if err := c.Views.Delete(ctx, v0); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Views.Get(ctx, v0, false); !errors.Is(err, tableau.ErrNotFound) {
		t.Fatalf("deleted view: %v, want ErrNotFound", err)
	}
	left, err := c.Workbooks.Views(ctx, wb, false)
	if err != nil || len(left) != 1 || left[0].ID != v1 {
		t.Fatalf("views left %+v %v", left, err)
	}
	if err := c.Views.Delete(ctx, v1); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Workbooks.Get(ctx, wb); !errors.Is(err, tableau.ErrNotFound) {
		t.Fatalf("workbook after deleting its last view: %v, want ErrNotFound", err)
	}
	old, _ := newClient(t, nil, nil)
	if err := old.Views.Delete(ctx, v1); !errors.Is(err, tableau.ErrUnsupportedVersion) {
		t.Fatalf("API 3.24: %v, want ErrUnsupportedVersion", err)
	}
}
