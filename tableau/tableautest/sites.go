package tableautest

import (
	"encoding/xml"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// site is one site of the server.
type site struct {
	ID                     string
	Name                   string
	ContentURL             string
	AdminMode              string // ContentAndUsers or ContentOnly
	State                  string // Active or Suspended
	UserQuota              int    // -1: none
	StorageQuota           int    // MB; 0: none
	DisableSubscriptions   bool
	RevisionHistoryEnabled bool
	RevisionLimit          int
	Created                time.Time
	adminID                string // the server admin's user id on this site
}

// sitesPart holds the sites; guarded by store.mu.
type sitesPart struct {
	byID  map[string]*site
	order []string
}

// byContentURL finds a site by content URL, ignoring case.
func (p *sitesPart) byContentURL(u string) *site {
	for _, id := range p.order {
		if strings.EqualFold(p.byID[id].ContentURL, u) {
			return p.byID[id]
		}
	}
	return nil
}

func (p *sitesPart) byName(name string) *site {
	for _, id := range p.order {
		if strings.EqualFold(p.byID[id].Name, name) {
			return p.byID[id]
		}
	}
	return nil
}

// list returns the sites in creation order.
func (p *sitesPart) list() []site {
	out := make([]site, 0, len(p.order))
	for _, id := range p.order {
		out = append(out, *p.byID[id])
	}
	return out
}

// conflict reports a name or content URL already used by a site other than self.
func (p *sitesPart) conflict(name, contentURL, self string) *apiError {
	if o := p.byName(name); o != nil && o.ID != self {
		return errConflict(codeSiteNameConflict, fmt.Sprintf("A site already exists with the name '%s'.", name))
	}
	if o := p.byContentURL(contentURL); o != nil && o.ID != self {
		return errConflict(codeSiteURLConflict, fmt.Sprintf("A site already exists with the content URL '%s'.", contentURL))
	}
	return nil
}

type siteSpec struct {
	name, contentURL, adminMode string
	userQuota, storageQuota     int
}

// addSite creates a site with its admin user and Default project.
func (s *Server) addSite(spec siteSpec) (*site, error) {
	if strings.TrimSpace(spec.name) == "" {
		return nil, errBadRequest("The site name is missing.")
	}
	if !validContentURL(spec.contentURL) {
		return nil, errBadRequest(fmt.Sprintf("The content URL '%s' may only hold letters, digits, '-' and '_'.", spec.contentURL))
	}
	if spec.adminMode == "" {
		spec.adminMode = "ContentAndUsers"
	}
	if spec.adminMode != "ContentAndUsers" && spec.adminMode != "ContentOnly" {
		return nil, errBadRequest(fmt.Sprintf("The admin mode '%s' is not ContentAndUsers or ContentOnly.", spec.adminMode))
	}
	s.store.mu.Lock()
	defer s.store.mu.Unlock()
	if aerr := s.store.sites.conflict(spec.name, spec.contentURL, ""); aerr != nil {
		return nil, aerr
	}
	now := s.now()
	st := &site{
		ID: newID(), Name: spec.name, ContentURL: spec.contentURL, AdminMode: spec.adminMode,
		State: "Active", UserQuota: spec.userQuota, StorageQuota: spec.storageQuota,
		RevisionHistoryEnabled: true, RevisionLimit: 25, Created: now,
	}
	if st.UserQuota == 0 {
		st.UserQuota = -1
	}
	s.store.sites.byID[st.ID] = st
	s.store.sites.order = append(s.store.sites.order, st.ID)
	admin := s.store.users.add(st.ID, s.creds.Username, "ServerAdministrator", now)
	st.adminID = admin.ID
	s.store.projects.add(&project{
		SiteID: st.ID, Name: "Default", Description: defaultProjectDescription,
		ContentPermissions: "ManagedByOwner", OwnerID: admin.ID, Created: now, Updated: now, IsDefault: true,
	})
	return st, nil
}

func validContentURL(u string) bool {
	for _, c := range u {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_') {
			return false
		}
	}
	return true
}

