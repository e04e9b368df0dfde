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
	// Tasks manages extract refresh and flow run tasks (tasks.go).
	Tasks *TasksService
}

func newGovernanceServices(base service) governanceServices {
	return governanceServices{
		Users:       &UsersService{base},
		Groups:      &GroupsService{base},
		GroupSets:   &GroupSetsService{base},
		Permissions: &PermissionsService{base},
		Webhooks:    &WebhooksService{base},
		Schedules:   &SchedulesService{base},
		Tasks:       &TasksService{base},
	}
}
