package tableautest

import (
	"net/http"
	"slices"
)

// routesWorkbookExtras registers what only workbooks have: their views,
// preview image, PDF and PowerPoint exports.
func (s *Server) routesWorkbookExtras(rt *router) {
	read := "tableau:content:read"
	rt.site("GET", "workbooks/{id}/views", read, s.workbookViews)
	rt.site("GET", "workbooks/{id}/previewImage", read, s.workbookPreview)
	rt.site("GET", "workbooks/{id}/views/{viewID}/previewImage", read, s.viewPreview)
	rt.site("GET", "workbooks/{id}/pdf", "tableau:workbooks:download", s.workbookPDF)
	rt.site("GET", "workbooks/{id}/powerpoint", "tableau:workbooks:download", s.workbookPowerPoint)
}

// workbookViews answers Query Views for Workbook.
func (s *Server) workbookViews(w http.ResponseWriter, r *http.Request, sess session) {
	usage, aerr := includeUsage(r)
	if aerr != nil {
		writeError(w, r, aerr)
		return
	}
	id := r.PathValue("id")
	s.store.mu.RLock()
	it := s.store.contentItem(resWorkbook, sess.siteID, id)
	list := newElem("views")
	if it != nil {
		for _, vid := range it.ViewIDs {
			if v := s.store.content.views[vid]; v != nil {
				if vs, ok := s.store.snapView(v, usage); ok {
					list.add(defaultFields.prune(viewElem(vs)))
				}
			}
		}
	}
	s.store.mu.RUnlock()
	if it == nil {
		writeError(w, r, notFoundItem(resWorkbook, id))
		return
	}
	writeXML(w, r, http.StatusOK, list)
}

// workbookSheets returns the names and ids of a live workbook's views.
func (s *Server) workbookSheets(siteID, id string) (name string, views []view, aerr *apiError) {
	s.store.mu.RLock()
	defer s.store.mu.RUnlock()
	it := s.store.contentItem(resWorkbook, siteID, id)
	if it == nil {
		return "", nil, notFoundItem(resWorkbook, id)
	}
	for _, vid := range it.ViewIDs {
		if v := s.store.content.views[vid]; v != nil {
			views = append(views, *v)
		}
	}
	return it.Name, views, nil
}

func (s *Server) workbookPreview(w http.ResponseWriter, r *http.Request, sess session) {
	_, views, aerr := s.workbookSheets(sess.siteID, r.PathValue("id"))
	if aerr != nil {
		writeError(w, r, aerr)
		return
	}
	seed := r.PathValue("id")
	if len(views) > 0 {
		seed = views[0].ID
	}
	img, err := renderPNG(viewRows(seed, nil), 400, 300)
	if err != nil {
		writeError(w, r, serverError(err))
		return
	}
	writeBytes(w, "image/png", "", img)
}

// viewPreview answers Query View Preview Image: the thumbnail of one view
// of the workbook.
func (s *Server) viewPreview(w http.ResponseWriter, r *http.Request, sess session) {
	_, views, aerr := s.workbookSheets(sess.siteID, r.PathValue("id"))
	if aerr != nil {
		writeError(w, r, aerr)
		return
	}
	id := r.PathValue("viewID")
	if !slices.ContainsFunc(views, func(v view) bool { return v.ID == id }) {
		writeError(w, r, errNotFound(codeViewNotFound, "View", id))
		return
	}
	img, err := renderPNG(viewRows(id, nil), 400, 300)
	if err != nil {
		writeError(w, r, serverError(err))
		return
	}
	writeBytes(w, "image/png", "", img)
}

func (s *Server) workbookPDF(w http.ResponseWriter, r *http.Request, sess session) {
	name, views, aerr := s.workbookSheets(sess.siteID, r.PathValue("id"))
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
	pages := []pdfPage{{title: name}}
	if len(views) > 0 {
		pages = pages[:0]
		for _, v := range views {
			pages = append(pages, pdfPage{title: v.Name, rows: viewRows(v.ID, viewFilters(q))})
		}
	}
	doc, err := renderPDF(q.Get("type"), q.Get("orientation"), lang, pages)
	if err != nil {
		writeError(w, r, errBadRequest(err.Error()))
		return
	}
	writeBytes(w, "application/pdf", urlName(name)+".pdf", doc)
}

func (s *Server) workbookPowerPoint(w http.ResponseWriter, r *http.Request, sess session) {
	name, views, aerr := s.workbookSheets(sess.siteID, r.PathValue("id"))
	if aerr == nil {
		aerr = checkMaxAge(r)
	}
	if aerr != nil {
		writeError(w, r, aerr)
		return
	}
	titles := []string{name}
	seeds := []string{r.PathValue("id")}
	if len(views) > 0 {
		titles, seeds = nil, nil
		for _, v := range views {
			titles = append(titles, v.Name)
			seeds = append(seeds, v.ID)
		}
	}
	images := make([][]byte, len(seeds))
	for i, sd := range seeds {
		img, err := renderPNG(viewRows(sd, nil), 800, 600)
		if err != nil {
			writeError(w, r, serverError(err))
			return
		}
		images[i] = img
	}
	doc, err := renderPPTX(titles, images)
	if err != nil {
		writeError(w, r, serverError(err))
		return
	}
	writeBytes(w, "application/vnd.openxmlformats-officedocument.presentationml.presentation", urlName(name)+".pptx", doc)
}
