package tableautest

import (
	"errors"
	"fmt"
	"time"
)

// ScheduleRun is what [Server.RunSchedule] started.
type ScheduleRun struct {
	// JobIDs are the refresh jobs of the schedule's extract refresh
	// tasks, in task order.
	JobIDs []string
	// FlowRunIDs are the flow runs of its flow tasks, then the first run
	// of each of its linked tasks, in task order.
	FlowRunIDs []string
}

// RunSchedule runs every task on the schedule now, as Tableau's scheduler
// does when the schedule's time comes: each extract refresh task starts a
// refresh job (with its webhook events and the task's failure count),
// each flow task a flow run, and each linked task on the schedule its
// flows in order. On a Parallel schedule all of them start at once; on a
// Serial one each waits for the previous to finish (tasks in the order
// they were added, then linked tasks), its job or run "Pending" until
// then. Unless [Options].FireSchedules is set, the emulator does not run
// schedules by the clock; a test calls RunSchedule where the time would
// come.
//
// A suspended or unknown schedule runs nothing and returns an error. A
// task that cannot start (its workbook was deleted, or it has no extract)
// is skipped; the error then names it, and the run still holds what
// started.
func (s *Server) RunSchedule(scheduleID string) (ScheduleRun, error) {
	var run ScheduleRun
	s.store.mu.RLock()
	sc := s.store.gov.schedules.byID[scheduleID]
	if sc == nil {
		s.store.mu.RUnlock()
		return run, fmt.Errorf("tableautest: RunSchedule: no schedule %q", scheduleID)
	}
	if sc.State != "Active" {
		s.store.mu.RUnlock()
		return run, fmt.Errorf("tableautest: RunSchedule: schedule %q is %s", sc.Name, sc.State)
	}
	name, serial := sc.Name, sc.ExecutionOrder == "Serial"
	var tasks []task
	for _, id := range s.store.gov.tasks.order {
		if t := s.store.gov.tasks.byID[id]; t.ScheduleID == scheduleID && t.Own == nil {
			tasks = append(tasks, *t)
		}
	}
	var linked []*linkedTask
	for _, id := range s.store.gov.linked.order {
		if lt := s.store.gov.linked.byID[id]; lt.ScheduleID == scheduleID {
			linked = append(linked, lt)
		}
	}
	s.store.mu.RUnlock()

	// next is when the next task starts: now, or on a Serial schedule when
	// the previous one ends.
	next := time.Now().UTC()
	startAt := func() time.Time {
		if serial {
			return next
		}
		return time.Now().UTC()
	}
	var errs []error
	for _, t := range tasks {
		switch t.Type {
		case "extractRefresh":
			js, aerr := s.runRefresh(session{siteID: t.SiteID}, t, startAt())
			if aerr != nil {
				errs = append(errs, fmt.Errorf("task %s: %s", t.ID, aerr.detail))
				continue
			}
			run.JobIDs = append(run.JobIDs, js.ID)
			next = js.Started.Add(js.Duration)
		case "flowRun":
			s.store.mu.Lock()
			var fr *flowRun
			if f := s.store.liveFlow(t.SiteID, t.TargetID); f != nil {
				fr = s.startFlowRunAt(f, t.ID, startAt())
				next = fr.Created.Add(fr.Duration)
			}
			s.store.mu.Unlock()
			if fr == nil {
				errs = append(errs, fmt.Errorf("task %s: no flow %q", t.ID, t.TargetID))
				continue
			}
			run.FlowRunIDs = append(run.FlowRunIDs, fr.ID)
		}
	}
	for _, lt := range linked {
		s.store.mu.Lock()
		fr, end := s.startLinkedRun(lt, startAt())
		s.store.mu.Unlock()
		if fr == nil {
			errs = append(errs, fmt.Errorf("linked task %s: its first flow %q no longer exists", lt.ID, lt.FlowIDs[0]))
			continue
		}
		run.FlowRunIDs = append(run.FlowRunIDs, fr.ID)
		next = end
	}
	if len(errs) > 0 {
		return run, fmt.Errorf("tableautest: RunSchedule %q: %w", name, errors.Join(errs...))
	}
	return run, nil
}

// fireSchedules runs the active schedules whose next run time has come,
// checking every tick, until the server closes ([Options.FireSchedules]).
func (s *Server) fireSchedules(tick time.Duration) {
	ticker := time.NewTicker(tick)
	defer ticker.Stop()
	last := time.Now()
	for {
		select {
		case <-s.life.Done():
			return
		case now := <-ticker.C:
			schedules, tasks := s.dueSchedules(last, now)
			for _, id := range schedules {
				if _, err := s.RunSchedule(id); err != nil {
					s.log.Warn("tableautest: scheduled run", "schedule", id, "err", err)
				}
			}
			for _, t := range tasks {
				s.runOwnTask(t)
			}
			last = now
		}
	}
}

// runOwnTask runs a task that has a schedule of its own (Tableau Cloud's)
// when its time comes; a task that cannot start is logged.
func (s *Server) runOwnTask(t task) {
	if t.Type == "extractRefresh" {
		if _, aerr := s.runRefresh(session{siteID: t.SiteID}, t, time.Time{}); aerr != nil {
			s.log.Warn("tableautest: scheduled run", "task", t.ID, "err", aerr.detail)
		}
		return
	}
	s.store.mu.Lock()
	defer s.store.mu.Unlock()
	if f := s.store.liveFlow(t.SiteID, t.TargetID); f != nil {
		s.startFlowRun(f, t.ID)
		return
	}
	s.log.Warn("tableautest: scheduled run", "task", t.ID, "err", "the flow no longer exists")
}

// dueSchedules returns the active server schedules, and the tasks with a
// schedule of their own (Tableau Cloud's), that have a run time in
// (from, to].
func (s *Server) dueSchedules(from, to time.Time) (schedules []string, tasks []task) {
	s.store.mu.RLock()
	defer s.store.mu.RUnlock()
	for _, id := range s.store.gov.schedules.order {
		sc := s.store.gov.schedules.byID[id]
		if sc != nil && sc.State == "Active" && !sc.Freq.nextRun(from).After(to) {
			schedules = append(schedules, id)
		}
	}
	for _, id := range s.store.gov.tasks.order {
		t := s.store.gov.tasks.byID[id]
		if t.Own != nil && t.Own.State == "Active" && !t.Own.Freq.nextRun(from).After(to) {
			tasks = append(tasks, *t)
		}
	}
	return schedules, tasks
}
