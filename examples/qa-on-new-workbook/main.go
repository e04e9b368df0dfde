// Command qa-on-new-workbook emails the QA team when a workbook is published
// to Tableau, with its name, project, owner and a link.
//
// It runs a webhooks receiver (package webhooks: a secret token in the URL,
// each event confirmed through the REST API, stored in a bbolt file before it
// is acknowledged, then delivered with retries), subscribes it through the
// REST API to Tableau's WorkbookCreated event, and sends one email per new
// workbook over SMTP (notify.Email, with go-mail) to the -to addresses. The
// SMTP password is read from SMTP_PASSWORD only, never from a flag, and is
// never printed; STARTTLS is required by default (-smtp-tls) and -smtp-ca
// trusts a private CA for the relay. On exit it deletes the webhook it
// created.
//
// By default it runs against the embedded emulator as a demo: it publishes a
// workbook there and exits once the email has been sent. Set TABLEAU_SERVER
// and credentials (the TABLEAU_* variables of tableau.ConfigFromEnv) to watch
// a real site until interrupted. Tableau posts only to https: run the
// receiver behind TLS and give the URL Tableau must call with -public-url.
// WEBHOOK_TOKEN sets the token (default: a random one per run).
// -allow limits posts to given networks (for Tableau Cloud, its published
// egress ranges).
//
//	go run ./examples/qa-on-new-workbook -smtp-host localhost -smtp-port 1025 -smtp-tls none \
//	    -from tableau@example.com -to qa@example.com
//	TABLEAU_SERVER=https://tableau.example.com TABLEAU_PAT_NAME=qa TABLEAU_PAT_SECRET=... \
//	SMTP_PASSWORD=... go run ./examples/qa-on-new-workbook -smtp-host smtp.example.com \
//	    -smtp-user tableau-bot -from tableau@example.com -to qa@example.com,leads@example.com \
//	    -listen :8080 -public-url https://qa-hooks.example.com/tableau -store /var/lib/qa/events.db
package main

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"text/template"
	"time"

	gomail "github.com/wneessen/go-mail"

	"github.com/tableau-go/sdk/rest"
	"github.com/tableau-go/sdk/tableau"
	"github.com/tableau-go/sdk/tableau/tableautest"
	"github.com/tableau-go/sdk/webhooks"
	"github.com/tableau-go/sdk/webhooks/notify"
)

// Environment variables read besides the TABLEAU_* ones.
const (
	envPassword = "SMTP_PASSWORD"
	envToken    = "WEBHOOK_TOKEN"
)

// The email the QA team receives.
const (
	subject = `New workbook to review: {{.Event.ResourceName}}`
	body    = `A workbook was published on Tableau and is ready for QA.

Workbook: {{.Event.ResourceName}}
Project:  {{with .Item}}{{.ProjectName}}{{else}}(unknown){{end}}
Owner:    {{with .Item}}{{.OwnerName}}{{else}}(unknown){{end}}
Site:     {{site .Event.SiteLUID}}
Created:  {{when .Event.CreatedAt}}
Link:     {{if .Link}}{{.Link}}{{else}}(the workbook is gone){{end}}`
)

// tlsPolicies are the values of -smtp-tls.
var tlsPolicies = map[string]gomail.TLSPolicy{
	"mandatory":     gomail.TLSMandatory,
	"opportunistic": gomail.TLSOpportunistic,
	"none":          gomail.NoTLS,
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stdout); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return // -h: the usage is printed
		}
		fmt.Fprintln(os.Stderr, "qa-on-new-workbook:", err)
		os.Exit(1)
	}
}

// app is the state the receiver shares with the rest.
type app struct {
	out      *syncWriter
	client   *rest.Client // set once signed in, before the receiver starts
	siteName string
	sent     atomic.Int64
	wake     chan struct{}
}

