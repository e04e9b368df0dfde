package rest

import (
	"context"
	"fmt"
	"time"

	"github.com/tableau-go/sdk/tableau"
)

// Flow run statuses.
const (
	FlowRunPending    = "Pending"
	FlowRunInProgress = "InProgress"
	FlowRunSuccess    = "Success"
	FlowRunFailed     = "Failed"
	FlowRunCancelled  = "Cancelled"
)

// FlowRun is one run of a flow.
type FlowRun struct {
	ID              string    `xml:"id,attr"`
	FlowID          string    `xml:"flowId,attr"`
	Status          string    `xml:"status,attr"`
	Progress        int       `xml:"progress,attr"`
	StartedAt       time.Time `xml:"startedAt,attr"`
	CompletedAt     time.Time `xml:"completedAt,attr"` // zero until it finishes
	BackgroundJobID string    `xml:"backgroundJobId,attr"`
}

// Finished reports whether the run has ended (succeeded, failed or cancelled).
func (r *FlowRun) Finished() bool {
	return r.Status == FlowRunSuccess || r.Status == FlowRunFailed || r.Status == FlowRunCancelled
}

// FlowRunError is returned by [FlowRunsService.Wait] for a run that failed
// or was cancelled. It matches tableau.ErrServer with errors.Is? No: test
// its Run.Status.
type FlowRunError struct {
	Run FlowRun
}

func (e *FlowRunError) Error() string {
	return fmt.Sprintf("rest: flow run %s of flow %s ended with status %s", e.Run.ID, e.Run.FlowID, e.Run.Status)
}

// FlowRunsService follows and cancels flow runs. c.FlowRuns.
type FlowRunsService struct{ service }

type flowRunList struct {
	Pagination tableau.Pagination `xml:"pagination"`
	Runs       []FlowRun          `xml:"flowRuns>flowRun"`
}

// List returns a pager over the site's flow runs. Filter fields: flowId,
// status, progress, startedAt.
func (sv *FlowRunsService) List(opts *tableau.ListOptions) *tableau.Pager[FlowRun] {
	path, err := sv.sitePath("FlowRuns.List", "flows", "runs")
	if err != nil {
		return tableau.ErrorPager[FlowRun](err)
	}
	return tableau.PagedList(sv.s, path, opts, func(r *flowRunList) ([]FlowRun, tableau.Pagination) {
		return r.Runs, r.Pagination
	})
}

// Get returns the flow run with id.
func (sv *FlowRunsService) Get(ctx context.Context, id string) (*FlowRun, error) {
	const m = "FlowRuns.Get"
	if err := need(m, "id", id); err != nil {
		return nil, err
	}
	path, err := sv.sitePath(m, "flows", "runs", id)
	if err != nil {
		return nil, err
	}
	var r struct {
		Run *FlowRun `xml:"flowRun"`
	}
	if err := sv.s.Get(ctx, path, nil, &r); err != nil {
		return nil, err
	}
	if r.Run == nil {
		return nil, fmt.Errorf("rest.%s: the response has no <flowRun>", m)
	}
	return r.Run, nil
}

// Cancel cancels a run that has not finished.
func (sv *FlowRunsService) Cancel(ctx context.Context, id string) error {
	const m = "FlowRuns.Cancel"
	if err := need(m, "id", id); err != nil {
		return err
	}
	path, err := sv.sitePath(m, "flows", "runs", id)
	if err != nil {
		return err
	}
	return sv.s.Put(ctx, path, nil, nil, nil)
}

// FlowRunWaitOptions are the options of [FlowRunsService.Wait].
type FlowRunWaitOptions struct {
	// Interval between polls. Default: 1s.
	Interval time.Duration
	// Progress, if set, is called with every run state seen.
	Progress func(FlowRun)
}

// Wait polls the run until it finishes or ctx ends. It returns the run,
// and a *FlowRunError when the run failed or was cancelled.
func (sv *FlowRunsService) Wait(ctx context.Context, id string, opts *FlowRunWaitOptions) (*FlowRun, error) {
	interval := time.Second
	var progress func(FlowRun)
	if opts != nil {
		if opts.Interval < 0 {
			return nil, fmt.Errorf("rest.FlowRuns.Wait: %w: negative Interval", tableau.ErrInvalidArgument)
		}
		if opts.Interval > 0 {
			interval = opts.Interval
		}
		progress = opts.Progress
	}
	for {
		run, err := sv.Get(ctx, id)
		if err != nil {
			return nil, err
		}
		if progress != nil {
			progress(*run)
		}
		if run.Finished() {
			if run.Status != FlowRunSuccess {
				return run, &FlowRunError{Run: *run}
			}
			return run, nil
		}
		t := time.NewTimer(interval)
		select {
		case <-ctx.Done():
			t.Stop()
			return run, ctx.Err()
		case <-t.C:
		}
	}
}
