package tableautest

import (
	"fmt"
	"net/http"
	"slices"
	"strings"
)

// This file holds the methods that change a view: Delete View (API 3.27;
// deleting a workbook's only view deletes the workbook), Add Tags to View
// and Delete Tag from View.

func (s *Server) routesViewsEdit(rt *router) {
	rt.site("DELETE", "views/{viewID}", "tableau:views:delete", s.deleteView)
	rt.site("PUT", "views/{viewID}/tags", "tableau:views:update", s.addViewTags)
	rt.site("DELETE", "views/{viewID}/tags/{tag}", "tableau:views:update", s.deleteViewTag)
}

// liveViewLocked returns a view of the site whose workbook is live, with
// the workbook. Callers hold store.mu.
func (st *store) liveViewLocked(siteID, id string) (*view, *item) {
	v := st.content.views[id]
	if v == nil || v.SiteID != siteID {
		return nil, nil
	}
	it := st.contentItem(resWorkbook, siteID, v.WorkbookID)
	if it == nil {
		return nil, nil
	}
	return v, it
}

func (s *Server) deleteView(w http.ResponseWriter, r *http.Request, sess session) {
	id := r.PathValue("viewID")
	s.store.mu.Lock()
	var evs []event
	aerr := func() *apiError {
		v, it := s.store.liveViewLocked(sess.siteID, id)
		if v == nil {
			return errNotFound(codeViewNotFound, "View", id)
		}
		if it.OwnerID != sess.userID && !s.store.isSiteAdmin(sess) {
			return errForbidden(fmt.Sprintf("Only the owner of the workbook '%s' or an administrator may delete its views.", it.Name))
		}
		if len(it.ViewIDs) == 1 {
			s.store.removeItem(it)
			evs = append(evs, contentEvent(s.store, eventWorkbookDeleted, resWorkbook, it.SiteID, it.ID, it.Name))
			return nil
		}
		c := &s.store.content
		delete(c.views, id)
		c.vorder[sess.siteID] = slices.DeleteFunc(c.vorder[sess.siteID], func(x *view) bool { return x.ID == id })
		it.ViewIDs = slices.DeleteFunc(it.ViewIDs, func(x string) bool { return x == id })
		c.version++
		it.Updated = s.now()
		return nil
	}()
	s.store.mu.Unlock()
	if aerr != nil {
		writeError(w, r, aerr)
		return
	}
	for _, e := range evs {
		s.emit(e)
	}
	w.WriteHeader(http.StatusNoContent)
}

// addViewTags adds tags to a view (PUT views/{id}/tags) and answers its tags.
func (s *Server) addViewTags(w http.ResponseWriter, r *http.Request, sess session) {
	labels, aerr := readTagLabels(r)
	if aerr != nil {
		writeError(w, r, aerr)
		return
	}
	id := r.PathValue("viewID")
	s.store.mu.Lock()
	v, _ := s.store.liveViewLocked(sess.siteID, id)
	var tags []string
	if v != nil {
		tags = mergeTags(&v.Tags, labels)
	}
	s.store.mu.Unlock()
	if v == nil {
		writeError(w, r, errNotFound(codeViewNotFound, "View", id))
		return
	}
	writeXML(w, r, http.StatusOK, tagsElem(tags))
}

// deleteViewTag removes a tag from a view.
func (s *Server) deleteViewTag(w http.ResponseWriter, r *http.Request, sess session) {
	id, tag := r.PathValue("viewID"), r.PathValue("tag")
	s.store.mu.Lock()
	v, _ := s.store.liveViewLocked(sess.siteID, id)
	found := false
	if v != nil {
		n := len(v.Tags)
		v.Tags = slices.DeleteFunc(v.Tags, func(x string) bool { return strings.EqualFold(x, tag) })
		found = len(v.Tags) < n
	}
	s.store.mu.Unlock()
	switch {
	case v == nil:
		writeError(w, r, errNotFound(codeViewNotFound, "View", id))
	case !found:
		writeError(w, r, errNotFound(codeResourceNotFound, "Tag", tag))
	default:
		w.WriteHeader(http.StatusNoContent)
	}
}
