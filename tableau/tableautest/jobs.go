package tableautest

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// defaultJobDuration is how long a job runs unless SetJobDuration says otherwise.
const defaultJobDuration = time.Second

// Job types of the REST API.
const (
	jobRefresh           = "RefreshExtract"
	jobIncrement         = "IncrementExtract" // how an incremental refresh job is named
	jobPublishWorkbook   = "PublishWorkbook"
	jobPublishDatasource = "PublishDatasource"
	jobUpdateData        = "UpdateUploadedFile"
)

// Finish codes of a job.
const (
	finishSuccess   = 0
	finishFailed    = 1
	finishCancelled = 2
)

// job is an asynchronous job: an extract refresh, a publish as a job or a
// data update. It runs for its duration from Started, then finishes.
type job struct {
	ID      string
	SiteID  string
	Type    string
	Created time.Time
	// Started is when the job starts running: Created, or later for a
	// job queued behind others (the tasks of a Serial schedule).
	Started  time.Time
	Duration time.Duration
	Priority int

	resKind   resKind
	resID     string
	resName   string
	willFail  bool
	failNote  string
	requestID string // update data: the RequestID header
	// incremental marks an incremental extract refresh (API 3.25:
	// <extractRefresh incremental="true"/>); it renders as IncrementExtract.
	incremental bool

	finished   bool
	Ended      time.Time
	FinishCode int
	Notes      []string

	// onSuccess runs under store.mu (write) when the job succeeds; it
	// returns the events to emit (publish as a job stores the item here).
	onSuccess func(st *store) ([]event, error)

	// gov is set for a job a governance resource started (user import or
	// deletion, group import): it finished when it was stored and renders
	// as that resource answered it.
	gov *govJob

	// busy is true while an update-data job applies its actions outside
	// store.mu (runUpdateData); settle leaves a busy job running.
	busy bool
	// done, when not nil, is closed when the job finishes (update data:
	// the next update of the same datasource waits for it).
	done chan struct{}
}

// finish marks the job finished at now and closes done. Callers hold
// store.mu for writing.
func (j *job) finish(now time.Time) {
	j.finished = true
	j.Ended = now
	if j.done != nil {
		close(j.done)
	}
}

// SetJobDuration sets how long jobs started from now on run (extract
// refreshes, publishes as a job, data updates). 0 finishes them at once.
// Default: 1s.
func (s *Server) SetJobDuration(d time.Duration) {
	c := &s.store.content.jobCfg
	c.mu.Lock()
	c.duration, c.set = max(d, 0), true
	c.mu.Unlock()
}

// FailJobs makes the next n jobs that start fail, with notes as their
// status notes (what a client shows the user).
func (s *Server) FailJobs(n int, notes string) {
	c := &s.store.content.jobCfg
	c.mu.Lock()
	c.failNext, c.failNotes = max(n, 0), notes
	c.mu.Unlock()
}

// FailRefreshesOf makes every job started from now on for the workbook or
// datasource named name (ignoring case) fail with notes. Empty notes stop
// the failures.
func (s *Server) FailRefreshesOf(name, notes string) {
	c := &s.store.content.jobCfg
	c.mu.Lock()
	if c.failNames == nil {
		c.failNames = map[string]string{}
	}
	if notes == "" {
		delete(c.failNames, strings.ToLower(name))
	} else {
		c.failNames[strings.ToLower(name)] = notes
	}
	c.mu.Unlock()
}

// startJob sets a job's duration and fate from the job settings, stores it
// and schedules its end. Callers hold store.mu for writing.
func (s *Server) startJob(j *job) {
	c := &s.store.content.jobCfg
	c.mu.Lock()
	j.Duration = defaultJobDuration
	if c.set {
		j.Duration = c.duration
	}
	if notes, ok := c.failNames[strings.ToLower(j.resName)]; ok {
		j.willFail, j.failNote = true, notes
	} else if c.failNext > 0 {
		c.failNext--
		j.willFail, j.failNote = true, c.failNotes
	}
	c.mu.Unlock()
	if j.ID == "" {
		j.ID = newID()
	}
	j.Created = time.Now().UTC()
	if j.Started.Before(j.Created) {
		j.Started = j.Created
	}
	if j.Priority == 0 {
		j.Priority = 50
	}
	cp := &s.store.content
	cp.init()
	cp.jobs[j.ID] = j
	cp.jorder[j.SiteID] = append(cp.jorder[j.SiteID], j)
	id := j.ID
	time.AfterFunc(j.Started.Sub(j.Created)+j.Duration, func() { s.settleJob(id) })
}

// settleJob finishes a job whose time has come and emits its events.
func (s *Server) settleJob(id string) {
	s.store.mu.Lock()
	evs := s.store.settle(s.store.content.jobs[id], time.Now().UTC())
	s.store.mu.Unlock()
	for _, e := range evs {
		s.emit(e)
	}
}

