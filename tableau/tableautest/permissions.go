package tableautest

import (
	"fmt"
	"net/http"
	"slices"
	"strings"
)

// Codes of the permissions API.
const (
	codeCapabilityInvalid  = "400009" // Bad Request: capability or mode not valid for the content type
	codeGranteeNotFound    = "404017" // Resource Not Found: grantee capability not found
	codeContentNotFound    = "404000" // generic not-found for content without its own code
	codePermissionsLocked  = "403004" // Forbidden: permissions locked to the project
	codeDefaultTypeUnknown = "404035" // Resource Not Found: default-permissions content type
)

// capabilities lists the capability names of each content kind, as the
// REST API's permissions reference names them.
var capabilities = map[string][]string{
	"project": {"ProjectLeader", "Read", "Write"},
	"workbook": {"AddComment", "ChangeHierarchy", "ChangePermissions", "CreateRefreshMetrics", "Delete",
		"ExportData", "ExportImage", "ExportXml", "ExtractRefresh", "Filter", "Read", "RunExplainData",
		"ShareView", "ViewComments", "ViewUnderlyingData", "WebAuthoring", "Write"},
	"datasource": {"ChangeHierarchy", "ChangePermissions", "Connect", "Delete", "ExportXml", "ExtractRefresh",
		"Read", "SaveAs", "VizqlDataApiAccess", "Write"},
	"view": {"AddComment", "ChangePermissions", "Delete", "ExportData", "ExportImage", "ExportXml", "Filter",
		"Read", "ShareView", "ViewComments", "ViewUnderlyingData", "WebAuthoring", "Write"},
	"flow":              {"ChangeHierarchy", "ChangePermissions", "Delete", "Execute", "ExportXml", "Read", "WebAuthoringForFlows", "Write"},
	"virtualconnection": {"ChangeHierarchy", "ChangePermissions", "Connect", "Delete", "Overwrite", "Read"},
	"table":             {"ChangeHierarchy", "ChangePermissions", "Delete", "Read", "Write"},
	"database":          {"ChangeHierarchy", "ChangePermissions", "Delete", "Read", "Write"},
	"metric":            {"ChangeHierarchy", "ChangePermissions", "Delete", "Overwrite", "Read"},
	"lens":              {"ChangeHierarchy", "ChangePermissions", "Delete", "Overwrite", "Read"},
	"datarole":          {"ChangeHierarchy", "ChangePermissions", "Delete", "Overwrite", "Read"},
}

// contentPaths maps the REST API's path segment of a content type to its kind.
var contentPaths = map[string]string{
	"projects":           "project",
	"workbooks":          "workbook",
	"datasources":        "datasource",
	"views":              "view",
	"flows":              "flow",
	"virtualconnections": "virtualconnection",
	"virtualConnections": "virtualconnection",
	"tables":             "table",
	"databases":          "database",
	"metrics":            "metric",
}

// defaultPermissionTypes maps the content types of a project's default
// permissions (projects/{id}/default-permissions/{type}) to their kinds.
var defaultPermissionTypes = map[string]string{
	"workbooks":          "workbook",
	"datasources":        "datasource",
	"flows":              "flow",
	"metrics":            "metric",
	"lenses":             "lens",
	"dataroles":          "datarole",
	"virtualconnections": "virtualconnection",
	"databases":          "database",
	"tables":             "table",
}

// capability is one capability and its mode (Allow or Deny).
type capability struct{ Name, Mode string }

// grantRule is the capabilities of one grantee (user, group or group set).
type grantRule struct {
	Kind, ID string
	Caps     []capability
}

// permSet is the explicit permissions of one item, or a project's default
// permissions for one content type.
type permSet struct {
	siteID string
	rules  []*grantRule
}

type permsPart struct {
	byKey map[string]*permSet
}

