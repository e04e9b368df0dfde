package tableautest

import (
	"encoding/xml"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"
)

// Codes of the webhooks API.
const (
	codeWebhookNotFound = "404031" // Resource Not Found: webhook
	codeWebhookConflict = "409029" // Resource Conflict: webhook name taken
	codeWebhookURL      = "400074" // Bad Request: destination URL not valid
	codeWebhookEvent    = "400075" // Bad Request: event not valid
)

// Events the governance resources emit (the content resources emit theirs
// in events.go).
const (
	eventUserDeleted   = "webhook-source-event-user-deleted"
	eventAdminPromoted = "webhook-event-user-promoted-admin"
	eventAdminDemoted  = "webhook-event-user-demoted-admin"
	eventLabelCreated  = "webhook-source-event-label-created"
	eventLabelUpdated  = "webhook-source-event-label-updated"
	eventLabelDeleted  = "webhook-source-event-label-LabelDeleted"
)

// webhookEvent is one row of Tableau's webhook event table: the REST API
// (webhook-source) name, the payload's event_type and resource.
type webhookEvent struct {
	source, payload, resource string
}

// webhookEvents is Tableau's table of webhook events ("Webhooks Events and
// Payloads"), irregular names included.
var webhookEvents = []webhookEvent{
	{"webhook-event-user-promoted-admin", "AdminPromoted", "USER"},
	{"webhook-event-user-demoted-admin", "AdminDemoted", "USER"},
	{"webhook-source-event-datasource-updated", "DatasourceUpdated", "DATASOURCE"},
	{"webhook-source-event-datasource-created", "DatasourceCreated", "DATASOURCE"},
	{"webhook-source-event-datasource-deleted", "DatasourceDeleted", "DATASOURCE"},
	{"webhook-source-event-datasource-refresh-started", "DatasourceRefreshStarted", "EXTRACTS"},
	{"webhook-source-event-datasource-refresh-succeeded", "DatasourceRefreshSucceeded", "EXTRACTS"},
	{"webhook-source-event-datasource-refresh-failed", "DatasourceRefreshFailed", "EXTRACTS"},
	{"webhook-source-event-label-created", "LabelCreated", "LABEL"},
	{"webhook-source-event-label-updated", "LabelUpdated", "LABEL"},
	{"webhook-source-event-label-LabelDeleted", "LabelDeleted", "LABEL"},
	{"webhook-source-event-site-created", "SiteCreated", "SITE"},
	{"webhook-source-event-site-updated", "SiteUpdated", "SITE"},
	{"webhook-source-event-site-deleted", "SiteDeleted", "SITE"},
	{"webhook-source-event-user-deleted", "UserDeleted", "USER"},
	{"webhook-source-event-view-deleted", "ViewDeleted", "VIEW"},
	{"webhook-source-event-workbook-updated", "WorkbookUpdated", "WORKBOOK"},
	{"webhook-source-event-workbook-created", "WorkbookCreated", "WORKBOOK"},
	{"webhook-source-event-workbook-deleted", "WorkbookDeleted", "WORKBOOK"},
	{"webhook-source-event-workbook-refresh-started", "WorkbookRefreshStarted", "EXTRACTS"},
	{"webhook-source-event-workbook-refresh-succeeded", "WorkbookRefreshSucceeded", "EXTRACTS"},
	{"webhook-source-event-workbook-refresh-failed", "WorkbookRefreshFailed", "EXTRACTS"},
}

// findWebhookEvent accepts the REST API name or the payload name of an event.
func findWebhookEvent(name string) (webhookEvent, bool) {
	for _, e := range webhookEvents {
		if e.source == name || strings.EqualFold(e.payload, name) {
			return e, true
		}
	}
	return webhookEvent{}, false
}

// webhook is one registered webhook of a site.
type webhook struct {
	ID, SiteID, Name string
	Event            string // REST API (webhook-source) name
	URL              string
	Enabled          bool
	StatusReason     string
	OwnerID          string
	Created, Updated time.Time
	failures         int // consecutive failed deliveries
}

type webhooksPart struct {
	byID  map[string]*webhook
	order []string
}