// settle finishes j if its duration has passed and returns the events.
// Callers hold store.mu for writing.
func (st *store) settle(j *job, now time.Time) []event {
	if j == nil || j.finished || j.busy || now.Before(j.Started.Add(j.Duration)) {
		return nil
	}
	j.finish(now)
	var evs []event
	if j.willFail {
		j.FinishCode = finishFailed
		j.Notes = append(j.Notes, j.failNote)
	} else {
		j.FinishCode = finishSuccess
		if j.onSuccess != nil {
			more, err := j.onSuccess(st)
			if err != nil {
				j.FinishCode = finishFailed
				j.Notes = append(j.Notes, err.Error())
			}
			evs = append(evs, more...)
		}
		if j.Type == jobRefresh || j.Type == jobUpdateData {
			if it := st.content.items[j.resID]; it != nil {
				it.Refreshed = now.Truncate(time.Second)
			}
		}
	}
	if j.Type == jobRefresh {
		st.countTaskOutcome(j.SiteID, j.resID, j.FinishCode != finishSuccess)
		evs = append(evs, refreshEvent(st, j, j.FinishCode == finishSuccess))
	}
	return evs
}

// refreshEvent builds the refresh started/succeeded/failed event of a job
// (ok: nil for started).
func refreshEvent(st *store, j *job, ok bool) event {
	typ := map[resKind][2]string{
		resWorkbook:   {eventWorkbookRefreshFailed, eventWorkbookRefreshSucceeded},
		resDatasource: {eventDatasourceRefreshFailed, eventDatasourceRefreshSucceeded},
	}[j.resKind]
	t := typ[0]
	if ok {
		t = typ[1]
	}
	return contentEvent(st, t, j.resKind, j.SiteID, j.resID, j.resName)
}

// contentEvent builds an event about an item. Callers hold store.mu.
func contentEvent(st *store, typ string, kind resKind, siteID, id, name string) event {
	e := event{SiteID: siteID, Type: typ, ResourceType: kind.String(), ResourceID: id, ResourceName: name, At: time.Now().UTC().Truncate(time.Second)}
	if site := st.sites.byID[siteID]; site != nil {
		e.SiteContentURL = site.ContentURL
	}
	return e
}

// jobSnap is a job as seen at one instant.
type jobSnap struct {
	job
	status   string // Pending, InProgress, Success, Failed, Cancelled
	progress int
}

func snapJob(j *job, now time.Time) jobSnap {
	js := jobSnap{job: *j, status: "InProgress"}
	switch {
	case j.finished:
		js.progress = 100
		js.status = [...]string{"Success", "Failed", "Cancelled"}[j.FinishCode]
	case now.Before(j.Started):
		js.status = "Pending" // queued behind other jobs
	case j.Duration > 0:
		js.progress = min(99, int(100*now.Sub(j.Started)/j.Duration))
	}
	return js
}

// typeName is the job's type as Query Job answers it.
func (js jobSnap) typeName() string {
	if js.incremental {
		return jobIncrement
	}
	return js.Type
}

// listTypeName is the job's type as Query Jobs lists and filters it.
func (js jobSnap) listTypeName() string {
	if js.incremental {
		return "increment_extract"
	}
	return jobTypeName(js.Type)
}

func jobTypeName(t string) string {
	switch t {
	case jobRefresh:
		return "refresh_extracts"
	case jobPublishWorkbook:
		return "publish_workbook"
	case jobPublishDatasource:
		return "publish_datasource"
	case "UserImport":
		return "import_users"
	case "UserDelete":
		return "delete_users"
	case "GroupImport", "GroupSync":
		return "sync_ad_group"
	case jobCreateExtract:
		return "create_extract"
	case jobDeleteExtract:
		return "delete_extract"
	}
	return "update_uploaded_file"
}

// jobElem renders <job> as Query Job and the job-starting methods do.
func jobElem(js jobSnap) *elem {
	if js.gov != nil {
		return govJobElem(*js.gov)
	}
	e := newElem("job").set("id", js.ID).set("mode", "Asynchronous").set("type", js.typeName()).
		set("progress", strconv.Itoa(js.progress)).
		set("createdAt", formatTime(js.Created))
	if js.status != "Pending" {
		e.set("startedAt", formatTime(js.Started))
	}
	if js.finished {
		e.set("completedAt", formatTime(js.Ended)).set("finishCode", strconv.Itoa(js.FinishCode))
	}
	if len(js.Notes) > 0 {
		notes := newElem("statusNotes")
		for _, n := range js.Notes {
			notes.add(newElem("statusNote").set("type", "ErrorInfo").set("text", n))
		}
		e.add(notes)
	}
	res := newElem(js.resKind.String()).set("id", js.resID).set("name", js.resName)
	switch js.Type {
	case jobRefresh:
		r := newElem("extractRefreshJob")
		r.setIf("notes", strings.Join(js.Notes, "; "))
		e.add(r.add(res))
	case jobUpdateData:
		e.add(newElem("updateUploadedFileJob").add(res))
	default:
		e.add(res)
	}
	return e
}