func contentKey(kind, id string) string        { return kind + ":" + id }
func defaultKey(projectID, kind string) string { return "default:" + projectID + ":" + kind }
func (p *permsPart) get(key string) *permSet   { return p.byKey[key] }
func (p *permsPart) ensure(siteID, key string) *permSet {
	ps := p.byKey[key]
	if ps == nil {
		ps = &permSet{siteID: siteID}
		p.byKey[key] = ps
	}
	return ps
}

// removeGrantee drops every rule of a deleted user, group or group set.
func (p *permsPart) removeGrantee(kind, id string) {
	for _, ps := range p.byKey {
		ps.rules = slices.DeleteFunc(ps.rules, func(r *grantRule) bool { return r.Kind == kind && r.ID == id })
	}
}

// rulesCopy returns a deep copy of a permission set's rules.
func (ps *permSet) rulesCopy() []grantRule {
	if ps == nil {
		return nil
	}
	out := make([]grantRule, 0, len(ps.rules))
	for _, r := range ps.rules {
		out = append(out, grantRule{Kind: r.Kind, ID: r.ID, Caps: slices.Clone(r.Caps)})
	}
	return out
}

func (ps *permSet) rule(kind, id string) *grantRule {
	for _, r := range ps.rules {
		if r.Kind == kind && r.ID == id {
			return r
		}
	}
	return nil
}

func (s *Server) routesPermissions(rt *router) {
	for seg := range contentPaths {
		rt.site("GET", seg+"/{itemID}/permissions", "tableau:permissions:read", s.listPermissions)
		rt.site("PUT", seg+"/{itemID}/permissions", "tableau:permissions:update", s.addPermissions)
		rt.site("DELETE", seg+"/{itemID}/permissions/{granteeType}/{granteeID}/{capName}/{capMode}", "tableau:permissions:delete", s.deletePermission)
	}
	rt.site("GET", "projects/{itemID}/default-permissions/{ctype}", "tableau:permissions:read", s.listDefaultPermissions)
	rt.site("PUT", "projects/{itemID}/default-permissions/{ctype}", "tableau:permissions:update", s.addDefaultPermissions)
	rt.site("DELETE", "projects/{itemID}/default-permissions/{ctype}/{granteeType}/{granteeID}/{capName}/{capMode}", "tableau:permissions:delete", s.deleteDefaultPermission)
}

// pathKind returns the content kind of a permissions request's path.
func pathKind(r *http.Request) string {
	p := r.URL.Path
	i := strings.Index(p, "/sites/")
	if i < 0 {
		return ""
	}
	parts := strings.Split(p[i+len("/sites/"):], "/")
	if len(parts) < 2 {
		return ""
	}
	return contentPaths[parts[1]]
}

// permissionsElem renders <permissions><kind id name><owner/></kind><granteeCapabilities>...
func permissionsElem(ref contentRef, rules []grantRule) *elem {
	e := newElem("permissions")
	item := newElem(ref.Kind).set("id", ref.ID)
	item.setIf("name", ref.Name)
	if ref.OwnerID != "" {
		item.add(newElem("owner").set("id", ref.OwnerID))
	}
	e.add(item)
	for _, r := range rules {
		e.add(granteeElem(r))
	}
	return e
}

func granteeElem(r grantRule) *elem {
	gc := newElem("granteeCapabilities").add(newElem(r.Kind).set("id", r.ID))
	caps := newElem("capabilities")
	for _, c := range r.Caps {
		caps.add(newElem("capability").set("name", c.Name).set("mode", c.Mode))
	}
	return gc.add(caps)
}

// permissionsRequest is <tsRequest><permissions><granteeCapabilities>...</permissions></tsRequest>.
type permissionsRequest struct {
	Permissions *struct {
		Grantees []struct {
			User *struct {
				ID string `xml:"id,attr"`
			} `xml:"user"`
			Group *struct {
				ID string `xml:"id,attr"`
			} `xml:"group"`
			GroupSet *struct {
				ID string `xml:"id,attr"`
			} `xml:"groupSet"`
			Capabilities []struct {
				Name string `xml:"name,attr"`
				Mode string `xml:"mode,attr"`
			} `xml:"capabilities>capability"`
		} `xml:"granteeCapabilities"`
	} `xml:"permissions"`
}

