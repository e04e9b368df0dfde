package tableautest

import (
	"fmt"
	"net/http"
	"slices"
	"strings"
)

const (
	codeDatabaseNotFound = "404052"
	codeTableNotFound    = "404051"
	codeColumnNotFound   = "404054"
)

// asset is what databases and tables share (Tableau Catalog metadata).
type asset struct {
	ID, SiteID, Name, Description string
	Certified                     bool
	CertNote, ContactID           string
	Tags                          []string
}

// database is a database Tableau Catalog knows about.
type database struct {
	asset
	ConnectionType, HostName, Port string
}

// table is a table of a database, with its columns.
type table struct {
	asset
	DatabaseID, Schema string
	Columns            []*column
}

// column is a column of a table.
type column struct {
	ID, Name, Description, RemoteType string
}

type catalogPart struct {
	databases map[string]*database
	dbOrder   []string
	tables    map[string]*table
	tblOrder  []string
}

// AddDatabase adds a database with tables (each with an "id" and a "name"
// column) to the emulator's catalog on the site with that content URL, as
// Tableau Catalog would after indexing a published connection. The REST
// API cannot create them. It returns the database's and the tables' ids.
func (s *Server) AddDatabase(siteContentURL, name, connectionType string, tables ...string) (string, []string, error) {
	s.store.mu.Lock()
	defer s.store.mu.Unlock()
	st := s.store.sites.byContentURL(siteContentURL)
	if st == nil {
		return "", nil, fmt.Errorf("tableautest: AddDatabase: no site with content URL %q", siteContentURL)
	}
	if strings.TrimSpace(name) == "" {
		return "", nil, fmt.Errorf("tableautest: AddDatabase: empty name")
	}
	c := &s.store.gov.catalog
	db := &database{asset: asset{ID: newID(), SiteID: st.ID, Name: name}, ConnectionType: connectionType, HostName: "db.example.com", Port: "5432"}
	c.databases[db.ID] = db
	c.dbOrder = append(c.dbOrder, db.ID)
	var ids []string
	for _, tn := range tables {
		t := &table{asset: asset{ID: newID(), SiteID: st.ID, Name: tn}, DatabaseID: db.ID, Schema: "public",
			Columns: []*column{{ID: newID(), Name: "id", RemoteType: "INTEGER"}, {ID: newID(), Name: "name", RemoteType: "WSTR"}}}
		c.tables[t.ID] = t
		c.tblOrder = append(c.tblOrder, t.ID)
		ids = append(ids, t.ID)
	}
	return db.ID, ids, nil
}

func assetAttrs(e *elem, a asset, contactName string) *elem {
	e.set("id", a.ID).set("name", a.Name).set("description", a.Description).
		set("isCertified", boolStr(a.Certified)).setIf("certificationNote", a.CertNote)
	if a.ContactID != "" {
		e.add(newElem("contact").set("id", a.ContactID).set("name", contactName))
	}
	return e.add(tagsElem(a.Tags))
}

func (st *store) contactName(id string) string {
	if u := st.users.byID[id]; u != nil {
		return u.Name
	}
	return ""
}

type databaseView struct {
	database
	contact string
}

type tableView struct {
	table
	contact string
}

func databaseElem(v databaseView) *elem {
	e := newElem("database").set("connectionType", v.ConnectionType).set("hostName", v.HostName).set("port", v.Port).
		set("isEmbedded", "false").set("type", "DatabaseServer")
	return assetAttrs(e, v.asset, v.contact)
}

func tableElem(v tableView) *elem {
	e := newElem("table").set("schema", v.Schema).set("isEmbedded", "false")
	return assetAttrs(e, v.asset, v.contact)
}

var databasesSchema = listSchema[databaseView]{plural: "databases", render: databaseElem, fields: []field[databaseView]{
	{name: "name", kind: kindString, value: func(v databaseView) string { return v.Name }},
	{name: "connectionType", kind: kindString, value: func(v databaseView) string { return v.ConnectionType }},
}}

var tablesSchema = listSchema[tableView]{plural: "tables", render: tableElem, fields: []field[tableView]{
	{name: "name", kind: kindString, value: func(v tableView) string { return v.Name }},
	{name: "schema", kind: kindString, value: func(v tableView) string { return v.Schema }},
}}

