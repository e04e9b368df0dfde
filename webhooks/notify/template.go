package notify

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"text/template"
	"time"
	"unicode"

	"github.com/tableau-go/sdk/webhooks"
)

// Data is what every notifier template is executed with.
type Data struct {
	// Event is the Tableau event.
	Event webhooks.Event
	// Summary is a short English phrase for the event type, such as
	// "Data source refresh failed".
	Summary string
	// Item is the workbook or data source from the notifier's Lookup
	// option, or nil (no Lookup, another kind of event, or the item is gone).
	Item *webhooks.Item
	// Link is the URL from the notifier's Link option; without one, the
	// Item's page on Tableau; else "".
	Link string
}

// LookupFunc fetches details of the item an event is about, typically
// webhooks.LookupItem on a signed-in session:
//
//	func(ctx context.Context, e *webhooks.Event) (*webhooks.Item, error) {
//		return webhooks.LookupItem(ctx, sess, e)
//	}
//
// An error wrapping webhooks.ErrNoItem leaves Data.Item nil; any other
// error fails the delivery, which is retried.
type LookupFunc func(ctx context.Context, e *webhooks.Event) (*webhooks.Item, error)

func newData(ctx context.Context, e *webhooks.Event, link func(*webhooks.Event) string, lookup LookupFunc) (Data, error) {
	d := Data{Event: *e, Summary: Summary(e.Type)}
	if lookup != nil {
		it, err := lookup(ctx, e)
		switch {
		case err == nil:
			d.Item = it
		case errors.Is(err, webhooks.ErrNoItem):
		default:
			return d, err
		}
	}
	if link != nil {
		d.Link = link(e)
	} else if d.Item != nil {
		d.Link = d.Item.WebpageURL
	}
	return d, nil
}

var summaries = map[webhooks.EventType]string{
	webhooks.DatasourceRefreshStarted:   "Data source refresh started",
	webhooks.DatasourceRefreshSucceeded: "Data source refresh succeeded",
	webhooks.DatasourceRefreshFailed:    "Data source refresh failed",
	webhooks.DatasourceCreated:          "Data source created",
	webhooks.DatasourceUpdated:          "Data source updated",
	webhooks.DatasourceDeleted:          "Data source deleted",
	webhooks.WorkbookRefreshStarted:     "Workbook refresh started",
	webhooks.WorkbookRefreshSucceeded:   "Workbook refresh succeeded",
	webhooks.WorkbookRefreshFailed:      "Workbook refresh failed",
	webhooks.WorkbookCreated:            "Workbook created",
	webhooks.WorkbookUpdated:            "Workbook updated",
	webhooks.WorkbookDeleted:            "Workbook deleted",
	webhooks.ViewDeleted:                "View deleted",
	webhooks.UserDeleted:                "User deleted",
	webhooks.AdminPromoted:              "User promoted to site administrator",
	webhooks.AdminDemoted:               "User demoted from site administrator",
	webhooks.LabelCreated:               "Label created",
	webhooks.LabelUpdated:               "Label updated",
	webhooks.LabelDeleted:               "Label deleted",
	webhooks.SiteCreated:                "Site created",
	webhooks.SiteUpdated:                "Site updated",
	webhooks.SiteDeleted:                "Site deleted",
	webhooks.EventTest:                  "Test of a Tableau webhook",
}

// Summary returns a short English phrase for t; for a type it does not know,
// t's words split at capitals ("FlowRunFailed" gives "Flow run failed").
func Summary(t webhooks.EventType) string {
	if s, ok := summaries[t]; ok {
		return s
	}
	var b strings.Builder
	for i, r := range string(t) {
		if i > 0 && unicode.IsUpper(r) {
			b.WriteByte(' ')
			r = unicode.ToLower(r)
		}
		b.WriteRune(r)
	}
	if b.Len() == 0 {
		return "Tableau event"
	}
	return b.String()
}

// when formats an event time for people; the zero time is "unknown time".
func when(t time.Time) string {
	if t.IsZero() {
		return "unknown time"
	}
	return t.UTC().Format("2006-01-02 15:04:05 UTC")
}

// baseFuncs are available in every template.
func baseFuncs() template.FuncMap {
	return template.FuncMap{
		"when":    when,
		"summary": Summary,
		"upper":   strings.ToUpper,
		"lower":   strings.ToLower,
	}
}

// parse compiles a named template with the base functions, the notifier's
// own and the user's extra ones.
func parse(name, text string, own, extra template.FuncMap) (*template.Template, error) {
	t := template.New(name).Funcs(baseFuncs()).Funcs(own).Funcs(extra).Option("missingkey=error")
	t, err := t.Parse(text)
	if err != nil {
		return nil, fmt.Errorf("notify: %s template: %w", name, err)
	}
	return t, nil
}

// render executes t. A failure is permanent: retrying cannot fix a template.
func render(t *template.Template, d Data) (string, error) {
	var b strings.Builder
	if err := t.Execute(&b, d); err != nil {
		return "", webhooks.Permanent(fmt.Errorf("notify: %s template: %w", t.Name(), err))
	}
	return strings.TrimSpace(b.String()), nil
}

// truncate cuts s to at most n runes, marking the cut with an ellipsis.
func truncate(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}
