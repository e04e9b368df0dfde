package rest_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/tableau-go/sdk/rest"
	"github.com/tableau-go/sdk/tableau"
	"github.com/tableau-go/sdk/tableau/tableautest"
)

// TestRefreshIncremental: an incremental refresh (API 3.25) starts an
// IncrementExtract job that Query Jobs lists as increment_extract; a full
// refresh stays RefreshExtract; on API 3.24 the incremental request fails
// before it is sent.
func TestRefreshIncremental(t *testing.T) {
	ctx := context.Background()
	c, srv := newClient(t, &tableautest.Options{APIVersion: "3.25"}, nil)
	srv.SetJobDuration(20 * time.Millisecond)
	seed, err := srv.Seed(tableautest.SeedOptions{Datasources: 1, Workbooks: 1, WorkbookExtracts: true})
	if err != nil {
		t.Fatal(err)
	}
	inc, err := c.Datasources.Refresh(ctx, seed.DatasourceIDs[0], &rest.RefreshOptions{Incremental: true})
	if err != nil {
		t.Fatal(err)
	}
	if inc.Type != "IncrementExtract" {
		t.Fatalf("incremental refresh job type %q, want IncrementExtract", inc.Type)
	}
	full, err := c.Datasources.Refresh(ctx, seed.DatasourceIDs[0], &rest.RefreshOptions{})
	if err != nil || full.Type != "RefreshExtract" {
		t.Fatalf("full refresh: %+v, %v", full, err)
	}
	fast := &rest.WaitOptions{Interval: 5 * time.Millisecond}
	for _, id := range []string{inc.ID, full.ID} {
		if j, err := c.Jobs.Wait(ctx, id, fast); err != nil || j.Status() != rest.JobSuccess {
			t.Fatalf("job %s: %+v, %v", id, j, err)
		}
	}
	listed, err := c.Jobs.List(&tableau.ListOptions{Filters: []tableau.Filter{tableau.Eq("jobType", "increment_extract")}}).Collect(ctx)
	if err != nil || len(listed) != 1 || listed[0].ID != inc.ID {
		t.Fatalf("increment_extract jobs = %+v, %v", listed, err)
	}
	if _, err := c.Workbooks.Refresh(ctx, seed.WorkbookIDs[0], &rest.RefreshOptions{Incremental: true}); err != nil {
		t.Fatalf("incremental workbook refresh: %v", err)
	}

	old, oldSrv := newClient(t, nil, nil)
	oldSeed, err := oldSrv.Seed(tableautest.SeedOptions{Datasources: 1})
	if err != nil {
		t.Fatal(err)
	}
	before := oldSrv.Stats().Requests
	_, err = old.Datasources.Refresh(ctx, oldSeed.DatasourceIDs[0], &rest.RefreshOptions{Incremental: true})
	if !errors.Is(err, tableau.ErrUnsupportedVersion) {
		t.Fatalf("incremental on API 3.24: %v, want ErrUnsupportedVersion", err)
	}
	if n := oldSrv.Stats().Requests - before; n != 0 {
		t.Fatalf("%d requests sent for an unsupported incremental refresh", n)
	}
	if _, err := old.Datasources.Refresh(ctx, oldSeed.DatasourceIDs[0], nil); err != nil {
		t.Fatalf("full refresh on API 3.24: %v", err)
	}
}
