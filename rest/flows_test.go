package rest_test

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/tableau-go/sdk/rest"
	"github.com/tableau-go/sdk/tableau"
	"github.com/tableau-go/sdk/tableau/tableautest"
)

const tfl = `{"nodes":{},"connections":{}}`

func TestFlowsPublishDownloadRunConnections(t *testing.T) {
	ctx := context.Background()
	c, srv := newClient(t, nil, nil)
	srv.SetJobDuration(150 * time.Millisecond)
	proj, err := c.Projects.Create(ctx, rest.ProjectCreate{Name: "Prep"})
	if err != nil {
		t.Fatal(err)
	}
	f, err := c.Flows.Publish(ctx, rest.FlowPublish{Name: "Clean orders", ProjectID: proj.ID, FileName: "orders.tfl",
		Connections: []rest.FlowConnectionCredentials{{ServerAddress: "db.example.com", ServerPort: "5432", UserName: "etl", Password: "secret", Embed: true}}}, strings.NewReader(tfl))
	if err != nil {
		t.Fatal(err)
	}
	if f.FileType != "tfl" || f.Project.ID != proj.ID {
		t.Fatalf("published %+v", f)
	}
	if _, err := c.Flows.Publish(ctx, rest.FlowPublish{Name: "clean orders", ProjectID: proj.ID, FileName: "orders.tfl"}, strings.NewReader(tfl)); !errors.Is(err, tableau.ErrConflict) {
		t.Fatalf("publishing over without Overwrite: %v", err)
	}
	again, err := c.Flows.Publish(ctx, rest.FlowPublish{Name: "Clean orders", ProjectID: proj.ID, FileName: "orders.tfl", Overwrite: true}, strings.NewReader(`{"v":2}`))
	if err != nil || again.ID != f.ID {
		t.Fatalf("overwrite %+v %v", again, err)
	}
	var buf bytes.Buffer
	if n, err := c.Flows.Download(ctx, f.ID, &buf); err != nil || n != int64(len(`{"v":2}`)) || buf.String() != `{"v":2}` {
		t.Fatalf("download %d %q %v", n, buf.String(), err)
	}
	if _, err := c.Flows.Publish(ctx, rest.FlowPublish{Name: "x", ProjectID: proj.ID, FileName: "x.twb"}, strings.NewReader(tfl)); !errors.Is(err, tableau.ErrInvalidArgument) {
		t.Fatalf("wrong extension: %v", err)
	}

	// Connections (the overwrite dropped them; publish once more with one).
	f, _ = c.Flows.Publish(ctx, rest.FlowPublish{Name: "Clean orders", ProjectID: proj.ID, FileName: "orders.tfl", Overwrite: true,
		Connections: []rest.FlowConnectionCredentials{{ServerAddress: "db.example.com", UserName: "etl", Password: "pw"}}}, strings.NewReader(tfl))
	conns, err := c.Flows.Connections(ctx, f.ID)
	if err != nil || len(conns) != 1 || conns[0].ServerAddress != "db.example.com" {
		t.Fatalf("connections %+v %v", conns, err)
	}
	host := "db2.example.com"
	if cn, err := c.Flows.UpdateConnection(ctx, f.ID, conns[0].ID, rest.ConnectionUpdate{ServerAddress: &host}); err != nil || cn.ServerAddress != host {
		t.Fatalf("update connection %+v %v", cn, err)
	}
	list, err := c.Flows.List(&tableau.ListOptions{Filters: []tableau.Filter{tableau.Eq("projectName", "Prep")}}).Collect(ctx)
	if err != nil || len(list) != 1 {
		t.Fatalf("list %d %v", len(list), err)
	}

	// Run and wait; a failing run; a cancelled run.
	job, err := c.Flows.Run(ctx, f.ID)
	if err != nil || job.RunFlow.FlowRunID == "" {
		t.Fatalf("run %+v %v", job, err)
	}
	var seen []string
	run, err := c.FlowRuns.Wait(ctx, job.RunFlow.FlowRunID, &rest.FlowRunWaitOptions{Interval: 20 * time.Millisecond, Progress: func(r rest.FlowRun) { seen = append(seen, r.Status) }})
	if err != nil || run.Status != rest.FlowRunSuccess || run.CompletedAt.IsZero() {
		t.Fatalf("wait %+v %v", run, err)
	}
	if len(seen) < 2 || seen[0] != rest.FlowRunInProgress {
		t.Errorf("progress %v", seen)
	}
	srv.FailJobs(1, "the database is down")
	job, _ = c.Flows.Run(ctx, f.ID)
	_, err = c.FlowRuns.Wait(ctx, job.RunFlow.FlowRunID, &rest.FlowRunWaitOptions{Interval: 20 * time.Millisecond})
	var fre *rest.FlowRunError
	if !errors.As(err, &fre) || fre.Run.Status != rest.FlowRunFailed {
		t.Fatalf("failed run: %v", err)
	}
	job, _ = c.Flows.Run(ctx, f.ID)
	if err := c.FlowRuns.Cancel(ctx, job.RunFlow.FlowRunID); err != nil {
		t.Fatal(err)
	}
	if r, _ := c.FlowRuns.Get(ctx, job.RunFlow.FlowRunID); r.Status != rest.FlowRunCancelled {
		t.Fatalf("cancelled run %+v", r)
	}
	if err := c.FlowRuns.Cancel(ctx, job.RunFlow.FlowRunID); !errors.Is(err, tableau.ErrConflict) {
		t.Fatalf("cancelling a finished run: %v", err)
	}
	runs, err := c.FlowRuns.List(&tableau.ListOptions{Filters: []tableau.Filter{tableau.Eq("flowId", f.ID)}}).Collect(ctx)
	if err != nil || len(runs) != 3 {
		t.Fatalf("runs %d %v", len(runs), err)
	}

	// Flow run tasks and linked tasks.
	sched, _ := c.Schedules.Create(ctx, rest.ScheduleCreate{Name: "prep nightly", Type: rest.ScheduleFlow, Recurrence: rest.DailyRecurrence("03:00:00")})
	task, err := c.Schedules.Add(ctx, sched.ID, rest.TargetFlow, f.ID)
	if err != nil || task.Type != rest.TaskFlowRun {
		t.Fatalf("flow task %+v %v", task, err)
	}
	if tasks, err := c.Tasks.ListFlowRuns(ctx); err != nil || len(tasks) != 1 {
		t.Fatalf("flow tasks %d %v", len(tasks), err)
	}
	if got, err := c.Tasks.GetFlowRun(ctx, task.ID); err != nil || got.TargetID != f.ID {
		t.Fatalf("get flow task %+v %v", got, err)
	}
	if j, err := c.Tasks.RunFlowTask(ctx, task.ID); err != nil || j.RunFlow.Flow.ID != f.ID {
		t.Fatalf("run flow task %+v %v", j, err)
	}
	lt, err := srv.AddLinkedTask("", sched.ID, f.ID)
	if err != nil {
		t.Fatal(err)
	}
	linked, err := c.Tasks.ListLinked(ctx)
	if err != nil || len(linked) != 1 || linked[0].NumSteps != 1 || linked[0].Steps[0].Flow.ID != f.ID {
		t.Fatalf("linked %+v %v", linked, err)
	}
	if one, err := c.Tasks.GetLinked(ctx, lt); err != nil || one.ID != lt {
		t.Fatalf("get linked %+v %v", one, err)
	}
	if j, err := c.Tasks.RunLinked(ctx, lt); err != nil || j.LinkedTaskID != lt {
		t.Fatalf("run linked %+v %v", j, err)
	}
	if err := c.Flows.Delete(ctx, f.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Flows.Get(ctx, f.ID); !errors.Is(err, tableau.ErrNotFound) {
		t.Fatalf("deleted flow: %v", err)
	}
}

// TestLinkedTaskRunsFlowsInOrder runs a linked task of three flows: each
// flow starts when the previous one ends; a failing step stops the chain,
// and cancelling a step cancels the steps that have not started.
func TestLinkedTaskRunsFlowsInOrder(t *testing.T) {
	ctx := context.Background()
	c, srv := newClient(t, nil, nil)
	srv.SetJobDuration(120 * time.Millisecond)
	proj, err := c.Projects.Create(ctx, rest.ProjectCreate{Name: "Prep"})
	if err != nil {
		t.Fatal(err)
	}
	var flowIDs []string
	for _, name := range []string{"Extract orders", "Clean orders", "Publish orders"} {
		f, err := c.Flows.Publish(ctx, rest.FlowPublish{Name: name, ProjectID: proj.ID, FileName: "f.tfl"}, strings.NewReader(tfl))
		if err != nil {
			t.Fatal(err)
		}
		flowIDs = append(flowIDs, f.ID)
	}
	sched, err := c.Schedules.Create(ctx, rest.ScheduleCreate{Name: "prep chain", Type: rest.ScheduleFlow, Recurrence: rest.DailyRecurrence("03:00:00")})
	if err != nil {
		t.Fatal(err)
	}
	lt, err := srv.AddLinkedTask("", sched.ID, flowIDs...)
	if err != nil {
		t.Fatal(err)
	}
	// runsOf lists the runs of flow id, oldest first.
	runsOf := func(id string) []rest.FlowRun {
		t.Helper()
		runs, err := c.FlowRuns.List(&tableau.ListOptions{Filters: []tableau.Filter{tableau.Eq("flowId", id)}}).Collect(ctx)
		if err != nil {
			t.Fatal(err)
		}
		return runs
	}
	wait := &rest.FlowRunWaitOptions{Interval: 20 * time.Millisecond}

	// All three succeed, one after the other.
	job, err := c.Tasks.RunLinked(ctx, lt)
	if err != nil || job.LinkedTaskID != lt {
		t.Fatalf("run linked %+v %v", job, err)
	}
	if r := runsOf(flowIDs[1]); len(r) != 1 || r[0].Status != rest.FlowRunPending || !r[0].StartedAt.IsZero() {
		t.Fatalf("second step while the first runs: %+v", r)
	}
	var prevEnd time.Time
	for i, id := range flowIDs {
		r := runsOf(id)
		if len(r) != 1 {
			t.Fatalf("step %d: %d runs", i+1, len(r))
		}
		done, err := c.FlowRuns.Wait(ctx, r[0].ID, wait)
		if err != nil || done.Status != rest.FlowRunSuccess {
			t.Fatalf("step %d: %+v %v", i+1, done, err)
		}
		if i == 0 && done.ID != job.ID {
			t.Errorf("the job is the first step's run: job %s, run %s", job.ID, done.ID)
		}
		if done.StartedAt.Before(prevEnd) {
			t.Errorf("step %d started at %v, before step %d ended at %v", i+1, done.StartedAt, i, prevEnd)
		}
		prevEnd = done.CompletedAt
	}

	// The second flow fails: the third never runs.
	srv.FailRefreshesOf("Clean orders", "the warehouse is down")
	if _, err := c.Tasks.RunLinked(ctx, lt); err != nil {
		t.Fatal(err)
	}
	second := runsOf(flowIDs[1])
	if len(second) != 2 {
		t.Fatalf("second flow: %d runs", len(second))
	}
	var fre *rest.FlowRunError
	if _, err := c.FlowRuns.Wait(ctx, second[1].ID, wait); !errors.As(err, &fre) {
		t.Fatalf("failing step: %v", err)
	}
	if r := runsOf(flowIDs[2]); len(r) != 1 {
		t.Fatalf("the step after a failure ran: %d runs of the third flow", len(r))
	}

	// Cancelling the first step cancels the queued ones.
	srv.FailRefreshesOf("Clean orders", "")
	job, err = c.Tasks.RunLinked(ctx, lt)
	if err != nil {
		t.Fatal(err)
	}
	if err := c.FlowRuns.Cancel(ctx, job.ID); err != nil {
		t.Fatal(err)
	}
	for i, id := range flowIDs {
		r := runsOf(id)
		last := r[len(r)-1]
		if i == 2 && len(r) != 2 {
			t.Fatalf("third flow: %d runs", len(r))
		}
		if last.Status != rest.FlowRunCancelled {
			t.Errorf("step %d after cancelling the chain: %s", i+1, last.Status)
		}
	}
	time.Sleep(300 * time.Millisecond)
	if r := runsOf(flowIDs[2]); r[len(r)-1].Status != rest.FlowRunCancelled {
		t.Errorf("a cancelled queued step ran later: %s", r[len(r)-1].Status)
	}
}

// TestCloudFlowTask creates a flow task with its own schedule (Tableau
// Cloud's Create Cloud Flow Task) and runs it.
func TestCloudFlowTask(t *testing.T) {
	ctx := context.Background()
	c, srv := newClient(t, nil, nil)
	srv.SetJobDuration(0)
	proj, _ := c.Projects.Create(ctx, rest.ProjectCreate{Name: "Prep"})
	f, err := c.Flows.Publish(ctx, rest.FlowPublish{Name: "Nightly prep", ProjectID: proj.ID, FileName: "n.tfl"}, strings.NewReader(tfl))
	if err != nil {
		t.Fatal(err)
	}
	task, err := c.Tasks.CreateFlowTask(ctx, rest.FlowTaskCreate{FlowID: f.ID, Recurrence: rest.WeeklyRecurrence("04:30:00", time.Monday, time.Thursday)})
	if err != nil {
		t.Fatal(err)
	}
	if task.ID == "" || task.Type != rest.TaskFlowRun || task.TargetKind != rest.TargetFlow || task.TargetID != f.ID ||
		task.Schedule.Frequency != rest.Weekly || task.Schedule.FrequencyDetails.Start != "04:30:00" || len(task.Schedule.FrequencyDetails.Intervals) != 2 {
		t.Fatalf("created %+v", task)
	}
	tasks, err := c.Tasks.ListFlowRuns(ctx)
	if err != nil || len(tasks) != 1 || tasks[0].ID != task.ID {
		t.Fatalf("flow tasks %+v %v", tasks, err)
	}
	job, err := c.Tasks.RunFlowTask(ctx, task.ID)
	if err != nil {
		t.Fatal(err)
	}
	if run, err := c.FlowRuns.Wait(ctx, job.RunFlow.FlowRunID, &rest.FlowRunWaitOptions{Interval: 20 * time.Millisecond}); err != nil || run.FlowID != f.ID {
		t.Fatalf("run %+v %v", run, err)
	}

	// Bad input is refused before a request; an unknown flow by the server.
	if _, err := c.Tasks.CreateFlowTask(ctx, rest.FlowTaskCreate{Recurrence: rest.DailyRecurrence("01:00:00")}); !errors.Is(err, tableau.ErrInvalidArgument) {
		t.Errorf("no flow id: %v", err)
	}
	if _, err := c.Tasks.CreateFlowTask(ctx, rest.FlowTaskCreate{FlowID: f.ID, Recurrence: rest.DailyRecurrence("25:00:00")}); err == nil {
		t.Error("a start time of 25:00: no error")
	}
	if _, err := c.Tasks.CreateFlowTask(ctx, rest.FlowTaskCreate{FlowID: "no-such-flow", Recurrence: rest.DailyRecurrence("01:00:00")}); !errors.Is(err, tableau.ErrNotFound) {
		t.Errorf("unknown flow: %v", err)
	}
	old, _ := newClient(t, &tableautest.Options{APIVersion: "3.21"}, nil)
	if _, err := old.Tasks.CreateFlowTask(ctx, rest.FlowTaskCreate{FlowID: f.ID, Recurrence: rest.DailyRecurrence("01:00:00")}); err == nil {
		t.Error("API 3.21: no error")
	}
}