func (s *Server) routesSites(rt *router) {
	rt.authed("GET", "sites", "tableau:sites:read", s.listSites)
	rt.authed("POST", "sites", "tableau:sites:create", s.createSite)
	rt.authed("GET", "sites/{siteID}", "tableau:sites:read", s.getSite)
	rt.authed("PUT", "sites/{siteID}", "tableau:sites:update", s.updateSite)
	rt.authed("DELETE", "sites/{siteID}", "tableau:sites:delete", s.deleteSite)
}

var sitesSchema = listSchema[site]{
	plural: "sites",
	render: siteElem,
	fields: []field[site]{
		{name: "name", kind: kindString, value: func(x site) string { return x.Name }},
		{name: "contentUrl", kind: kindString, value: func(x site) string { return x.ContentURL }},
		{name: "state", kind: kindString, value: func(x site) string { return x.State }},
		{name: "createdAt", kind: kindTime, value: func(x site) string { return formatTime(x.Created) }},
	},
}

// siteElem renders <site .../>.
func siteElem(x site) *elem {
	e := newElem("site").
		set("id", x.ID).
		set("name", x.Name).
		set("contentUrl", x.ContentURL).
		set("adminMode", x.AdminMode).
		set("disableSubscriptions", boolStr(x.DisableSubscriptions)).
		set("state", x.State).
		set("revisionHistoryEnabled", boolStr(x.RevisionHistoryEnabled)).
		set("revisionLimit", strconv.Itoa(x.RevisionLimit))
	if x.UserQuota >= 0 {
		e.set("userQuota", strconv.Itoa(x.UserQuota))
	}
	if x.StorageQuota > 0 {
		e.set("storageQuota", strconv.Itoa(x.StorageQuota))
	}
	return e
}

// isServerAdmin reports whether the session's user is a server administrator.
func (s *Server) isServerAdmin(sess session) bool {
	s.store.mu.RLock()
	defer s.store.mu.RUnlock()
	u := s.store.users.byID[sess.userID]
	return u != nil && u.SiteRole == "ServerAdministrator"
}

func (s *Server) requireServerAdmin(w http.ResponseWriter, r *http.Request, sess session) bool {
	if !s.isServerAdmin(sess) {
		writeError(w, r, errForbidden("Only server administrators may do this."))
		return false
	}
	return true
}

func (s *Server) listSites(w http.ResponseWriter, r *http.Request, sess session) {
	s.store.mu.RLock()
	var sites []site
	if u := s.store.users.byID[sess.userID]; u != nil && u.SiteRole == "ServerAdministrator" {
		sites = s.store.sites.list()
	} else if st := s.store.sites.byID[sess.siteID]; st != nil {
		sites = []site{*st}
	}
	s.store.mu.RUnlock()
	writeList(w, r, &sitesSchema, sites)
}

// lookupSite finds the site a path names: by id, or by name or content URL
// with ?key=name or ?key=contentUrl. Callers hold store.mu.
func (s *Server) lookupSite(r *http.Request) (*site, *apiError) {
	ref := r.PathValue("siteID")
	var st *site
	switch key := r.URL.Query().Get("key"); key {
	case "", "id":
		st = s.store.sites.byID[ref]
	case "name":
		st = s.store.sites.byName(ref)
	case "contentUrl":
		st = s.store.sites.byContentURL(ref)
	default:
		return nil, errBadRequest(fmt.Sprintf("The key '%s' is not id, name or contentUrl.", key))
	}
	if st == nil {
		return nil, errNotFound(codeSiteNotFound, "Site", ref)
	}
	return st, nil
}

// getSite answers Query Site. By id it answers only for the site signed in
// to, as Tableau does (tableauserverclient checks the same before asking);
// by name or content URL a server administrator may query any site.
func (s *Server) getSite(w http.ResponseWriter, r *http.Request, sess session) {
	admin := s.isServerAdmin(sess)
	byID := r.URL.Query().Get("key") == "" || r.URL.Query().Get("key") == "id"
	s.store.mu.RLock()
	st, aerr := s.lookupSite(r)
	var out site
	if aerr == nil {
		out = *st
	}
	s.store.mu.RUnlock()
	if aerr == nil && out.ID != sess.siteID && (byID || !admin) {
		aerr = errForbidden("A site can only be queried by id while signed in to it; use switchSite first.")
	}
	if aerr != nil {
		writeError(w, r, aerr)
		return
	}
	writeXML(w, r, http.StatusOK, defaultFields.prune(siteElem(out)))
}

