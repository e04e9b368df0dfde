package rest

import (
	"context"
	"encoding/xml"
	"fmt"
	"net/url"
	"strconv"

	"github.com/tableau-go/sdk/tableau"
)

// Site is a Tableau site.
type Site struct {
	ID                     string `xml:"id,attr"`
	Name                   string `xml:"name,attr"`
	ContentURL             string `xml:"contentUrl,attr"` // "" is the Default site
	AdminMode              string `xml:"adminMode,attr"`  // ContentAndUsers or ContentOnly
	State                  string `xml:"state,attr"`      // Active or Suspended
	UserQuota              int    `xml:"userQuota,attr"`  // 0 when the site has no user quota
	StorageQuota           int    `xml:"storageQuota,attr"`
	DisableSubscriptions   bool   `xml:"disableSubscriptions,attr"`
	RevisionHistoryEnabled bool   `xml:"revisionHistoryEnabled,attr"`
	RevisionLimit          int    `xml:"revisionLimit,attr"`
}

// Site admin modes.
const (
	AdminModeContentAndUsers = "ContentAndUsers"
	AdminModeContentOnly     = "ContentOnly"
)

// Site states.
const (
	SiteActive    = "Active"
	SiteSuspended = "Suspended"
)

// SitesService manages sites (server administrators). c.Sites.
type SitesService struct{ service }

type siteResponse struct {
	Site *Site `xml:"site"`
}

type siteList struct {
	Pagination tableau.Pagination `xml:"pagination"`
	Sites      []Site             `xml:"sites>site"`
}

// List returns a pager over the sites the user can see (every site for a
// server administrator). Filter fields: name, contentUrl, state, createdAt.
func (sv *SitesService) List(opts *tableau.ListOptions) *tableau.Pager[Site] {
	return tableau.PagedList(sv.s, "sites", opts, func(r *siteList) ([]Site, tableau.Pagination) {
		return r.Sites, r.Pagination
	})
}

// Get returns the site with id. The REST API answers only for the site the
// session is signed in to (403 otherwise): use GetByName or GetByContentURL
// for other sites, or switch to it with [tableau.Session.SwitchSite].
func (sv *SitesService) Get(ctx context.Context, id string) (*Site, error) {
	if err := need("Sites.Get", "id", id); err != nil {
		return nil, err
	}
	return sv.get(ctx, id, nil)
}

// GetByName returns the site named name.
func (sv *SitesService) GetByName(ctx context.Context, name string) (*Site, error) {
	if err := need("Sites.GetByName", "name", name); err != nil {
		return nil, err
	}
	return sv.get(ctx, name, url.Values{"key": {"name"}})
}

// GetByContentURL returns the site with that content URL. The Default
// site's content URL is "", which the REST API cannot look up: use Get
// with its id (or the session's [tableau.Session.SiteID]).
func (sv *SitesService) GetByContentURL(ctx context.Context, contentURL string) (*Site, error) {
	if err := need("Sites.GetByContentURL", "contentURL", contentURL); err != nil {
		return nil, err
	}
	return sv.get(ctx, contentURL, url.Values{"key": {"contentUrl"}})
}

func (sv *SitesService) get(ctx context.Context, ref string, q url.Values) (*Site, error) {
	var r siteResponse
	if err := sv.s.Get(ctx, tableau.JoinPath("sites", ref), q, &r); err != nil {
		return nil, err
	}
	if r.Site == nil {
		return nil, fmt.Errorf("rest: site response has no <site>")
	}
	return r.Site, nil
}

// SiteCreate describes a new site.
type SiteCreate struct {
	Name       string // required
	ContentURL string // required: letters, digits, "-" and "_"
	// AdminMode is ContentAndUsers or ContentOnly. Default: ContentAndUsers.
	AdminMode string
	// UserQuota limits the site's users; not with ContentOnly. Default: 0 (no quota).
	UserQuota int
	// StorageQuota limits the site's storage in MB. Default: 0 (no quota).
	StorageQuota int
	// DisableSubscriptions turns subscriptions off. Default: false.
	DisableSubscriptions bool
}

// SiteUpdate changes a site; nil fields stay as they are.
type SiteUpdate struct {
	Name                   *string
	ContentURL             *string
	AdminMode              *string
	State                  *string // Active or Suspended
	UserQuota              *int
	StorageQuota           *int
	DisableSubscriptions   *bool
	RevisionHistoryEnabled *bool
	RevisionLimit          *int
}

type siteRequest struct {
	XMLName xml.Name `xml:"tsRequest"`
	Site    siteAttrs
}

