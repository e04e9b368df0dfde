package tableautest

import (
	"net/http"
	"slices"
	"strconv"
	"time"
)

const codeTaskNotFound = "404009" // Resource Not Found: task

// task is an extract refresh or flow run task of a site: on a server
// schedule (ScheduleID), or with its own schedule as Tableau Cloud makes them.
type task struct {
	ID, SiteID   string
	Type         string // "extractRefresh" or "flowRun"
	RefreshType  string // FullRefresh or IncrementalRefresh
	Priority     int
	ScheduleID   string
	Own          *schedule // Tableau Cloud's per-task schedule
	TargetKind   string    // workbook, datasource or flow
	TargetID     string
	FailedInARow int
	Created      time.Time
}

type tasksPart struct {
	byID  map[string]*task
	order []string
}

func (p *tasksPart) add(t *task) *task {
	t.ID = newID()
	p.byID[t.ID] = t
	p.order = append(p.order, t.ID)
	return t
}

func (p *tasksPart) get(siteID, id string) *task {
	if t := p.byID[id]; t != nil && t.SiteID == siteID {
		return t
	}
	return nil
}

// taskView is a task with its schedule copied.
type taskView struct {
	task
	sched schedule
}

func (st *store) taskView(t *task) taskView {
	v := taskView{task: *t}
	if t.Own != nil {
		v.sched = *t.Own
	} else if sc := st.gov.schedules.byID[t.ScheduleID]; sc != nil {
		v.sched = *sc
	}
	return v
}

// taskInnerElem renders <extractRefresh ...> or <flowRun ...> with the
// schedule and the target.
func taskInnerElem(v taskView, now time.Time) *elem {
	e := newElem(v.Type).
		set("id", v.ID).
		set("priority", strconv.Itoa(v.Priority)).
		set("consecutiveFailedCount", strconv.Itoa(v.FailedInARow))
	if v.Type == "extractRefresh" {
		e.set("type", v.RefreshType)
	}
	if v.Own != nil {
		sc := newElem("schedule").set("frequency", v.sched.Freq.Frequency).set("nextRunAt", formatTime(v.sched.Freq.nextRun(now)))
		e.add(sc.add(frequencyElem(v.sched.Freq)))
	} else {
		e.add(scheduleElem(v.sched, now))
	}
	return e.add(newElem(v.TargetKind).set("id", v.TargetID))
}

func (s *Server) routesTasks(rt *router) {
	rt.site("GET", "tasks/extractRefreshes", "tableau:tasks:read", s.listRefreshTasks)
	rt.site("POST", "tasks/extractRefreshes", "tableau:tasks:create", s.createRefreshTask)
	rt.site("GET", "tasks/extractRefreshes/{taskID}", "tableau:tasks:read", s.getRefreshTask)
	rt.site("POST", "tasks/extractRefreshes/{taskID}/runNow", "tableau:tasks:run", s.runRefreshTask)
	rt.site("DELETE", "tasks/extractRefreshes/{taskID}", "tableau:tasks:delete", s.deleteRefreshTask)
}

func (s *Server) siteTasks(siteID, typ string) []taskView {
	s.store.mu.RLock()
	defer s.store.mu.RUnlock()
	var out []taskView
	for _, id := range s.store.gov.tasks.order {
		if t := s.store.gov.tasks.byID[id]; t.SiteID == siteID && t.Type == typ {
			out = append(out, s.store.taskView(t))
		}
	}
	return out
}

func (s *Server) listRefreshTasks(w http.ResponseWriter, r *http.Request, sess session) {
	now := time.Now()
	schema := listSchema[taskView]{plural: "tasks", render: func(v taskView) *elem {
		return newElem("task").add(taskInnerElem(v, now))
	}}
	writeList(w, r, &schema, s.siteTasks(sess.siteID, "extractRefresh"))
}

func (s *Server) getRefreshTask(w http.ResponseWriter, r *http.Request, sess session) {
	s.getTask(w, r, sess, "extractRefresh")
}

func (s *Server) getTask(w http.ResponseWriter, r *http.Request, sess session, typ string) {
	id := r.PathValue("taskID")
	s.store.mu.RLock()
	t := s.store.gov.tasks.get(sess.siteID, id)
	var v taskView
	if t != nil {
		v = s.store.taskView(t)
	}
	s.store.mu.RUnlock()
	if t == nil || t.Type != typ {
		writeError(w, r, errNotFound(codeTaskNotFound, "Task", id))
		return
	}
	writeXML(w, r, http.StatusOK, newElem("task").add(taskInnerElem(v, time.Now())))
}

