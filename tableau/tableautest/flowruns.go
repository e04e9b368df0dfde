package tableautest

import (
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"
)

// flowRun is one run of a flow. Like the content resources' jobs it runs
// for the job duration ([Server.SetJobDuration]) and fails when
// [Server.FailJobs] or [Server.FailRefreshesOf] (by flow name) say so.
type flowRun struct {
	ID, SiteID, FlowID, FlowName string
	TaskID                       string
	// Chain is the ID of the first run of a linked task's run: the
	// runs of one chain start one after the other, and cancelling one
	// cancels those of the chain that have not started.
	Chain               string
	Created             time.Time
	Duration            time.Duration
	willFail, cancelled bool
	cancelledAt         time.Time
}

type flowRunsPart struct {
	byID  map[string]*flowRun
	order []string
}

// status returns the run's status, progress and completion time at now.
func (fr *flowRun) status(now time.Time) (string, int, time.Time) {
	end := fr.Created.Add(fr.Duration)
	switch {
	case fr.cancelled:
		return "Cancelled", 100, fr.cancelledAt
	case now.Before(fr.Created):
		return "Pending", 0, time.Time{} // a later step of a linked task
	case !now.Before(end):
		if fr.willFail {
			return "Failed", 100, end
		}
		return "Success", 100, end
	case fr.Duration > 0:
		return "InProgress", min(99, int(100*now.Sub(fr.Created)/fr.Duration)), time.Time{}
	}
	return "Pending", 0, time.Time{}
}

func flowRunElem(fr flowRun, now time.Time) *elem {
	status, progress, done := fr.status(now)
	e := newElem("flowRun").set("id", fr.ID).set("flowId", fr.FlowID).set("status", status)
	if !now.Before(fr.Created) { // a queued step of a linked task has not started
		e.set("startedAt", formatTime(fr.Created))
	}
	e.set("progress", strconv.Itoa(progress)).set("backgroundJobId", fr.ID)
	if !done.IsZero() {
		e.set("completedAt", formatTime(done))
	}
	return e
}

var flowRunsSchema = listSchema[flowRun]{
	plural: "flowRuns",
	fields: []field[flowRun]{
		{name: "flowId", kind: kindString, value: func(x flowRun) string { return x.FlowID }},
		{name: "startedAt", kind: kindTime, value: func(x flowRun) string { return formatTime(x.Created) }},
		{name: "progress", kind: kindInt, value: func(x flowRun) string {
			_, p, _ := x.status(time.Now())
			return strconv.Itoa(p)
		}},
		{name: "status", kind: kindString, value: func(x flowRun) string {
			st, _, _ := x.status(time.Now())
			return st
		}},
	},
}

// startFlowRun starts a run of f now. Callers hold store.mu (write).
func (s *Server) startFlowRun(f *flow, taskID string) *flowRun {
	return s.startFlowRunAt(f, taskID, time.Now().UTC())
}

// startFlowRunAt queues a run of f that starts at start. Callers hold
// store.mu (write).
func (s *Server) startFlowRunAt(f *flow, taskID string, start time.Time) *flowRun {
	c := &s.store.content.jobCfg
	c.mu.Lock()
	fr := &flowRun{ID: newID(), SiteID: f.SiteID, FlowID: f.ID, FlowName: f.Name, TaskID: taskID, Created: start, Duration: defaultJobDuration}
	if c.set {
		fr.Duration = c.duration
	}
	if _, ok := c.failNames[strings.ToLower(f.Name)]; ok {
		fr.willFail = true
	} else if c.failNext > 0 {
		c.failNext--
		fr.willFail = true
	}
	c.mu.Unlock()
	p := &s.store.gov.flows.runs
	p.byID[fr.ID] = fr
	p.order = append(p.order, fr.ID)
	return fr
}

func runJobElem(fr flowRun) *elem {
	return newElem("job").set("id", fr.ID).set("mode", "Asynchronous").set("type", "RunFlow").
		set("createdAt", formatTime(fr.Created)).set("progress", "0").
		add(newElem("runFlowJobType").set("flowRunId", fr.ID).add(newElem("flow").set("id", fr.FlowID).set("name", fr.FlowName)))
}

