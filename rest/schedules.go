package rest

import (
	"context"
	"encoding/xml"
	"fmt"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/tableau-go/sdk/tableau"
)

// Schedule frequencies.
const (
	Hourly  = "Hourly"
	Daily   = "Daily"
	Weekly  = "Weekly"
	Monthly = "Monthly"
)

// Schedule types.
const (
	ScheduleExtract          = "Extract"
	ScheduleSubscription     = "Subscription"
	ScheduleFlow             = "Flow"
	ScheduleDataAcceleration = "DataAcceleration"
)

// Schedule is a server schedule (Tableau Server), or the schedule of a
// Tableau Cloud task (then only Frequency, NextRunAt and
// FrequencyDetails are set).
type Schedule struct {
	ID               string           `xml:"id,attr"`
	Name             string           `xml:"name,attr"`
	State            string           `xml:"state,attr"` // Active or Suspended
	Priority         int              `xml:"priority,attr"`
	Type             string           `xml:"type,attr"`
	Frequency        string           `xml:"frequency,attr"`
	ExecutionOrder   string           `xml:"executionOrder,attr"` // Parallel or Serial
	CreatedAt        time.Time        `xml:"createdAt,attr"`
	UpdatedAt        time.Time        `xml:"updatedAt,attr"`
	NextRunAt        time.Time        `xml:"nextRunAt,attr"` // zero when suspended
	FrequencyDetails FrequencyDetails `xml:"frequencyDetails"`
}

// FrequencyDetails says when a schedule runs: from Start (and until End,
// for hourly schedules) at the intervals. Times are "HH:MM:SS".
type FrequencyDetails struct {
	Start     string     `xml:"start,attr"`
	End       string     `xml:"end,attr,omitempty"`
	Intervals []Interval `xml:"intervals>interval"`
}

// Interval is one <interval>: hours or minutes between runs, a day of the
// week, or a day of the month (1 to 31, or LastDay).
type Interval struct {
	Hours    string `xml:"hours,attr,omitempty"`
	Minutes  string `xml:"minutes,attr,omitempty"`
	WeekDay  string `xml:"weekDay,attr,omitempty"`
	MonthDay string `xml:"monthDay,attr,omitempty"`
}

// Recurrence is a frequency with its details. Build one with
// [HourlyRecurrence], [DailyRecurrence], [WeeklyRecurrence] or
// [MonthlyRecurrence].
type Recurrence struct {
	Frequency string
	Details   FrequencyDetails
}

// HourlyRecurrence runs every `every` hours (1, 2, 4, 6, 8, 12 or 24)
// between start and end ("HH:MM:SS").
func HourlyRecurrence(start, end string, every int) Recurrence {
	return Recurrence{Hourly, FrequencyDetails{Start: start, End: end, Intervals: []Interval{{Hours: strconv.Itoa(every)}}}}
}

// DailyRecurrence runs once a day at ("HH:MM:SS").
func DailyRecurrence(at string) Recurrence {
	return Recurrence{Daily, FrequencyDetails{Start: at}}
}

// WeeklyRecurrence runs at ("HH:MM:SS") on the given days.
func WeeklyRecurrence(at string, days ...time.Weekday) Recurrence {
	r := Recurrence{Weekly, FrequencyDetails{Start: at}}
	for _, d := range days {
		r.Details.Intervals = append(r.Details.Intervals, Interval{WeekDay: d.String()})
	}
	return r
}

// MonthlyRecurrence runs at ("HH:MM:SS") on a day of the month: "1" to
// "31" or "LastDay".
func MonthlyRecurrence(at string, day string) Recurrence {
	return Recurrence{Monthly, FrequencyDetails{Start: at, Intervals: []Interval{{MonthDay: day}}}}
}

var weekDays = []string{"Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"}

func validClock(s string) bool {
	_, err := time.Parse("15:04:05", s)
	return err == nil
}

