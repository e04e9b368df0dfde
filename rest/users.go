package rest

import (
	"context"
	"encoding/xml"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/tableau-go/sdk/tableau"
)

// Site roles of the REST API.
const (
	RoleCreator                   = "Creator"
	RoleExplorer                  = "Explorer"
	RoleExplorerCanPublish        = "ExplorerCanPublish"
	RoleServerAdministrator       = "ServerAdministrator"
	RoleSiteAdministratorExplorer = "SiteAdministratorExplorer"
	RoleSiteAdministratorCreator  = "SiteAdministratorCreator"
	RoleUnlicensed                = "Unlicensed"
	RoleViewer                    = "Viewer"
	RoleReadOnly                  = "ReadOnly"
)

// SiteRoles lists the site roles a user can have.
var SiteRoles = []string{
	RoleCreator, RoleExplorer, RoleExplorerCanPublish, RoleServerAdministrator,
	RoleSiteAdministratorExplorer, RoleSiteAdministratorCreator, RoleUnlicensed,
	RoleViewer, RoleReadOnly,
}

// Authentication settings of a user.
const (
	AuthServerDefault    = "ServerDefault"
	AuthSAML             = "SAML"
	AuthOpenID           = "OpenID"
	AuthTableauIDWithMFA = "TableauIDWithMFA"
)

var authSettings = []string{AuthServerDefault, AuthSAML, AuthOpenID, AuthTableauIDWithMFA}

// User is a user of the signed-in site. Name is "DOMAIN\name" for users of
// a directory; Domain.Name is "local" for local users.
type User struct {
	ID                 string    `xml:"id,attr"`
	Name               string    `xml:"name,attr"`
	SiteRole           string    `xml:"siteRole,attr"`
	AuthSetting        string    `xml:"authSetting,attr"`
	FullName           string    `xml:"fullName,attr"`
	Email              string    `xml:"email,attr"`
	Language           string    `xml:"language,attr"`
	Locale             string    `xml:"locale,attr"`
	ExternalAuthUserID string    `xml:"externalAuthUserId,attr"`
	IdpConfigurationID string    `xml:"idpConfigurationId,attr"`
	LastLogin          time.Time `xml:"lastLogin,attr"` // zero if the user never signed in
	Domain             struct {
		Name string `xml:"name,attr"`
	} `xml:"domain"`
}

// UsersService manages the users of the signed-in site. c.Users.
type UsersService struct{ service }

type userList struct {
	Pagination tableau.Pagination `xml:"pagination"`
	Users      []User             `xml:"users>user"`
}

type userResponse struct {
	User *User `xml:"user"`
}

// List returns a pager over the site's users. Filter fields: name,
// siteRole, friendlyName (full name), email, domainName, lastLogin, luid,
// isLocal. The default fields leave out email and fullName: add them with
// Fields: []string{tableau.FieldsDefault, "email", "fullName"} (or
// tableau.FieldsAll).
func (sv *UsersService) List(opts *tableau.ListOptions) *tableau.Pager[User] {
	path, err := sv.sitePath("Users.List", "users")
	if err != nil {
		return tableau.ErrorPager[User](err)
	}
	return tableau.PagedList(sv.s, path, opts, func(r *userList) ([]User, tableau.Pagination) {
		return r.Users, r.Pagination
	})
}

// Get returns the user with id.
func (sv *UsersService) Get(ctx context.Context, id string) (*User, error) {
	const m = "Users.Get"
	if err := need(m, "id", id); err != nil {
		return nil, err
	}
	path, err := sv.sitePath(m, "users", id)
	if err != nil {
		return nil, err
	}
	var r userResponse
	if err := sv.s.Get(ctx, path, nil, &r); err != nil {
		return nil, err
	}
	if r.User == nil {
		return nil, fmt.Errorf("rest.%s: the response has no <user>", m)
	}
	return r.User, nil
}

// GetByName returns the user named name (ignoring case), or an error
// wrapping tableau.ErrNotFound.
func (sv *UsersService) GetByName(ctx context.Context, name string) (*User, error) {
	const m = "Users.GetByName"
	if err := need(m, "name", name); err != nil {
		return nil, err
	}
	// The name filter is exact; a second pass over every user finds a
	// name that differs only in case (or holds characters a filter cannot carry).
	var passes [][]tableau.Filter
	if !strings.ContainsAny(name, ",&") {
		passes = append(passes, []tableau.Filter{tableau.Eq("name", name)})
	}
	passes = append(passes, nil)
	for _, filters := range passes {
		for u, err := range sv.List(&tableau.ListOptions{Filters: filters, PageSize: tableau.MaxPageSize, Fields: []string{tableau.FieldsAll}}).All(ctx) {
			if err != nil {
				return nil, err
			}
			if strings.EqualFold(u.Name, name) {
				return &u, nil
			}
		}
	}
	return nil, fmt.Errorf("rest.%s: user %q: %w", m, name, tableau.ErrNotFound)
}