// siteRequest is <tsRequest><site .../></tsRequest>; nil fields were absent.
type siteRequest struct {
	Site *struct {
		Name                   *string `xml:"name,attr"`
		ContentURL             *string `xml:"contentUrl,attr"`
		AdminMode              *string `xml:"adminMode,attr"`
		State                  *string `xml:"state,attr"`
		UserQuota              *string `xml:"userQuota,attr"`
		StorageQuota           *string `xml:"storageQuota,attr"`
		DisableSubscriptions   *string `xml:"disableSubscriptions,attr"`
		RevisionHistoryEnabled *string `xml:"revisionHistoryEnabled,attr"`
		RevisionLimit          *string `xml:"revisionLimit,attr"`
	} `xml:"site"`
}

// readRequest decodes a <tsRequest> body into v.
func readRequest(r *http.Request, v any) *apiError {
	dec := xml.NewDecoder(http.MaxBytesReader(nil, r.Body, 1<<20))
	if err := dec.Decode(v); err != nil {
		return errBadRequest(fmt.Sprintf("The request body is not a valid tsRequest document: %v.", err))
	}
	return nil
}

func optInt(name string, v *string, min int) (int, *apiError) {
	n, err := strconv.Atoi(*v)
	if err != nil || n < min {
		return 0, errBadRequest(fmt.Sprintf("The %s '%s' is not an integer of at least %d.", name, *v, min))
	}
	return n, nil
}

func optBool(name string, v *string) (bool, *apiError) {
	b, err := strconv.ParseBool(*v)
	if err != nil {
		return false, errBadRequest(fmt.Sprintf("The %s '%s' is not true or false.", name, *v))
	}
	return b, nil
}

func (s *Server) createSite(w http.ResponseWriter, r *http.Request, sess session) {
	if !s.requireServerAdmin(w, r, sess) {
		return
	}
	var req siteRequest
	if aerr := readRequest(r, &req); aerr != nil {
		writeError(w, r, aerr)
		return
	}
	if req.Site == nil || req.Site.Name == nil || req.Site.ContentURL == nil {
		writeError(w, r, errBadRequest("The site element needs name and contentUrl attributes."))
		return
	}
	spec := siteSpec{name: *req.Site.Name, contentURL: *req.Site.ContentURL}
	if req.Site.AdminMode != nil {
		spec.adminMode = *req.Site.AdminMode
	}
	var aerr *apiError
	if req.Site.UserQuota != nil {
		if spec.userQuota, aerr = optInt("userQuota", req.Site.UserQuota, 1); aerr != nil {
			writeError(w, r, aerr)
			return
		}
	}
	if req.Site.StorageQuota != nil {
		if spec.storageQuota, aerr = optInt("storageQuota", req.Site.StorageQuota, 1); aerr != nil {
			writeError(w, r, aerr)
			return
		}
	}
	if spec.adminMode == "ContentOnly" && req.Site.UserQuota != nil {
		writeError(w, r, errBadRequest("A site in ContentOnly admin mode cannot have a user quota."))
		return
	}
	st, err := s.addSite(spec)
	if err != nil {
		writeError(w, r, err.(*apiError))
		return
	}
	s.store.mu.Lock()
	aerr = applySiteUpdate(st, &req)
	out := *st
	s.store.mu.Unlock()
	if aerr != nil {
		writeError(w, r, aerr)
		return
	}
	writeXML(w, r, http.StatusCreated, defaultFields.prune(siteElem(out)))
}

// applySiteUpdate sets the optional flags of a site request. Callers hold store.mu.
func applySiteUpdate(st *site, req *siteRequest) *apiError {
	in := req.Site
	if in.State != nil {
		if *in.State != "Active" && *in.State != "Suspended" {
			return errBadRequest(fmt.Sprintf("The state '%s' is not Active or Suspended.", *in.State))
		}
		st.State = *in.State
	}
	if in.DisableSubscriptions != nil {
		b, aerr := optBool("disableSubscriptions", in.DisableSubscriptions)
		if aerr != nil {
			return aerr
		}
		st.DisableSubscriptions = b
	}
	if in.RevisionHistoryEnabled != nil {
		b, aerr := optBool("revisionHistoryEnabled", in.RevisionHistoryEnabled)
		if aerr != nil {
			return aerr
		}
		st.RevisionHistoryEnabled = b
	}
	if in.RevisionLimit != nil {
		n, aerr := optInt("revisionLimit", in.RevisionLimit, -1)
		if aerr != nil {
			return aerr
		}
		st.RevisionLimit = n
	}
	return nil
}

