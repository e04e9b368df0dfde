package rest_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/tableau-go/sdk/rest"
	"github.com/tableau-go/sdk/tableau/tableautest"
)

// TestEmulatorRunSchedule fires schedules in the emulator
// (tableautest.Server.RunSchedule): the extract refreshes, flow tasks and
// linked tasks on them run as if their time had come.
func TestEmulatorRunSchedule(t *testing.T) {
	ctx := context.Background()
	c, srv := newClient(t, nil, nil)
	srv.SetJobDuration(60 * time.Millisecond)
	seed, err := srv.Seed(tableautest.SeedOptions{Workbooks: 1, Datasources: 2})
	if err != nil {
		t.Fatal(err)
	}
	// Seeded workbooks have no extract: give the first one an extract.
	if j, err := c.Workbooks.CreateExtract(ctx, seed.WorkbookIDs[0], nil); err != nil {
		t.Fatal(err)
	} else if _, err := c.Jobs.Wait(ctx, j.ID, &rest.WaitOptions{Interval: 20 * time.Millisecond}); err != nil {
		t.Fatal(err)
	}
	daily := rest.DailyRecurrence("02:00:00")
	extracts, err := c.Schedules.Create(ctx, rest.ScheduleCreate{Name: "nightly extracts", Type: rest.ScheduleExtract, Recurrence: daily})
	if err != nil {
		t.Fatal(err)
	}
	flows, err := c.Schedules.Create(ctx, rest.ScheduleCreate{Name: "nightly flows", Type: rest.ScheduleFlow, Recurrence: daily})
	if err != nil {
		t.Fatal(err)
	}
	for _, add := range []struct{ kind, id string }{
		{rest.TargetWorkbook, seed.WorkbookIDs[0]}, {rest.TargetDatasource, seed.DatasourceIDs[0]}, {rest.TargetDatasource, seed.DatasourceIDs[1]},
	} {
		if _, err := c.Schedules.Add(ctx, extracts.ID, add.kind, add.id); err != nil {
			t.Fatal(err)
		}
	}
	proj, _ := c.Projects.Create(ctx, rest.ProjectCreate{Name: "Prep"})
	var flowIDs []string
	for _, name := range []string{"Stage", "Load"} {
		f, err := c.Flows.Publish(ctx, rest.FlowPublish{Name: name, ProjectID: proj.ID, FileName: "f.tfl"}, strings.NewReader(tfl))
		if err != nil {
			t.Fatal(err)
		}
		flowIDs = append(flowIDs, f.ID)
	}
	if _, err := c.Schedules.Add(ctx, flows.ID, rest.TargetFlow, flowIDs[0]); err != nil {
		t.Fatal(err)
	}
	if _, err := srv.AddLinkedTask("", flows.ID, flowIDs...); err != nil {
		t.Fatal(err)
	}

	// The extract schedule: one refresh job per task, which finish.
	run, err := srv.RunSchedule(extracts.ID)
	if err != nil || len(run.JobIDs) != 3 || len(run.FlowRunIDs) != 0 {
		t.Fatalf("RunSchedule(extracts) = %+v, %v", run, err)
	}
	wait := &rest.WaitOptions{Interval: 20 * time.Millisecond}
	for _, id := range run.JobIDs {
		j, err := c.Jobs.Wait(ctx, id, wait)
		if err != nil || j.Type != "RefreshExtract" {
			t.Fatalf("job %s: %+v %v", id, j, err)
		}
	}

	// The flow schedule: the flow task's run and the linked task's chain.
	run, err = srv.RunSchedule(flows.ID)
	if err != nil || len(run.FlowRunIDs) != 2 || len(run.JobIDs) != 0 {
		t.Fatalf("RunSchedule(flows) = %+v, %v", run, err)
	}
	all, err := c.FlowRuns.List(nil).Collect(ctx)
	if err != nil || len(all) != 3 { // Stage twice (task, linked step 1), Load once (linked step 2)
		t.Fatalf("flow runs %d %v", len(all), err)
	}
	for _, r := range all {
		if done, err := c.FlowRuns.Wait(ctx, r.ID, &rest.FlowRunWaitOptions{Interval: 20 * time.Millisecond}); err != nil || done.Status != rest.FlowRunSuccess {
			t.Fatalf("flow run %+v %v", done, err)
		}
	}

	// A task that cannot start is named; the others still run.
	if err := c.Datasources.DeleteExtract(ctx, seed.DatasourceIDs[0]); err != nil {
		t.Fatal(err)
	}
	run, err = srv.RunSchedule(extracts.ID)
	if err == nil || !strings.Contains(err.Error(), "no extract") || len(run.JobIDs) != 2 {
		t.Fatalf("with a task that cannot start: %+v, %v", run, err)
	}

	// A suspended schedule, an unknown one: nothing runs.
	suspended := "Suspended"
	if _, err := c.Schedules.Update(ctx, extracts.ID, rest.ScheduleUpdate{State: &suspended}); err != nil {
		t.Fatal(err)
	}
	if run, err := srv.RunSchedule(extracts.ID); err == nil || !strings.Contains(err.Error(), "Suspended") || len(run.JobIDs) != 0 {
		t.Fatalf("suspended schedule: %+v, %v", run, err)
	}
	if _, err := srv.RunSchedule("no-such-schedule"); err == nil {
		t.Fatal("unknown schedule: no error")
	}
}

