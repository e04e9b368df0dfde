package notify_test

import (
	"bytes"
	"context"
	"io"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net/mail"
	"strings"
	"testing"

	gomail "github.com/wneessen/go-mail"

	"github.com/tableau-go/sdk/webhooks"
	"github.com/tableau-go/sdk/webhooks/notify"
)

func emailOptions(s *smtpServer) *notify.EmailOptions {
	return &notify.EmailOptions{
		Host:      "127.0.0.1",
		Port:      s.addr.Port,
		TLSPolicy: gomail.NoTLS,
		From:      "tableau-alerts@example.com",
		To:        []string{"qa@example.com", "lead@example.com"},
		Link:      link,
	}
}

func TestEmailSendsOverSMTP(t *testing.T) {
	srv := newSMTPServer(t)
	em, err := notify.NewEmail(emailOptions(srv))
	if err != nil {
		t.Fatal(err)
	}
	e := sampleEvent(t)
	if err := em.Receive(context.Background(), e); err != nil {
		t.Fatal(err)
	}
	msgs := srv.messages()
	if len(msgs) != 1 {
		t.Fatalf("%d messages", len(msgs))
	}
	got := msgs[0]
	if got.From != "tableau-alerts@example.com" || strings.Join(got.To, ",") != "qa@example.com,lead@example.com" {
		t.Fatalf("envelope %q -> %q", got.From, got.To)
	}
	m, err := mail.ReadMessage(bytes.NewReader(got.Data))
	if err != nil {
		t.Fatal(err)
	}
	subject, _ := new(mime.WordDecoder).DecodeHeader(m.Header.Get("Subject"))
	if subject != "[Tableau] Data source refresh failed: Sales <EMEA> & Co" {
		t.Fatalf("subject %q", subject)
	}
	if !strings.HasPrefix(m.Header.Get("Message-Id"), "<"+e.ID) {
		t.Fatalf("Message-ID %q does not carry the event id", m.Header.Get("Message-Id"))
	}
	body := readBody(t, m)
	for _, want := range []string{"DatasourceRefreshFailed", "ds-7", "site-42", "2026-12-03 10:11:12 UTC", "https://tableau.example.com/#/site/sales/datasources/ds-7"} {
		if !strings.Contains(string(body), want) {
			t.Errorf("body lacks %q:\n%s", want, body)
		}
	}
}

func TestEmailCustomTemplate(t *testing.T) {
	srv := newSMTPServer(t)
	o := emailOptions(srv)
	o.Subject = "New workbook {{.Event.ResourceName}}"
	o.Body = "Please review {{.Event.ResourceName}} ({{.Link}})."
	em, err := notify.NewEmail(o)
	if err != nil {
		t.Fatal(err)
	}
	if err := em.Receive(context.Background(), sampleEvent(t)); err != nil {
		t.Fatal(err)
	}
	m, err := mail.ReadMessage(bytes.NewReader(srv.messages()[0].Data))
	if err != nil {
		t.Fatal(err)
	}
	body := readBody(t, m)
	if !strings.Contains(string(body), "Please review Sales <EMEA> & Co (https://tableau.example.com/#/site/sales/datasources/ds-7).") {
		t.Fatalf("body %q", body)
	}
}

func TestEmailFailures(t *testing.T) {
	srv := newSMTPServer(t)
	o := emailOptions(srv)
	o.To = []string{"gone@example.com"}
	srv.reject["gone@example.com"] = true
	em, err := notify.NewEmail(o)
	if err != nil {
		t.Fatal(err)
	}
	if err := em.Receive(context.Background(), sampleEvent(t)); !webhooks.IsPermanent(err) {
		t.Fatalf("550 must be permanent: %v", err)
	}

	o2 := emailOptions(srv)
	o2.Password = "hunter2-very-secret"
	o2.Username = "alerts"
	o2.Port = 1 // nothing listens: connection refused
	em2, err := notify.NewEmail(o2)
	if err != nil {
		t.Fatal(err)
	}
	err = em2.Receive(context.Background(), sampleEvent(t))
	if err == nil || webhooks.IsPermanent(err) || strings.Contains(err.Error(), "hunter2") {
		t.Fatalf("connection refused must be retried and not show the password: %v", err)
	}

	for _, bad := range []*notify.EmailOptions{
		nil,
		{From: "a@example.com", To: []string{"b@example.com"}},
		{Host: "h", To: []string{"b@example.com"}},
		{Host: "h", From: "a@example.com"},
		{Host: "h", From: "not an address", To: []string{"b@example.com"}},
		{Host: "h", From: "a@example.com", To: []string{"b@example.com"}, Subject: "{{"},
	} {
		if _, err := notify.NewEmail(bad); err == nil {
			t.Errorf("accepted %+v", bad)
		}
	}
}

// readBody decodes a message body per its Content-Transfer-Encoding.
func readBody(t *testing.T, m *mail.Message) []byte {
	t.Helper()
	var r io.Reader = m.Body
	if strings.EqualFold(m.Header.Get("Content-Transfer-Encoding"), "quoted-printable") {
		r = quotedprintable.NewReader(r)
	}
	b, err := io.ReadAll(r)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestEmailHTMLAlternative(t *testing.T) {
	srv := newSMTPServer(t)
	o := emailOptions(srv)
	o.HTMLBody = `<p><b>{{.Summary}}</b>: {{.Event.ResourceName}} <a href="{{.Link}}">open</a></p>`
	em, err := notify.NewEmail(o)
	if err != nil {
		t.Fatal(err)
	}
	if err := em.Receive(context.Background(), sampleEvent(t)); err != nil {
		t.Fatal(err)
	}
	m, err := mail.ReadMessage(bytes.NewReader(srv.messages()[0].Data))
	if err != nil {
		t.Fatal(err)
	}
	mt, params, err := mime.ParseMediaType(m.Header.Get("Content-Type"))
	if err != nil || mt != "multipart/alternative" {
		t.Fatalf("content type %q %v", mt, err)
	}
	mr := multipart.NewReader(m.Body, params["boundary"])
	var types []string
	var html string
	for {
		p, err := mr.NextPart()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		types = append(types, strings.Split(p.Header.Get("Content-Type"), ";")[0])
		b, _ := io.ReadAll(p) // NextPart decodes quoted-printable

		if strings.HasPrefix(p.Header.Get("Content-Type"), "text/html") {
			html = string(b)
		}
	}
	if strings.Join(types, ",") != "text/plain,text/html" {
		t.Fatalf("parts %v", types)
	}
	if !strings.Contains(html, "Sales &lt;EMEA&gt; &amp; Co") || !strings.Contains(html, `href="https://tableau.example.com/#/site/sales/datasources/ds-7"`) {
		t.Fatalf("html part %q", html)
	}
	if _, err := notify.NewEmail(&notify.EmailOptions{Host: "h", From: "a@example.com", To: []string{"b@example.com"}, HTMLBody: "{{"}); err == nil {
		t.Fatal("bad html template accepted")
	}
}
