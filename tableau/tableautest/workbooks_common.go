package tableautest

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strconv"
	"strings"
)

// This file holds what workbooks and datasources share: rendering, list,
// get, update, delete, refresh, connections and tags.

// itemSnap is an item with the names its XML needs, copied under store.mu.
type itemSnap struct {
	*item
	projectName string
	ownerName   string
	views       []view // workbooks, for Get Workbook
	size        int64
}

// snap copies what rendering needs. Callers hold store.mu.
func (st *store) snap(it *item, withViews bool) itemSnap {
	sn := itemSnap{item: it, size: it.size()}
	if p := st.projects.byID[it.ProjectID]; p != nil {
		sn.projectName = p.Name
	}
	if u := st.users.byID[it.OwnerID]; u != nil {
		sn.ownerName = u.Name
	}
	if withViews {
		for _, id := range it.ViewIDs {
			if v := st.content.views[id]; v != nil {
				sn.views = append(sn.views, *v)
			}
		}
	}
	return sn
}

func notFoundItem(kind resKind, id string) *apiError {
	if kind == resWorkbook {
		return errNotFound(codeWorkbookNotFound, "Workbook", id)
	}
	return errNotFound(codeDatasourceNotFound, "Datasource", id)
}

func tagsElem(tags []string) *elem {
	e := newElem("tags")
	for _, t := range tags {
		e.add(newElem("tag").set("label", t))
	}
	return e
}

// itemElem renders <workbook> or <datasource> as the Query methods do.
func itemElem(sn itemSnap) *elem {
	it := sn.item
	e := newElem(it.kind.String()).set("id", it.ID).set("name", it.Name).
		set("description", it.Description).
		set("contentUrl", it.ContentURL)
	if it.kind == resWorkbook {
		e.set("webpageUrl", "/#/workbooks/"+it.ContentURL).
			set("showTabs", boolStr(it.ShowTabs)).
			set("size", megabytes(sn.size))
	} else {
		e.set("type", it.DSType).
			set("webpageUrl", "/#/datasources/"+it.ContentURL).
			set("isCertified", boolStr(it.Certified))
		e.setIf("certificationNote", it.CertNote)
		e.set("hasExtracts", boolStr(it.HasExtracts)).
			set("size", megabytes(sn.size))
	}
	e.set("createdAt", formatTime(it.Created)).set("updatedAt", formatTime(it.Updated)).
		set("encryptExtracts", it.Encrypt)
	if !it.Refreshed.IsZero() {
		e.extra("lastRefreshedAt", formatTime(it.Refreshed))
	}
	if it.kind == resWorkbook && len(it.ViewIDs) > 0 {
		e.set("defaultViewId", it.ViewIDs[0])
	}
	e.add(newElem("project").set("id", it.ProjectID).set("name", sn.projectName),
		newElem("owner").set("id", it.OwnerID).set("name", sn.ownerName),
		tagsElem(it.Tags))
	if sn.views != nil {
		vs := newElem("views")
		for _, v := range sn.views {
			vs.add(newElem("view").set("id", v.ID).set("name", v.Name).set("contentUrl", viewContentURL(it, v)))
		}
		e.add(vs)
	}
	return e
}

// nameCache looks up project and owner names once per request. It reads
// the store: use it under store.mu.
type nameCache struct {
	st              *store
	projects, users map[string]string
}

func newNameCache(st *store) *nameCache {
	return &nameCache{st: st, projects: map[string]string{}, users: map[string]string{}}
}

func (n *nameCache) project(id string) string {
	name, ok := n.projects[id]
	if !ok {
		if p := n.st.projects.byID[id]; p != nil {
			name = p.Name
		}
		n.projects[id] = name
	}
	return name
}

func (n *nameCache) user(id string) string {
	name, ok := n.users[id]
	if !ok {
		if u := n.st.users.byID[id]; u != nil {
			name = u.Name
		}
		n.users[id] = name
	}
	return name
}

