package tableautest

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"
)

// viewSnap is a view with what its XML needs from its workbook.
type viewSnap struct {
	view
	wbContentURL string
	wbName       string
	projectID    string
	projectName  string
	ownerID      string
	ownerName    string
	usage        bool
}

func viewContentURL(wb *item, v view) string { return wb.ContentURL + "/sheets/" + v.URLName }

// snapView copies a view of a live workbook. Callers hold store.mu.
func (st *store) snapView(v *view, usage bool) (viewSnap, bool) {
	wb := st.content.items[v.WorkbookID]
	if wb == nil || st.projects.byID[wb.ProjectID] == nil {
		return viewSnap{}, false
	}
	vs := viewSnap{view: *v, wbContentURL: wb.ContentURL, wbName: wb.Name, projectID: wb.ProjectID, ownerID: wb.OwnerID, usage: usage}
	vs.projectName = st.projects.byID[wb.ProjectID].Name
	if u := st.users.byID[wb.OwnerID]; u != nil {
		vs.ownerName = u.Name
	}
	return vs, true
}

func viewElem(vs viewSnap) *elem {
	e := newElem("view").set("id", vs.ID).set("name", vs.Name).
		set("contentUrl", vs.wbContentURL+"/sheets/"+vs.URLName).
		set("createdAt", formatTime(vs.Created)).set("updatedAt", formatTime(vs.Updated)).
		set("viewUrlName", vs.URLName).set("sheetType", vs.SheetType)
	e.add(newElem("workbook").set("id", vs.WorkbookID).extra("name", vs.wbName),
		newElem("owner").set("id", vs.ownerID).extra("name", vs.ownerName),
		newElem("project").set("id", vs.projectID).extra("name", vs.projectName),
		tagsElem(vs.Tags))
	u := newElem("usage").set("totalViewCount", strconv.Itoa(vs.TotalViews))
	if !vs.usage {
		u.def = false // only with includeUsageStatistics=true (or fields naming it)
	}
	return e.add(u)
}

var viewsSchema = listSchema[viewSnap]{
	plural: "views",
	render: viewElem,
	fields: []field[viewSnap]{
		{name: "name", kind: kindString, value: func(v viewSnap) string { return v.Name }},
		{name: "viewUrlName", kind: kindString, value: func(v viewSnap) string { return v.URLName }},
		{name: "contentUrl", kind: kindString, value: func(v viewSnap) string { return v.wbContentURL + "/sheets/" + v.URLName }},
		{name: "createdAt", kind: kindTime, value: func(v viewSnap) string { return formatTime(v.Created) }},
		{name: "updatedAt", kind: kindTime, value: func(v viewSnap) string { return formatTime(v.Updated) }},
		{name: "ownerName", kind: kindString, value: func(v viewSnap) string { return v.ownerName }},
		{name: "projectName", kind: kindString, value: func(v viewSnap) string { return v.projectName }},
		{name: "workbookName", kind: kindString, value: func(v viewSnap) string { return v.wbName }},
		{name: "sheetType", kind: kindString, value: func(v viewSnap) string { return v.SheetType }},
		{name: "tags", kind: kindString, values: func(v viewSnap) []string { return v.Tags }},
		{name: "totalViewCount", kind: kindInt, value: func(v viewSnap) string { return strconv.Itoa(v.TotalViews) }},
	},
}

func includeUsage(r *http.Request) (bool, *apiError) {
	v := r.URL.Query().Get("includeUsageStatistics")
	if v == "" {
		return false, nil
	}
	return optBool("includeUsageStatistics", &v)
}

func (s *Server) routesViews(rt *router) {
	read := "tableau:content:read"
	rt.site("GET", "views", read, s.listViews)
	rt.site("GET", "views/{viewID}", read, s.getView)
	rt.site("GET", "views/{viewID}/image", "tableau:views:download", s.viewImage)
	rt.site("GET", "views/{viewID}/pdf", "tableau:views:download", s.viewPDF)
	rt.site("GET", "views/{viewID}/data", "tableau:views:download", s.viewData)
	rt.site("GET", "views/{viewID}/crosstab/excel", "tableau:views:download", s.viewExcel)
}