func (s *Server) runFlow(w http.ResponseWriter, r *http.Request, sess session) {
	id := r.PathValue("flowID")
	s.store.mu.Lock()
	f := s.store.liveFlow(sess.siteID, id)
	var fr flowRun
	if f != nil {
		fr = *s.startFlowRun(f, "")
	}
	s.store.mu.Unlock()
	if f == nil {
		writeError(w, r, errNotFound(codeFlowNotFound, "Flow", id))
		return
	}
	writeXML(w, r, http.StatusOK, runJobElem(fr))
}

func (s *Server) listFlowRuns(w http.ResponseWriter, r *http.Request, sess session) {
	s.store.mu.RLock()
	var runs []flowRun
	for _, id := range s.store.gov.flows.runs.order {
		if fr := s.store.gov.flows.runs.byID[id]; fr.SiteID == sess.siteID {
			runs = append(runs, *fr)
		}
	}
	s.store.mu.RUnlock()
	now := time.Now()
	schema := flowRunsSchema
	schema.render = func(x flowRun) *elem { return flowRunElem(x, now) }
	writeList(w, r, &schema, runs)
}

func (s *Server) getFlowRun(w http.ResponseWriter, r *http.Request, sess session, id string) {
	s.store.mu.RLock()
	fr := s.store.gov.flows.runs.byID[id]
	var cp flowRun
	if fr != nil {
		cp = *fr
	}
	s.store.mu.RUnlock()
	if fr == nil || cp.SiteID != sess.siteID {
		writeError(w, r, errNotFound(codeFlowRunNotFound, "Flow run", id))
		return
	}
	writeXML(w, r, http.StatusOK, flowRunElem(cp, time.Now()))
}

// cancelFlowRun cancels a run that has not finished (Cancel Flow Run).
func (s *Server) cancelFlowRun(w http.ResponseWriter, r *http.Request, sess session, id string) {
	now := time.Now().UTC()
	s.store.mu.Lock()
	aerr := func() *apiError {
		fr := s.store.gov.flows.runs.byID[id]
		if fr == nil || fr.SiteID != sess.siteID {
			return errNotFound(codeFlowRunNotFound, "Flow run", id)
		}
		if st, _, _ := fr.status(now); st != "Pending" && st != "InProgress" {
			return errConflict("409048", fmt.Sprintf("The flow run has finished (%s) and cannot be cancelled.", st))
		}
		fr.cancelled, fr.cancelledAt = true, now
		if fr.Chain != "" {
			// The later steps of a linked task's run never start.
			for _, later := range s.store.gov.flows.runs.byID {
				if later.Chain == fr.Chain && now.Before(later.Created) {
					later.cancelled, later.cancelledAt = true, now
				}
			}
		}
		return nil
	}()
	s.store.mu.Unlock()
	if aerr != nil {
		writeError(w, r, aerr)
		return
	}
	writeXML(w, r, http.StatusOK)
}

func (s *Server) listFlowTasks(w http.ResponseWriter, r *http.Request, sess session) {
	now := time.Now()
	schema := listSchema[taskView]{plural: "tasks", render: func(v taskView) *elem {
		return newElem("task").add(taskInnerElem(v, now))
	}}
	writeList(w, r, &schema, s.siteTasks(sess.siteID, "flowRun"))
}

func (s *Server) runFlowTask(w http.ResponseWriter, r *http.Request, sess session) {
	id := r.PathValue("taskID")
	s.store.mu.Lock()
	aerr, fr := func() (*apiError, flowRun) {
		t := s.store.gov.tasks.get(sess.siteID, id)
		if t == nil || t.Type != "flowRun" {
			return errNotFound(codeTaskNotFound, "Task", id), flowRun{}
		}
		f := s.store.liveFlow(sess.siteID, t.TargetID)
		if f == nil {
			return errNotFound(codeFlowNotFound, "Flow", t.TargetID), flowRun{}
		}
		return nil, *s.startFlowRun(f, t.ID)
	}()
	s.store.mu.Unlock()
	if aerr != nil {
		writeError(w, r, aerr)
		return
	}
	writeXML(w, r, http.StatusOK, runJobElem(fr))
}