// parseRules validates a permissions request for a content kind. Callers
// hold store.mu (grantees are checked against the store).
func (s *Server) parseRules(siteID, kind string, req *permissionsRequest) ([]grantRule, *apiError) {
	if req.Permissions == nil || len(req.Permissions.Grantees) == 0 {
		return nil, errBadRequest("The request has no permissions element with granteeCapabilities.")
	}
	valid := capabilities[kind]
	var out []grantRule
	for i, g := range req.Permissions.Grantees {
		var r grantRule
		n := 0
		if g.User != nil {
			r.Kind, r.ID = "user", g.User.ID
			n++
		}
		if g.Group != nil {
			r.Kind, r.ID = "group", g.Group.ID
			n++
		}
		if g.GroupSet != nil {
			r.Kind, r.ID = "groupSet", g.GroupSet.ID
			n++
		}
		if n != 1 || r.ID == "" {
			return nil, errBadRequest(fmt.Sprintf("granteeCapabilities %d must name exactly one user, group or groupSet with an id.", i+1))
		}
		switch r.Kind {
		case "user":
			if s.store.users.get(siteID, r.ID) == nil {
				return nil, errNotFound(codeUserNotFound, "User", r.ID)
			}
		case "group":
			if s.store.gov.groups.get(siteID, r.ID) == nil {
				return nil, errNotFound(codeGroupNotFound, "Group", r.ID)
			}
		case "groupSet":
			if s.store.gov.groupSets.get(siteID, r.ID) == nil {
				return nil, errNotFound(codeGroupSetNotFound, "Group set", r.ID)
			}
		}
		if len(g.Capabilities) == 0 {
			return nil, errBadRequest(fmt.Sprintf("granteeCapabilities %d has no capability.", i+1))
		}
		for _, c := range g.Capabilities {
			if !slices.Contains(valid, c.Name) {
				return nil, newAPIError(http.StatusBadRequest, codeCapabilityInvalid, "Bad Request",
					fmt.Sprintf("The capability '%s' is not valid for a %s; valid: %s.", c.Name, kind, strings.Join(valid, ", ")))
			}
			if c.Mode != "Allow" && c.Mode != "Deny" {
				return nil, newAPIError(http.StatusBadRequest, codeCapabilityInvalid, "Bad Request",
					fmt.Sprintf("The capability mode '%s' is not Allow or Deny.", c.Mode))
			}
			r.Caps = append(r.Caps, capability{Name: c.Name, Mode: c.Mode})
		}
		out = append(out, r)
	}
	return out, nil
}

// merge adds rules to a permission set: a capability already present with
// another mode takes the new mode (the REST API replaces it).
func (ps *permSet) merge(rules []grantRule) {
	for _, nr := range rules {
		r := ps.rule(nr.Kind, nr.ID)
		if r == nil {
			r = &grantRule{Kind: nr.Kind, ID: nr.ID}
			ps.rules = append(ps.rules, r)
		}
		for _, c := range nr.Caps {
			i := slices.IndexFunc(r.Caps, func(x capability) bool { return x.Name == c.Name })
			if i >= 0 {
				r.Caps[i] = c
			} else {
				r.Caps = append(r.Caps, c)
			}
		}
	}
}

// remove deletes one capability of a grantee and reports whether it existed.
func (ps *permSet) remove(kind, id, name, mode string) bool {
	if ps == nil {
		return false
	}
	r := ps.rule(kind, id)
	if r == nil {
		return false
	}
	i := slices.IndexFunc(r.Caps, func(x capability) bool { return x.Name == name && x.Mode == mode })
	if i < 0 {
		return false
	}
	r.Caps = slices.Delete(r.Caps, i, i+1)
	if len(r.Caps) == 0 {
		ps.rules = slices.DeleteFunc(ps.rules, func(x *grantRule) bool { return x == r })
	}
	return true
}

