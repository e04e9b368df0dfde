package tableautest

import (
	"encoding/xml"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"time"
)

const codeCustomViewNotFound = "404045" // Resource Not Found: custom view (emulator's code)

// customView is a user's saved state of a view.
type customView struct {
	ID, SiteID, Name            string
	Shared                      bool
	OwnerID, ViewID, WorkbookID string
	Definition                  []byte
	Created, Updated            time.Time
}

type customViewsPart struct {
	byID  map[string]*customView
	order []string
}

func (p *customViewsPart) get(siteID, id string) *customView {
	if c := p.byID[id]; c != nil && c.SiteID == siteID {
		return c
	}
	return nil
}

type customViewView struct {
	customView
	ownerName, viewName, workbookName string
}

func (st *store) customViewView(c *customView) customViewView {
	v := customViewView{customView: *c}
	v.Definition = nil
	if u := st.users.byID[c.OwnerID]; u != nil {
		v.ownerName = u.Name
	}
	if ref, ok := st.lookupContent(c.SiteID, "view", c.ViewID); ok {
		v.viewName = ref.Name
	}
	if ref, ok := st.lookupContent(c.SiteID, "workbook", c.WorkbookID); ok {
		v.workbookName = ref.Name
	}
	return v
}

func customViewElem(v customViewView) *elem {
	e := newElem("customView").set("id", v.ID).set("name", v.Name).set("shared", boolStr(v.Shared)).
		set("createdAt", formatTime(v.Created)).set("updatedAt", formatTime(v.Updated))
	e.add(newElem("view").set("id", v.ViewID).set("name", v.viewName))
	e.add(newElem("workbook").set("id", v.WorkbookID).set("name", v.workbookName))
	return e.add(newElem("owner").set("id", v.OwnerID).set("name", v.ownerName))
}

var customViewsSchema = listSchema[customViewView]{
	plural: "customViews",
	render: customViewElem,
	fields: []field[customViewView]{
		{name: "name", kind: kindString, value: func(v customViewView) string { return v.Name }},
		{name: "viewId", kind: kindString, value: func(v customViewView) string { return v.ViewID }},
		{name: "workbookId", kind: kindString, value: func(v customViewView) string { return v.WorkbookID }},
		{name: "ownerId", kind: kindString, value: func(v customViewView) string { return v.OwnerID }},
		{name: "shared", kind: kindBool, value: func(v customViewView) string { return boolStr(v.Shared) }},
	},
}

func (s *Server) routesCustomViews(rt *router) {
	rt.site("GET", "customviews", "tableau:content:read", s.listCustomViews)
	rt.site("POST", "customviews", "tableau:views:update", s.publishCustomView)
	rt.site("GET", "customviews/{cvID}", "tableau:content:read", s.getCustomView)
	rt.site("PUT", "customviews/{cvID}", "tableau:views:update", s.updateCustomView)
	rt.site("DELETE", "customviews/{cvID}", "tableau:views:update", s.deleteCustomView)
	rt.site("GET", "customviews/{cvID}/image", "tableau:views:download", s.customViewImage)
	rt.site("GET", "customviews/{cvID}/data", "tableau:views:download", s.customViewData)
	rt.site("GET", "customviews/{cvID}/pdf", "tableau:views:download", s.customViewPDF)
	rt.site("GET", "customviews/{cvID}/content", "tableau:views:download", s.customViewContent)
}

func (s *Server) listCustomViews(w http.ResponseWriter, r *http.Request, sess session) {
	s.store.mu.RLock()
	var views []customViewView
	for _, id := range s.store.gov.customViews.order {
		c := s.store.gov.customViews.byID[id]
		if c.SiteID == sess.siteID && (c.Shared || c.OwnerID == sess.userID || s.store.isSiteAdmin(sess)) {
			views = append(views, s.store.customViewView(c))
		}
	}
	s.store.mu.RUnlock()
	writeList(w, r, &customViewsSchema, views)
}

// lookupCustomView finds a custom view the session may see, and a copy of it.
func (s *Server) lookupCustomView(r *http.Request, sess session) (customView, customViewView, *apiError) {
	id := r.PathValue("cvID")
	s.store.mu.RLock()
	defer s.store.mu.RUnlock()
	c := s.store.gov.customViews.get(sess.siteID, id)
	if c == nil || (!c.Shared && c.OwnerID != sess.userID && !s.store.isSiteAdmin(sess)) {
		return customView{}, customViewView{}, errNotFound(codeCustomViewNotFound, "Custom view", id)
	}
	return *c, s.store.customViewView(c), nil
}

