package tableautest

import (
	"fmt"
	"net/http"
	"slices"
	"strings"
	"time"
)

// authSettings are the REST API's user authentication settings.
var authSettings = []string{"ServerDefault", "SAML", "OpenID", "TableauIDWithMFA"}

// Codes of the users API.
const (
	codeUserConflict      = "409017" // Resource Conflict: a user with that name exists on the site
	codeUserOwnsContent   = "409003" // Conflict: the user owns content (emulator's code; role set to Unlicensed)
	codeInvalidSiteRole   = "400013" // Bad Request: site role not valid
	codeGuestNotAllowed   = "400003" // Bad Request: the request cannot change this user
	codeUserNotOnSiteRole = "403014" // Forbidden: a site admin cannot change a server admin
)

// userInfo holds what the REST API knows about a user beyond the core's
// user record (name, site role, created). Missing entries mean defaults.
type userInfo struct {
	Email, FullName, AuthSetting, Domain string
	Language, Locale, IdpConfigurationID string
	Password                             string // never rendered
	LastLogin                            time.Time
}

// info returns the details of a user, creating the default ones. Callers hold store.mu.
func (g *govParts) info(userID string) *userInfo {
	in := g.userInfo[userID]
	if in == nil {
		in = &userInfo{AuthSetting: "ServerDefault", Domain: "local", Language: "en", Locale: "en_US"}
		g.userInfo[userID] = in
	}
	return in
}

// userView is a user with its details, copied out of the store.
type userView struct {
	user
	info userInfo
}

func (st *store) userView(u *user) userView {
	return userView{user: *u, info: *st.gov.info(u.ID)}
}

// siteUsers returns the users of a site in creation order. Callers hold store.mu.
func (st *store) siteUsers(siteID string) []*user {
	var out []*user
	for _, id := range st.users.order {
		if u := st.users.byID[id]; u.SiteID == siteID {
			out = append(out, u)
		}
	}
	return out
}

// userElem renders <user .../> as Get Users on Site and Query User on Site do.
// allDefault makes email and fullName default fields (single-user responses).
func userElem(v userView, allDefault bool) *elem {
	e := newElem("user").
		set("id", v.ID).
		set("name", v.Name).
		set("siteRole", v.SiteRole).
		set("authSetting", v.info.AuthSetting)
	if !v.info.LastLogin.IsZero() {
		e.set("lastLogin", formatTime(v.info.LastLogin))
	}
	e.set("externalAuthUserId", "").
		set("language", v.info.Language).
		set("locale", v.info.Locale)
	if allDefault {
		e.setIf("fullName", v.info.FullName).setIf("email", v.info.Email)
	} else {
		e.extra("fullName", v.info.FullName).extra("email", v.info.Email)
	}
	e.extra("createdAt", formatTime(v.Created))
	return e.add(newElem("domain").set("name", v.info.Domain))
}

var usersSchema = listSchema[userView]{
	plural: "users",
	render: func(v userView) *elem { return userElem(v, false) },
	fields: []field[userView]{
		{name: "name", kind: kindString, value: func(v userView) string { return v.Name }},
		{name: "siteRole", kind: kindString, value: func(v userView) string { return v.SiteRole }},
		{name: "friendlyName", kind: kindString, value: func(v userView) string { return v.info.FullName }},
		{name: "email", kind: kindString, value: func(v userView) string { return v.info.Email }},
		{name: "domainName", kind: kindString, value: func(v userView) string { return v.info.Domain }},
		{name: "luid", kind: kindString, value: func(v userView) string { return v.ID }},
		{name: "isLocal", kind: kindBool, value: func(v userView) string { return boolStr(v.info.Domain == "local") }},
		{name: "lastLogin", kind: kindTime, value: func(v userView) string {
			if v.info.LastLogin.IsZero() {
				return ""
			}
			return formatTime(v.info.LastLogin)
		}},
	},
}

