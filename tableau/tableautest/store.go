package tableautest

import "sync"

// This file is where every resource registers: its part of the store (a
// field of store, made in newStore), its routes (a line in routes), and the
// removal of its items when a site is deleted (a line in deleteSite).
// See EXTENDING.md.

// store is the server's state: one part per resource, all guarded by mu.
// Handlers take mu (RLock to read, Lock to change), call the parts'
// methods, copy what they need out of the store, and unlock before writing
// the response. Parts' methods assume the caller holds mu.
type store struct {
	mu       sync.RWMutex
	sites    sitesPart
	users    usersPart
	projects projectsPart
	sessions sessionsPart
	content  contentPart // workbooks, datasources, views, jobs, uploads (zero value ready)
	oidc     oidcPart    // OpenID Connect configurations of Tableau Cloud sites (oidc.go)
	accel    accelPart   // data acceleration reports (dataacceleration.go)
	gov      *govParts   // users' details, groups, permissions, webhooks, schedules, tasks... (usersapi_store.go)
}

func newStore() *store {
	return &store{
		sites:    sitesPart{byID: map[string]*site{}},
		users:    usersPart{byID: map[string]*user{}},
		projects: projectsPart{byID: map[string]*project{}},
		sessions: sessionsPart{byToken: map[string]*session{}},
		oidc:     oidcPart{byID: map[string]*oidcConfig{}},
		accel:    accelPart{bySite: map[string][]DataAccelerationRecord{}},
		gov:      newGovParts(),
	}
}

// routes registers every resource's routes. A new resource file adds its
// routesXxx call here.
func (s *Server) routes(rt *router) {
	s.routesServerInfo(rt)
	s.routesAuth(rt)
	s.routesSites(rt)
	s.routesProjects(rt)
	s.routesContent(rt)
	s.routesGovernance(rt)
	s.routesMetadata(rt)
	s.routesMetadataControl(rt)
	s.routesOIDC(rt)
	s.routesDataAcceleration(rt)
	s.routesAdminTokens(rt)
	s.routesExtracts(rt)
	s.routesConnectionsBulk(rt)
	s.routesSchedulesBatch(rt)
	s.routesViewsEdit(rt)
	s.routesItemTags(rt)
	rt.mux.HandleFunc("/", s.notFound)
}

// deleteSite removes a site and everything on it. Callers hold mu.
// A new resource that lives on a site removes its items here too.
func (st *store) deleteSite(siteID string) {
	delete(st.sites.byID, siteID)
	for i, id := range st.sites.order {
		if id == siteID {
			st.sites.order = append(st.sites.order[:i], st.sites.order[i+1:]...)
			break
		}
	}
	st.projects.deleteSite(siteID)
	st.users.deleteSite(siteID)
	st.sessions.deleteSite(siteID)
	st.gov.deleteSite(siteID)
	st.content.deleteSite(siteID)
	st.oidc.deleteSite(siteID)
	delete(st.accel.bySite, siteID)
}
