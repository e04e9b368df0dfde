// Command notify-on-failure posts an alert to Slack or Microsoft Teams when
// an extract refresh of a data source or workbook fails on Tableau.
//
// It runs a webhooks receiver (package webhooks: a secret token in the URL,
// each event confirmed through the REST API, stored in a bbolt file before it
// is acknowledged, then delivered with retries), subscribes it through the
// REST API to Tableau's DatasourceRefreshFailed and WorkbookRefreshFailed
// events, and posts every such event to the Slack incoming webhook of -slack
// and/or the Teams workflow webhook of -teams (or SLACK_WEBHOOK_URL and
// TEAMS_WEBHOOK_URL, which keep the URLs out of the process list) with the
// item's name, project and owner, the site, the time and a link. On exit it
// deletes the webhooks it created.
//
// By default it runs against the embedded emulator as a demo: it seeds a
// data source and a workbook, makes their refreshes fail, and exits once the
// alerts have been posted. Set TABLEAU_SERVER and credentials (the TABLEAU_*
// variables of tableau.ConfigFromEnv) to watch a real site until
// interrupted. Tableau posts only to https: run the receiver behind TLS and
// give the URL Tableau must call with -public-url. WEBHOOK_TOKEN sets the
// token (default: a random one per run).
// -allow limits posts to given networks (for Tableau Cloud, its published
// egress ranges).
//
//	go run ./examples/notify-on-failure -slack https://hooks.slack.com/services/T0/B0/XXXX
//	TABLEAU_SERVER=https://tableau.example.com TABLEAU_SITE=finance \
//	TABLEAU_PAT_NAME=alerts TABLEAU_PAT_SECRET=... TEAMS_WEBHOOK_URL=https://... \
//	go run ./examples/notify-on-failure -listen :8080 \
//	    -public-url https://alerts.example.com/tableau -store /var/lib/alerts/events.db
package main

import (
	"context"
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

	"github.com/tableau-go/sdk/rest"
	"github.com/tableau-go/sdk/tableau"
	"github.com/tableau-go/sdk/tableau/tableautest"
	"github.com/tableau-go/sdk/webhooks"
	"github.com/tableau-go/sdk/webhooks/notify"
)

// Environment variables read besides the TABLEAU_* ones.
const (
	envSlack = "SLACK_WEBHOOK_URL"
	envTeams = "TEAMS_WEBHOOK_URL"
	envToken = "WEBHOOK_TOKEN"
)

// events are what the command subscribes to.
var events = []webhooks.EventType{webhooks.DatasourceRefreshFailed, webhooks.WorkbookRefreshFailed}

// Message templates: what failed, where, when, and a link.
const (
	slackBody = `*{{esc .Summary}}*: {{esc .Event.ResourceName}}
*Site:* {{esc (site .Event.SiteLUID)}}
*When:* {{when .Event.CreatedAt}}{{with .Item}}
*Project:* {{esc .ProjectName}}
*Owner:* {{esc .OwnerName}}{{end}}{{if .Link}}
<{{.Link}}|Open in Tableau>{{end}}`
	teamsBody = `**{{.Summary}}**: {{.Event.ResourceName}} on site {{site .Event.SiteLUID}} at {{when .Event.CreatedAt}}.{{with .Item}} Project: {{.ProjectName}}, owner: {{.OwnerName}}.{{end}}{{if .Link}} [Open in Tableau]({{.Link}}){{end}}`
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stdout); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return // -h: the usage is printed
		}
		fmt.Fprintln(os.Stderr, "notify-on-failure:", err)
		os.Exit(1)
	}
}

// app is the state the receivers share.
type app struct {
	out      *syncWriter
	client   *rest.Client // set once signed in, before the receiver starts
	siteName string
	sent     atomic.Int64
	wake     chan struct{}
}

