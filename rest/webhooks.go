package rest

import (
	"context"
	"encoding/xml"
	"fmt"
	"net"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/tableau-go/sdk/tableau"
)

// WebhookEvent is one event Tableau can send to a webhook: its REST API
// (webhook-source) name and the event_type of its payload.
type WebhookEvent struct {
	Source  string // for example "webhook-source-event-datasource-refresh-failed"
	Payload string // for example "DatasourceRefreshFailed"
}

// webhookEvents is Tableau's table of webhook events, irregular names included.
var webhookEvents = []WebhookEvent{
	{"webhook-event-user-promoted-admin", "AdminPromoted"},
	{"webhook-event-user-demoted-admin", "AdminDemoted"},
	{"webhook-source-event-datasource-updated", "DatasourceUpdated"},
	{"webhook-source-event-datasource-created", "DatasourceCreated"},
	{"webhook-source-event-datasource-deleted", "DatasourceDeleted"},
	{"webhook-source-event-datasource-refresh-started", "DatasourceRefreshStarted"},
	{"webhook-source-event-datasource-refresh-succeeded", "DatasourceRefreshSucceeded"},
	{"webhook-source-event-datasource-refresh-failed", "DatasourceRefreshFailed"},
	{"webhook-source-event-label-created", "LabelCreated"},
	{"webhook-source-event-label-updated", "LabelUpdated"},
	{"webhook-source-event-label-LabelDeleted", "LabelDeleted"},
	{"webhook-source-event-site-created", "SiteCreated"},
	{"webhook-source-event-site-updated", "SiteUpdated"},
	{"webhook-source-event-site-deleted", "SiteDeleted"},
	{"webhook-source-event-user-deleted", "UserDeleted"},
	{"webhook-source-event-view-deleted", "ViewDeleted"},
	{"webhook-source-event-workbook-updated", "WorkbookUpdated"},
	{"webhook-source-event-workbook-created", "WorkbookCreated"},
	{"webhook-source-event-workbook-deleted", "WorkbookDeleted"},
	{"webhook-source-event-workbook-refresh-started", "WorkbookRefreshStarted"},
	{"webhook-source-event-workbook-refresh-succeeded", "WorkbookRefreshSucceeded"},
	{"webhook-source-event-workbook-refresh-failed", "WorkbookRefreshFailed"},
}

// WebhookEvents returns every event a webhook can subscribe to.
func WebhookEvents() []WebhookEvent { return append([]WebhookEvent(nil), webhookEvents...) }

// LookupWebhookEvent accepts either name of an event (REST API name, or
// payload name ignoring case) and returns it.
func LookupWebhookEvent(name string) (WebhookEvent, bool) {
	for _, e := range webhookEvents {
		if e.Source == name || strings.EqualFold(e.Payload, name) {
			return e, true
		}
	}
	return WebhookEvent{}, false
}

// Webhook is a webhook of the signed-in site.
type Webhook struct {
	ID                 string
	Name               string
	Enabled            bool
	StatusChangeReason string
	// Event is the REST API (webhook-source) name of the event.
	Event     string
	URL       string
	Owner     Owner
	CreatedAt time.Time
	UpdatedAt time.Time
}

type webhookXML struct {
	ID                 string    `xml:"id,attr"`
	Name               string    `xml:"name,attr"`
	IsEnabled          string    `xml:"isEnabled,attr"`
	StatusChangeReason string    `xml:"statusChangeReason,attr"`
	Event              string    `xml:"event,attr"`
	CreatedAt          time.Time `xml:"createdAt,attr"`
	UpdatedAt          time.Time `xml:"updatedAt,attr"`
	Source             *struct {
		Events []struct {
			XMLName xml.Name
		} `xml:",any"`
	} `xml:"webhook-source"`
	Destination *struct {
		HTTP *struct {
			Method string `xml:"method,attr"`
			URL    string `xml:"url,attr"`
		} `xml:"webhook-destination-http"`
	} `xml:"webhook-destination"`
	Owner Owner `xml:"owner"`
}

func (w *webhookXML) decode() Webhook {
	out := Webhook{ID: w.ID, Name: w.Name, Enabled: w.IsEnabled != "false", StatusChangeReason: w.StatusChangeReason,
		Owner: w.Owner, CreatedAt: w.CreatedAt, UpdatedAt: w.UpdatedAt}
	if w.Source != nil && len(w.Source.Events) > 0 {
		out.Event = w.Source.Events[0].XMLName.Local
	} else if e, ok := LookupWebhookEvent(w.Event); ok {
		out.Event = e.Source
	}
	if w.Destination != nil && w.Destination.HTTP != nil {
		out.URL = w.Destination.HTTP.URL
	}
	return out
}

// WebhooksService manages the webhooks of the signed-in site. c.Webhooks.
type WebhooksService struct{ service }

type webhookList struct {
	Pagination tableau.Pagination `xml:"pagination"`
	Webhooks   []webhookXML       `xml:"webhooks>webhook"`
}

