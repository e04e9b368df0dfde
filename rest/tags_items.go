package rest

import "context"

// This file holds the per-item tag methods of flows, virtual connections,
// tables, databases and metrics (Add Tags to ..., Delete Tag from ...).
// [TagsService] tags many items of any kind in one request.

// AddTags adds tags to a flow and returns the flow's tags.
func (sv *FlowsService) AddTags(ctx context.Context, id string, tags ...string) ([]string, error) {
	return sv.addTags(ctx, "Flows.AddTags", "flows", id, tags)
}

// DeleteTag removes a tag from a flow.
func (sv *FlowsService) DeleteTag(ctx context.Context, id, tag string) error {
	return sv.deleteTag(ctx, "Flows.DeleteTag", "flows", id, tag)
}

// AddTags adds tags to a virtual connection and returns its tags.
func (sv *VirtualConnectionsService) AddTags(ctx context.Context, id string, tags ...string) ([]string, error) {
	return sv.addTags(ctx, "VirtualConnections.AddTags", "virtualConnections", id, tags)
}

// DeleteTag removes a tag from a virtual connection.
func (sv *VirtualConnectionsService) DeleteTag(ctx context.Context, id, tag string) error {
	return sv.deleteTag(ctx, "VirtualConnections.DeleteTag", "virtualConnections", id, tag)
}

// AddTags adds tags to a table and returns the table's tags.
func (sv *TablesService) AddTags(ctx context.Context, id string, tags ...string) ([]string, error) {
	return sv.addTags(ctx, "Tables.AddTags", "tables", id, tags)
}

// DeleteTag removes a tag from a table.
func (sv *TablesService) DeleteTag(ctx context.Context, id, tag string) error {
	return sv.deleteTag(ctx, "Tables.DeleteTag", "tables", id, tag)
}

// AddTags adds tags to a database and returns the database's tags.
func (sv *DatabasesService) AddTags(ctx context.Context, id string, tags ...string) ([]string, error) {
	return sv.addTags(ctx, "Databases.AddTags", "databases", id, tags)
}

// DeleteTag removes a tag from a database.
func (sv *DatabasesService) DeleteTag(ctx context.Context, id, tag string) error {
	return sv.deleteTag(ctx, "Databases.DeleteTag", "databases", id, tag)
}

// AddTags adds tags to a metric and returns the metric's tags.
func (sv *MetricsService) AddTags(ctx context.Context, id string, tags ...string) ([]string, error) {
	return sv.addTags(ctx, "Metrics.AddTags", "metrics", id, tags)
}

// DeleteTag removes a tag from a metric.
func (sv *MetricsService) DeleteTag(ctx context.Context, id, tag string) error {
	return sv.deleteTag(ctx, "Metrics.DeleteTag", "metrics", id, tag)
}
