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

func TestSchedulesAndTasks(t *testing.T) {
	ctx := context.Background()
	c, srv := newClient(t, nil, nil)
	srv.SetJobDuration(0)
	seed, err := srv.Seed(tableautest.SeedOptions{Workbooks: 1, Datasources: 1})
	if err != nil {
		t.Fatal(err)
	}
	recs := map[string]rest.Recurrence{
		rest.Hourly:  rest.HourlyRecurrence("06:00:00", "22:00:00", 4),
		rest.Daily:   rest.DailyRecurrence("02:30:00"),
		rest.Weekly:  rest.WeeklyRecurrence("23:00:00", time.Saturday, time.Sunday),
		rest.Monthly: rest.MonthlyRecurrence("01:00:00", "LastDay"),
	}
	ids := map[string]string{}
	for freq, r := range recs {
		s, err := c.Schedules.Create(ctx, rest.ScheduleCreate{Name: "every " + freq, Type: rest.ScheduleExtract, Recurrence: r, Priority: 30})
		if err != nil {
			t.Fatalf("%s: %v", freq, err)
		}
		if s.Frequency != freq || s.Priority != 30 || s.NextRunAt.IsZero() || s.FrequencyDetails.Start != r.Details.Start {
			t.Fatalf("%s: %+v", freq, s)
		}
		ids[freq] = s.ID
	}
	w, err := c.Schedules.Get(ctx, ids[rest.Weekly])
	if err != nil || len(w.FrequencyDetails.Intervals) != 2 {
		t.Fatalf("weekly %+v %v", w, err)
	}
	if d := w.NextRunAt.Weekday(); d != time.Saturday && d != time.Sunday {
		t.Errorf("weekly next run on %s", d)
	}
	suspended := "Suspended"
	s, err := c.Schedules.Update(ctx, ids[rest.Daily], rest.ScheduleUpdate{State: &suspended})
	if err != nil || s.State != "Suspended" || !s.NextRunAt.IsZero() {
		t.Fatalf("suspend %+v %v", s, err)
	}
	list, err := c.Schedules.List(&tableau.ListOptions{Filters: []tableau.Filter{tableau.Eq("state", "Active")}}).Collect(ctx)
	if err != nil || len(list) != 3 {
		t.Fatalf("active schedules %d %v", len(list), err)
	}

	task, err := c.Schedules.Add(ctx, ids[rest.Hourly], rest.TargetDatasource, seed.DatasourceIDs[0])
	if err != nil || task.TargetID != seed.DatasourceIDs[0] || task.Schedule.ID != ids[rest.Hourly] || task.Type != rest.TaskExtractRefresh {
		t.Fatalf("add to schedule %+v %v", task, err)
	}
	if _, err := c.Schedules.Add(ctx, ids[rest.Hourly], rest.TargetWorkbook, seed.WorkbookIDs[0]); err != nil {
		t.Fatal(err)
	}
	cloud, err := c.Tasks.CreateRefresh(ctx, rest.RefreshTaskCreate{TargetKind: rest.TargetDatasource, TargetID: seed.DatasourceIDs[0], Incremental: true, Recurrence: rest.DailyRecurrence("04:00:00")})
	if err != nil || cloud.RefreshType != "IncrementalRefresh" || cloud.Schedule.Frequency != rest.Daily {
		t.Fatalf("cloud task %+v %v", cloud, err)
	}
	tasks, err := c.Tasks.ListRefreshes(ctx)
	if err != nil || len(tasks) != 3 {
		t.Fatalf("tasks %d %v", len(tasks), err)
	}
	job, err := c.Tasks.RunRefresh(ctx, task.ID)
	if err != nil || job.Type != "RefreshExtract" {
		t.Fatalf("run %+v %v", job, err)
	}
	got, err := c.Tasks.GetRefresh(ctx, task.ID)
	if err != nil || got.ID != task.ID {
		t.Fatalf("get task %+v %v", got, err)
	}
	if err := c.Tasks.DeleteRefresh(ctx, cloud.ID); err != nil {
		t.Fatal(err)
	}
	if err := c.Schedules.Delete(ctx, ids[rest.Hourly]); err != nil {
		t.Fatal(err)
	}
	if tasks, _ := c.Tasks.ListRefreshes(ctx); len(tasks) != 0 {
		t.Errorf("%d tasks left after deleting their schedule", len(tasks))
	}

	before := srv.Stats().Requests
	for i, err := range []error{
		func() error {
			_, err := c.Schedules.Create(ctx, rest.ScheduleCreate{Name: "x", Type: rest.ScheduleExtract, Recurrence: rest.HourlyRecurrence("06:00:00", "", 4)})
			return err
		}(),
		func() error {
			_, err := c.Schedules.Create(ctx, rest.ScheduleCreate{Name: "x", Type: rest.ScheduleExtract, Recurrence: rest.HourlyRecurrence("06:00:00", "08:00:00", 3)})
			return err
		}(),
		func() error {
			_, err := c.Schedules.Create(ctx, rest.ScheduleCreate{Name: "x", Type: rest.ScheduleExtract, Recurrence: rest.WeeklyRecurrence("06:00:00")})
			return err
		}(),
		func() error {
			_, err := c.Schedules.Create(ctx, rest.ScheduleCreate{Name: "x", Type: rest.ScheduleExtract, Recurrence: rest.MonthlyRecurrence("06:00:00", "0")})
			return err
		}(),
		func() error {
			_, err := c.Schedules.Create(ctx, rest.ScheduleCreate{Name: "x", Type: "Pizza", Recurrence: rest.DailyRecurrence("06:00:00")})
			return err
		}(),
		func() error {
			_, err := c.Schedules.Create(ctx, rest.ScheduleCreate{Name: "x", Type: rest.ScheduleExtract, Recurrence: rest.DailyRecurrence("6am")})
			return err
		}(),
		func() error {
			_, err := c.Schedules.Create(ctx, rest.ScheduleCreate{Name: "x", Type: rest.ScheduleExtract, Priority: 101, Recurrence: rest.DailyRecurrence("06:00:00")})
			return err
		}(),
		func() error { _, err := c.Schedules.Add(ctx, "s", "cube", "x"); return err }(),
		func() error {
			_, err := c.Tasks.CreateRefresh(ctx, rest.RefreshTaskCreate{TargetKind: rest.TargetFlow, TargetID: "f", Recurrence: rest.DailyRecurrence("01:00:00")})
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
