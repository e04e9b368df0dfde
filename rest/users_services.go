package rest

// governanceServices are the services of users, groups, group sets,
// permissions, webhooks, schedules and tasks. [Client] embeds them: use
// them as c.Users, c.Groups and so on.
type governanceServices struct {
	// Users manages the site's users (users.go, users_bulk.go).
	Users *UsersService
	// Groups manages local and Active Directory groups (groups.go).
	Groups *GroupsService
	// GroupSets manages group sets (groupsets.go).
	GroupSets *GroupSetsService
	// Permissions reads and changes permissions (permissions.go).
	Permissions *PermissionsService
	// Webhooks manages webhooks (webhooks.go).
	Webhooks *WebhooksService
	// Schedules manages server schedules (schedules.go).
	Schedules *SchedulesService
	// Tasks manages extract refresh, flow run and linked tasks (tasks.go, tasks_flows.go).
	Tasks *TasksService
	// Favorites manages users' favorites (favorites.go).
	Favorites *FavoritesService
	// Subscriptions manages subscriptions (subscriptions.go).
	Subscriptions *SubscriptionsService
	// DataAlerts manages data-driven alerts (dataalerts.go).
	DataAlerts *DataAlertsService
	// CustomViews manages custom views (customviews.go).
	CustomViews *CustomViewsService
	// Tags tags many items at once (tags.go).
	Tags *TagsService
	// DataQualityWarnings manages data quality warnings (dqw.go).
	DataQualityWarnings *DQWService
	// Flows manages Prep flows (flows.go).
	Flows *FlowsService
	// FlowRuns follows and cancels flow runs (flowruns.go).
	FlowRuns *FlowRunsService
	// Metrics manages metrics (metrics.go).
	Metrics *MetricsService
	// VirtualConnections manages virtual connections (virtualconnections.go).
	VirtualConnections *VirtualConnectionsService
	// Databases and Tables read and annotate Catalog assets (databases.go, tables.go).
	Databases *DatabasesService
	Tables    *TablesService
	// SiteSettings reads and changes extension settings (sitesettings.go).
	SiteSettings *SiteSettingsService
}

func newGovernanceServices(base service) governanceServices {
	return governanceServices{
		Users:               &UsersService{base},
		Groups:              &GroupsService{base},
		GroupSets:           &GroupSetsService{base},
		Permissions:         &PermissionsService{base},
		Webhooks:            &WebhooksService{base},
		Schedules:           &SchedulesService{base},
		Tasks:               &TasksService{base},
		Favorites:           &FavoritesService{base},
		Subscriptions:       &SubscriptionsService{base},
		DataAlerts:          &DataAlertsService{base},
		CustomViews:         &CustomViewsService{base},
		Tags:                &TagsService{base},
		DataQualityWarnings: &DQWService{base},
		Flows:               &FlowsService{base},
		FlowRuns:            &FlowRunsService{base},
		Metrics:             &MetricsService{base},
		VirtualConnections:  &VirtualConnectionsService{base},
		Databases:           &DatabasesService{base},
		Tables:              &TablesService{base},
		SiteSettings:        &SiteSettingsService{base},
	}
}
