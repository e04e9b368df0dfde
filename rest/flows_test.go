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