func run(ctx context.Context, args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("qa-on-new-workbook", flag.ContinueOnError)
	fs.SetOutput(stdout)
	host := fs.String("smtp-host", "", "SMTP server (required)")
	port := fs.Int("smtp-port", 587, "SMTP port")
	user := fs.String("smtp-user", "", "SMTP user name; the password comes from $"+envPassword)
	tlsName := fs.String("smtp-tls", "mandatory", "STARTTLS: mandatory, opportunistic or none (none only for a local relay)")
	caFile := fs.String("smtp-ca", "", "PEM file of the CA certificates to trust for the SMTP server (default: the system's)")
	from := fs.String("from", "", "sender address (required)")
	to := fs.String("to", "", "QA team's addresses, separated by commas (required)")
	listen := fs.String("listen", "127.0.0.1:0", "address the webhooks receiver listens on")
	publicURL := fs.String("public-url", "", "URL Tableau posts to, without the token (default http://<listen address>/tableau, fine for the emulator only)")
	storePath := fs.String("store", "", "bbolt file keeping accepted events until delivered (default: a temporary file removed at exit)")
	name := fs.String("name", "qa-on-new-workbook", "name of the Tableau webhook created")
	demoTimeout := fs.Duration("demo-timeout", 30*time.Second, "demo mode: how long to wait for the email")
	allow := fs.String("allow", "", "networks allowed to post, separated by commas, e.g. Tableau Cloud's egress ranges (default: any; behind a proxy the proxy's address is seen)")
	verbose := fs.Bool("v", false, "log rejected requests and failed deliveries")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("unexpected argument %q", fs.Arg(0))
	}
	password := os.Getenv(envPassword)
	var recipients []string
	for _, a := range strings.Split(*to, ",") {
		if a = strings.TrimSpace(a); a != "" {
			recipients = append(recipients, a)
		}
	}
	policy, okPolicy := tlsPolicies[*tlsName]
	switch {
	case *host == "":
		return errors.New("-smtp-host is required")
	case *port < 1 || *port > 65535:
		return fmt.Errorf("-smtp-port %d is not a port (1 to 65535)", *port)
	case !okPolicy:
		return fmt.Errorf("-smtp-tls %q: want mandatory, opportunistic or none", *tlsName)
	case *from == "":
		return errors.New("-from is required")
	case len(recipients) == 0:
		return errors.New("-to is required (the QA team's addresses, separated by commas)")
	case *user != "" && password == "":
		return fmt.Errorf("-smtp-user is set but %s is not", envPassword)
	case *user == "" && password != "":
		return fmt.Errorf("%s is set but -smtp-user is not", envPassword)
	case *user != "" && policy == gomail.NoTLS:
		return errors.New("-smtp-user needs TLS: with -smtp-tls none the password would cross the network in clear")
	case *listen == "" || strings.TrimSpace(*name) == "":
		return errors.New("-listen and -name must not be empty")
	case *demoTimeout <= 0:
		return errors.New("-demo-timeout must be positive")
	}
	if *publicURL != "" {
		if err := webhooks.CheckDestination(*publicURL); err != nil {
			return fmt.Errorf("-public-url: %w", err)
		}
	}
	sources, err := webhooks.ParseSources(*allow)
	if err != nil {
		return fmt.Errorf("-allow: %w", err)
	}
	token := os.Getenv(envToken)
	if token == "" {
		token = webhooks.NewToken()
	} else if err := webhooks.CheckToken(token); err != nil {
		return fmt.Errorf("%s: %w", envToken, err)
	}

	copts := []gomail.Option{gomail.WithTimeout(30 * time.Second)}
	if *caFile != "" {
		tc, err := trust(*caFile, *host)
		if err != nil {
			return err
		}
		copts = append(copts, gomail.WithTLSConfig(tc))
	}

	a := &app{out: &syncWriter{w: stdout}, wake: make(chan struct{}, 1)}
	email, err := notify.NewEmail(&notify.EmailOptions{
		Host: *host, Port: *port, Username: *user, Password: password, TLSPolicy: policy,
		From: *from, To: recipients,
		Subject: subject, Body: body,
		Funcs:         template.FuncMap{"site": a.site},
		Lookup:        a.lookup,
		ClientOptions: copts,
	})
	if err != nil {
		return flagError(err)
	}

	cfg, emu, where, cleanup, err := config()
	if err != nil {
		return err
	}
	defer cleanup()
	c, err := rest.SignIn(ctx, cfg)
	if err != nil {
		return fmt.Errorf("sign in to %s: %w", cfg.Server, err)
	}
	defer c.Session.SignOut(context.WithoutCancel(ctx)) //nolint:errcheck // best effort at exit
	a.client = c
	a.siteName = siteName(ctx, c)
	a.printf("tableau:  %s (%s), site %s\n", cfg.Server, where, a.siteName)
	auth := "no authentication"
	if *user != "" {
		auth = "as " + *user + ", password from " + envPassword
	}
	a.printf("smtp:     %s:%d (STARTTLS %s, %s), from %s to %s\n", *host, *port, *tlsName, auth, *from, strings.Join(recipients, ", "))

	tempStore := *storePath == ""
	if tempStore {
		dir, err := os.MkdirTemp("", "qa-on-new-workbook")
		if err != nil {
			return err
		}
		defer os.RemoveAll(dir)
		*storePath = filepath.Join(dir, "events.db")
	}
	hopts := &webhooks.Options{
		StorePath: *storePath,
		Token:     token,
		Confirmer: &webhooks.SessionConfirmer{Session: c.Session},

		AllowedSources: sources,
	}
	if *verbose {
		hopts.Logger = slog.New(slog.NewTextHandler(a.out, nil))
	}
	h, err := webhooks.NewHandler(hopts)
	if err != nil {
		return err
	}
	if err := h.Handle("qa-email", a.announce(email, recipients), webhooks.WorkbookCreated); err != nil {
		h.Close(ctx) //nolint:errcheck // the error above matters more
		return err
	}
	return serve(ctx, a, h, c, emu, serveOptions{listen: *listen, publicURL: *publicURL, token: token, store: *storePath,
		name: *name, demoTimeout: *demoTimeout, tempStore: tempStore})
}

