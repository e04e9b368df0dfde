package rest

import (
	"context"
	"encoding/xml"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/tableau-go/sdk/tableau"
)

// Project is a project on the signed-in site.
type Project struct {
	ID                              string    `xml:"id,attr"`
	Name                            string    `xml:"name,attr"`
	Description                     string    `xml:"description,attr"`
	ParentProjectID                 string    `xml:"parentProjectId,attr"` // "" for a top-level project
	ContentPermissions              string    `xml:"contentPermissions,attr"`
	ControllingPermissionsProjectID string    `xml:"controllingPermissionsProjectId,attr"`
	TopLevel                        bool      `xml:"topLevelProject,attr"`
	Writeable                       bool      `xml:"writeable,attr"`
	CreatedAt                       time.Time `xml:"createdAt,attr"`
	UpdatedAt                       time.Time `xml:"updatedAt,attr"`
	Owner                           Owner     `xml:"owner"`
}

// Owner is the owner of a content item.
type Owner struct {
	ID   string `xml:"id,attr"`
	Name string `xml:"name,attr"` // filled when the server includes it
}

// Project content permissions.
const (
	PermissionsManagedByOwner               = "ManagedByOwner"
	PermissionsLockedToProject              = "LockedToProject"
	PermissionsLockedToProjectWithoutNested = "LockedToProjectWithoutNested"
)

var contentPermissions = []string{PermissionsManagedByOwner, PermissionsLockedToProject, PermissionsLockedToProjectWithoutNested}

// ProjectsService manages the projects of the signed-in site. c.Projects.
type ProjectsService struct{ service }

type projectList struct {
	Pagination tableau.Pagination `xml:"pagination"`
	Projects   []Project          `xml:"projects>project"`
}

type projectResponse struct {
	Project *Project `xml:"project"`
}

// List returns a pager over the site's projects. Filter fields include
// name, ownerName, createdAt, updatedAt, parentProjectId and
// topLevelProject; for example tableau.Eq("topLevelProject", "true").
func (sv *ProjectsService) List(opts *tableau.ListOptions) *tableau.Pager[Project] {
	path, err := sv.sitePath("Projects.List", "projects")
	if err != nil {
		return tableau.ErrorPager[Project](err)
	}
	return tableau.PagedList(sv.s, path, opts, func(r *projectList) ([]Project, tableau.Pagination) {
		return r.Projects, r.Pagination
	})
}

// Get returns the project with id. The REST API has no call that reads one
// project, so Get sends an Update Project that changes nothing (as
// tableauserverclient does); the answer carries fewer attributes than List
// (no dates, no owner name).
func (sv *ProjectsService) Get(ctx context.Context, id string) (*Project, error) {
	return sv.Update(ctx, id, ProjectUpdate{})
}

// GetByPath returns the project at path, names separated by "/" from the
// top level ("Finance/Reports/2024"). Names containing "/" cannot be
// reached this way. It fails with tableau.ErrNotFound if a name is missing.
func (sv *ProjectsService) GetByPath(ctx context.Context, path string) (*Project, error) {
	const m = "Projects.GetByPath"
	names := strings.Split(strings.Trim(path, "/"), "/")
	if path == "" || slices.Contains(names, "") {
		return nil, fmt.Errorf("rest.%s: %w: path %q", m, tableau.ErrInvalidArgument, path)
	}
	parent := ""
	var found *Project
	for _, name := range names {
		found = nil
		var filters []tableau.Filter
		// The REST API cannot escape "," and "&": such names are matched here only.
		if !strings.ContainsAny(name, ",&") {
			filters = append(filters, tableau.Eq("name", name))
		}
		if parent == "" {
			filters = append(filters, tableau.Eq("topLevelProject", "true"))
		} else {
			filters = append(filters, tableau.Eq("parentProjectId", parent))
		}
		for p, err := range sv.List(&tableau.ListOptions{Filters: filters, PageSize: tableau.MaxPageSize}).All(ctx) {
			if err != nil {
				return nil, err
			}
			if p.Name == name && p.ParentProjectID == parent {
				found = &p
				break
			}
		}
		if found == nil {
			return nil, fmt.Errorf("rest.%s: project %q: %w", m, path, tableau.ErrNotFound)
		}
		parent = found.ID
	}
	return found, nil
}

// ProjectCreate describes a new project.
type ProjectCreate struct {
	Name        string // required
	Description string
	// ParentProjectID nests the project. Default: "" (top level).
	ParentProjectID string
	// ContentPermissions is ManagedByOwner, LockedToProject or
	// LockedToProjectWithoutNested. Default: the server's (ManagedByOwner).
	ContentPermissions string
	// PublishSamples publishes Tableau's sample workbooks into the project.
	// Default: false.
	PublishSamples bool
}