// lockedBy returns the project whose locked permissions govern content in
// projectID, or "" when the content's permissions may be edited.
func (st *store) lockedBy(projectID string) string {
	v := st.projects.byID[projectID]
	if v == nil {
		return ""
	}
	pv := st.projectView(v)
	if ctl := st.projects.byID[pv.controllingID]; ctl != nil && ctl.ContentPermissions != "ManagedByOwner" {
		return ctl.ID
	}
	return ""
}

func (s *Server) listPermissions(w http.ResponseWriter, r *http.Request, sess session) {
	kind := pathKind(r)
	id := r.PathValue("itemID")
	s.store.mu.RLock()
	ref, ok := s.store.lookupContent(sess.siteID, kind, id)
	rules := s.store.gov.perms.get(contentKey(kind, id)).rulesCopy()
	s.store.mu.RUnlock()
	if !ok {
		writeError(w, r, contentNotFound(kind, id))
		return
	}
	writeXML(w, r, http.StatusOK, permissionsElem(ref, rules))
}

func (s *Server) addPermissions(w http.ResponseWriter, r *http.Request, sess session) {
	kind := pathKind(r)
	id := r.PathValue("itemID")
	var req permissionsRequest
	if aerr := readRequest(r, &req); aerr != nil {
		writeError(w, r, aerr)
		return
	}
	s.store.mu.Lock()
	ref, rules, aerr := func() (contentRef, []grantRule, *apiError) {
		ref, ok := s.store.lookupContent(sess.siteID, kind, id)
		if !ok {
			return ref, nil, contentNotFound(kind, id)
		}
		if aerr := s.canChangePermissions(sess, ref); aerr != nil {
			return ref, nil, aerr
		}
		rules, aerr := s.parseRules(sess.siteID, kind, &req)
		if aerr != nil {
			return ref, nil, aerr
		}
		s.store.gov.perms.ensure(sess.siteID, contentKey(kind, id)).merge(rules)
		return ref, rules, nil
	}()
	s.store.mu.Unlock()
	if aerr != nil {
		writeError(w, r, aerr)
		return
	}
	writeXML(w, r, http.StatusOK, permissionsElem(ref, rules))
}

// canChangePermissions refuses changes by users who neither administer the
// site nor own the item, and changes to content whose project locks them.
// Callers hold store.mu.
func (s *Server) canChangePermissions(sess session, ref contentRef) *apiError {
	if !s.store.isSiteAdmin(sess) && ref.OwnerID != sess.userID {
		return errForbidden("Only administrators and the owner may change permissions.")
	}
	if ref.Kind != "project" && ref.ProjectID != "" {
		if p := s.store.lockedBy(ref.ProjectID); p != "" {
			return newAPIError(http.StatusForbidden, codePermissionsLocked, "Forbidden",
				fmt.Sprintf("The permissions of this %s are locked to project '%s'.", ref.Kind, p))
		}
	}
	return nil
}

func granteeKind(seg string) (string, bool) {
	switch seg {
	case "users":
		return "user", true
	case "groups":
		return "group", true
	case "groupSets", "groupsets":
		return "groupSet", true
	}
	return "", false
}

func (s *Server) deletePermission(w http.ResponseWriter, r *http.Request, sess session) {
	kind := pathKind(r)
	id := r.PathValue("itemID")
	s.deleteRule(w, r, sess, kind, id, contentKey(kind, id), kind)
}

