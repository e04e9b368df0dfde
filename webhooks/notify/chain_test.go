package notify_test

import (
	"bytes"
	"context"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"net/mail"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/emersion/go-smtp"
	gomail "github.com/wneessen/go-mail"

	"github.com/tableau-go/sdk/webhooks"
	"github.com/tableau-go/sdk/webhooks/notify"
)

// TestChainTeamsAndEmailWithSMTPOutage runs the whole chain over real
// sockets: Tableau-shaped POSTs to a webhooks.Handler, a Teams card to a
// workflow double, and email to an SMTP server that is down at first and
// comes up later on the same port: every message arrives once it is up.
func TestChainTeamsAndEmailWithSMTPOutage(t *testing.T) {
	// Reserve a port for the SMTP server, then leave it closed (down).
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := l.Addr().(*net.TCPAddr).Port
	l.Close()

	teams := newHookServer(t, http.StatusAccepted, "")
	tm, err := notify.NewTeams(teams.URL, nil)
	if err != nil {
		t.Fatal(err)
	}
	o := &notify.EmailOptions{Host: "127.0.0.1", Port: port, TLSPolicy: gomail.NoTLS, From: "tableau@example.com", To: []string{"qa@example.com"}}
	em, err := notify.NewEmail(o)
	if err != nil {
		t.Fatal(err)
	}
	h, err := webhooks.NewHandler(&webhooks.Options{
		StorePath:  filepath.Join(t.TempDir(), "events.db"),
		Token:      "tok",
		MinBackoff: 20 * time.Millisecond,
		MaxBackoff: 100 * time.Millisecond,
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := h.Handle("teams", tm, webhooks.WorkbookRefreshFailed); err != nil {
		t.Fatal(err)
	}
	if err := h.Handle("qa-mail", em, webhooks.WorkbookCreated); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go h.Run(ctx)
	srv := httptest.NewServer(h)
	defer srv.Close()
	defer h.Close(context.Background())

	send := func(typ webhooks.EventType, name string) {
		body := fmt.Sprintf(`{"resource":"WORKBOOK","event_type":%q,"resource_name":%q,"site_luid":"s1","resource_luid":"id-%s","created_at":"2026-12-03T10:00:00Z"}`, typ, name, name)
		resp, err := http.Post(srv.URL+"/?token=tok", "application/json", strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != 200 {
			t.Fatalf("status %d", resp.StatusCode)
		}
	}
	for i := range 3 {
		send(webhooks.WorkbookCreated, fmt.Sprintf("New %d", i))
		send(webhooks.WorkbookRefreshFailed, fmt.Sprintf("Broken %d", i))
	}
	wait(t, "Teams cards", func() bool { return len(teams.received()) == 3 })
	wait(t, "failed email attempts", func() bool { return h.Stats().Retries >= 3 })

	// The SMTP server comes up on the reserved port.
	s := &smtpServer{reject: map[string]bool{}}
	s.srv = smtp.NewServer(smtp.BackendFunc(func(c *smtp.Conn) (smtp.Session, error) { return &smtpSession{s: s}, nil }))
	s.srv.Domain = "localhost"
	ln, err := net.Listen("tcp", fmt.Sprintf("127.0.0.1:%d", port))
	if err != nil {
		t.Skipf("port %d was taken meanwhile: %v", port, err)
	}
	go s.srv.Serve(ln)
	defer s.srv.Close()

	wait(t, "emails after the outage", func() bool { return len(s.messages()) == 3 })
	wait(t, "nothing pending", func() bool { return h.Stats().Pending == 0 })
	subjects := map[string]bool{}
	for _, m := range s.messages() {
		msg, err := mail.ReadMessage(bytes.NewReader(m.Data))
		if err != nil {
			t.Fatal(err)
		}
		subjects[msg.Header.Get("Subject")] = true
	}
	for i := range 3 {
		if want := fmt.Sprintf("[Tableau] Workbook created: New %d", i); !subjects[want] {
			t.Errorf("no email %q in %v", want, subjects)
		}
	}
	if len(teams.received()) != 3 {
		t.Fatalf("Teams got %d cards, want 3 (no repeats)", len(teams.received()))
	}
}

func wait(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(10 * time.Millisecond)
	}
}
