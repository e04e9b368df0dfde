package tableautest

import (
	"net/http"
	"slices"
)

// govParts is the governance part of the store: users' details, groups,
// group sets, permissions, webhooks, schedules, tasks, jobs of those
// resources, and the smaller resources (favorites, subscriptions, ...).
// Guarded by store.mu like every other part.
type govParts struct {
	userInfo  map[string]*userInfo // by user id
	groups    groupsPart
	groupSets groupSetsPart
	perms     permsPart
	webhooks  webhooksPart
	schedules schedulesPart
	tasks     tasksPart
	jobs      govJobsPart
	delivery  *deliveryState
}

func newGovParts() *govParts {
	return &govParts{
		userInfo:  map[string]*userInfo{},
		groups:    groupsPart{byID: map[string]*group{}},
		groupSets: groupSetsPart{byID: map[string]*groupSet{}},
		perms:     permsPart{byKey: map[string]*permSet{}},
		webhooks:  webhooksPart{byID: map[string]*webhook{}},
		schedules: schedulesPart{byID: map[string]*schedule{}},
		tasks:     tasksPart{byID: map[string]*task{}},
		jobs:      govJobsPart{byID: map[string]*govJob{}},
	}
}

// deleteSite removes the governance items of a site. Callers hold store.mu.
func (g *govParts) deleteSite(siteID string) {
	if g == nil {
		return
	}
	for id, gr := range g.groups.byID {
		if gr.SiteID == siteID {
			delete(g.groups.byID, id)
		}
	}
	g.groups.order = slices.DeleteFunc(g.groups.order, func(id string) bool { return g.groups.byID[id] == nil })
	for id, gs := range g.groupSets.byID {
		if gs.SiteID == siteID {
			delete(g.groupSets.byID, id)
		}
	}
	g.groupSets.order = slices.DeleteFunc(g.groupSets.order, func(id string) bool { return g.groupSets.byID[id] == nil })
	for k, p := range g.perms.byKey {
		if p.siteID == siteID {
			delete(g.perms.byKey, k)
		}
	}
	for id, w := range g.webhooks.byID {
		if w.SiteID == siteID {
			delete(g.webhooks.byID, id)
		}
	}
	g.webhooks.order = slices.DeleteFunc(g.webhooks.order, func(id string) bool { return g.webhooks.byID[id] == nil })
	for id, t := range g.tasks.byID {
		if t.SiteID == siteID {
			delete(g.tasks.byID, id)
		}
	}
	g.tasks.order = slices.DeleteFunc(g.tasks.order, func(id string) bool { return g.tasks.byID[id] == nil })
}

// deleteUserItems removes what belongs to a deleted user in the smaller
// resources (favorites, subscriptions, ...). Callers hold store.mu.
func (g *govParts) deleteUserItems(userID string) {
}

// routesGovernance registers the governance resources' routes and sets up
// their state and webhook delivery. It is called once from routes.
func (s *Server) routesGovernance(rt *router) {
	s.routesUsersAPI(rt)
	s.routesGroups(rt)
	s.routesGroupSets(rt)
	s.routesPermissions(rt)
	s.routesWebhooks(rt)
	s.routesSchedules(rt)
	s.routesTasks(rt)
	s.startWebhookDelivery()
}

// adminRoles are the site roles that may manage users, groups and permissions.
var adminRoles = []string{"ServerAdministrator", "SiteAdministratorCreator", "SiteAdministratorExplorer"}

// isSiteAdmin reports whether the session's user administers its site.
// Callers hold store.mu (read).
func (st *store) isSiteAdmin(sess session) bool {
	u := st.users.byID[sess.userID]
	return u != nil && slices.Contains(adminRoles, u.SiteRole)
}

// requireSiteAdmin answers 403 unless the session's user is a site or
// server administrator, and reports whether the request may go on.
func (s *Server) requireSiteAdmin(w http.ResponseWriter, r *http.Request, sess session) bool {
	s.store.mu.RLock()
	ok := s.store.isSiteAdmin(sess)
	s.store.mu.RUnlock()
	if !ok {
		writeError(w, r, errForbidden("Only site and server administrators may do this."))
	}
	return ok
}
