package tableautest

import (
	"fmt"
	"net/http"
	"slices"
	"strings"
	"time"
)

const codeMetricNotFound = "404053"

// metric is a (legacy) metric: a value tracked from a view.
type metric struct {
	ID, SiteID, Name, Description string
	ProjectID, OwnerID, ViewID    string
	Suspended                     bool
	Tags                          []string
	Created, Updated              time.Time
}

type metricsPart struct {
	byID  map[string]*metric
	order []string
}

func (p *metricsPart) get(siteID, id string) *metric {
	if m := p.byID[id]; m != nil && m.SiteID == siteID {
		return m
	}
	return nil
}

// AddMetric adds a metric of a view to a project of the site with that
// content URL (metrics are made in Tableau's UI, not through REST) and
// returns its id.
func (s *Server) AddMetric(siteContentURL, projectID, name, viewID string) (string, error) {
	s.store.mu.Lock()
	defer s.store.mu.Unlock()
	st := s.store.sites.byContentURL(siteContentURL)
	if st == nil {
		return "", fmt.Errorf("tableautest: AddMetric: no site with content URL %q", siteContentURL)
	}
	p := s.store.projects.get(st.ID, projectID)
	if p == nil {
		return "", fmt.Errorf("tableautest: AddMetric: no project %q on the site", projectID)
	}
	if _, ok := s.store.lookupContent(st.ID, "view", viewID); !ok {
		return "", fmt.Errorf("tableautest: AddMetric: no view %q on the site", viewID)
	}
	now := s.now()
	m := &metric{ID: newID(), SiteID: st.ID, Name: name, ProjectID: projectID, OwnerID: st.adminID, ViewID: viewID, Created: now, Updated: now}
	s.store.gov.metrics.byID[m.ID] = m
	s.store.gov.metrics.order = append(s.store.gov.metrics.order, m.ID)
	return m.ID, nil
}

type metricView struct {
	metric
	projectName, ownerName string
}

func metricElem(v metricView) *elem {
	e := newElem("metric").set("id", v.ID).set("name", v.Name).set("description", v.Description).
		set("webpageUrl", "#/metrics/"+v.ID).set("createdAt", formatTime(v.Created)).set("updatedAt", formatTime(v.Updated)).
		set("suspended", boolStr(v.Suspended))
	e.add(newElem("project").set("id", v.ProjectID).set("name", v.projectName))
	e.add(newElem("owner").set("id", v.OwnerID).set("name", v.ownerName))
	e.add(tagsElem(v.Tags))
	return e.add(newElem("underlyingView").set("id", v.ViewID))
}

func (st *store) metricView(m *metric) metricView {
	v := metricView{metric: *m, ownerName: st.contactName(m.OwnerID)}
	if p := st.projects.byID[m.ProjectID]; p != nil {
		v.projectName = p.Name
	}
	return v
}

var metricsSchema = listSchema[metricView]{plural: "metrics", render: metricElem, fields: []field[metricView]{
	{name: "name", kind: kindString, value: func(v metricView) string { return v.Name }},
	{name: "projectName", kind: kindString, value: func(v metricView) string { return v.projectName }},
	{name: "ownerName", kind: kindString, value: func(v metricView) string { return v.ownerName }},
	{name: "suspended", kind: kindBool, value: func(v metricView) string { return boolStr(v.Suspended) }},
}}

func (s *Server) routesMetrics(rt *router) {
	rt.site("GET", "metrics", "tableau:content:read", s.listMetrics)
	rt.site("GET", "metrics/{metricID}", "tableau:content:read", s.getMetric)
	rt.site("PUT", "metrics/{metricID}", "tableau:metrics:update", s.updateMetric)
	rt.site("DELETE", "metrics/{metricID}", "tableau:metrics:delete", s.deleteMetric)
}

func (s *Server) listMetrics(w http.ResponseWriter, r *http.Request, sess session) {
	s.store.mu.RLock()
	var views []metricView
	for _, id := range s.store.gov.metrics.order {
		if m := s.store.gov.metrics.byID[id]; m.SiteID == sess.siteID && s.store.projects.byID[m.ProjectID] != nil {
			views = append(views, s.store.metricView(m))
		}
	}
	s.store.mu.RUnlock()
	writeList(w, r, &metricsSchema, views)
}

func (s *Server) getMetric(w http.ResponseWriter, r *http.Request, sess session) {
	id := r.PathValue("metricID")
	s.store.mu.RLock()
	m := s.store.gov.metrics.get(sess.siteID, id)
	var v metricView
	if m != nil {
		v = s.store.metricView(m)
	}
	s.store.mu.RUnlock()
	if m == nil {
		writeError(w, r, errNotFound(codeMetricNotFound, "Metric", id))
		return
	}
	writeXML(w, r, http.StatusOK, metricElem(v))
}

func (s *Server) updateMetric(w http.ResponseWriter, r *http.Request, sess session) {
	var req struct {
		Metric *struct {
			Name        *string `xml:"name,attr"`
			Description *string `xml:"description,attr"`
			Suspended   *string `xml:"suspended,attr"`
			Project     *struct {
				ID string `xml:"id,attr"`
			} `xml:"project"`
			Owner *struct {
				ID string `xml:"id,attr"`
			} `xml:"owner"`
		} `xml:"metric"`
	}
	if aerr := readRequest(r, &req); aerr != nil {
		writeError(w, r, aerr)
		return
	}
	if req.Metric == nil {
		writeError(w, r, errBadRequest("The request has no metric element."))
		return
	}
	in := req.Metric
	id := r.PathValue("metricID")
	s.store.mu.Lock()
	v, aerr := func() (metricView, *apiError) {
		m := s.store.gov.metrics.get(sess.siteID, id)
		if m == nil {
			return metricView{}, errNotFound(codeMetricNotFound, "Metric", id)
		}
		upd := *m
		if in.Name != nil {
			if strings.TrimSpace(*in.Name) == "" {
				return metricView{}, errBadRequest("The metric name is empty.")
			}
			upd.Name = *in.Name
		}
		if in.Description != nil {
			upd.Description = *in.Description
		}
		if in.Suspended != nil {
			b, aerr := optBool("suspended", in.Suspended)
			if aerr != nil {
				return metricView{}, aerr
			}
			upd.Suspended = b
		}
		if in.Project != nil {
			if s.store.projects.get(sess.siteID, in.Project.ID) == nil {
				return metricView{}, errNotFound(codeProjectNotFound, "Project", in.Project.ID)
			}
			upd.ProjectID = in.Project.ID
		}
		if in.Owner != nil {
			if s.store.users.get(sess.siteID, in.Owner.ID) == nil {
				return metricView{}, errNotFound(codeUserNotFound, "User", in.Owner.ID)
			}
			upd.OwnerID = in.Owner.ID
		}
		upd.Updated = s.now()
		*m = upd
		return s.store.metricView(m), nil
	}()
	s.store.mu.Unlock()
	if aerr != nil {
		writeError(w, r, aerr)
		return
	}
	writeXML(w, r, http.StatusOK, metricElem(v))
}

func (s *Server) deleteMetric(w http.ResponseWriter, r *http.Request, sess session) {
	id := r.PathValue("metricID")
	s.store.mu.Lock()
	p := &s.store.gov.metrics
	found := p.get(sess.siteID, id) != nil
	if found {
		delete(p.byID, id)
		p.order = slices.DeleteFunc(p.order, func(x string) bool { return x == id })
	}
	s.store.mu.Unlock()
	if !found {
		writeError(w, r, errNotFound(codeMetricNotFound, "Metric", id))
		return
	}
	w.WriteHeader(http.StatusNoContent)
}