func (s *Server) routesCatalog(rt *router) {
	rt.site("GET", "databases", "tableau:content:read", s.listDatabases)
	rt.site("GET", "databases/{assetID}", "tableau:content:read", s.getAsset("database"))
	rt.site("PUT", "databases/{assetID}", "tableau:databases:update", s.updateAsset("database"))
	rt.site("DELETE", "databases/{assetID}", "tableau:databases:delete", s.deleteAsset("database"))
	rt.site("GET", "tables", "tableau:content:read", s.listTables)
	rt.site("GET", "tables/{assetID}", "tableau:content:read", s.getAsset("table"))
	rt.site("PUT", "tables/{assetID}", "tableau:tables:update", s.updateAsset("table"))
	rt.site("DELETE", "tables/{assetID}", "tableau:tables:delete", s.deleteAsset("table"))
	rt.site("GET", "tables/{assetID}/columns", "tableau:content:read", s.listColumns)
	rt.site("PUT", "tables/{assetID}/columns/{columnID}", "tableau:tables:update", s.updateColumn)
	rt.site("DELETE", "tables/{assetID}/columns/{columnID}", "tableau:tables:update", s.deleteColumn)
}

func (s *Server) listDatabases(w http.ResponseWriter, r *http.Request, sess session) {
	s.store.mu.RLock()
	var views []databaseView
	c := &s.store.gov.catalog
	for _, id := range c.dbOrder {
		if db := c.databases[id]; db.SiteID == sess.siteID {
			views = append(views, databaseView{database: *db, contact: s.store.contactName(db.ContactID)})
		}
	}
	s.store.mu.RUnlock()
	writeList(w, r, &databasesSchema, views)
}

func (s *Server) listTables(w http.ResponseWriter, r *http.Request, sess session) {
	s.store.mu.RLock()
	var views []tableView
	c := &s.store.gov.catalog
	for _, id := range c.tblOrder {
		if t := c.tables[id]; t.SiteID == sess.siteID {
			views = append(views, tableView{table: *t, contact: s.store.contactName(t.ContactID)})
		}
	}
	s.store.mu.RUnlock()
	writeList(w, r, &tablesSchema, views)
}

// assetOf returns the shared part of a database or table, or nil. Callers hold store.mu.
func (c *catalogPart) assetOf(siteID, kind, id string) *asset {
	switch kind {
	case "database":
		if db := c.databases[id]; db != nil && db.SiteID == siteID {
			return &db.asset
		}
	case "table":
		if t := c.tables[id]; t != nil && t.SiteID == siteID {
			return &t.asset
		}
	}
	return nil
}

// assetElem renders a database or table. Callers hold store.mu.
func (st *store) assetElem(kind, id string) *elem {
	c := &st.gov.catalog
	if kind == "database" {
		db := c.databases[id]
		return databaseElem(databaseView{database: *db, contact: st.contactName(db.ContactID)})
	}
	t := c.tables[id]
	return tableElem(tableView{table: *t, contact: st.contactName(t.ContactID)})
}

func (s *Server) getAsset(kind string) sessionHandler {
	return func(w http.ResponseWriter, r *http.Request, sess session) {
		id := r.PathValue("assetID")
		s.store.mu.RLock()
		var e *elem
		if s.store.gov.catalog.assetOf(sess.siteID, kind, id) != nil {
			e = s.store.assetElem(kind, id)
		}
		s.store.mu.RUnlock()
		if e == nil {
			writeError(w, r, contentNotFound(kind, id))
			return
		}
		writeXML(w, r, http.StatusOK, e)
	}
}

type assetRequest struct {
	Items []struct {
		Description       *string `xml:"description,attr"`
		IsCertified       *string `xml:"isCertified,attr"`
		CertificationNote *string `xml:"certificationNote,attr"`
		Contact           *struct {
			ID string `xml:"id,attr"`
		} `xml:"contact"`
	} `xml:",any"`
}

