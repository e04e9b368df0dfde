package tableautest

import (
	"fmt"
	"net/http"
	"slices"
	"strings"
	"time"
)

const codeDQWNotFound = "404046" // Resource Not Found: data quality warning (emulator's code)

// dqwTypes are the types of data quality warnings as the REST API spells
// them (tableauserverclient sends the same; the UI shows "Stale data",
// "Under maintenance" and so on).
var dqwTypes = []string{"WARNING", "DEPRECATED", "STALE", "SENSITIVE_DATA", "MAINTENANCE"}

// dqwKinds are the content kinds that can carry data quality warnings.
var dqwKinds = []string{"datasource", "table", "database", "flow", "virtualconnection"}

// dqw is a data quality warning (a label) on an item.
type dqw struct {
	ID, SiteID, Type, Message string
	Active, Severe            bool
	Kind, ContentID, OwnerID  string
	Created, Updated          time.Time
}

type dqwPart struct {
	byID  map[string]*dqw
	order []string
}

func dqwElem(d dqw, ownerName string) *elem {
	e := newElem("dataQualityWarning").set("id", d.ID).set("type", d.Type).set("isActive", boolStr(d.Active)).
		set("message", d.Message).set("isSevere", boolStr(d.Severe)).
		set("createdAt", formatTime(d.Created)).set("updatedAt", formatTime(d.Updated))
	e.add(newElem("site").set("id", d.SiteID))
	e.add(newElem("owner").set("id", d.OwnerID).set("name", ownerName))
	return e.add(newElem("content").set("id", d.ContentID).set("type", d.Kind))
}

func (s *Server) routesDQW(rt *router) {
	rt.site("POST", "dataQualityWarnings/{ctype}/{contentID}", "tableau:labels:create", s.addDQW)
	rt.site("GET", "dataQualityWarnings/{ctype}/{contentID}", "tableau:labels:read", s.listDQW)
	rt.site("DELETE", "dataQualityWarnings/{ctype}/{contentID}", "tableau:labels:delete", s.deleteContentDQW)
	rt.site("GET", "dataQualityWarnings/{dqwID}", "tableau:labels:read", s.getDQW)
	rt.site("PUT", "dataQualityWarnings/{dqwID}", "tableau:labels:update", s.updateDQW)
	rt.site("DELETE", "dataQualityWarnings/{dqwID}", "tableau:labels:delete", s.deleteDQW)
}

type dqwRequest struct {
	DQW *struct {
		Type     *string `xml:"type,attr"`
		Message  *string `xml:"message,attr"`
		IsActive *string `xml:"isActive,attr"`
		IsSevere *string `xml:"isSevere,attr"`
	} `xml:"dataQualityWarning"`
}

func (d *dqw) apply(req *dqwRequest) *apiError {
	in := req.DQW
	if in.Type != nil {
		if !slices.Contains(dqwTypes, *in.Type) {
			return errBadRequest(fmt.Sprintf("The warning type '%s' is not one of %s.", *in.Type, strings.Join(dqwTypes, ", ")))
		}
		d.Type = *in.Type
	}
	if in.Message != nil {
		d.Message = *in.Message
	}
	if in.IsActive != nil {
		b, aerr := optBool("isActive", in.IsActive)
		if aerr != nil {
			return aerr
		}
		d.Active = b
	}
	if in.IsSevere != nil {
		b, aerr := optBool("isSevere", in.IsSevere)
		if aerr != nil {
			return aerr
		}
		d.Severe = b
	}
	return nil
}

func (s *Server) labelEvent(typ string, d dqw) event {
	ref, _ := s.store.lookupContent(d.SiteID, d.Kind, d.ContentID)
	return event{SiteID: d.SiteID, Type: typ, ResourceType: "label", ResourceID: d.ID, ResourceName: ref.Name}
}

func (s *Server) addDQW(w http.ResponseWriter, r *http.Request, sess session) {
	kind := strings.ToLower(r.PathValue("ctype"))
	id := r.PathValue("contentID")
	var req dqwRequest
	if aerr := readRequest(r, &req); aerr != nil {
		writeError(w, r, aerr)
		return
	}
	if req.DQW == nil || req.DQW.Type == nil {
		writeError(w, r, errBadRequest("The dataQualityWarning element needs a type."))
		return
	}
	if !slices.Contains(dqwKinds, kind) {
		writeError(w, r, errBadRequest(fmt.Sprintf("Data quality warnings apply to %s, not '%s'.", strings.Join(dqwKinds, ", "), kind)))
		return
	}
	var ev event
	s.store.mu.Lock()
	out, owner, aerr := func() (dqw, string, *apiError) {
		if _, ok := s.store.lookupContent(sess.siteID, kind, id); !ok {
			return dqw{}, "", contentNotFound(kind, id)
		}
		now := s.now()
		d := &dqw{ID: newID(), SiteID: sess.siteID, Active: true, Kind: kind, ContentID: id, OwnerID: sess.userID, Created: now, Updated: now}
		if aerr := d.apply(&req); aerr != nil {
			return dqw{}, "", aerr
		}
		p := &s.store.gov.dqws
		p.byID[d.ID] = d
		p.order = append(p.order, d.ID)
		ev = s.labelEvent(eventLabelCreated, *d)
		return *d, s.store.users.byID[d.OwnerID].Name, nil
	}()
	s.store.mu.Unlock()
	if aerr != nil {
		writeError(w, r, aerr)
		return
	}
	s.emit(ev)
	writeXML(w, r, http.StatusOK, dqwElem(out, owner))
}