type webhookResponse struct {
	Webhook *webhookXML `xml:"webhook"`
}

// List returns the site's webhooks.
func (sv *WebhooksService) List(ctx context.Context) ([]Webhook, error) {
	path, err := sv.sitePath("Webhooks.List", "webhooks")
	if err != nil {
		return nil, err
	}
	pager := tableau.PagedList(sv.s, path, nil, func(r *webhookList) ([]webhookXML, tableau.Pagination) {
		return r.Webhooks, r.Pagination
	})
	var out []Webhook
	for w, err := range pager.All(ctx) {
		if err != nil {
			return out, err
		}
		out = append(out, w.decode())
	}
	return out, nil
}

// Get returns the webhook with id.
func (sv *WebhooksService) Get(ctx context.Context, id string) (*Webhook, error) {
	const m = "Webhooks.Get"
	if err := need(m, "id", id); err != nil {
		return nil, err
	}
	path, err := sv.sitePath(m, "webhooks", id)
	if err != nil {
		return nil, err
	}
	var r webhookResponse
	if err := sv.s.Get(ctx, path, nil, &r); err != nil {
		return nil, err
	}
	if r.Webhook == nil {
		return nil, fmt.Errorf("rest.%s: the response has no <webhook>", m)
	}
	w := r.Webhook.decode()
	return &w, nil
}

// DestinationOptions say which destination URLs are acceptable.
type DestinationOptions struct {
	// AllowLoopbackHTTP accepts plain http:// to 127.0.0.1, ::1 or
	// localhost, which only the emulator (tableautest) delivers to;
	// Tableau requires https. Default: false.
	AllowLoopbackHTTP bool
}

// CheckDestination reports why raw cannot be a webhook destination: it must
// be an absolute https URL with a host and no user name or password (or,
// with AllowLoopbackHTTP, plain http to a loopback address).
func CheckDestination(raw string, opts *DestinationOptions) error {
	u, err := url.Parse(raw)
	if err != nil {
		return fmt.Errorf("%w: webhook destination %q is not a URL: %v", tableau.ErrInvalidArgument, raw, err)
	}
	if !u.IsAbs() || u.Host == "" {
		return fmt.Errorf("%w: webhook destination %q is not an absolute URL with a host", tableau.ErrInvalidArgument, raw)
	}
	if u.User != nil {
		return fmt.Errorf("%w: webhook destination must not carry a user name or password", tableau.ErrInvalidArgument)
	}
	if u.Fragment != "" {
		return fmt.Errorf("%w: webhook destination %q has a #fragment", tableau.ErrInvalidArgument, raw)
	}
	if p := u.Port(); p != "" {
		if n, err := strconv.Atoi(p); err != nil || n < 1 || n > 65535 {
			return fmt.Errorf("%w: webhook destination %q has port %q", tableau.ErrInvalidArgument, raw, p)
		}
	}
	switch u.Scheme {
	case "https":
		return nil
	case "http":
		host := u.Hostname()
		ip := net.ParseIP(host)
		if opts != nil && opts.AllowLoopbackHTTP && (host == "localhost" || (ip != nil && ip.IsLoopback())) {
			return nil
		}
		return fmt.Errorf("%w: webhook destination %q must use https", tableau.ErrInvalidArgument, raw)
	}
	return fmt.Errorf("%w: webhook destination %q: scheme %q is not https", tableau.ErrInvalidArgument, raw, u.Scheme)
}

// WebhookCreate describes a new webhook.
type WebhookCreate struct {
	Name string // required
	// Event is the event's REST API name or payload name (see
	// [WebhookEvents]); required.
	Event string
	// URL is the destination; checked with [CheckDestination]. Required.
	URL string
	// Disabled creates the webhook disabled. Default: false (enabled).
	Disabled bool
	// Destination options for the URL check. Default: https only.
	Destination *DestinationOptions
}

// WebhookUpdate changes a webhook; nil fields stay as they are.
type WebhookUpdate struct {
	Name        *string
	Event       *string
	URL         *string
	Enabled     *bool
	Destination *DestinationOptions
}

type webhookRequest struct {
	XMLName xml.Name `xml:"tsRequest"`
	Webhook struct {
		Name      *string `xml:"name,attr,omitempty"`
		IsEnabled *string `xml:"isEnabled,attr,omitempty"`
		Source    *struct {
			Event struct{ XMLName xml.Name }
		} `xml:"webhook-source,omitempty"`
		Destination *struct {
			HTTP struct {
				Method string `xml:"method,attr"`
				URL    string `xml:"url,attr"`
			} `xml:"webhook-destination-http"`
		} `xml:"webhook-destination,omitempty"`
	} `xml:"webhook"`
}