func run(ctx context.Context, args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("notify-on-failure", flag.ContinueOnError)
	fs.SetOutput(stdout)
	// The defaults come from the environment after parsing, so that the
	// usage text never shows these secret URLs.
	slackURL := fs.String("slack", "", "Slack incoming webhook URL (default $"+envSlack+")")
	teamsURL := fs.String("teams", "", "Microsoft Teams workflow webhook URL (default $"+envTeams+")")
	listen := fs.String("listen", "127.0.0.1:0", "address the webhooks receiver listens on")
	publicURL := fs.String("public-url", "", "URL Tableau posts to, without the token (default http://<listen address>/tableau, fine for the emulator only)")
	storePath := fs.String("store", "", "bbolt file keeping accepted events until delivered (default: a temporary file removed at exit)")
	name := fs.String("name", "notify-on-failure", "prefix of the names of the Tableau webhooks created")
	demoTimeout := fs.Duration("demo-timeout", 30*time.Second, "demo mode: how long to wait for the alerts")
	allow := fs.String("allow", "", "networks allowed to post, separated by commas, e.g. Tableau Cloud's egress ranges (default: any; behind a proxy the proxy's address is seen)")
	verbose := fs.Bool("v", false, "log rejected requests and failed deliveries")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("unexpected argument %q", fs.Arg(0))
	}
	if *slackURL == "" {
		*slackURL = os.Getenv(envSlack)
	}
	if *teamsURL == "" {
		*teamsURL = os.Getenv(envTeams)
	}
	if *slackURL == "" && *teamsURL == "" {
		return fmt.Errorf("no destination: set -slack or -teams (or %s or %s)", envSlack, envTeams)
	}
	if *listen == "" || strings.TrimSpace(*name) == "" {
		return errors.New("-listen and -name must not be empty")
	}
	if *demoTimeout <= 0 {
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

	a := &app{out: &syncWriter{w: stdout}, wake: make(chan struct{}, 1)}
	funcs := template.FuncMap{"site": a.site}
	var receivers []namedReceiver
	if *slackURL != "" {
		s, err := notify.NewSlack(*slackURL, &notify.SlackOptions{Body: slackBody, Funcs: funcs, Lookup: a.lookup})
		if err != nil {
			return fmt.Errorf("-slack (or %s): %w", envSlack, err)
		}
		receivers = append(receivers, namedReceiver{"slack", s})
	}
	if *teamsURL != "" {
		t, err := notify.NewTeams(*teamsURL, &notify.TeamsOptions{Body: teamsBody, Funcs: funcs, Lookup: a.lookup})
		if err != nil {
			return fmt.Errorf("-teams (or %s): %w", envTeams, err)
		}
		receivers = append(receivers, namedReceiver{"teams", t})
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

	tempStore := *storePath == ""
	if tempStore {
		dir, err := os.MkdirTemp("", "notify-on-failure")
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
	for _, r := range receivers {
		if err := h.Handle(r.name, a.announce(r), events...); err != nil {
			h.Close(ctx) //nolint:errcheck // the error above matters more
			return err
		}
	}
	return serve(ctx, a, h, c, emu, serveOptions{listen: *listen, publicURL: *publicURL, token: token, store: *storePath,
		name: *name, demoTimeout: *demoTimeout, tempStore: tempStore, alerts: 2 * len(receivers)})
}

type serveOptions struct {
	listen, publicURL, token, store, name string
	demoTimeout                           time.Duration
	tempStore                             bool // the store is removed at exit
	alerts                                int  // demo: alerts to wait for
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
		a.printf("stopped:  %d alerts sent, %s\n", a.sent.Load(), undelivered(h.Stats(), o.tempStore))
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
	// Webhooks left by an earlier run that was killed would post twice.
	if n, err := webhooks.Unsubscribe(ctx, c.Webhooks, dest); err != nil {
		return err
	} else if n > 0 {
		a.printf("webhooks: %d left from an earlier run deleted\n", n)
	}
	hooks, err := webhooks.Subscribe(ctx, c.Webhooks, o.name, dest, events...)
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
		return demo(ctx, a, c, emu, o)
	}
	a.printf("waiting:  for failed refreshes (Ctrl-C to stop)\n")
	select {
	case <-ctx.Done():
		return nil
	case err := <-serveErr:
		return fmt.Errorf("receiver: %w", err)
	}
}

// demo makes a data source and a workbook refresh fail on the emulator and
// waits until their alerts are sent.
func demo(ctx context.Context, a *app, c *rest.Client, emu *tableautest.Server, o serveOptions) error {
	seed, err := emu.Seed(tableautest.SeedOptions{Projects: 1, Datasources: 1, Workbooks: 1, WorkbookExtracts: true})
	if err != nil {
		return err
	}
	emu.SetJobDuration(100 * time.Millisecond)
	emu.FailRefreshesOf("Datasource 1", "Unable to connect to the server db.example.com (demo failure)")
	emu.FailRefreshesOf("Workbook 1", "The extract's table was dropped (demo failure)")
	refreshes := []struct {
		kind string
		do   func(context.Context, string, *rest.RefreshOptions) (*rest.Job, error)
		id   string
	}{
		{"data source", c.Datasources.Refresh, seed.DatasourceIDs[0]},
		{"workbook", c.Workbooks.Refresh, seed.WorkbookIDs[0]},
	}
	for _, r := range refreshes {
		job, err := r.do(ctx, r.id, nil)
		if ctx.Err() != nil {
			return nil // interrupted: not a failure
		}
		if err != nil {
			return fmt.Errorf("demo: refresh %s: %w", r.kind, err)
		}
		_, err = c.Jobs.Wait(ctx, job.ID, &rest.WaitOptions{Interval: 100 * time.Millisecond})
		var jerr *rest.JobError
		if ctx.Err() != nil {
			return nil
		}
		if !errors.As(err, &jerr) {
			return fmt.Errorf("demo: the %s refresh was meant to fail, got %v", r.kind, err)
		}
		a.printf("demo:     %s refresh of %q failed: %s\n", r.kind, jerr.Job.ResourceName, strings.Join(jerr.Job.Notes, "; "))
	}
	timeout := time.NewTimer(o.demoTimeout)
	defer timeout.Stop()
	for a.sent.Load() < int64(o.alerts) {
		select {
		case <-ctx.Done():
			return nil
		case <-timeout.C:
			return fmt.Errorf("demo: %d of %d alerts sent after %s", a.sent.Load(), o.alerts, o.demoTimeout)
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

// lookup fetches the item's project, owner and page for the message.
func (a *app) lookup(ctx context.Context, e *webhooks.Event) (*webhooks.Item, error) {
	return webhooks.LookupItem(ctx, a.client.Session, e)
}

type namedReceiver struct {
	name string
	r    webhooks.Receiver
}

// announce wraps a notifier to print a line per alert sent.
func (a *app) announce(nr namedReceiver) webhooks.Receiver {
	return webhooks.ReceiverFunc(func(ctx context.Context, e *webhooks.Event) error {
		if err := nr.r.Receive(ctx, e); err != nil {
			a.printf("alert:    %s: %s of %q not sent yet: %v\n", nr.name, e.Type, e.ResourceName, err)
			return err
		}
		a.printf("alert:    %s: %s: %s (site %s, %s)\n", nr.name, notify.Summary(e.Type), e.ResourceName,
			a.site(e.SiteLUID), e.CreatedAt.UTC().Format(time.RFC3339))
		a.sent.Add(1)
		select {
		case a.wake <- struct{}{}:
		default:
		}
		return nil
	})
}

func (a *app) printf(format string, args ...any) { fmt.Fprintf(a.out, format, args...) }

// syncWriter serialises writes from the receivers and the main goroutine.
type syncWriter struct {
	mu sync.Mutex
	w  io.Writer
}

func (s *syncWriter) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.w.Write(p)
}
