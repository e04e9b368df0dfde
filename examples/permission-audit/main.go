// Command permission-audit walks every project, workbook, data source and
// view of a site and reports who can do what: each user's effective
// capabilities, including those that come through groups and through
// projects that lock their content's permissions. It writes
// permissions.csv and a self-contained permissions.html.
//
// It reads with bounded concurrency (-concurrency) and, if asked, a cap on
// requests per second (-rps); 429 answers are waited out as the server's
// Retry-After says.
//
//	go run ./examples/permission-audit -out /tmp/audit                  # a seeded emulator
//	TABLEAU_SERVER=https://tableau.example.com TABLEAU_SITE=finance \
//	TABLEAU_PAT_NAME=audit TABLEAU_PAT_SECRET=... \
//	go run ./examples/permission-audit -out audit -concurrency 8 -rps 20
//
// Without TABLEAU_SERVER it audits an embedded emulator seeded with -seed
// items and a few permission rules.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"time"

	"github.com/tableau-go/sdk/rest"
	"github.com/tableau-go/sdk/tableau"
	"github.com/tableau-go/sdk/tableau/tableautest"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "permission-audit:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("permission-audit", flag.ContinueOnError)
	fs.SetOutput(stdout)
	out := fs.String("out", ".", "directory for permissions.csv and permissions.html")
	var o auditOptions
	fs.IntVar(&o.Concurrency, "concurrency", 8, "requests in flight at once (1 = sequential)")
	fs.Float64Var(&o.RPS, "rps", 0, "cap on requests per second (0 = none)")
	seed := fs.Int("seed", 200, "items to seed the embedded emulator with (without TABLEAU_SERVER)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if o.Concurrency < 1 || o.Concurrency > 64 {
		return errors.New("-concurrency must be 1 to 64")
	}
	if o.RPS < 0 {
		return errors.New("-rps must not be negative")
	}
	if err := os.MkdirAll(*out, 0o755); err != nil {
		return err
	}
	cfg, where, cleanup, err := config(ctx, *seed)
	if err != nil {
		return err
	}
	defer cleanup()
	c, err := rest.SignIn(ctx, cfg)
	if err != nil {
		return fmt.Errorf("sign in to %s: %w", where, err)
	}
	defer c.Session.SignOut(context.WithoutCancel(ctx)) //nolint:errcheck // best effort

	start := time.Now()
	s, err := collect(ctx, c, o)
	if err != nil {
		return err
	}
	grants := effective(s)
	siteName := c.Session.State().SiteContentURL
	if siteName == "" {
		siteName = "Default"
	}
	if err := writeFile(filepath.Join(*out, "permissions.csv"), func(w io.Writer) error { return writeCSV(w, grants) }); err != nil {
		return err
	}
	if err := writeFile(filepath.Join(*out, "permissions.html"), func(w io.Writer) error { return writeHTML(w, siteName, s, grants) }); err != nil {
		return err
	}
	n := map[string]int{}
	for _, it := range s.Items {
		n[it.Kind]++
	}
	fmt.Fprintf(stdout, "audited %s (%s): %d projects, %d workbooks, %d views, %d data sources, %d users, %d groups\n",
		siteName, where, n["project"], n["workbook"], n["view"], n["datasource"], len(s.Users), len(s.Groups))
	fmt.Fprintf(stdout, "effective capabilities: %d, in %s with concurrency %d\n", len(grants), time.Since(start).Round(time.Millisecond), o.Concurrency)
	fmt.Fprintf(stdout, "wrote %s and %s\n", filepath.Join(*out, "permissions.csv"), filepath.Join(*out, "permissions.html"))
	return nil
}

