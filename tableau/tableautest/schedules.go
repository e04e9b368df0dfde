package tableautest

import (
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Codes of the schedules API.
const (
	codeScheduleNotFound = "404010" // Resource Not Found: schedule
	codeScheduleConflict = "409021" // Resource Conflict: schedule name taken
	codeScheduleInvalid  = "400035" // Bad Request: schedule frequency details not valid
	codeTaskConflict     = "409036" // Resource Conflict: the item is already in the schedule
)

var (
	scheduleTypes   = []string{"Extract", "Subscription", "Flow", "DataAcceleration"}
	frequencies     = []string{"Hourly", "Daily", "Weekly", "Monthly"}
	weekDays        = []string{"Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"}
	hourlyHours     = []string{"1", "2", "4", "6", "8", "12", "24"}
	hourlyMinutes   = []string{"15", "30", "60"}
	executionOrders = []string{"Parallel", "Serial"}
)

// interval is one <interval> of a schedule's frequency details.
type interval struct {
	Hours, Minutes, WeekDay, MonthDay string
}

// frequencyDetails is a schedule's <frequencyDetails start end><intervals/>.
type frequencyDetails struct {
	Frequency  string
	Start, End string // HH:MM:SS
	Intervals  []interval
}

// schedule is a server schedule (Tableau Server) or, with SiteID set, the
// inline schedule of a Tableau Cloud task.
type schedule struct {
	ID, Name, State, Type, ExecutionOrder string
	Priority                              int
	Freq                                  frequencyDetails
	Created, Updated                      time.Time
}

type schedulesPart struct {
	byID  map[string]*schedule
	order []string
}

// scheduleRequest is <tsRequest><schedule ...><frequencyDetails .../></schedule></tsRequest>.
type scheduleRequest struct {
	Schedule *scheduleXML `xml:"schedule"`
}

type scheduleXML struct {
	Name             *string              `xml:"name,attr"`
	Priority         *string              `xml:"priority,attr"`
	Type             *string              `xml:"type,attr"`
	Frequency        *string              `xml:"frequency,attr"`
	ExecutionOrder   *string              `xml:"executionOrder,attr"`
	State            *string              `xml:"state,attr"`
	FrequencyDetails *frequencyDetailsXML `xml:"frequencyDetails"`
}

type frequencyDetailsXML struct {
	Start     string `xml:"start,attr"`
	End       string `xml:"end,attr"`
	Intervals []struct {
		Hours    string `xml:"hours,attr"`
		Minutes  string `xml:"minutes,attr"`
		WeekDay  string `xml:"weekDay,attr"`
		MonthDay string `xml:"monthDay,attr"`
	} `xml:"intervals>interval"`
}

func badSchedule(format string, args ...any) *apiError {
	return newAPIError(http.StatusBadRequest, codeScheduleInvalid, "Bad Request", fmt.Sprintf(format, args...))
}

func validClock(s string) bool {
	_, err := time.Parse("15:04:05", s)
	return err == nil
}

// parseFrequency validates a frequency and its details as the REST API's
// Create Schedule describes them.
func parseFrequency(freq string, fd *frequencyDetailsXML) (frequencyDetails, *apiError) {
	out := frequencyDetails{Frequency: freq}
	if !slices.Contains(frequencies, freq) {
		return out, badSchedule("The frequency '%s' is not one of %s.", freq, strings.Join(frequencies, ", "))
	}
	if fd == nil {
		return out, badSchedule("A %s schedule needs a frequencyDetails element.", freq)
	}
	if !validClock(fd.Start) {
		return out, badSchedule("The start time '%s' is not a time like 23:30:00.", fd.Start)
	}
	out.Start, out.End = fd.Start, fd.End
	if fd.End != "" && !validClock(fd.End) {
		return out, badSchedule("The end time '%s' is not a time like 23:30:00.", fd.End)
	}
	for _, iv := range fd.Intervals {
		out.Intervals = append(out.Intervals, interval{Hours: iv.Hours, Minutes: iv.Minutes, WeekDay: iv.WeekDay, MonthDay: iv.MonthDay})
	}
	count := func(f func(interval) bool) int {
		n := 0
		for _, iv := range out.Intervals {
			if f(iv) {
				n++
			}
		}
		return n
	}
	for _, iv := range out.Intervals {
		if iv.WeekDay != "" && !slices.Contains(weekDays, iv.WeekDay) {
			return out, badSchedule("The weekDay '%s' is not a day of the week (Monday ...).", iv.WeekDay)
		}
	}
	switch freq {
	case "Hourly":
		if out.End == "" {
			return out, badSchedule("An Hourly schedule needs an end time.")
		}
		n := 0
		for _, iv := range out.Intervals {
			switch {
			case iv.Hours != "":
				if !slices.Contains(hourlyHours, iv.Hours) {
					return out, badSchedule("The hours interval '%s' is not one of %s.", iv.Hours, strings.Join(hourlyHours, ", "))
				}
				n++
			case iv.Minutes != "":
				if !slices.Contains(hourlyMinutes, iv.Minutes) {
					return out, badSchedule("The minutes interval '%s' is not one of %s.", iv.Minutes, strings.Join(hourlyMinutes, ", "))
				}
				n++
			case iv.MonthDay != "":
				return out, badSchedule("An Hourly schedule takes no monthDay interval.")
			}
		}
		if n != 1 {
			return out, badSchedule("An Hourly schedule needs exactly one hours or minutes interval.")
		}
	case "Daily":
		if count(func(iv interval) bool { return iv.MonthDay != "" || iv.Minutes != "" }) > 0 {
			return out, badSchedule("A Daily schedule takes only hours and weekDay intervals.")
		}
		for _, iv := range out.Intervals {
			if iv.Hours != "" && !slices.Contains([]string{"2", "4", "6", "8", "12", "24"}, iv.Hours) {
				return out, badSchedule("The hours interval '%s' of a Daily schedule is not 2, 4, 6, 8, 12 or 24.", iv.Hours)
			}
		}
	case "Weekly":
		if n := count(func(iv interval) bool { return iv.WeekDay != "" }); n == 0 || n != len(out.Intervals) {
			return out, badSchedule("A Weekly schedule needs one or more weekDay intervals and nothing else.")
		}
	case "Monthly":
		if len(out.Intervals) == 0 {
			return out, badSchedule("A Monthly schedule needs a monthDay interval.")
		}
		for _, iv := range out.Intervals {
			if iv.MonthDay == "" || iv.Hours != "" || iv.Minutes != "" {
				return out, badSchedule("A Monthly schedule takes monthDay intervals (1 to 31, LastDay).")
			}
			if iv.MonthDay == "LastDay" || slices.Contains([]string{"First", "Second", "Third", "Fourth", "Fifth", "Last"}, iv.MonthDay) {
				continue
			}
			n, err := strconv.Atoi(iv.MonthDay)
			if err != nil || n < 1 || n > 31 {
				return out, badSchedule("The monthDay '%s' is not 1 to 31 or LastDay.", iv.MonthDay)
			}
		}
	}
	return out, nil
}

// nextRun returns the first run time after now (UTC clock times).
func (f frequencyDetails) nextRun(now time.Time) time.Time {
	now = now.UTC()
	clock, _ := time.Parse("15:04:05", f.Start)
	day := time.Date(now.Year(), now.Month(), now.Day(), clock.Hour(), clock.Minute(), clock.Second(), 0, time.UTC)
	days := map[string]bool{}
	var monthDays []string
	step := time.Duration(0)
	for _, iv := range f.Intervals {
		if iv.WeekDay != "" {
			days[iv.WeekDay] = true
		}
		if iv.MonthDay != "" {
			monthDays = append(monthDays, iv.MonthDay)
		}
		if iv.Hours != "" {
			h, _ := strconv.Atoi(iv.Hours)
			step = time.Duration(h) * time.Hour
		}
		if iv.Minutes != "" {
			m, _ := strconv.Atoi(iv.Minutes)
			step = time.Duration(m) * time.Minute
		}
	}
	dayOK := func(t time.Time) bool {
		switch f.Frequency {
		case "Weekly", "Daily", "Hourly":
			return len(days) == 0 || days[t.Weekday().String()]
		case "Monthly":
			last := time.Date(t.Year(), t.Month()+1, 0, 0, 0, 0, 0, time.UTC).Day()
			for _, md := range monthDays {
				if md == "LastDay" && t.Day() == last {
					return true
				}
				if n, err := strconv.Atoi(md); err == nil && (n == t.Day() || (n > last && t.Day() == last)) {
					return true
				}
			}
			return false
		}
		return true
	}
	for d := 0; d < 400; d++ {
		base := day.AddDate(0, 0, d)
		if !dayOK(base) {
			continue
		}
		t := base
		for {
			if t.After(now) {
				return t
			}
			if step == 0 {
				break
			}
			t = t.Add(step)
			if t.Day() != base.Day() {
				break
			}
			if f.End != "" {
				end, _ := time.Parse("15:04:05", f.End)
				endT := time.Date(base.Year(), base.Month(), base.Day(), end.Hour(), end.Minute(), end.Second(), 0, time.UTC)
				if t.After(endT) {
					break
				}
			}
		}
	}
	return day.AddDate(0, 0, 1)
}

func frequencyElem(f frequencyDetails) *elem {
	fd := newElem("frequencyDetails").set("start", f.Start)
	fd.setIf("end", f.End)
	if len(f.Intervals) > 0 {
		ivs := newElem("intervals")
		for _, iv := range f.Intervals {
			e := newElem("interval")
			e.setIf("hours", iv.Hours).setIf("minutes", iv.Minutes).setIf("weekDay", iv.WeekDay).setIf("monthDay", iv.MonthDay)
			ivs.add(e)
		}
		fd.add(ivs)
	}
	return fd
}

func scheduleElem(x schedule, now time.Time) *elem {
	e := newElem("schedule").
		set("id", x.ID).
		set("name", x.Name).
		set("state", x.State).
		set("priority", strconv.Itoa(x.Priority)).
		set("createdAt", formatTime(x.Created)).
		set("updatedAt", formatTime(x.Updated)).
		set("type", x.Type).
		set("frequency", x.Freq.Frequency)
	if x.State == "Active" {
		e.set("nextRunAt", formatTime(x.Freq.nextRun(now)))
	}
	e.set("executionOrder", x.ExecutionOrder)
	return e.add(frequencyElem(x.Freq))
}

func (s *Server) routesSchedules(rt *router) {
	rt.authed("GET", "schedules", "tableau:schedules:read", s.listSchedules)
	rt.authed("POST", "schedules", "tableau:schedules:create", s.createSchedule)
	rt.authed("GET", "schedules/{scheduleID}", "tableau:schedules:read", s.getSchedule)
	rt.authed("PUT", "schedules/{scheduleID}", "tableau:schedules:update", s.updateSchedule)
	rt.authed("DELETE", "schedules/{scheduleID}", "tableau:schedules:delete", s.deleteSchedule)
	rt.site("PUT", "schedules/{scheduleID}/workbooks", "tableau:tasks:create", s.addToSchedule)
	rt.site("PUT", "schedules/{scheduleID}/datasources", "tableau:tasks:create", s.addToSchedule)
	rt.site("PUT", "schedules/{scheduleID}/flows", "tableau:tasks:create", s.addToSchedule)
	rt.site("GET", "schedules/{scheduleID}/extracts", "tableau:tasks:read", s.listScheduleExtracts)
}

var schedulesSchema = listSchema[schedule]{
	plural: "schedules",
	fields: []field[schedule]{
		{name: "name", kind: kindString, value: func(x schedule) string { return x.Name }},
		{name: "type", kind: kindString, value: func(x schedule) string { return x.Type }},
		{name: "state", kind: kindString, value: func(x schedule) string { return x.State }},
		{name: "frequency", kind: kindString, value: func(x schedule) string { return x.Freq.Frequency }},
		{name: "priority", kind: kindInt, value: func(x schedule) string { return strconv.Itoa(x.Priority) }},
	},
}

func (s *Server) listSchedules(w http.ResponseWriter, r *http.Request, sess session) {
	s.store.mu.RLock()
	var out []schedule
	for _, id := range s.store.gov.schedules.order {
		out = append(out, *s.store.gov.schedules.byID[id])
	}
	s.store.mu.RUnlock()
	now := time.Now()
	schema := schedulesSchema
	schema.render = func(x schedule) *elem { return scheduleElem(x, now) }
	writeList(w, r, &schema, out)
}

func (s *Server) getSchedule(w http.ResponseWriter, r *http.Request, sess session) {
	id := r.PathValue("scheduleID")
	s.store.mu.RLock()
	x := s.store.gov.schedules.byID[id]
	var out schedule
	if x != nil {
		out = *x
	}
	s.store.mu.RUnlock()
	if x == nil {
		writeError(w, r, errNotFound(codeScheduleNotFound, "Schedule", id))
		return
	}
	writeXML(w, r, http.StatusOK, scheduleElem(out, time.Now()))
}

func (p *schedulesPart) conflict(name, self string) *apiError {
	for _, id := range p.order {
		if x := p.byID[id]; x.ID != self && strings.EqualFold(x.Name, name) {
			return errConflict(codeScheduleConflict, fmt.Sprintf("A schedule named '%s' already exists.", x.Name))
		}
	}
	return nil
}

func parsePriority(v *string) (int, *apiError) {
	n, err := strconv.Atoi(*v)
	if err != nil || n < 1 || n > 100 {
		return 0, badSchedule("The priority '%s' is not an integer from 1 to 100.", *v)
	}
	return n, nil
}

func (s *Server) createSchedule(w http.ResponseWriter, r *http.Request, sess session) {
	if !s.requireServerAdmin(w, r, sess) {
		return
	}
	var req scheduleRequest
	if aerr := readRequest(r, &req); aerr != nil {
		writeError(w, r, aerr)
		return
	}
	in := req.Schedule
	if in == nil || in.Name == nil || strings.TrimSpace(*in.Name) == "" || in.Type == nil || in.Frequency == nil {
		writeError(w, r, errBadRequest("The schedule element needs name, type and frequency attributes."))
		return
	}
	x := &schedule{Name: *in.Name, State: "Active", Priority: 50, ExecutionOrder: "Parallel", Type: *in.Type}
	if !slices.Contains(scheduleTypes, x.Type) {
		writeError(w, r, badSchedule("The schedule type '%s' is not one of %s.", x.Type, strings.Join(scheduleTypes, ", ")))
		return
	}
	if aerr := applyScheduleAttrs(x, in); aerr != nil {
		writeError(w, r, aerr)
		return
	}
	fd, aerr := parseFrequency(*in.Frequency, in.FrequencyDetails)
	if aerr != nil {
		writeError(w, r, aerr)
		return
	}
	x.Freq = fd
	s.store.mu.Lock()
	p := &s.store.gov.schedules
	aerr = p.conflict(x.Name, "")
	if aerr == nil {
		x.ID = newID()
		x.Created = s.now()
		x.Updated = x.Created
		p.byID[x.ID] = x
		p.order = append(p.order, x.ID)
	}
	out := *x
	s.store.mu.Unlock()
	if aerr != nil {
		writeError(w, r, aerr)
		return
	}
	writeXML(w, r, http.StatusCreated, scheduleElem(out, time.Now()))
}

// applyScheduleAttrs sets priority, execution order and state from a request.
func applyScheduleAttrs(x *schedule, in *scheduleXML) *apiError {
	if in.Priority != nil {
		n, aerr := parsePriority(in.Priority)
		if aerr != nil {
			return aerr
		}
		x.Priority = n
	}
	if in.ExecutionOrder != nil {
		if !slices.Contains(executionOrders, *in.ExecutionOrder) {
			return badSchedule("The executionOrder '%s' is not Parallel or Serial.", *in.ExecutionOrder)
		}
		x.ExecutionOrder = *in.ExecutionOrder
	}
	if in.State != nil {
		if *in.State != "Active" && *in.State != "Suspended" {
			return badSchedule("The state '%s' is not Active or Suspended.", *in.State)
		}
		x.State = *in.State
	}
	return nil
}

func (s *Server) updateSchedule(w http.ResponseWriter, r *http.Request, sess session) {
	if !s.requireServerAdmin(w, r, sess) {
		return
	}
	var req scheduleRequest
	if aerr := readRequest(r, &req); aerr != nil {
		writeError(w, r, aerr)
		return
	}
	in := req.Schedule
	if in == nil {
		writeError(w, r, errBadRequest("The request has no schedule element."))
		return
	}
	id := r.PathValue("scheduleID")
	s.store.mu.Lock()
	out, aerr := func() (schedule, *apiError) {
		x := s.store.gov.schedules.byID[id]
		if x == nil {
			return schedule{}, errNotFound(codeScheduleNotFound, "Schedule", id)
		}
		upd := *x
		if in.Name != nil {
			if strings.TrimSpace(*in.Name) == "" {
				return schedule{}, badSchedule("The schedule name is empty.")
			}
			if aerr := s.store.gov.schedules.conflict(*in.Name, id); aerr != nil {
				return schedule{}, aerr
			}
			upd.Name = *in.Name
		}
		if in.Type != nil && *in.Type != x.Type {
			return schedule{}, badSchedule("The type of a schedule cannot change.")
		}
		if aerr := applyScheduleAttrs(&upd, in); aerr != nil {
			return schedule{}, aerr
		}
		if in.Frequency != nil || in.FrequencyDetails != nil {
			freq := x.Freq.Frequency
			if in.Frequency != nil {
				freq = *in.Frequency
			}
			fd, aerr := parseFrequency(freq, in.FrequencyDetails)
			if aerr != nil {
				return schedule{}, aerr
			}
			upd.Freq = fd
		}
		upd.Updated = s.now()
		*x = upd
		return upd, nil
	}()
	s.store.mu.Unlock()
	if aerr != nil {
		writeError(w, r, aerr)
		return
	}
	writeXML(w, r, http.StatusOK, scheduleElem(out, time.Now()))
}

func (s *Server) deleteSchedule(w http.ResponseWriter, r *http.Request, sess session) {
	if !s.requireServerAdmin(w, r, sess) {
		return
	}
	id := r.PathValue("scheduleID")
	s.store.mu.Lock()
	p := &s.store.gov.schedules
	found := p.byID[id] != nil
	if found {
		delete(p.byID, id)
		p.order = slices.DeleteFunc(p.order, func(x string) bool { return x == id })
		// Tasks on the schedule go with it, as on Tableau Server.
		t := &s.store.gov.tasks
		for tid, tk := range t.byID {
			if tk.ScheduleID == id {
				delete(t.byID, tid)
			}
		}
		t.order = slices.DeleteFunc(t.order, func(x string) bool { return t.byID[x] == nil })
	}
	s.store.mu.Unlock()
	if !found {
		writeError(w, r, errNotFound(codeScheduleNotFound, "Schedule", id))
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// addTaskRequest is <tsRequest><task><extractRefresh|flowRun><workbook|datasource|flow id/></...></task></tsRequest>.
type addTaskRequest struct {
	Task *struct {
		ExtractRefresh *taskTargetXML `xml:"extractRefresh"`
		FlowRun        *taskTargetXML `xml:"flowRun"`
	} `xml:"task"`
}

type taskTargetXML struct {
	Type        string `xml:"type,attr"`
	Incremental string `xml:"incremental,attr"`
	Workbook    *struct {
		ID string `xml:"id,attr"`
	} `xml:"workbook"`
	Datasource *struct {
		ID string `xml:"id,attr"`
	} `xml:"datasource"`
	Flow *struct {
		ID string `xml:"id,attr"`
	} `xml:"flow"`
}

func (t *taskTargetXML) target() (kind, id string) {
	switch {
	case t.Workbook != nil:
		return "workbook", t.Workbook.ID
	case t.Datasource != nil:
		return "datasource", t.Datasource.ID
	case t.Flow != nil:
		return "flow", t.Flow.ID
	}
	return "", ""
}

// addToSchedule adds a workbook, data source (extract refresh) or flow
// (flow run) to a server schedule, creating a task.
func (s *Server) addToSchedule(w http.ResponseWriter, r *http.Request, sess session) {
	if !s.requireSiteAdmin(w, r, sess) {
		return
	}
	seg := r.URL.Path[strings.LastIndex(r.URL.Path, "/")+1:]
	want := strings.TrimSuffix(seg, "s")
	var req addTaskRequest
	if aerr := readRequest(r, &req); aerr != nil {
		writeError(w, r, aerr)
		return
	}
	var tx *taskTargetXML
	taskType := "extractRefresh"
	if req.Task != nil {
		if req.Task.ExtractRefresh != nil {
			tx = req.Task.ExtractRefresh
		} else if req.Task.FlowRun != nil {
			tx, taskType = req.Task.FlowRun, "flowRun"
		}
	}
	if tx == nil {
		writeError(w, r, errBadRequest("The request needs <task><extractRefresh> or <task><flowRun> with the item."))
		return
	}
	kind, id := tx.target()
	if kind != want || id == "" {
		writeError(w, r, errBadRequest(fmt.Sprintf("This method adds a %s (with an id) to a schedule.", want)))
		return
	}
	if (kind == "flow") != (taskType == "flowRun") {
		writeError(w, r, errBadRequest("Flows take a flowRun task; workbooks and data sources an extractRefresh task."))
		return
	}
	schedID := r.PathValue("scheduleID")
	s.store.mu.Lock()
	out, aerr := func() (taskView, *apiError) {
		sc := s.store.gov.schedules.byID[schedID]
		if sc == nil {
			return taskView{}, errNotFound(codeScheduleNotFound, "Schedule", schedID)
		}
		wantType := "Extract"
		if kind == "flow" {
			wantType = "Flow"
		}
		if sc.Type != wantType {
			return taskView{}, badSchedule("The schedule '%s' is a %s schedule; a %s needs a %s schedule.", sc.Name, sc.Type, kind, wantType)
		}
		ref, ok := s.store.lookupContent(sess.siteID, kind, id)
		if !ok {
			return taskView{}, contentNotFound(kind, id)
		}
		for _, tid := range s.store.gov.tasks.order {
			tk := s.store.gov.tasks.byID[tid]
			if tk.ScheduleID == schedID && tk.TargetID == id {
				return taskView{}, errConflict(codeTaskConflict, fmt.Sprintf("The %s '%s' is already in schedule '%s'.", kind, ref.Name, sc.Name))
			}
		}
		tk := &task{SiteID: sess.siteID, Type: taskType, RefreshType: "FullRefresh", Priority: sc.Priority,
			ScheduleID: schedID, TargetKind: kind, TargetID: id, Created: s.now()}
		if tx.Type != "" {
			tk.RefreshType = tx.Type
		}
		s.store.gov.tasks.add(tk)
		return s.store.taskView(tk), nil
	}()
	s.store.mu.Unlock()
	if aerr != nil {
		writeError(w, r, aerr)
		return
	}
	writeXML(w, r, http.StatusOK, newElem("task").add(taskInnerElem(out, time.Now())))
}

// listScheduleExtracts lists the extract refresh tasks of a schedule on the site.
func (s *Server) listScheduleExtracts(w http.ResponseWriter, r *http.Request, sess session) {
	schedID := r.PathValue("scheduleID")
	s.store.mu.RLock()
	sc := s.store.gov.schedules.byID[schedID]
	var views []taskView
	for _, tid := range s.store.gov.tasks.order {
		tk := s.store.gov.tasks.byID[tid]
		if tk.SiteID == sess.siteID && tk.ScheduleID == schedID && tk.Type == "extractRefresh" {
			views = append(views, s.store.taskView(tk))
		}
	}
	s.store.mu.RUnlock()
	if sc == nil {
		writeError(w, r, errNotFound(codeScheduleNotFound, "Schedule", schedID))
		return
	}
	schema := listSchema[taskView]{plural: "extracts", render: func(v taskView) *elem {
		e := newElem("extract").set("id", v.ID).set("priority", strconv.Itoa(v.Priority)).set("type", refreshWord(v.RefreshType))
		return e.add(newElem(v.TargetKind).set("id", v.TargetID))
	}}
	writeList(w, r, &schema, views)
}

// refreshWord turns FullRefresh into "Full Refresh" as Query Extract
// Refresh Tasks in Schedule renders it.
func refreshWord(t string) string {
	if t == "IncrementalRefresh" {
		return "Incremental Refresh"
	}
	return "Full Refresh"
}
