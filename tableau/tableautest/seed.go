package tableautest

import (
	"errors"
	"fmt"
	"strings"
	"time"
)

// SeedOptions says what [Server.Seed] creates.
type SeedOptions struct {
	// SiteContentURL is the site to seed. Default: "" (the Default site).
	SiteContentURL string
	// Projects is how many top-level projects ("Project 1", ...) to create;
	// workbooks and datasources are spread over them in turn. 0 puts them
	// in the Default project. Default: 0.
	Projects int
	// Workbooks is how many workbooks ("Workbook 1", ...) to create, each a
	// small .twb with ViewsPerWorkbook views. Default: 0.
	Workbooks int
	// ViewsPerWorkbook is how many views each workbook has. Default: 2.
	ViewsPerWorkbook int
	// Datasources is how many datasources ("Datasource 1", ...) to create,
	// each a .tds with an extract (so it can be refreshed). Default: 0.
	Datasources int
	// Age makes every item created and updated that long ago. Default: 0.
	Age time.Duration
	// ViewCount is every view's totalViewCount. Default: 0.
	ViewCount int
	// WorkbookExtracts makes every workbook a .twbx holding an extract, so
	// it can be refreshed. Default: false (a .twb with a live connection).
	WorkbookExtracts bool
	// Server is the database server the items' connections name.
	// Default: "db.example.com".
	Server string
}

// SeedResult holds the ids of what [Server.Seed] created, in order.
type SeedResult struct {
	ProjectIDs    []string
	WorkbookIDs   []string
	DatasourceIDs []string
	ViewIDs       []string
}

// Seed creates projects, workbooks (with views) and datasources for tests
// and benchmarks, owned by the admin. It emits no events. Names already
// taken in a project are an error.
func (s *Server) Seed(opts SeedOptions) (SeedResult, error) {
	var res SeedResult
	if opts.Projects < 0 || opts.Workbooks < 0 || opts.Datasources < 0 || opts.ViewsPerWorkbook < 0 || opts.ViewCount < 0 {
		return res, errors.New("tableautest: Seed: counts must not be negative")
	}
	if opts.ViewsPerWorkbook == 0 {
		opts.ViewsPerWorkbook = 2
	}
	if opts.Server == "" {
		opts.Server = "db.example.com"
	}
	sheets := make([]string, opts.ViewsPerWorkbook)
	for i := range sheets {
		sheets[i] = fmt.Sprintf("Sheet %d", i+1)
	}
	twb, wbType := &blob{}, "twb"
	if opts.WorkbookExtracts {
		wbType = "twbx"
		twb.Write(SamplePackage("Workbook.twb", SampleTWB(opts.Server, sheets...), SampleHyper(1024))) //nolint:errcheck
	} else {
		twb.Write(SampleTWB(opts.Server, sheets...)) //nolint:errcheck
	}
	wbInfo, err := inspect(wbType, twb)
	if err != nil {
		return res, fmt.Errorf("tableautest: Seed: %v", err)
	}
	tds := &blob{}
	tds.Write(SampleTDS(opts.Server)) //nolint:errcheck
	dsInfo, err := inspect("tds", tds)
	if err != nil {
		return res, fmt.Errorf("tableautest: Seed: %v", err)
	}

	s.store.mu.Lock()
	defer s.store.mu.Unlock()
	st := s.store
	site := st.sites.byContentURL(opts.SiteContentURL)
	if site == nil {
		return res, fmt.Errorf("tableautest: Seed: no site with content URL %q", opts.SiteContentURL)
	}
	now := s.now().Add(-opts.Age)
	projects := []string{}
	for i := 1; i <= opts.Projects; i++ {
		name := fmt.Sprintf("Project %d", i)
		if aerr := st.projects.conflict(site.ID, "", name, ""); aerr != nil {
			return res, fmt.Errorf("tableautest: Seed: %s", aerr.detail)
		}
		p := st.projects.add(&project{SiteID: site.ID, Name: name, ContentPermissions: "ManagedByOwner",
			OwnerID: site.adminID, Created: now, Updated: now})
		projects = append(projects, p.ID)
	}
	res.ProjectIDs = append(res.ProjectIDs, projects...)
	if len(projects) == 0 {
		for _, id := range st.projects.order {
			if p := st.projects.byID[id]; p.SiteID == site.ID && p.Name == "Default" && p.ParentID == "" {
				projects = []string{p.ID}
				break
			}
		}
		if len(projects) == 0 {
			return res, errors.New("tableautest: Seed: the site has no Default project; set Projects")
		}
	}
	mk := func(kind resKind, n int, data *blob, info fileInfo, ft string) ([]string, error) {
		var ids []string
		st.content.init()
		taken := map[string]bool{}
		for _, it := range st.content.order[kind][site.ID] {
			taken[it.ProjectID+"\x00"+strings.ToLower(it.Name)] = true
			taken["url\x00"+strings.ToLower(it.ContentURL)] = true
		}
		for i := 1; i <= n; i++ {
			name := fmt.Sprintf("%s %d", map[resKind]string{resWorkbook: "Workbook", resDatasource: "Datasource"}[kind], i)
			pid := projects[(i-1)%len(projects)]
			curl := strings.ReplaceAll(name, " ", "")
			if taken[pid+"\x00"+strings.ToLower(name)] || taken["url\x00"+strings.ToLower(curl)] {
				return nil, fmt.Errorf("tableautest: Seed: a %s named %q already exists", kind, name)
			}
			conns := make([]*connection, len(info.connections))
			for j, c := range info.connections {
				c.ID = newID()
				conns[j] = &c
			}
			it := &item{
				kind: kind, ID: newID(), SiteID: site.ID, ProjectID: pid, OwnerID: site.adminID,
				Name: name, ContentURL: curl,
				FileType: ft, ShowTabs: true, DSType: info.dsType, HasExtracts: info.hasExtract, Encrypt: "false",
				Created: now, Updated: now, Connections: conns,
				Revisions: []*revision{{Number: 1, Published: now, PublisherID: site.adminID, Data: data, Size: data.size, FileName: name + "." + ft}},
			}
			st.addItem(it)
			if kind == resWorkbook {
				for _, sh := range info.sheets {
					v := &view{ID: newID(), SiteID: site.ID, WorkbookID: it.ID, Name: sh.name, URLName: urlName(sh.name),
						SheetType: sh.kind, TotalViews: opts.ViewCount, Created: now, Updated: now}
					st.addView(it, v)
					res.ViewIDs = append(res.ViewIDs, v.ID)
				}
			}
			ids = append(ids, it.ID)
		}
		return ids, nil
	}
	if res.WorkbookIDs, err = mk(resWorkbook, opts.Workbooks, twb, wbInfo, wbType); err != nil {
		return res, err
	}
	if res.DatasourceIDs, err = mk(resDatasource, opts.Datasources, tds, dsInfo, "tds"); err != nil {
		return res, err
	}
	return res, nil
}
