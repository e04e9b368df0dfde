package tableautest

import (
	"fmt"
	"net/http"
	"slices"
	"strings"
	"time"
)

const codeAlertNotFound = "404028" // Resource Not Found: data-driven alert

var alertFrequencies = []string{"once", "frequently", "hourly", "daily", "weekly"}

// dataAlert is a data-driven alert on a view.
type dataAlert struct {
	ID, SiteID, Subject, Frequency string
	Public                         bool
	OwnerID, ViewID                string
	Condition, Threshold           string
	recipients                     []string
	Created, Updated               time.Time
}

type dataAlertsPart struct {
	byID  map[string]*dataAlert
	order []string
}

func (p *dataAlertsPart) get(siteID, id string) *dataAlert {
	if a := p.byID[id]; a != nil && a.SiteID == siteID {
		return a
	}
	return nil
}

type alertView struct {
	dataAlert
	recipients []string
	ownerName  string
	view       contentRef
	workbook   contentRef
	project    contentRef
}

func (st *store) alertView(a *dataAlert) alertView {
	v := alertView{dataAlert: *a, recipients: slices.Clone(a.recipients)}
	if u := st.users.byID[a.OwnerID]; u != nil {
		v.ownerName = u.Name
	}
	v.view, _ = st.lookupContent(a.SiteID, "view", a.ViewID)
	if cv := st.content.views[a.ViewID]; cv != nil {
		v.workbook, _ = st.lookupContent(a.SiteID, "workbook", cv.WorkbookID)
	}
	v.project, _ = st.lookupContent(a.SiteID, "project", v.view.ProjectID)
	return v
}

func alertElem(v alertView) *elem {
	e := newElem("dataAlert").set("id", v.ID).set("subject", v.Subject).set("creatorId", v.OwnerID).
		set("createdAt", formatTime(v.Created)).set("updatedAt", formatTime(v.Updated)).
		set("frequency", v.Frequency).set("public", boolStr(v.Public))
	e.add(newElem("owner").set("id", v.OwnerID).set("name", v.ownerName))
	e.add(newElem("view").set("id", v.ViewID).set("name", v.view.Name).add(
		newElem("workbook").set("id", v.workbook.ID).set("name", v.workbook.Name),
		newElem("owner").set("id", v.view.OwnerID),
		newElem("project").set("id", v.project.ID).set("name", v.project.Name)))
	rs := newElem("recipients")
	for _, r := range v.recipients {
		rs.add(newElem("recipient").set("id", r))
	}
	return e.add(rs)
}

var alertsSchema = listSchema[alertView]{
	plural: "dataAlerts",
	render: alertElem,
	fields: []field[alertView]{
		{name: "subject", kind: kindString, value: func(v alertView) string { return v.Subject }},
		{name: "frequency", kind: kindString, value: func(v alertView) string { return v.Frequency }},
		{name: "ownerId", kind: kindString, value: func(v alertView) string { return v.OwnerID }},
		{name: "viewId", kind: kindString, value: func(v alertView) string { return v.ViewID }},
	},
}

func (s *Server) routesDataAlerts(rt *router) {
	rt.site("GET", "dataAlerts", "tableau:data_alerts:read", s.listAlerts)
	rt.site("POST", "dataAlerts", "tableau:data_alerts:create", s.createAlert)
	rt.site("GET", "dataAlerts/{alertID}", "tableau:data_alerts:read", s.getAlert)
	rt.site("PUT", "dataAlerts/{alertID}", "tableau:data_alerts:update", s.updateAlert)
	rt.site("DELETE", "dataAlerts/{alertID}", "tableau:data_alerts:delete", s.deleteAlert)
	rt.site("POST", "dataAlerts/{alertID}/users", "tableau:data_alerts:update", s.addAlertUser)
	rt.site("DELETE", "dataAlerts/{alertID}/users/{userID}", "tableau:data_alerts:update", s.removeAlertUser)
}

