package tableautest

import (
	"fmt"
	"time"
)

// runRefresh starts the extract refresh of a task's workbook or data
// source as a refresh job of the content resources (jobs.go): it runs for
// the configured job duration, may be made to fail (FailJobs,
// FailRefreshesOf) and emits the refresh webhook events. A start in the
// future queues the job until then (the tasks of a Serial schedule); the
// zero time starts it now. It returns the job as it was created. Callers
// do not hold store.mu.
func (s *Server) runRefresh(sess session, t task, start time.Time) (jobSnap, *apiError) {
	kind := resWorkbook
	started := eventWorkbookRefreshStarted
	if t.TargetKind == "datasource" {
		kind, started = resDatasource, eventDatasourceRefreshStarted
	}
	s.store.mu.Lock()
	it := s.store.contentItem(kind, sess.siteID, t.TargetID)
	if it == nil {
		s.store.mu.Unlock()
		return jobSnap{}, contentNotFound(t.TargetKind, t.TargetID)
	}
	if !it.HasExtracts {
		s.store.mu.Unlock()
		return jobSnap{}, errBadRequest(fmt.Sprintf("The %s '%s' has no extract to refresh.", kind, it.Name))
	}
	j := &job{SiteID: sess.siteID, Type: jobRefresh, resKind: kind, resID: it.ID, resName: it.Name, Started: start}
	s.startJob(j)
	js := snapJob(j, j.Created)
	ev := contentEvent(s.store, started, kind, it.SiteID, it.ID, it.Name)
	s.store.mu.Unlock()
	if wait := j.Started.Sub(j.Created); wait > 0 {
		// Started when its turn comes, unless cancelled before.
		id := j.ID
		time.AfterFunc(wait, func() {
			s.store.mu.RLock()
			cur := s.store.content.jobs[id]
			run := cur != nil && !cur.finished
			s.store.mu.RUnlock()
			if run {
				s.emit(ev)
			}
		})
		return js, nil
	}
	s.emit(ev)
	return js, nil
}

// countTaskOutcome counts the consecutive failures of the tasks of the item
// a refresh job worked on, as the job finishes (under the same lock, so a
// client that sees the job finished sees the count too). Callers hold
// store.mu for writing.
func (st *store) countTaskOutcome(siteID, itemID string, failed bool) {
	for _, id := range st.gov.tasks.order {
		t := st.gov.tasks.byID[id]
		if t.SiteID != siteID || t.TargetID != itemID {
			continue
		}
		if failed {
			t.FailedInARow++
		} else {
			t.FailedInARow = 0
		}
	}
}
