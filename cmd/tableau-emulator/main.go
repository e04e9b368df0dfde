// Command tableau-emulator serves the in-memory Tableau Server of package
// tableautest on a TCP address, so tools in any language can test against
// it. It prints the URL and the ready-made credentials, and shuts down
// gracefully on SIGINT or SIGTERM.
//
//	tableau-emulator -addr 127.0.0.1:8080 -site Marketing=marketing
//
// The credentials are generated afresh on every start; the lines starting
// with "export" can be pasted into a shell for the SDK's examples.
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
	"strings"
	"syscall"
	"time"

	"github.com/tableau-go/sdk/tableau/tableautest"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "tableau-emulator:", err)
		os.Exit(1)
	}
}

// siteFlags collects -site Name=contentUrl values.
type siteFlags [][2]string

func (s *siteFlags) String() string { return fmt.Sprint(*s) }

func (s *siteFlags) Set(v string) error {
	name, url, ok := strings.Cut(v, "=")
	if !ok || name == "" || url == "" {
		return fmt.Errorf("want Name=contentUrl, got %q", v)
	}
	*s = append(*s, [2]string{name, url})
	return nil
}

// run serves until ctx is done, then shuts down, waiting up to 5 seconds
// for requests in flight.
func run(ctx context.Context, args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("tableau-emulator", flag.ContinueOnError)
	fs.SetOutput(stdout)
	var (
		addr     = fs.String("addr", "127.0.0.1:8080", "TCP address to listen on")
		api      = fs.String("api-version", "3.24", "newest REST API version served")
		product  = fs.String("product-version", "2024.2.0", "Tableau Server version reported by serverinfo")
		lifetime = fs.Duration("session-lifetime", 240*time.Minute, "how long a sign-in token stays valid")
		latency  = fs.Duration("latency", 0, "delay added before every response")
		verbose  = fs.Bool("v", false, "log every request to stderr (never tokens or secrets)")
		fire     = fs.Bool("fire-schedules", false, "run schedules' extract refreshes and flows when their time comes")
		sites    siteFlags
	)
	fs.Var(&sites, "site", "add a site, as Name=contentUrl (repeatable)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("unexpected arguments %q", fs.Args())
	}
	opts := &tableautest.Options{
		APIVersion: *api, ProductVersion: *product, SessionLifetime: *lifetime, Latency: *latency,
		FireSchedules: *fire,
	}
	if *verbose {
		opts.Logger = slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelDebug}))
	}
	srv, err := tableautest.NewServer(opts)
	if err != nil {
		return err
	}
	defer srv.Close()
	for _, s := range sites {
		if _, err := srv.AddSite(s[0], s[1]); err != nil {
			return err
		}
	}

	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", *addr, err)
	}
	hs := &http.Server{Handler: srv.Handler(), ReadHeaderTimeout: 10 * time.Second}
	served := make(chan error, 1)
	go func() { served <- hs.Serve(ln) }()

	url := "http://" + ln.Addr().String()
	cr := srv.Credentials()
	fmt.Fprintf(stdout, "Tableau Server emulator at %s (REST API %s, Tableau %s)\n", url, *api, *product)
	fmt.Fprintf(stdout, "admin user:      %s / %s\n", cr.Username, cr.Password)
	fmt.Fprintf(stdout, "personal token:  %s / %s\n", cr.PATName, cr.PATSecret)
	fmt.Fprintf(stdout, "connected app:   client id %s, secret id %s, secret %s\n", cr.ClientID, cr.SecretID, cr.SecretValue)
	fmt.Fprintf(stdout, "sites:           Default (content URL \"\")")
	for _, s := range sites {
		fmt.Fprintf(stdout, ", %s (%q)", s[0], s[1])
	}
	fmt.Fprintln(stdout)
	if opts.FireSchedules {
		fmt.Fprintln(stdout, "schedules:       fired by the clock (UTC)")
	} else {
		fmt.Fprintln(stdout, "schedules:       never fired (start with -fire-schedules to fire them)")
	}
	fmt.Fprintf(stdout, "export TABLEAU_SERVER=%s\n", url)
	fmt.Fprintf(stdout, "export TABLEAU_PAT_NAME=%s\n", cr.PATName)
	fmt.Fprintf(stdout, "export TABLEAU_PAT_SECRET=%s\n", cr.PATSecret)
	fmt.Fprintln(stdout, "Press Ctrl-C to stop.")

	select {
	case err := <-served:
		return fmt.Errorf("serve: %w", err)
	case <-ctx.Done():
	}
	fmt.Fprintln(stdout, "shutting down")
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := hs.Shutdown(shutdownCtx); err != nil {
		return fmt.Errorf("shutdown: %w", err)
	}
	if err := <-served; !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("serve: %w", err)
	}
	return nil
}
