package tableautest

import (
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"
)

const (
	codeVCNotFound         = "404050"
	codeVCConflict         = "409050" // Resource Conflict: a virtual connection of that name is in the project (emulator's code)
	codeVCRevisionNotFound = "404051" // Resource Not Found: revision of a virtual connection (emulator's code)
)

// virtualConn is a virtual connection: shared connections and tables,
// defined by a JSON document.
type virtualConn struct {
	ID, SiteID, Name, ProjectID, OwnerID string
	Content                              string // the JSON definition
	Certified                            bool
	CertNote                             string
	Conns                                []*flowConn
	Tags                                 []string
	Created, Updated                     time.Time
	// Revisions are the published versions of the definition, oldest
	// first; the last is the current one (Content).
	Revisions []vcRevision
}

// vcRevision is one published version of a virtual connection.
type vcRevision struct {
	revision
	Content string
}

// addRevision records Content as a new revision. Callers hold store.mu.
func (v *virtualConn) addRevision(publisherID string, at time.Time) {
	n := 1
	if len(v.Revisions) > 0 {
		n = v.Revisions[len(v.Revisions)-1].Number + 1
	}
	v.Revisions = append(v.Revisions, vcRevision{revision: revision{Number: n, Published: at, PublisherID: publisherID,
		Size: int64(len(v.Content))}, Content: v.Content})
}

type vcPart struct {
	byID  map[string]*virtualConn
	order []string
}

func (p *vcPart) get(siteID, id string) *virtualConn {
	if v := p.byID[id]; v != nil && v.SiteID == siteID {
		return v
	}
	return nil
}

type vcView struct {
	virtualConn
	ownerName, projectName string
}

func (st *store) vcView(v *virtualConn) vcView {
	out := vcView{virtualConn: *v}
	out.ownerName = st.contactName(v.OwnerID)
	if p := st.projects.byID[v.ProjectID]; p != nil {
		out.projectName = p.Name
	}
	return out
}

func vcElem(v vcView) *elem {
	e := newElem("virtualConnection").set("id", v.ID).set("name", v.Name).
		set("createdAt", formatTime(v.Created)).set("updatedAt", formatTime(v.Updated)).
		set("isCertified", boolStr(v.Certified)).setIf("certificationNote", v.CertNote).
		set("webpageUrl", "#/virtualconnections/"+v.ID)
	e.add(newElem("project").set("id", v.ProjectID).set("name", v.projectName))
	e.add(newElem("owner").set("id", v.OwnerID).set("name", v.ownerName))
	return e.add(tagsElem(v.Tags))
}

var vcSchema = listSchema[vcView]{plural: "virtualConnections", render: vcElem, fields: []field[vcView]{
	{name: "name", kind: kindString, value: func(v vcView) string { return v.Name }},
	{name: "projectName", kind: kindString, value: func(v vcView) string { return v.projectName }},
	{name: "ownerName", kind: kindString, value: func(v vcView) string { return v.ownerName }},
	{name: "isCertified", kind: kindBool, value: func(v vcView) string { return boolStr(v.Certified) }},
}}

func (s *Server) routesVirtualConnections(rt *router) {
	// TSC spells the path virtualConnections; the REST reference
	// virtualconnections: both are served.
	for _, p := range []string{"virtualConnections", "virtualconnections"} {
		rt.site("GET", p, "tableau:content:read", s.listVCs)
		rt.site("POST", p, "tableau:virtual_connections:create", s.publishVC)
		rt.site("GET", p+"/{vcID}", "tableau:content:read", s.getVC)
		rt.site("PUT", p+"/{vcID}", "tableau:virtual_connections:update", s.updateVC)
		rt.site("DELETE", p+"/{vcID}", "tableau:virtual_connections:delete", s.deleteVC)
		rt.site("GET", p+"/{vcID}/connections", "tableau:content:read", s.listVCConnections)
		rt.site("PUT", p+"/{vcID}/connections/{connID}/modify", "tableau:virtual_connections:update", s.updateVCConnection)
		rt.site("GET", p+"/{vcID}/revisions", "tableau:content:read", s.listVCRevisions)
		rt.site("GET", p+"/{vcID}/revisions/{n}", "tableau:content:read", s.getVCRevision)
	}
}