// linkedTask runs flows one after the other (Tableau Cloud's linked tasks).
type linkedTask struct {
	ID, SiteID, ScheduleID string
	FlowIDs                []string
}

type linkedTasksPart struct {
	byID  map[string]*linkedTask
	order []string
}

// AddLinkedTask defines a linked task on the site with that content URL:
// the flows run in order, each after the previous one succeeds. The REST
// API can only list and run linked tasks; they are made in Tableau's UI.
func (s *Server) AddLinkedTask(siteContentURL, scheduleID string, flowIDs ...string) (string, error) {
	s.store.mu.Lock()
	defer s.store.mu.Unlock()
	st := s.store.sites.byContentURL(siteContentURL)
	if st == nil {
		return "", fmt.Errorf("tableautest: AddLinkedTask: no site with content URL %q", siteContentURL)
	}
	if s.store.gov.schedules.byID[scheduleID] == nil {
		return "", fmt.Errorf("tableautest: AddLinkedTask: no schedule %q", scheduleID)
	}
	if len(flowIDs) == 0 {
		return "", fmt.Errorf("tableautest: AddLinkedTask: no flows")
	}
	for _, f := range flowIDs {
		if s.store.liveFlow(st.ID, f) == nil {
			return "", fmt.Errorf("tableautest: AddLinkedTask: no flow %q on the site", f)
		}
	}
	lt := &linkedTask{ID: newID(), SiteID: st.ID, ScheduleID: scheduleID, FlowIDs: slices.Clone(flowIDs)}
	p := &s.store.gov.linked
	p.byID[lt.ID] = lt
	p.order = append(p.order, lt.ID)
	return lt.ID, nil
}

func (s *Server) linkedElem(lt *linkedTask, now time.Time) *elem {
	e := newElem("linkedTasks").set("id", lt.ID).set("numSteps", strconv.Itoa(len(lt.FlowIDs)))
	if sc := s.store.gov.schedules.byID[lt.ScheduleID]; sc != nil {
		e.add(scheduleElem(*sc, now))
	}
	for i, fid := range lt.FlowIDs {
		name := ""
		if f := s.store.gov.flows.byID[fid]; f != nil {
			name = f.Name
		}
		step := newElem("linkedTaskSteps").set("id", fmt.Sprintf("%s-%d", lt.ID, i+1)).
			set("stepNumber", strconv.Itoa(i+1)).set("stopDownstreamTasksOnFailure", "true")
		run := newElem("flowRun").set("id", fmt.Sprintf("%s-task-%d", lt.ID, i+1)).set("priority", "50").
			set("consecutiveFailedCount", "0").set("type", "RunFlow")
		step.add(newElem("task").add(run.add(newElem("flow").set("id", fid).set("name", name))))
		e.add(step)
	}
	return e
}

func (s *Server) listLinkedTasks(w http.ResponseWriter, r *http.Request, sess session) {
	now := time.Now()
	s.store.mu.RLock()
	list := newElem("linkedTasks")
	for _, id := range s.store.gov.linked.order {
		if lt := s.store.gov.linked.byID[id]; lt.SiteID == sess.siteID {
			list.add(s.linkedElem(lt, now))
		}
	}
	s.store.mu.RUnlock()
	writeXML(w, r, http.StatusOK, list)
}

func (s *Server) getLinkedTask(w http.ResponseWriter, r *http.Request, sess session) {
	id := r.PathValue("linkedID")
	s.store.mu.RLock()
	lt := s.store.gov.linked.byID[id]
	var e *elem
	if lt != nil && lt.SiteID == sess.siteID {
		e = s.linkedElem(lt, time.Now())
	}
	s.store.mu.RUnlock()
	if e == nil {
		writeError(w, r, errNotFound(codeTaskNotFound, "Linked task", id))
		return
	}
	writeXML(w, r, http.StatusOK, e)
}