func (s *Server) listAlerts(w http.ResponseWriter, r *http.Request, sess session) {
	s.store.mu.RLock()
	var views []alertView
	for _, id := range s.store.gov.alerts.order {
		if a := s.store.gov.alerts.byID[id]; a.SiteID == sess.siteID {
			views = append(views, s.store.alertView(a))
		}
	}
	s.store.mu.RUnlock()
	writeList(w, r, &alertsSchema, views)
}

// alertRequest is Create Data-Driven Alert's <dataAlertCreateAlert> or
// Update's <dataAlert>.
type alertRequest struct {
	Create *struct {
		Subject        string `xml:"subject,attr"`
		Frequency      string `xml:"frequency,attr"`
		Visibility     string `xml:"visibility,attr"`
		AlertCondition string `xml:"alertCondition,attr"`
		AlertThreshold string `xml:"alertThreshold,attr"`
		View           *struct {
			ID string `xml:"id,attr"`
		} `xml:"view"`
	} `xml:"dataAlertCreateAlert"`
	Update *struct {
		Subject   *string `xml:"subject,attr"`
		Frequency *string `xml:"frequency,attr"`
		Public    *string `xml:"public,attr"`
		Owner     *struct {
			ID string `xml:"id,attr"`
		} `xml:"owner"`
	} `xml:"dataAlert"`
}

func checkFrequency(f string) *apiError {
	if !slices.Contains(alertFrequencies, strings.ToLower(f)) {
		return errBadRequest(fmt.Sprintf("The alert frequency '%s' is not one of %s.", f, strings.Join(alertFrequencies, ", ")))
	}
	return nil
}

func (s *Server) createAlert(w http.ResponseWriter, r *http.Request, sess session) {
	var req alertRequest
	if aerr := readRequest(r, &req); aerr != nil {
		writeError(w, r, aerr)
		return
	}
	in := req.Create
	if in == nil || in.View == nil || strings.TrimSpace(in.Subject) == "" || in.AlertCondition == "" || in.AlertThreshold == "" {
		writeError(w, r, errBadRequest("A dataAlertCreateAlert needs a subject, alertCondition, alertThreshold and a view."))
		return
	}
	if in.Frequency == "" {
		in.Frequency = "once"
	}
	if aerr := checkFrequency(in.Frequency); aerr != nil {
		writeError(w, r, aerr)
		return
	}
	s.store.mu.Lock()
	v, aerr := func() (alertView, *apiError) {
		if _, ok := s.store.lookupContent(sess.siteID, "view", in.View.ID); !ok {
			return alertView{}, contentNotFound("view", in.View.ID)
		}
		now := s.now()
		a := &dataAlert{ID: newID(), SiteID: sess.siteID, Subject: in.Subject, Frequency: strings.ToLower(in.Frequency),
			Public: in.Visibility == "public", OwnerID: sess.userID, ViewID: in.View.ID, Condition: in.AlertCondition,
			Threshold: in.AlertThreshold, recipients: []string{sess.userID}, Created: now, Updated: now}
		p := &s.store.gov.alerts
		p.byID[a.ID] = a
		p.order = append(p.order, a.ID)
		return s.store.alertView(a), nil
	}()
	s.store.mu.Unlock()
	if aerr != nil {
		writeError(w, r, aerr)
		return
	}
	writeXML(w, r, http.StatusOK, alertElem(v))
}

func (s *Server) getAlert(w http.ResponseWriter, r *http.Request, sess session) {
	id := r.PathValue("alertID")
	s.store.mu.RLock()
	a := s.store.gov.alerts.get(sess.siteID, id)
	var v alertView
	if a != nil {
		v = s.store.alertView(a)
	}
	s.store.mu.RUnlock()
	if a == nil {
		writeError(w, r, errNotFound(codeAlertNotFound, "Data alert", id))
		return
	}
	writeXML(w, r, http.StatusOK, alertElem(v))
}

