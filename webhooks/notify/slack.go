package notify

import (
	"context"
	"net/http"
	"strings"
	"text/template"

	"github.com/tableau-go/sdk/webhooks"
)

// Default Slack templates. The body is Slack mrkdwn; the esc function escapes
// &, < and > as Slack requires.
const (
	DefaultSlackTitle = `{{.Summary}}: {{.Event.ResourceName}}`
	DefaultSlackBody  = `*{{esc .Summary}}*{{if .Event.ResourceName}}: {{esc .Event.ResourceName}}{{end}}
*Site:* ` + "`{{esc .Event.SiteLUID}}`" + `
*Resource:* {{esc (lower (print .Event.Resource))}} ` + "`{{esc .Event.ResourceLUID}}`" + `
*When:* {{when .Event.CreatedAt}}{{with .Item}}
*Project:* {{esc .ProjectName}}
*Owner:* {{esc .OwnerName}}{{end}}{{if .Link}}
<{{.Link}}|Open in Tableau>{{end}}`
)

// SlackOptions configures a [Slack] notifier. nil means all defaults.
type SlackOptions struct {
	// Title is the template of the header block and of the notification
	// text. Default: [DefaultSlackTitle].
	Title string
	// Body is the template of the message (Slack mrkdwn). Default:
	// [DefaultSlackBody].
	Body string
	// Funcs adds template functions. Default: none.
	Funcs template.FuncMap
	// Link returns the URL the message points to (a "View in Tableau"
	// button). Default: no link.
	Link func(*webhooks.Event) string
	// Lookup adds the workbook or data source to the template data
	// (.Item). Default: none.
	Lookup LookupFunc
	// HTTPClient sends the message. Default: a client with a 15s timeout.
	HTTPClient *http.Client
}

// Slack posts events to a Slack incoming webhook as a Block Kit message.
// It is a [webhooks.Receiver].
type Slack struct {
	url         string
	title, body *template.Template
	link        func(*webhooks.Event) string
	lookup      LookupFunc
	client      *http.Client
}

// NewSlack returns a notifier for the incoming webhook URL (https, or http to
// a loopback address). The URL is a secret: it never appears in errors.
func NewSlack(webhookURL string, opts *SlackOptions) (*Slack, error) {
	var o SlackOptions
	if opts != nil {
		o = *opts
	}
	if _, err := checkWebhookURL("slack", webhookURL); err != nil {
		return nil, err
	}
	if o.Title == "" {
		o.Title = DefaultSlackTitle
	}
	if o.Body == "" {
		o.Body = DefaultSlackBody
	}
	own := template.FuncMap{"esc": slackEscape}
	title, err := parse("slack title", o.Title, own, o.Funcs)
	if err != nil {
		return nil, err
	}
	body, err := parse("slack body", o.Body, own, o.Funcs)
	if err != nil {
		return nil, err
	}
	return &Slack{url: webhookURL, title: title, body: body, link: o.Link, lookup: o.Lookup, client: defaultClient(o.HTTPClient)}, nil
}

// SlackMessage is the JSON an incoming webhook receives.
type SlackMessage struct {
	Text   string       `json:"text"`
	Blocks []SlackBlock `json:"blocks"`
}

// SlackBlock is one Block Kit block (header, section, context or actions).
type SlackBlock struct {
	Type     string        `json:"type"`
	Text     *SlackText    `json:"text,omitempty"`
	Elements []SlackObject `json:"elements,omitempty"`
}

// SlackText is a Block Kit text object.
type SlackText struct {
	Type string `json:"type"` // "plain_text" or "mrkdwn"
	Text string `json:"text"`
}

// SlackObject is a context element (text) or an actions element (button).
type SlackObject struct {
	Type string `json:"type"`
	Text any    `json:"text,omitempty"` // string for mrkdwn elements, *SlackText for buttons
	URL  string `json:"url,omitempty"`
}

// Message renders the message for e (calling Lookup, if set) without
// sending it.
func (s *Slack) Message(ctx context.Context, e *webhooks.Event) (SlackMessage, error) {
	d, err := newData(ctx, e, s.link, s.lookup)
	if err != nil {
		return SlackMessage{}, err
	}
	title, err := render(s.title, d)
	if err != nil {
		return SlackMessage{}, err
	}
	body, err := render(s.body, d)
	if err != nil {
		return SlackMessage{}, err
	}
	m := SlackMessage{
		Text: truncate(title, 3000),
		Blocks: []SlackBlock{
			{Type: "header", Text: &SlackText{Type: "plain_text", Text: truncate(title, 150)}},
			{Type: "section", Text: &SlackText{Type: "mrkdwn", Text: truncate(body, 3000)}},
			{Type: "context", Elements: []SlackObject{{Type: "mrkdwn", Text: "Tableau event `" + slackEscape(string(e.Type)) + "`"}}},
		},
	}
	if d.Link != "" {
		m.Blocks = append(m.Blocks, SlackBlock{Type: "actions", Elements: []SlackObject{
			{Type: "button", Text: &SlackText{Type: "plain_text", Text: "Open in Tableau"}, URL: d.Link},
		}})
	}
	return m, nil
}

// Receive posts the message for e. Slack's 4xx answers (bad payload, archived
// channel, revoked webhook) are permanent; 429 is retried after Retry-After;
// 5xx and network failures are retried.
func (s *Slack) Receive(ctx context.Context, e *webhooks.Event) error {
	m, err := s.Message(ctx, e)
	if err != nil {
		return err
	}
	return postJSON(ctx, s.client, "slack", s.url, m)
}

var slackEscaper = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;")

func slackEscape(s string) string { return slackEscaper.Replace(s) }
