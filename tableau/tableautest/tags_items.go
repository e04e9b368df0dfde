package tableautest

import (
	"net/http"
	"slices"
	"strings"
)

// This file holds Add Tags and Delete Tag for the items whose tags the
// batch methods (tags.go) and the catalog keep: flows, virtual
// connections, tables, databases and metrics (PUT {plural}/{id}/tags,
// DELETE {plural}/{id}/tags/{tag}). Workbooks, datasources and views have
// theirs in workbooks_common.go and views_edit.go.

func (s *Server) routesItemTags(rt *router) {
	for _, x := range []struct{ kind, plural, scope string }{
		{"flow", "flows", "tableau:flows:update"},
		{"virtualconnection", "virtualConnections", "tableau:virtualconnections:update"},
		{"virtualconnection", "virtualconnections", "tableau:virtualconnections:update"},
		{"table", "tables", "tableau:tables:update"},
		{"database", "databases", "tableau:databases:update"},
		{"metric", "metrics", "tableau:metrics:update"},
	} {
		rt.site("PUT", x.plural+"/{itemID}/tags", x.scope, s.addItemTags(x.kind))
		rt.site("DELETE", x.plural+"/{itemID}/tags/{tag}", x.scope, s.deleteItemTag(x.kind))
	}
}

func (s *Server) addItemTags(kind string) sessionHandler {
	return func(w http.ResponseWriter, r *http.Request, sess session) {
		labels, aerr := readTagLabels(r)
		if aerr != nil {
			writeError(w, r, aerr)
			return
		}
		id := r.PathValue("itemID")
		s.store.mu.Lock()
		tags := s.store.tagsOf(sess.siteID, kind, id)
		var out []string
		if tags != nil {
			out = mergeTags(tags, labels)
		}
		s.store.mu.Unlock()
		if tags == nil {
			writeError(w, r, contentNotFound(kind, id))
			return
		}
		writeXML(w, r, http.StatusOK, tagsElem(out))
	}
}

func (s *Server) deleteItemTag(kind string) sessionHandler {
	return func(w http.ResponseWriter, r *http.Request, sess session) {
		id, tag := r.PathValue("itemID"), r.PathValue("tag")
		s.store.mu.Lock()
		tags := s.store.tagsOf(sess.siteID, kind, id)
		found := false
		if tags != nil {
			n := len(*tags)
			*tags = slices.DeleteFunc(*tags, func(x string) bool { return strings.EqualFold(x, tag) })
			found = len(*tags) < n
		}
		s.store.mu.Unlock()
		switch {
		case tags == nil:
			writeError(w, r, contentNotFound(kind, id))
		case !found:
			writeError(w, r, errNotFound(codeResourceNotFound, "Tag", tag))
		default:
			w.WriteHeader(http.StatusNoContent)
		}
	}
}
