package rest_test

import (
	"context"
	"errors"
	"slices"
	"testing"

	"github.com/tableau-go/sdk/rest"
	"github.com/tableau-go/sdk/tableau"
	"github.com/tableau-go/sdk/tableau/tableautest"
)

// TestSchedulesBatchUpdateState suspends two of three schedules, then
// activates all of them; an unknown schedule changes nothing; a viewer is
// refused; invalid input sends nothing.
func TestSchedulesBatchUpdateState(t *testing.T) {
	ctx := context.Background()
	c, srv := newClient(t, &tableautest.Options{APIVersion: "3.27"}, nil)
	var ids []string
	for _, name := range []string{"nightly", "weekly", "monthly"} {
		s, err := c.Schedules.Create(ctx, rest.ScheduleCreate{Name: name, Type: rest.ScheduleExtract, Recurrence: rest.DailyRecurrence("02:00:00")})
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, s.ID)
	}
	states := func() []string {
		var out []string
		for _, id := range ids {
			s, err := c.Schedules.Get(ctx, id)
			if err != nil {
				t.Fatal(err)
			}
			out = append(out, s.State)
		}
		return out
	}
	got, err := c.Schedules.BatchUpdateState(ctx, rest.ScheduleStateUpdate{State: "Suspended", IDs: ids[:2]})
	if err != nil || !slices.Equal(got, ids[:2]) {
		t.Fatalf("suspend two: %v %v", got, err)
	}
	if s := states(); !slices.Equal(s, []string{"Suspended", "Suspended", "Active"}) {
		t.Fatalf("states after suspending two: %v", s)
	}
	if _, err := c.Schedules.BatchUpdateState(ctx, rest.ScheduleStateUpdate{State: "active", IDs: []string{ids[0], "no-such-schedule"}}); !errors.Is(err, tableau.ErrNotFound) {
		t.Fatalf("unknown schedule: %v, want ErrNotFound", err)
	}
	if s := states(); s[0] != "Suspended" {
		t.Fatalf("a refused batch changed a schedule: %v", s)
	}
	got, err = c.Schedules.BatchUpdateState(ctx, rest.ScheduleStateUpdate{State: "Active", All: true})
	if err != nil || !slices.Equal(sortedCopy(got), sortedCopy(ids)) {
		t.Fatalf("activate all: %v %v", got, err)
	}
	if s := states(); !slices.Equal(s, []string{"Active", "Active", "Active"}) {
		t.Fatalf("states after activating all: %v", s)
	}

	v := signInViewer(t, srv, "viewer1", "tableau:content:read", "tableau:schedules:update")
	if _, err := v.Schedules.BatchUpdateState(ctx, rest.ScheduleStateUpdate{State: "Suspended", All: true}); !errors.Is(err, tableau.ErrForbidden) {
		t.Fatalf("a viewer suspended every schedule: %v, want ErrForbidden", err)
	}

	before := srv.Stats().Requests
	for i, u := range []rest.ScheduleStateUpdate{
		{State: "Paused", IDs: ids},
		{State: "Active"},
		{State: "Active", IDs: ids, All: true},
		{State: "Active", IDs: []string{" "}},
	} {
		if _, err := c.Schedules.BatchUpdateState(ctx, u); !errors.Is(err, tableau.ErrInvalidArgument) {
			t.Errorf("check %d: %v, want ErrInvalidArgument", i, err)
		}
	}
	if n := srv.Stats().Requests - before; n != 0 {
		t.Errorf("%d requests for invalid input", n)
	}
	old, _ := newClient(t, nil, nil)
	if _, err := old.Schedules.BatchUpdateState(ctx, rest.ScheduleStateUpdate{State: "Active", All: true}); !errors.Is(err, tableau.ErrUnsupportedVersion) {
		t.Fatalf("API 3.24: %v, want ErrUnsupportedVersion", err)
	}
}

// TestSchedulesExtractRefreshTasks lists a schedule's extract refresh
// tasks one per page; an unknown schedule is not found.
func TestSchedulesExtractRefreshTasks(t *testing.T) {
	ctx := context.Background()
	c, srv := newClient(t, nil, nil)
	seed, err := srv.Seed(tableautest.SeedOptions{Workbooks: 1, Datasources: 1})
	if err != nil {
		t.Fatal(err)
	}
	s, err := c.Schedules.Create(ctx, rest.ScheduleCreate{Name: "hourly", Type: rest.ScheduleExtract, Recurrence: rest.HourlyRecurrence("06:00:00", "22:00:00", 2)})
	if err != nil {
		t.Fatal(err)
	}
	empty, err := c.Schedules.ExtractRefreshTasks(s.ID, nil).Collect(ctx)
	if err != nil || len(empty) != 0 {
		t.Fatalf("tasks of an empty schedule: %+v %v", empty, err)
	}
	dt, err := c.Schedules.Add(ctx, s.ID, rest.TargetDatasource, seed.DatasourceIDs[0])
	if err != nil {
		t.Fatal(err)
	}
	wt, err := c.Schedules.Add(ctx, s.ID, rest.TargetWorkbook, seed.WorkbookIDs[0])
	if err != nil {
		t.Fatal(err)
	}
	before := srv.Stats().Requests
	got, err := c.Schedules.ExtractRefreshTasks(s.ID, &tableau.ListOptions{PageSize: 1}).Collect(ctx)
	if err != nil || len(got) != 2 {
		t.Fatalf("tasks %+v %v", got, err)
	}
	if n := srv.Stats().Requests - before; n != 2 {
		t.Errorf("%d requests for two pages of one", n)
	}
	want := []rest.ScheduledExtract{
		{ID: dt.ID, Priority: s.Priority, Type: "Full Refresh", TargetKind: rest.TargetDatasource, TargetID: seed.DatasourceIDs[0]},
		{ID: wt.ID, Priority: s.Priority, Type: "Full Refresh", TargetKind: rest.TargetWorkbook, TargetID: seed.WorkbookIDs[0]},
	}
	if !slices.Equal(got, want) {
		t.Fatalf("tasks\n got %+v\nwant %+v", got, want)
	}
	if _, err := c.Schedules.ExtractRefreshTasks("no-such-schedule", nil).Collect(ctx); !errors.Is(err, tableau.ErrNotFound) {
		t.Fatalf("unknown schedule: %v, want ErrNotFound", err)
	}
	if _, err := c.Schedules.ExtractRefreshTasks("", nil).Collect(ctx); !errors.Is(err, tableau.ErrInvalidArgument) {
		t.Fatalf("empty schedule id: %v, want ErrInvalidArgument", err)
	}
}