type siteAttrs struct {
	XMLName                xml.Name `xml:"site"`
	Name                   *string  `xml:"name,attr,omitempty"`
	ContentURL             *string  `xml:"contentUrl,attr,omitempty"`
	AdminMode              *string  `xml:"adminMode,attr,omitempty"`
	State                  *string  `xml:"state,attr,omitempty"`
	UserQuota              *string  `xml:"userQuota,attr,omitempty"`
	StorageQuota           *string  `xml:"storageQuota,attr,omitempty"`
	DisableSubscriptions   *string  `xml:"disableSubscriptions,attr,omitempty"`
	RevisionHistoryEnabled *string  `xml:"revisionHistoryEnabled,attr,omitempty"`
	RevisionLimit          *string  `xml:"revisionLimit,attr,omitempty"`
}

func strp(s string) *string { return &s }

func intp(n *int) *string {
	if n == nil {
		return nil
	}
	return strp(strconv.Itoa(*n))
}

func boolp(b *bool) *string {
	if b == nil {
		return nil
	}
	return strp(strconv.FormatBool(*b))
}

func validAdminMode(m string) bool { return m == AdminModeContentAndUsers || m == AdminModeContentOnly }

// Create creates a site (server administrators only).
func (sv *SitesService) Create(ctx context.Context, in SiteCreate) (*Site, error) {
	const m = "Sites.Create"
	if err := need(m, "Name", in.Name); err != nil {
		return nil, err
	}
	if err := need(m, "ContentURL", in.ContentURL); err != nil {
		return nil, err
	}
	if in.AdminMode != "" && !validAdminMode(in.AdminMode) {
		return nil, fmt.Errorf("rest.%s: %w: AdminMode %q is not ContentAndUsers or ContentOnly", m, tableau.ErrInvalidArgument, in.AdminMode)
	}
	if in.UserQuota < 0 || in.StorageQuota < 0 {
		return nil, fmt.Errorf("rest.%s: %w: quotas must not be negative", m, tableau.ErrInvalidArgument)
	}
	if in.AdminMode == AdminModeContentOnly && in.UserQuota > 0 {
		return nil, fmt.Errorf("rest.%s: %w: a site in ContentOnly admin mode cannot have a user quota", m, tableau.ErrInvalidArgument)
	}
	a := siteAttrs{Name: strp(in.Name), ContentURL: strp(in.ContentURL)}
	if in.AdminMode != "" {
		a.AdminMode = strp(in.AdminMode)
	}
	if in.UserQuota > 0 {
		a.UserQuota = intp(&in.UserQuota)
	}
	if in.StorageQuota > 0 {
		a.StorageQuota = intp(&in.StorageQuota)
	}
	if in.DisableSubscriptions {
		a.DisableSubscriptions = strp("true")
	}
	var r siteResponse
	if err := sv.s.Post(ctx, "sites", nil, siteRequest{Site: a}, &r); err != nil {
		return nil, err
	}
	if r.Site == nil {
		return nil, fmt.Errorf("rest.%s: the response has no <site>", m)
	}
	return r.Site, nil
}

// Update changes the site with id and returns it.
func (sv *SitesService) Update(ctx context.Context, id string, in SiteUpdate) (*Site, error) {
	const m = "Sites.Update"
	if err := need(m, "id", id); err != nil {
		return nil, err
	}
	if in.AdminMode != nil && !validAdminMode(*in.AdminMode) {
		return nil, fmt.Errorf("rest.%s: %w: AdminMode %q is not ContentAndUsers or ContentOnly", m, tableau.ErrInvalidArgument, *in.AdminMode)
	}
	if in.State != nil && *in.State != SiteActive && *in.State != SiteSuspended {
		return nil, fmt.Errorf("rest.%s: %w: State %q is not Active or Suspended", m, tableau.ErrInvalidArgument, *in.State)
	}
	if in.Name != nil && *in.Name == "" {
		return nil, fmt.Errorf("rest.%s: %w: Name is empty", m, tableau.ErrInvalidArgument)
	}
	a := siteAttrs{
		Name: in.Name, ContentURL: in.ContentURL, AdminMode: in.AdminMode, State: in.State,
		UserQuota: intp(in.UserQuota), StorageQuota: intp(in.StorageQuota),
		DisableSubscriptions: boolp(in.DisableSubscriptions), RevisionHistoryEnabled: boolp(in.RevisionHistoryEnabled),
		RevisionLimit: intp(in.RevisionLimit),
	}
	var r siteResponse
	if err := sv.s.Put(ctx, tableau.JoinPath("sites", id), nil, siteRequest{Site: a}, &r); err != nil {
		return nil, err
	}
	if r.Site == nil {
		return nil, fmt.Errorf("rest.%s: the response has no <site>", m)
	}
	return r.Site, nil
}

// Delete deletes the site with id and everything on it.
func (sv *SitesService) Delete(ctx context.Context, id string) error {
	if err := need("Sites.Delete", "id", id); err != nil {
		return err
	}
	return sv.s.Delete(ctx, tableau.JoinPath("sites", id), nil)
}
