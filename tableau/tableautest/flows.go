package tableautest

import (
	"encoding/xml"
	"fmt"
	"io"
	"net/http"
	"path"
	"slices"
	"strings"
	"time"
)

const (
	codeFlowNotFound    = "404004" // Resource Not Found: flow
	codeFlowConflict    = "409004" // Resource Conflict: a flow with that name exists in the project
	codeFlowRunNotFound = "404058" // Resource Not Found: flow run (emulator's code)
)

// flow is a published Tableau Prep flow.
type flow struct {
	ID, SiteID, Name, Description string
	ProjectID, OwnerID            string
	FileType                      string // tfl or tflx
	Data                          []byte
	Tags                          []string
	Conns                         []*flowConn
	Created, Updated              time.Time
}

// flowConn is a data connection of a flow.
type flowConn struct {
	ID, Type, Server, Port, Username, Password string
	Embed                                      bool
}

type flowsPart struct {
	byID  map[string]*flow
	order []string
	runs  flowRunsPart
}

func (p *flowsPart) get(siteID, id string) *flow {
	if f := p.byID[id]; f != nil && f.SiteID == siteID {
		return f
	}
	return nil
}

type flowView struct {
	flow
	projectName, ownerName string
}

func (st *store) flowView(f *flow) flowView {
	v := flowView{flow: *f}
	v.Data = nil
	if p := st.projects.byID[f.ProjectID]; p != nil {
		v.projectName = p.Name
	}
	if u := st.users.byID[f.OwnerID]; u != nil {
		v.ownerName = u.Name
	}
	return v
}

func flowElem(v flowView) *elem {
	e := newElem("flow").set("id", v.ID).set("name", v.Name).set("description", v.Description).
		set("webpageUrl", "#/flows/"+v.ID).set("fileType", v.FileType).
		set("createdAt", formatTime(v.Created)).set("updatedAt", formatTime(v.Updated))
	e.add(newElem("project").set("id", v.ProjectID).set("name", v.projectName))
	e.add(newElem("owner").set("id", v.OwnerID).set("name", v.ownerName))
	return e.add(tagsElem(v.Tags))
}

var flowsSchema = listSchema[flowView]{
	plural: "flows",
	render: flowElem,
	fields: []field[flowView]{
		{name: "name", kind: kindString, value: func(v flowView) string { return v.Name }},
		{name: "projectName", kind: kindString, value: func(v flowView) string { return v.projectName }},
		{name: "ownerName", kind: kindString, value: func(v flowView) string { return v.ownerName }},
		{name: "createdAt", kind: kindTime, value: func(v flowView) string { return formatTime(v.Created) }},
		{name: "updatedAt", kind: kindTime, value: func(v flowView) string { return formatTime(v.Updated) }},
		{name: "tags", kind: kindString, values: func(v flowView) []string { return v.Tags }},
	},
}

func (s *Server) routesFlows(rt *router) {
	rt.site("GET", "flows", "tableau:content:read", s.listFlows)
	rt.site("POST", "flows", "tableau:flows:create", s.publishFlow)
	rt.site("GET", "flows/{flowID}", "tableau:content:read", s.getFlow)
	rt.site("PUT", "flows/{flowID}", "tableau:flows:update", s.updateFlow)
	rt.site("DELETE", "flows/{flowID}", "tableau:flows:delete", s.deleteFlow)
	// flows/runs/{id} and flows/{id}/content overlap as patterns: one route serves both.
	rt.site("GET", "flows/{flowID}/{sub}", "tableau:content:read", s.flowSub)
	rt.site("PUT", "flows/{flowID}/connections/{connID}", "tableau:flows:update", s.updateFlowConnection)
	rt.site("POST", "flows/{flowID}/run", "tableau:flows:run", s.runFlow)
	rt.site("GET", "flows/runs", "tableau:content:read", s.listFlowRuns)
	// PUT flows/runs/{id} overlaps flows/{id}/permissions as a pattern too.
	rt.site("PUT", "flows/{flowID}/{sub}", "tableau:flows:run", func(w http.ResponseWriter, r *http.Request, sess session) {
		if r.PathValue("flowID") != "runs" {
			s.notFound(w, r)
			return
		}
		s.cancelFlowRun(w, r, sess, r.PathValue("sub"))
	})
	rt.site("GET", "tasks/runFlow", "tableau:tasks:read", s.listFlowTasks)
	rt.site("GET", "tasks/runFlow/{taskID}", "tableau:tasks:read", func(w http.ResponseWriter, r *http.Request, sess session) { s.getTask(w, r, sess, "flowRun") })
	rt.site("POST", "tasks/runFlow/{taskID}/runNow", "tableau:tasks:run", s.runFlowTask)
	rt.site("POST", "tasks/flows", "tableau:tasks:create", s.createFlowTask)
	rt.site("GET", "tasks/linked", "tableau:tasks:read", s.listLinkedTasks)
	rt.site("GET", "tasks/linked/{linkedID}", "tableau:tasks:read", s.getLinkedTask)
	rt.site("POST", "tasks/linked/{linkedID}/runNow", "tableau:tasks:run", s.runLinkedTask)
}

