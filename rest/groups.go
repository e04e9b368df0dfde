package rest

import (
	"context"
	"encoding/xml"
	"fmt"
	"net/url"
	"strings"

	"github.com/tableau-go/sdk/tableau"
)

// Group is a local or Active Directory group of the signed-in site.
type Group struct {
	ID              string `xml:"id,attr"`
	Name            string `xml:"name,attr"`
	MinimumSiteRole string `xml:"minimumSiteRole,attr"` // local groups
	// UserCount is filled when asked for (tableau.FieldsAll or "userCount").
	UserCount int `xml:"userCount,attr"`
	Domain    struct {
		Name string `xml:"name,attr"` // "local" for local groups
	} `xml:"domain"`
	// Import is set for Active Directory groups.
	Import *GroupImport `xml:"import"`
}

// GroupImport is how an Active Directory group is synchronized.
type GroupImport struct {
	DomainName string `xml:"domainName,attr"`
	// SiteRole is the minimum site role of the group's users.
	SiteRole string `xml:"siteRole,attr"`
	// GrantLicenseMode is "onSync" (apply SiteRole when synchronizing) or
	// "onLogin" (when a user signs in).
	GrantLicenseMode string `xml:"grantLicenseMode,attr"`
}

// Local reports whether g is a local group.
func (g *Group) Local() bool {
	return g.Import == nil && (g.Domain.Name == "" || g.Domain.Name == "local")
}

// GroupsService manages the groups of the signed-in site. c.Groups.
type GroupsService struct{ service }

type groupList struct {
	Pagination tableau.Pagination `xml:"pagination"`
	Groups     []Group            `xml:"groups>group"`
}

type groupResponse struct {
	Group *Group   `xml:"group"`
	Job   *BulkJob `xml:"job"`
}

// List returns a pager over the site's groups. Filter fields: name,
// domainName, minimumSiteRole, isLocal, userCount, luid.
func (sv *GroupsService) List(opts *tableau.ListOptions) *tableau.Pager[Group] {
	path, err := sv.sitePath("Groups.List", "groups")
	if err != nil {
		return tableau.ErrorPager[Group](err)
	}
	return tableau.PagedList(sv.s, path, opts, func(r *groupList) ([]Group, tableau.Pagination) {
		return r.Groups, r.Pagination
	})
}

// GetByName returns the local group named name (ignoring case), or an
// error wrapping tableau.ErrNotFound.
func (sv *GroupsService) GetByName(ctx context.Context, name string) (*Group, error) {
	const m = "Groups.GetByName"
	if err := need(m, "name", name); err != nil {
		return nil, err
	}
	var passes [][]tableau.Filter
	if !strings.ContainsAny(name, ",&") {
		passes = append(passes, []tableau.Filter{tableau.Eq("name", name)})
	}
	passes = append(passes, nil)
	for _, filters := range passes {
		for g, err := range sv.List(&tableau.ListOptions{Filters: filters, PageSize: tableau.MaxPageSize}).All(ctx) {
			if err != nil {
				return nil, err
			}
			if strings.EqualFold(g.Name, name) {
				return &g, nil
			}
		}
	}
	return nil, fmt.Errorf("rest.%s: group %q: %w", m, name, tableau.ErrNotFound)
}

type groupRequest struct {
	XMLName xml.Name `xml:"tsRequest"`
	Group   groupAttrs
}

type groupAttrs struct {
	XMLName         xml.Name     `xml:"group"`
	Name            *string      `xml:"name,attr,omitempty"`
	MinimumSiteRole *string      `xml:"minimumSiteRole,attr,omitempty"`
	Import          *importAttrs `xml:"import,omitempty"`
}

type importAttrs struct {
	Source           string `xml:"source,attr"`
	DomainName       string `xml:"domainName,attr"`
	SiteRole         string `xml:"siteRole,attr,omitempty"`
	GrantLicenseMode string `xml:"grantLicenseMode,attr,omitempty"`
}

// GroupCreate describes a local group.
type GroupCreate struct {
	Name string // required
	// MinimumSiteRole is given to users added to the group whose site role
	// is lower. Default: none.
	MinimumSiteRole string
}

// Create creates a local group.
func (sv *GroupsService) Create(ctx context.Context, in GroupCreate) (*Group, error) {
	const m = "Groups.Create"
	if strings.TrimSpace(in.Name) == "" {
		return nil, fmt.Errorf("rest.%s: %w: Name is empty", m, tableau.ErrInvalidArgument)
	}
	a := groupAttrs{Name: strp(in.Name)}
	if in.MinimumSiteRole != "" {
		if err := checkRole(m, in.MinimumSiteRole); err != nil {
			return nil, err
		}
		a.MinimumSiteRole = strp(in.MinimumSiteRole)
	}
	g, _, err := sv.send(ctx, m, "POST", nil, a)
	return g, err
}

