package tableautest

import "net/http"

// contentRef is what the governance resources need to know about an item
// of any content type: permissions, favorites, tags, subscriptions and
// ownership changes work on it.
type contentRef struct {
	Kind, ID, Name, OwnerID, ProjectID string
}

// notFoundCodes are the REST API's not-found codes per content kind.
var notFoundCodes = map[string]string{
	"project":           codeProjectNotFound,
	"workbook":          "404006",
	"datasource":        "404011",
	"view":              "404011",
	"flow":              "404004",
	"virtualconnection": "404050",
	"table":             "404051",
	"database":          "404052",
	"metric":            "404053",
	"group":             codeGroupNotFound,
	"user":              codeUserNotFound,
}

var kindTitles = map[string]string{
	"project": "Project", "workbook": "Workbook", "datasource": "Data source", "view": "View",
	"flow": "Flow", "virtualconnection": "Virtual connection", "table": "Table", "database": "Database",
	"metric": "Metric", "group": "Group", "user": "User",
}

func contentNotFound(kind, id string) *apiError {
	code := notFoundCodes[kind]
	if code == "" {
		code = codeContentNotFound
	}
	title := kindTitles[kind]
	if title == "" {
		title = "Item"
	}
	if kind == "" {
		return newAPIError(http.StatusNotFound, codeResourceNotFound, "Resource Not Found", "Unknown content type.")
	}
	return errNotFound(code, title, id)
}

// lookupContent finds an item of a content kind on a site. Callers hold
// store.mu. Kinds served by other resource files are found through
// contentLookups, which those files fill.
func (st *store) lookupContent(siteID, kind, id string) (contentRef, bool) {
	switch kind {
	case "project":
		p := st.projects.get(siteID, id)
		if p == nil {
			return contentRef{}, false
		}
		return contentRef{Kind: kind, ID: p.ID, Name: p.Name, OwnerID: p.OwnerID, ProjectID: p.ID}, true
	}
	if ref, ok := st.gov.lookupOwn(siteID, kind, id); ok {
		return ref, true
	}
	return st.lookupOtherContent(siteID, kind, id)
}

// lookupOwn finds items of the kinds kept in the governance part (flows,
// virtual connections, databases, tables, metrics).
func (g *govParts) lookupOwn(siteID, kind, id string) (contentRef, bool) {
	switch kind {
	case "flow":
		if f := g.flows.get(siteID, id); f != nil {
			return contentRef{Kind: kind, ID: f.ID, Name: f.Name, OwnerID: f.OwnerID, ProjectID: f.ProjectID}, true
		}
	case "virtualconnection":
		if v := g.vcs.get(siteID, id); v != nil {
			return contentRef{Kind: kind, ID: v.ID, Name: v.Name, OwnerID: v.OwnerID, ProjectID: v.ProjectID}, true
		}
	case "metric":
		if m := g.metrics.get(siteID, id); m != nil {
			return contentRef{Kind: kind, ID: m.ID, Name: m.Name, OwnerID: m.OwnerID, ProjectID: m.ProjectID}, true
		}
	case "database", "table":
		if a := g.catalog.assetOf(siteID, kind, id); a != nil {
			return contentRef{Kind: kind, ID: a.ID, Name: a.Name, OwnerID: a.ContactID}, true
		}
	}
	return contentRef{}, false
}

// ownTags returns the tags of a flow, virtual connection, metric, database
// or table, or nil. Callers hold store.mu.
func (g *govParts) ownTags(siteID, kind, id string) *[]string {
	switch kind {
	case "flow":
		if f := g.flows.get(siteID, id); f != nil {
			return &f.Tags
		}
	case "virtualconnection":
		if v := g.vcs.get(siteID, id); v != nil {
			return &v.Tags
		}
	case "metric":
		if m := g.metrics.get(siteID, id); m != nil {
			return &m.Tags
		}
	case "database", "table":
		if a := g.catalog.assetOf(siteID, kind, id); a != nil {
			return &a.Tags
		}
	}
	return nil
}

// lookupOtherContent finds workbooks, data sources and views, which the
// content resources keep.
func (st *store) lookupOtherContent(siteID, kind, id string) (contentRef, bool) {
	switch kind {
	case "workbook", "datasource":
		rk := resWorkbook
		if kind == "datasource" {
			rk = resDatasource
		}
		it := st.contentItem(rk, siteID, id)
		if it == nil {
			return contentRef{}, false
		}
		return contentRef{Kind: kind, ID: it.ID, Name: it.Name, OwnerID: it.OwnerID, ProjectID: it.ProjectID}, true
	case "view":
		v := st.content.views[id]
		if v == nil || v.SiteID != siteID {
			return contentRef{}, false
		}
		wb := st.contentItem(resWorkbook, siteID, v.WorkbookID)
		if wb == nil {
			return contentRef{}, false
		}
		return contentRef{Kind: kind, ID: v.ID, Name: v.Name, OwnerID: wb.OwnerID, ProjectID: wb.ProjectID}, true
	}
	return contentRef{}, false
}

// ownedCount counts the items of a site a user owns. Callers hold store.mu.
func (st *store) ownedCount(siteID, userID string) int {
	n := 0
	for _, id := range st.projects.order {
		if p := st.projects.byID[id]; p.SiteID == siteID && p.OwnerID == userID {
			n++
		}
	}
	for _, kind := range []resKind{resWorkbook, resDatasource} {
		for _, it := range st.contentItems(kind, siteID) {
			if it.OwnerID == userID {
				n++
			}
		}
	}
	return n + st.gov.ownedCount(siteID, userID)
}

// reassignContent gives every item a user owns on a site to another user.
// Callers hold store.mu (write).
func (st *store) reassignContent(siteID, from, to string) {
	for _, id := range st.projects.order {
		if p := st.projects.byID[id]; p.SiteID == siteID && p.OwnerID == from {
			p.OwnerID = to
		}
	}
	for _, kind := range []resKind{resWorkbook, resDatasource} {
		for _, it := range st.contentItems(kind, siteID) {
			if it.OwnerID == from {
				it.OwnerID = to
			}
		}
	}
	st.gov.reassign(siteID, from, to)
}

// ownedCount counts the governance items (flows, virtual connections,
// metrics, ...) a user owns. Callers hold store.mu.
func (g *govParts) ownedCount(siteID, userID string) int {
	n := 0
	for _, f := range g.flows.byID {
		if f.SiteID == siteID && f.OwnerID == userID {
			n++
		}
	}
	for _, v := range g.vcs.byID {
		if v.SiteID == siteID && v.OwnerID == userID {
			n++
		}
	}
	for _, m := range g.metrics.byID {
		if m.SiteID == siteID && m.OwnerID == userID {
			n++
		}
	}
	return n
}

// reassign gives a user's governance items to another user. Callers hold store.mu.
func (g *govParts) reassign(siteID, from, to string) {
	for _, f := range g.flows.byID {
		if f.SiteID == siteID && f.OwnerID == from {
			f.OwnerID = to
		}
	}
	for _, v := range g.vcs.byID {
		if v.SiteID == siteID && v.OwnerID == from {
			v.OwnerID = to
		}
	}
	for _, m := range g.metrics.byID {
		if m.SiteID == siteID && m.OwnerID == from {
			m.OwnerID = to
		}
	}
	for _, c := range g.customViews.byID {
		if c.SiteID == siteID && c.OwnerID == from {
			c.OwnerID = to
		}
	}
}