// withAlert runs fn on an alert the session may change and answers.
func (s *Server) withAlert(w http.ResponseWriter, r *http.Request, sess session, status int, fn func(a *dataAlert) *apiError) {
	id := r.PathValue("alertID")
	s.store.mu.Lock()
	var v alertView
	aerr := func() *apiError {
		a := s.store.gov.alerts.get(sess.siteID, id)
		if a == nil {
			return errNotFound(codeAlertNotFound, "Data alert", id)
		}
		if a.OwnerID != sess.userID && !s.store.isSiteAdmin(sess) {
			return errForbidden("Only the alert's owner and administrators may change it.")
		}
		if aerr := fn(a); aerr != nil {
			return aerr
		}
		a.Updated = s.now()
		v = s.store.alertView(a)
		return nil
	}()
	s.store.mu.Unlock()
	if aerr != nil {
		writeError(w, r, aerr)
		return
	}
	if status == http.StatusNoContent {
		w.WriteHeader(status)
		return
	}
	writeXML(w, r, status, alertElem(v))
}

func (s *Server) updateAlert(w http.ResponseWriter, r *http.Request, sess session) {
	var req alertRequest
	if aerr := readRequest(r, &req); aerr != nil {
		writeError(w, r, aerr)
		return
	}
	in := req.Update
	if in == nil {
		writeError(w, r, errBadRequest("The request has no dataAlert element."))
		return
	}
	s.withAlert(w, r, sess, http.StatusOK, func(a *dataAlert) *apiError {
		upd := *a
		if in.Subject != nil {
			upd.Subject = *in.Subject
		}
		if in.Frequency != nil {
			if aerr := checkFrequency(*in.Frequency); aerr != nil {
				return aerr
			}
			upd.Frequency = strings.ToLower(*in.Frequency)
		}
		if in.Public != nil {
			b, aerr := optBool("public", in.Public)
			if aerr != nil {
				return aerr
			}
			upd.Public = b
		}
		if in.Owner != nil && in.Owner.ID != "" {
			if s.store.users.get(sess.siteID, in.Owner.ID) == nil {
				return errNotFound(codeUserNotFound, "User", in.Owner.ID)
			}
			upd.OwnerID = in.Owner.ID
		}
		*a = upd
		return nil
	})
}

func (s *Server) deleteAlert(w http.ResponseWriter, r *http.Request, sess session) {
	s.withAlert(w, r, sess, http.StatusNoContent, func(a *dataAlert) *apiError {
		p := &s.store.gov.alerts
		delete(p.byID, a.ID)
		p.order = slices.DeleteFunc(p.order, func(x string) bool { return x == a.ID })
		return nil
	})
}

func (s *Server) addAlertUser(w http.ResponseWriter, r *http.Request, sess session) {
	var req membersRequest
	if aerr := readRequest(r, &req); aerr != nil {
		writeError(w, r, aerr)
		return
	}
	ids := req.ids()
	if len(ids) != 1 {
		writeError(w, r, errBadRequest("The request needs one <user id/>."))
		return
	}
	s.withAlert(w, r, sess, http.StatusOK, func(a *dataAlert) *apiError {
		if s.store.users.get(sess.siteID, ids[0]) == nil {
			return errNotFound(codeUserNotFound, "User", ids[0])
		}
		if !a.Public && !slices.Contains(a.recipients, ids[0]) && ids[0] != a.OwnerID {
			return errForbidden("Only public alerts can have other recipients.")
		}
		if !slices.Contains(a.recipients, ids[0]) {
			a.recipients = append(a.recipients, ids[0])
		}
		return nil
	})
}

func (s *Server) removeAlertUser(w http.ResponseWriter, r *http.Request, sess session) {
	uid := r.PathValue("userID")
	s.withAlert(w, r, sess, http.StatusNoContent, func(a *dataAlert) *apiError {
		if !slices.Contains(a.recipients, uid) {
			return errNotFound(codeUserNotFound, "Recipient of the alert", uid)
		}
		a.recipients = slices.DeleteFunc(a.recipients, func(x string) bool { return x == uid })
		return nil
	})
}