func (s *Server) routesUsersAPI(rt *router) {
	rt.site("GET", "users", "tableau:users:read", s.listUsers)
	rt.site("POST", "users", "tableau:users:create", s.addUserToSite)
	rt.site("GET", "users/{userID}", "tableau:users:read", s.getUser)
	rt.site("PUT", "users/{userID}", "tableau:users:update", s.updateUser)
	rt.site("DELETE", "users/{userID}", "tableau:users:delete", s.removeUser)
	rt.site("GET", "users/{userID}/groups", "tableau:users:read", s.listUserGroups)
	rt.site("POST", "users/import", "tableau:users:create", s.importUsersCSV)
	rt.site("POST", "users/delete", "tableau:users:delete", s.deleteUsersCSV)
}

func (s *Server) listUsers(w http.ResponseWriter, r *http.Request, sess session) {
	s.store.mu.RLock()
	var views []userView
	for _, u := range s.store.siteUsers(sess.siteID) {
		views = append(views, s.store.userView(u))
	}
	s.store.mu.RUnlock()
	writeList(w, r, &usersSchema, views)
}

func (s *Server) getUser(w http.ResponseWriter, r *http.Request, sess session) {
	id := r.PathValue("userID")
	s.store.mu.RLock()
	u := s.store.users.get(sess.siteID, id)
	var v userView
	if u != nil {
		v = s.store.userView(u)
	}
	s.store.mu.RUnlock()
	if u == nil {
		writeError(w, r, errNotFound(codeUserNotFound, "User", id))
		return
	}
	writeXML(w, r, http.StatusOK, defaultFields.prune(userElem(v, true)))
}

// userRequest is <tsRequest><user .../></tsRequest>; nil fields were absent.
type userRequest struct {
	User *struct {
		ID                 *string `xml:"id,attr"`
		Name               *string `xml:"name,attr"`
		SiteRole           *string `xml:"siteRole,attr"`
		AuthSetting        *string `xml:"authSetting,attr"`
		FullName           *string `xml:"fullName,attr"`
		Email              *string `xml:"email,attr"`
		Password           *string `xml:"password,attr"`
		IdpConfigurationID *string `xml:"idpConfigurationId,attr"`
	} `xml:"user"`
}

func checkSiteRole(role string) *apiError {
	if !validSiteRole(role) {
		return newAPIError(http.StatusBadRequest, codeInvalidSiteRole, "Bad Request",
			fmt.Sprintf("The site role '%s' is not one of %s.", role, strings.Join(siteRoles, ", ")))
	}
	return nil
}

func checkAuthSetting(a string) *apiError {
	if !slices.Contains(authSettings, a) {
		return errBadRequest(fmt.Sprintf("The authSetting '%s' is not one of %s.", a, strings.Join(authSettings, ", ")))
	}
	return nil
}

