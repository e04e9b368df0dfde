package tableautest

import (
	"net/http"
	"slices"
)

// govParts is the governance part of the store: users' details, groups,
// group sets, permissions, webhooks, schedules, tasks (their jobs are
// in the content part's job store, see addGovJob), and the smaller resources (favorites, subscriptions, ...).
// Guarded by store.mu like every other part.
type govParts struct {
	userInfo      map[string]*userInfo // by user id
	groups        groupsPart
	groupSets     groupSetsPart
	perms         permsPart
	webhooks      webhooksPart
	schedules     schedulesPart
	tasks         tasksPart
	delivery      *deliveryState
	favorites     favoritesPart
	subscriptions subscriptionsPart
	alerts        dataAlertsPart
	customViews   customViewsPart
	dqws          dqwPart
	flows         flowsPart
	linked        linkedTasksPart
	vcs           vcPart
	catalog       catalogPart
	metrics       metricsPart
	settings      settingsPart
}

func newGovParts() *govParts {
	return &govParts{
		userInfo:      map[string]*userInfo{},
		groups:        groupsPart{byID: map[string]*group{}},
		groupSets:     groupSetsPart{byID: map[string]*groupSet{}},
		perms:         permsPart{byKey: map[string]*permSet{}},
		webhooks:      webhooksPart{byID: map[string]*webhook{}},
		schedules:     schedulesPart{byID: map[string]*schedule{}},
		tasks:         tasksPart{byID: map[string]*task{}},
		favorites:     favoritesPart{byUser: map[string][]favorite{}},
		subscriptions: subscriptionsPart{byID: map[string]*subscription{}},
		alerts:        dataAlertsPart{byID: map[string]*dataAlert{}},
		customViews:   customViewsPart{byID: map[string]*customView{}},
		dqws:          dqwPart{byID: map[string]*dqw{}},
		flows:         flowsPart{byID: map[string]*flow{}, runs: flowRunsPart{byID: map[string]*flowRun{}}},
		linked:        linkedTasksPart{byID: map[string]*linkedTask{}},
		vcs:           vcPart{byID: map[string]*virtualConn{}},
		catalog:       catalogPart{databases: map[string]*database{}, tables: map[string]*table{}},
		metrics:       metricsPart{byID: map[string]*metric{}},
		settings:      settingsPart{sites: map[string]*siteExtensions{}, server: serverExtensions{Enabled: true}},
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
	dropSite(g.subscriptions.byID, &g.subscriptions.order, siteID, func(x *subscription) string { return x.SiteID })
	dropSite(g.alerts.byID, &g.alerts.order, siteID, func(x *dataAlert) string { return x.SiteID })
	dropSite(g.customViews.byID, &g.customViews.order, siteID, func(x *customView) string { return x.SiteID })
	dropSite(g.dqws.byID, &g.dqws.order, siteID, func(x *dqw) string { return x.SiteID })
	dropSite(g.flows.byID, &g.flows.order, siteID, func(x *flow) string { return x.SiteID })
	dropSite(g.flows.runs.byID, &g.flows.runs.order, siteID, func(x *flowRun) string { return x.SiteID })
	dropSite(g.linked.byID, &g.linked.order, siteID, func(x *linkedTask) string { return x.SiteID })
	dropSite(g.vcs.byID, &g.vcs.order, siteID, func(x *virtualConn) string { return x.SiteID })
	dropSite(g.catalog.databases, &g.catalog.dbOrder, siteID, func(x *database) string { return x.SiteID })
	dropSite(g.catalog.tables, &g.catalog.tblOrder, siteID, func(x *table) string { return x.SiteID })
	dropSite(g.metrics.byID, &g.metrics.order, siteID, func(x *metric) string { return x.SiteID })
	delete(g.settings.sites, siteID)
}

// deleteUserItems removes what belongs to a deleted user in the smaller
// resources (favorites, subscriptions, alert recipients). Callers hold store.mu.
func (g *govParts) deleteUserItems(userID string) {
	delete(g.favorites.byUser, userID)
	for id, sub := range g.subscriptions.byID {
		if sub.UserID == userID {
			delete(g.subscriptions.byID, id)
		}
	}
	g.subscriptions.order = slices.DeleteFunc(g.subscriptions.order, func(id string) bool { return g.subscriptions.byID[id] == nil })
	for _, a := range g.alerts.byID {
		a.recipients = slices.DeleteFunc(a.recipients, func(x string) bool { return x == userID })
	}
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
	s.routesFavorites(rt)
	s.routesSubscriptions(rt)
	s.routesDataAlerts(rt)
	s.routesCustomViews(rt)
	s.routesTags(rt)
	s.routesDQW(rt)
	s.routesFlows(rt)
	s.routesVirtualConnections(rt)
	s.routesCatalog(rt)
	s.routesMetrics(rt)
	s.routesSiteSettings(rt)
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

// dropSite removes the items of a site from a part's map and order.
func dropSite[T any](byID map[string]T, order *[]string, siteID string, site func(T) string) {
	*order = slices.DeleteFunc(*order, func(id string) bool {
		if x, ok := byID[id]; ok && site(x) == siteID {
			delete(byID, id)
			return true
		}
		return false
	})
}