// trust returns a TLS configuration for host that trusts the CA
// certificates of a PEM file.
func trust(file, host string) (*tls.Config, error) {
	pem, err := os.ReadFile(file)
	if err != nil {
		return nil, fmt.Errorf("-smtp-ca: %w", err)
	}
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(pem) {
		return nil, fmt.Errorf("-smtp-ca %s: no PEM certificate in the file", file)
	}
	return &tls.Config{ServerName: host, RootCAs: pool, MinVersion: tls.VersionTLS12}, nil
}

// flagError names the flag behind a notify.NewEmail error.
func flagError(err error) error {
	msg := err.Error()
	for field, flag := range map[string]string{"EmailOptions.From": "-from", "EmailOptions.To": "-to", "EmailOptions.Host": "-smtp-host"} {
		if strings.Contains(msg, field) {
			return fmt.Errorf("%s: %w", flag, err)
		}
	}
	return err
}

type serveOptions struct {
	listen, publicURL, token, store, name string
	demoTimeout                           time.Duration
	tempStore                             bool // the store is removed at exit
}

// serve runs the receiver, subscribes it, then runs the demo (emulator) or
// waits for ctx; on the way out it unsubscribes and shuts down gracefully.
func serve(ctx context.Context, a *app, h *webhooks.Handler, c *rest.Client, emu *tableautest.Server, o serveOptions) (err error) {
	// Deliveries get a context that outlives ctx: Close lets them finish.
	runCtx, stopRun := context.WithCancel(context.WithoutCancel(ctx))
	defer stopRun()
	runDone := make(chan struct{})
	go func() { defer close(runDone); h.Run(runCtx) }() //nolint:errcheck // Run returns nil or ErrClosed
	mux := http.NewServeMux()
	mux.Handle("/tableau", h)
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	var lc net.ListenConfig
	ln, err := lc.Listen(ctx, "tcp", o.listen)
	if err != nil {
		h.Close(ctx) //nolint:errcheck // the listen error matters more
		return fmt.Errorf("-listen: %w", err)
	}
	serveErr := make(chan error, 1)
	go func() { serveErr <- srv.Serve(ln) }()
	defer func() {
		sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
		defer cancel()
		srv.Shutdown(sctx) //nolint:errcheck // closing anyway
		if cerr := h.Close(sctx); cerr != nil && err == nil {
			err = fmt.Errorf("closing the receiver: %w", cerr)
		}
		stopRun()
		<-runDone
		a.printf("stopped:  %d emails sent, %s\n", a.sent.Load(), undelivered(h.Stats(), o.tempStore))
	}()

	base := o.publicURL
	if base == "" {
		base = "http://" + ln.Addr().String() + "/tableau"
	}
	dest, err := webhooks.DestinationURL(base, o.token)
	if err != nil {
		return fmt.Errorf("receiver URL: %w", err)
	}
	a.printf("receiver: %s (token in the query, not shown), store %s\n", base, o.store)
	// A webhook left by an earlier run that was killed would post twice.
	if n, err := webhooks.Unsubscribe(ctx, c.Webhooks, dest); err != nil {
		return err
	} else if n > 0 {
		a.printf("webhooks: %d left from an earlier run deleted\n", n)
	}
	hooks, err := webhooks.Subscribe(ctx, c.Webhooks, o.name, dest, webhooks.WorkbookCreated)
	if err != nil {
		return err
	}
	defer func() {
		uctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 30*time.Second)
		defer cancel()
		n, uerr := webhooks.Unsubscribe(uctx, c.Webhooks, dest)
		if uerr != nil && err == nil {
			err = uerr
		}
		a.printf("webhooks: %d deleted\n", n)
	}()
	for _, w := range hooks {
		a.printf("webhooks: %q subscribed to %s\n", w.Name, w.Event)
	}

	if emu != nil {
		return demo(ctx, a, c, o)
	}
	a.printf("waiting:  for new workbooks (Ctrl-C to stop)\n")
	select {
	case <-ctx.Done():
		return nil
	case err := <-serveErr:
		return fmt.Errorf("receiver: %w", err)
	}
}