func (req *webhookRequest) setEvent(m, name string) error {
	e, ok := LookupWebhookEvent(name)
	if !ok {
		return fmt.Errorf("rest.%s: %w: %q is not a Tableau webhook event (see rest.WebhookEvents)", m, tableau.ErrInvalidArgument, name)
	}
	req.Webhook.Source = &struct {
		Event struct{ XMLName xml.Name }
	}{}
	req.Webhook.Source.Event.XMLName = xml.Name{Local: e.Source}
	return nil
}

func (req *webhookRequest) setURL(m, raw string, opts *DestinationOptions) error {
	if err := CheckDestination(raw, opts); err != nil {
		return fmt.Errorf("rest.%s: %w", m, err)
	}
	req.Webhook.Destination = &struct {
		HTTP struct {
			Method string `xml:"method,attr"`
			URL    string `xml:"url,attr"`
		} `xml:"webhook-destination-http"`
	}{}
	req.Webhook.Destination.HTTP.Method = "POST"
	req.Webhook.Destination.HTTP.URL = raw
	return nil
}

// Create creates a webhook. The event and the destination URL are checked
// before the request.
func (sv *WebhooksService) Create(ctx context.Context, in WebhookCreate) (*Webhook, error) {
	const m = "Webhooks.Create"
	if strings.TrimSpace(in.Name) == "" {
		return nil, fmt.Errorf("rest.%s: %w: Name is empty", m, tableau.ErrInvalidArgument)
	}
	var req webhookRequest
	req.Webhook.Name = strp(in.Name)
	if err := req.setEvent(m, in.Event); err != nil {
		return nil, err
	}
	if err := req.setURL(m, in.URL, in.Destination); err != nil {
		return nil, err
	}
	if in.Disabled {
		req.Webhook.IsEnabled = strp("false")
	}
	return sv.send(ctx, m, "POST", req, "webhooks")
}

// Update changes the webhook with id.
func (sv *WebhooksService) Update(ctx context.Context, id string, in WebhookUpdate) (*Webhook, error) {
	const m = "Webhooks.Update"
	if err := need(m, "id", id); err != nil {
		return nil, err
	}
	var req webhookRequest
	if in.Name != nil {
		if strings.TrimSpace(*in.Name) == "" {
			return nil, fmt.Errorf("rest.%s: %w: Name is empty", m, tableau.ErrInvalidArgument)
		}
		req.Webhook.Name = in.Name
	}
	if in.Event != nil {
		if err := req.setEvent(m, *in.Event); err != nil {
			return nil, err
		}
	}
	if in.URL != nil {
		if err := req.setURL(m, *in.URL, in.Destination); err != nil {
			return nil, err
		}
	}
	if in.Enabled != nil {
		req.Webhook.IsEnabled = strp(strconv.FormatBool(*in.Enabled))
	}
	return sv.send(ctx, m, "PUT", req, "webhooks", id)
}

func (sv *WebhooksService) send(ctx context.Context, m, method string, req webhookRequest, elem ...string) (*Webhook, error) {
	path, err := sv.sitePath(m, elem...)
	if err != nil {
		return nil, err
	}
	var r webhookResponse
	if method == "POST" {
		err = sv.s.Post(ctx, path, nil, req, &r)
	} else {
		err = sv.s.Put(ctx, path, nil, req, &r)
	}
	if err != nil {
		return nil, err
	}
	if r.Webhook == nil {
		return nil, fmt.Errorf("rest.%s: the response has no <webhook>", m)
	}
	w := r.Webhook.decode()
	return &w, nil
}

// Delete deletes the webhook with id.
func (sv *WebhooksService) Delete(ctx context.Context, id string) error {
	const m = "Webhooks.Delete"
	if err := need(m, "id", id); err != nil {
		return err
	}
	path, err := sv.sitePath(m, "webhooks", id)
	if err != nil {
		return err
	}
	return sv.s.Delete(ctx, path, nil)
}

// WebhookTestResult is what the destination answered to a test delivery.
type WebhookTestResult struct {
	Status int    // the destination's HTTP status
	Body   string // what it answered (or the delivery error)
}

// Test makes the server send a test delivery to the webhook's destination
// (GET webhooks/{id}/test, as the REST API reference and TSC have it).
func (sv *WebhooksService) Test(ctx context.Context, id string) (*WebhookTestResult, error) {
	const m = "Webhooks.Test"
	if err := need(m, "id", id); err != nil {
		return nil, err
	}
	path, err := sv.sitePath(m, "webhooks", id, "test")
	if err != nil {
		return nil, err
	}
	var r struct {
		Result *struct {
			Status int    `xml:"status,attr"`
			Body   string `xml:"body"`
		} `xml:"webhookTestResult"`
	}
	if err := sv.s.Do(ctx, &tableau.Request{Method: "GET", Path: path}, &r); err != nil {
		return nil, err
	}
	if r.Result == nil {
		return nil, fmt.Errorf("rest.%s: the response has no <webhookTestResult>", m)
	}
	return &WebhookTestResult{Status: r.Result.Status, Body: r.Result.Body}, nil
}