func (s *Server) listVCs(w http.ResponseWriter, r *http.Request, sess session) {
	s.store.mu.RLock()
	var views []vcView
	for _, id := range s.store.gov.vcs.order {
		if v := s.store.gov.vcs.byID[id]; v.SiteID == sess.siteID && s.store.projects.byID[v.ProjectID] != nil {
			views = append(views, s.store.vcView(v))
		}
	}
	s.store.mu.RUnlock()
	writeList(w, r, &vcSchema, views)
}

// getVC answers Get Virtual Connection, with its JSON definition in <content>.
func (s *Server) getVC(w http.ResponseWriter, r *http.Request, sess session) {
	id := r.PathValue("vcID")
	s.store.mu.RLock()
	v := s.store.gov.vcs.get(sess.siteID, id)
	var e *elem
	if v != nil {
		e = vcElem(s.store.vcView(v)).add(newElem("content").withText(v.Content))
	}
	s.store.mu.RUnlock()
	if e == nil {
		writeError(w, r, errNotFound(codeVCNotFound, "Virtual connection", id))
		return
	}
	writeXML(w, r, http.StatusOK, e)
}

type vcRequest struct {
	VC *struct {
		Name              *string `xml:"name,attr"`
		IsCertified       *string `xml:"isCertified,attr"`
		CertificationNote *string `xml:"certificationNote,attr"`
		Project           *struct {
			ID string `xml:"id,attr"`
		} `xml:"project"`
		Owner *struct {
			ID string `xml:"id,attr"`
		} `xml:"owner"`
		Content *string `xml:"content"`
	} `xml:"virtualConnection"`
}

// vcConnections reads the connections of a virtual connection's JSON
// definition: {"connections": [{"server": ..., "port": ..., "username": ...}]}.
func vcConnections(content string) ([]*flowConn, error) {
	var def struct {
		Connections []struct {
			DBClass  string `json:"dbClass"`
			Server   string `json:"server"`
			Port     string `json:"port"`
			Username string `json:"username"`
		} `json:"connections"`
	}
	if err := json.Unmarshal([]byte(content), &def); err != nil {
		return nil, err
	}
	var out []*flowConn
	for _, c := range def.Connections {
		out = append(out, &flowConn{ID: newID(), Type: c.DBClass, Server: c.Server, Port: c.Port, Username: c.Username})
	}
	return out, nil
}

