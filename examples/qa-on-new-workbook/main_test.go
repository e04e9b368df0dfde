package main

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"errors"
	"fmt"
	"io"
	"math/big"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net"
	"net/http"
	"net/mail"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"

	"github.com/tableau-go/sdk/examples/internal/exampletest"
	"github.com/tableau-go/sdk/rest"
	"github.com/tableau-go/sdk/tableau"
	"github.com/tableau-go/sdk/tableau/tableautest"
)

// clearEnv makes the run use the embedded emulator and no password or token
// from the machine's environment.
func clearEnv(t *testing.T) { exampletest.ClearEnv(t, envPassword, envToken) }

// smtpServer is a real SMTP server (emersion/go-smtp) on loopback that keeps
// the messages it receives. With a user set, it offers AUTH PLAIN and
// refuses mail from sessions that did not authenticate.
type smtpServer struct {
	srv            *smtp.Server
	port           int
	user, password string

	mu     sync.Mutex
	msgs   []receivedMail
	logins []string // user names that authenticated
}

type receivedMail struct {
	From string
	To   []string
	Data []byte
}

// With TLS (a *tls.Config), it offers STARTTLS and AUTH only after it.
func newSMTPServer(t *testing.T, user, password string, tc *tls.Config) *smtpServer {
	t.Helper()
	s := &smtpServer{user: user, password: password}
	s.srv = smtp.NewServer(smtp.BackendFunc(func(*smtp.Conn) (smtp.Session, error) { return &smtpSession{s: s}, nil }))
	s.srv.Domain = "localhost"
	s.srv.TLSConfig = tc
	s.srv.ReadTimeout = 10 * time.Second
	s.srv.WriteTimeout = 10 * time.Second
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s.port = l.Addr().(*net.TCPAddr).Port
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
	s      *smtpServer
	authed bool
	from   string
	to     []string
}

func (ss *smtpSession) AuthMechanisms() []string {
	if ss.s.user == "" {
		return nil
	}
	return []string{sasl.Plain}
}

func (ss *smtpSession) Auth(mech string) (sasl.Server, error) {
	return sasl.NewPlainServer(func(identity, username, password string) error {
		if username != ss.s.user || password != ss.s.password {
			return &smtp.SMTPError{Code: 535, EnhancedCode: smtp.EnhancedCode{5, 7, 8}, Message: "authentication failed"}
		}
		ss.authed = true
		ss.s.mu.Lock()
		ss.s.logins = append(ss.s.logins, username)
		ss.s.mu.Unlock()
		return nil
	}), nil
}