func (s *Server) updateSite(w http.ResponseWriter, r *http.Request, sess session) {
	if !s.requireServerAdmin(w, r, sess) {
		return
	}
	var req siteRequest
	if aerr := readRequest(r, &req); aerr != nil {
		writeError(w, r, aerr)
		return
	}
	if req.Site == nil {
		writeError(w, r, errBadRequest("The request has no site element."))
		return
	}
	in := req.Site
	s.store.mu.Lock()
	out, aerr := func() (site, *apiError) {
		st, aerr := s.lookupSite(r)
		if aerr != nil {
			return site{}, aerr
		}
		if st.ID != sess.siteID {
			return site{}, errForbidden("A site can only be updated while signed in to it; use switchSite first.")
		}
		upd := *st
		if in.Name != nil {
			if strings.TrimSpace(*in.Name) == "" {
				return site{}, errBadRequest("The site name is empty.")
			}
			upd.Name = *in.Name
		}
		if in.ContentURL != nil {
			if !validContentURL(*in.ContentURL) || (*in.ContentURL == "") != (st.ContentURL == "") {
				return site{}, errBadRequest(fmt.Sprintf("The content URL '%s' is not valid for this site.", *in.ContentURL))
			}
			upd.ContentURL = *in.ContentURL
		}
		if in.AdminMode != nil {
			if *in.AdminMode != "ContentAndUsers" && *in.AdminMode != "ContentOnly" {
				return site{}, errBadRequest(fmt.Sprintf("The admin mode '%s' is not ContentAndUsers or ContentOnly.", *in.AdminMode))
			}
			upd.AdminMode = *in.AdminMode
		}
		if in.UserQuota != nil {
			n, aerr := optInt("userQuota", in.UserQuota, -1)
			if aerr != nil {
				return site{}, aerr
			}
			upd.UserQuota = n
		}
		if in.StorageQuota != nil {
			n, aerr := optInt("storageQuota", in.StorageQuota, 0)
			if aerr != nil {
				return site{}, aerr
			}
			upd.StorageQuota = n
		}
		if upd.AdminMode == "ContentOnly" && upd.UserQuota >= 0 && in.UserQuota != nil {
			return site{}, errBadRequest("A site in ContentOnly admin mode cannot have a user quota.")
		}
		if aerr := applySiteUpdate(&upd, &req); aerr != nil {
			return site{}, aerr
		}
		if aerr := s.store.sites.conflict(upd.Name, upd.ContentURL, st.ID); aerr != nil {
			return site{}, aerr
		}
		*st = upd
		return upd, nil
	}()
	s.store.mu.Unlock()
	if aerr != nil {
		writeError(w, r, aerr)
		return
	}
	writeXML(w, r, http.StatusOK, defaultFields.prune(siteElem(out)))
}

func (s *Server) deleteSite(w http.ResponseWriter, r *http.Request, sess session) {
	if !s.requireServerAdmin(w, r, sess) {
		return
	}
	s.store.mu.Lock()
	aerr := func() *apiError {
		st, aerr := s.lookupSite(r)
		if aerr != nil {
			return aerr
		}
		if st.ID != sess.siteID {
			return errForbidden("A site can only be deleted while signed in to it; use switchSite first.")
		}
		if st.ContentURL == "" {
			return errForbidden("The Default site cannot be deleted.")
		}
		s.store.deleteSite(st.ID)
		return nil
	}()
	s.store.mu.Unlock()
	if aerr != nil {
		writeError(w, r, aerr)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// formatTime renders a time as the REST API does: 2016-08-04T21:31:56Z.
func formatTime(t time.Time) string { return t.UTC().Format(time.RFC3339) }
