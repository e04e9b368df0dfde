package rest

import (
	"context"
	"encoding/xml"
	"fmt"

	"github.com/tableau-go/sdk/tableau"
)

// Task types.
const (
	TaskExtractRefresh = "extractRefresh"
	TaskFlowRun        = "flowRun"
)

// Task is an extract refresh or flow run task of the signed-in site.
type Task struct {
	ID   string
	Type string // TaskExtractRefresh or TaskFlowRun
	// RefreshType is FullRefresh or IncrementalRefresh (extract refreshes).
	RefreshType            string
	Priority               int
	ConsecutiveFailedCount int
	Schedule               Schedule
	// TargetKind is workbook, datasource or flow; TargetID its id.
	TargetKind, TargetID string
}

type taskXML struct {
	ExtractRefresh *taskBodyXML `xml:"extractRefresh"`
	FlowRun        *taskBodyXML `xml:"flowRun"`
}

type taskBodyXML struct {
	ID                     string    `xml:"id,attr"`
	Priority               int       `xml:"priority,attr"`
	ConsecutiveFailedCount int       `xml:"consecutiveFailedCount,attr"`
	Type                   string    `xml:"type,attr"`
	Schedule               *Schedule `xml:"schedule"`
	Workbook               *idElem   `xml:"workbook"`
	Datasource             *idElem   `xml:"datasource"`
	Flow                   *idElem   `xml:"flow"`
}

func (t *taskXML) decode() *Task {
	b, typ := t.ExtractRefresh, TaskExtractRefresh
	if b == nil {
		b, typ = t.FlowRun, TaskFlowRun
	}
	if b == nil {
		return &Task{}
	}
	out := &Task{ID: b.ID, Type: typ, RefreshType: b.Type, Priority: b.Priority, ConsecutiveFailedCount: b.ConsecutiveFailedCount}
	if b.Schedule != nil {
		out.Schedule = *b.Schedule
	}
	switch {
	case b.Workbook != nil:
		out.TargetKind, out.TargetID = TargetWorkbook, b.Workbook.ID
	case b.Datasource != nil:
		out.TargetKind, out.TargetID = TargetDatasource, b.Datasource.ID
	case b.Flow != nil:
		out.TargetKind, out.TargetID = TargetFlow, b.Flow.ID
	}
	return out
}

type taskResponse struct {
	Task *taskXML `xml:"task"`
}

type taskList struct {
	Pagination tableau.Pagination `xml:"pagination"`
	Tasks      []taskXML          `xml:"tasks>task"`
}

// TasksService manages extract refresh tasks (and, with flows, flow run
// tasks) of the signed-in site. c.Tasks.
type TasksService struct{ service }

// ListRefreshes returns the site's extract refresh tasks.
func (sv *TasksService) ListRefreshes(ctx context.Context) ([]Task, error) {
	return sv.list(ctx, "Tasks.ListRefreshes", "extractRefreshes")
}

func (sv *TasksService) list(ctx context.Context, m, seg string) ([]Task, error) {
	path, err := sv.sitePath(m, "tasks", seg)
	if err != nil {
		return nil, err
	}
	pager := tableau.PagedList(sv.s, path, nil, func(r *taskList) ([]taskXML, tableau.Pagination) {
		return r.Tasks, r.Pagination
	})
	var out []Task
	for t, err := range pager.All(ctx) {
		if err != nil {
			return out, err
		}
		out = append(out, *t.decode())
	}
	return out, nil
}

// GetRefresh returns the extract refresh task with id.
func (sv *TasksService) GetRefresh(ctx context.Context, id string) (*Task, error) {
	return sv.get(ctx, "Tasks.GetRefresh", "extractRefreshes", id)
}

func (sv *TasksService) get(ctx context.Context, m, seg, id string) (*Task, error) {
	if err := need(m, "id", id); err != nil {
		return nil, err
	}
	path, err := sv.sitePath(m, "tasks", seg, id)
	if err != nil {
		return nil, err
	}
	var r taskResponse
	if err := sv.s.Get(ctx, path, nil, &r); err != nil {
		return nil, err
	}
	if r.Task == nil {
		return nil, fmt.Errorf("rest.%s: the response has no <task>", m)
	}
	return r.Task.decode(), nil
}