func (ss *smtpSession) Reset()        { ss.from, ss.to = "", nil }
func (ss *smtpSession) Logout() error { return nil }
func (ss *smtpSession) Mail(from string, _ *smtp.MailOptions) error {
	if ss.s.user != "" && !ss.authed {
		return &smtp.SMTPError{Code: 530, EnhancedCode: smtp.EnhancedCode{5, 7, 0}, Message: "authentication required"}
	}
	ss.from = from
	return nil
}
func (ss *smtpSession) Rcpt(to string, _ *smtp.RcptOptions) error {
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

// syncBuffer is a bytes.Buffer safe to read while run writes to it.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// parseMail returns a received message's decoded subject and plain-text body.
func parseMail(t *testing.T, m receivedMail) (subject, body string) {
	t.Helper()
	msg, err := mail.ReadMessage(bytes.NewReader(m.Data))
	if err != nil {
		t.Fatal(err)
	}
	subject, err = new(mime.WordDecoder).DecodeHeader(msg.Header.Get("Subject"))
	if err != nil {
		t.Fatal(err)
	}
	mt, params, err := mime.ParseMediaType(msg.Header.Get("Content-Type"))
	if err != nil {
		t.Fatal(err)
	}
	var part io.Reader = msg.Body
	enc := msg.Header.Get("Content-Transfer-Encoding")
	if strings.HasPrefix(mt, "multipart/") {
		p, err := multipart.NewReader(msg.Body, params["boundary"]).NextPart()
		if err != nil {
			t.Fatal(err)
		}
		part, enc = p, p.Header.Get("Content-Transfer-Encoding")
	}
	if strings.EqualFold(enc, "quoted-printable") {
		part = quotedprintable.NewReader(part)
	}
	b, err := io.ReadAll(part)
	if err != nil {
		t.Fatal(err)
	}
	return subject, strings.ReplaceAll(string(b), "\r\n", "\n")
}

// selfSigned writes a self-signed certificate for 127.0.0.1 to a PEM file
// (what -smtp-ca reads) and returns the file and the server's TLS config.
func selfSigned(t *testing.T) (string, *tls.Config) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber:          big.NewInt(1),
		Subject:               pkix.Name{CommonName: "test SMTP relay"},
		NotBefore:             time.Now().Add(-time.Hour),
		NotAfter:              time.Now().Add(time.Hour),
		IPAddresses:           []net.IP{net.IPv4(127, 0, 0, 1)},
		KeyUsage:              x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		BasicConstraintsValid: true,
		IsCA:                  true,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(t.TempDir(), "relay-ca.pem")
	if err := os.WriteFile(file, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o600); err != nil {
		t.Fatal(err)
	}
	return file, &tls.Config{Certificates: []tls.Certificate{{Certificate: [][]byte{der}, PrivateKey: key}}, MinVersion: tls.VersionTLS12}
}

func smtpArgs(s *smtpServer, extra ...string) []string {
	return append([]string{"-smtp-host", "127.0.0.1", "-smtp-port", strconv.Itoa(s.port), "-smtp-tls", "none",
		"-from", "tableau@example.com", "-to", "qa@example.com, qa-lead@example.com"}, extra...)
}

// TestDemoEmailsQA runs the default demo end to end: a workbook published on
// the embedded emulator makes it POST WorkbookCreated to the receiver over
// real HTTP, and the QA team gets one email on a real SMTP server with the
// workbook's name, project, owner, site and link.
func TestDemoEmailsQA(t *testing.T) {
	clearEnv(t)
	s := newSMTPServer(t, "", "", nil)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	var out bytes.Buffer
	if err := run(ctx, smtpArgs(s, "-allow", "127.0.0.1"), &out); err != nil {
		t.Fatalf("%v\n%s", err, out.String())
	}
	got := out.String()
	t.Log(got)
	server := regexp.MustCompile(`(?m)^tableau: +(http://127\.0\.0\.1:\d+) \(embedded emulator, demo\), site Default$`).FindStringSubmatch(got)
	if server == nil {
		t.Fatalf("no tableau line:\n%s", got)
	}
	for _, re := range []string{
		`(?m)^smtp: +127\.0\.0\.1:\d+ \(STARTTLS none, no authentication\), from tableau@example\.com to qa@example\.com, qa-lead@example\.com$`,
		`(?m)^receiver: http://127\.0\.0\.1:\d+/tableau \(token in the query, not shown\), store .+events\.db$`,
		`(?m)^webhooks: "qa-on-new-workbook: WorkbookCreated" subscribed to webhook-source-event-workbook-created$`,
		`(?m)^demo: +published workbook "Quarterly Sales" in project "Finance"$`,
		`(?m)^email: +"Quarterly Sales" sent to qa@example\.com, qa-lead@example\.com$`,
		`(?m)^webhooks: 1 deleted$`,
		`(?m)^stopped: +1 emails sent, 0 events undelivered\n\z`,
	} {
		if !regexp.MustCompile(re).MatchString(got) {
			t.Errorf("output does not match %s:\n%s", re, got)
		}
	}
	if strings.Contains(got, "token=") {
		t.Errorf("output shows the token:\n%s", got)
	}

	msgs := s.messages()
	if len(msgs) != 1 {
		t.Fatalf("the SMTP server got %d messages, want 1", len(msgs))
	}
	m := msgs[0]
	if m.From != "tableau@example.com" || strings.Join(m.To, ",") != "qa@example.com,qa-lead@example.com" {
		t.Errorf("envelope from %q to %q", m.From, m.To)
	}
	subject, body := parseMail(t, m)
	if subject != "New workbook to review: Quarterly Sales" {
		t.Errorf("subject %q", subject)
	}
	for _, re := range []string{
		`^A workbook was published on Tableau and is ready for QA\.\n`,
		`(?m)^Workbook: Quarterly Sales$`,
		`(?m)^Project:  Finance$`,
		`(?m)^Owner:    admin$`,
		`(?m)^Site:     Default$`,
		`(?m)^Created:  \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC$`,
		`(?m)^Link:     ` + regexp.QuoteMeta(server[1]) + `/#/workbooks/QuarterlySales\S*$`,
	} {
		if !regexp.MustCompile(re).MatchString(body) {
			t.Errorf("body does not match %s:\n%s", re, body)
		}
	}
}