// startLinkedRun runs a linked task's flows in order from start: each
// run is queued to start when the previous one ends, and the chain stops
// after a run that fails (every step stops downstream tasks on failure) or
// at a flow that no longer exists. It returns the first run (nil if the
// first flow no longer exists) and when the last run queued ends. Callers
// hold store.mu (write).
func (s *Server) startLinkedRun(lt *linkedTask, start time.Time) (*flowRun, time.Time) {
	var first *flowRun
	for _, fid := range lt.FlowIDs {
		f := s.store.liveFlow(lt.SiteID, fid)
		if f == nil {
			break
		}
		step := s.startFlowRunAt(f, lt.ID, start)
		if first == nil {
			first = step
		}
		step.Chain = first.ID
		start = start.Add(step.Duration)
		if step.willFail {
			break
		}
	}
	return first, start
}

// runLinkedTask runs a linked task (startLinkedRun); the job's ID is the
// first run's.
func (s *Server) runLinkedTask(w http.ResponseWriter, r *http.Request, sess session) {
	id := r.PathValue("linkedID")
	s.store.mu.Lock()
	lt := s.store.gov.linked.byID[id]
	var fr *flowRun
	if lt != nil && lt.SiteID == sess.siteID {
		fr, _ = s.startLinkedRun(lt, time.Now().UTC())
	}
	var cp flowRun
	if fr != nil {
		cp = *fr
	}
	s.store.mu.Unlock()
	if fr == nil {
		writeError(w, r, errNotFound(codeTaskNotFound, "Linked task", id))
		return
	}
	writeXML(w, r, http.StatusOK, newElem("linkedTaskJob").set("id", cp.ID).set("linkedTaskId", id).
		set("status", "Pending").set("createdAt", formatTime(cp.Created)))
}

// cloudFlowTaskRequest is Create Cloud Flow Task's body:
// <runFlow type><flow id/></runFlow><schedule frequency><frequencyDetails .../></schedule>.
type cloudFlowTaskRequest struct {
	RunFlow *struct {
		Type string `xml:"type,attr"`
		Flow *struct {
			ID string `xml:"id,attr"`
		} `xml:"flow"`
	} `xml:"runFlow"`
	Schedule *scheduleXML `xml:"schedule"`
}

// createFlowTask creates a flow run task with its own schedule, as Tableau
// Cloud does (Create Cloud Flow Task, API 3.22). The answer is the task
// with the schedule beside it.
func (s *Server) createFlowTask(w http.ResponseWriter, r *http.Request, sess session) {
	if !s.requireSiteAdmin(w, r, sess) {
		return
	}
	var req cloudFlowTaskRequest
	if aerr := readRequest(r, &req); aerr != nil {
		writeError(w, r, aerr)
		return
	}
	if req.RunFlow == nil || req.RunFlow.Flow == nil || req.RunFlow.Flow.ID == "" || req.Schedule == nil || req.Schedule.Frequency == nil {
		writeError(w, r, errBadRequest("The request needs a runFlow element with a flow id and a schedule element with a frequency."))
		return
	}
	fd, aerr := parseFrequency(*req.Schedule.Frequency, req.Schedule.FrequencyDetails)
	if aerr != nil {
		writeError(w, r, aerr)
		return
	}
	id := req.RunFlow.Flow.ID
	s.store.mu.Lock()
	var v taskView
	f := s.store.liveFlow(sess.siteID, id)
	if f != nil {
		now := s.now()
		t := s.store.gov.tasks.add(&task{SiteID: sess.siteID, Type: "flowRun", Priority: 50,
			Own: &schedule{State: "Active", Type: "Flow", Freq: fd, Created: now, Updated: now}, TargetKind: "flow", TargetID: id, Created: now})
		v = s.store.taskView(t)
	}
	s.store.mu.Unlock()
	if f == nil {
		writeError(w, r, errNotFound(codeFlowNotFound, "Flow", id))
		return
	}
	now := time.Now()
	sc := newElem("schedule").set("frequency", fd.Frequency).set("nextRunAt", formatTime(fd.nextRun(now))).add(frequencyElem(fd))
	writeXML(w, r, http.StatusOK, newElem("task").add(taskInnerElem(v, now)), sc)
}