// jobStartedElem renders <job> as the methods that start a job answer it
// (Update Workbook Now, Update Data Source Now, publish as a job, Update
// Data in Hyper Data Source): id, mode, type and createdAt, and what the
// job works on; progress and times come from Query Job.
func jobStartedElem(js jobSnap) *elem {
	full := jobElem(js)
	e := newElem("job").set("id", js.ID).set("mode", "Asynchronous").set("type", js.typeName()).
		set("createdAt", formatTime(js.Created))
	for _, k := range full.kids {
		if k.name != "statusNotes" {
			e.add(k)
		}
	}
	return e
}

func backgroundJobElem(js jobSnap) *elem {
	e := newElem("backgroundJob").set("id", js.ID).set("status", js.status).
		set("createdAt", formatTime(js.Created))
	if js.status != "Pending" {
		e.set("startedAt", formatTime(js.Started))
	}
	if js.finished {
		e.set("endedAt", formatTime(js.Ended))
	}
	return e.set("priority", strconv.Itoa(js.Priority)).set("jobType", js.listTypeName()).
		set("title", js.resName).set("subtitle", jobSubtitle(js))
}

// jobSubtitle is a background job's subtitle: what kind of thing it works on.
func jobSubtitle(js jobSnap) string {
	switch {
	case js.gov != nil:
		return "Users and groups"
	case js.resKind == resDatasource:
		return "Data Source"
	}
	return "Workbook"
}

var jobsSchema = listSchema[jobSnap]{
	plural: "backgroundJobs",
	render: backgroundJobElem,
	fields: []field[jobSnap]{
		{name: "status", kind: kindString, value: func(j jobSnap) string { return j.status }},
		{name: "jobType", kind: kindString, value: func(j jobSnap) string { return j.listTypeName() }},
		{name: "createdAt", kind: kindTime, value: func(j jobSnap) string { return formatTime(j.Created) }},
		{name: "startedAt", kind: kindTime, value: func(j jobSnap) string { return formatTime(j.Started) }},
		{name: "endedAt", kind: kindTime, value: func(j jobSnap) string {
			if !j.finished {
				return ""
			}
			return formatTime(j.Ended)
		}},
		{name: "priority", kind: kindInt, value: func(j jobSnap) string { return strconv.Itoa(j.Priority) }},
		{name: "title", kind: kindString, value: func(j jobSnap) string { return j.resName }},
		{name: "subtitle", kind: kindString, value: jobSubtitle},
	},
}

func (s *Server) routesJobs(rt *router) {
	rt.site("GET", "jobs", "tableau:jobs:read", s.listJobs)
	rt.site("GET", "jobs/{jobID}", "tableau:jobs:read", s.getJob)
	rt.site("PUT", "jobs/{jobID}", "tableau:jobs:update", s.cancelJob)
}

// settleSite finishes the due jobs of a site; callers hold store.mu for
// writing and emit the events after unlocking.
func (st *store) settleSite(siteID string, now time.Time) []event {
	var evs []event
	for _, j := range st.content.jorder[siteID] {
		evs = append(evs, st.settle(j, now)...)
	}
	return evs
}

func (s *Server) listJobs(w http.ResponseWriter, r *http.Request, sess session) {
	now := time.Now().UTC()
	s.store.mu.Lock()
	evs := s.store.settleSite(sess.siteID, now)
	var snaps []jobSnap
	for _, j := range s.store.content.jorder[sess.siteID] {
		snaps = append(snaps, snapJob(j, now))
	}
	s.store.mu.Unlock()
	for _, e := range evs {
		s.emit(e)
	}
	writeList(w, r, &jobsSchema, snaps)
}

func (s *Server) getJob(w http.ResponseWriter, r *http.Request, sess session) {
	id := r.PathValue("jobID")
	now := time.Now().UTC()
	s.store.mu.Lock()
	j := s.store.content.jobs[id]
	var evs []event
	var js jobSnap
	if j != nil && j.SiteID == sess.siteID {
		evs = s.store.settle(j, now)
		js = snapJob(j, now)
	}
	s.store.mu.Unlock()
	for _, e := range evs {
		s.emit(e)
	}
	if j == nil || j.SiteID != sess.siteID {
		writeError(w, r, errNotFound(codeJobNotFound, "Job", id))
		return
	}
	writeXML(w, r, http.StatusOK, jobElem(js))
}

// cancelJob cancels a job that has not finished (PUT jobs/{id}).
func (s *Server) cancelJob(w http.ResponseWriter, r *http.Request, sess session) {
	id := r.PathValue("jobID")
	now := time.Now().UTC()
	s.store.mu.Lock()
	j := s.store.content.jobs[id]
	var evs []event
	aerr := func() *apiError {
		if j == nil || j.SiteID != sess.siteID {
			return errNotFound(codeJobNotFound, "Job", id)
		}
		evs = s.store.settle(j, now)
		if j.finished {
			return errConflict(codeJobFinished, fmt.Sprintf("Job '%s' has already finished; it cannot be cancelled.", id))
		}
		j.finish(now)
		j.FinishCode = finishCancelled
		j.Notes = append(j.Notes, "The job was cancelled by a user.")
		return nil
	}()
	s.store.mu.Unlock()
	for _, e := range evs {
		s.emit(e)
	}
	if aerr != nil {
		writeError(w, r, aerr)
		return
	}
	writeXML(w, r, http.StatusOK)
}