// cloudTaskRequest is Create Cloud Extract Refresh Task's body:
// <extractRefresh type><workbook|datasource id/></extractRefresh>
// <schedule frequency><frequencyDetails .../></schedule>.
type cloudTaskRequest struct {
	ExtractRefresh *taskTargetXML `xml:"extractRefresh"`
	Schedule       *scheduleXML   `xml:"schedule"`
}

// createRefreshTask creates an extract refresh task with its own schedule,
// as Tableau Cloud does (Create Cloud Extract Refresh Task).
func (s *Server) createRefreshTask(w http.ResponseWriter, r *http.Request, sess session) {
	if !s.requireSiteAdmin(w, r, sess) {
		return
	}
	var req cloudTaskRequest
	if aerr := readRequest(r, &req); aerr != nil {
		writeError(w, r, aerr)
		return
	}
	if req.ExtractRefresh == nil || req.Schedule == nil || req.Schedule.Frequency == nil {
		writeError(w, r, errBadRequest("The request needs an extractRefresh element with the item and a schedule element with a frequency."))
		return
	}
	kind, id := req.ExtractRefresh.target()
	if (kind != "workbook" && kind != "datasource") || id == "" {
		writeError(w, r, errBadRequest("The extractRefresh element needs a workbook or datasource with an id."))
		return
	}
	refresh := "FullRefresh"
	switch req.ExtractRefresh.Type {
	case "", "FullRefresh", "fullRefresh":
	case "IncrementalRefresh", "incrementalRefresh":
		refresh = "IncrementalRefresh"
	default:
		writeError(w, r, errBadRequest("The extractRefresh type '"+req.ExtractRefresh.Type+"' is not FullRefresh or IncrementalRefresh."))
		return
	}
	fd, aerr := parseFrequency(*req.Schedule.Frequency, req.Schedule.FrequencyDetails)
	if aerr != nil {
		writeError(w, r, aerr)
		return
	}
	s.store.mu.Lock()
	v, aerr := func() (taskView, *apiError) {
		if _, ok := s.store.lookupContent(sess.siteID, kind, id); !ok {
			return taskView{}, contentNotFound(kind, id)
		}
		now := s.now()
		t := s.store.gov.tasks.add(&task{SiteID: sess.siteID, Type: "extractRefresh", RefreshType: refresh, Priority: 50,
			Own: &schedule{State: "Active", Type: "Extract", Freq: fd, Created: now, Updated: now}, TargetKind: kind, TargetID: id, Created: now})
		return s.store.taskView(t), nil
	}()
	s.store.mu.Unlock()
	if aerr != nil {
		writeError(w, r, aerr)
		return
	}
	now := time.Now()
	sc := newElem("schedule").set("frequency", fd.Frequency).set("nextRunAt", formatTime(fd.nextRun(now))).add(frequencyElem(fd))
	writeXML(w, r, http.StatusOK, taskInnerElem(v, now), sc)
}

func (s *Server) deleteRefreshTask(w http.ResponseWriter, r *http.Request, sess session) {
	if !s.requireSiteAdmin(w, r, sess) {
		return
	}
	id := r.PathValue("taskID")
	s.store.mu.Lock()
	p := &s.store.gov.tasks
	t := p.get(sess.siteID, id)
	found := t != nil && t.Type == "extractRefresh"
	if found {
		delete(p.byID, id)
		p.order = slices.DeleteFunc(p.order, func(x string) bool { return x == id })
	}
	s.store.mu.Unlock()
	if !found {
		writeError(w, r, errNotFound(codeTaskNotFound, "Task", id))
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// runRefreshTask starts the task's refresh now and answers with its job.
func (s *Server) runRefreshTask(w http.ResponseWriter, r *http.Request, sess session) {
	id := r.PathValue("taskID")
	s.store.mu.RLock()
	t := s.store.gov.tasks.get(sess.siteID, id)
	var cp task
	if t != nil {
		cp = *t
	}
	s.store.mu.RUnlock()
	if t == nil || cp.Type != "extractRefresh" {
		writeError(w, r, errNotFound(codeTaskNotFound, "Task", id))
		return
	}
	js, aerr := s.runRefresh(sess, cp, time.Time{})
	if aerr != nil {
		writeError(w, r, aerr)
		return
	}
	writeXML(w, r, http.StatusOK, jobElem(js))
}
