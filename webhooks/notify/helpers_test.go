package notify_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-smtp"

	"github.com/tableau-go/sdk/webhooks"
)

func sampleEvent(t *testing.T) *webhooks.Event {
	t.Helper()
	e, err := webhooks.ParseEvent([]byte(`{"resource":"DATASOURCE","event_type":"DatasourceRefreshFailed","resource_name":"Sales <EMEA> & Co","site_luid":"site-42","resource_luid":"ds-7","created_at":"2026-12-03T10:11:12Z","extra":true}`))
	if err != nil {
		t.Fatal(err)
	}
	return &e
}

// hookServer plays Slack or Teams: it records JSON bodies and answers with
// the status the test sets.
type hookServer struct {
	*httptest.Server
	mu     sync.Mutex
	bodies []map[string]any
	status int
	answer string
	header http.Header
}

func newHookServer(t *testing.T, status int, answer string) *hookServer {
	hs := &hookServer{status: status, answer: answer, header: http.Header{}}
	hs.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		hs.mu.Lock()
		defer hs.mu.Unlock()
		if r.Header.Get("Content-Type") != "application/json" {
			http.Error(w, "invalid_payload", http.StatusBadRequest)
			return
		}
		var m map[string]any
		if err := json.Unmarshal(b, &m); err != nil {
			http.Error(w, "invalid_payload", http.StatusBadRequest)
			return
		}
		if hs.status/100 == 2 {
			hs.bodies = append(hs.bodies, m)
		}
		for k, v := range hs.header {
			w.Header()[k] = v
		}
		w.WriteHeader(hs.status)
		io.WriteString(w, hs.answer)
	}))
	t.Cleanup(hs.Close)
	return hs
}

func (hs *hookServer) set(status int, answer string) {
	hs.mu.Lock()
	hs.status, hs.answer = status, answer
	hs.mu.Unlock()
}

func (hs *hookServer) received() []map[string]any {
	hs.mu.Lock()
	defer hs.mu.Unlock()
	return append([]map[string]any(nil), hs.bodies...)
}

// smtpServer is a real SMTP server (emersion/go-smtp) on loopback that keeps
// the messages it receives.
type smtpServer struct {
	srv    *smtp.Server
	addr   *net.TCPAddr
	mu     sync.Mutex
	msgs   []receivedMail
	reject map[string]bool // recipients answered 550
}

type receivedMail struct {
	From string
	To   []string
	Data []byte
}

func newSMTPServer(t *testing.T) *smtpServer {
	t.Helper()
	s := &smtpServer{reject: map[string]bool{}}
	s.srv = smtp.NewServer(smtp.BackendFunc(func(c *smtp.Conn) (smtp.Session, error) {
		return &smtpSession{s: s}, nil
	}))
	s.srv.Domain = "localhost"
	s.srv.ReadTimeout = 10 * time.Second
	s.srv.WriteTimeout = 10 * time.Second
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s.addr = l.Addr().(*net.TCPAddr)
	go s.srv.Serve(l)
	t.Cleanup(func() { s.srv.Close() })
	return s
}

func (s *smtpServer) messages() []receivedMail {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]receivedMail(nil), s.msgs...)
}

type smtpSession struct {
	s    *smtpServer
	from string
	to   []string
}

func (ss *smtpSession) Reset()        { ss.from, ss.to = "", nil }
func (ss *smtpSession) Logout() error { return nil }
func (ss *smtpSession) Mail(from string, _ *smtp.MailOptions) error {
	ss.from = from
	return nil
}
func (ss *smtpSession) Rcpt(to string, _ *smtp.RcptOptions) error {
	ss.s.mu.Lock()
	rej := ss.s.reject[to]
	ss.s.mu.Unlock()
	if rej {
		return &smtp.SMTPError{Code: 550, EnhancedCode: smtp.EnhancedCode{5, 1, 1}, Message: "no such mailbox"}
	}
	ss.to = append(ss.to, to)
	return nil
}
func (ss *smtpSession) Data(r io.Reader) error {
	b, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	if len(b) == 0 {
		return errors.New("empty message")
	}
	ss.s.mu.Lock()
	ss.s.msgs = append(ss.s.msgs, receivedMail{From: ss.from, To: ss.to, Data: bytes.Clone(b)})
	ss.s.mu.Unlock()
	return nil
}