// Check reports what is wrong with the recurrence, as the REST API's
// Create Schedule describes valid ones.
func (r Recurrence) Check() error {
	bad := func(format string, a ...any) error {
		return fmt.Errorf("%w: %s", tableau.ErrInvalidArgument, fmt.Sprintf(format, a...))
	}
	d := r.Details
	if !validClock(d.Start) {
		return bad("start time %q is not like 23:30:00", d.Start)
	}
	if d.End != "" && !validClock(d.End) {
		return bad("end time %q is not like 23:30:00", d.End)
	}
	for _, iv := range d.Intervals {
		if iv.WeekDay != "" && !slices.Contains(weekDays, iv.WeekDay) {
			return bad("weekDay %q is not a day of the week", iv.WeekDay)
		}
	}
	switch r.Frequency {
	case Hourly:
		if d.End == "" {
			return bad("an hourly recurrence needs an end time")
		}
		n := 0
		for _, iv := range d.Intervals {
			if iv.Hours != "" {
				if !slices.Contains([]string{"1", "2", "4", "6", "8", "12", "24"}, iv.Hours) {
					return bad("hours %q is not 1, 2, 4, 6, 8, 12 or 24", iv.Hours)
				}
				n++
			}
			if iv.Minutes != "" {
				if !slices.Contains([]string{"15", "30", "60"}, iv.Minutes) {
					return bad("minutes %q is not 15, 30 or 60", iv.Minutes)
				}
				n++
			}
		}
		if n != 1 {
			return bad("an hourly recurrence needs exactly one hours or minutes interval")
		}
	case Daily:
		for _, iv := range d.Intervals {
			if iv.MonthDay != "" || iv.Minutes != "" {
				return bad("a daily recurrence takes only hours and weekDay intervals")
			}
		}
	case Weekly:
		if len(d.Intervals) == 0 {
			return bad("a weekly recurrence needs at least one weekDay")
		}
		for _, iv := range d.Intervals {
			if iv.WeekDay == "" || iv.Hours != "" || iv.Minutes != "" || iv.MonthDay != "" {
				return bad("a weekly recurrence takes only weekDay intervals")
			}
		}
	case Monthly:
		if len(d.Intervals) == 0 {
			return bad("a monthly recurrence needs a monthDay")
		}
		for _, iv := range d.Intervals {
			if iv.MonthDay == "LastDay" {
				continue
			}
			n, err := strconv.Atoi(iv.MonthDay)
			if err != nil || n < 1 || n > 31 {
				return bad("monthDay %q is not 1 to 31 or LastDay", iv.MonthDay)
			}
		}
	default:
		return bad("frequency %q is not Hourly, Daily, Weekly or Monthly", r.Frequency)
	}
	return nil
}

// SchedulesService manages server schedules (Tableau Server; not on
// Tableau Cloud, where tasks carry their own schedules) and what runs on
// them. c.Schedules.
type SchedulesService struct{ service }

type scheduleList struct {
	Pagination tableau.Pagination `xml:"pagination"`
	Schedules  []Schedule         `xml:"schedules>schedule"`
}

type scheduleResponse struct {
	Schedule *Schedule `xml:"schedule"`
}

// List returns a pager over the server's schedules. Filter fields: name,
// type, state, frequency, priority.
func (sv *SchedulesService) List(opts *tableau.ListOptions) *tableau.Pager[Schedule] {
	return tableau.PagedList(sv.s, "schedules", opts, func(r *scheduleList) ([]Schedule, tableau.Pagination) {
		return r.Schedules, r.Pagination
	})
}

// Get returns the schedule with id (API 3.8).
func (sv *SchedulesService) Get(ctx context.Context, id string) (*Schedule, error) {
	const m = "Schedules.Get"
	if err := need(m, "id", id); err != nil {
		return nil, err
	}
	var r scheduleResponse
	if err := sv.s.Get(ctx, tableau.JoinPath("schedules", id), nil, &r); err != nil {
		return nil, err
	}
	if r.Schedule == nil {
		return nil, fmt.Errorf("rest.%s: the response has no <schedule>", m)
	}
	return r.Schedule, nil
}

