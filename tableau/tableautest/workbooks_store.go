package tableautest

import (
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"
)

// Error codes of the content resources (workbooks, datasources, views,
// jobs, upload sessions, revisions).
const (
	codePublishFailed      = "400011" // Bad Request: the published file or its payload is wrong
	codeBadUpdateData      = "400092" // Bad Request: the update-data actions are not valid
	codeWorkbookNotFound   = "404006" // Resource Not Found: workbook
	codeViewNotFound       = "404007" // Resource Not Found: view
	codeDatasourceNotFound = "404011" // Resource Not Found: datasource
	codeUploadNotFound     = "404014" // Resource Not Found: upload session
	codeRevisionNotFound   = "404020" // Resource Not Found: revision
	codeConnectionNotFound = "404022" // Resource Not Found: connection
	codeJobNotFound        = "404031" // Resource Not Found: job
	codeContentConflict    = "409004" // Resource Conflict: a workbook or datasource of that name exists
	codeJobFinished        = "409035" // Resource Conflict: the job has already finished
	codeUnsupportedMedia   = "415000" // Unsupported Media Type: publish needs multipart/mixed
)

// resKind says whether an item is a workbook or a datasource.
type resKind int

const (
	resWorkbook resKind = iota
	resDatasource
)

func (k resKind) String() string {
	if k == resWorkbook {
		return "workbook"
	}
	return "datasource"
}

// item is a published workbook or datasource. Items are changed only under
// store.mu (write lock) and read under it (read lock).
type item struct {
	kind        resKind
	ID          string
	SiteID      string
	ProjectID   string
	OwnerID     string
	Name        string
	ContentURL  string
	Description string
	FileType    string // twb, twbx, tds, tdsx or hyper
	ShowTabs    bool   // workbooks
	DSType      string // datasources: connection class, for example "hyper" or "postgres"
	Certified   bool
	CertNote    string
	Encrypt     string // encryptExtracts
	HasExtracts bool
	Tags        []string
	Created     time.Time
	Updated     time.Time
	Refreshed   time.Time // last successful extract refresh; zero if never
	Revisions   []*revision
	Connections []*connection
	ViewIDs     []string // workbooks: their views in sheet order
}

// current returns the newest revision.
func (it *item) current() *revision { return it.Revisions[len(it.Revisions)-1] }

// size is the size of the current revision's file in bytes.
func (it *item) size() int64 {
	if len(it.Revisions) == 0 {
		return 0
	}
	return it.current().Data.size
}

// revision is one published version of an item's file.
type revision struct {
	Number      int
	Published   time.Time
	PublisherID string
	Deleted     bool
	Data        *blob // nil once deleted
	Size        int64
	FileName    string
}

// connection is a data connection of an item.
type connection struct {
	ID           string
	Type         string // the connection class, for example "postgres"
	Server       string
	Port         string
	Username     string
	Password     string
	Embed        bool
	QueryTagging bool
	DSName       string // the datasource element's caption or name inside the file
	AuthType     string // authenticationType, once an update set it
}

// view is a sheet or dashboard of a workbook.
type view struct {
	ID         string
	SiteID     string
	WorkbookID string
	Name       string
	URLName    string // the sheet name as used in URLs (spaces removed)
	SheetType  string // "worksheet", "dashboard" or "story"
	Tags       []string
	TotalViews int
	Created    time.Time
	Updated    time.Time
}

// upload is an upload session (fileUploads).
type upload struct {
	ID      string
	SiteID  string
	UserID  string
	Data    *blob
	Created time.Time
	used    bool // true once a publish consumed it
}

// contentPart holds the content resources of every site; guarded by
// store.mu, except bus, jobCfg and cuts, which have their own locks.
type contentPart struct {
	bus    eventBus
	jobCfg jobConfig
	cuts   cutFaults
	live   liveCache

	version int64 // bumped when items are added or removed

	items   map[string]*item
	order   map[resKind]map[string][]*item // kind -> site -> items in publish order
	views   map[string]*view
	vorder  map[string][]*view // site -> views
	jobs    map[string]*job
	jorder  map[string][]*job // site -> jobs
	uploads map[string]*upload
}

// init makes the maps on first use, so the zero contentPart is ready.
// Callers hold store.mu for writing.
func (c *contentPart) init() {
	if c.items != nil {
		return
	}
	c.items = map[string]*item{}
	c.order = map[resKind]map[string][]*item{resWorkbook: {}, resDatasource: {}}
	c.views = map[string]*view{}
	c.vorder = map[string][]*view{}
	c.jobs = map[string]*job{}
	c.jorder = map[string][]*job{}
	c.uploads = map[string]*upload{}
}

// contentItem returns a live item of a kind on a site, or nil. An item
// whose project was deleted is gone too (Tableau deletes a project's
// content with it). Callers hold store.mu.
func (st *store) contentItem(kind resKind, siteID, id string) *item {
	it := st.content.items[id]
	if it == nil || it.kind != kind || it.SiteID != siteID || st.projects.byID[it.ProjectID] == nil {
		return nil
	}
	return it
}

