package webhooks

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/tableau-go/sdk/tableau"
)

// Item describes the workbook or data source an event is about, as the REST
// API returns it, for messages that need more than the payload carries.
type Item struct {
	// Kind is "workbook" or "datasource".
	Kind        string
	ID          string
	Name        string
	ContentURL  string
	Description string
	// WebpageURL is the item's page on Tableau, made absolute.
	WebpageURL  string
	ProjectID   string
	ProjectName string
	OwnerID     string
	OwnerName   string
	CreatedAt   time.Time
	UpdatedAt   time.Time
}

type wireItem struct {
	ID          string    `xml:"id,attr"`
	Name        string    `xml:"name,attr"`
	ContentURL  string    `xml:"contentUrl,attr"`
	Description string    `xml:"description,attr"`
	WebpageURL  string    `xml:"webpageUrl,attr"`
	CreatedAt   time.Time `xml:"createdAt,attr"`
	UpdatedAt   time.Time `xml:"updatedAt,attr"`
	Project     struct {
		ID   string `xml:"id,attr"`
		Name string `xml:"name,attr"`
	} `xml:"project"`
	Owner struct {
		ID   string `xml:"id,attr"`
		Name string `xml:"name,attr"`
	} `xml:"owner"`
}

// ErrNoItem: the event is not about a workbook or data source, or the item
// no longer exists.
var ErrNoItem = errors.New("webhooks: no workbook or data source for this event")

// LookupItem fetches the workbook or data source e is about through the
// REST API (Query Workbook / Query Data Source) on sess, signed in to the
// event's site. It returns an error wrapping [ErrNoItem] for other events and
// for items that are gone (deleted events, or deleted since), and other
// errors as they come (retry those).
func LookupItem(ctx context.Context, sess *tableau.Session, e *Event) (*Item, error) {
	var kind string
	switch e.Type {
	case WorkbookCreated, WorkbookUpdated, WorkbookRefreshStarted, WorkbookRefreshSucceeded, WorkbookRefreshFailed:
		kind = "workbook"
	case DatasourceCreated, DatasourceUpdated, DatasourceRefreshStarted, DatasourceRefreshSucceeded, DatasourceRefreshFailed:
		kind = "datasource"
	default:
		return nil, fmt.Errorf("%w: %s", ErrNoItem, e.Type)
	}
	if e.ResourceLUID == "" {
		return nil, fmt.Errorf("%w: the event names no resource", ErrNoItem)
	}
	path, err := sess.SitePath(kind+"s", e.ResourceLUID)
	if err != nil {
		return nil, err
	}
	var resp struct {
		Workbook   *wireItem `xml:"workbook"`
		Datasource *wireItem `xml:"datasource"`
	}
	if err := sess.Get(ctx, path, nil, &resp); err != nil {
		if errors.Is(err, tableau.ErrNotFound) {
			return nil, fmt.Errorf("%w: %s %s is gone", ErrNoItem, kind, e.ResourceLUID)
		}
		return nil, fmt.Errorf("webhooks: looking up %s %s: %w", kind, e.ResourceLUID, err)
	}
	w := resp.Workbook
	if kind == "datasource" {
		w = resp.Datasource
	}
	if w == nil {
		return nil, fmt.Errorf("webhooks: looking up %s %s: the answer has no <%s>", kind, e.ResourceLUID, kind)
	}
	return &Item{
		Kind: kind, ID: w.ID, Name: w.Name, ContentURL: w.ContentURL, Description: w.Description,
		WebpageURL: absolute(sess.Server(), w.WebpageURL),
		ProjectID:  w.Project.ID, ProjectName: w.Project.Name,
		OwnerID: w.Owner.ID, OwnerName: w.Owner.Name,
		CreatedAt: w.CreatedAt, UpdatedAt: w.UpdatedAt,
	}, nil
}

// absolute resolves a (possibly relative) page URL against the server URL.
func absolute(server, page string) string {
	if page == "" {
		return ""
	}
	if strings.HasPrefix(page, "http://") || strings.HasPrefix(page, "https://") {
		return page
	}
	base, err := url.Parse(server)
	if err != nil {
		return page
	}
	ref, err := url.Parse(page)
	if err != nil {
		return page
	}
	return base.ResolveReference(ref).String()
}
