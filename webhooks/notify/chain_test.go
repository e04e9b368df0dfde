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
	"sync/atomic"
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
	// The SMTP server's port is held for the whole test (no other process
	// can take it), but while the server is down every connection is
	// closed before its greeting.
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	smtpLn := &outageListener{Listener: l}
	port := l.Addr().(*net.TCPAddr).Port
	s := &smtpServer{reject: map[string]bool{}}
	s.srv = smtp.NewServer(smtp.BackendFunc(func(c *smtp.Conn) (smtp.Session, error) { return &smtpSession{s: s}, nil }))
	s.srv.Domain = "localhost"
	go s.srv.Serve(smtpLn)
	defer s.srv.Close()

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

	// The SMTP server comes up.
	smtpLn.up.Store(true)

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

// outageListener closes every connection it accepts until up is set, like
// a mail server that is down; then it hands them to the server.
type outageListener struct {
	net.Listener
	up atomic.Bool
}

func (l *outageListener) Accept() (net.Conn, error) {
	for {
		c, err := l.Listener.Accept()
		if err != nil || l.up.Load() {
			return c, err
		}
		c.Close()
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