// ScheduleCreate describes a new server schedule.
type ScheduleCreate struct {
	Name       string     // required
	Type       string     // required: Extract, Subscription, Flow or DataAcceleration
	Recurrence Recurrence // required
	// Priority from 1 (highest) to 100. Default: 50.
	Priority int
	// ExecutionOrder is Parallel or Serial. Default: Parallel.
	ExecutionOrder string
}

// ScheduleUpdate changes a schedule; nil fields stay as they are.
type ScheduleUpdate struct {
	Name           *string
	State          *string // Active or Suspended
	Priority       *int
	ExecutionOrder *string
	Recurrence     *Recurrence
}

type scheduleRequest struct {
	XMLName  xml.Name `xml:"tsRequest"`
	Schedule struct {
		Name             *string           `xml:"name,attr,omitempty"`
		Priority         *string           `xml:"priority,attr,omitempty"`
		Type             *string           `xml:"type,attr,omitempty"`
		Frequency        *string           `xml:"frequency,attr,omitempty"`
		ExecutionOrder   *string           `xml:"executionOrder,attr,omitempty"`
		State            *string           `xml:"state,attr,omitempty"`
		FrequencyDetails *FrequencyDetails `xml:"frequencyDetails,omitempty"`
	} `xml:"schedule"`
}

func checkPriority(m string, p int) error {
	if p < 1 || p > 100 {
		return fmt.Errorf("rest.%s: %w: priority %d is not 1 to 100", m, tableau.ErrInvalidArgument, p)
	}
	return nil
}

func checkOrder(m, o string) error {
	if o != "Parallel" && o != "Serial" {
		return fmt.Errorf("rest.%s: %w: execution order %q is not Parallel or Serial", m, tableau.ErrInvalidArgument, o)
	}
	return nil
}

// Create creates a server schedule.
func (sv *SchedulesService) Create(ctx context.Context, in ScheduleCreate) (*Schedule, error) {
	const m = "Schedules.Create"
	if strings.TrimSpace(in.Name) == "" {
		return nil, fmt.Errorf("rest.%s: %w: Name is empty", m, tableau.ErrInvalidArgument)
	}
	if !slices.Contains([]string{ScheduleExtract, ScheduleSubscription, ScheduleFlow, ScheduleDataAcceleration}, in.Type) {
		return nil, fmt.Errorf("rest.%s: %w: Type %q is not Extract, Subscription, Flow or DataAcceleration", m, tableau.ErrInvalidArgument, in.Type)
	}
	if err := in.Recurrence.Check(); err != nil {
		return nil, fmt.Errorf("rest.%s: %w", m, err)
	}
	var req scheduleRequest
	s := &req.Schedule
	s.Name, s.Type, s.Frequency = strp(in.Name), strp(in.Type), strp(in.Recurrence.Frequency)
	s.FrequencyDetails = &in.Recurrence.Details
	if in.Priority != 0 {
		if err := checkPriority(m, in.Priority); err != nil {
			return nil, err
		}
		s.Priority = strp(strconv.Itoa(in.Priority))
	}
	if in.ExecutionOrder != "" {
		if err := checkOrder(m, in.ExecutionOrder); err != nil {
			return nil, err
		}
		s.ExecutionOrder = strp(in.ExecutionOrder)
	}
	var r scheduleResponse
	if err := sv.s.Post(ctx, "schedules", nil, req, &r); err != nil {
		return nil, err
	}
	if r.Schedule == nil {
		return nil, fmt.Errorf("rest.%s: the response has no <schedule>", m)
	}
	return r.Schedule, nil
}