func (s *Server) publishVC(w http.ResponseWriter, r *http.Request, sess session) {
	var req vcRequest
	if aerr := readRequest(r, &req); aerr != nil {
		writeError(w, r, aerr)
		return
	}
	in := req.VC
	if in == nil || in.Name == nil || strings.TrimSpace(*in.Name) == "" || in.Project == nil || in.Content == nil {
		writeError(w, r, errBadRequest("A virtualConnection needs a name, a project and its content."))
		return
	}
	overwrite := r.URL.Query().Get("overwrite") == "true"
	conns, err := vcConnections(*in.Content)
	if err != nil {
		writeError(w, r, errBadRequest(fmt.Sprintf("The virtual connection's content is not valid JSON: %v.", err)))
		return
	}
	s.store.mu.Lock()
	e, aerr := func() (*elem, *apiError) {
		if s.store.projects.get(sess.siteID, in.Project.ID) == nil {
			return nil, errNotFound(codeProjectNotFound, "Project", in.Project.ID)
		}
		owner := sess.userID
		if in.Owner != nil && in.Owner.ID != "" {
			if s.store.users.get(sess.siteID, in.Owner.ID) == nil {
				return nil, errNotFound(codeUserNotFound, "User", in.Owner.ID)
			}
			owner = in.Owner.ID
		}
		now := s.now()
		p := &s.store.gov.vcs
		var v *virtualConn
		for _, id := range p.order {
			if x := p.byID[id]; x.SiteID == sess.siteID && x.ProjectID == in.Project.ID && strings.EqualFold(x.Name, *in.Name) {
				v = x
			}
		}
		if v != nil && !overwrite {
			return nil, errConflict(codeVCConflict, fmt.Sprintf("A virtual connection named '%s' already exists in the project; publish with overwrite=true.", *in.Name))
		}
		if v != nil {
			// Overwrite: a new revision of the same virtual connection.
			v.Content, v.Conns, v.OwnerID, v.Updated = *in.Content, conns, owner, now
		} else {
			v = &virtualConn{ID: newID(), SiteID: sess.siteID, Name: *in.Name, ProjectID: in.Project.ID, OwnerID: owner,
				Content: *in.Content, Conns: conns, Created: now, Updated: now}
			p.byID[v.ID] = v
			p.order = append(p.order, v.ID)
		}
		v.addRevision(sess.userID, now)
		return vcElem(s.store.vcView(v)), nil
	}()
	s.store.mu.Unlock()
	if aerr != nil {
		writeError(w, r, aerr)
		return
	}
	writeXML(w, r, http.StatusCreated, e)
}

func (s *Server) updateVC(w http.ResponseWriter, r *http.Request, sess session) {
	var req vcRequest
	if aerr := readRequest(r, &req); aerr != nil {
		writeError(w, r, aerr)
		return
	}
	if req.VC == nil {
		writeError(w, r, errBadRequest("The request has no virtualConnection element."))
		return
	}
	in := req.VC
	id := r.PathValue("vcID")
	s.store.mu.Lock()
	e, aerr := func() (*elem, *apiError) {
		v := s.store.gov.vcs.get(sess.siteID, id)
		if v == nil {
			return nil, errNotFound(codeVCNotFound, "Virtual connection", id)
		}
		upd := *v
		if in.Name != nil {
			upd.Name = *in.Name
		}
		if in.IsCertified != nil {
			b, aerr := optBool("isCertified", in.IsCertified)
			if aerr != nil {
				return nil, aerr
			}
			upd.Certified = b
		}
		if in.CertificationNote != nil {
			upd.CertNote = *in.CertificationNote
		}
		if in.Project != nil {
			if s.store.projects.get(sess.siteID, in.Project.ID) == nil {
				return nil, errNotFound(codeProjectNotFound, "Project", in.Project.ID)
			}
			upd.ProjectID = in.Project.ID
		}
		if in.Owner != nil {
			if s.store.users.get(sess.siteID, in.Owner.ID) == nil {
				return nil, errNotFound(codeUserNotFound, "User", in.Owner.ID)
			}
			upd.OwnerID = in.Owner.ID
		}
		upd.Updated = s.now()
		*v = upd
		return vcElem(s.store.vcView(v)), nil
	}()
	s.store.mu.Unlock()
	if aerr != nil {
		writeError(w, r, aerr)
		return
	}
	writeXML(w, r, http.StatusOK, e)
}