// RefreshTaskCreate describes an extract refresh task with its own
// schedule, as Tableau Cloud makes them (Create Cloud Extract Refresh Task).
type RefreshTaskCreate struct {
	TargetKind string // required: workbook or datasource
	TargetID   string // required
	// Incremental makes an incremental refresh. Default: false (full).
	Incremental bool
	Recurrence  Recurrence // required
}

type cloudTaskRequest struct {
	XMLName        xml.Name `xml:"tsRequest"`
	ExtractRefresh struct {
		Type       string  `xml:"type,attr"`
		Workbook   *idElem `xml:"workbook,omitempty"`
		Datasource *idElem `xml:"datasource,omitempty"`
	} `xml:"extractRefresh"`
	Schedule struct {
		Frequency        string           `xml:"frequency,attr"`
		FrequencyDetails FrequencyDetails `xml:"frequencyDetails"`
	} `xml:"schedule"`
}

// CreateRefresh creates an extract refresh task with its own schedule.
func (sv *TasksService) CreateRefresh(ctx context.Context, in RefreshTaskCreate) (*Task, error) {
	const m = "Tasks.CreateRefresh"
	if err := need(m, "TargetID", in.TargetID); err != nil {
		return nil, err
	}
	var req cloudTaskRequest
	switch in.TargetKind {
	case TargetWorkbook:
		req.ExtractRefresh.Workbook = &idElem{ID: in.TargetID}
	case TargetDatasource:
		req.ExtractRefresh.Datasource = &idElem{ID: in.TargetID}
	default:
		return nil, fmt.Errorf("rest.%s: %w: TargetKind %q is not workbook or datasource", m, tableau.ErrInvalidArgument, in.TargetKind)
	}
	if err := in.Recurrence.Check(); err != nil {
		return nil, fmt.Errorf("rest.%s: %w", m, err)
	}
	req.ExtractRefresh.Type = "FullRefresh"
	if in.Incremental {
		req.ExtractRefresh.Type = "IncrementalRefresh"
	}
	req.Schedule.Frequency = in.Recurrence.Frequency
	req.Schedule.FrequencyDetails = in.Recurrence.Details
	path, err := sv.sitePath(m, "tasks", "extractRefreshes")
	if err != nil {
		return nil, err
	}
	var r taskXML
	if err := sv.s.Post(ctx, path, nil, req, &r); err != nil {
		return nil, err
	}
	if r.ExtractRefresh == nil {
		return nil, fmt.Errorf("rest.%s: the response has no <extractRefresh>", m)
	}
	return r.decode(), nil
}

// RunRefresh runs the extract refresh task with id now and returns the
// refresh job (follow it with the jobs service).
func (sv *TasksService) RunRefresh(ctx context.Context, id string) (*BulkJob, error) {
	return sv.run(ctx, "Tasks.RunRefresh", "extractRefreshes", id)
}

func (sv *TasksService) run(ctx context.Context, m, seg, id string) (*BulkJob, error) {
	if err := need(m, "id", id); err != nil {
		return nil, err
	}
	path, err := sv.sitePath(m, "tasks", seg, id, "runNow")
	if err != nil {
		return nil, err
	}
	var r bulkJobResponse
	if err := sv.s.Post(ctx, path, nil, struct {
		XMLName xml.Name `xml:"tsRequest"`
	}{}, &r); err != nil {
		return nil, err
	}
	if r.Job == nil {
		return nil, fmt.Errorf("rest.%s: the response has no <job>", m)
	}
	return r.Job, nil
}

// DeleteRefresh deletes the extract refresh task with id.
func (sv *TasksService) DeleteRefresh(ctx context.Context, id string) error {
	const m = "Tasks.DeleteRefresh"
	if err := need(m, "id", id); err != nil {
		return err
	}
	path, err := sv.sitePath(m, "tasks", "extractRefreshes", id)
	if err != nil {
		return err
	}
	return sv.s.Delete(ctx, path, nil)
}
