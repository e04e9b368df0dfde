package tableautest

import (
	"fmt"
	"net/http"
	"slices"
	"strings"
	"time"
)

const defaultProjectDescription = "The default project that was automatically created by Tableau."

// contentPermissions are the values of a project's contentPermissions.
var contentPermissions = []string{"LockedToProject", "ManagedByOwner", "LockedToProjectWithoutNested"}

// project is one project; ParentID "" is a top-level project.
type project struct {
	ID                 string
	SiteID             string
	Name               string
	Description        string
	ParentID           string
	ContentPermissions string
	OwnerID            string
	Created, Updated   time.Time
	// IsDefault marks the site's Default project, which cannot be deleted.
	IsDefault bool
}

// projectsPart holds the projects of every site; guarded by store.mu.
// byID and order (creation order) are the source of truth; names and
// bySite are indexes kept in step by add, rename and remove.
type projectsPart struct {
	byID  map[string]*project
	order []string
	// names maps site, parent and lower-case name to a project id.
	names map[projectKey]string
	// bySite lists each site's projects in creation order.
	bySite map[string][]*project
}

type projectKey struct{ siteID, parentID, name string }

func keyOf(x *project) projectKey {
	return projectKey{x.SiteID, x.ParentID, strings.ToLower(x.Name)}
}

func (p *projectsPart) initIndexes() {
	if p.names == nil {
		p.names = map[projectKey]string{}
		p.bySite = map[string][]*project{}
	}
}

// add stores p with a new id and returns it.
func (p *projectsPart) add(x *project) *project {
	p.initIndexes()
	x.ID = newID()
	p.byID[x.ID] = x
	p.order = append(p.order, x.ID)
	p.names[keyOf(x)] = x.ID
	p.bySite[x.SiteID] = append(p.bySite[x.SiteID], x)
	return x
}

// replace sets *x to upd, keeping the name index in step.
func (p *projectsPart) replace(x *project, upd project) {
	p.initIndexes()
	delete(p.names, keyOf(x))
	*x = upd
	p.names[keyOf(x)] = x.ID
}

// get returns a project of a site, or nil.
func (p *projectsPart) get(siteID, id string) *project {
	if x := p.byID[id]; x != nil && x.SiteID == siteID {
		return x
	}
	return nil
}

// conflict reports another project named name (ignoring case) under the same parent.
func (p *projectsPart) conflict(siteID, parentID, name, self string) *apiError {
	p.initIndexes()
	if id, ok := p.names[projectKey{siteID, parentID, strings.ToLower(name)}]; ok && id != self {
		return errConflict(codeProjectConflict, fmt.Sprintf("A project named '%s' already exists in this parent project.", p.byID[id].Name))
	}
	return nil
}

// isDescendant reports whether id is ancestor or one of its descendants.
func (p *projectsPart) isDescendant(id, ancestor string) bool {
	for seen := 0; id != "" && seen <= len(p.order); seen++ {
		if id == ancestor {
			return true
		}
		x := p.byID[id]
		if x == nil {
			return false
		}
		id = x.ParentID
	}
	return false
}

// remove deletes a project and its nested projects.
func (p *projectsPart) remove(id string) {
	root := p.byID[id]
	if root == nil {
		return
	}
	doomed := map[string]bool{}
	for _, x := range p.siteProjects(root.SiteID) {
		if p.isDescendant(x.ID, id) {
			doomed[x.ID] = true
		}
	}
	p.drop(func(x *project) bool { return doomed[x.ID] })
}

// drop removes the projects for which gone is true from every index.
func (p *projectsPart) drop(gone func(*project) bool) {
	p.initIndexes()
	p.order = slices.DeleteFunc(p.order, func(id string) bool {
		x := p.byID[id]
		if !gone(x) {
			return false
		}
		delete(p.byID, id)
		if p.names[keyOf(x)] == id {
			delete(p.names, keyOf(x))
		}
		return true
	})
	for site, list := range p.bySite {
		list = slices.DeleteFunc(list, gone)
		if len(list) == 0 {
			delete(p.bySite, site)
		} else {
			p.bySite[site] = list
		}
	}
}

func (p *projectsPart) deleteSite(siteID string) {
	p.drop(func(x *project) bool { return x.SiteID == siteID })
}

// siteProjects returns a site's projects in creation order (do not modify).
func (p *projectsPart) siteProjects(siteID string) []*project {
	p.initIndexes()
	return p.bySite[siteID]
}

// projectView is a project with what its XML needs from elsewhere in the store.
type projectView struct {
	project
	controllingID string
	ownerName     string
}

