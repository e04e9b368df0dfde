package notify_test

import (
	"bytes"
	"context"
	"fmt"
	"net/mail"
	"strings"
	"testing"

	gomail "github.com/wneessen/go-mail"

	"github.com/tableau-go/sdk/tableau"
	"github.com/tableau-go/sdk/tableau/tableautest"
	"github.com/tableau-go/sdk/webhooks"
	"github.com/tableau-go/sdk/webhooks/notify"
)

// TestEmailWithLookupFromEmulator mails the QA team about a new workbook with
// its name, project, owner and link, looked up in the emulator over REST.
func TestEmailWithLookupFromEmulator(t *testing.T) {
	emu := tableautest.NewTestServer(t, nil)
	seed, err := emu.Seed(tableautest.SeedOptions{Projects: 1, Workbooks: 1})
	if err != nil {
		t.Fatal(err)
	}
	creds := emu.Credentials()
	sess, err := tableau.NewSession(tableau.Config{
		Server:      emu.URL(),
		Site:        creds.SiteContentURL,
		Credentials: tableau.PersonalAccessToken{Name: creds.PATName, Secret: creds.PATSecret},
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := sess.SignIn(context.Background()); err != nil {
		t.Fatal(err)
	}
	defer sess.SignOut(context.Background())

	smtpSrv := newSMTPServer(t)
	em, err := notify.NewEmail(&notify.EmailOptions{
		Host: "127.0.0.1", Port: smtpSrv.addr.Port, TLSPolicy: gomail.NoTLS,
		From: "tableau@example.com", To: []string{"qa@example.com"},
		Subject: "Please review {{.Event.ResourceName}}",
		Lookup: func(ctx context.Context, e *webhooks.Event) (*webhooks.Item, error) {
			return webhooks.LookupItem(ctx, sess, e)
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	e, err := webhooks.ParseEvent(fmt.Appendf(nil, `{"resource":"WORKBOOK","event_type":"WorkbookCreated","resource_name":"Workbook 1","site_luid":%q,"resource_luid":%q,"created_at":"2026-12-03T10:00:00Z"}`, sess.SiteID(), seed.WorkbookIDs[0]))
	if err != nil {
		t.Fatal(err)
	}
	if err := em.Receive(context.Background(), &e); err != nil {
		t.Fatal(err)
	}
	msgs := smtpSrv.messages()
	if len(msgs) != 1 {
		t.Fatalf("%d messages", len(msgs))
	}
	m, err := mail.ReadMessage(bytes.NewReader(msgs[0].Data))
	if err != nil {
		t.Fatal(err)
	}
	body := string(readBody(t, m))
	for _, want := range []string{"Workbook created: Workbook 1", "Project:  Project 1", "Owner:", "Link:     " + strings.TrimSuffix(emu.URL(), "/")} {
		if !strings.Contains(body, want) {
			t.Errorf("body lacks %q:\n%s", want, body)
		}
	}

	// A deleted workbook has no item: the message goes out without one.
	gone := e
	gone.Type, gone.ResourceLUID = webhooks.WorkbookDeleted, "00000000-0000-4000-8000-000000000000"
	if err := em.Receive(context.Background(), &gone); err != nil {
		t.Fatal(err)
	}
	// Tableau down: the lookup fails and the delivery is to be retried.
	emu.Close()
	if err := em.Receive(context.Background(), &e); err == nil || webhooks.IsPermanent(err) {
		t.Fatalf("lookup failure must be retried: %v", err)
	}
	if len(smtpSrv.messages()) != 2 {
		t.Fatalf("%d messages, want 2", len(smtpSrv.messages()))
	}
}
