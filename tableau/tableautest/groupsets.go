package tableautest

import (
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
)

const (
	codeGroupSetNotFound = "404040" // Resource Not Found: group set (emulator's code)
	codeGroupSetConflict = "409040" // Resource Conflict: group set name taken (emulator's code)
)

// groupSet is a named set of groups (API 3.22).
type groupSet struct {
	ID, SiteID, Name string
	groups           []string
}

type groupSetsPart struct {
	byID  map[string]*groupSet
	order []string
}

type groupSetView struct {
	ID, Name string
	groups   []groupView
}

func (st *store) groupSetView(gs *groupSet) groupSetView {
	v := groupSetView{ID: gs.ID, Name: gs.Name}
	for _, id := range gs.groups {
		if g := st.gov.groups.byID[id]; g != nil {
			v.groups = append(v.groups, g.view())
		}
	}
	return v
}

func groupSetElem(v groupSetView) *elem {
	e := newElem("groupSet").set("id", v.ID).set("name", v.Name).set("groupCount", strconv.Itoa(len(v.groups)))
	for _, g := range v.groups {
		e.add(newElem("group").set("id", g.ID).set("name", g.Name))
	}
	return e
}

var groupSetsSchema = listSchema[groupSetView]{
	plural: "groupSets",
	render: groupSetElem,
	fields: []field[groupSetView]{
		{name: "name", kind: kindString, value: func(v groupSetView) string { return v.Name }},
		{name: "luid", kind: kindString, value: func(v groupSetView) string { return v.ID }},
		{name: "groupCount", kind: kindInt, value: func(v groupSetView) string { return strconv.Itoa(len(v.groups)) }},
	},
}

func (s *Server) routesGroupSets(rt *router) {
	rt.site("GET", "groupsets", "tableau:groupsets:read", s.listGroupSets)
	rt.site("POST", "groupsets", "tableau:groupsets:create", s.createGroupSet)
	rt.site("GET", "groupsets/{setID}", "tableau:groupsets:read", s.getGroupSet)
	rt.site("PUT", "groupsets/{setID}", "tableau:groupsets:update", s.updateGroupSet)
	rt.site("DELETE", "groupsets/{setID}", "tableau:groupsets:delete", s.deleteGroupSet)
	rt.site("PUT", "groupsets/{setID}/groups/{groupID}", "tableau:groupsets:update", s.addGroupToSet)
	rt.site("DELETE", "groupsets/{setID}/groups/{groupID}", "tableau:groupsets:update", s.removeGroupFromSet)
}

func (s *Server) listGroupSets(w http.ResponseWriter, r *http.Request, sess session) {
	s.store.mu.RLock()
	var views []groupSetView
	for _, id := range s.store.gov.groupSets.order {
		if gs := s.store.gov.groupSets.byID[id]; gs.SiteID == sess.siteID {
			views = append(views, s.store.groupSetView(gs))
		}
	}
	s.store.mu.RUnlock()
	writeList(w, r, &groupSetsSchema, views)
}

type groupSetRequest struct {
	GroupSet *struct {
		Name *string `xml:"name,attr"`
	} `xml:"groupSet"`
}

func (p *groupSetsPart) get(siteID, id string) *groupSet {
	if gs := p.byID[id]; gs != nil && gs.SiteID == siteID {
		return gs
	}
	return nil
}

func (p *groupSetsPart) conflict(siteID, name, self string) *apiError {
	for _, id := range p.order {
		gs := p.byID[id]
		if gs.SiteID == siteID && gs.ID != self && strings.EqualFold(gs.Name, name) {
			return errConflict(codeGroupSetConflict, fmt.Sprintf("A group set named '%s' already exists.", gs.Name))
		}
	}
	return nil
}

func (s *Server) createGroupSet(w http.ResponseWriter, r *http.Request, sess session) {
	if !s.requireSiteAdmin(w, r, sess) {
		return
	}
	var req groupSetRequest
	if aerr := readRequest(r, &req); aerr != nil {
		writeError(w, r, aerr)
		return
	}
	if req.GroupSet == nil || req.GroupSet.Name == nil || strings.TrimSpace(*req.GroupSet.Name) == "" {
		writeError(w, r, errBadRequest("The groupSet element needs a name attribute."))
		return
	}
	s.store.mu.Lock()
	p := &s.store.gov.groupSets
	aerr := p.conflict(sess.siteID, *req.GroupSet.Name, "")
	var v groupSetView
	if aerr == nil {
		gs := &groupSet{ID: newID(), SiteID: sess.siteID, Name: *req.GroupSet.Name}
		p.byID[gs.ID] = gs
		p.order = append(p.order, gs.ID)
		v = s.store.groupSetView(gs)
	}
	s.store.mu.Unlock()
	if aerr != nil {
		writeError(w, r, aerr)
		return
	}
	writeXML(w, r, http.StatusCreated, groupSetElem(v))
}