func (s *Server) getCustomView(w http.ResponseWriter, r *http.Request, sess session) {
	_, v, aerr := s.lookupCustomView(r, sess)
	if aerr != nil {
		writeError(w, r, aerr)
		return
	}
	writeXML(w, r, http.StatusOK, customViewElem(v))
}

type customViewRequest struct {
	CustomView *struct {
		Name   *string `xml:"name,attr"`
		Shared *string `xml:"shared,attr"`
		Owner  *struct {
			ID string `xml:"id,attr"`
		} `xml:"owner"`
		Workbook *struct {
			ID string `xml:"id,attr"`
		} `xml:"workbook"`
		View *struct {
			ID string `xml:"id,attr"`
		} `xml:"view"`
	} `xml:"customView"`
}

// publishCustomView answers Publish Custom View: a multipart request with
// request_payload (<customView name shared><owner/><workbook/></customView>)
// and the definition in tableau_customview. The custom view is of the
// workbook's first view unless a <view id> names another.
func (s *Server) publishCustomView(w http.ResponseWriter, r *http.Request, sess session) {
	parts, aerr := readMultipart(r)
	if aerr != nil {
		writeError(w, r, aerr)
		return
	}
	var req customViewRequest
	if err := xml.Unmarshal(parts["request_payload"], &req); err != nil || req.CustomView == nil {
		writeError(w, r, errBadRequest("The request_payload part must hold a customView element."))
		return
	}
	in := req.CustomView
	if in.Name == nil || strings.TrimSpace(*in.Name) == "" || in.Workbook == nil {
		writeError(w, r, errBadRequest("The customView needs a name and a workbook."))
		return
	}
	shared := false
	if in.Shared != nil {
		b, aerr := optBool("shared", in.Shared)
		if aerr != nil {
			writeError(w, r, aerr)
			return
		}
		shared = b
	}
	s.store.mu.Lock()
	v, aerr := func() (customViewView, *apiError) {
		wb := s.store.contentItem(resWorkbook, sess.siteID, in.Workbook.ID)
		if wb == nil || len(wb.ViewIDs) == 0 {
			return customViewView{}, contentNotFound("workbook", in.Workbook.ID)
		}
		viewID := wb.ViewIDs[0]
		if in.View != nil && in.View.ID != "" {
			if !slices.Contains(wb.ViewIDs, in.View.ID) {
				return customViewView{}, contentNotFound("view", in.View.ID)
			}
			viewID = in.View.ID
		}
		owner := sess.userID
		if in.Owner != nil && in.Owner.ID != "" {
			if s.store.users.get(sess.siteID, in.Owner.ID) == nil {
				return customViewView{}, errNotFound(codeUserNotFound, "User", in.Owner.ID)
			}
			owner = in.Owner.ID
		}
		now := s.now()
		c := &customView{ID: newID(), SiteID: sess.siteID, Name: *in.Name, Shared: shared, OwnerID: owner,
			ViewID: viewID, WorkbookID: wb.ID, Definition: parts["tableau_customview"], Created: now, Updated: now}
		p := &s.store.gov.customViews
		p.byID[c.ID] = c
		p.order = append(p.order, c.ID)
		return s.store.customViewView(c), nil
	}()
	s.store.mu.Unlock()
	if aerr != nil {
		writeError(w, r, aerr)
		return
	}
	writeXML(w, r, http.StatusCreated, customViewElem(v))
}

