package rest

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/tableau-go/sdk/tableau"
)

// Job finish codes.
const (
	FinishSuccess   = 0
	FinishFailed    = 1
	FinishCancelled = 2
)

// Job statuses, as [Job.Status] and [BackgroundJob].Status report them.
const (
	JobPending    = "Pending"
	JobInProgress = "InProgress"
	JobSuccess    = "Success"
	JobFailed     = "Failed"
	JobCancelled  = "Cancelled"
)

// Sentinel errors of job waits; a [*JobError] matches one of them.
var (
	// ErrJobFailed matches a JobError for a job that finished with an error.
	ErrJobFailed = errors.New("rest: job failed")
	// ErrJobCancelled matches a JobError for a cancelled job.
	ErrJobCancelled = errors.New("rest: job cancelled")
)

// Job is an asynchronous job: an extract refresh, a publish as a job, a
// data update.
type Job struct {
	ID       string
	Mode     string // "Asynchronous"
	Type     string // for example "RefreshExtract", "PublishWorkbook", "UpdateUploadedFile"
	Progress int    // percent
	// FinishCode is FinishSuccess, FinishFailed or FinishCancelled once
	// Finished is true.
	FinishCode  int
	Finished    bool
	CreatedAt   time.Time
	StartedAt   time.Time
	CompletedAt time.Time
	// Notes are the job's status notes (what went wrong, for a failure).
	Notes []string
	// WorkbookID, DatasourceID and ResourceName name what the job works on.
	WorkbookID   string
	DatasourceID string
	ResourceName string
}

// Status returns JobSuccess, JobFailed, JobCancelled or JobInProgress.
func (j *Job) Status() string {
	if !j.Finished {
		return JobInProgress
	}
	switch j.FinishCode {
	case FinishSuccess:
		return JobSuccess
	case FinishCancelled:
		return JobCancelled
	}
	return JobFailed
}

// JobError is the error of a job that failed or was cancelled. It matches
// ErrJobFailed or ErrJobCancelled with errors.Is.
type JobError struct {
	Job *Job
}

// Error implements error; it carries the job's notes.
func (e *JobError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "rest: job %s (%s", e.Job.ID, e.Job.Type)
	if e.Job.ResourceName != "" {
		fmt.Fprintf(&b, " of %q", e.Job.ResourceName)
	}
	if e.Job.Status() == JobCancelled {
		b.WriteString(") was cancelled")
	} else {
		b.WriteString(") failed")
	}
	if len(e.Job.Notes) > 0 {
		b.WriteString(": ")
		b.WriteString(strings.Join(e.Job.Notes, "; "))
	}
	return b.String()
}

// Is matches ErrJobFailed or ErrJobCancelled.
func (e *JobError) Is(target error) bool {
	switch target {
	case ErrJobCancelled:
		return e.Job.Status() == JobCancelled
	case ErrJobFailed:
		return e.Job.Status() == JobFailed
	}
	return false
}

type resourceRef struct {
	ID   string `xml:"id,attr"`
	Name string `xml:"name,attr"`
}

// jobXML is the wire form of <job>.
type jobXML struct {
	ID          string `xml:"id,attr"`
	Mode        string `xml:"mode,attr"`
	Type        string `xml:"type,attr"`
	Progress    string `xml:"progress,attr"`
	CreatedAt   string `xml:"createdAt,attr"`
	StartedAt   string `xml:"startedAt,attr"`
	CompletedAt string `xml:"completedAt,attr"`
	FinishCode  string `xml:"finishCode,attr"`
	Notes       []struct {
		Text  string `xml:"text,attr"`
		Value string `xml:"value,attr"`
	} `xml:"statusNotes>statusNote"`
	Refresh *struct {
		Notes      string       `xml:"notes,attr"`
		Workbook   *resourceRef `xml:"workbook"`
		Datasource *resourceRef `xml:"datasource"`
	} `xml:"extractRefreshJob"`
	Update *struct {
		Datasource *resourceRef `xml:"datasource"`
	} `xml:"updateUploadedFileJob"`
	Workbook   *resourceRef `xml:"workbook"`
	Datasource *resourceRef `xml:"datasource"`
}

func parseTime(s string) time.Time {
	t, _ := time.Parse(time.RFC3339, s)
	return t
}

func (x *jobXML) job() *Job {
	j := &Job{ID: x.ID, Mode: x.Mode, Type: x.Type, CreatedAt: parseTime(x.CreatedAt),
		StartedAt: parseTime(x.StartedAt), CompletedAt: parseTime(x.CompletedAt)}
	j.Progress, _ = strconv.Atoi(x.Progress)
	if x.FinishCode != "" {
		j.Finished = true
		j.FinishCode, _ = strconv.Atoi(x.FinishCode)
	}
	for _, n := range x.Notes {
		if t := strings.TrimSpace(n.Text + " " + n.Value); t != "" {
			j.Notes = append(j.Notes, t)
		}
	}
	set := func(r *resourceRef, workbook bool) {
		if r == nil {
			return
		}
		if workbook {
			j.WorkbookID = r.ID
		} else {
			j.DatasourceID = r.ID
		}
		j.ResourceName = r.Name
	}
	set(x.Workbook, true)
	set(x.Datasource, false)
	if x.Refresh != nil {
		set(x.Refresh.Workbook, true)
		set(x.Refresh.Datasource, false)
		if len(j.Notes) == 0 && x.Refresh.Notes != "" {
			j.Notes = append(j.Notes, x.Refresh.Notes)
		}
	}
	if x.Update != nil {
		set(x.Update.Datasource, false)
	}
	return j
}