// view builds a projectView. Callers hold store.mu.
func (st *store) projectView(x *project) projectView {
	v := projectView{project: *x, controllingID: x.ID}
	// The topmost ancestor locked with nested projects controls permissions.
	for id := x.ParentID; id != ""; {
		anc := st.projects.byID[id]
		if anc == nil {
			break
		}
		if anc.ContentPermissions == "LockedToProject" {
			v.controllingID = anc.ID
		}
		id = anc.ParentID
	}
	if u := st.users.byID[x.OwnerID]; u != nil {
		v.ownerName = u.Name
	}
	return v
}

func projectElem(v projectView) *elem {
	e := newElem("project").
		set("id", v.ID).
		set("name", v.Name).
		set("description", v.Description).
		set("createdAt", formatTime(v.Created)).
		set("updatedAt", formatTime(v.Updated)).
		set("contentPermissions", v.ContentPermissions)
	e.setIf("parentProjectId", v.ParentID)
	e.set("controllingPermissionsProjectId", v.controllingID).
		set("topLevelProject", boolStr(v.ParentID == "")).
		set("writeable", "true")
	return e.add(newElem("owner").set("id", v.OwnerID).extra("name", v.ownerName))
}

// projectWriteElem renders the project of a Create or Update Project
// response, which carries fewer attributes than Query Projects.
func projectWriteElem(v projectView) *elem {
	e := newElem("project").set("id", v.ID)
	e.setIf("parentProjectId", v.ParentID)
	e.set("name", v.Name).
		set("description", v.Description).
		set("contentPermissions", v.ContentPermissions).
		set("controllingPermissionsProjectId", v.controllingID)
	return e.add(newElem("owner").set("id", v.OwnerID))
}

var projectsSchema = listSchema[projectView]{
	plural: "projects",
	render: projectElem,
	fields: []field[projectView]{
		{name: "name", kind: kindString, value: func(v projectView) string { return v.Name }},
		{name: "ownerName", kind: kindString, value: func(v projectView) string { return v.ownerName }},
		{name: "createdAt", kind: kindTime, value: func(v projectView) string { return formatTime(v.Created) }},
		{name: "updatedAt", kind: kindTime, value: func(v projectView) string { return formatTime(v.Updated) }},
		{name: "parentProjectId", kind: kindString, value: func(v projectView) string { return v.ParentID }},
		{name: "topLevelProject", kind: kindBool, value: func(v projectView) string { return boolStr(v.ParentID == "") }},
	},
}

func (s *Server) routesProjects(rt *router) {
	rt.site("GET", "projects", "tableau:content:read", s.listProjects)
	rt.site("POST", "projects", "tableau:projects:create", s.createProject)
	rt.site("PUT", "projects/{projectID}", "tableau:projects:update", s.updateProject)
	rt.site("DELETE", "projects/{projectID}", "tableau:projects:delete", s.deleteProject)
}

func (s *Server) listProjects(w http.ResponseWriter, r *http.Request, sess session) {
	s.store.mu.RLock()
	list := s.store.projects.siteProjects(sess.siteID)
	views := make([]projectView, len(list))
	for i, x := range list {
		views[i] = s.store.projectView(x)
	}
	s.store.mu.RUnlock()
	writeList(w, r, &projectsSchema, views)
}

// projectRequest is <tsRequest><project .../></tsRequest>; nil fields were absent.
type projectRequest struct {
	Project *struct {
		Name               *string `xml:"name,attr"`
		Description        *string `xml:"description,attr"`
		ContentPermissions *string `xml:"contentPermissions,attr"`
		ParentProjectID    *string `xml:"parentProjectId,attr"`
		Owner              *struct {
			ID string `xml:"id,attr"`
		} `xml:"owner"`
	} `xml:"project"`
}

func (s *Server) createProject(w http.ResponseWriter, r *http.Request, sess session) {
	var req projectRequest
	if aerr := readRequest(r, &req); aerr != nil {
		writeError(w, r, aerr)
		return
	}
	in := req.Project
	if in == nil || in.Name == nil || strings.TrimSpace(*in.Name) == "" {
		writeError(w, r, errBadRequest("The project element needs a name attribute."))
		return
	}
	x := &project{SiteID: sess.siteID, Name: *in.Name, ContentPermissions: "ManagedByOwner", OwnerID: sess.userID}
	if in.Description != nil {
		x.Description = *in.Description
	}
	if in.ContentPermissions != nil {
		if !slices.Contains(contentPermissions, *in.ContentPermissions) {
			writeError(w, r, errBadRequest(fmt.Sprintf("The contentPermissions '%s' is not one of %s.", *in.ContentPermissions, strings.Join(contentPermissions, ", "))))
			return
		}
		x.ContentPermissions = *in.ContentPermissions
	}
	if in.ParentProjectID != nil {
		x.ParentID = *in.ParentProjectID
	}
	s.store.mu.Lock()
	v, aerr := func() (projectView, *apiError) {
		if !s.store.isSiteAdmin(sess) {
			return projectView{}, errForbidden("Only site and server administrators may create projects.")
		}
		if x.ParentID != "" && s.store.projects.get(sess.siteID, x.ParentID) == nil {
			return projectView{}, errNotFound(codeProjectNotFound, "Parent project", x.ParentID)
		}
		if aerr := s.store.projects.conflict(sess.siteID, x.ParentID, x.Name, ""); aerr != nil {
			return projectView{}, aerr
		}
		x.Created = s.now()
		x.Updated = x.Created
		return s.store.projectView(s.store.projects.add(x)), nil
	}()
	s.store.mu.Unlock()
	if aerr != nil {
		writeError(w, r, aerr)
		return
	}
	writeXML(w, r, http.StatusCreated, projectWriteElem(v))
}