// itemListSchema is the list schema of workbooks or datasources. Items are
// live pointers: only the page's items are rendered, and names are looked
// up only for the rendered items and the fields a filter or sort uses, so
// a page of a 20,000-item site costs little more than a pass over pointers.
func itemListSchema(kind resKind, n *nameCache) *listSchema[*item] {
	fields := []field[*item]{
		{name: "name", kind: kindString, value: func(x *item) string { return x.Name }},
		{name: "contentUrl", kind: kindString, value: func(x *item) string { return x.ContentURL }},
		{name: "createdAt", kind: kindTime, value: func(x *item) string { return formatTime(x.Created) }},
		{name: "updatedAt", kind: kindTime, value: func(x *item) string { return formatTime(x.Updated) }},
		{name: "ownerName", kind: kindString, value: func(x *item) string { return n.user(x.OwnerID) }},
		{name: "projectName", kind: kindString, value: func(x *item) string { return n.project(x.ProjectID) }},
		{name: "tags", kind: kindString, values: func(x *item) []string { return x.Tags }},
		{name: "size", kind: kindInt, value: func(x *item) string { return megabytes(x.size()) }},
	}
	if kind == resWorkbook {
		fields = append(fields, field[*item]{name: "showTabs", kind: kindBool, value: func(x *item) string { return boolStr(x.ShowTabs) }})
	} else {
		fields = append(fields,
			field[*item]{name: "type", kind: kindString, value: func(x *item) string { return x.DSType }},
			field[*item]{name: "isCertified", kind: kindBool, value: func(x *item) string { return boolStr(x.Certified) }},
			field[*item]{name: "hasExtracts", kind: kindBool, value: func(x *item) string { return boolStr(x.HasExtracts) }})
	}
	render := func(x *item) *elem {
		return itemElem(itemSnap{item: x, projectName: n.project(x.ProjectID), ownerName: n.user(x.OwnerID), size: x.size()})
	}
	return &listSchema[*item]{plural: kind.String() + "s", render: render, fields: fields}
}

// writeListLocked answers a list request, rendering under the read lock
// (the items are live) and writing after unlocking. snapshot runs under
// the lock.
func writeListLocked[T any](s *Server, w http.ResponseWriter, r *http.Request, schema *listSchema[T], snapshot func() ([]T, *apiError)) {
	writeListLockedWith(s, w, r, func() (*listSchema[T], []T, *apiError) {
		items, aerr := snapshot()
		return schema, items, aerr
	})
}

// writeListLockedWith is writeListLocked for a schema made under the lock.
func writeListLockedWith[T any](s *Server, w http.ResponseWriter, r *http.Request, snapshot func() (*listSchema[T], []T, *apiError)) {
	q, aerr := parseListQuery(r.URL.Query())
	if aerr != nil {
		writeError(w, r, aerr)
		return
	}
	s.store.mu.RLock()
	schema, items, aerr := snapshot()
	var pageItems []T
	var p Page
	if aerr == nil {
		pageItems, p, aerr = apply(schema, q, items)
	}
	var list *elem
	if aerr == nil {
		list = newElem(schema.plural)
		for _, it := range pageItems {
			e := schema.render(it)
			if err := q.fields.check(e); err != nil {
				aerr = errBadRequest(err.Error())
				break
			}
			list.add(q.fields.prune(e))
		}
	}
	s.store.mu.RUnlock()
	if aerr != nil {
		writeError(w, r, aerr)
		return
	}
	writeXML(w, r, http.StatusOK, paginationElem(p), list)
}

func (s *Server) listItems(kind resKind) sessionHandler {
	return func(w http.ResponseWriter, r *http.Request, sess session) {
		// The schema's name cache reads the store, so it is made under the lock.
		writeListLockedWith(s, w, r, func() (*listSchema[*item], []*item, *apiError) {
			return itemListSchema(kind, newNameCache(s.store)), s.store.contentItems(kind, sess.siteID), nil
		})
	}
}

// getItem answers Query Workbook and Query Data Source.
func (s *Server) getItem(kind resKind) sessionHandler {
	return func(w http.ResponseWriter, r *http.Request, sess session) {
		id := r.PathValue("id")
		s.store.mu.RLock()
		it := s.store.contentItem(kind, sess.siteID, id)
		var e *elem
		if it != nil {
			e = defaultFields.prune(itemElem(s.store.snap(it, kind == resWorkbook)))
		}
		s.store.mu.RUnlock()
		if it == nil {
			writeError(w, r, notFoundItem(kind, id))
			return
		}
		writeXML(w, r, http.StatusOK, e)
	}
}

