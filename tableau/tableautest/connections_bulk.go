package tableautest

import (
	"net/http"
	"slices"
	"strings"
)

// This file holds Update Workbook Connections and Update Data Source
// Connections (API 3.26): one request changes the authentication type,
// user name, password or embedding of several connections of an item.

func (s *Server) routesConnectionsBulk(rt *router) {
	for _, kind := range []resKind{resWorkbook, resDatasource} {
		p := kind.String() + "s"
		rt.site("PUT", p+"/{id}/connections", "tableau:"+p+":update", s.updateConnections(kind))
	}
}

// updateConnectionsRequest is
// <tsRequest><connectionLUIDs><connectionLUID>id</connectionLUID>...</connectionLUIDs><connection .../></tsRequest>.
type updateConnectionsRequest struct {
	IDs        []string `xml:"connectionLUIDs>connectionLUID"`
	Connection *struct {
		AuthenticationType *string `xml:"authenticationType,attr"`
		UserName           *string `xml:"userName,attr"`
		Password           *string `xml:"password,attr"`
		EmbedPassword      *string `xml:"embedPassword,attr"`
	} `xml:"connection"`
}

// updateConnections changes every connection named, or none when one of
// them is unknown or a value is not valid, and answers the changed
// connections.
func (s *Server) updateConnections(kind resKind) sessionHandler {
	return func(w http.ResponseWriter, r *http.Request, sess session) {
		var req updateConnectionsRequest
		if aerr := readRequest(r, &req); aerr != nil {
			writeError(w, r, aerr)
			return
		}
		if len(req.IDs) == 0 {
			writeError(w, r, errBadRequest("The request names no connection (connectionLUIDs>connectionLUID)."))
			return
		}
		for _, id := range req.IDs {
			if strings.TrimSpace(id) == "" {
				writeError(w, r, errBadRequest("A connectionLUID is empty."))
				return
			}
		}
		in := req.Connection
		if in == nil {
			writeError(w, r, errBadRequest("The request has no connection element."))
			return
		}
		var embed *bool
		if in.EmbedPassword != nil {
			b, aerr := optBool("embedPassword", in.EmbedPassword)
			if aerr != nil {
				writeError(w, r, aerr)
				return
			}
			embed = &b
		}
		if in.AuthenticationType != nil && strings.TrimSpace(*in.AuthenticationType) == "" {
			writeError(w, r, errBadRequest("The authenticationType is empty."))
			return
		}
		id := r.PathValue("id")
		s.store.mu.Lock()
		list, aerr := func() (*elem, *apiError) {
			it := s.store.contentItem(kind, sess.siteID, id)
			if it == nil {
				return nil, notFoundItem(kind, id)
			}
			var conns []*connection
			for _, cid := range req.IDs {
				i := slices.IndexFunc(it.Connections, func(c *connection) bool { return c.ID == cid })
				if i < 0 {
					return nil, errNotFound(codeConnectionNotFound, "Connection", cid)
				}
				if !slices.Contains(conns, it.Connections[i]) {
					conns = append(conns, it.Connections[i])
				}
			}
			list := newElem("connections")
			for _, c := range conns {
				if in.AuthenticationType != nil {
					c.AuthType = *in.AuthenticationType
				}
				if in.UserName != nil {
					c.Username = *in.UserName
				}
				if in.Password != nil {
					c.Password = *in.Password
				}
				if embed != nil {
					c.Embed = *embed
				}
				list.add(connectionElem(c, it))
			}
			it.Updated = s.now()
			return list, nil
		}()
		s.store.mu.Unlock()
		if aerr != nil {
			writeError(w, r, aerr)
			return
		}
		writeXML(w, r, http.StatusOK, list)
	}
}
