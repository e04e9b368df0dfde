package rest

import (
	"context"
	"encoding/xml"
	"fmt"
	"time"
)

// ListFlowRuns returns the site's flow run tasks (flows on schedules).
func (sv *TasksService) ListFlowRuns(ctx context.Context) ([]Task, error) {
	return sv.list(ctx, "Tasks.ListFlowRuns", "runFlow")
}

// GetFlowRun returns the flow run task with id.
func (sv *TasksService) GetFlowRun(ctx context.Context, id string) (*Task, error) {
	return sv.get(ctx, "Tasks.GetFlowRun", "runFlow", id)
}

// RunFlowTask runs the flow run task with id now.
func (sv *TasksService) RunFlowTask(ctx context.Context, id string) (*FlowRunJob, error) {
	const m = "Tasks.RunFlowTask"
	if err := need(m, "id", id); err != nil {
		return nil, err
	}
	path, err := sv.sitePath(m, "tasks", "runFlow", id, "runNow")
	if err != nil {
		return nil, err
	}
	var r struct {
		Job *FlowRunJob `xml:"job"`
	}
	if err := sv.s.Post(ctx, path, nil, emptyRequest{}, &r); err != nil {
		return nil, err
	}
	if r.Job == nil {
		return nil, fmt.Errorf("rest.%s: the response has no <job>", m)
	}
	return r.Job, nil
}

type emptyRequest struct {
	XMLName struct{} `xml:"tsRequest"`
}

// LinkedTask runs flows one after the other (Tableau Cloud, API 3.15).
type LinkedTask struct {
	ID       string   `xml:"id,attr"`
	NumSteps int      `xml:"numSteps,attr"`
	Schedule Schedule `xml:"schedule"`
	Steps    []struct {
		ID                           string `xml:"id,attr"`
		StepNumber                   int    `xml:"stepNumber,attr"`
		StopDownstreamTasksOnFailure bool   `xml:"stopDownstreamTasksOnFailure,attr"`
		Flow                         Owner  `xml:"task>flowRun>flow"`
	} `xml:"linkedTaskSteps"`
}

// LinkedTaskJob is the job of a linked task run.
type LinkedTaskJob struct {
	ID           string    `xml:"id,attr"`
	LinkedTaskID string    `xml:"linkedTaskId,attr"`
	Status       string    `xml:"status,attr"`
	CreatedAt    time.Time `xml:"createdAt,attr"`
}

// ListLinked returns the site's linked tasks.
func (sv *TasksService) ListLinked(ctx context.Context) ([]LinkedTask, error) {
	const m = "Tasks.ListLinked"
	path, err := sv.sitePath(m, "tasks", "linked")
	if err != nil {
		return nil, err
	}
	var r struct {
		Tasks []LinkedTask `xml:"linkedTasks>linkedTasks"`
	}
	if err := sv.s.Get(ctx, path, nil, &r); err != nil {
		return nil, err
	}
	return r.Tasks, nil
}

// GetLinked returns the linked task with id.
func (sv *TasksService) GetLinked(ctx context.Context, id string) (*LinkedTask, error) {
	const m = "Tasks.GetLinked"
	if err := need(m, "id", id); err != nil {
		return nil, err
	}
	path, err := sv.sitePath(m, "tasks", "linked", id)
	if err != nil {
		return nil, err
	}
	var r struct {
		Task *LinkedTask `xml:"linkedTasks"`
	}
	if err := sv.s.Get(ctx, path, nil, &r); err != nil {
		return nil, err
	}
	if r.Task == nil {
		return nil, fmt.Errorf("rest.%s: the response has no <linkedTasks>", m)
	}
	return r.Task, nil
}

// RunLinked runs the linked task with id now.
func (sv *TasksService) RunLinked(ctx context.Context, id string) (*LinkedTaskJob, error) {
	const m = "Tasks.RunLinked"
	if err := need(m, "id", id); err != nil {
		return nil, err
	}
	path, err := sv.sitePath(m, "tasks", "linked", id, "runNow")
	if err != nil {
		return nil, err
	}
	var r struct {
		Job *LinkedTaskJob `xml:"linkedTaskJob"`
	}
	if err := sv.s.Post(ctx, path, nil, emptyRequest{}, &r); err != nil {
		return nil, err
	}
	if r.Job == nil {
		return nil, fmt.Errorf("rest.%s: the response has no <linkedTaskJob>", m)
	}
	return r.Job, nil
}

// FlowTaskCreate describes a flow run task with its own schedule, as
// Tableau Cloud makes them (Create Cloud Flow Task, API 3.22; TSC's
// flow_tasks.create).
type FlowTaskCreate struct {
	FlowID     string     // required
	Recurrence Recurrence // required
}

type cloudFlowTaskRequest struct {
	XMLName xml.Name `xml:"tsRequest"`
	RunFlow struct {
		Type string `xml:"type,attr"`
		Flow idElem `xml:"flow"`
	} `xml:"runFlow"`
	Schedule struct {
		Frequency        string           `xml:"frequency,attr"`
		FrequencyDetails FrequencyDetails `xml:"frequencyDetails"`
	} `xml:"schedule"`
}

// CreateFlowTask creates a flow run task with its own schedule (Tableau
// Cloud) and returns it with that schedule.
func (sv *TasksService) CreateFlowTask(ctx context.Context, in FlowTaskCreate) (*Task, error) {
	const m = "Tasks.CreateFlowTask"
	if err := need(m, "FlowID", in.FlowID); err != nil {
		return nil, err
	}
	if err := in.Recurrence.Check(); err != nil {
		return nil, fmt.Errorf("rest.%s: %w", m, err)
	}
	if err := sv.s.RequireVersion("rest."+m, "3.22"); err != nil {
		return nil, err
	}
	var req cloudFlowTaskRequest
	req.RunFlow.Type = "runFlow"
	req.RunFlow.Flow = idElem{ID: in.FlowID}
	req.Schedule.Frequency = in.Recurrence.Frequency
	req.Schedule.FrequencyDetails = in.Recurrence.Details
	path, err := sv.sitePath(m, "tasks", "flows")
	if err != nil {
		return nil, err
	}
	// <task><flowRun .../></task> with the <schedule> beside the task.
	var r struct {
		Task     *taskXML  `xml:"task"`
		Schedule *Schedule `xml:"schedule"`
	}
	if err := sv.s.Post(ctx, path, nil, req, &r); err != nil {
		return nil, err
	}
	if r.Task == nil || r.Task.FlowRun == nil {
		return nil, fmt.Errorf("rest.%s: the response has no <task><flowRun>", m)
	}
	t := r.Task.decode()
	if r.Schedule != nil && t.Schedule.Frequency == "" {
		t.Schedule = *r.Schedule
	}
	if t.TargetID == "" {
		t.TargetKind, t.TargetID = TargetFlow, in.FlowID
	}
	return t, nil
}