// ADGroup describes an Active Directory group to import or synchronize.
type ADGroup struct {
	Name   string // required: the group's name in the directory
	Domain string // required: the directory's domain, such as example.com
	// SiteRole is the minimum site role of the group's users. Default: none.
	SiteRole string
	// GrantLicenseMode is "onSync" or "onLogin". Default: the server's.
	GrantLicenseMode string
}

func (g ADGroup) attrs(m string) (groupAttrs, error) {
	if strings.TrimSpace(g.Name) == "" || strings.TrimSpace(g.Domain) == "" {
		return groupAttrs{}, fmt.Errorf("rest.%s: %w: Name and Domain are required", m, tableau.ErrInvalidArgument)
	}
	if g.SiteRole != "" {
		if err := checkRole(m, g.SiteRole); err != nil {
			return groupAttrs{}, err
		}
	}
	if g.GrantLicenseMode != "" && g.GrantLicenseMode != "onSync" && g.GrantLicenseMode != "onLogin" {
		return groupAttrs{}, fmt.Errorf("rest.%s: %w: GrantLicenseMode %q is not onSync or onLogin", m, tableau.ErrInvalidArgument, g.GrantLicenseMode)
	}
	return groupAttrs{Name: strp(g.Name), Import: &importAttrs{Source: "ActiveDirectory", DomainName: g.Domain, SiteRole: g.SiteRole, GrantLicenseMode: g.GrantLicenseMode}}, nil
}

// ImportAD imports an Active Directory group and its users, waiting for the
// import in the request.
func (sv *GroupsService) ImportAD(ctx context.Context, in ADGroup) (*Group, error) {
	const m = "Groups.ImportAD"
	a, err := in.attrs(m)
	if err != nil {
		return nil, err
	}
	g, _, err := sv.send(ctx, m, "POST", nil, a)
	return g, err
}

// ImportADAsJob imports an Active Directory group as a server-side job
// (asJob=true), for large groups.
func (sv *GroupsService) ImportADAsJob(ctx context.Context, in ADGroup) (*BulkJob, error) {
	const m = "Groups.ImportADAsJob"
	a, err := in.attrs(m)
	if err != nil {
		return nil, err
	}
	_, j, err := sv.send(ctx, m, "POST", url.Values{"asJob": {"true"}}, a)
	if err == nil && j == nil {
		err = fmt.Errorf("rest.%s: the response has no <job>", m)
	}
	return j, err
}

// SyncAD synchronizes the Active Directory group with id (its members and
// minimum site role) with the directory, waiting for it in the request.
func (sv *GroupsService) SyncAD(ctx context.Context, id string, in ADGroup) (*Group, error) {
	const m = "Groups.SyncAD"
	if err := need(m, "id", id); err != nil {
		return nil, err
	}
	a, err := in.attrs(m)
	if err != nil {
		return nil, err
	}
	g, _, err := sv.sendTo(ctx, m, "PUT", []string{"groups", id}, nil, a)
	return g, err
}

// GroupUpdate changes a local group; nil fields stay as they are.
type GroupUpdate struct {
	Name            *string
	MinimumSiteRole *string // "" removes it
}

// Update changes the local group with id.
func (sv *GroupsService) Update(ctx context.Context, id string, in GroupUpdate) (*Group, error) {
	const m = "Groups.Update"
	if err := need(m, "id", id); err != nil {
		return nil, err
	}
	if in.Name != nil && strings.TrimSpace(*in.Name) == "" {
		return nil, fmt.Errorf("rest.%s: %w: Name is empty", m, tableau.ErrInvalidArgument)
	}
	if in.MinimumSiteRole != nil && *in.MinimumSiteRole != "" {
		if err := checkRole(m, *in.MinimumSiteRole); err != nil {
			return nil, err
		}
	}
	g, _, err := sv.sendTo(ctx, m, "PUT", []string{"groups", id}, nil, groupAttrs{Name: in.Name, MinimumSiteRole: in.MinimumSiteRole})
	return g, err
}

func (sv *GroupsService) send(ctx context.Context, m, method string, q url.Values, a groupAttrs) (*Group, *BulkJob, error) {
	return sv.sendTo(ctx, m, method, []string{"groups"}, q, a)
}

func (sv *GroupsService) sendTo(ctx context.Context, m, method string, elem []string, q url.Values, a groupAttrs) (*Group, *BulkJob, error) {
	path, err := sv.sitePath(m, elem...)
	if err != nil {
		return nil, nil, err
	}
	var r groupResponse
	if method == "POST" {
		err = sv.s.Post(ctx, path, q, groupRequest{Group: a}, &r)
	} else {
		err = sv.s.Put(ctx, path, q, groupRequest{Group: a}, &r)
	}
	if err != nil {
		return nil, nil, err
	}
	if r.Group == nil && r.Job == nil {
		return nil, nil, fmt.Errorf("rest.%s: the response has no <group> or <job>", m)
	}
	return r.Group, r.Job, nil
}