// writeFile writes a file through a temporary file, so a failed run leaves
// no half-written report.
func writeFile(path string, write func(io.Writer) error) error {
	f, err := os.CreateTemp(filepath.Dir(path), ".audit-*")
	if err != nil {
		return err
	}
	if err := write(f); err != nil {
		f.Close()
		os.Remove(f.Name())
		return fmt.Errorf("writing %s: %w", path, err)
	}
	if err := f.Close(); err != nil {
		os.Remove(f.Name())
		return err
	}
	return os.Rename(f.Name(), path)
}

// config returns TABLEAU_* settings when TABLEAU_SERVER is set, else a
// seeded embedded emulator's.
func config(ctx context.Context, seed int) (cfg tableau.Config, where string, cleanup func(), err error) {
	if os.Getenv(tableau.EnvServer) != "" {
		cfg, err = tableau.ConfigFromEnv()
		return cfg, "from " + tableau.EnvServer, func() {}, err
	}
	srv, err := tableautest.NewServer(nil)
	if err != nil {
		return cfg, "", nil, err
	}
	creds := srv.Credentials()
	cfg = tableau.Config{
		Server:      srv.URL(),
		Site:        creds.SiteContentURL,
		Credentials: tableau.PersonalAccessToken{Name: creds.PATName, Secret: creds.PATSecret},
	}
	if err := seedSite(ctx, srv, cfg, seed); err != nil {
		srv.Close()
		return cfg, "", nil, err
	}
	return cfg, "embedded emulator", func() { srv.Close() }, nil
}

// seedSite fills an emulator with about n items (projects, workbooks with
// one view each, data sources) and a few rules: a group with explicit
// rules, a denied user, and a project locked to its defaults.
func seedSite(ctx context.Context, srv *tableautest.Server, cfg tableau.Config, n int) error {
	if n < 10 {
		n = 10
	}
	// Seeded projects plus the Default one; two workbooks (each with a
	// view) for every data source.
	seeded := max(2, n/100-1)
	workbooks := (n - seeded - 1) * 2 / 5
	res, err := srv.Seed(tableautest.SeedOptions{Projects: seeded, Workbooks: workbooks, ViewsPerWorkbook: 1, Datasources: n - seeded - 1 - 2*workbooks})
	if err != nil {
		return err
	}
	c, err := rest.SignIn(ctx, cfg)
	if err != nil {
		return err
	}
	defer c.Session.SignOut(context.WithoutCancel(ctx)) //nolint:errcheck
	analysts, err := c.Groups.Create(ctx, rest.GroupCreate{Name: "Analysts"})
	if err != nil {
		return err
	}
	var ids []string
	for _, name := range []string{"ana", "ben", "cy"} {
		u, err := c.Users.Add(ctx, rest.UserAdd{Name: name, SiteRole: rest.RoleExplorer})
		if err != nil {
			return err
		}
		ids = append(ids, u.ID)
	}
	if _, err := c.Groups.AddUsers(ctx, analysts.ID, ids[:2]); err != nil {
		return err
	}
	read := rest.Rule{GranteeKind: rest.GranteeGroup, GranteeID: analysts.ID, Capabilities: map[string]string{"Read": rest.Allow, "ExportData": rest.Allow}}
	if _, err := c.Permissions.Add(ctx, rest.ContentWorkbooks, res.WorkbookIDs[len(res.WorkbookIDs)-1], read,
		rest.Rule{GranteeKind: rest.GranteeUser, GranteeID: ids[1], Capabilities: map[string]string{"ExportData": rest.Deny}}); err != nil {
		return err
	}
	if _, err := c.Permissions.AddDefault(ctx, res.ProjectIDs[0], rest.ContentDatasources, rest.Rule{GranteeKind: rest.GranteeGroup, GranteeID: analysts.ID, Capabilities: map[string]string{"Read": rest.Allow, "Connect": rest.Allow}}); err != nil {
		return err
	}
	locked := rest.PermissionsLockedToProject
	_, err = c.Projects.Update(ctx, res.ProjectIDs[0], rest.ProjectUpdate{ContentPermissions: &locked})
	return err
}
