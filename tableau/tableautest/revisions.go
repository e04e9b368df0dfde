package tableautest

import (
	"fmt"
	"net/http"
	"strconv"
)

// trimRevisions drops the oldest revisions past the site's revision limit
// (all but the current one when revision history is off). Callers hold
// store.mu for writing.
func (st *store) trimRevisions(it *item) {
	limit := 25
	if site := st.sites.byID[it.SiteID]; site != nil {
		limit = site.RevisionLimit
		if !site.RevisionHistoryEnabled {
			limit = 1
		}
	}
	if limit < 1 {
		limit = len(it.Revisions) // -1: no limit
	}
	if extra := len(it.Revisions) - limit; extra > 0 {
		it.Revisions = append([]*revision(nil), it.Revisions[extra:]...)
	}
}

func revisionElem(rev *revision, current bool, publisher string, publisherID string) *elem {
	e := newElem("revision").
		set("revisionNumber", strconv.Itoa(rev.Number)).
		set("publishedAt", formatTime(rev.Published)).
		set("deleted", boolStr(rev.Deleted)).
		set("current", boolStr(current)).
		set("sizeInBytes", strconv.FormatInt(rev.Size, 10))
	return e.add(newElem("publisher").set("id", publisherID).set("name", publisher))
}

// listRevisions answers Get Workbook Revisions and Get Data Source Revisions.
func (s *Server) listRevisions(kind resKind) sessionHandler {
	return func(w http.ResponseWriter, r *http.Request, sess session) {
		id := r.PathValue("id")
		writeListLocked(s, w, r, &revisionsSchema, func() ([]*elem, *apiError) {
			it := s.store.contentItem(kind, sess.siteID, id)
			if it == nil {
				return nil, notFoundItem(kind, id)
			}
			var revs []*elem
			for i, rev := range it.Revisions {
				name := ""
				if u := s.store.users.byID[rev.PublisherID]; u != nil {
					name = u.Name
				}
				revs = append(revs, revisionElem(rev, i == len(it.Revisions)-1, name, rev.PublisherID))
			}
			return revs, nil
		})
	}
}

var revisionsSchema = listSchema[*elem]{plural: "revisions", render: func(e *elem) *elem { return e }}

// findRevision returns the live item and its revision number n. Callers hold store.mu.
func (st *store) findRevision(kind resKind, siteID, id, n string) (*item, int, *apiError) {
	it := st.contentItem(kind, siteID, id)
	if it == nil {
		return nil, -1, notFoundItem(kind, id)
	}
	num, err := strconv.Atoi(n)
	if err != nil {
		return nil, -1, errBadRequest(fmt.Sprintf("The revision number '%s' is not an integer.", n))
	}
	for i, rev := range it.Revisions {
		if rev.Number == num {
			return it, i, nil
		}
	}
	return nil, -1, errNotFound(codeRevisionNotFound, "Revision", n)
}

func (s *Server) downloadRevision(kind resKind) sessionHandler {
	return func(w http.ResponseWriter, r *http.Request, sess session) {
		s.store.mu.RLock()
		it, i, aerr := s.store.findRevision(kind, sess.siteID, r.PathValue("id"), r.PathValue("n"))
		var rev revision
		name := ""
		if aerr == nil {
			rev = *it.Revisions[i]
			name = it.Name
			if rev.Deleted {
				aerr = errNotFound(codeRevisionNotFound, "Revision", r.PathValue("n"))
			}
		}
		s.store.mu.RUnlock()
		if aerr != nil {
			writeError(w, r, aerr)
			return
		}
		if rev.FileName == "" {
			rev.FileName = name
		}
		s.serveFileTo(w, r, rev.FileName, rev.Data)
	}
}

// deleteRevision removes a revision's file; the current one cannot be removed.
func (s *Server) deleteRevision(kind resKind) sessionHandler {
	return func(w http.ResponseWriter, r *http.Request, sess session) {
		s.store.mu.Lock()
		it, i, aerr := s.store.findRevision(kind, sess.siteID, r.PathValue("id"), r.PathValue("n"))
		if aerr == nil {
			if i == len(it.Revisions)-1 {
				aerr = errBadRequest(fmt.Sprintf("Revision %s is the current revision of the %s; it cannot be removed.", r.PathValue("n"), kind))
			} else {
				rev := *it.Revisions[i]
				rev.Deleted, rev.Data = true, nil
				it.Revisions[i] = &rev
			}
		}
		s.store.mu.Unlock()
		if aerr != nil {
			writeError(w, r, aerr)
			return
		}
		w.WriteHeader(http.StatusNoContent)
	}
}