func (s *Server) updateCustomView(w http.ResponseWriter, r *http.Request, sess session) {
	var req customViewRequest
	if aerr := readRequest(r, &req); aerr != nil {
		writeError(w, r, aerr)
		return
	}
	if req.CustomView == nil {
		writeError(w, r, errBadRequest("The request has no customView element."))
		return
	}
	in := req.CustomView
	id := r.PathValue("cvID")
	s.store.mu.Lock()
	v, aerr := func() (customViewView, *apiError) {
		c := s.store.gov.customViews.get(sess.siteID, id)
		if c == nil {
			return customViewView{}, errNotFound(codeCustomViewNotFound, "Custom view", id)
		}
		if c.OwnerID != sess.userID && !s.store.isSiteAdmin(sess) {
			return customViewView{}, errForbidden("Only the owner and administrators may change a custom view.")
		}
		if in.Name != nil {
			if strings.TrimSpace(*in.Name) == "" {
				return customViewView{}, errBadRequest("The custom view name is empty.")
			}
			c.Name = *in.Name
		}
		if in.Owner != nil && in.Owner.ID != "" {
			if s.store.users.get(sess.siteID, in.Owner.ID) == nil {
				return customViewView{}, errNotFound(codeUserNotFound, "User", in.Owner.ID)
			}
			c.OwnerID = in.Owner.ID
		}
		c.Updated = s.now()
		return s.store.customViewView(c), nil
	}()
	s.store.mu.Unlock()
	if aerr != nil {
		writeError(w, r, aerr)
		return
	}
	writeXML(w, r, http.StatusOK, customViewElem(v))
}

func (s *Server) deleteCustomView(w http.ResponseWriter, r *http.Request, sess session) {
	id := r.PathValue("cvID")
	s.store.mu.Lock()
	p := &s.store.gov.customViews
	c := p.get(sess.siteID, id)
	var aerr *apiError
	switch {
	case c == nil:
		aerr = errNotFound(codeCustomViewNotFound, "Custom view", id)
	case c.OwnerID != sess.userID && !s.store.isSiteAdmin(sess):
		aerr = errForbidden("Only the owner and administrators may delete a custom view.")
	default:
		delete(p.byID, id)
		p.order = slices.DeleteFunc(p.order, func(x string) bool { return x == id })
	}
	s.store.mu.Unlock()
	if aerr != nil {
		writeError(w, r, aerr)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// customViewImage renders the custom view's view as a PNG, like Query View Image.
func (s *Server) customViewImage(w http.ResponseWriter, r *http.Request, sess session) {
	c, _, aerr := s.lookupCustomView(r, sess)
	var wd, ht int
	if aerr == nil {
		wd, ht, aerr = imageSize(r)
	}
	if aerr == nil {
		_, aerr = exportLanguage(r) // the PNG carries no language
	}
	if aerr != nil {
		writeError(w, r, aerr)
		return
	}
	img, err := renderPNG(viewRows(c.ViewID, viewFilters(r.URL.Query())), wd, ht)
	if err != nil {
		writeError(w, r, serverError(err))
		return
	}
	writeBytes(w, "image/png", "", img)
}

// customViewData answers the custom view's data as CSV, like Query View Data.
func (s *Server) customViewData(w http.ResponseWriter, r *http.Request, sess session) {
	c, _, aerr := s.lookupCustomView(r, sess)
	if aerr == nil {
		_, aerr = exportLanguage(r) // a CSV carries no language
	}
	if aerr != nil {
		writeError(w, r, aerr)
		return
	}
	writeBytes(w, "text/csv", "", renderCSV(viewRows(c.ViewID, viewFilters(r.URL.Query()))))
}

// customViewPDF renders the custom view's view as a PDF (type and
// orientation as for Download View PDF).
func (s *Server) customViewPDF(w http.ResponseWriter, r *http.Request, sess session) {
	c, v, aerr := s.lookupCustomView(r, sess)
	var lang string
	if aerr == nil {
		lang, aerr = exportLanguage(r)
	}
	if aerr != nil {
		writeError(w, r, aerr)
		return
	}
	q := r.URL.Query()
	doc, err := renderPDF(q.Get("type"), q.Get("orientation"), lang, []pdfPage{{title: v.Name, rows: viewRows(c.ViewID, viewFilters(q))}})
	if err != nil {
		writeError(w, r, errBadRequest(err.Error()))
		return
	}
	writeBytes(w, "application/pdf", urlName(v.Name)+".pdf", doc)
}

// customViewContent downloads the custom view's definition as published.
func (s *Server) customViewContent(w http.ResponseWriter, r *http.Request, sess session) {
	id := r.PathValue("cvID")
	s.store.mu.RLock()
	c := s.store.gov.customViews.get(sess.siteID, id)
	var def []byte
	var name string
	if c != nil {
		def, name = c.Definition, c.Name
	}
	s.store.mu.RUnlock()
	if c == nil {
		writeError(w, r, errNotFound(codeCustomViewNotFound, "Custom view", id))
		return
	}
	writeBytes(w, "application/json", fmt.Sprintf("%s.json", urlName(name)), def)
}