// UserAdd describes a user to add to the site.
type UserAdd struct {
	Name     string // required; "DOMAIN\name" for a directory user
	SiteRole string // required: one of SiteRoles
	// AuthSetting is ServerDefault, SAML, OpenID or TableauIDWithMFA.
	// Default: the server's (ServerDefault).
	AuthSetting string
	// IdpConfigurationID names the identity provider (API 3.24, Tableau
	// Cloud with several). Default: none.
	IdpConfigurationID string
}

// UserUpdate changes a user; nil fields stay as they are.
type UserUpdate struct {
	FullName    *string
	Email       *string
	Password    *string // never logged or put in errors
	SiteRole    *string
	AuthSetting *string
}

type userRequest struct {
	XMLName xml.Name `xml:"tsRequest"`
	User    userAttrs
}

type userAttrs struct {
	XMLName            xml.Name `xml:"user"`
	Name               *string  `xml:"name,attr,omitempty"`
	FullName           *string  `xml:"fullName,attr,omitempty"`
	Email              *string  `xml:"email,attr,omitempty"`
	Password           *string  `xml:"password,attr,omitempty"`
	SiteRole           *string  `xml:"siteRole,attr,omitempty"`
	AuthSetting        *string  `xml:"authSetting,attr,omitempty"`
	IdpConfigurationID *string  `xml:"idpConfigurationId,attr,omitempty"`
}

func checkRole(m, role string) error {
	if !slices.Contains(SiteRoles, role) {
		return fmt.Errorf("rest.%s: %w: site role %q is not one of %s", m, tableau.ErrInvalidArgument, role, strings.Join(SiteRoles, ", "))
	}
	return nil
}

func checkAuth(m, a string) error {
	if !slices.Contains(authSettings, a) {
		return fmt.Errorf("rest.%s: %w: auth setting %q is not one of %s", m, tableau.ErrInvalidArgument, a, strings.Join(authSettings, ", "))
	}
	return nil
}

// ValidEmail reports whether s looks like an email address: one "@" with
// text before it and a dotted domain after it, no spaces or list separators.
func ValidEmail(s string) bool {
	local, domain, ok := strings.Cut(s, "@")
	return ok && local != "" && strings.Contains(domain, ".") && !strings.HasPrefix(domain, ".") &&
		!strings.HasSuffix(domain, ".") && !strings.ContainsAny(s, " \t,;<>\"") && !strings.Contains(domain, "@")
}

// Add adds a user to the site. Adding a name that exists fails with an
// error matching tableau.ErrConflict.
func (sv *UsersService) Add(ctx context.Context, in UserAdd) (*User, error) {
	const m = "Users.Add"
	if strings.TrimSpace(in.Name) == "" {
		return nil, fmt.Errorf("rest.%s: %w: Name is empty", m, tableau.ErrInvalidArgument)
	}
	if err := checkRole(m, in.SiteRole); err != nil {
		return nil, err
	}
	a := userAttrs{Name: strp(in.Name), SiteRole: strp(in.SiteRole)}
	if in.AuthSetting != "" {
		if err := checkAuth(m, in.AuthSetting); err != nil {
			return nil, err
		}
		a.AuthSetting = strp(in.AuthSetting)
	}
	if in.IdpConfigurationID != "" {
		a.IdpConfigurationID = strp(in.IdpConfigurationID)
	}
	path, err := sv.sitePath(m, "users")
	if err != nil {
		return nil, err
	}
	var r userResponse
	if err := sv.s.Post(ctx, path, nil, userRequest{User: a}, &r); err != nil {
		return nil, err
	}
	if r.User == nil {
		return nil, fmt.Errorf("rest.%s: the response has no <user>", m)
	}
	return r.User, nil
}