func (s *Server) deleteVC(w http.ResponseWriter, r *http.Request, sess session) {
	id := r.PathValue("vcID")
	s.store.mu.Lock()
	p := &s.store.gov.vcs
	found := p.get(sess.siteID, id) != nil
	if found {
		delete(p.byID, id)
		p.order = slices.DeleteFunc(p.order, func(x string) bool { return x == id })
	}
	s.store.mu.Unlock()
	if !found {
		writeError(w, r, errNotFound(codeVCNotFound, "Virtual connection", id))
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

func (s *Server) listVCConnections(w http.ResponseWriter, r *http.Request, sess session) {
	id := r.PathValue("vcID")
	s.store.mu.RLock()
	v := s.store.gov.vcs.get(sess.siteID, id)
	var conns []flowConn
	if v != nil {
		for _, c := range v.Conns {
			conns = append(conns, *c)
		}
	}
	s.store.mu.RUnlock()
	if v == nil {
		writeError(w, r, errNotFound(codeVCNotFound, "Virtual connection", id))
		return
	}
	schema := listSchema[flowConn]{plural: "virtualConnectionConnections", render: func(c flowConn) *elem {
		return newElem("connection").set("connectionId", c.ID).set("dbClass", c.Type).set("server", c.Server).
			set("port", c.Port).set("userName", c.Username)
	}}
	writeList(w, r, &schema, conns)
}

func (s *Server) updateVCConnection(w http.ResponseWriter, r *http.Request, sess session) {
	var req connectionRequest
	if aerr := readRequest(r, &req); aerr != nil {
		writeError(w, r, aerr)
		return
	}
	if req.Connection == nil {
		writeError(w, r, errBadRequest("The request has no connection element."))
		return
	}
	in := req.Connection
	id, cid := r.PathValue("vcID"), r.PathValue("connID")
	s.store.mu.Lock()
	e, aerr := func() (*elem, *apiError) {
		v := s.store.gov.vcs.get(sess.siteID, id)
		if v == nil {
			return nil, errNotFound(codeVCNotFound, "Virtual connection", id)
		}
		i := slices.IndexFunc(v.Conns, func(c *flowConn) bool { return c.ID == cid })
		if i < 0 {
			return nil, errNotFound("404020", "Connection", cid)
		}
		c := v.Conns[i]
		if in.ServerAddress != nil {
			c.Server = *in.ServerAddress
		}
		if in.ServerPort != nil {
			c.Port = *in.ServerPort
		}
		if in.UserName != nil {
			c.Username = *in.UserName
		}
		if in.Password != nil {
			c.Password = *in.Password
		}
		return newElem("connection").set("connectionId", c.ID).set("dbClass", c.Type).set("server", c.Server).
			set("port", c.Port).set("userName", c.Username), nil
	}()
	s.store.mu.Unlock()
	if aerr != nil {
		writeError(w, r, aerr)
		return
	}
	writeXML(w, r, http.StatusOK, e)
}

// listVCRevisions answers Get Virtual Connection Revisions (API 3.23).
func (s *Server) listVCRevisions(w http.ResponseWriter, r *http.Request, sess session) {
	id := r.PathValue("vcID")
	writeListLocked(s, w, r, &revisionsSchema, func() ([]*elem, *apiError) {
		v := s.store.gov.vcs.get(sess.siteID, id)
		if v == nil {
			return nil, errNotFound(codeVCNotFound, "Virtual connection", id)
		}
		var revs []*elem
		for i, rev := range v.Revisions {
			revs = append(revs, revisionElem(&rev.revision, i == len(v.Revisions)-1, s.store.contactName(rev.PublisherID), rev.PublisherID))
		}
		return revs, nil
	})
}

// getVCRevision answers Download Virtual Connection Revision (API 3.23):
// the virtual connection as Get answers it, with that revision's definition
// in <content>.
func (s *Server) getVCRevision(w http.ResponseWriter, r *http.Request, sess session) {
	id, n := r.PathValue("vcID"), r.PathValue("n")
	s.store.mu.RLock()
	e, aerr := func() (*elem, *apiError) {
		v := s.store.gov.vcs.get(sess.siteID, id)
		if v == nil {
			return nil, errNotFound(codeVCNotFound, "Virtual connection", id)
		}
		for _, rev := range v.Revisions {
			if strconv.Itoa(rev.Number) == n {
				return vcElem(s.store.vcView(v)).add(newElem("content").withText(rev.Content)), nil
			}
		}
		return nil, errNotFound(codeVCRevisionNotFound, "Revision", n)
	}()
	s.store.mu.RUnlock()
	if aerr != nil {
		writeError(w, r, aerr)
		return
	}
	writeXML(w, r, http.StatusOK, e)
}
