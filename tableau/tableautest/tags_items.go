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
		var req struct {
			Tags []struct {
				Label string `xml:"label,attr"`
			} `xml:"tags>tag"`
		}
		if aerr := readRequest(r, &req); aerr != nil {
			writeError(w, r, aerr)
			return
		}
		if len(req.Tags) == 0 {
			writeError(w, r, errBadRequest("The request has no tags>tag elements."))
			return
		}
		for _, t := range req.Tags {
			if strings.TrimSpace(t.Label) == "" {
				writeError(w, r, errBadRequest("A tag label is empty."))
				return
			}
		}
		id := r.PathValue("itemID")
		s.store.mu.Lock()
		tags := s.store.tagsOf(sess.siteID, kind, id)
		var out []string
		if tags != nil {
			for _, t := range req.Tags {
				if !slices.ContainsFunc(*tags, func(x string) bool { return strings.EqualFold(x, t.Label) }) {
					*tags = append(*tags, t.Label)
				}
			}
			out = slices.Clone(*tags)
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
