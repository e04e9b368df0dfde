package webhooks

import "strings"

// EventType is the name Tableau puts in a payload's event_type field, such as
// "DatasourceRefreshFailed". The REST API names the same event with its
// webhook-source name (see [EventType.SourceName]).
type EventType string

// Resource is the kind of item an event is about, as Tableau's catalogue
// names it: DATASOURCE, WORKBOOK, EXTRACTS, VIEW, USER, SITE, LABEL.
type Resource string

// Resources named by Tableau's event catalogue.
const (
	ResourceDatasource Resource = "DATASOURCE"
	ResourceWorkbook   Resource = "WORKBOOK"
	ResourceExtracts   Resource = "EXTRACTS"
	ResourceView       Resource = "VIEW"
	ResourceUser       Resource = "USER"
	ResourceSite       Resource = "SITE"
	// ResourceLabel stands for label events, whose resource is the labelled
	// data source or workbook.
	ResourceLabel Resource = "LABEL"
)

// The events Tableau sends, by their payload (event_type) name.
const (
	DatasourceRefreshStarted   EventType = "DatasourceRefreshStarted"
	DatasourceRefreshSucceeded EventType = "DatasourceRefreshSucceeded"
	DatasourceRefreshFailed    EventType = "DatasourceRefreshFailed"
	DatasourceCreated          EventType = "DatasourceCreated"
	DatasourceUpdated          EventType = "DatasourceUpdated"
	DatasourceDeleted          EventType = "DatasourceDeleted"
	WorkbookRefreshStarted     EventType = "WorkbookRefreshStarted"
	WorkbookRefreshSucceeded   EventType = "WorkbookRefreshSucceeded"
	WorkbookRefreshFailed      EventType = "WorkbookRefreshFailed"
	WorkbookCreated            EventType = "WorkbookCreated"
	WorkbookUpdated            EventType = "WorkbookUpdated"
	WorkbookDeleted            EventType = "WorkbookDeleted"
	ViewDeleted                EventType = "ViewDeleted"
	UserDeleted                EventType = "UserDeleted"
	AdminPromoted              EventType = "AdminPromoted"
	AdminDemoted               EventType = "AdminDemoted"
	LabelCreated               EventType = "LabelCreated"
	LabelUpdated               EventType = "LabelUpdated"
	LabelDeleted               EventType = "LabelDeleted"
	SiteCreated                EventType = "SiteCreated"
	SiteUpdated                EventType = "SiteUpdated"
	SiteDeleted                EventType = "SiteDeleted"

	// EventTest is the type this package gives to the test delivery that
	// Tableau's "Test a Webhook" REST call sends: an empty payload (no body,
	// or a JSON object without event_type). It is not a Tableau event name.
	EventTest EventType = "WebhookTest"
)

// EventInfo describes one event of Tableau's catalogue.
type EventInfo struct {
	// Type is the payload name, e.g. "DatasourceRefreshFailed".
	Type EventType
	// Source is the REST API (webhook-source) name, e.g.
	// "webhook-source-event-datasource-refresh-failed".
	Source string
	// Resource is the kind of item the event is about.
	Resource Resource
}

// catalogue is Tableau's table of events ("Webhooks Events and Payloads"),
// in the order of that table. The webhook-source names are Tableau's own,
// irregularities included (the admin events lack "source", and LabelDeleted
// is documented as "webhook-source-event-label-LabelDeleted").
var catalogue = [...]EventInfo{
	{AdminPromoted, "webhook-event-user-promoted-admin", ResourceUser},
	{AdminDemoted, "webhook-event-user-demoted-admin", ResourceUser},
	{DatasourceUpdated, "webhook-source-event-datasource-updated", ResourceDatasource},
	{DatasourceCreated, "webhook-source-event-datasource-created", ResourceDatasource},
	{DatasourceDeleted, "webhook-source-event-datasource-deleted", ResourceDatasource},
	{DatasourceRefreshStarted, "webhook-source-event-datasource-refresh-started", ResourceExtracts},
	{DatasourceRefreshSucceeded, "webhook-source-event-datasource-refresh-succeeded", ResourceExtracts},
	{DatasourceRefreshFailed, "webhook-source-event-datasource-refresh-failed", ResourceExtracts},
	{LabelCreated, "webhook-source-event-label-created", ResourceLabel},
	{LabelUpdated, "webhook-source-event-label-updated", ResourceLabel},
	{LabelDeleted, "webhook-source-event-label-LabelDeleted", ResourceLabel},
	{SiteCreated, "webhook-source-event-site-created", ResourceSite},
	{SiteUpdated, "webhook-source-event-site-updated", ResourceSite},
	{SiteDeleted, "webhook-source-event-site-deleted", ResourceSite},
	{UserDeleted, "webhook-source-event-user-deleted", ResourceUser},
	{ViewDeleted, "webhook-source-event-view-deleted", ResourceView},
	{WorkbookUpdated, "webhook-source-event-workbook-updated", ResourceWorkbook},
	{WorkbookCreated, "webhook-source-event-workbook-created", ResourceWorkbook},
	{WorkbookDeleted, "webhook-source-event-workbook-deleted", ResourceWorkbook},
	{WorkbookRefreshStarted, "webhook-source-event-workbook-refresh-started", ResourceExtracts},
	{WorkbookRefreshSucceeded, "webhook-source-event-workbook-refresh-succeeded", ResourceExtracts},
	{WorkbookRefreshFailed, "webhook-source-event-workbook-refresh-failed", ResourceExtracts},
}

// Events returns Tableau's event catalogue (a fresh copy), without [EventTest].
func Events() []EventInfo {
	out := make([]EventInfo, len(catalogue))
	copy(out[:], catalogue[:])
	return out
}

// Info returns the catalogue entry of t, and false when Tableau's catalogue
// does not know t.
func (t EventType) Info() (EventInfo, bool) {
	for _, e := range catalogue {
		if e.Type == t {
			return e, true
		}
	}
	return EventInfo{}, false
}

// Known reports whether t is in Tableau's catalogue.
func (t EventType) Known() bool {
	_, ok := t.Info()
	return ok
}

// SourceName returns the REST API (webhook-source) name of t, or "" when t is
// not in the catalogue.
func (t EventType) SourceName() string {
	e, _ := t.Info()
	return e.Source
}

// ParseEventType accepts either name of an event, the payload name
// ("DatasourceRefreshFailed", case-insensitive) or the REST API name
// ("webhook-source-event-datasource-refresh-failed"), and returns its type.
// It returns an error wrapping [ErrUnknownEvent] for any other name.
func ParseEventType(name string) (EventType, error) {
	for _, e := range catalogue {
		if strings.EqualFold(string(e.Type), name) || strings.EqualFold(e.Source, name) {
			return e.Type, nil
		}
	}
	return "", &unknownEventError{name: name}
}