// TestWatchServerWithSMTPAuth points TABLEAU_SERVER at a separate emulator,
// as a real site would be configured, and sends through an SMTP server that
// requires AUTH with the password from SMTP_PASSWORD: each workbook published
// there is emailed once, with the exact link; on cancellation the command
// deletes its webhook and returns; the password is never printed.
func TestWatchServerWithSMTPAuth(t *testing.T) {
	clearEnv(t)
	const password = "smtp-pa55word-not-to-print"
	ca, tc := selfSigned(t)
	s := newSMTPServer(t, "tableau-bot", password, tc)
	t.Setenv(envPassword, password)
	emu := tableautest.NewTestServer(t, nil)
	emu.SetWebhookRetry(5, 50*time.Millisecond)
	seed, err := emu.Seed(tableautest.SeedOptions{Projects: 2})
	if err != nil {
		t.Fatal(err)
	}
	creds := emu.Credentials()
	t.Setenv(tableau.EnvServer, emu.URL())
	t.Setenv(tableau.EnvPATName, creds.PATName)
	t.Setenv(tableau.EnvPATSecret, creds.PATSecret)

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var out syncBuffer
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, smtpArgs(s, "-smtp-tls", "mandatory", "-smtp-ca", ca, "-smtp-user", "tableau-bot", "-name", "qa"), &out)
	}()

	bg := context.Background()
	c, err := rest.SignIn(bg, tableau.Config{Server: emu.URL(), Credentials: tableau.Password{Username: creds.Username, Password: creds.Password}})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Session.SignOut(bg)
	waitFor(t, "the subscription", func() bool {
		hooks, err := c.Webhooks.List(bg)
		return err == nil && len(hooks) == 1
	})
	twb := tableautest.SampleTWB("db.example.com", "Sheet 1")
	var contentURLs []string
	for i, project := range seed.ProjectIDs {
		wb, err := c.Workbooks.Publish(bg, bytes.NewReader(twb), &rest.PublishOptions{
			Name: fmt.Sprintf("Churn Review %d", i+1), ProjectID: project, FileName: "churn.twb", Size: int64(len(twb)),
		})
		if err != nil {
			t.Fatal(err)
		}
		contentURLs = append(contentURLs, wb.ContentURL)
	}
	waitFor(t, "two emails", func() bool { return len(s.messages()) == 2 })
	if err := emu.WaitWebhooks(bg); err != nil {
		t.Fatal(err)
	}

	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("run: %v\n%s", err, out.String())
		}
	case <-time.After(20 * time.Second):
		t.Fatal("run did not return after cancellation")
	}
	if hooks, err := c.Webhooks.List(bg); err != nil || len(hooks) != 0 {
		t.Fatalf("webhooks left: %v, %v", hooks, err)
	}
	if len(s.messages()) != 2 {
		t.Fatalf("%d emails, want 2", len(s.messages()))
	}
	s.mu.Lock()
	logins := strings.Join(s.logins, ",")
	s.mu.Unlock()
	if logins != "tableau-bot,tableau-bot" {
		t.Errorf("SMTP logins %q", logins)
	}
	bodies := map[string]string{}
	for _, m := range s.messages() {
		subject, body := parseMail(t, m)
		bodies[subject] = body
	}
	for i, cu := range contentURLs {
		body, ok := bodies[fmt.Sprintf("New workbook to review: Churn Review %d", i+1)]
		if !ok {
			t.Fatalf("no email for workbook %d: %v", i+1, bodies)
		}
		for _, want := range []string{
			fmt.Sprintf("Workbook: Churn Review %d\n", i+1),
			fmt.Sprintf("Project:  Project %d\n", i+1),
			"Owner:    admin\n",
			"Link:     " + strings.TrimSuffix(emu.URL(), "/") + "/#/workbooks/" + cu,
		} {
			if !strings.Contains(body, want) {
				t.Errorf("email %d lacks %q:\n%s", i+1, want, body)
			}
		}
	}
	got := out.String()
	for _, want := range []string{"(from TABLEAU_SERVER), site Default", "(STARTTLS mandatory, as tableau-bot, password from SMTP_PASSWORD)", "waiting:  for new workbooks", "webhooks: 1 deleted", "stopped:  2 emails sent, 0 events undelivered"} {
		if !strings.Contains(got, want) {
			t.Errorf("output lacks %q:\n%s", want, got)
		}
	}
	for _, d := range emu.WebhookDeliveries() {
		if d.Status != http.StatusOK {
			t.Errorf("delivery %+v was not accepted", d)
		}
	}
	if strings.Contains(got, password) || strings.Contains(got, creds.PATSecret) {
		t.Errorf("output shows a secret:\n%s", got)
	}
}