func (s *Server) flowSub(w http.ResponseWriter, r *http.Request, sess session) {
	id, sub := r.PathValue("flowID"), r.PathValue("sub")
	switch {
	case id == "runs":
		s.getFlowRun(w, r, sess, sub)
	case sub == "content":
		s.downloadFlow(w, r, sess, id)
	case sub == "connections":
		s.listFlowConnections(w, r, sess, id)
	default:
		s.notFound(w, r)
	}
}

func (s *Server) listFlows(w http.ResponseWriter, r *http.Request, sess session) {
	s.store.mu.RLock()
	var views []flowView
	for _, id := range s.store.gov.flows.order {
		f := s.store.gov.flows.byID[id]
		if f.SiteID == sess.siteID && s.store.projects.byID[f.ProjectID] != nil {
			views = append(views, s.store.flowView(f))
		}
	}
	s.store.mu.RUnlock()
	writeList(w, r, &flowsSchema, views)
}

// liveFlow returns a flow of the site whose project still exists. Callers hold store.mu.
func (st *store) liveFlow(siteID, id string) *flow {
	f := st.gov.flows.get(siteID, id)
	if f == nil || st.projects.byID[f.ProjectID] == nil {
		return nil
	}
	return f
}

func (s *Server) getFlow(w http.ResponseWriter, r *http.Request, sess session) {
	id := r.PathValue("flowID")
	s.store.mu.RLock()
	f := s.store.liveFlow(sess.siteID, id)
	var v flowView
	if f != nil {
		v = s.store.flowView(f)
	}
	s.store.mu.RUnlock()
	if f == nil {
		writeError(w, r, errNotFound(codeFlowNotFound, "Flow", id))
		return
	}
	writeXML(w, r, http.StatusOK, flowElem(v))
}

// flowPublishRequest is the request_payload of Publish Flow.
type flowPublishRequest struct {
	XMLName xml.Name
	Flow    *struct {
		Name        string `xml:"name,attr"`
		Description string `xml:"description,attr"`
		Project     *struct {
			ID string `xml:"id,attr"`
		} `xml:"project"`
		Connections []struct {
			ServerAddress string `xml:"serverAddress,attr"`
			ServerPort    string `xml:"serverPort,attr"`
			Credentials   *struct {
				Name     string `xml:"name,attr"`
				Password string `xml:"password,attr"`
				Embed    string `xml:"embed,attr"`
			} `xml:"connectionCredentials"`
		} `xml:"connections>connection"`
	} `xml:"flow"`
}

