package tableautest

import (
	"slices"
	"strings"
	"time"
)

// siteRoles are the REST API's site roles.
var siteRoles = []string{
	"Creator", "Explorer", "ExplorerCanPublish", "ServerAdministrator",
	"SiteAdministratorExplorer", "SiteAdministratorCreator", "Unlicensed",
	"Viewer", "ReadOnly",
}

func validSiteRole(r string) bool { return slices.Contains(siteRoles, r) }

// user is a user of one site. As in Tableau, one person has a different
// user id on every site.
type user struct {
	ID       string
	SiteID   string
	Name     string
	SiteRole string
	Created  time.Time
}

// usersPart holds users of every site; guarded by store.mu.
type usersPart struct {
	byID  map[string]*user
	order []string
}

func (p *usersPart) add(siteID, name, role string, now time.Time) *user {
	u := &user{ID: newID(), SiteID: siteID, Name: name, SiteRole: role, Created: now}
	p.byID[u.ID] = u
	p.order = append(p.order, u.ID)
	return u
}

// byName finds a user of a site by name, ignoring case as Tableau does.
func (p *usersPart) byName(siteID, name string) *user {
	for _, id := range p.order {
		u := p.byID[id]
		if u.SiteID == siteID && strings.EqualFold(u.Name, name) {
			return u
		}
	}
	return nil
}

// get returns a user of a site by id, or nil.
func (p *usersPart) get(siteID, id string) *user {
	if u := p.byID[id]; u != nil && u.SiteID == siteID {
		return u
	}
	return nil
}

// deleteSite removes every user of a site.
func (p *usersPart) deleteSite(siteID string) {
	p.order = slices.DeleteFunc(p.order, func(id string) bool {
		if p.byID[id].SiteID == siteID {
			delete(p.byID, id)
			return true
		}
		return false
	})
}