func (s *Server) updateItem(kind resKind) sessionHandler {
	return func(w http.ResponseWriter, r *http.Request, sess session) {
		var raw struct {
			Workbook   *itemFields `xml:"workbook"`
			Datasource *itemFields `xml:"datasource"`
		}
		if aerr := readRequest(r, &raw); aerr != nil {
			writeError(w, r, aerr)
			return
		}
		in := raw.Workbook
		if kind == resDatasource {
			in = raw.Datasource
		}
		if in == nil {
			writeError(w, r, errBadRequest(fmt.Sprintf("The request has no %s element.", kind)))
			return
		}
		id := r.PathValue("id")
		s.store.mu.Lock()
		var ev []event
		e, aerr := func() (*elem, *apiError) {
			it := s.store.contentItem(kind, sess.siteID, id)
			if it == nil {
				return nil, notFoundItem(kind, id)
			}
			upd := *it
			if in.Name != nil {
				if strings.TrimSpace(*in.Name) == "" {
					return nil, errBadRequest(fmt.Sprintf("The %s name is empty.", kind))
				}
				upd.Name = *in.Name
			}
			if in.Description != nil {
				upd.Description = *in.Description
			}
			for _, b := range []struct {
				name string
				v    *string
				dst  *bool
			}{{"showTabs", in.ShowTabs, &upd.ShowTabs}, {"isCertified", in.IsCertified, &upd.Certified}} {
				if b.v != nil {
					v, aerr := optBool(b.name, b.v)
					if aerr != nil {
						return nil, aerr
					}
					*b.dst = v
				}
			}
			if in.CertificationNote != nil {
				upd.CertNote = *in.CertificationNote
			}
			if in.EncryptExtracts != nil {
				upd.Encrypt = *in.EncryptExtracts
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
			if o := s.store.itemByName(kind, sess.siteID, upd.ProjectID, upd.Name); o != nil && o != it {
				return nil, errConflict(codeContentConflict, fmt.Sprintf("A %s named '%s' already exists in that project.", kind, o.Name))
			}
			upd.Updated = s.now()
			*it = upd
			evType := eventWorkbookUpdated
			if kind == resDatasource {
				evType = eventDatasourceUpdated
			}
			ev = append(ev, contentEvent(s.store, evType, kind, it.SiteID, it.ID, it.Name))
			return defaultFields.prune(itemElem(s.store.snap(it, false))), nil
		}()
		s.store.mu.Unlock()
		if aerr != nil {
			writeError(w, r, aerr)
			return
		}
		for _, x := range ev {
			s.emit(x)
		}
		writeXML(w, r, http.StatusOK, e)
	}
}

// itemFields are the attributes an update request may set.
type itemFields struct {
	Name              *string `xml:"name,attr"`
	Description       *string `xml:"description,attr"`
	ShowTabs          *string `xml:"showTabs,attr"`
	IsCertified       *string `xml:"isCertified,attr"`
	CertificationNote *string `xml:"certificationNote,attr"`
	EncryptExtracts   *string `xml:"encryptExtracts,attr"`
	Project           *struct {
		ID string `xml:"id,attr"`
	} `xml:"project"`
	Owner *struct {
		ID string `xml:"id,attr"`
	} `xml:"owner"`
}

func (s *Server) deleteItem(kind resKind) sessionHandler {
	return func(w http.ResponseWriter, r *http.Request, sess session) {
		id := r.PathValue("id")
		s.store.mu.Lock()
		it := s.store.contentItem(kind, sess.siteID, id)
		var ev event
		if it != nil {
			s.store.removeItem(it)
			typ := eventWorkbookDeleted
			if kind == resDatasource {
				typ = eventDatasourceDeleted
			}
			ev = contentEvent(s.store, typ, kind, it.SiteID, it.ID, it.Name)
		}
		s.store.mu.Unlock()
		if it == nil {
			writeError(w, r, notFoundItem(kind, id))
			return
		}
		s.emit(ev)
		w.WriteHeader(http.StatusNoContent)
	}
}

// refreshItem starts an extract refresh job (POST .../refresh).
func (s *Server) refreshItem(kind resKind) sessionHandler {
	return func(w http.ResponseWriter, r *http.Request, sess session) {
		id := r.PathValue("id")
		incremental, aerr := readRefreshRequest(r)
		if aerr != nil {
			writeError(w, r, aerr)
			return
		}
		s.store.mu.Lock()
		var js jobSnap
		var ev event
		aerr = func() *apiError {
			it := s.store.contentItem(kind, sess.siteID, id)
			if it == nil {
				return notFoundItem(kind, id)
			}
			if !it.HasExtracts {
				return errBadRequest(fmt.Sprintf("The %s '%s' has no extract to refresh.", kind, it.Name))
			}
			j := &job{SiteID: sess.siteID, Type: jobRefresh, resKind: kind, resID: it.ID, resName: it.Name, incremental: incremental}
			s.startJob(j)
			js = snapJob(j, j.Created)
			started := eventWorkbookRefreshStarted
			if kind == resDatasource {
				started = eventDatasourceRefreshStarted
			}
			ev = contentEvent(s.store, started, kind, it.SiteID, it.ID, it.Name)
			return nil
		}()
		s.store.mu.Unlock()
		if aerr != nil {
			writeError(w, r, aerr)
			return
		}
		s.emit(ev)
		writeXML(w, r, http.StatusAccepted, jobStartedElem(js))
	}
}

func connectionElem(c *connection, it *item) *elem {
	e := newElem("connection").set("id", c.ID).set("type", c.Type).
		set("embedPassword", boolStr(c.Embed)).
		set("serverAddress", c.Server).set("serverPort", c.Port).
		set("userName", c.Username).
		set("queryTaggingEnabled", boolStr(c.QueryTagging))
	e.setIf("authenticationType", c.AuthType)
	if it.kind == resWorkbook {
		// A workbook's connection names the embedded datasource it belongs to.
		e.add(newElem("datasource").set("id", it.ID+"-"+urlName(c.DSName)).set("name", c.DSName))
	} else {
		e.add(newElem("datasource").set("id", it.ID).set("name", it.Name))
	}
	return e
}

func (s *Server) listConnections(kind resKind) sessionHandler {
	return func(w http.ResponseWriter, r *http.Request, sess session) {
		id := r.PathValue("id")
		s.store.mu.RLock()
		it := s.store.contentItem(kind, sess.siteID, id)
		list := newElem("connections")
		if it != nil {
			for _, c := range it.Connections {
				list.add(connectionElem(c, it))
			}
		}
		s.store.mu.RUnlock()
		if it == nil {
			writeError(w, r, notFoundItem(kind, id))
			return
		}
		writeXML(w, r, http.StatusOK, list)
	}
}

func (s *Server) updateConnection(kind resKind) sessionHandler {
	return func(w http.ResponseWriter, r *http.Request, sess session) {
		var req struct {
			Connection *struct {
				ServerAddress *string `xml:"serverAddress,attr"`
				ServerPort    *string `xml:"serverPort,attr"`
				UserName      *string `xml:"userName,attr"`
				Password      *string `xml:"password,attr"`
				EmbedPassword *string `xml:"embedPassword,attr"`
				QueryTagging  *string `xml:"queryTaggingEnabled,attr"`
			} `xml:"connection"`
		}
		if aerr := readRequest(r, &req); aerr != nil {
			writeError(w, r, aerr)
			return
		}
		in := req.Connection
		if in == nil {
			writeError(w, r, errBadRequest("The request has no connection element."))
			return
		}
		id, cid := r.PathValue("id"), r.PathValue("connectionID")
		s.store.mu.Lock()
		e, aerr := func() (*elem, *apiError) {
			it := s.store.contentItem(kind, sess.siteID, id)
			if it == nil {
				return nil, notFoundItem(kind, id)
			}
			i := slices.IndexFunc(it.Connections, func(c *connection) bool { return c.ID == cid })
			if i < 0 {
				return nil, errNotFound(codeConnectionNotFound, "Connection", cid)
			}
			c := *it.Connections[i]
			if in.ServerAddress != nil {
				c.Server = *in.ServerAddress
			}
			if in.ServerPort != nil {
				if _, err := strconv.ParseUint(*in.ServerPort, 10, 16); err != nil && *in.ServerPort != "" {
					return nil, errBadRequest(fmt.Sprintf("The serverPort '%s' is not a port number.", *in.ServerPort))
				}
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
			if in.QueryTagging != nil {
				b, aerr := optBool("queryTaggingEnabled", in.QueryTagging)
				if aerr != nil {
					return nil, aerr
				}
				c.QueryTagging = b
			}
			*it.Connections[i] = c
			it.Updated = s.now()
			return connectionElem(&c, it), nil
		}()
		s.store.mu.Unlock()
		if aerr != nil {
			writeError(w, r, aerr)
			return
		}
		writeXML(w, r, http.StatusOK, e)
	}
}

// addTags adds tags (PUT .../tags) and returns the item's tags.
func (s *Server) addTags(kind resKind) sessionHandler {
	return func(w http.ResponseWriter, r *http.Request, sess session) {
		labels, aerr := readTagLabels(r)
		if aerr != nil {
			writeError(w, r, aerr)
			return
		}
		id := r.PathValue("id")
		s.store.mu.Lock()
		it := s.store.contentItem(kind, sess.siteID, id)
		var tags []string
		if it != nil {
			tags = mergeTags(&it.Tags, labels)
		}
		s.store.mu.Unlock()
		if it == nil {
			writeError(w, r, notFoundItem(kind, id))
			return
		}
		writeXML(w, r, http.StatusOK, tagsElem(tags))
	}
}

func (s *Server) deleteTag(kind resKind) sessionHandler {
	return func(w http.ResponseWriter, r *http.Request, sess session) {
		id, tag := r.PathValue("id"), r.PathValue("tag")
		s.store.mu.Lock()
		it := s.store.contentItem(kind, sess.siteID, id)
		found := false
		if it != nil {
			n := len(it.Tags)
			it.Tags = slices.DeleteFunc(it.Tags, func(x string) bool { return strings.EqualFold(x, tag) })
			found = len(it.Tags) < n
		}
		s.store.mu.Unlock()
		switch {
		case it == nil:
			writeError(w, r, notFoundItem(kind, id))
		case !found:
			writeError(w, r, errNotFound(codeResourceNotFound, "Tag", tag))
		default:
			w.WriteHeader(http.StatusNoContent)
		}
	}
}

// routesItems registers what workbooks and datasources share under plural.
func (s *Server) routesItems(rt *router, kind resKind) {
	p := kind.String() + "s"
	read, upd := "tableau:content:read", "tableau:"+p+":update"
	rt.site("GET", p, read, s.listItems(kind))
	rt.site("POST", p, "tableau:"+p+":create", s.publish(kind))
	rt.site("GET", p+"/{id}", read, s.getItem(kind))
	rt.site("PUT", p+"/{id}", upd, s.updateItem(kind))
	rt.site("DELETE", p+"/{id}", "tableau:"+p+":delete", s.deleteItem(kind))
	rt.site("GET", p+"/{id}/content", "tableau:"+p+":download", s.downloadItem(kind))
	rt.site("POST", p+"/{id}/refresh", "tableau:tasks:run", s.refreshItem(kind))
	rt.site("GET", p+"/{id}/connections", read, s.listConnections(kind))
	rt.site("PUT", p+"/{id}/connections/{connectionID}", upd, s.updateConnection(kind))
	rt.site("PUT", p+"/{id}/tags", upd, s.addTags(kind))
	rt.site("DELETE", p+"/{id}/tags/{tag}", upd, s.deleteTag(kind))
	rt.site("GET", p+"/{id}/revisions", read, s.listRevisions(kind))
	rt.site("GET", p+"/{id}/revisions/{n}/content", "tableau:"+p+":download", s.downloadRevision(kind))
	rt.site("DELETE", p+"/{id}/revisions/{n}", upd, s.deleteRevision(kind))
}

// routesContent registers every content resource: workbooks, datasources,
// views, jobs and upload sessions.
func (s *Server) routesContent(rt *router) {
	s.routesItems(rt, resWorkbook)
	s.routesItems(rt, resDatasource)
	s.routesWorkbookExtras(rt)
	s.routesDatasourceExtras(rt)
	s.routesViews(rt)
	s.routesJobs(rt)
	s.routesFileUploads(rt)
}

// readRefreshRequest reads the body of Update Workbook Now and Update Data
// Source Now: empty, <tsRequest/>, or (API 3.25) <tsRequest><extractRefresh
// incremental="true"/></tsRequest>. It reports whether the refresh is
// incremental.
func readRefreshRequest(r *http.Request) (bool, *apiError) {
	var req struct {
		ExtractRefresh *struct {
			Incremental string `xml:"incremental,attr"`
		} `xml:"extractRefresh"`
	}
	body, err := io.ReadAll(http.MaxBytesReader(nil, r.Body, 1<<16))
	if err != nil {
		return false, errBadRequest(fmt.Sprintf("The request body could not be read: %v.", err))
	}
	if len(bytes.TrimSpace(body)) == 0 {
		return false, nil
	}
	if err := xml.Unmarshal(body, &req); err != nil {
		return false, errBadRequest(fmt.Sprintf("The request body is not a valid tsRequest document: %v.", err))
	}
	if req.ExtractRefresh == nil || req.ExtractRefresh.Incremental == "" {
		return false, nil
	}
	inc, err := strconv.ParseBool(req.ExtractRefresh.Incremental)
	if err != nil {
		return false, errBadRequest(fmt.Sprintf("The incremental attribute '%s' is not true or false.", req.ExtractRefresh.Incremental))
	}
	return inc, nil
}