// publishFlow answers Publish Flow: multipart/mixed with request_payload
// and tableau_flow (a .tfl or .tflx file, named by its filename), or only
// request_payload with ?uploadSessionId= naming an upload session that
// holds the file (files of 64 MB or more go that way).
// overwrite=true replaces a flow of the same name in the project.
// Connections come from the request's <connections>; the emulator does
// not read the flow file's own connections.
func (s *Server) publishFlow(w http.ResponseWriter, r *http.Request, sess session) {
	fileType := strings.TrimPrefix(strings.ToLower(r.URL.Query().Get("flowType")), ".")
	uploadID := r.URL.Query().Get("uploadSessionId")
	parts, names, aerr := readMultipartLimited(r, maxSinglePublish, "The flow file is larger than 64 MB: publish it through an upload session.")
	if aerr != nil {
		writeError(w, r, aerr)
		return
	}
	var req flowPublishRequest
	if err := xml.Unmarshal(parts["request_payload"], &req); err != nil || req.Flow == nil {
		writeError(w, r, errBadRequest("The request_payload part must hold <tsRequest><flow name><project id/></flow></tsRequest>."))
		return
	}
	in := req.Flow
	data, ok := parts["tableau_flow"]
	switch {
	case uploadID != "" && ok:
		writeError(w, r, errBadRequest("A publish with uploadSessionId must not carry a tableau_flow part."))
		return
	case uploadID != "":
		s.store.mu.Lock()
		b, aerr := s.store.takeUpload(sess.siteID, uploadID)
		s.store.mu.Unlock()
		if aerr != nil {
			writeError(w, r, aerr)
			return
		}
		data = make([]byte, b.size)
		if _, err := b.ReadAt(data, 0); err != nil && err != io.EOF {
			writeError(w, r, errBadRequest(fmt.Sprintf("The upload session cannot be read: %v.", err)))
			return
		}
	case !ok || len(data) == 0:
		writeError(w, r, errBadRequest("The request has no tableau_flow part with the flow file and no uploadSessionId."))
		return
	}
	if fileType == "" {
		fileType = strings.TrimPrefix(strings.ToLower(path.Ext(names["tableau_flow"])), ".")
	}
	if fileType != "tfl" && fileType != "tflx" {
		writeError(w, r, errBadRequest(fmt.Sprintf("The flow file type '%s' is not tfl or tflx.", fileType)))
		return
	}
	if fileType == "tflx" && (len(data) < 4 || string(data[:2]) != "PK") {
		writeError(w, r, errBadRequest("A .tflx file must be a zip archive."))
		return
	}
	if fileType == "tfl" && (len(strings.TrimSpace(string(data))) == 0 || strings.TrimSpace(string(data))[0] != '{') {
		writeError(w, r, errBadRequest("A .tfl file must be a JSON document."))
		return
	}
	if strings.TrimSpace(in.Name) == "" || in.Project == nil {
		writeError(w, r, errBadRequest("The flow needs a name and a project."))
		return
	}
	overwrite := r.URL.Query().Get("overwrite") == "true"
	s.store.mu.Lock()
	v, status, aerr := func() (flowView, int, *apiError) {
		if s.store.projects.get(sess.siteID, in.Project.ID) == nil {
			return flowView{}, 0, errNotFound(codeProjectNotFound, "Project", in.Project.ID)
		}
		now := s.now()
		var existing *flow
		for _, id := range s.store.gov.flows.order {
			f := s.store.gov.flows.byID[id]
			if f.SiteID == sess.siteID && f.ProjectID == in.Project.ID && strings.EqualFold(f.Name, in.Name) {
				existing = f
			}
		}
		if existing != nil && !overwrite {
			return flowView{}, 0, errConflict(codeFlowConflict, fmt.Sprintf("A flow named '%s' already exists in the project; publish with overwrite=true.", in.Name))
		}
		f := existing
		status := http.StatusOK
		if f == nil {
			f = &flow{ID: newID(), SiteID: sess.siteID, ProjectID: in.Project.ID, OwnerID: sess.userID, Created: now}
			p := &s.store.gov.flows
			p.byID[f.ID] = f
			p.order = append(p.order, f.ID)
			status = http.StatusCreated
		}
		f.Name, f.Description, f.FileType, f.Data, f.Updated = in.Name, in.Description, fileType, data, now
		f.Conns = nil
		for _, c := range in.Connections {
			fc := &flowConn{ID: newID(), Type: "postgres", Server: c.ServerAddress, Port: c.ServerPort}
			if c.Credentials != nil {
				fc.Username, fc.Password, fc.Embed = c.Credentials.Name, c.Credentials.Password, c.Credentials.Embed == "true"
			}
			f.Conns = append(f.Conns, fc)
		}
		return s.store.flowView(f), status, nil
	}()
	s.store.mu.Unlock()
	if aerr != nil {
		writeError(w, r, aerr)
		return
	}
	writeXML(w, r, status, flowElem(v))
}

type flowUpdateRequest struct {
	Flow *struct {
		Name        *string `xml:"name,attr"`
		Description *string `xml:"description,attr"`
		Project     *struct {
			ID string `xml:"id,attr"`
		} `xml:"project"`
		Owner *struct {
			ID string `xml:"id,attr"`
		} `xml:"owner"`
	} `xml:"flow"`
}

