package notify_test

import (
	"bytes"
	"context"
	"net/http/httptest"
	"net/mail"
	"path/filepath"
	"strings"
	"testing"
	"time"

	gomail "github.com/wneessen/go-mail"

	"github.com/tableau-go/sdk/rest"
	"github.com/tableau-go/sdk/tableau"
	"github.com/tableau-go/sdk/tableau/tableautest"
	"github.com/tableau-go/sdk/webhooks"
	"github.com/tableau-go/sdk/webhooks/notify"
)

// TestNewWorkbookEmailsQAThroughEmulator: a workbook published on the
// emulator makes it POST WorkbookCreated to the handler, which emails the QA
// team (a real SMTP server) with the workbook's name, project, owner and link.
func TestNewWorkbookEmailsQAThroughEmulator(t *testing.T) {
	emu := tableautest.NewTestServer(t, nil)
	emu.SetWebhookRetry(5, 20*time.Millisecond)
	seed, err := emu.Seed(tableautest.SeedOptions{Projects: 1})
	if err != nil {
		t.Fatal(err)
	}
	creds := emu.Credentials()
	ctx := context.Background()
	c, err := rest.SignIn(ctx, tableau.Config{
		Server:      emu.URL(),
		Site:        creds.SiteContentURL,
		Credentials: tableau.PersonalAccessToken{Name: creds.PATName, Secret: creds.PATSecret},
	})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Session.SignOut(ctx)

	smtpSrv := newSMTPServer(t)
	em, err := notify.NewEmail(&notify.EmailOptions{
		Host: "127.0.0.1", Port: smtpSrv.addr.Port, TLSPolicy: gomail.NoTLS,
		From: "tableau@example.com", To: []string{"qa@example.com"},
		Subject: "New workbook to review: {{.Event.ResourceName}}",
		Body: `{{.Event.ResourceName}} was published{{with .Item}} in {{.ProjectName}} by {{.OwnerName}}{{end}}.
Review it at {{.Link}}`,
		Lookup: func(ctx context.Context, e *webhooks.Event) (*webhooks.Item, error) {
			return webhooks.LookupItem(ctx, c.Session, e)
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	h, err := webhooks.NewHandler(&webhooks.Options{StorePath: filepath.Join(t.TempDir(), "events.db"), Token: "qa-token"})
	if err != nil {
		t.Fatal(err)
	}
	if err := h.Handle("qa-mail", em, webhooks.WorkbookCreated); err != nil {
		t.Fatal(err)
	}
	runCtx, cancel := context.WithCancel(ctx)
	defer cancel()
	go h.Run(runCtx)
	srv := httptest.NewServer(h)
	defer srv.Close()
	defer h.Close(ctx)

	dest, err := webhooks.DestinationURL(srv.URL+"/tableau", "qa-token")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := webhooks.Subscribe(ctx, c.Webhooks, "qa", dest, webhooks.WorkbookCreated); err != nil {
		t.Fatal(err)
	}
	twb := tableautest.SampleTWB("db.example.com", "Sheet 1")
	wb, err := c.Workbooks.Publish(ctx, bytes.NewReader(twb), &rest.PublishOptions{
		Name: "Quarterly Sales", ProjectID: seed.ProjectIDs[0], FileName: "sales.twb", Size: int64(len(twb)),
	})
	if err != nil {
		t.Fatal(err)
	}
	wait(t, "the QA email", func() bool { return len(smtpSrv.messages()) == 1 })
	m, err := mail.ReadMessage(bytes.NewReader(smtpSrv.messages()[0].Data))
	if err != nil {
		t.Fatal(err)
	}
	if got := m.Header.Get("Subject"); got != "New workbook to review: Quarterly Sales" {
		t.Fatalf("subject %q", got)
	}
	body := string(readBody(t, m))
	if !strings.Contains(body, "Quarterly Sales was published in Project 1 by ") || !strings.Contains(body, "Review it at "+strings.TrimSuffix(emu.URL(), "/")) {
		t.Fatalf("body:\n%s", body)
	}
	if owner := strings.TrimSpace(strings.SplitN(strings.SplitN(body, " by ", 2)[1], ".", 2)[0]); owner == "" {
		t.Fatalf("no owner in %q", body)
	}
	if !strings.Contains(body, wb.ContentURL) {
		t.Fatalf("the link does not point at the workbook %q:\n%s", wb.ContentURL, body)
	}
}