// TestWrongPasswordIsReportedNotPrinted: the SMTP server refuses the
// password (535, a permanent reply); the command reports that it gave the
// email up (a dead letter, which Handler.RequeueDeadLetters sends again once
// the password is fixed) and says so when it stops; neither the output nor
// the error holds the password.
func TestWrongPasswordIsReportedNotPrinted(t *testing.T) {
	clearEnv(t)
	ca, tc := selfSigned(t)
	s := newSMTPServer(t, "tableau-bot", "the-right-one", tc)
	const wrong = "wr0ng-pa55word-not-to-print"
	t.Setenv(envPassword, wrong)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var out syncBuffer
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, smtpArgs(s, "-smtp-tls", "mandatory", "-smtp-ca", ca, "-smtp-user", "tableau-bot", "-demo-timeout", "1m"), &out)
	}()
	refusal := regexp.MustCompile(`(?m)^email: +about "Quarterly Sales" given up: .*535`)
	waitFor(t, "the SMTP refusal", func() bool { return refusal.MatchString(out.String()) })
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("run: %v\n%s", err, out.String())
		}
	case <-time.After(20 * time.Second):
		t.Fatal("run did not return after cancellation")
	}
	got := out.String()
	for _, want := range []string{"webhooks: 1 deleted\n", "stopped:  0 emails sent, 0 events undelivered, 1 deliveries given up (permanent failures), lost with the temporary store (use -store to keep them)\n"} {
		if !strings.Contains(got, want) {
			t.Errorf("output lacks %q:\n%s", want, got)
		}
	}
	if strings.Contains(got, wrong) {
		t.Errorf("the password was printed:\n%s", got)
	}
	if len(s.messages()) != 0 {
		t.Errorf("%d messages got through", len(s.messages()))
	}
}

// TestDemoTimeout: with an SMTP server that takes no mail, the demo gives up
// after -demo-timeout with an error.
func TestDemoTimeout(t *testing.T) {
	clearEnv(t)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := ln.Addr().(*net.TCPAddr).Port
	ln.Close() // nothing listens there now
	args := []string{"-smtp-host", "127.0.0.1", "-smtp-port", strconv.Itoa(port), "-smtp-tls", "none",
		"-from", "tableau@example.com", "-to", "qa@example.com", "-demo-timeout", "2s"}
	var out bytes.Buffer
	err = run(context.Background(), args, &out)
	if err == nil || !strings.Contains(err.Error(), "demo: no email sent after 2s") {
		t.Fatalf("err = %v\n%s", err, out.String())
	}
	if !strings.Contains(out.String(), "events undelivered, lost with the temporary store") {
		t.Errorf("output:\n%s", out.String())
	}
}