func (s *Server) updateFlow(w http.ResponseWriter, r *http.Request, sess session) {
	var req flowUpdateRequest
	if aerr := readRequest(r, &req); aerr != nil {
		writeError(w, r, aerr)
		return
	}
	if req.Flow == nil {
		writeError(w, r, errBadRequest("The request has no flow element."))
		return
	}
	in := req.Flow
	id := r.PathValue("flowID")
	s.store.mu.Lock()
	v, aerr := func() (flowView, *apiError) {
		f := s.store.liveFlow(sess.siteID, id)
		if f == nil {
			return flowView{}, errNotFound(codeFlowNotFound, "Flow", id)
		}
		upd := *f
		if in.Name != nil {
			if strings.TrimSpace(*in.Name) == "" {
				return flowView{}, errBadRequest("The flow name is empty.")
			}
			upd.Name = *in.Name
		}
		if in.Description != nil {
			upd.Description = *in.Description
		}
		if in.Project != nil {
			if s.store.projects.get(sess.siteID, in.Project.ID) == nil {
				return flowView{}, errNotFound(codeProjectNotFound, "Project", in.Project.ID)
			}
			upd.ProjectID = in.Project.ID
		}
		if in.Owner != nil {
			if s.store.users.get(sess.siteID, in.Owner.ID) == nil {
				return flowView{}, errNotFound(codeUserNotFound, "User", in.Owner.ID)
			}
			upd.OwnerID = in.Owner.ID
		}
		upd.Updated = s.now()
		*f = upd
		return s.store.flowView(f), nil
	}()
	s.store.mu.Unlock()
	if aerr != nil {
		writeError(w, r, aerr)
		return
	}
	writeXML(w, r, http.StatusOK, flowElem(v))
}

func (s *Server) deleteFlow(w http.ResponseWriter, r *http.Request, sess session) {
	id := r.PathValue("flowID")
	s.store.mu.Lock()
	p := &s.store.gov.flows
	found := s.store.liveFlow(sess.siteID, id) != nil
	if found {
		delete(p.byID, id)
		p.order = slices.DeleteFunc(p.order, func(x string) bool { return x == id })
		t := &s.store.gov.tasks
		for tid, tk := range t.byID {
			if tk.TargetID == id {
				delete(t.byID, tid)
			}
		}
		t.order = slices.DeleteFunc(t.order, func(x string) bool { return t.byID[x] == nil })
	}
	s.store.mu.Unlock()
	if !found {
		writeError(w, r, errNotFound(codeFlowNotFound, "Flow", id))
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

func (s *Server) downloadFlow(w http.ResponseWriter, r *http.Request, sess session, id string) {
	s.store.mu.RLock()
	f := s.store.liveFlow(sess.siteID, id)
	var data []byte
	var name, typ string
	if f != nil {
		data, name, typ = f.Data, f.Name, f.FileType
	}
	s.store.mu.RUnlock()
	if f == nil {
		writeError(w, r, errNotFound(codeFlowNotFound, "Flow", id))
		return
	}
	ct := "application/json"
	if typ == "tflx" {
		ct = "application/octet-stream"
	}
	writeBytes(w, ct, urlName(name)+"."+typ, data)
}

func flowConnElem(c *flowConn) *elem {
	return newElem("connection").set("id", c.ID).set("type", c.Type).set("serverAddress", c.Server).
		set("serverPort", c.Port).set("userName", c.Username).set("embedPassword", boolStr(c.Embed))
}

func (s *Server) listFlowConnections(w http.ResponseWriter, r *http.Request, sess session, id string) {
	s.store.mu.RLock()
	f := s.store.liveFlow(sess.siteID, id)
	list := newElem("connections")
	if f != nil {
		for _, c := range f.Conns {
			list.add(flowConnElem(c))
		}
	}
	s.store.mu.RUnlock()
	if f == nil {
		writeError(w, r, errNotFound(codeFlowNotFound, "Flow", id))
		return
	}
	writeXML(w, r, http.StatusOK, list)
}

type connectionRequest struct {
	Connection *struct {
		ServerAddress *string `xml:"serverAddress,attr"`
		ServerPort    *string `xml:"serverPort,attr"`
		UserName      *string `xml:"userName,attr"`
		Password      *string `xml:"password,attr"`
		EmbedPassword *string `xml:"embedPassword,attr"`
	} `xml:"connection"`
}

func (s *Server) updateFlowConnection(w http.ResponseWriter, r *http.Request, sess session) {
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
	id, cid := r.PathValue("flowID"), r.PathValue("connID")
	s.store.mu.Lock()
	out, aerr := func() (*elem, *apiError) {
		f := s.store.liveFlow(sess.siteID, id)
		if f == nil {
			return nil, errNotFound(codeFlowNotFound, "Flow", id)
		}
		i := slices.IndexFunc(f.Conns, func(c *flowConn) bool { return c.ID == cid })
		if i < 0 {
			return nil, errNotFound("404020", "Connection", cid)
		}
		c := *f.Conns[i]
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
		if in.EmbedPassword != nil {
			b, aerr := optBool("embedPassword", in.EmbedPassword)
			if aerr != nil {
				return nil, aerr
			}
			c.Embed = b
		}
		*f.Conns[i] = c
		return flowConnElem(&c), nil
	}()
	s.store.mu.Unlock()
	if aerr != nil {
		writeError(w, r, aerr)
		return
	}
	writeXML(w, r, http.StatusOK, out)
}