// updateProject changes the attributes present in the request. An empty
// <project/> changes nothing and returns the project, which is how clients
// read one project (the REST API has no GET for a single project).
func (s *Server) updateProject(w http.ResponseWriter, r *http.Request, sess session) {
	var req projectRequest
	if aerr := readRequest(r, &req); aerr != nil {
		writeError(w, r, aerr)
		return
	}
	in := req.Project
	if in == nil {
		writeError(w, r, errBadRequest("The request has no project element."))
		return
	}
	id := r.PathValue("projectID")
	s.store.mu.Lock()
	v, aerr := func() (projectView, *apiError) {
		x := s.store.projects.get(sess.siteID, id)
		if x == nil {
			return projectView{}, errNotFound(codeProjectNotFound, "Project", id)
		}
		if !s.store.isSiteAdmin(sess) && x.OwnerID != sess.userID {
			return projectView{}, errForbidden("Only administrators and the project's owner may update a project.")
		}
		upd := *x
		if in.Name != nil {
			if strings.TrimSpace(*in.Name) == "" {
				return projectView{}, errBadRequest("The project name is empty.")
			}
			upd.Name = *in.Name
		}
		if in.Description != nil {
			upd.Description = *in.Description
		}
		if in.ContentPermissions != nil {
			if !slices.Contains(contentPermissions, *in.ContentPermissions) {
				return projectView{}, errBadRequest(fmt.Sprintf("The contentPermissions '%s' is not one of %s.", *in.ContentPermissions, strings.Join(contentPermissions, ", ")))
			}
			upd.ContentPermissions = *in.ContentPermissions
		}
		if in.ParentProjectID != nil {
			upd.ParentID = *in.ParentProjectID
			if upd.ParentID != "" {
				if s.store.projects.get(sess.siteID, upd.ParentID) == nil {
					return projectView{}, errNotFound(codeProjectNotFound, "Parent project", upd.ParentID)
				}
				if s.store.projects.isDescendant(upd.ParentID, x.ID) {
					return projectView{}, errBadRequest("A project cannot be moved into itself or one of its nested projects.")
				}
			}
		}
		if in.Owner != nil {
			if s.store.users.get(sess.siteID, in.Owner.ID) == nil {
				return projectView{}, errNotFound(codeUserNotFound, "User", in.Owner.ID)
			}
			upd.OwnerID = in.Owner.ID
		}
		if aerr := s.store.projects.conflict(sess.siteID, upd.ParentID, upd.Name, x.ID); aerr != nil {
			return projectView{}, aerr
		}
		if upd != *x {
			upd.Updated = s.now()
			s.store.projects.replace(x, upd)
		}
		return s.store.projectView(x), nil
	}()
	s.store.mu.Unlock()
	if aerr != nil {
		writeError(w, r, aerr)
		return
	}
	writeXML(w, r, http.StatusOK, projectWriteElem(v))
}

// deleteProject deletes a project and its nested projects.
func (s *Server) deleteProject(w http.ResponseWriter, r *http.Request, sess session) {
	id := r.PathValue("projectID")
	s.store.mu.Lock()
	aerr := func() *apiError {
		x := s.store.projects.get(sess.siteID, id)
		if x == nil {
			return errNotFound(codeProjectNotFound, "Project", id)
		}
		if !s.store.isSiteAdmin(sess) && x.OwnerID != sess.userID {
			return errForbidden("Only administrators and the project's owner may delete a project.")
		}
		if x.IsDefault {
			return errForbidden("The Default project cannot be deleted.")
		}
		s.store.projects.remove(id)
		return nil
	}()
	s.store.mu.Unlock()
	if aerr != nil {
		writeError(w, r, aerr)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}