func (s *Server) updateAsset(kind string) sessionHandler {
	return func(w http.ResponseWriter, r *http.Request, sess session) {
		var req assetRequest
		if aerr := readRequest(r, &req); aerr != nil {
			writeError(w, r, aerr)
			return
		}
		if len(req.Items) != 1 {
			writeError(w, r, errBadRequest(fmt.Sprintf("The request needs one <%s> element.", kind)))
			return
		}
		in := req.Items[0]
		id := r.PathValue("assetID")
		s.store.mu.Lock()
		e, aerr := func() (*elem, *apiError) {
			a := s.store.gov.catalog.assetOf(sess.siteID, kind, id)
			if a == nil {
				return nil, contentNotFound(kind, id)
			}
			if !s.store.isSiteAdmin(sess) {
				return nil, errForbidden("Only administrators may change catalog assets in the emulator.")
			}
			upd := *a
			if in.Description != nil {
				upd.Description = *in.Description
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
			if in.Contact != nil {
				if s.store.users.get(sess.siteID, in.Contact.ID) == nil {
					return nil, errNotFound(codeUserNotFound, "User", in.Contact.ID)
				}
				upd.ContactID = in.Contact.ID
			}
			*a = upd
			return s.store.assetElem(kind, id), nil
		}()
		s.store.mu.Unlock()
		if aerr != nil {
			writeError(w, r, aerr)
			return
		}
		writeXML(w, r, http.StatusOK, e)
	}
}

func (s *Server) deleteAsset(kind string) sessionHandler {
	return func(w http.ResponseWriter, r *http.Request, sess session) {
		id := r.PathValue("assetID")
		s.store.mu.Lock()
		c := &s.store.gov.catalog
		found := c.assetOf(sess.siteID, kind, id) != nil
		if found {
			if kind == "database" {
				delete(c.databases, id)
				c.dbOrder = slices.DeleteFunc(c.dbOrder, func(x string) bool { return x == id })
				// Its tables go with it.
				for tid, t := range c.tables {
					if t.DatabaseID == id {
						delete(c.tables, tid)
					}
				}
			} else {
				delete(c.tables, id)
			}
			c.tblOrder = slices.DeleteFunc(c.tblOrder, func(x string) bool { return c.tables[x] == nil })
		}
		s.store.mu.Unlock()
		if !found {
			writeError(w, r, contentNotFound(kind, id))
			return
		}
		w.WriteHeader(http.StatusNoContent)
	}
}

func columnElem(c *column) *elem {
	return newElem("column").set("id", c.ID).set("name", c.Name).set("description", c.Description).set("remoteType", c.RemoteType)
}

func (s *Server) listColumns(w http.ResponseWriter, r *http.Request, sess session) {
	id := r.PathValue("assetID")
	s.store.mu.RLock()
	var cols []column
	a := s.store.gov.catalog.assetOf(sess.siteID, "table", id)
	if a != nil {
		for _, c := range s.store.gov.catalog.tables[id].Columns {
			cols = append(cols, *c)
		}
	}
	s.store.mu.RUnlock()
	if a == nil {
		writeError(w, r, contentNotFound("table", id))
		return
	}
	schema := listSchema[column]{plural: "columns", render: func(c column) *elem { return columnElem(&c) },
		fields: []field[column]{{name: "name", kind: kindString, value: func(c column) string { return c.Name }}}}
	writeList(w, r, &schema, cols)
}

func (s *Server) withColumn(w http.ResponseWriter, r *http.Request, sess session, fn func(t *table, i int) *apiError) bool {
	id, cid := r.PathValue("assetID"), r.PathValue("columnID")
	s.store.mu.Lock()
	aerr := func() *apiError {
		if s.store.gov.catalog.assetOf(sess.siteID, "table", id) == nil {
			return contentNotFound("table", id)
		}
		t := s.store.gov.catalog.tables[id]
		i := slices.IndexFunc(t.Columns, func(c *column) bool { return c.ID == cid })
		if i < 0 {
			return errNotFound(codeColumnNotFound, "Column", cid)
		}
		return fn(t, i)
	}()
	s.store.mu.Unlock()
	if aerr != nil {
		writeError(w, r, aerr)
		return false
	}
	return true
}

func (s *Server) updateColumn(w http.ResponseWriter, r *http.Request, sess session) {
	var req struct {
		Column *struct {
			Description *string `xml:"description,attr"`
		} `xml:"column"`
	}
	if aerr := readRequest(r, &req); aerr != nil {
		writeError(w, r, aerr)
		return
	}
	if req.Column == nil {
		writeError(w, r, errBadRequest("The request has no column element."))
		return
	}
	var out column
	if s.withColumn(w, r, sess, func(t *table, i int) *apiError {
		if req.Column.Description != nil {
			t.Columns[i].Description = *req.Column.Description
		}
		out = *t.Columns[i]
		return nil
	}) {
		writeXML(w, r, http.StatusOK, columnElem(&out))
	}
}

func (s *Server) deleteColumn(w http.ResponseWriter, r *http.Request, sess session) {
	if s.withColumn(w, r, sess, func(t *table, i int) *apiError {
		t.Columns = slices.Delete(t.Columns, i, i+1)
		return nil
	}) {
		w.WriteHeader(http.StatusNoContent)
	}
}