// BackgroundJob is a job as Query Jobs lists it.
type BackgroundJob struct {
	ID        string    `xml:"id,attr"`
	Status    string    `xml:"status,attr"` // JobPending, JobInProgress, JobSuccess, JobFailed, JobCancelled
	JobType   string    `xml:"jobType,attr"`
	Title     string    `xml:"title,attr"`
	Subtitle  string    `xml:"subtitle,attr"`
	Priority  int       `xml:"priority,attr"`
	CreatedAt time.Time `xml:"createdAt,attr"`
	StartedAt time.Time `xml:"startedAt,attr"`
	EndedAt   time.Time `xml:"endedAt,attr"`
}

// JobsService reads, lists, cancels and waits for jobs. c.Jobs.
type JobsService struct{ service }

type jobResponse struct {
	Job *jobXML `xml:"job"`
}

// Get returns a job.
func (sv *JobsService) Get(ctx context.Context, id string) (*Job, error) {
	const m = "Jobs.Get"
	if err := need(m, "id", id); err != nil {
		return nil, err
	}
	path, err := sv.sitePath(m, "jobs", id)
	if err != nil {
		return nil, err
	}
	var resp jobResponse
	if err := sv.s.Get(ctx, path, nil, &resp); err != nil {
		return nil, err
	}
	if resp.Job == nil {
		return nil, fmt.Errorf("rest.%s: the response has no job", m)
	}
	return resp.Job.job(), nil
}

type backgroundJobList struct {
	Pagination tableau.Pagination `xml:"pagination"`
	Jobs       []BackgroundJob    `xml:"backgroundJobs>backgroundJob"`
}

// List returns a pager over the site's jobs. Filter fields include status,
// jobType, createdAt, startedAt, endedAt, priority, title and subtitle; for
// example tableau.Eq("status", rest.JobFailed).
func (sv *JobsService) List(opts *tableau.ListOptions) *tableau.Pager[BackgroundJob] {
	path, err := sv.sitePath("Jobs.List", "jobs")
	if err != nil {
		return tableau.ErrorPager[BackgroundJob](err)
	}
	return tableau.PagedList(sv.s, path, opts, func(r *backgroundJobList) ([]BackgroundJob, tableau.Pagination) {
		return r.Jobs, r.Pagination
	})
}

// Cancel cancels a job that has not finished. A finished job answers an
// error matching tableau.ErrConflict.
func (sv *JobsService) Cancel(ctx context.Context, id string) error {
	const m = "Jobs.Cancel"
	if err := need(m, "id", id); err != nil {
		return err
	}
	path, err := sv.sitePath(m, "jobs", id)
	if err != nil {
		return err
	}
	return sv.s.Do(ctx, &tableau.Request{Method: http.MethodPut, Path: path}, nil)
}

// WaitOptions configure [JobsService.Wait]. A nil *WaitOptions uses every default.
type WaitOptions struct {
	// Interval is the first wait between polls. Default: 500ms.
	Interval time.Duration
	// Factor multiplies the wait after each poll. Default: 1.4.
	Factor float64
	// MaxInterval caps the wait. Default: 30s.
	MaxInterval time.Duration
	// OnPoll is called with the job after every poll. Default: nil.
	OnPoll func(*Job)
	// Sleep waits d or until ctx is done (tests inject it). Default: a timer.
	Sleep func(ctx context.Context, d time.Duration) error
}

// maxWaitFailures is how many polls in a row may fail (rate limits, server
// errors, resets) before Wait gives up.
const maxWaitFailures = 20

func sleepCtx(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// Wait polls a job until it finishes, waiting 0.5 s, then 1.4 times longer
// each time up to 30 s (see WaitOptions). It returns the finished job; a
// failed or cancelled job also returns a [*JobError] carrying its notes
// (errors.Is ErrJobFailed or ErrJobCancelled). Rate limiting and server
// errors while polling are waited out (up to 20 failed polls in a row);
// Wait stops when ctx is done.
func (sv *JobsService) Wait(ctx context.Context, id string, opts *WaitOptions) (*Job, error) {
	const m = "Jobs.Wait"
	if err := need(m, "id", id); err != nil {
		return nil, err
	}
	o := WaitOptions{}
	if opts != nil {
		o = *opts
	}
	if o.Interval <= 0 {
		o.Interval = 500 * time.Millisecond
	}
	if o.Factor < 1 {
		o.Factor = 1.4
	}
	if o.MaxInterval <= 0 {
		o.MaxInterval = 30 * time.Second
	}
	if o.Sleep == nil {
		o.Sleep = sleepCtx
	}
	wait := o.Interval
	failures := 0
	for {
		j, err := sv.Get(ctx, id)
		if err != nil {
			failures++
		} else {
			failures = 0
		}
		switch {
		case failures > maxWaitFailures:
			return nil, fmt.Errorf("rest.%s: job %s: %d polls in a row failed: %w", m, id, failures, err)
		case err == nil:
			if o.OnPoll != nil {
				o.OnPoll(j)
			}
			if j.Finished {
				if j.FinishCode != FinishSuccess {
					return j, &JobError{Job: j}
				}
				return j, nil
			}
		case ctx.Err() != nil:
			return nil, fmt.Errorf("rest.%s: job %s: %w", m, id, ctx.Err())
		case !transient(err):
			return nil, err
		}
		if err := o.Sleep(ctx, wait); err != nil {
			return nil, fmt.Errorf("rest.%s: job %s: %w", m, id, err)
		}
		wait = min(time.Duration(float64(wait)*o.Factor), o.MaxInterval)
	}
}