func (p *webhooksPart) get(siteID, id string) *webhook {
	if w := p.byID[id]; w != nil && w.SiteID == siteID {
		return w
	}
	return nil
}

type webhookView struct {
	webhook
	ownerName string
}

func webhookElem(v webhookView) *elem {
	e := newElem("webhook").
		set("id", v.ID).
		set("name", v.Name).
		set("isEnabled", boolStr(v.Enabled)).
		set("statusChangeReason", v.StatusReason).
		set("createdAt", formatTime(v.Created)).
		set("updatedAt", formatTime(v.Updated))
	if ev, ok := findWebhookEvent(v.Event); ok {
		e.set("event", ev.payload)
	}
	e.add(newElem("webhook-source").add(newElem(v.Event)))
	e.add(newElem("webhook-destination").add(newElem("webhook-destination-http").set("method", "POST").set("url", v.URL)))
	return e.add(newElem("owner").set("id", v.OwnerID).set("name", v.ownerName))
}

var webhooksSchema = listSchema[webhookView]{
	plural: "webhooks",
	render: webhookElem,
	fields: []field[webhookView]{
		{name: "name", kind: kindString, value: func(v webhookView) string { return v.Name }},
		{name: "event", kind: kindString, value: func(v webhookView) string { return v.Event }},
		{name: "isEnabled", kind: kindBool, value: func(v webhookView) string { return boolStr(v.Enabled) }},
	},
}

func (s *Server) routesWebhooks(rt *router) {
	rt.site("GET", "webhooks", "tableau:webhooks:read", s.listWebhooks)
	rt.site("POST", "webhooks", "tableau:webhooks:create", s.createWebhook)
	rt.site("GET", "webhooks/{webhookID}", "tableau:webhooks:read", s.getWebhook)
	rt.site("PUT", "webhooks/{webhookID}", "tableau:webhooks:update", s.updateWebhook)
	rt.site("DELETE", "webhooks/{webhookID}", "tableau:webhooks:delete", s.deleteWebhook)
	rt.site("GET", "webhooks/{webhookID}/test", "tableau:webhooks:read", s.testWebhook)
}

func (st *store) webhookView(w *webhook) webhookView {
	v := webhookView{webhook: *w}
	if u := st.users.byID[w.OwnerID]; u != nil {
		v.ownerName = u.Name
	}
	return v
}

func (s *Server) listWebhooks(w http.ResponseWriter, r *http.Request, sess session) {
	if !s.requireSiteAdmin(w, r, sess) {
		return
	}
	s.store.mu.RLock()
	var views []webhookView
	for _, id := range s.store.gov.webhooks.order {
		if wh := s.store.gov.webhooks.byID[id]; wh.SiteID == sess.siteID {
			views = append(views, s.store.webhookView(wh))
		}
	}
	s.store.mu.RUnlock()
	writeList(w, r, &webhooksSchema, views)
}

// webhookRequest is <tsRequest><webhook name isEnabled event><webhook-source>
// <EVENT/></webhook-source><webhook-destination><webhook-destination-http
// method url/></webhook-destination></webhook></tsRequest>.
type webhookRequest struct {
	Webhook *struct {
		Name      *string `xml:"name,attr"`
		IsEnabled *string `xml:"isEnabled,attr"`
		Event     *string `xml:"event,attr"`
		Source    *struct {
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
	} `xml:"webhook"`
}

// checkDestination validates a webhook destination: HTTPS to a public host,
// as Tableau requires, or (the emulator's allowance, so tests can receive)
// plain HTTP to a loopback address.
func checkDestination(raw string) *apiError {
	bad := func(why string) *apiError {
		return newAPIError(http.StatusBadRequest, codeWebhookURL, "Bad Request",
			fmt.Sprintf("The webhook destination URL '%s' is not valid: %s.", raw, why))
	}
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" || !u.IsAbs() {
		return bad("it is not an absolute URL")
	}
	if u.User != nil {
		return bad("it must not carry a user name or password")
	}
	host := u.Hostname()
	loopback := host == "localhost"
	if ip := net.ParseIP(host); ip != nil && ip.IsLoopback() {
		loopback = true
	}
	switch u.Scheme {
	case "https":
		return nil
	case "http":
		if loopback {
			return nil
		}
		return bad("it must use https (plain http is allowed only to 127.0.0.1 in the emulator)")
	}
	return bad("its scheme must be https")
}