func (s *Server) deleteRule(w http.ResponseWriter, r *http.Request, sess session, kind, id, key, capKind string) {
	gk, ok := granteeKind(r.PathValue("granteeType"))
	if !ok {
		writeError(w, r, errBadRequest(fmt.Sprintf("The grantee type '%s' is not users or groups.", r.PathValue("granteeType"))))
		return
	}
	name, mode := r.PathValue("capName"), r.PathValue("capMode")
	s.store.mu.Lock()
	aerr := func() *apiError {
		ref, ok := s.store.lookupContent(sess.siteID, kind, id)
		if !ok {
			return contentNotFound(kind, id)
		}
		if key == contentKey(kind, id) {
			if aerr := s.canChangePermissions(sess, ref); aerr != nil {
				return aerr
			}
		} else if !s.store.isSiteAdmin(sess) && ref.OwnerID != sess.userID {
			return errForbidden("Only administrators and the project owner may change default permissions.")
		}
		if !slices.Contains(capabilities[capKind], name) || (mode != "Allow" && mode != "Deny") {
			return newAPIError(http.StatusBadRequest, codeCapabilityInvalid, "Bad Request",
				fmt.Sprintf("'%s/%s' is not a capability and mode of a %s.", name, mode, capKind))
		}
		if !s.store.gov.perms.get(key).remove(gk, r.PathValue("granteeID"), name, mode) {
			return newAPIError(http.StatusNotFound, codeGranteeNotFound, "Resource Not Found",
				fmt.Sprintf("The %s '%s' has no capability %s:%s here.", gk, r.PathValue("granteeID"), name, mode))
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

func (s *Server) defaultKind(w http.ResponseWriter, r *http.Request) (string, bool) {
	kind, ok := defaultPermissionTypes[r.PathValue("ctype")]
	if !ok {
		keys := make([]string, 0, len(defaultPermissionTypes))
		for k := range defaultPermissionTypes {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		writeError(w, r, newAPIError(http.StatusNotFound, codeDefaultTypeUnknown, "Resource Not Found",
			fmt.Sprintf("'%s' is not a content type of default permissions (%s).", r.PathValue("ctype"), strings.Join(keys, ", "))))
	}
	return kind, ok
}

func (s *Server) listDefaultPermissions(w http.ResponseWriter, r *http.Request, sess session) {
	kind, ok := s.defaultKind(w, r)
	if !ok {
		return
	}
	id := r.PathValue("itemID")
	s.store.mu.RLock()
	ref, found := s.store.lookupContent(sess.siteID, "project", id)
	rules := s.store.gov.perms.get(defaultKey(id, kind)).rulesCopy()
	s.store.mu.RUnlock()
	if !found {
		writeError(w, r, contentNotFound("project", id))
		return
	}
	writeXML(w, r, http.StatusOK, permissionsElem(ref, rules))
}

func (s *Server) addDefaultPermissions(w http.ResponseWriter, r *http.Request, sess session) {
	kind, ok := s.defaultKind(w, r)
	if !ok {
		return
	}
	id := r.PathValue("itemID")
	var req permissionsRequest
	if aerr := readRequest(r, &req); aerr != nil {
		writeError(w, r, aerr)
		return
	}
	s.store.mu.Lock()
	ref, rules, aerr := func() (contentRef, []grantRule, *apiError) {
		ref, found := s.store.lookupContent(sess.siteID, "project", id)
		if !found {
			return ref, nil, contentNotFound("project", id)
		}
		if !s.store.isSiteAdmin(sess) && ref.OwnerID != sess.userID {
			return ref, nil, errForbidden("Only administrators and the project owner may change default permissions.")
		}
		rules, aerr := s.parseRules(sess.siteID, kind, &req)
		if aerr != nil {
			return ref, nil, aerr
		}
		s.store.gov.perms.ensure(sess.siteID, defaultKey(id, kind)).merge(rules)
		return ref, rules, nil
	}()
	s.store.mu.Unlock()
	if aerr != nil {
		writeError(w, r, aerr)
		return
	}
	writeXML(w, r, http.StatusOK, permissionsElem(ref, rules))
}

func (s *Server) deleteDefaultPermission(w http.ResponseWriter, r *http.Request, sess session) {
	kind, ok := s.defaultKind(w, r)
	if !ok {
		return
	}
	id := r.PathValue("itemID")
	s.deleteRule(w, r, sess, "project", id, defaultKey(id, kind), kind)
}