// liveCache remembers the live items of each site and kind between list
// requests, so a page of a large site does not re-check every item's
// project. It has its own lock (lists run under store.mu's read lock).
type liveCache struct {
	mu      sync.Mutex
	entries map[liveKey]liveEntry
}

type liveKey struct {
	kind   resKind
	siteID string
}

type liveEntry struct {
	version  int64
	projects int    // len(projects.order)
	last     string // the newest project's id
	items    []*item
}

// contentItems returns the live items of a kind on a site, in publish
// order. The slice is shared: callers must not change it. Callers hold
// store.mu.
func (st *store) contentItems(kind resKind, siteID string) []*item {
	// Projects are only appended (a new random id last) or removed (the
	// count drops), so the count and the last id tell whether any project
	// changed since the entry was made.
	fp, last := len(st.projects.order), ""
	if fp > 0 {
		last = st.projects.order[fp-1]
	}
	c := &st.content.live
	c.mu.Lock()
	defer c.mu.Unlock()
	key := liveKey{kind, siteID}
	if e, ok := c.entries[key]; ok && e.version == st.content.version && e.projects == fp && e.last == last {
		return e.items
	}
	all := st.content.order[kind][siteID]
	out := make([]*item, 0, len(all))
	for _, it := range all {
		if st.projects.byID[it.ProjectID] != nil {
			out = append(out, it)
		}
	}
	if c.entries == nil {
		c.entries = map[liveKey]liveEntry{}
	}
	out = out[:len(out):len(out)] // an append by a caller copies
	c.entries[key] = liveEntry{version: st.content.version, projects: fp, last: last, items: out}
	return out
}

// itemByName finds a live item of a kind by name in a project, ignoring case.
func (st *store) itemByName(kind resKind, siteID, projectID, name string) *item {
	for _, it := range st.content.order[kind][siteID] {
		if it.ProjectID == projectID && strings.EqualFold(it.Name, name) {
			return it
		}
	}
	return nil
}

// addItem stores a new item. Callers hold store.mu for writing.
func (st *store) addItem(it *item) {
	c := &st.content
	c.init()
	c.items[it.ID] = it
	c.order[it.kind][it.SiteID] = append(c.order[it.kind][it.SiteID], it)
	c.version++
}

// removeItem deletes an item with its views. Callers hold store.mu for writing.
func (st *store) removeItem(it *item) {
	c := &st.content
	delete(c.items, it.ID)
	c.order[it.kind][it.SiteID] = slices.DeleteFunc(c.order[it.kind][it.SiteID], func(x *item) bool { return x == it })
	c.version++
	st.removeViews(it)
}

// removeViews deletes the views of a workbook.
func (st *store) removeViews(it *item) {
	c := &st.content
	if len(it.ViewIDs) == 0 {
		return
	}
	gone := map[string]bool{}
	for _, id := range it.ViewIDs {
		gone[id] = true
		delete(c.views, id)
	}
	c.vorder[it.SiteID] = slices.DeleteFunc(c.vorder[it.SiteID], func(v *view) bool { return gone[v.ID] })
	it.ViewIDs = nil
}

// addView stores a view of a workbook.
func (st *store) addView(it *item, v *view) {
	c := &st.content
	c.init()
	c.views[v.ID] = v
	c.vorder[v.SiteID] = append(c.vorder[v.SiteID], v)
	it.ViewIDs = append(it.ViewIDs, v.ID)
}

// contentURLFor returns a content URL for name unique among the site's
// items of that kind (Tableau appends a number on a clash).
func (st *store) contentURLFor(kind resKind, siteID, name string) string {
	base := urlName(name)
	if base == "" {
		base = kind.String()
	}
	taken := map[string]bool{}
	for _, it := range st.content.order[kind][siteID] {
		taken[strings.ToLower(it.ContentURL)] = true
	}
	u := base
	for n := 0; taken[strings.ToLower(u)]; n++ {
		u = fmt.Sprintf("%s_%d", base, n)
	}
	return u
}

// urlName keeps letters, digits, '-' and '_' of a name, as Tableau's
// content URLs and view URL names do.
func urlName(name string) string {
	var b strings.Builder
	for _, r := range name {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '-', r == '_':
			b.WriteRune(r)
		}
	}
	return b.String()
}

// jobConfig holds the job settings tests change at run time.
type jobConfig struct {
	mu        sync.Mutex
	duration  time.Duration
	set       bool
	failNext  int
	failNotes string
	failNames map[string]string // resource name (lower case) -> notes
}

// deleteSite removes every content item, view, job and upload of a site.
// Callers hold store.mu for writing.
func (c *contentPart) deleteSite(siteID string) {
	if c.items == nil {
		return
	}
	for _, k := range []resKind{resWorkbook, resDatasource} {
		for _, it := range c.order[k][siteID] {
			delete(c.items, it.ID)
		}
		delete(c.order[k], siteID)
	}
	for _, v := range c.vorder[siteID] {
		delete(c.views, v.ID)
	}
	delete(c.vorder, siteID)
	for _, j := range c.jorder[siteID] {
		delete(c.jobs, j.ID)
	}
	delete(c.jorder, siteID)
	for id, u := range c.uploads {
		if u.SiteID == siteID {
			delete(c.uploads, id)
		}
	}
	c.version++
}
