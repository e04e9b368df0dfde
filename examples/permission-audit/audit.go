package main

import (
	"context"
	"fmt"
	"sync"

	"golang.org/x/sync/errgroup"
	"golang.org/x/time/rate"

	"github.com/tableau-go/sdk/rest"
	"github.com/tableau-go/sdk/tableau"
)

// item is a project, workbook, datasource or view with its explicit rules.
type item struct {
	Kind, ID, Name string
	ProjectID      string
	OwnerID        string
	WorkbookID     string // views
	Rules          []rest.Rule
}

// project adds what permission evaluation needs about a project.
type project struct {
	rest.Project
	// Defaults are the project's default rules per content type
	// (workbooks, datasources).
	Defaults map[rest.ContentType][]rest.Rule
}

// site is everything the audit read.
type site struct {
	Users      map[string]rest.User
	Groups     map[string]rest.Group
	Members    map[string][]string // group id -> user ids
	Projects   map[string]*project
	Items      []*item
	Requests   int
	requestsMu sync.Mutex
}

// auditOptions bound the audit's load on the server.
type auditOptions struct {
	// Concurrency is how many requests run at once. Default: 1.
	Concurrency int
	// RPS caps requests per second across all workers (0: no cap; the
	// session still waits out 429 answers with their Retry-After).
	RPS float64
}

// collect reads the site: users, groups and their members, projects with
// their default permissions, and every workbook, datasource and view with
// its explicit permissions, with at most Concurrency requests in flight.
func collect(ctx context.Context, c *rest.Client, o auditOptions) (*site, error) {
	if o.Concurrency < 1 {
		o.Concurrency = 1
	}
	var lim *rate.Limiter
	if o.RPS > 0 {
		lim = rate.NewLimiter(rate.Limit(o.RPS), max(1, o.Concurrency))
	}
	s := &site{Users: map[string]rest.User{}, Groups: map[string]rest.Group{}, Members: map[string][]string{}, Projects: map[string]*project{}}
	wait := func(ctx context.Context) error {
		s.requestsMu.Lock()
		s.Requests++
		s.requestsMu.Unlock()
		if lim != nil {
			return lim.Wait(ctx)
		}
		return nil
	}
	page := &tableau.ListOptions{PageSize: tableau.MaxPageSize, Parallel: min(o.Concurrency, 8)}
	// Lists (paged; each page is one request).
	if err := wait(ctx); err != nil {
		return nil, err
	}
	for u, err := range c.Users.List(page).All(ctx) {
		if err != nil {
			return nil, fmt.Errorf("listing users: %w", err)
		}
		s.Users[u.ID] = u
	}
	for g, err := range c.Groups.List(page).All(ctx) {
		if err != nil {
			return nil, fmt.Errorf("listing groups: %w", err)
		}
		s.Groups[g.ID] = g
	}
	for p, err := range c.Projects.List(page).All(ctx) {
		if err != nil {
			return nil, fmt.Errorf("listing projects: %w", err)
		}
		s.Projects[p.ID] = &project{Project: p, Defaults: map[rest.ContentType][]rest.Rule{}}
		s.Items = append(s.Items, &item{Kind: "project", ID: p.ID, Name: p.Name, ProjectID: p.ID, OwnerID: p.Owner.ID})
	}
	for w, err := range c.Workbooks.List(page).All(ctx) {
		if err != nil {
			return nil, fmt.Errorf("listing workbooks: %w", err)
		}
		s.Items = append(s.Items, &item{Kind: "workbook", ID: w.ID, Name: w.Name, ProjectID: w.Project.ID, OwnerID: w.Owner.ID})
	}
	for d, err := range c.Datasources.List(page).All(ctx) {
		if err != nil {
			return nil, fmt.Errorf("listing datasources: %w", err)
		}
		s.Items = append(s.Items, &item{Kind: "datasource", ID: d.ID, Name: d.Name, ProjectID: d.Project.ID, OwnerID: d.Owner.ID})
	}
	for v, err := range c.Views.List(&rest.ViewListOptions{ListOptions: *page}).All(ctx) {
		if err != nil {
			return nil, fmt.Errorf("listing views: %w", err)
		}
		s.Items = append(s.Items, &item{Kind: "view", ID: v.ID, Name: v.Name, ProjectID: v.Project.ID, OwnerID: v.Owner.ID, WorkbookID: v.Workbook.ID})
	}

	// One request per group, project default and item, bounded.
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(o.Concurrency)
	var mu sync.Mutex
	for id := range s.Groups {
		g.Go(func() error {
			if err := wait(gctx); err != nil {
				return err
			}
			members, err := c.Groups.Users(id, &tableau.ListOptions{PageSize: tableau.MaxPageSize}).Collect(gctx)
			if err != nil {
				return fmt.Errorf("members of group %s: %w", s.Groups[id].Name, err)
			}
			ids := make([]string, 0, len(members))
			for _, m := range members {
				ids = append(ids, m.ID)
			}
			mu.Lock()
			s.Members[id] = ids
			mu.Unlock()
			return nil
		})
	}
	for _, p := range s.Projects {
		for _, ct := range []rest.ContentType{rest.ContentWorkbooks, rest.ContentDatasources} {
			g.Go(func() error {
				if err := wait(gctx); err != nil {
					return err
				}
				perms, err := c.Permissions.ListDefault(gctx, p.ID, ct)
				if err != nil {
					return fmt.Errorf("default %s permissions of project %s: %w", ct, p.Name, err)
				}
				mu.Lock()
				p.Defaults[ct] = perms.Rules
				mu.Unlock()
				return nil
			})
		}
	}
	for _, it := range s.Items {
		g.Go(func() error {
			if err := wait(gctx); err != nil {
				return err
			}
			perms, err := c.Permissions.List(gctx, rest.ContentType(it.Kind+"s"), it.ID)
			if err != nil {
				return fmt.Errorf("permissions of %s %s: %w", it.Kind, it.Name, err)
			}
			it.Rules = perms.Rules // each goroutine owns its item
			return nil
		})
	}
	if err := g.Wait(); err != nil {
		return nil, err
	}
	return s, nil
}