func (s *Server) listDQW(w http.ResponseWriter, r *http.Request, sess session) {
	kind := strings.ToLower(r.PathValue("ctype"))
	id := r.PathValue("contentID")
	s.store.mu.RLock()
	_, ok := s.store.lookupContent(sess.siteID, kind, id)
	list := newElem("dataQualityWarningList")
	for _, did := range s.store.gov.dqws.order {
		d := s.store.gov.dqws.byID[did]
		if d.SiteID == sess.siteID && d.Kind == kind && d.ContentID == id {
			owner := ""
			if u := s.store.users.byID[d.OwnerID]; u != nil {
				owner = u.Name
			}
			list.add(dqwElem(*d, owner))
		}
	}
	s.store.mu.RUnlock()
	if !ok {
		writeError(w, r, contentNotFound(kind, id))
		return
	}
	writeXML(w, r, http.StatusOK, list)
}

// withDQW runs fn on the warning in the path under the write lock.
func (s *Server) withDQW(w http.ResponseWriter, r *http.Request, sess session, fn func(d *dqw) (*event, *apiError)) (dqw, string, bool) {
	id := r.PathValue("dqwID")
	s.store.mu.Lock()
	var out dqw
	var owner string
	var ev *event
	aerr := func() *apiError {
		d := s.store.gov.dqws.byID[id]
		if d == nil || d.SiteID != sess.siteID {
			return errNotFound(codeDQWNotFound, "Data quality warning", id)
		}
		var aerr *apiError
		if ev, aerr = fn(d); aerr != nil {
			return aerr
		}
		out = *d
		if u := s.store.users.byID[d.OwnerID]; u != nil {
			owner = u.Name
		}
		return nil
	}()
	s.store.mu.Unlock()
	if aerr != nil {
		writeError(w, r, aerr)
		return dqw{}, "", false
	}
	if ev != nil {
		s.emit(*ev)
	}
	return out, owner, true
}

func (s *Server) getDQW(w http.ResponseWriter, r *http.Request, sess session) {
	if d, owner, ok := s.withDQW(w, r, sess, func(*dqw) (*event, *apiError) { return nil, nil }); ok {
		writeXML(w, r, http.StatusOK, dqwElem(d, owner))
	}
}

func (s *Server) updateDQW(w http.ResponseWriter, r *http.Request, sess session) {
	var req dqwRequest
	if aerr := readRequest(r, &req); aerr != nil {
		writeError(w, r, aerr)
		return
	}
	if req.DQW == nil {
		writeError(w, r, errBadRequest("The request has no dataQualityWarning element."))
		return
	}
	d, owner, ok := s.withDQW(w, r, sess, func(d *dqw) (*event, *apiError) {
		upd := *d
		if aerr := upd.apply(&req); aerr != nil {
			return nil, aerr
		}
		upd.Updated = s.now()
		*d = upd
		ev := s.labelEvent(eventLabelUpdated, upd)
		return &ev, nil
	})
	if ok {
		writeXML(w, r, http.StatusOK, dqwElem(d, owner))
	}
}

func (s *Server) deleteDQW(w http.ResponseWriter, r *http.Request, sess session) {
	_, _, ok := s.withDQW(w, r, sess, func(d *dqw) (*event, *apiError) {
		ev := s.labelEvent(eventLabelDeleted, *d)
		p := &s.store.gov.dqws
		delete(p.byID, d.ID)
		p.order = slices.DeleteFunc(p.order, func(x string) bool { return x == d.ID })
		return &ev, nil
	})
	if ok {
		w.WriteHeader(http.StatusNoContent)
	}
}

func (s *Server) deleteContentDQW(w http.ResponseWriter, r *http.Request, sess session) {
	kind := strings.ToLower(r.PathValue("ctype"))
	id := r.PathValue("contentID")
	var events []event
	s.store.mu.Lock()
	_, ok := s.store.lookupContent(sess.siteID, kind, id)
	if ok {
		p := &s.store.gov.dqws
		p.order = slices.DeleteFunc(p.order, func(x string) bool {
			d := p.byID[x]
			if d.SiteID == sess.siteID && d.Kind == kind && d.ContentID == id {
				events = append(events, s.labelEvent(eventLabelDeleted, *d))
				delete(p.byID, x)
				return true
			}
			return false
		})
	}
	s.store.mu.Unlock()
	if !ok {
		writeError(w, r, contentNotFound(kind, id))
		return
	}
	for _, e := range events {
		s.emit(e)
	}
	w.WriteHeader(http.StatusNoContent)
}