// Update changes the schedule with id.
func (sv *SchedulesService) Update(ctx context.Context, id string, in ScheduleUpdate) (*Schedule, error) {
	const m = "Schedules.Update"
	if err := need(m, "id", id); err != nil {
		return nil, err
	}
	var req scheduleRequest
	s := &req.Schedule
	if in.Name != nil {
		if strings.TrimSpace(*in.Name) == "" {
			return nil, fmt.Errorf("rest.%s: %w: Name is empty", m, tableau.ErrInvalidArgument)
		}
		s.Name = in.Name
	}
	if in.State != nil {
		if *in.State != "Active" && *in.State != "Suspended" {
			return nil, fmt.Errorf("rest.%s: %w: State %q is not Active or Suspended", m, tableau.ErrInvalidArgument, *in.State)
		}
		s.State = in.State
	}
	if in.Priority != nil {
		if err := checkPriority(m, *in.Priority); err != nil {
			return nil, err
		}
		s.Priority = strp(strconv.Itoa(*in.Priority))
	}
	if in.ExecutionOrder != nil {
		if err := checkOrder(m, *in.ExecutionOrder); err != nil {
			return nil, err
		}
		s.ExecutionOrder = in.ExecutionOrder
	}
	if in.Recurrence != nil {
		if err := in.Recurrence.Check(); err != nil {
			return nil, fmt.Errorf("rest.%s: %w", m, err)
		}
		s.Frequency = strp(in.Recurrence.Frequency)
		s.FrequencyDetails = &in.Recurrence.Details
	}
	var r scheduleResponse
	if err := sv.s.Put(ctx, tableau.JoinPath("schedules", id), nil, req, &r); err != nil {
		return nil, err
	}
	if r.Schedule == nil {
		return nil, fmt.Errorf("rest.%s: the response has no <schedule>", m)
	}
	return r.Schedule, nil
}

// Delete deletes the schedule with id and the tasks on it.
func (sv *SchedulesService) Delete(ctx context.Context, id string) error {
	const m = "Schedules.Delete"
	if err := need(m, "id", id); err != nil {
		return err
	}
	return sv.s.Delete(ctx, tableau.JoinPath("schedules", id), nil)
}

// Scheduled content kinds.
const (
	TargetWorkbook   = "workbook"
	TargetDatasource = "datasource"
	TargetFlow       = "flow"
)

type addToScheduleRequest struct {
	XMLName xml.Name `xml:"tsRequest"`
	Task    struct {
		ExtractRefresh *taskTarget `xml:"extractRefresh,omitempty"`
		FlowRun        *taskTarget `xml:"flowRun,omitempty"`
	} `xml:"task"`
}

type taskTarget struct {
	Workbook   *idElem `xml:"workbook,omitempty"`
	Datasource *idElem `xml:"datasource,omitempty"`
	Flow       *idElem `xml:"flow,omitempty"`
}

// Add puts a workbook or data source (an extract refresh) or a flow (a
// flow run) on the server schedule with scheduleID, on the signed-in site,
// and returns the task made.
func (sv *SchedulesService) Add(ctx context.Context, scheduleID, kind, id string) (*Task, error) {
	const m = "Schedules.Add"
	if err := need(m, "scheduleID", scheduleID); err != nil {
		return nil, err
	}
	if err := need(m, "id", id); err != nil {
		return nil, err
	}
	var req addToScheduleRequest
	t := &taskTarget{}
	switch kind {
	case TargetWorkbook:
		t.Workbook = &idElem{ID: id}
		req.Task.ExtractRefresh = t
	case TargetDatasource:
		t.Datasource = &idElem{ID: id}
		req.Task.ExtractRefresh = t
	case TargetFlow:
		t.Flow = &idElem{ID: id}
		req.Task.FlowRun = t
	default:
		return nil, fmt.Errorf("rest.%s: %w: kind %q is not workbook, datasource or flow", m, tableau.ErrInvalidArgument, kind)
	}
	path, err := sv.sitePath(m, "schedules", scheduleID, kind+"s")
	if err != nil {
		return nil, err
	}
	var r taskResponse
	if err := sv.s.Put(ctx, path, nil, req, &r); err != nil {
		return nil, err
	}
	if r.Task == nil {
		return nil, fmt.Errorf("rest.%s: the response has no <task>", m)
	}
	return r.Task.decode(), nil
}

