package rest_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/tableau-go/sdk/rest"
	"github.com/tableau-go/sdk/tableau"
	"github.com/tableau-go/sdk/tableau/tableautest"
)

func TestJobsWaitFailedCarriesNotes(t *testing.T) {
	c, srv := newClient(t, nil, nil)
	srv.SetJobDuration(50 * time.Millisecond)
	ctx := context.Background()
	seed, err := srv.Seed(tableautest.SeedOptions{Datasources: 2})
	if err != nil {
		t.Fatal(err)
	}
	srv.FailRefreshesOf("Datasource 2", "Timeout: the query took longer than 7200 seconds")
	ok, err := c.Datasources.Refresh(ctx, seed.DatasourceIDs[0], nil)
	if err != nil {
		t.Fatal(err)
	}
	bad, err := c.Datasources.Refresh(ctx, seed.DatasourceIDs[1], nil)
	if err != nil {
		t.Fatal(err)
	}
	fast := &rest.WaitOptions{Interval: 10 * time.Millisecond}
	if j, err := c.Jobs.Wait(ctx, ok.ID, fast); err != nil || j.Status() != rest.JobSuccess || j.Progress != 100 {
		t.Fatalf("good job = %+v, %v", j, err)
	}
	j, err := c.Jobs.Wait(ctx, bad.ID, fast)
	var je *rest.JobError
	if !errors.As(err, &je) || !errors.Is(err, rest.ErrJobFailed) || errors.Is(err, rest.ErrJobCancelled) {
		t.Fatalf("failed job error = %v", err)
	}
	if j == nil || j.Status() != rest.JobFailed || !strings.Contains(err.Error(), "7200 seconds") || je.Job.ResourceName != "Datasource 2" {
		t.Fatalf("job = %+v, error %q", j, err)
	}
	// List with filters.
	failed, err := c.Jobs.List(&tableau.ListOptions{Filters: []tableau.Filter{tableau.Eq("status", rest.JobFailed)}}).Collect(ctx)
	if err != nil || len(failed) != 1 || failed[0].ID != bad.ID || failed[0].Title != "Datasource 2" || failed[0].JobType != "refresh_extracts" {
		t.Fatalf("failed jobs = %+v, %v", failed, err)
	}
	all, err := c.Jobs.List(&tableau.ListOptions{Filters: []tableau.Filter{tableau.Eq("jobType", "refresh_extracts")}, Sorts: []tableau.Sort{tableau.Desc("createdAt")}}).Collect(ctx)
	if err != nil || len(all) != 2 {
		t.Fatalf("all jobs = %+v, %v", all, err)
	}
}

func TestJobsCancelAndFailNext(t *testing.T) {
	c, srv := newClient(t, nil, nil)
	srv.SetJobDuration(time.Hour)
	ctx := context.Background()
	seed, err := srv.Seed(tableautest.SeedOptions{Datasources: 1})
	if err != nil {
		t.Fatal(err)
	}
	j, err := c.Datasources.Refresh(ctx, seed.DatasourceIDs[0], nil)
	if err != nil {
		t.Fatal(err)
	}
	got, err := c.Jobs.Get(ctx, j.ID)
	if err != nil || got.Finished || got.Status() != rest.JobInProgress {
		t.Fatalf("running job = %+v, %v", got, err)
	}
	if err := c.Jobs.Cancel(ctx, j.ID); err != nil {
		t.Fatal(err)
	}
	_, err = c.Jobs.Wait(ctx, j.ID, nil)
	if !errors.Is(err, rest.ErrJobCancelled) {
		t.Fatalf("cancelled wait: %v", err)
	}
	if err := c.Jobs.Cancel(ctx, j.ID); !errors.Is(err, tableau.ErrConflict) {
		t.Fatalf("cancel twice: %v", err)
	}
	if _, err := c.Jobs.Get(ctx, "nope"); !errors.Is(err, tableau.ErrNotFound) {
		t.Fatalf("missing job: %v", err)
	}
	srv.SetJobDuration(0)
	srv.FailJobs(1, "Data source connection failed")
	j2, err := c.Datasources.Refresh(ctx, seed.DatasourceIDs[0], nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.Jobs.Wait(ctx, j2.ID, nil); !errors.Is(err, rest.ErrJobFailed) || !strings.Contains(err.Error(), "connection failed") {
		t.Fatalf("fail next: %v", err)
	}
}

func TestJobsWaitBackoffAndContext(t *testing.T) {
	c, srv := newClient(t, nil, nil)
	srv.SetJobDuration(time.Hour)
	seed, err := srv.Seed(tableautest.SeedOptions{Datasources: 1})
	if err != nil {
		t.Fatal(err)
	}
	j, err := c.Datasources.Refresh(context.Background(), seed.DatasourceIDs[0], nil)
	if err != nil {
		t.Fatal(err)
	}
	var waits []time.Duration
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	sleep := func(ctx context.Context, d time.Duration) error {
		waits = append(waits, d)
		if len(waits) == 14 {
			cancel()
			return ctx.Err()
		}
		return nil
	}
	_, err = c.Jobs.Wait(ctx, j.ID, &rest.WaitOptions{Sleep: sleep})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("wait after cancel: %v", err)
	}
	want := 500 * time.Millisecond
	for i, d := range waits {
		if d != want {
			t.Fatalf("wait %d = %v, want %v (all %v)", i, d, want, waits)
		}
		want = min(time.Duration(float64(want)*1.4), 30*time.Second)
	}
	if waits[len(waits)-1] != 30*time.Second {
		t.Fatalf("backoff does not reach the 30 s cap: %v", waits)
	}
}
