package tableautest

import (
	"encoding/xml"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
)

const codeFavoriteConflict = "409013" // Resource Conflict: already a favorite (emulator's code)

// favorite is one item on a user's favorites.
type favorite struct {
	Label, Kind, ID string
}

type favoritesPart struct {
	byUser map[string][]favorite
}

// favoriteKinds are the content kinds a favorite may name.
var favoriteKinds = []string{"workbook", "datasource", "view", "project", "flow", "metric", "collection"}

func (s *Server) routesFavorites(rt *router) {
	rt.site("GET", "favorites/{userID}", "tableau:favorites:read", s.listFavorites)
	rt.site("PUT", "favorites/{userID}", "tableau:favorites:update", s.addFavorite)
	rt.site("DELETE", "favorites/{userID}/{kinds}/{itemID}", "tableau:favorites:update", s.deleteFavorite)
	rt.site("GET", "users/{userID}/workbooks", "tableau:content:read", s.listUserWorkbooks)
}

// canManageFavorites lets users manage their own favorites and admins everyone's.
func (s *Server) favoritesUser(r *http.Request, sess session) (string, *apiError) {
	id := r.PathValue("userID")
	if s.store.users.get(sess.siteID, id) == nil {
		return "", errNotFound(codeUserNotFound, "User", id)
	}
	if id != sess.userID && !s.store.isSiteAdmin(sess) {
		return "", errForbidden("Only administrators may read or change another user's favorites.")
	}
	return id, nil
}

func (s *Server) favoritesElem(siteID, userID string) *elem {
	list := newElem("favorites")
	for i, f := range s.store.gov.favorites.byUser[userID] {
		ref, ok := s.store.lookupContent(siteID, f.Kind, f.ID)
		if !ok && f.Kind != "collection" {
			continue // the item is gone
		}
		fe := newElem("favorite").set("label", f.Label).set("position", strconv.Itoa(i+1))
		item := newElem(f.Kind).set("id", f.ID)
		item.setIf("name", ref.Name)
		fe.add(item)
		list.add(fe)
	}
	return list
}

func (s *Server) listFavorites(w http.ResponseWriter, r *http.Request, sess session) {
	s.store.mu.RLock()
	userID, aerr := s.favoritesUser(r, sess)
	var list *elem
	if aerr == nil {
		list = s.favoritesElem(sess.siteID, userID)
	}
	s.store.mu.RUnlock()
	if aerr != nil {
		writeError(w, r, aerr)
		return
	}
	p := Page{Number: 1, Size: max(len(list.kids), 1), Total: len(list.kids)}
	writeXML(w, r, http.StatusOK, paginationElem(p), list)
}

// favoriteRequest is <tsRequest><favorite label><workbook id/></favorite></tsRequest>.
type favoriteRequest struct {
	Favorite *struct {
		Label string `xml:"label,attr"`
		Items []struct {
			XMLName xml.Name
			ID      string `xml:"id,attr"`
		} `xml:",any"`
	} `xml:"favorite"`
}

func (s *Server) addFavorite(w http.ResponseWriter, r *http.Request, sess session) {
	var req favoriteRequest
	if aerr := readRequest(r, &req); aerr != nil {
		writeError(w, r, aerr)
		return
	}
	if req.Favorite == nil || len(req.Favorite.Items) != 1 || req.Favorite.Items[0].ID == "" || strings.TrimSpace(req.Favorite.Label) == "" {
		writeError(w, r, errBadRequest("The favorite element needs a label and exactly one item element with an id (workbook, datasource, view, project, flow, metric)."))
		return
	}
	kind := req.Favorite.Items[0].XMLName.Local
	id := req.Favorite.Items[0].ID
	if !slices.Contains(favoriteKinds, kind) {
		writeError(w, r, errBadRequest(fmt.Sprintf("'%s' cannot be a favorite.", kind)))
		return
	}
	s.store.mu.Lock()
	list, aerr := func() (*elem, *apiError) {
		userID, aerr := s.favoritesUser(r, sess)
		if aerr != nil {
			return nil, aerr
		}
		if _, ok := s.store.lookupContent(sess.siteID, kind, id); !ok {
			return nil, contentNotFound(kind, id)
		}
		favs := s.store.gov.favorites.byUser[userID]
		for _, f := range favs {
			if f.ID == id {
				return nil, errConflict(codeFavoriteConflict, fmt.Sprintf("The %s '%s' is already a favorite.", kind, id))
			}
			if strings.EqualFold(f.Label, req.Favorite.Label) {
				return nil, errConflict(codeFavoriteConflict, fmt.Sprintf("A favorite is already labelled '%s'.", f.Label))
			}
		}
		s.store.gov.favorites.byUser[userID] = append(favs, favorite{Label: req.Favorite.Label, Kind: kind, ID: id})
		return s.favoritesElem(sess.siteID, userID), nil
	}()
	s.store.mu.Unlock()
	if aerr != nil {
		writeError(w, r, aerr)
		return
	}
	writeXML(w, r, http.StatusOK, list)
}

func (s *Server) deleteFavorite(w http.ResponseWriter, r *http.Request, sess session) {
	kind := strings.TrimSuffix(r.PathValue("kinds"), "s")
	id := r.PathValue("itemID")
	s.store.mu.Lock()
	aerr := func() *apiError {
		userID, aerr := s.favoritesUser(r, sess)
		if aerr != nil {
			return aerr
		}
		favs := s.store.gov.favorites.byUser[userID]
		i := slices.IndexFunc(favs, func(f favorite) bool { return f.ID == id && f.Kind == kind })
		if i < 0 {
			return errNotFound(codeContentNotFound, "Favorite", id)
		}
		s.store.gov.favorites.byUser[userID] = slices.Delete(favs, i, i+1)
		return nil
	}()
	s.store.mu.Unlock()
	if aerr != nil {
		writeError(w, r, aerr)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// listUserWorkbooks answers Query Workbooks for User: the workbooks the
// user owns (ownedBy=true) or, by default, those it can read (every
// workbook of the site: the emulator does not evaluate permissions). It
// hands the request to the workbooks list, with an owner filter for
// ownedBy=true, so paging, filters, sorts and fields work the same.
func (s *Server) listUserWorkbooks(w http.ResponseWriter, r *http.Request, sess session) {
	id := r.PathValue("userID")
	s.store.mu.RLock()
	u := s.store.users.get(sess.siteID, id)
	var name string
	if u != nil {
		name = u.Name
	}
	s.store.mu.RUnlock()
	if u == nil {
		writeError(w, r, errNotFound(codeUserNotFound, "User", id))
		return
	}
	if r.URL.Query().Get("ownedBy") == "true" {
		if strings.ContainsAny(name, ",&[]") {
			writeError(w, r, errBadRequest("The emulator cannot filter by an owner name containing , & [ or ]."))
			return
		}
		r2 := r.Clone(r.Context())
		q := r2.URL.Query()
		q.Del("ownedBy")
		f := "ownerName:eq:" + name
		if old := q.Get("filter"); old != "" {
			f = old + "," + f
		}
		q.Set("filter", f)
		r2.URL.RawQuery = q.Encode()
		r = r2
	}
	s.listItems(resWorkbook)(w, r, sess)
}
