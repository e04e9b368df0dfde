package tableautest

import (
	"slices"
	"sync"
	"time"
)

// Webhook event names (the REST API's webhook source event names) that the
// content resources emit.
const (
	eventWorkbookCreated          = "webhook-source-event-workbook-created"
	eventWorkbookUpdated          = "webhook-source-event-workbook-updated"
	eventWorkbookDeleted          = "webhook-source-event-workbook-deleted"
	eventWorkbookRefreshStarted   = "webhook-source-event-workbook-refresh-started"
	eventWorkbookRefreshSucceeded = "webhook-source-event-workbook-refresh-succeeded"
	eventWorkbookRefreshFailed    = "webhook-source-event-workbook-refresh-failed"

	eventDatasourceCreated          = "webhook-source-event-datasource-created"
	eventDatasourceUpdated          = "webhook-source-event-datasource-updated"
	eventDatasourceDeleted          = "webhook-source-event-datasource-deleted"
	eventDatasourceRefreshStarted   = "webhook-source-event-datasource-refresh-started"
	eventDatasourceRefreshSucceeded = "webhook-source-event-datasource-refresh-succeeded"
	eventDatasourceRefreshFailed    = "webhook-source-event-datasource-refresh-failed"
)

// event is something that happened to a resource, for webhook delivery.
type event struct {
	SiteID         string
	SiteContentURL string
	// Type is the webhook source event's REST API name, for example
	// "webhook-source-event-workbook-created".
	Type string
	// ResourceType is "workbook" or "datasource".
	ResourceType string
	ResourceID   string
	ResourceName string
	At           time.Time
}

// eventBus fans events out to subscribers. It has its own lock and is not
// guarded by store.mu.
type eventBus struct {
	mu   sync.RWMutex
	subs []func(event)
}

// emit delivers e to every subscriber, in subscription order, on the
// calling goroutine. Callers must not hold store.mu, so subscribers may read
// the store; subscribers must return quickly (start a goroutine for I/O).
func (s *Server) emit(e event) {
	if e.At.IsZero() {
		e.At = s.now()
	}
	b := &s.store.content.bus
	b.mu.RLock()
	subs := slices.Clone(b.subs)
	b.mu.RUnlock()
	for _, fn := range subs {
		fn(e)
	}
}

// onEvent subscribes fn to every event emitted from now on.
func (s *Server) onEvent(fn func(event)) {
	b := &s.store.content.bus
	b.mu.Lock()
	b.subs = append(b.subs, fn)
	b.mu.Unlock()
}
