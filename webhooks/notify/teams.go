package notify

import (
	"context"
	"net/http"
	"text/template"

	"github.com/tableau-go/sdk/webhooks"
)

// Default Teams templates. The body is an Adaptive Card TextBlock, which
// understands a small subset of Markdown.
const (
	DefaultTeamsTitle = `{{.Summary}}: {{.Event.ResourceName}}`
	DefaultTeamsBody  = `**{{.Summary}}**{{if .Event.ResourceName}}: {{.Event.ResourceName}}{{end}} at {{when .Event.CreatedAt}}.`
)

// TeamsOptions configures a [Teams] notifier. nil means all defaults.
type TeamsOptions struct {
	// Title is the template of the card's heading. Default: [DefaultTeamsTitle].
	Title string
	// Body is the template of the card's text. Default: [DefaultTeamsBody].
	Body string
	// Funcs adds template functions. Default: none.
	Funcs template.FuncMap
	// Link returns the URL of the card's "Open in Tableau" action.
	// Default: no action.
	Link func(*webhooks.Event) string
	// Lookup adds the workbook or data source to the template data
	// (.Item). Default: none.
	Lookup LookupFunc
	// HTTPClient sends the card. Default: a client with a 15s timeout.
	HTTPClient *http.Client
}

// Teams posts events to a Microsoft Teams channel through a Workflows
// ("When a Teams webhook request is received") webhook, as an Adaptive Card.
// It is a [webhooks.Receiver].
type Teams struct {
	url         string
	title, body *template.Template
	link        func(*webhooks.Event) string
	lookup      LookupFunc
	client      *http.Client
}

// NewTeams returns a notifier for the workflow webhook URL (https, or http to
// a loopback address). The URL is a secret: it never appears in errors.
func NewTeams(webhookURL string, opts *TeamsOptions) (*Teams, error) {
	var o TeamsOptions
	if opts != nil {
		o = *opts
	}
	if _, err := checkWebhookURL("teams", webhookURL); err != nil {
		return nil, err
	}
	if o.Title == "" {
		o.Title = DefaultTeamsTitle
	}
	if o.Body == "" {
		o.Body = DefaultTeamsBody
	}
	title, err := parse("teams title", o.Title, nil, o.Funcs)
	if err != nil {
		return nil, err
	}
	body, err := parse("teams body", o.Body, nil, o.Funcs)
	if err != nil {
		return nil, err
	}
	return &Teams{url: webhookURL, title: title, body: body, link: o.Link, lookup: o.Lookup, client: defaultClient(o.HTTPClient)}, nil
}

// TeamsMessage is the JSON a Teams workflow webhook receives: a message with
// one Adaptive Card attachment.
type TeamsMessage struct {
	Type        string            `json:"type"` // "message"
	Attachments []TeamsAttachment `json:"attachments"`
}

// TeamsAttachment carries the card.
type TeamsAttachment struct {
	ContentType string       `json:"contentType"` // application/vnd.microsoft.card.adaptive
	ContentURL  *string      `json:"contentUrl"`  // always null
	Content     AdaptiveCard `json:"content"`
}

// AdaptiveCard is the subset of the Adaptive Card schema this notifier uses.
type AdaptiveCard struct {
	Schema  string         `json:"$schema"`
	Type    string         `json:"type"` // "AdaptiveCard"
	Version string         `json:"version"`
	Body    []CardElement  `json:"body"`
	Actions []CardAction   `json:"actions,omitempty"`
	MSTeams map[string]any `json:"msteams,omitempty"`
}

// CardElement is a TextBlock or a FactSet.
type CardElement struct {
	Type   string     `json:"type"`
	Text   string     `json:"text,omitempty"`
	Size   string     `json:"size,omitempty"`
	Weight string     `json:"weight,omitempty"`
	Style  string     `json:"style,omitempty"`
	Wrap   bool       `json:"wrap,omitempty"`
	Facts  []CardFact `json:"facts,omitempty"`
}

// CardFact is one line of a FactSet.
type CardFact struct {
	Title string `json:"title"`
	Value string `json:"value"`
}

// CardAction is an Action.OpenUrl button.
type CardAction struct {
	Type  string `json:"type"`
	Title string `json:"title"`
	URL   string `json:"url"`
}

// Message renders the card for e (calling Lookup, if set) without sending
// it.
func (t *Teams) Message(ctx context.Context, e *webhooks.Event) (TeamsMessage, error) {
	d, err := newData(ctx, e, t.link, t.lookup)
	if err != nil {
		return TeamsMessage{}, err
	}
	title, err := render(t.title, d)
	if err != nil {
		return TeamsMessage{}, err
	}
	body, err := render(t.body, d)
	if err != nil {
		return TeamsMessage{}, err
	}
	card := AdaptiveCard{
		Schema:  "http://adaptivecards.io/schemas/adaptive-card.json",
		Type:    "AdaptiveCard",
		Version: "1.4",
		Body: []CardElement{
			{Type: "TextBlock", Text: title, Size: "Medium", Weight: "Bolder", Style: "heading", Wrap: true},
			{Type: "TextBlock", Text: body, Wrap: true},
			{Type: "FactSet", Facts: []CardFact{
				{Title: "Event", Value: string(e.Type)},
				{Title: "Resource", Value: string(e.Resource) + " " + e.ResourceLUID},
				{Title: "Site", Value: e.SiteLUID},
				{Title: "When", Value: when(e.CreatedAt)},
			}},
		},
		MSTeams: map[string]any{"width": "Full"},
	}
	if it := d.Item; it != nil {
		card.Body[2].Facts = append(card.Body[2].Facts, CardFact{Title: "Project", Value: it.ProjectName}, CardFact{Title: "Owner", Value: it.OwnerName})
	}
	if d.Link != "" {
		card.Actions = []CardAction{{Type: "Action.OpenUrl", Title: "Open in Tableau", URL: d.Link}}
	}
	return TeamsMessage{Type: "message", Attachments: []TeamsAttachment{{
		ContentType: "application/vnd.microsoft.card.adaptive",
		Content:     card,
	}}}, nil
}

// Receive posts the card for e. 4xx answers are permanent; 429 is retried
// after Retry-After; 5xx and network failures are retried.
func (t *Teams) Receive(ctx context.Context, e *webhooks.Event) error {
	m, err := t.Message(ctx, e)
	if err != nil {
		return err
	}
	return postJSON(ctx, t.client, "teams", t.url, m)
}