// parseWebhook reads the fields of a webhook request; for creation every
// field is required.
func parseWebhook(req *webhookRequest, create bool) (name, eventName, dest string, enabled *bool, aerr *apiError) {
	in := req.Webhook
	if in == nil {
		return "", "", "", nil, errBadRequest("The request has no webhook element.")
	}
	if in.Name != nil {
		if strings.TrimSpace(*in.Name) == "" {
			return "", "", "", nil, errBadRequest("The webhook name is empty.")
		}
		name = *in.Name
	} else if create {
		return "", "", "", nil, errBadRequest("The webhook element needs a name attribute.")
	}
	var names []string
	if in.Event != nil {
		names = append(names, *in.Event)
	}
	if in.Source != nil {
		for _, e := range in.Source.Events {
			names = append(names, e.XMLName.Local)
		}
	}
	switch {
	case len(names) > 1:
		return "", "", "", nil, newAPIError(http.StatusBadRequest, codeWebhookEvent, "Bad Request", "A webhook has exactly one event.")
	case len(names) == 1:
		ev, ok := findWebhookEvent(names[0])
		if !ok {
			return "", "", "", nil, newAPIError(http.StatusBadRequest, codeWebhookEvent, "Bad Request",
				fmt.Sprintf("The webhook event '%s' is not a Tableau webhook event.", names[0]))
		}
		eventName = ev.source
	case create:
		return "", "", "", nil, newAPIError(http.StatusBadRequest, codeWebhookEvent, "Bad Request", "The webhook needs an event (webhook-source or event).")
	}
	if in.Destination != nil && in.Destination.HTTP != nil {
		if m := in.Destination.HTTP.Method; m != "" && m != "POST" {
			return "", "", "", nil, errBadRequest(fmt.Sprintf("The destination method '%s' is not POST.", m))
		}
		if aerr := checkDestination(in.Destination.HTTP.URL); aerr != nil {
			return "", "", "", nil, aerr
		}
		dest = in.Destination.HTTP.URL
	} else if create {
		return "", "", "", nil, errBadRequest("The webhook needs a webhook-destination with a webhook-destination-http url.")
	}
	if in.IsEnabled != nil {
		b, aerr := optBool("isEnabled", in.IsEnabled)
		if aerr != nil {
			return "", "", "", nil, aerr
		}
		enabled = &b
	}
	return name, eventName, dest, enabled, nil
}

func (p *webhooksPart) conflict(siteID, name, self string) *apiError {
	for _, id := range p.order {
		w := p.byID[id]
		if w.SiteID == siteID && w.ID != self && strings.EqualFold(w.Name, name) {
			return errConflict(codeWebhookConflict, fmt.Sprintf("A webhook named '%s' already exists.", w.Name))
		}
	}
	return nil
}

func (s *Server) createWebhook(w http.ResponseWriter, r *http.Request, sess session) {
	if !s.requireSiteAdmin(w, r, sess) {
		return
	}
	var req webhookRequest
	if aerr := readRequest(r, &req); aerr != nil {
		writeError(w, r, aerr)
		return
	}
	name, ev, dest, enabled, aerr := parseWebhook(&req, true)
	if aerr != nil {
		writeError(w, r, aerr)
		return
	}
	s.store.mu.Lock()
	p := &s.store.gov.webhooks
	aerr = p.conflict(sess.siteID, name, "")
	var v webhookView
	if aerr == nil {
		now := s.now()
		wh := &webhook{ID: newID(), SiteID: sess.siteID, Name: name, Event: ev, URL: dest, Enabled: true,
			OwnerID: sess.userID, Created: now, Updated: now}
		if enabled != nil {
			wh.Enabled = *enabled
		}
		p.byID[wh.ID] = wh
		p.order = append(p.order, wh.ID)
		v = s.store.webhookView(wh)
	}
	s.store.mu.Unlock()
	if aerr != nil {
		writeError(w, r, aerr)
		return
	}
	writeXML(w, r, http.StatusCreated, webhookElem(v))
}