// listViews answers Query Views for Site; workbookViews (in
// workbooks_extras.go) answers Query Views for Workbook.
func (s *Server) listViews(w http.ResponseWriter, r *http.Request, sess session) {
	usage, aerr := includeUsage(r)
	if aerr != nil {
		writeError(w, r, aerr)
		return
	}
	writeListLocked(s, w, r, &viewsSchema, func() ([]viewSnap, *apiError) {
		var out []viewSnap
		for _, v := range s.store.content.vorder[sess.siteID] {
			if vs, ok := s.store.snapView(v, usage); ok {
				out = append(out, vs)
			}
		}
		return out, nil
	})
}

// liveView returns a copy of a view of a live workbook on the site.
func (s *Server) liveView(siteID, id string, usage bool) (viewSnap, *apiError) {
	s.store.mu.RLock()
	defer s.store.mu.RUnlock()
	v := s.store.content.views[id]
	if v == nil || v.SiteID != siteID {
		return viewSnap{}, errNotFound(codeViewNotFound, "View", id)
	}
	vs, ok := s.store.snapView(v, usage)
	if !ok {
		return viewSnap{}, errNotFound(codeViewNotFound, "View", id)
	}
	return vs, nil
}

func (s *Server) getView(w http.ResponseWriter, r *http.Request, sess session) {
	usage, aerr := includeUsage(r)
	if aerr != nil {
		writeError(w, r, aerr)
		return
	}
	vs, aerr := s.liveView(sess.siteID, r.PathValue("viewID"), usage)
	if aerr != nil {
		writeError(w, r, aerr)
		return
	}
	writeXML(w, r, http.StatusOK, defaultFields.prune(viewElem(vs)))
}

// countView records one access to a view (exports count as views).
func (s *Server) countView(id string) {
	s.store.mu.Lock()
	if v := s.store.content.views[id]; v != nil {
		v.TotalViews++
	}
	s.store.mu.Unlock()
}

// checkMaxAge validates the maxAge parameter (minutes, at least 1).
func checkMaxAge(r *http.Request) *apiError {
	if v := r.URL.Query().Get("maxAge"); v != "" {
		if _, aerr := optInt("maxAge", &v, 1); aerr != nil {
			return aerr
		}
	}
	return nil
}

// imageSize returns the PNG size for the resolution and vizWidth/vizHeight parameters.
func imageSize(r *http.Request) (int, int, *apiError) {
	q := r.URL.Query()
	wd, ht := 800, 600
	switch strings.ToLower(q.Get("resolution")) {
	case "", "standard":
	case "high":
		wd, ht = 1600, 1200
	default:
		return 0, 0, errBadRequest(fmt.Sprintf("The resolution '%s' is not high or standard.", q.Get("resolution")))
	}
	for _, p := range []struct {
		name string
		dst  *int
	}{{"vizWidth", &wd}, {"vizHeight", &ht}} {
		if v := q.Get(p.name); v != "" {
			n, aerr := optInt(p.name, &v, 1)
			if aerr != nil {
				return 0, 0, aerr
			}
			if n > 4000 {
				return 0, 0, errBadRequest(fmt.Sprintf("The %s %d is larger than 4000 pixels.", p.name, n))
			}
			*p.dst = n
		}
	}
	return wd, ht, nil
}

// checkVizSize checks a PDF export's vizWidth and vizHeight (REST API
// 3.23): both or neither, each from 1 to 4000 pixels. The emulator's PDF
// pages do not depend on them.
func checkVizSize(r *http.Request) *apiError {
	q := r.URL.Query()
	if (q.Get("vizWidth") == "") != (q.Get("vizHeight") == "") {
		return errBadRequest("vizWidth and vizHeight go together.")
	}
	_, _, aerr := imageSize(r)
	return aerr
}