// ProjectUpdate changes a project; nil fields stay as they are. A
// ParentProjectID of "" moves the project to the top level.
type ProjectUpdate struct {
	Name               *string
	Description        *string
	ParentProjectID    *string
	ContentPermissions *string
	OwnerID            *string
}

type projectRequest struct {
	XMLName xml.Name `xml:"tsRequest"`
	Project projectAttrs
}

type projectAttrs struct {
	XMLName            xml.Name `xml:"project"`
	Name               *string  `xml:"name,attr,omitempty"`
	Description        *string  `xml:"description,attr,omitempty"`
	ParentProjectID    *string  `xml:"parentProjectId,attr,omitempty"`
	ContentPermissions *string  `xml:"contentPermissions,attr,omitempty"`
	Owner              *idElem  `xml:"owner,omitempty"`
}

type idElem struct {
	ID string `xml:"id,attr"`
}

func checkPermissions(m string, p string) error {
	if !slices.Contains(contentPermissions, p) {
		return fmt.Errorf("rest.%s: %w: ContentPermissions %q is not one of %s", m, tableau.ErrInvalidArgument, p, strings.Join(contentPermissions, ", "))
	}
	return nil
}

// Create creates a project, nested under ParentProjectID if set.
func (sv *ProjectsService) Create(ctx context.Context, in ProjectCreate) (*Project, error) {
	const m = "Projects.Create"
	if strings.TrimSpace(in.Name) == "" {
		return nil, fmt.Errorf("rest.%s: %w: Name is empty", m, tableau.ErrInvalidArgument)
	}
	a := projectAttrs{Name: strp(in.Name)}
	if in.Description != "" {
		a.Description = strp(in.Description)
	}
	if in.ParentProjectID != "" {
		a.ParentProjectID = strp(in.ParentProjectID)
	}
	if in.ContentPermissions != "" {
		if err := checkPermissions(m, in.ContentPermissions); err != nil {
			return nil, err
		}
		a.ContentPermissions = strp(in.ContentPermissions)
	}
	path, err := sv.sitePath(m, "projects")
	if err != nil {
		return nil, err
	}
	var q url.Values
	if in.PublishSamples {
		q = url.Values{"publishSamples": {"true"}}
	}
	var r projectResponse
	if err := sv.s.Post(ctx, path, q, projectRequest{Project: a}, &r); err != nil {
		return nil, err
	}
	if r.Project == nil {
		return nil, fmt.Errorf("rest.%s: the response has no <project>", m)
	}
	return r.Project, nil
}

// Update changes the project with id and returns it.
func (sv *ProjectsService) Update(ctx context.Context, id string, in ProjectUpdate) (*Project, error) {
	const m = "Projects.Update"
	if err := need(m, "id", id); err != nil {
		return nil, err
	}
	if in.Name != nil && strings.TrimSpace(*in.Name) == "" {
		return nil, fmt.Errorf("rest.%s: %w: Name is empty", m, tableau.ErrInvalidArgument)
	}
	if in.ContentPermissions != nil {
		if err := checkPermissions(m, *in.ContentPermissions); err != nil {
			return nil, err
		}
	}
	if in.ParentProjectID != nil && *in.ParentProjectID == id {
		return nil, fmt.Errorf("rest.%s: %w: a project cannot be its own parent", m, tableau.ErrInvalidArgument)
	}
	a := projectAttrs{Name: in.Name, Description: in.Description, ParentProjectID: in.ParentProjectID, ContentPermissions: in.ContentPermissions}
	if in.OwnerID != nil {
		a.Owner = &idElem{ID: *in.OwnerID}
	}
	path, err := sv.sitePath(m, "projects", id)
	if err != nil {
		return nil, err
	}
	var r projectResponse
	if err := sv.s.Put(ctx, path, nil, projectRequest{Project: a}, &r); err != nil {
		return nil, err
	}
	if r.Project == nil {
		return nil, fmt.Errorf("rest.%s: the response has no <project>", m)
	}
	return r.Project, nil
}

// Delete deletes the project with id, its nested projects and their content.
func (sv *ProjectsService) Delete(ctx context.Context, id string) error {
	const m = "Projects.Delete"
	if err := need(m, "id", id); err != nil {
		return err
	}
	path, err := sv.sitePath(m, "projects", id)
	if err != nil {
		return err
	}
	return sv.s.Delete(ctx, path, nil)
}