func TestBadFlags(t *testing.T) {
	ok := []string{"-smtp-host", "smtp.example.com", "-from", "tableau@example.com", "-to", "qa@example.com"}
	with := func(extra ...string) []string { return append(append([]string(nil), ok...), extra...) }
	for _, tc := range []struct {
		name string
		args []string
		env  map[string]string
		want string
	}{
		{"no host", []string{"-from", "a@example.com", "-to", "b@example.com"}, nil, "-smtp-host is required"},
		{"no from", []string{"-smtp-host", "smtp.example.com", "-to", "b@example.com"}, nil, "-from is required"},
		{"no to", []string{"-smtp-host", "smtp.example.com", "-from", "a@example.com", "-to", " , "}, nil, "-to is required"},
		{"bad port", with("-smtp-port", "70000"), nil, "-smtp-port 70000 is not a port"},
		{"port not a number", with("-smtp-port", "smtp"), nil, `invalid value "smtp" for flag -smtp-port`},
		{"bad tls", with("-smtp-tls", "sometimes"), nil, `-smtp-tls "sometimes": want mandatory, opportunistic or none`},
		{"bad from", with("-from", "not an address"), nil, "-from: notify: EmailOptions.From"},
		{"bad to", with("-to", "qa@example.com, nobody"), nil, "-to: notify: EmailOptions.To"},
		{"password flag", with("-smtp-password", "s3cr3t"), nil, "flag provided but not defined: -smtp-password"},
		{"user without password", with("-smtp-user", "bot"), nil, "-smtp-user is set but SMTP_PASSWORD is not"},
		{"password in clear", with("-smtp-user", "bot", "-smtp-tls", "none"), map[string]string{envPassword: "s3cr3t-pw"}, "-smtp-user needs TLS"},
		{"no CA file", with("-smtp-ca", "/nonexistent/ca.pem"), nil, "-smtp-ca: open /nonexistent/ca.pem"},
		{"CA file not PEM", with("-smtp-ca", "main.go"), nil, "-smtp-ca main.go: no PEM certificate in the file"},
		{"password without user", ok, map[string]string{envPassword: "s3cr3t-pw"}, "SMTP_PASSWORD is set but -smtp-user is not"},
		{"public url not https", with("-public-url", "http://qa.example.com/tableau"), nil, "-public-url: webhooks: bad destination URL"},
		{"argument", with("extra"), nil, `unexpected argument "extra"`},
		{"demo timeout", with("-demo-timeout", "-1s"), nil, "-demo-timeout must be positive"},
		{"short token", ok, map[string]string{envToken: "s3cr3t"}, envToken + ": webhooks: the token is too short"},
		{"bad allow", with("-allow", "tableau.example.com"), nil, `-allow: webhooks: source "tableau.example.com" is neither an address nor a network`},
		{"bad env", ok, map[string]string{tableau.EnvServer: "https://tableau.example.com", tableau.EnvUsername: "ci"}, tableau.EnvPassword},
		{"bad listen", with("-listen", "256.0.0.1:1"), nil, "-listen: "},
	} {
		t.Run(tc.name, func(t *testing.T) {
			clearEnv(t)
			for k, v := range tc.env {
				t.Setenv(k, v)
			}
			var out bytes.Buffer
			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			defer cancel()
			err := run(ctx, tc.args, &out)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("err = %v, want %q", err, tc.want)
			}
			if strings.Contains(err.Error(), "s3cr3t") || strings.Contains(out.String(), "s3cr3t") {
				t.Fatalf("a secret was shown: %v\n%s", err, out.String())
			}
		})
	}
}