// Delete deletes the group with id (its users stay on the site).
func (sv *GroupsService) Delete(ctx context.Context, id string) error {
	const m = "Groups.Delete"
	if err := need(m, "id", id); err != nil {
		return err
	}
	path, err := sv.sitePath(m, "groups", id)
	if err != nil {
		return err
	}
	return sv.s.Delete(ctx, path, nil)
}

// Users returns a pager over the members of the group with id.
func (sv *GroupsService) Users(id string, opts *tableau.ListOptions) *tableau.Pager[User] {
	const m = "Groups.Users"
	if err := need(m, "id", id); err != nil {
		return tableau.ErrorPager[User](err)
	}
	path, err := sv.sitePath(m, "groups", id, "users")
	if err != nil {
		return tableau.ErrorPager[User](err)
	}
	return tableau.PagedList(sv.s, path, opts, func(r *userList) ([]User, tableau.Pagination) {
		return r.Users, r.Pagination
	})
}

type memberRequest struct {
	XMLName xml.Name `xml:"tsRequest"`
	User    *idElem  `xml:"user,omitempty"`
	Users   *struct {
		User []idElem `xml:"user"`
	} `xml:"users,omitempty"`
}

type membersResponse struct {
	User  *User  `xml:"user"`
	Users []User `xml:"users>user"`
}

func checkIDs(m string, ids []string) error {
	if len(ids) == 0 {
		return fmt.Errorf("rest.%s: %w: no user ids", m, tableau.ErrInvalidArgument)
	}
	seen := map[string]bool{}
	for i, id := range ids {
		if id == "" {
			return fmt.Errorf("rest.%s: %w: user id %d is empty", m, tableau.ErrInvalidArgument, i)
		}
		if seen[id] {
			return fmt.Errorf("rest.%s: %w: user id %s appears twice", m, tableau.ErrInvalidArgument, id)
		}
		seen[id] = true
	}
	return nil
}

// AddUser adds the user with userID to the group with groupID.
func (sv *GroupsService) AddUser(ctx context.Context, groupID, userID string) (*User, error) {
	const m = "Groups.AddUser"
	if err := need(m, "groupID", groupID); err != nil {
		return nil, err
	}
	if err := need(m, "userID", userID); err != nil {
		return nil, err
	}
	path, err := sv.sitePath(m, "groups", groupID, "users")
	if err != nil {
		return nil, err
	}
	var r membersResponse
	if err := sv.s.Post(ctx, path, nil, memberRequest{User: &idElem{ID: userID}}, &r); err != nil {
		return nil, err
	}
	if r.User == nil {
		return nil, fmt.Errorf("rest.%s: the response has no <user>", m)
	}
	return r.User, nil
}

// AddUsers adds several users to a group in one request (API 3.21). The
// server adds all of them or none.
func (sv *GroupsService) AddUsers(ctx context.Context, groupID string, userIDs []string) ([]User, error) {
	const m = "Groups.AddUsers"
	if err := need(m, "groupID", groupID); err != nil {
		return nil, err
	}
	if err := checkIDs(m, userIDs); err != nil {
		return nil, err
	}
	path, err := sv.sitePath(m, "groups", groupID, "users")
	if err != nil {
		return nil, err
	}
	req := memberRequest{Users: &struct {
		User []idElem `xml:"user"`
	}{}}
	for _, id := range userIDs {
		req.Users.User = append(req.Users.User, idElem{ID: id})
	}
	var r membersResponse
	if err := sv.s.Post(ctx, path, nil, req, &r); err != nil {
		return nil, err
	}
	return r.Users, nil
}

// RemoveUser removes the user with userID from the group with groupID.
func (sv *GroupsService) RemoveUser(ctx context.Context, groupID, userID string) error {
	const m = "Groups.RemoveUser"
	if err := need(m, "groupID", groupID); err != nil {
		return err
	}
	if err := need(m, "userID", userID); err != nil {
		return err
	}
	path, err := sv.sitePath(m, "groups", groupID, "users", userID)
	if err != nil {
		return err
	}
	return sv.s.Delete(ctx, path, nil)
}

// RemoveUsers removes several users from a group in one request (API 3.21).
func (sv *GroupsService) RemoveUsers(ctx context.Context, groupID string, userIDs []string) error {
	const m = "Groups.RemoveUsers"
	if err := need(m, "groupID", groupID); err != nil {
		return err
	}
	if err := checkIDs(m, userIDs); err != nil {
		return err
	}
	path, err := sv.sitePath(m, "groups", groupID, "users", "remove")
	if err != nil {
		return err
	}
	req := memberRequest{Users: &struct {
		User []idElem `xml:"user"`
	}{}}
	for _, id := range userIDs {
		req.Users.User = append(req.Users.User, idElem{ID: id})
	}
	return sv.s.Put(ctx, path, nil, req, nil)
}