// splitDomain splits "DOMAIN\name" or "name@domain" into domain and name;
// a plain name is local.
func splitDomain(name string) (domain, local string) {
	if d, n, ok := strings.Cut(name, `\`); ok {
		return d, n
	}
	return "local", name
}

func (s *Server) addUserToSite(w http.ResponseWriter, r *http.Request, sess session) {
	if !s.requireSiteAdmin(w, r, sess) {
		return
	}
	var req userRequest
	if aerr := readRequest(r, &req); aerr != nil {
		writeError(w, r, aerr)
		return
	}
	in := req.User
	if in == nil || in.Name == nil || strings.TrimSpace(*in.Name) == "" || in.SiteRole == nil {
		writeError(w, r, errBadRequest("The user element needs name and siteRole attributes."))
		return
	}
	if aerr := checkSiteRole(*in.SiteRole); aerr != nil {
		writeError(w, r, aerr)
		return
	}
	auth := "ServerDefault"
	if in.AuthSetting != nil {
		if aerr := checkAuthSetting(*in.AuthSetting); aerr != nil {
			writeError(w, r, aerr)
			return
		}
		auth = *in.AuthSetting
	}
	s.store.mu.Lock()
	v, status, aerr := func() (userView, int, *apiError) {
		if *in.SiteRole == "ServerAdministrator" && !s.isServerAdminLocked(sess) {
			return userView{}, 0, errForbidden("Only server administrators may add server administrators.")
		}
		domain, _ := splitDomain(*in.Name)
		if ex := s.store.users.byName(sess.siteID, *in.Name); ex != nil {
			// Adding an existing user of the site changes nothing and
			// returns 409, as the REST API does.
			return userView{}, 0, errConflict(codeUserConflict, fmt.Sprintf("A user named '%s' already exists on this site.", ex.Name))
		}
		u := s.store.users.add(sess.siteID, *in.Name, *in.SiteRole, s.now())
		info := s.store.gov.info(u.ID)
		info.AuthSetting = auth
		info.Domain = domain
		if in.IdpConfigurationID != nil {
			info.IdpConfigurationID = *in.IdpConfigurationID
		}
		s.store.gov.groups.syncAllUsers(s.store, sess.siteID)
		return s.store.userView(u), http.StatusCreated, nil
	}()
	s.store.mu.Unlock()
	if aerr != nil {
		writeError(w, r, aerr)
		return
	}
	e := newElem("user").set("id", v.ID).set("name", v.Name).set("siteRole", v.SiteRole).set("authSetting", v.info.AuthSetting)
	writeXML(w, r, status, e)
}

// isServerAdminLocked is isServerAdmin for callers that hold store.mu.
func (s *Server) isServerAdminLocked(sess session) bool {
	u := s.store.users.byID[sess.userID]
	return u != nil && u.SiteRole == "ServerAdministrator"
}

func (s *Server) updateUser(w http.ResponseWriter, r *http.Request, sess session) {
	id := r.PathValue("userID")
	var req userRequest
	if aerr := readRequest(r, &req); aerr != nil {
		writeError(w, r, aerr)
		return
	}
	in := req.User
	if in == nil {
		writeError(w, r, errBadRequest("The request has no user element."))
		return
	}
	if in.SiteRole != nil {
		if aerr := checkSiteRole(*in.SiteRole); aerr != nil {
			writeError(w, r, aerr)
			return
		}
	}
	if in.AuthSetting != nil {
		if aerr := checkAuthSetting(*in.AuthSetting); aerr != nil {
			writeError(w, r, aerr)
			return
		}
	}
	if in.Email != nil && *in.Email != "" && !validEmail(*in.Email) {
		writeError(w, r, errBadRequest(fmt.Sprintf("The email address '%s' is not valid.", *in.Email)))
		return
	}
	var events []event
	s.store.mu.Lock()
	v, aerr := func() (userView, *apiError) {
		u := s.store.users.get(sess.siteID, id)
		if u == nil {
			return userView{}, errNotFound(codeUserNotFound, "User", id)
		}
		self := u.ID == sess.userID
		if !self && !s.store.isSiteAdmin(sess) {
			return userView{}, errForbidden("Only administrators may update other users.")
		}
		if in.SiteRole != nil && *in.SiteRole != u.SiteRole {
			if !s.store.isSiteAdmin(sess) {
				return userView{}, errForbidden("Only administrators may change site roles.")
			}
			if (u.SiteRole == "ServerAdministrator" || *in.SiteRole == "ServerAdministrator") && !s.isServerAdminLocked(sess) {
				return userView{}, newAPIError(http.StatusForbidden, codeUserNotOnSiteRole, "Forbidden",
					"Only server administrators may grant or revoke the ServerAdministrator site role.")
			}
			wasAdmin := slices.Contains(adminRoles, u.SiteRole)
			isAdmin := slices.Contains(adminRoles, *in.SiteRole)
			u.SiteRole = *in.SiteRole
			if isAdmin != wasAdmin {
				typ := eventAdminPromoted
				if wasAdmin {
					typ = eventAdminDemoted
				}
				events = append(events, event{SiteID: sess.siteID, Type: typ, ResourceType: "user", ResourceID: u.ID, ResourceName: u.Name})
			}
		}
		info := s.store.gov.info(u.ID)
		if in.FullName != nil {
			info.FullName = *in.FullName
		}
		if in.Email != nil {
			info.Email = *in.Email
		}
		if in.AuthSetting != nil {
			info.AuthSetting = *in.AuthSetting
		}
		if in.Password != nil {
			info.Password = *in.Password
		}
		if in.IdpConfigurationID != nil {
			info.IdpConfigurationID = *in.IdpConfigurationID
		}
		return s.store.userView(u), nil
	}()
	s.store.mu.Unlock()
	if aerr != nil {
		writeError(w, r, aerr)
		return
	}
	for _, e := range events {
		s.emit(e)
	}
	e := newElem("user").set("name", v.Name).
		setIf("fullName", v.info.FullName).
		setIf("email", v.info.Email).
		set("siteRole", v.SiteRole).
		set("authSetting", v.info.AuthSetting)
	writeXML(w, r, http.StatusOK, e)
}

// validEmail is a light check: one @ with text on both sides and a dot after it.
func validEmail(s string) bool {
	local, domain, ok := strings.Cut(s, "@")
	return ok && local != "" && strings.Contains(domain, ".") && !strings.ContainsAny(s, " ,;<>") && !strings.Contains(domain, "@")
}

// removeUser removes a user from the site. With mapAssetsTo, the user's
// content moves to that user first; without it, a user who owns content is
// not removed: its site role becomes Unlicensed and the answer is 409, as
// the REST API does.
func (s *Server) removeUser(w http.ResponseWriter, r *http.Request, sess session) {
	if !s.requireSiteAdmin(w, r, sess) {
		return
	}
	id := r.PathValue("userID")
	mapTo := r.URL.Query().Get("mapAssetsTo")
	var ev *event
	s.store.mu.Lock()
	aerr := func() *apiError {
		u := s.store.users.get(sess.siteID, id)
		if u == nil {
			return errNotFound(codeUserNotFound, "User", id)
		}
		if u.ID == sess.userID {
			return errBadRequest("A user cannot remove itself from the site.")
		}
		if mapTo != "" {
			to := s.store.users.get(sess.siteID, mapTo)
			if to == nil {
				return errNotFound(codeUserNotFound, "User (mapAssetsTo)", mapTo)
			}
			if to.ID == u.ID {
				return errBadRequest("mapAssetsTo names the user being removed.")
			}
			s.store.reassignContent(sess.siteID, u.ID, to.ID)
		} else if n := s.store.ownedCount(sess.siteID, u.ID); n > 0 {
			u.SiteRole = "Unlicensed"
			return errConflict(codeUserOwnsContent, fmt.Sprintf("The user owns %d items; its site role is now Unlicensed. Use mapAssetsTo to remove it.", n))
		}
		s.store.deleteUser(u.ID)
		ev = &event{SiteID: sess.siteID, Type: eventUserDeleted, ResourceType: "user", ResourceID: u.ID, ResourceName: u.Name}
		return nil
	}()
	s.store.mu.Unlock()
	if aerr != nil {
		writeError(w, r, aerr)
		return
	}
	if ev != nil {
		s.emit(*ev)
	}
	w.WriteHeader(http.StatusNoContent)
}

// deleteUser removes a user and everything that only belongs to it:
// group memberships, permission rules, favorites, subscriptions.
// Callers hold store.mu.
func (st *store) deleteUser(id string) {
	delete(st.users.byID, id)
	st.users.order = slices.DeleteFunc(st.users.order, func(x string) bool { return x == id })
	g := st.gov
	delete(g.userInfo, id)
	for _, gr := range g.groups.byID {
		gr.members = slices.DeleteFunc(gr.members, func(x string) bool { return x == id })
	}
	g.perms.removeGrantee("user", id)
	g.deleteUserItems(id)
	for t, sess := range st.sessions.byToken {
		if sess.userID == id {
			delete(st.sessions.byToken, t)
		}
	}
}

func (s *Server) listUserGroups(w http.ResponseWriter, r *http.Request, sess session) {
	id := r.PathValue("userID")
	s.store.mu.Lock()
	u := s.store.users.get(sess.siteID, id)
	var views []groupView
	if u != nil {
		s.store.gov.groups.syncAllUsers(s.store, sess.siteID)
		for _, gid := range s.store.gov.groups.order {
			gr := s.store.gov.groups.byID[gid]
			if gr.SiteID == sess.siteID && slices.Contains(gr.members, id) {
				views = append(views, gr.view())
			}
		}
	}
	s.store.mu.Unlock()
	if u == nil {
		writeError(w, r, errNotFound(codeUserNotFound, "User", id))
		return
	}
	writeList(w, r, &groupsSchema, views)
}