func (s *Server) getWebhook(w http.ResponseWriter, r *http.Request, sess session) {
	if !s.requireSiteAdmin(w, r, sess) {
		return
	}
	id := r.PathValue("webhookID")
	s.store.mu.RLock()
	wh := s.store.gov.webhooks.get(sess.siteID, id)
	var v webhookView
	if wh != nil {
		v = s.store.webhookView(wh)
	}
	s.store.mu.RUnlock()
	if wh == nil {
		writeError(w, r, errNotFound(codeWebhookNotFound, "Webhook", id))
		return
	}
	writeXML(w, r, http.StatusOK, webhookElem(v))
}

func (s *Server) updateWebhook(w http.ResponseWriter, r *http.Request, sess session) {
	if !s.requireSiteAdmin(w, r, sess) {
		return
	}
	var req webhookRequest
	if aerr := readRequest(r, &req); aerr != nil {
		writeError(w, r, aerr)
		return
	}
	name, ev, dest, enabled, aerr := parseWebhook(&req, false)
	if aerr != nil {
		writeError(w, r, aerr)
		return
	}
	id := r.PathValue("webhookID")
	s.store.mu.Lock()
	v, aerr := func() (webhookView, *apiError) {
		wh := s.store.gov.webhooks.get(sess.siteID, id)
		if wh == nil {
			return webhookView{}, errNotFound(codeWebhookNotFound, "Webhook", id)
		}
		if name != "" {
			if aerr := s.store.gov.webhooks.conflict(sess.siteID, name, id); aerr != nil {
				return webhookView{}, aerr
			}
			wh.Name = name
		}
		if ev != "" {
			wh.Event = ev
		}
		if dest != "" {
			wh.URL = dest
		}
		if enabled != nil {
			if *enabled && !wh.Enabled {
				wh.failures = 0
				wh.StatusReason = ""
			}
			if !*enabled && wh.Enabled {
				wh.StatusReason = "Disabled by user"
			}
			wh.Enabled = *enabled
		}
		wh.Updated = s.now()
		return s.store.webhookView(wh), nil
	}()
	s.store.mu.Unlock()
	if aerr != nil {
		writeError(w, r, aerr)
		return
	}
	writeXML(w, r, http.StatusOK, webhookElem(v))
}

func (s *Server) deleteWebhook(w http.ResponseWriter, r *http.Request, sess session) {
	if !s.requireSiteAdmin(w, r, sess) {
		return
	}
	id := r.PathValue("webhookID")
	s.store.mu.Lock()
	p := &s.store.gov.webhooks
	found := p.get(sess.siteID, id) != nil
	if found {
		delete(p.byID, id)
		p.order = slices.DeleteFunc(p.order, func(x string) bool { return x == id })
	}
	s.store.mu.Unlock()
	if !found {
		writeError(w, r, errNotFound(codeWebhookNotFound, "Webhook", id))
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// testWebhook sends a test payload to the webhook's destination once (no
// retries) and reports the destination's status and body.
func (s *Server) testWebhook(w http.ResponseWriter, r *http.Request, sess session) {
	if !s.requireSiteAdmin(w, r, sess) {
		return
	}
	id := r.PathValue("webhookID")
	s.store.mu.RLock()
	wh := s.store.gov.webhooks.get(sess.siteID, id)
	var cp webhook
	if wh != nil {
		cp = *wh
	}
	s.store.mu.RUnlock()
	if wh == nil {
		writeError(w, r, errNotFound(codeWebhookNotFound, "Webhook", id))
		return
	}
	status, body, err := s.postWebhook(r.Context(), cp.URL, testPayload(cp, s.now()))
	s.recordDelivery(WebhookDelivery{WebhookID: cp.ID, URL: cp.URL, Event: "test", Attempt: 1, Status: status, Err: errString(err), At: time.Now()})
	res := newElem("webhookTestResult").set("id", cp.ID).set("status", fmt.Sprint(status))
	if err != nil {
		res.add(newElem("body").withText(err.Error()))
	} else {
		res.add(newElem("body").withText(body))
	}
	writeXML(w, r, http.StatusOK, res)
}

func errString(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}