// TestEmulatorFiresSchedulesByTheClock: with Options.FireSchedules the
// emulator runs an active schedule's refreshes, and Tableau Cloud tasks'
// own schedules (a refresh, a flow), when their time comes; a suspended
// schedule stays quiet.
func TestEmulatorFiresSchedulesByTheClock(t *testing.T) {
	ctx := context.Background()
	c, srv := newClient(t, &tableautest.Options{FireSchedules: true}, nil)
	srv.SetJobDuration(0)
	seed, err := srv.Seed(tableautest.SeedOptions{Datasources: 3})
	if err != nil {
		t.Fatal(err)
	}
	// Two seconds from now, in the UTC clock time schedules use.
	soon := rest.DailyRecurrence(time.Now().UTC().Add(2 * time.Second).Format("15:04:05"))
	active, err := c.Schedules.Create(ctx, rest.ScheduleCreate{Name: "soon", Type: rest.ScheduleExtract, Recurrence: soon})
	if err != nil {
		t.Fatal(err)
	}
	quiet, err := c.Schedules.Create(ctx, rest.ScheduleCreate{Name: "soon but suspended", Type: rest.ScheduleExtract, Recurrence: soon})
	if err != nil {
		t.Fatal(err)
	}
	suspended := "Suspended"
	if _, err := c.Schedules.Update(ctx, quiet.ID, rest.ScheduleUpdate{State: &suspended}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Schedules.Add(ctx, active.ID, rest.TargetDatasource, seed.DatasourceIDs[0]); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Schedules.Add(ctx, quiet.ID, rest.TargetDatasource, seed.DatasourceIDs[1]); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Tasks.CreateRefresh(ctx, rest.RefreshTaskCreate{TargetKind: rest.TargetDatasource, TargetID: seed.DatasourceIDs[2], Recurrence: soon}); err != nil {
		t.Fatal(err)
	}
	proj, _ := c.Projects.Create(ctx, rest.ProjectCreate{Name: "Prep"})
	flow, err := c.Flows.Publish(ctx, rest.FlowPublish{Name: "Soon", ProjectID: proj.ID, FileName: "s.tfl"}, strings.NewReader(tfl))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.Tasks.CreateFlowTask(ctx, rest.FlowTaskCreate{FlowID: flow.ID, Recurrence: soon}); err != nil {
		t.Fatal(err)
	}

	refreshed := func() map[string]int {
		jobs, err := c.Jobs.List(nil).Collect(ctx)
		if err != nil {
			t.Fatal(err)
		}
		got := map[string]int{}
		for _, j := range jobs {
			got[j.Title]++
		}
		return got
	}
	if got := refreshed(); len(got) != 0 {
		t.Fatalf("jobs before the schedules' time: %v", got)
	}
	deadline := time.Now().Add(8 * time.Second)
	var got map[string]int
	for time.Now().Before(deadline) {
		if got = refreshed(); got["Datasource 1"] > 0 && got["Datasource 3"] > 0 {
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	time.Sleep(1500 * time.Millisecond) // another tick or more: nothing runs twice
	got = refreshed()
	if got["Datasource 1"] != 1 || got["Datasource 3"] != 1 || got["Datasource 2"] != 0 {
		t.Fatalf("refresh jobs by datasource: %v (want Datasource 1 and 3 once, the suspended schedule's Datasource 2 never)", got)
	}
	if runs, err := c.FlowRuns.List(nil).Collect(ctx); err != nil || len(runs) != 1 || runs[0].FlowID != flow.ID {
		t.Fatalf("flow runs of the Cloud flow task: %+v %v", runs, err)
	}
}

// TestEmulatorRunSerialSchedule: on a Serial schedule each task waits for
// the previous one; the queued refresh has no start time until its turn.
func TestEmulatorRunSerialSchedule(t *testing.T) {
	ctx := context.Background()
	c, srv := newClient(t, nil, nil)
	srv.SetJobDuration(250 * time.Millisecond)
	seed, err := srv.Seed(tableautest.SeedOptions{Datasources: 2})
	if err != nil {
		t.Fatal(err)
	}
	sched, err := c.Schedules.Create(ctx, rest.ScheduleCreate{Name: "one at a time", Type: rest.ScheduleExtract,
		ExecutionOrder: "Serial", Recurrence: rest.DailyRecurrence("02:00:00")})
	if err != nil {
		t.Fatal(err)
	}
	for _, id := range seed.DatasourceIDs {
		if _, err := c.Schedules.Add(ctx, sched.ID, rest.TargetDatasource, id); err != nil {
			t.Fatal(err)
		}
	}
	t0 := time.Now()
	run, err := srv.RunSchedule(sched.ID)
	if err != nil || len(run.JobIDs) != 2 {
		t.Fatalf("RunSchedule = %+v, %v", run, err)
	}
	second, err := c.Jobs.Get(ctx, run.JobIDs[1])
	if err != nil {
		t.Fatal(err)
	}
	if second.Finished || !second.StartedAt.IsZero() || second.Progress != 0 {
		t.Fatalf("the second job while the first runs: %+v", second)
	}
	var jobs [2]*rest.Job
	for i, id := range run.JobIDs {
		if jobs[i], err = c.Jobs.Wait(ctx, id, &rest.WaitOptions{Interval: 20 * time.Millisecond}); err != nil {
			t.Fatal(err)
		}
	}
	// Times are kept to the second: check the order, and that the two
	// 250 ms jobs took about twice as long as one.
	if elapsed := time.Since(t0); elapsed < 450*time.Millisecond || jobs[1].StartedAt.Before(jobs[0].StartedAt) || jobs[1].CompletedAt.Before(jobs[0].CompletedAt) {
		t.Errorf("after %v: second job %v-%v, first %v-%v: not one after the other", elapsed, jobs[1].StartedAt, jobs[1].CompletedAt, jobs[0].StartedAt, jobs[0].CompletedAt)
	}
	// Cancelled while queued: it never starts and never reports success.
	run, err = srv.RunSchedule(sched.ID)
	if err != nil {
		t.Fatal(err)
	}
	if err := c.Jobs.Cancel(ctx, run.JobIDs[1]); err != nil {
		t.Fatal(err)
	}
	time.Sleep(700 * time.Millisecond)
	if j, err := c.Jobs.Get(ctx, run.JobIDs[1]); err != nil || j.FinishCode != rest.FinishCancelled {
		t.Fatalf("the cancelled queued job: %+v %v", j, err)
	}
}
