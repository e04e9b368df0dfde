package rest

import (
	"context"
	"fmt"
	"net/http"

	"github.com/tableau-go/sdk/tableau"
)

// Client is the Tableau REST API. Its services share one signed-in
// [tableau.Session]; use them as c.Sites, c.Projects and so on. A Client is
// safe for concurrent use.
type Client struct {
	// Session is the session every service sends through.
	Session *tableau.Session

	// Services, one per resource, each in its own file. To add one: write
	// rest/<resource>.go with `type XService struct{ service }`, add a field
	// here and one line in NewClient.
	//
	// Sites manages sites.
	Sites *SitesService
	// Projects manages projects, nested or not.
	Projects *ProjectsService

	// Workbooks publishes, lists, downloads, refreshes and exports workbooks.
	Workbooks *WorkbooksService
	// Datasources publishes, lists, downloads and refreshes datasources.
	Datasources *DatasourcesService
	// Views lists views and exports them.
	Views *ViewsService
	// Jobs reads, lists, cancels and waits for jobs.
	Jobs *JobsService
	// FileUploads sends large files in chunks.
	FileUploads *FileUploadsService

	// Users manages the site's users.
	Users *UsersService
	// Groups manages local and Active Directory groups.
	Groups *GroupsService
	// GroupSets manages group sets.
	GroupSets *GroupSetsService
	// Permissions reads and changes permissions.
	Permissions *PermissionsService
	// Webhooks manages webhooks.
	Webhooks *WebhooksService
	// Schedules manages server schedules.
	Schedules *SchedulesService
	// Tasks manages extract refresh, flow run and linked tasks.
	Tasks *TasksService
	// Favorites manages users' favorites.
	Favorites *FavoritesService
	// Subscriptions manages subscriptions.
	Subscriptions *SubscriptionsService
	// DataAlerts manages data-driven alerts.
	DataAlerts *DataAlertsService
	// CustomViews manages custom views.
	CustomViews *CustomViewsService
	// Tags tags many items at once.
	Tags *TagsService
	// DataQualityWarnings manages data quality warnings.
	DataQualityWarnings *DQWService
	// Flows manages Prep flows.
	Flows *FlowsService
	// FlowRuns follows and cancels flow runs.
	FlowRuns *FlowRunsService
	// Metrics manages metrics.
	Metrics *MetricsService
	// VirtualConnections manages virtual connections.
	VirtualConnections *VirtualConnectionsService
	// Databases reads and annotates Catalog databases.
	Databases *DatabasesService
	// Tables reads and annotates Catalog tables and their columns.
	Tables *TablesService
	// SiteSettings reads and changes extension settings.
	SiteSettings *SiteSettingsService
	// OIDC manages a Tableau Cloud site's OpenID Connect configurations.
	OIDC *OIDCService
	// DataAcceleration reads the data acceleration report.
	DataAcceleration *DataAccelerationService
	// Auth revokes server administrators' personal access tokens.
	Auth *AuthService
}

// NewClient returns a client over s. It does no I/O: sign s in before
// calling the services (or use [SignIn]).
func NewClient(s *tableau.Session) *Client {
	base := service{s: s}
	c := &Client{Session: s}
	c.Sites = &SitesService{base}
	c.Projects = &ProjectsService{base}
	c.Workbooks = &WorkbooksService{base}
	c.Datasources = &DatasourcesService{base}
	c.Views = &ViewsService{base}
	c.Jobs = &JobsService{base}
	c.FileUploads = &FileUploadsService{base}
	c.Users = &UsersService{base}
	c.Groups = &GroupsService{base}
	c.GroupSets = &GroupSetsService{base}
	c.Permissions = &PermissionsService{base}
	c.Webhooks = &WebhooksService{base}
	c.Schedules = &SchedulesService{base}
	c.Tasks = &TasksService{base}
	c.Favorites = &FavoritesService{base}
	c.Subscriptions = &SubscriptionsService{base}
	c.DataAlerts = &DataAlertsService{base}
	c.CustomViews = &CustomViewsService{base}
	c.Tags = &TagsService{base}
	c.DataQualityWarnings = &DQWService{base}
	c.Flows = &FlowsService{base}
	c.FlowRuns = &FlowRunsService{base}
	c.Metrics = &MetricsService{base}
	c.VirtualConnections = &VirtualConnectionsService{base}
	c.Databases = &DatabasesService{base}
	c.Tables = &TablesService{base}
	c.SiteSettings = &SiteSettingsService{base}
	c.OIDC = &OIDCService{base}
	c.DataAcceleration = &DataAccelerationService{base}
	c.Auth = &AuthService{base}
	return c
}

// SignIn creates a session from cfg, signs it in and returns a client over
// it. Sign out with c.Session.SignOut.
func SignIn(ctx context.Context, cfg tableau.Config) (*Client, error) {
	s, err := tableau.NewSession(cfg)
	if err != nil {
		return nil, err
	}
	if err := s.SignIn(ctx); err != nil {
		return nil, err
	}
	return NewClient(s), nil
}

// service is what every service shares: the session and small helpers.
type service struct {
	s *tableau.Session
}

// sitePath is tableau.Session.SitePath with the method named in its error.
func (sv service) sitePath(method string, elem ...string) (string, error) {
	p, err := sv.s.SitePath(elem...)
	if err != nil {
		return "", fmt.Errorf("rest.%s: %w", method, err)
	}
	return p, nil
}

// need returns an ErrInvalidArgument error when a required argument is empty.
func need(method, name, value string) error {
	if value == "" {
		return fmt.Errorf("rest.%s: %w: %s is empty", method, tableau.ErrInvalidArgument, name)
	}
	return nil
}

// sendOne sends a GET, POST or PUT to the site path elem (body is ignored
// for GET) and returns the element pick finds in the response; m names the
// method in errors and elemName the element a response must carry.
func sendOne[R, T any](ctx context.Context, sv service, m, method, elemName string, body any, pick func(*R) *T, elem ...string) (*T, error) {
	path, err := sv.sitePath(m, elem...)
	if err != nil {
		return nil, err
	}
	var r R
	switch method {
	case http.MethodGet:
		err = sv.s.Get(ctx, path, nil, &r)
	case http.MethodPost:
		err = sv.s.Post(ctx, path, nil, body, &r)
	case http.MethodPut:
		err = sv.s.Put(ctx, path, nil, body, &r)
	default:
		return nil, fmt.Errorf("rest.%s: method %s is not GET, POST or PUT", m, method)
	}
	if err != nil {
		return nil, err
	}
	if v := pick(&r); v != nil {
		return v, nil
	}
	return nil, fmt.Errorf("rest.%s: the response has no <%s>", m, elemName)
}
