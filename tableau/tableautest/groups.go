package tableautest

import (
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Codes of the groups API.
const (
	codeGroupNotFound    = "404012" // Resource Not Found: group
	codeGroupConflict    = "409009" // Resource Conflict: a group with that name exists
	codeMemberConflict   = "409011" // Resource Conflict: the user is already a member
	codeAllUsersReadOnly = "403013" // Forbidden: the All Users group cannot be changed this way
	codeDirectoryMissing = "404013" // Resource Not Found: no such group in the directory (emulator)
)

// allUsersGroup is the group every site has, holding every user of the site.
const allUsersGroup = "All Users"

// group is a local or Active Directory group of a site.
type group struct {
	ID, SiteID, Name string
	Domain           string // "local" or the directory's domain
	MinimumSiteRole  string // "" for none
	GrantLicenseMode string // "onSync", "onLogin" or ""
	members          []string
	Created          time.Time
}

func (g *group) view() groupView {
	v := groupView{group: *g}
	v.members = nil
	v.userCount = len(g.members)
	return v
}

type groupView struct {
	group
	userCount int
}

type groupsPart struct {
	byID  map[string]*group
	order []string
	// directory is the emulator's stand-in for Active Directory:
	// domain -> group name (lower case) -> user names.
	directory map[string]map[string][]string
}

func (p *groupsPart) add(g *group) *group {
	g.ID = newID()
	p.byID[g.ID] = g
	p.order = append(p.order, g.ID)
	return g
}

func (p *groupsPart) get(siteID, id string) *group {
	if g := p.byID[id]; g != nil && g.SiteID == siteID {
		return g
	}
	return nil
}

func (p *groupsPart) byName(siteID, domain, name string) *group {
	for _, id := range p.order {
		g := p.byID[id]
		if g.SiteID == siteID && strings.EqualFold(g.Domain, domain) && strings.EqualFold(g.Name, name) {
			return g
		}
	}
	return nil
}

// syncAllUsers makes sure the site has its All Users group, holding every
// user of the site. Callers hold store.mu (write).
func (p *groupsPart) syncAllUsers(st *store, siteID string) {
	all := p.byName(siteID, "local", allUsersGroup)
	if all == nil {
		all = p.add(&group{SiteID: siteID, Name: allUsersGroup, Domain: "local", Created: time.Now().UTC().Truncate(time.Second)})
		// Keep All Users first, as Tableau lists it.
		p.order = append([]string{all.ID}, slices.DeleteFunc(p.order, func(x string) bool { return x == all.ID })...)
	}
	all.members = all.members[:0]
	for _, u := range st.siteUsers(siteID) {
		all.members = append(all.members, u.ID)
	}
}

// SetDirectoryGroup defines a group of the emulator's stand-in for Active
// Directory: importing the group domain\name (Create Group with an import
// element) adds these users to the site and to the group. Calling it again
// replaces the members; the next synchronization (Update Group) applies them.
func (s *Server) SetDirectoryGroup(domain, name string, userNames ...string) {
	s.store.mu.Lock()
	defer s.store.mu.Unlock()
	p := &s.store.gov.groups
	if p.directory == nil {
		p.directory = map[string]map[string][]string{}
	}
	d := strings.ToLower(domain)
	if p.directory[d] == nil {
		p.directory[d] = map[string][]string{}
	}
	p.directory[d][strings.ToLower(name)] = append([]string(nil), userNames...)
}

func groupElem(v groupView) *elem {
	e := newElem("group").set("id", v.ID).set("name", v.Name)
	if v.MinimumSiteRole != "" && v.Domain == "local" {
		e.set("minimumSiteRole", v.MinimumSiteRole)
	}
	e.extra("userCount", strconv.Itoa(v.userCount))
	e.add(newElem("domain").set("name", v.Domain))
	if v.Domain != "local" {
		imp := newElem("import").set("domainName", v.Domain)
		imp.setIf("siteRole", v.MinimumSiteRole).setIf("grantLicenseMode", v.GrantLicenseMode)
		e.add(imp)
	}
	return e
}

var groupsSchema = listSchema[groupView]{
	plural: "groups",
	render: groupElem,
	fields: []field[groupView]{
		{name: "name", kind: kindString, value: func(v groupView) string { return v.Name }},
		{name: "domainName", kind: kindString, value: func(v groupView) string { return v.Domain }},
		{name: "minimumSiteRole", kind: kindString, value: func(v groupView) string { return v.MinimumSiteRole }},
		{name: "isLocal", kind: kindBool, value: func(v groupView) string { return boolStr(v.Domain == "local") }},
		{name: "userCount", kind: kindInt, value: func(v groupView) string { return strconv.Itoa(v.userCount) }},
		{name: "luid", kind: kindString, value: func(v groupView) string { return v.ID }},
	},
}

func (s *Server) routesGroups(rt *router) {
	rt.site("GET", "groups", "tableau:groups:read", s.listGroups)
	rt.site("POST", "groups", "tableau:groups:create", s.createGroup)
	rt.site("PUT", "groups/{groupID}", "tableau:groups:update", s.updateGroup)
	rt.site("DELETE", "groups/{groupID}", "tableau:groups:delete", s.deleteGroup)
	rt.site("GET", "groups/{groupID}/users", "tableau:groups:read", s.listGroupUsers)
	rt.site("POST", "groups/{groupID}/users", "tableau:groups:update", s.addGroupUsers)
	rt.site("PUT", "groups/{groupID}/users/remove", "tableau:groups:update", s.removeGroupUsers)
	rt.site("DELETE", "groups/{groupID}/users/{userID}", "tableau:groups:update", s.removeGroupUser)
}

func (s *Server) listGroups(w http.ResponseWriter, r *http.Request, sess session) {
	s.store.mu.Lock()
	s.store.gov.groups.syncAllUsers(s.store, sess.siteID)
	var views []groupView
	for _, id := range s.store.gov.groups.order {
		if g := s.store.gov.groups.byID[id]; g.SiteID == sess.siteID {
			views = append(views, g.view())
		}
	}
	s.store.mu.Unlock()
	writeList(w, r, &groupsSchema, views)
}

// groupRequest is <tsRequest><group ...><import .../></group></tsRequest>.
type groupRequest struct {
	Group *struct {
		Name            *string `xml:"name,attr"`
		MinimumSiteRole *string `xml:"minimumSiteRole,attr"`
		Import          *struct {
			Source           string `xml:"source,attr"`
			DomainName       string `xml:"domainName,attr"`
			SiteRole         string `xml:"siteRole,attr"`
			GrantLicenseMode string `xml:"grantLicenseMode,attr"`
		} `xml:"import"`
	} `xml:"group"`
}

func checkGrantMode(m string) *apiError {
	if m != "" && m != "onSync" && m != "onLogin" {
		return errBadRequest(fmt.Sprintf("The grantLicenseMode '%s' is not onSync or onLogin.", m))
	}
	return nil
}

func (s *Server) createGroup(w http.ResponseWriter, r *http.Request, sess session) {
	if !s.requireSiteAdmin(w, r, sess) {
		return
	}
	var req groupRequest
	if aerr := readRequest(r, &req); aerr != nil {
		writeError(w, r, aerr)
		return
	}
	in := req.Group
	if in == nil || in.Name == nil || strings.TrimSpace(*in.Name) == "" {
		writeError(w, r, errBadRequest("The group element needs a name attribute."))
		return
	}
	asJob := r.URL.Query().Get("asJob") == "true"
	g := &group{SiteID: sess.siteID, Name: *in.Name, Domain: "local", Created: s.now()}
	if in.MinimumSiteRole != nil {
		if aerr := checkSiteRole(*in.MinimumSiteRole); aerr != nil {
			writeError(w, r, aerr)
			return
		}
		g.MinimumSiteRole = *in.MinimumSiteRole
	}
	if imp := in.Import; imp != nil {
		if imp.Source != "ActiveDirectory" || imp.DomainName == "" {
			writeError(w, r, errBadRequest("The import element needs source=\"ActiveDirectory\" and a domainName."))
			return
		}
		if imp.SiteRole != "" {
			if aerr := checkSiteRole(imp.SiteRole); aerr != nil {
				writeError(w, r, aerr)
				return
			}
		}
		if aerr := checkGrantMode(imp.GrantLicenseMode); aerr != nil {
			writeError(w, r, aerr)
			return
		}
		g.Domain, g.MinimumSiteRole, g.GrantLicenseMode = imp.DomainName, imp.SiteRole, imp.GrantLicenseMode
	} else if asJob {
		writeError(w, r, errBadRequest("asJob=true is only for Active Directory groups."))
		return
	}
	s.store.mu.Lock()
	out, job, aerr := func() (groupView, *govJob, *apiError) {
		if s.store.gov.groups.byName(sess.siteID, g.Domain, g.Name) != nil {
			return groupView{}, nil, errConflict(codeGroupConflict, fmt.Sprintf("A group named '%s' already exists on this site.", g.Name))
		}
		if g.Domain != "local" {
			if aerr := s.syncDirectoryGroup(g, true); aerr != nil {
				return groupView{}, nil, aerr
			}
		}
		s.store.gov.groups.add(g)
		var job *govJob
		if asJob {
			now := s.now()
			job = s.store.addGovJob(&govJob{SiteID: sess.siteID, Type: "GroupImport", Created: now, Started: now, Completed: now})
		}
		return g.view(), job, nil
	}()
	s.store.mu.Unlock()
	if aerr != nil {
		writeError(w, r, aerr)
		return
	}
	if job != nil {
		writeXML(w, r, http.StatusAccepted, govJobElem(*job))
		return
	}
	writeXML(w, r, http.StatusCreated, defaultFields.prune(groupElem(out)))
}

// syncDirectoryGroup sets an Active Directory group's members from the
// emulator's directory, adding missing users with the group's minimum site
// role (or Unlicensed when licenses are granted on login). Callers hold
// store.mu (write).
func (s *Server) syncDirectoryGroup(g *group, creating bool) *apiError {
	names, ok := s.store.gov.groups.directory[strings.ToLower(g.Domain)][strings.ToLower(g.Name)]
	if !ok {
		return newAPIError(http.StatusNotFound, codeDirectoryMissing, "Resource Not Found",
			fmt.Sprintf("The group '%s' was not found in the directory '%s' (see Server.SetDirectoryGroup).", g.Name, g.Domain))
	}
	role := g.MinimumSiteRole
	if role == "" || g.GrantLicenseMode == "onLogin" {
		role = "Unlicensed"
	}
	g.members = g.members[:0]
	for _, n := range names {
		full := g.Domain + `\` + n
		u := s.store.users.byName(g.SiteID, full)
		if u == nil {
			u = s.store.users.add(g.SiteID, full, role, s.now())
			s.store.gov.info(u.ID).Domain = g.Domain
		} else if g.GrantLicenseMode == "onSync" && siteRoleRank(u.SiteRole) < siteRoleRank(g.MinimumSiteRole) {
			u.SiteRole = g.MinimumSiteRole
		}
		if !slices.Contains(g.members, u.ID) {
			g.members = append(g.members, u.ID)
		}
	}
	s.store.gov.groups.syncAllUsers(s.store, g.SiteID)
	return nil
}

// siteRoleRank orders site roles by what they allow, for minimum site roles.
func siteRoleRank(role string) int {
	switch role {
	case "Unlicensed", "":
		return 0
	case "ReadOnly", "Viewer":
		return 1
	case "Explorer":
		return 2
	case "ExplorerCanPublish":
		return 3
	case "Creator":
		return 4
	case "SiteAdministratorExplorer":
		return 5
	case "SiteAdministratorCreator":
		return 6
	}
	return 7 // ServerAdministrator
}

func (s *Server) updateGroup(w http.ResponseWriter, r *http.Request, sess session) {
	if !s.requireSiteAdmin(w, r, sess) {
		return
	}
	var req groupRequest
	if aerr := readRequest(r, &req); aerr != nil {
		writeError(w, r, aerr)
		return
	}
	in := req.Group
	if in == nil {
		writeError(w, r, errBadRequest("The request has no group element."))
		return
	}
	asJob := r.URL.Query().Get("asJob") == "true"
	id := r.PathValue("groupID")
	s.store.mu.Lock()
	out, job, aerr := func() (groupView, *govJob, *apiError) {
		g := s.store.gov.groups.get(sess.siteID, id)
		if g == nil {
			return groupView{}, nil, errNotFound(codeGroupNotFound, "Group", id)
		}
		if g.Name == allUsersGroup && g.Domain == "local" {
			return groupView{}, nil, newAPIError(http.StatusForbidden, codeAllUsersReadOnly, "Forbidden", "The All Users group cannot be updated.")
		}
		upd := *g
		if in.Name != nil {
			if strings.TrimSpace(*in.Name) == "" {
				return groupView{}, nil, errBadRequest("The group name is empty.")
			}
			upd.Name = *in.Name
		}
		if g.Domain == "local" {
			if in.Import != nil || asJob {
				return groupView{}, nil, errBadRequest("A local group takes no import element and cannot be updated as a job.")
			}
			if in.MinimumSiteRole != nil {
				if *in.MinimumSiteRole != "" {
					if aerr := checkSiteRole(*in.MinimumSiteRole); aerr != nil {
						return groupView{}, nil, aerr
					}
				}
				upd.MinimumSiteRole = *in.MinimumSiteRole
			}
		} else {
			if in.Import == nil {
				return groupView{}, nil, errBadRequest("An Active Directory group's update needs an import element.")
			}
			if in.Import.SiteRole != "" {
				if aerr := checkSiteRole(in.Import.SiteRole); aerr != nil {
					return groupView{}, nil, aerr
				}
			}
			if aerr := checkGrantMode(in.Import.GrantLicenseMode); aerr != nil {
				return groupView{}, nil, aerr
			}
			upd.MinimumSiteRole, upd.GrantLicenseMode = in.Import.SiteRole, in.Import.GrantLicenseMode
		}
		if o := s.store.gov.groups.byName(sess.siteID, upd.Domain, upd.Name); o != nil && o.ID != g.ID {
			return groupView{}, nil, errConflict(codeGroupConflict, fmt.Sprintf("A group named '%s' already exists on this site.", upd.Name))
		}
		*g = upd
		if g.Domain != "local" {
			if aerr := s.syncDirectoryGroup(g, false); aerr != nil {
				return groupView{}, nil, aerr
			}
		}
		var job *govJob
		if asJob {
			now := s.now()
			job = s.store.addGovJob(&govJob{SiteID: sess.siteID, Type: "GroupSync", Created: now, Started: now, Completed: now})
		}
		return g.view(), job, nil
	}()
	s.store.mu.Unlock()
	if aerr != nil {
		writeError(w, r, aerr)
		return
	}
	if job != nil {
		writeXML(w, r, http.StatusAccepted, govJobElem(*job))
		return
	}
	writeXML(w, r, http.StatusOK, defaultFields.prune(groupElem(out)))
}

func (s *Server) deleteGroup(w http.ResponseWriter, r *http.Request, sess session) {
	if !s.requireSiteAdmin(w, r, sess) {
		return
	}
	id := r.PathValue("groupID")
	s.store.mu.Lock()
	aerr := func() *apiError {
		p := &s.store.gov.groups
		g := p.get(sess.siteID, id)
		if g == nil {
			return errNotFound(codeGroupNotFound, "Group", id)
		}
		if g.Name == allUsersGroup && g.Domain == "local" {
			return newAPIError(http.StatusForbidden, codeAllUsersReadOnly, "Forbidden", "The All Users group cannot be deleted.")
		}
		delete(p.byID, id)
		p.order = slices.DeleteFunc(p.order, func(x string) bool { return x == id })
		s.store.gov.perms.removeGrantee("group", id)
		for _, gs := range s.store.gov.groupSets.byID {
			gs.groups = slices.DeleteFunc(gs.groups, func(x string) bool { return x == id })
		}
		return nil
	}()
	s.store.mu.Unlock()
	if aerr != nil {
		writeError(w, r, aerr)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

func (s *Server) listGroupUsers(w http.ResponseWriter, r *http.Request, sess session) {
	id := r.PathValue("groupID")
	s.store.mu.Lock()
	s.store.gov.groups.syncAllUsers(s.store, sess.siteID)
	g := s.store.gov.groups.get(sess.siteID, id)
	var views []userView
	if g != nil {
		for _, uid := range g.members {
			if u := s.store.users.byID[uid]; u != nil {
				views = append(views, s.store.userView(u))
			}
		}
	}
	s.store.mu.Unlock()
	if g == nil {
		writeError(w, r, errNotFound(codeGroupNotFound, "Group", id))
		return
	}
	writeList(w, r, &usersSchema, views)
}

// membersRequest is either <user id/> (one user) or <users><user id/>...</users>.
type membersRequest struct {
	User *struct {
		ID string `xml:"id,attr"`
	} `xml:"user"`
	Users *struct {
		User []struct {
			ID string `xml:"id,attr"`
		} `xml:"user"`
	} `xml:"users"`
}

func (m *membersRequest) ids() []string {
	var out []string
	if m.User != nil {
		out = append(out, m.User.ID)
	}
	if m.Users != nil {
		for _, u := range m.Users.User {
			out = append(out, u.ID)
		}
	}
	return out
}

// checkMembers validates a member change of a group and returns the group.
// Callers hold store.mu.
func (s *Server) checkMembers(sess session, groupID string, ids []string) (*group, *apiError) {
	g := s.store.gov.groups.get(sess.siteID, groupID)
	if g == nil {
		return nil, errNotFound(codeGroupNotFound, "Group", groupID)
	}
	if g.Name == allUsersGroup && g.Domain == "local" {
		return nil, newAPIError(http.StatusForbidden, codeAllUsersReadOnly, "Forbidden", "The All Users group's members are every user of the site.")
	}
	if len(ids) == 0 {
		return nil, errBadRequest("The request names no user (<user id/> or <users><user id/></users>).")
	}
	seen := map[string]bool{}
	for _, id := range ids {
		if id == "" {
			return nil, errBadRequest("A user element has no id attribute.")
		}
		if seen[id] {
			return nil, errBadRequest(fmt.Sprintf("The user '%s' is named twice.", id))
		}
		seen[id] = true
		if s.store.users.get(sess.siteID, id) == nil {
			return nil, errNotFound(codeUserNotFound, "User", id)
		}
	}
	return g, nil
}

// addGroupUsers adds one user (<user id/>, answered with <user/>) or, from
// API 3.21, several (<users>, answered with <users>). Nothing is added when
// one of them fails.
func (s *Server) addGroupUsers(w http.ResponseWriter, r *http.Request, sess session) {
	if !s.requireSiteAdmin(w, r, sess) {
		return
	}
	var req membersRequest
	if aerr := readRequest(r, &req); aerr != nil {
		writeError(w, r, aerr)
		return
	}
	ids := req.ids()
	bulk := req.Users != nil
	s.store.mu.Lock()
	views, aerr := func() ([]userView, *apiError) {
		g, aerr := s.checkMembers(sess, r.PathValue("groupID"), ids)
		if aerr != nil {
			return nil, aerr
		}
		for _, id := range ids {
			if slices.Contains(g.members, id) {
				return nil, errConflict(codeMemberConflict, fmt.Sprintf("The user '%s' is already a member of the group.", id))
			}
		}
		var out []userView
		for _, id := range ids {
			g.members = append(g.members, id)
			u := s.store.users.byID[id]
			if g.MinimumSiteRole != "" && g.GrantLicenseMode != "onLogin" && siteRoleRank(u.SiteRole) < siteRoleRank(g.MinimumSiteRole) {
				u.SiteRole = g.MinimumSiteRole
			}
			out = append(out, s.store.userView(u))
		}
		return out, nil
	}()
	s.store.mu.Unlock()
	if aerr != nil {
		writeError(w, r, aerr)
		return
	}
	render := func(v userView) *elem {
		return newElem("user").set("id", v.ID).set("name", v.Name).set("siteRole", v.SiteRole)
	}
	if bulk {
		list := newElem("users")
		for _, v := range views {
			list.add(render(v))
		}
		writeXML(w, r, http.StatusOK, list)
		return
	}
	writeXML(w, r, http.StatusOK, render(views[0]))
}

// removeGroupUsers removes several users (API 3.21); all or nothing.
func (s *Server) removeGroupUsers(w http.ResponseWriter, r *http.Request, sess session) {
	if !s.requireSiteAdmin(w, r, sess) {
		return
	}
	var req membersRequest
	if aerr := readRequest(r, &req); aerr != nil {
		writeError(w, r, aerr)
		return
	}
	s.removeMembers(w, r, sess, req.ids())
}

func (s *Server) removeGroupUser(w http.ResponseWriter, r *http.Request, sess session) {
	if !s.requireSiteAdmin(w, r, sess) {
		return
	}
	s.removeMembers(w, r, sess, []string{r.PathValue("userID")})
}

func (s *Server) removeMembers(w http.ResponseWriter, r *http.Request, sess session, ids []string) {
	s.store.mu.Lock()
	aerr := func() *apiError {
		g, aerr := s.checkMembers(sess, r.PathValue("groupID"), ids)
		if aerr != nil {
			return aerr
		}
		for _, id := range ids {
			if !slices.Contains(g.members, id) {
				return errNotFound(codeUserNotFound, "Member of the group", id)
			}
		}
		g.members = slices.DeleteFunc(g.members, func(x string) bool { return slices.Contains(ids, x) })
		return nil
	}()
	s.store.mu.Unlock()
	if aerr != nil {
		writeError(w, r, aerr)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}
