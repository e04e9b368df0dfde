package tableautest

import (
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"
)

// This file holds Batch Update Schedule State (API 3.27, Tableau Server,
// server administrators): PUT /schedules?state=active|suspended with the
// schedules' ids in the body, or &updateAll=true for every schedule.

func (s *Server) routesSchedulesBatch(rt *router) {
	rt.authed("PUT", "schedules", "tableau:schedules:update", s.batchUpdateScheduleState)
}

// batchScheduleStateRequest is <tsRequest><scheduleLuids><scheduleLuid>id</scheduleLuid>...</scheduleLuids></tsRequest>.
type batchScheduleStateRequest struct {
	IDs []string `xml:"scheduleLuids>scheduleLuid"`
}

func (s *Server) batchUpdateScheduleState(w http.ResponseWriter, r *http.Request, sess session) {
	if !s.requireServerAdmin(w, r, sess) {
		return
	}
	q := r.URL.Query()
	var state string
	switch strings.ToLower(q.Get("state")) {
	case "active":
		state = "Active"
	case "suspended":
		state = "Suspended"
	default:
		writeError(w, r, badSchedule("The state '%s' is not active or suspended.", q.Get("state")))
		return
	}
	all := false
	if v := q.Get("updateAll"); v != "" {
		b, aerr := optBool("updateAll", &v)
		if aerr != nil {
			writeError(w, r, aerr)
			return
		}
		all = b
	}
	body, err := io.ReadAll(http.MaxBytesReader(nil, r.Body, 1<<20))
	if err != nil {
		writeError(w, r, errBadRequest(fmt.Sprintf("The request body could not be read: %v.", err)))
		return
	}
	var req batchScheduleStateRequest
	if strings.TrimSpace(string(body)) != "" {
		r.Body = io.NopCloser(strings.NewReader(string(body)))
		if aerr := readRequest(r, &req); aerr != nil {
			writeError(w, r, aerr)
			return
		}
	}
	if !all && len(req.IDs) == 0 {
		writeError(w, r, errBadRequest("The request names no schedule (scheduleLuids>scheduleLuid) and does not set updateAll=true."))
		return
	}
	s.store.mu.Lock()
	ids, aerr := func() ([]string, *apiError) {
		p := &s.store.gov.schedules
		ids := slices.Clone(p.order)
		if !all {
			ids = nil
			for _, id := range req.IDs {
				id = strings.TrimSpace(id)
				if p.byID[id] == nil {
					return nil, errNotFound(codeScheduleNotFound, "Schedule", id)
				}
				if !slices.Contains(ids, id) {
					ids = append(ids, id)
				}
			}
		}
		now := s.now()
		for _, id := range ids {
			if x := p.byID[id]; x.State != state {
				x.State, x.Updated = state, now
			}
		}
		return ids, nil
	}()
	s.store.mu.Unlock()
	if aerr != nil {
		writeError(w, r, aerr)
		return
	}
	list := newElem("scheduleLuids")
	for _, id := range ids {
		list.add(newElem("scheduleLuid").withText(id))
	}
	writeXML(w, r, http.StatusOK, list)
}