func (s *Server) getGroupSet(w http.ResponseWriter, r *http.Request, sess session) {
	id := r.PathValue("setID")
	s.store.mu.RLock()
	gs := s.store.gov.groupSets.get(sess.siteID, id)
	var v groupSetView
	if gs != nil {
		v = s.store.groupSetView(gs)
	}
	s.store.mu.RUnlock()
	if gs == nil {
		writeError(w, r, errNotFound(codeGroupSetNotFound, "Group set", id))
		return
	}
	writeXML(w, r, http.StatusOK, groupSetElem(v))
}

func (s *Server) updateGroupSet(w http.ResponseWriter, r *http.Request, sess session) {
	if !s.requireSiteAdmin(w, r, sess) {
		return
	}
	var req groupSetRequest
	if aerr := readRequest(r, &req); aerr != nil {
		writeError(w, r, aerr)
		return
	}
	id := r.PathValue("setID")
	s.store.mu.Lock()
	v, aerr := func() (groupSetView, *apiError) {
		gs := s.store.gov.groupSets.get(sess.siteID, id)
		if gs == nil {
			return groupSetView{}, errNotFound(codeGroupSetNotFound, "Group set", id)
		}
		if req.GroupSet != nil && req.GroupSet.Name != nil {
			if strings.TrimSpace(*req.GroupSet.Name) == "" {
				return groupSetView{}, errBadRequest("The group set name is empty.")
			}
			if aerr := s.store.gov.groupSets.conflict(sess.siteID, *req.GroupSet.Name, id); aerr != nil {
				return groupSetView{}, aerr
			}
			gs.Name = *req.GroupSet.Name
		}
		return s.store.groupSetView(gs), nil
	}()
	s.store.mu.Unlock()
	if aerr != nil {
		writeError(w, r, aerr)
		return
	}
	writeXML(w, r, http.StatusOK, groupSetElem(v))
}

func (s *Server) deleteGroupSet(w http.ResponseWriter, r *http.Request, sess session) {
	if !s.requireSiteAdmin(w, r, sess) {
		return
	}
	id := r.PathValue("setID")
	s.store.mu.Lock()
	p := &s.store.gov.groupSets
	found := p.get(sess.siteID, id) != nil
	if found {
		delete(p.byID, id)
		p.order = slices.DeleteFunc(p.order, func(x string) bool { return x == id })
		s.store.gov.perms.removeGrantee("groupSet", id)
	}
	s.store.mu.Unlock()
	if !found {
		writeError(w, r, errNotFound(codeGroupSetNotFound, "Group set", id))
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

func (s *Server) setMembership(w http.ResponseWriter, r *http.Request, sess session, add bool) {
	if !s.requireSiteAdmin(w, r, sess) {
		return
	}
	setID, groupID := r.PathValue("setID"), r.PathValue("groupID")
	s.store.mu.Lock()
	aerr := func() *apiError {
		gs := s.store.gov.groupSets.get(sess.siteID, setID)
		if gs == nil {
			return errNotFound(codeGroupSetNotFound, "Group set", setID)
		}
		if s.store.gov.groups.get(sess.siteID, groupID) == nil {
			return errNotFound(codeGroupNotFound, "Group", groupID)
		}
		has := slices.Contains(gs.groups, groupID)
		switch {
		case add && !has:
			gs.groups = append(gs.groups, groupID)
		case !add && has:
			gs.groups = slices.DeleteFunc(gs.groups, func(x string) bool { return x == groupID })
		case !add:
			return errNotFound(codeGroupNotFound, "Group in the group set", groupID)
		}
		return nil
	}()
	s.store.mu.Unlock()
	if aerr != nil {
		writeError(w, r, aerr)
		return
	}
	if add {
		writeXML(w, r, http.StatusOK)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

func (s *Server) addGroupToSet(w http.ResponseWriter, r *http.Request, sess session) {
	s.setMembership(w, r, sess, true)
}

func (s *Server) removeGroupFromSet(w http.ResponseWriter, r *http.Request, sess session) {
	s.setMembership(w, r, sess, false)
}