func writeBytes(w http.ResponseWriter, contentType, fileName string, body []byte) {
	w.Header().Set("Content-Type", contentType)
	if fileName != "" {
		w.Header().Set("Content-Disposition", `attachment; filename="`+strings.ReplaceAll(fileName, `"`, "")+`"`)
	}
	w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(http.StatusOK)
	w.Write(body) //nolint:errcheck
}

func serverError(err error) *apiError {
	return newAPIError(http.StatusInternalServerError, "500000", "Internal Server Error", fmt.Sprintf("The export failed: %v.", err))
}

func (s *Server) viewImage(w http.ResponseWriter, r *http.Request, sess session) {
	vs, aerr := s.liveView(sess.siteID, r.PathValue("viewID"), false)
	var lang string
	if aerr == nil {
		lang, aerr = checkExport(r)
	}
	var wd, ht int
	if aerr == nil {
		wd, ht, aerr = imageSize(r)
	}
	if aerr != nil {
		writeError(w, r, aerr)
		return
	}
	rows := viewRows(vs.ID, viewFilters(r.URL.Query()))
	contentType, body := "image/png", []byte(nil)
	switch f := r.URL.Query().Get("format"); strings.ToUpper(f) {
	case "", "PNG":
		img, err := renderPNG(rows, wd, ht)
		if err != nil {
			writeError(w, r, serverError(err))
			return
		}
		body = img
	case "SVG": // REST API 3.29
		if !s.versionAtLeast(r, "3.29") {
			writeError(w, r, errBadRequest("The format parameter needs REST API 3.29 or later."))
			return
		}
		contentType, body = "image/svg+xml", renderSVG(rows, wd, ht, lang)
	default:
		writeError(w, r, errBadRequest(fmt.Sprintf("The format '%s' is not PNG or SVG.", f)))
		return
	}
	s.countView(vs.ID)
	writeBytes(w, contentType, "", body)
}

func (s *Server) viewPDF(w http.ResponseWriter, r *http.Request, sess session) {
	vs, aerr := s.liveView(sess.siteID, r.PathValue("viewID"), false)
	var lang string
	if aerr == nil {
		lang, aerr = checkExport(r)
	}
	if aerr == nil {
		aerr = checkVizSize(r)
	}
	if aerr != nil {
		writeError(w, r, aerr)
		return
	}
	q := r.URL.Query()
	doc, err := renderPDF(q.Get("type"), q.Get("orientation"), lang, []pdfPage{{title: vs.Name, rows: viewRows(vs.ID, viewFilters(q))}})
	if err != nil {
		writeError(w, r, errBadRequest(err.Error()))
		return
	}
	s.countView(vs.ID)
	writeBytes(w, "application/pdf", vs.URLName+".pdf", doc)
}

func (s *Server) viewData(w http.ResponseWriter, r *http.Request, sess session) {
	vs, aerr := s.liveView(sess.siteID, r.PathValue("viewID"), false)
	if aerr == nil {
		_, aerr = checkExport(r) // a CSV carries no language
	}
	if aerr != nil {
		writeError(w, r, aerr)
		return
	}
	s.countView(vs.ID)
	writeBytes(w, "text/csv", vs.URLName+".csv", renderCSV(viewRows(vs.ID, viewFilters(r.URL.Query()))))
}

func (s *Server) viewExcel(w http.ResponseWriter, r *http.Request, sess session) {
	vs, aerr := s.liveView(sess.siteID, r.PathValue("viewID"), false)
	var lang string
	if aerr == nil {
		lang, aerr = checkExport(r)
	}
	if aerr != nil {
		writeError(w, r, aerr)
		return
	}
	doc, err := renderXLSX(vs.Name, lang, viewRows(vs.ID, viewFilters(r.URL.Query())))
	if err != nil {
		writeError(w, r, serverError(err))
		return
	}
	s.countView(vs.ID)
	writeBytes(w, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", vs.URLName+".xlsx", doc)
}