// demo publishes a workbook on the emulator and waits until its email is
// sent.
func demo(ctx context.Context, a *app, c *rest.Client, o serveOptions) error {
	p, err := c.Projects.Create(ctx, rest.ProjectCreate{Name: "Finance", Description: "qa-on-new-workbook demo"})
	if ctx.Err() != nil {
		return nil // interrupted: not a failure
	}
	if err != nil {
		return fmt.Errorf("demo: create project: %w", err)
	}
	twb := tableautest.SampleTWB("db.example.com", "Revenue", "Margin")
	wb, err := c.Workbooks.Publish(ctx, strings.NewReader(string(twb)), &rest.PublishOptions{
		Name: "Quarterly Sales", ProjectID: p.ID, FileName: "quarterly-sales.twb", Size: int64(len(twb)),
	})
	if ctx.Err() != nil {
		return nil
	}
	if err != nil {
		return fmt.Errorf("demo: publish: %w", err)
	}
	a.printf("demo:     published workbook %q in project %q\n", wb.Name, p.Name)
	timeout := time.NewTimer(o.demoTimeout)
	defer timeout.Stop()
	for a.sent.Load() < 1 {
		select {
		case <-ctx.Done():
			return nil
		case <-timeout.C:
			return fmt.Errorf("demo: no email sent after %s (see the lines above)", o.demoTimeout)
		case <-a.wake:
		}
	}
	return nil
}

// undelivered says what becomes of the events not yet delivered at exit.
func undelivered(st webhooks.Stats, tempStore bool) string {
	s := fmt.Sprintf("%d events undelivered", st.Pending)
	if st.Dead > 0 {
		s += fmt.Sprintf(", %d deliveries given up (permanent failures)", st.Dead)
	}
	switch {
	case st.Pending == 0 && st.Dead == 0:
	case tempStore:
		s += ", lost with the temporary store (use -store to keep them)"
	default:
		s += ", kept in the store for the next start"
	}
	return s
}

// config reads TABLEAU_* from the environment when TABLEAU_SERVER is set,
// and otherwise starts the embedded emulator (demo mode).
func config() (cfg tableau.Config, emu *tableautest.Server, where string, cleanup func(), err error) {
	if os.Getenv(tableau.EnvServer) != "" {
		cfg, err = tableau.ConfigFromEnv()
		return cfg, nil, "from " + tableau.EnvServer, func() {}, err
	}
	emu, err = tableautest.NewServer(nil)
	if err != nil {
		return cfg, nil, "", nil, err
	}
	emu.SetWebhookRetry(4, 200*time.Millisecond)
	creds := emu.Credentials()
	cfg = tableau.Config{
		Server:      emu.URL(),
		Site:        creds.SiteContentURL,
		Credentials: tableau.PersonalAccessToken{Name: creds.PATName, Secret: creds.PATSecret},
	}
	return cfg, emu, "embedded emulator, demo", func() { emu.Close() }, nil
}

// siteName names the signed-in site, falling back on its content URL when
// the user may not read the site.
func siteName(ctx context.Context, c *rest.Client) string {
	if s, err := c.Sites.Get(ctx, c.Session.SiteID()); err == nil && s.Name != "" {
		return s.Name
	}
	if u := c.Session.State().SiteContentURL; u != "" {
		return u
	}
	return "Default"
}

// site is the template function naming a site by its id.
func (a *app) site(luid string) string {
	if a.client != nil && luid == a.client.Session.SiteID() {
		return a.siteName
	}
	return luid
}

// lookup fetches the workbook's project, owner and page for the email.
func (a *app) lookup(ctx context.Context, e *webhooks.Event) (*webhooks.Item, error) {
	return webhooks.LookupItem(ctx, a.client.Session, e)
}

// announce wraps the email notifier to print a line per email sent.
func (a *app) announce(em *notify.Email, to []string) webhooks.Receiver {
	return webhooks.ReceiverFunc(func(ctx context.Context, e *webhooks.Event) error {
		if err := em.Receive(ctx, e); err != nil {
			if webhooks.IsPermanent(err) {
				a.printf("email:    about %q given up: %v\n", e.ResourceName, err)
			} else {
				a.printf("email:    about %q not sent yet: %v\n", e.ResourceName, err)
			}
			return err
		}
		a.printf("email:    %q sent to %s\n", e.ResourceName, strings.Join(to, ", "))
		a.sent.Add(1)
		select {
		case a.wake <- struct{}{}:
		default:
		}
		return nil
	})
}

func (a *app) printf(format string, args ...any) { fmt.Fprintf(a.out, format, args...) }

// syncWriter serialises writes from the receiver and the main goroutine.
type syncWriter struct {
	mu sync.Mutex
	w  io.Writer
}

func (s *syncWriter) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.w.Write(p)
}