// Update changes the user with id and returns what the server answers
// (name, full name, email, site role and auth setting).
func (sv *UsersService) Update(ctx context.Context, id string, in UserUpdate) (*User, error) {
	const m = "Users.Update"
	if err := need(m, "id", id); err != nil {
		return nil, err
	}
	if in.SiteRole != nil {
		if err := checkRole(m, *in.SiteRole); err != nil {
			return nil, err
		}
	}
	if in.AuthSetting != nil {
		if err := checkAuth(m, *in.AuthSetting); err != nil {
			return nil, err
		}
	}
	if in.Email != nil && *in.Email != "" && !ValidEmail(*in.Email) {
		return nil, fmt.Errorf("rest.%s: %w: email %q is not an email address", m, tableau.ErrInvalidArgument, *in.Email)
	}
	path, err := sv.sitePath(m, "users", id)
	if err != nil {
		return nil, err
	}
	a := userAttrs{FullName: in.FullName, Email: in.Email, Password: in.Password, SiteRole: in.SiteRole, AuthSetting: in.AuthSetting}
	var r userResponse
	if err := sv.s.Put(ctx, path, nil, userRequest{User: a}, &r); err != nil {
		return nil, err
	}
	if r.User == nil {
		return nil, fmt.Errorf("rest.%s: the response has no <user>", m)
	}
	r.User.ID = id
	return r.User, nil
}

// RemoveOptions are the options of [UsersService.Remove].
type RemoveOptions struct {
	// MapAssetsTo is the id of the user who receives the removed user's
	// content. Default: "" (a user who owns content is then not removed:
	// the server makes it Unlicensed and answers with an error matching
	// tableau.ErrConflict).
	MapAssetsTo string
}

// Remove removes the user with id from the site.
func (sv *UsersService) Remove(ctx context.Context, id string, opts *RemoveOptions) error {
	const m = "Users.Remove"
	if err := need(m, "id", id); err != nil {
		return err
	}
	var q url.Values
	if opts != nil && opts.MapAssetsTo != "" {
		if opts.MapAssetsTo == id {
			return fmt.Errorf("rest.%s: %w: MapAssetsTo is the user being removed", m, tableau.ErrInvalidArgument)
		}
		q = url.Values{"mapAssetsTo": {opts.MapAssetsTo}}
	}
	path, err := sv.sitePath(m, "users", id)
	if err != nil {
		return err
	}
	return sv.s.Delete(ctx, path, q)
}

// Groups returns a pager over the groups the user with id belongs to.
func (sv *UsersService) Groups(id string, opts *tableau.ListOptions) *tableau.Pager[Group] {
	const m = "Users.Groups"
	if err := need(m, "id", id); err != nil {
		return tableau.ErrorPager[Group](err)
	}
	path, err := sv.sitePath(m, "users", id, "groups")
	if err != nil {
		return tableau.ErrorPager[Group](err)
	}
	return tableau.PagedList(sv.s, path, opts, func(r *groupList) ([]Group, tableau.Pagination) {
		return r.Groups, r.Pagination
	})
}

// methodPost is http.MethodPost, named for the multipart helpers.
const methodPost = http.MethodPost

// WorkbooksOptions are the options of [UsersService.Workbooks].
type WorkbooksOptions struct {
	tableau.ListOptions
	// OwnedOnly lists only the workbooks the user owns. Default: false
	// (every workbook the user can read).
	OwnedOnly bool
}

// Workbooks returns a pager over the workbooks of the user with id.
func (sv *UsersService) Workbooks(id string, opts *WorkbooksOptions) *tableau.Pager[Workbook] {
	const m = "Users.Workbooks"
	if err := need(m, "id", id); err != nil {
		return tableau.ErrorPager[Workbook](err)
	}
	path, err := sv.sitePath(m, "users", id, "workbooks")
	if err != nil {
		return tableau.ErrorPager[Workbook](err)
	}
	var lo *tableau.ListOptions
	if opts != nil {
		lo = &opts.ListOptions
		if opts.OwnedOnly {
			path += "?ownedBy=true"
		}
	}
	type list struct {
		Pagination tableau.Pagination `xml:"pagination"`
		Workbooks  []Workbook         `xml:"workbooks>workbook"`
	}
	return tableau.PagedList(sv.s, path, lo, func(r *list) ([]Workbook, tableau.Pagination) {
		return r.Workbooks, r.Pagination
	})
}

// Favorites returns the favorites of the user with id (see also c.Favorites).
func (sv *UsersService) Favorites(ctx context.Context, id string) ([]Favorite, error) {
	return (&FavoritesService{sv.service}).List(ctx, id)
}
