package notify

import (
	"context"
	"errors"
	"fmt"
	htmltemplate "html/template"
	"net/textproto"
	"strings"
	"text/template"

	"github.com/wneessen/go-mail"

	"github.com/tableau-go/sdk/webhooks"
)

// Default email templates (plain text).
const (
	DefaultEmailSubject = `[Tableau] {{.Summary}}: {{.Event.ResourceName}}`
	DefaultEmailBody    = `{{.Summary}}{{if .Event.ResourceName}}: {{.Event.ResourceName}}{{end}}

Event:    {{.Event.Type}}
Resource: {{.Event.Resource}} {{.Event.ResourceLUID}}
Site:     {{.Event.SiteLUID}}
When:     {{when .Event.CreatedAt}}
{{with .Item}}Project:  {{.ProjectName}}
Owner:    {{.OwnerName}}
{{end}}{{if .Link}}Link:     {{.Link}}
{{end}}`
)

// EmailOptions configures an [Email] notifier.
type EmailOptions struct {
	// Host is the SMTP server. Required.
	Host string
	// Port is the SMTP port. Default: 587.
	Port int
	// Username and Password authenticate to the server (SMTP AUTH, the
	// mechanism discovered from the server). Default: no authentication.
	// The password never appears in errors.
	Username, Password string
	// TLSPolicy says whether STARTTLS is required. Default:
	// mail.TLSMandatory (the zero value); mail.NoTLS for a local relay.
	TLSPolicy mail.TLSPolicy
	// From is the sender address. Required.
	From string
	// To are the recipients. Required.
	To []string
	// Subject is the subject template. Default: [DefaultEmailSubject].
	Subject string
	// Body is the plain-text body template. Default: [DefaultEmailBody].
	Body string
	// HTMLBody, when set, is an html/template (values are escaped for HTML)
	// sent as an HTML alternative to the plain-text body. Default: none,
	// plain text only.
	HTMLBody string
	// Funcs adds template functions. Default: none.
	Funcs template.FuncMap
	// Link returns a URL for the Link template field. Default: none.
	Link func(*webhooks.Event) string
	// Lookup adds the workbook or data source to the template data
	// (.Item). Default: none.
	Lookup LookupFunc
	// ClientOptions are passed to go-mail's NewClient after the ones above
	// (timeouts, TLS config, HELO name...). Default: none.
	ClientOptions []mail.Option
}

// Email sends one message per event over SMTP with go-mail. It is a
// [webhooks.Receiver].
type Email struct {
	opts          EmailOptions
	subject, body *template.Template
	html          *htmltemplate.Template
}

// NewEmail checks the options and parses the templates. It does not connect.
func NewEmail(opts *EmailOptions) (*Email, error) {
	if opts == nil {
		return nil, errors.New("notify: email options are required")
	}
	o := *opts
	o.To = append([]string(nil), opts.To...)
	switch {
	case o.Host == "":
		return nil, errors.New("notify: EmailOptions.Host is required")
	case o.From == "":
		return nil, errors.New("notify: EmailOptions.From is required")
	case len(o.To) == 0:
		return nil, errors.New("notify: EmailOptions.To needs at least one recipient")
	}
	if o.Port == 0 {
		o.Port = 587
	}
	if o.Subject == "" {
		o.Subject = DefaultEmailSubject
	}
	if o.Body == "" {
		o.Body = DefaultEmailBody
	}
	subject, err := parse("email subject", o.Subject, nil, o.Funcs)
	if err != nil {
		return nil, err
	}
	body, err := parse("email body", o.Body, nil, o.Funcs)
	if err != nil {
		return nil, err
	}
	var html *htmltemplate.Template
	if o.HTMLBody != "" {
		html, err = htmltemplate.New("email html body").Funcs(baseFuncs()).Funcs(htmltemplate.FuncMap(o.Funcs)).
			Option("missingkey=error").Parse(o.HTMLBody)
		if err != nil {
			return nil, fmt.Errorf("notify: email html body template: %w", err)
		}
	}
	// Check the addresses now rather than at the first event.
	m := mail.NewMsg()
	if err := m.From(o.From); err != nil {
		return nil, fmt.Errorf("notify: EmailOptions.From: %w", err)
	}
	if err := m.To(o.To...); err != nil {
		return nil, fmt.Errorf("notify: EmailOptions.To: %w", err)
	}
	return &Email{opts: o, subject: subject, body: body, html: html}, nil
}

// Message builds the message for e (calling Lookup, if set) without sending
// it. Its Message-ID is derived from the event id, so a repeated delivery
// carries the same id.
func (m *Email) Message(ctx context.Context, e *webhooks.Event) (*mail.Msg, error) {
	d, err := newData(ctx, e, m.opts.Link, m.opts.Lookup)
	if err != nil {
		return nil, err
	}
	subject, err := render(m.subject, d)
	if err != nil {
		return nil, err
	}
	body, err := render(m.body, d)
	if err != nil {
		return nil, err
	}
	msg := mail.NewMsg()
	if err := msg.From(m.opts.From); err != nil {
		return nil, webhooks.Permanent(err)
	}
	if err := msg.To(m.opts.To...); err != nil {
		return nil, webhooks.Permanent(err)
	}
	msg.Subject(subject)
	msg.SetDate()
	msg.SetMessageIDWithValue(e.ID + ".tableau-go@" + m.opts.Host)
	msg.SetBodyString(mail.TypeTextPlain, body+"\n")
	if m.html != nil {
		var b strings.Builder
		if err := m.html.Execute(&b, d); err != nil {
			return nil, webhooks.Permanent(fmt.Errorf("notify: email html body template: %w", err))
		}
		msg.AddAlternativeString(mail.TypeTextHTML, b.String())
	}
	return msg, nil
}

// Receive sends the message for e. Permanent SMTP replies (5xx), a refused
// login (535) among them, are permanent failures; temporary ones (4xx) and
// connection failures are retried.
func (m *Email) Receive(ctx context.Context, e *webhooks.Event) error {
	msg, err := m.Message(ctx, e)
	if err != nil {
		return err
	}
	copts := []mail.Option{mail.WithPort(m.opts.Port), mail.WithTLSPolicy(m.opts.TLSPolicy)}
	if m.opts.Username != "" {
		copts = append(copts, mail.WithSMTPAuth(mail.SMTPAuthAutoDiscover),
			mail.WithUsername(m.opts.Username), mail.WithPassword(m.opts.Password))
	}
	copts = append(copts, m.opts.ClientOptions...)
	c, err := mail.NewClient(m.opts.Host, copts...)
	if err != nil {
		return webhooks.Permanent(fmt.Errorf("notify: email client: %w", err))
	}
	if err := c.DialAndSendWithContext(ctx, msg); err != nil {
		if smtpPermanent(err) {
			return webhooks.Permanent(fmt.Errorf("notify: email: %w", err))
		}
		return fmt.Errorf("notify: email: %w", err)
	}
	return nil
}

// smtpPermanent reports whether err carries a permanent SMTP reply (5xx):
// from a command of the delivery (a *mail.SendError) or from the dialogue
// before it, such as a refused login (535) while authenticating.
func smtpPermanent(err error) bool {
	var se *mail.SendError
	if errors.As(err, &se) && se.ErrorCode() >= 500 && se.ErrorCode() < 600 {
		return true
	}
	var te *textproto.Error
	return errors.As(err, &te) && te.Code >= 500 && te.Code < 600
}
