package webhooks

import (
	"context"
	"errors"
	"fmt"

	"github.com/tableau-go/sdk/tableau"
)

// SessionConfirmer is a [Confirmer] that checks events against Tableau's REST
// API through a signed-in session (on the site the webhooks belong to):
//
//   - the event's site_luid must be the session's site;
//   - for data source, workbook and site events other than deletions, the
//     resource must exist (GET sites/{site}/datasources/{id}, .../workbooks/{id},
//     sites/{id});
//   - for DatasourceDeleted, WorkbookDeleted, ViewDeleted and SiteDeleted,
//     it must no longer exist.
//
// Other events (users, admins, labels, types this package does not know)
// cannot be checked this way: they are accepted unless RejectUnverifiable is
// set. An answer of 404 where the item should exist, or 200 where it should
// be gone, refuses the event ([ErrNotConfirmed]); any other failure (network,
// 5xx, rate limit) is returned as is, so the handler answers 503 and Tableau
// delivers again.
type SessionConfirmer struct {
	// Session is signed in to the site whose webhooks are received. Required.
	Session *tableau.Session
	// RejectUnverifiable refuses events whose resource cannot be looked up.
	// Default: false (they are accepted).
	RejectUnverifiable bool
}

// Confirm implements [Confirmer].
func (c *SessionConfirmer) Confirm(ctx context.Context, e *Event) error {
	if c == nil || c.Session == nil {
		return errors.New("webhooks: SessionConfirmer has no session")
	}
	site := c.Session.SiteID()
	if site == "" {
		return fmt.Errorf("webhooks: confirming an event: %w", tableau.ErrNotSignedIn)
	}
	if e.SiteLUID != site {
		return fmt.Errorf("%w: the event is for site %q, not the session's site", ErrNotConfirmed, e.SiteLUID)
	}
	if e.ResourceLUID == "" {
		return fmt.Errorf("%w: the event names no resource", ErrNotConfirmed)
	}
	var (
		path      string
		wantGone  bool
		what      string
		pathError error
	)
	switch e.Type {
	case DatasourceCreated, DatasourceUpdated, DatasourceRefreshStarted, DatasourceRefreshSucceeded, DatasourceRefreshFailed:
		path, pathError = c.Session.SitePath("datasources", e.ResourceLUID)
		what = "data source"
	case DatasourceDeleted:
		path, pathError = c.Session.SitePath("datasources", e.ResourceLUID)
		what, wantGone = "data source", true
	case WorkbookCreated, WorkbookUpdated, WorkbookRefreshStarted, WorkbookRefreshSucceeded, WorkbookRefreshFailed:
		path, pathError = c.Session.SitePath("workbooks", e.ResourceLUID)
		what = "workbook"
	case WorkbookDeleted:
		path, pathError = c.Session.SitePath("workbooks", e.ResourceLUID)
		what, wantGone = "workbook", true
	case ViewDeleted:
		path, pathError = c.Session.SitePath("views", e.ResourceLUID)
		what, wantGone = "view", true
	case SiteCreated, SiteUpdated:
		path, what = tableau.JoinPath("sites", e.ResourceLUID), "site"
	case SiteDeleted:
		path, what, wantGone = tableau.JoinPath("sites", e.ResourceLUID), "site", true
	default:
		if c.RejectUnverifiable {
			return fmt.Errorf("%w: %s events cannot be checked through REST", ErrNotConfirmed, e.Type)
		}
		return nil
	}
	if pathError != nil {
		return fmt.Errorf("webhooks: confirming an event: %w", pathError)
	}
	err := c.Session.Get(ctx, path, nil, nil)
	switch {
	case err == nil && wantGone:
		return fmt.Errorf("%w: %s %s still exists", ErrNotConfirmed, what, e.ResourceLUID)
	case err == nil:
		return nil
	case errors.Is(err, tableau.ErrNotFound) && wantGone:
		return nil
	case errors.Is(err, tableau.ErrNotFound):
		return fmt.Errorf("%w: %s %s does not exist", ErrNotConfirmed, what, e.ResourceLUID)
	default:
		return fmt.Errorf("webhooks: confirming %s %s: %w", what, e.ResourceLUID, err)
	}
}