// ScheduleStateUpdate names the schedules [SchedulesService.BatchUpdateState]
// activates or suspends.
type ScheduleStateUpdate struct {
	// State is Active or Suspended (any case). Required.
	State string
	// IDs are the schedules to change; required unless All.
	IDs []string
	// All changes every schedule of the server; IDs must then be empty.
	// Default: false.
	All bool
}

type scheduleIDList struct {
	IDs []string `xml:"scheduleLuids>scheduleLuid"`
}

// BatchUpdateState activates or suspends several server schedules (or all
// of them) in one request and returns the ids of the schedules it applied
// to (API 3.27, Tableau Server, server administrators).
func (sv *SchedulesService) BatchUpdateState(ctx context.Context, u ScheduleStateUpdate) ([]string, error) {
	const m = "Schedules.BatchUpdateState"
	state := strings.ToLower(u.State)
	if state != "active" && state != "suspended" {
		return nil, fmt.Errorf("rest.%s: %w: State %q is not Active or Suspended", m, tableau.ErrInvalidArgument, u.State)
	}
	if u.All == (len(u.IDs) > 0) {
		return nil, fmt.Errorf("rest.%s: %w: give either schedule ids or All", m, tableau.ErrInvalidArgument)
	}
	for _, id := range u.IDs {
		if strings.TrimSpace(id) == "" {
			return nil, fmt.Errorf("rest.%s: %w: a schedule id is empty", m, tableau.ErrInvalidArgument)
		}
	}
	if err := sv.s.RequireVersion("rest."+m, "3.27"); err != nil {
		return nil, err
	}
	q := url.Values{"state": {state}}
	req := struct {
		XMLName xml.Name `xml:"tsRequest"`
		scheduleIDList
	}{scheduleIDList: scheduleIDList{IDs: u.IDs}}
	if u.All {
		q.Set("updateAll", "true")
	}
	var resp scheduleIDList
	if err := sv.s.Put(ctx, "schedules", q, &req, &resp); err != nil {
		return nil, err
	}
	return resp.IDs, nil
}

// ScheduledExtract is an extract refresh task on a server schedule, as
// [SchedulesService.ExtractRefreshTasks] lists it.
type ScheduledExtract struct {
	ID       string
	Priority int
	// Type is "Full Refresh" or "Incremental Refresh".
	Type string
	// TargetKind is workbook or datasource; TargetID its id.
	TargetKind, TargetID string
}

type scheduledExtractList struct {
	Pagination tableau.Pagination `xml:"pagination"`
	Extracts   []struct {
		ID         string  `xml:"id,attr"`
		Priority   int     `xml:"priority,attr"`
		Type       string  `xml:"type,attr"`
		Workbook   *idElem `xml:"workbook"`
		Datasource *idElem `xml:"datasource"`
	} `xml:"extracts>extract"`
}

// ExtractRefreshTasks returns a pager over the extract refresh tasks of the
// server schedule with scheduleID on the signed-in site.
func (sv *SchedulesService) ExtractRefreshTasks(scheduleID string, opts *tableau.ListOptions) *tableau.Pager[ScheduledExtract] {
	const m = "Schedules.ExtractRefreshTasks"
	if err := need(m, "scheduleID", scheduleID); err != nil {
		return tableau.ErrorPager[ScheduledExtract](err)
	}
	path, err := sv.sitePath(m, "schedules", scheduleID, "extracts")
	if err != nil {
		return tableau.ErrorPager[ScheduledExtract](err)
	}
	return tableau.PagedList(sv.s, path, opts, func(r *scheduledExtractList) ([]ScheduledExtract, tableau.Pagination) {
		out := make([]ScheduledExtract, 0, len(r.Extracts))
		for _, x := range r.Extracts {
			e := ScheduledExtract{ID: x.ID, Priority: x.Priority, Type: x.Type}
			switch {
			case x.Workbook != nil:
				e.TargetKind, e.TargetID = TargetWorkbook, x.Workbook.ID
			case x.Datasource != nil:
				e.TargetKind, e.TargetID = TargetDatasource, x.Datasource.ID
			}
			out = append(out, e)
		}
		return out, r.Pagination
	})
}
