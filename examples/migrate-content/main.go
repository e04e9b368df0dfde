// Command migrate-content promotes the workbooks and datasources of one
// project ("Development") to another ("Production"): on the same site, to
// another site (-dest-site), or to another server (TABLEAU_DEST_SERVER and
// TABLEAU_DEST_* credentials, named like the TABLEAU_* ones). Each item is
// downloaded to a temporary file (streamed, whatever its size), published
// to the destination project, and its connections are rewritten on the way
// (server, port, user, password) from a JSON rules file. -dry-run prints
// the plan and changes nothing; -progress draws a progress bar for each
// transfer (schollz/progressbar) on standard error.
//
// Rules file (-connections rules.json):
//
//	[{"server": "dev-db.example.com", "newServer": "prod-db.example.com", "newPort": "5432",
//	  "username": "reader", "passwordEnv": "PROD_DB_PASSWORD", "embed": true}]
//
// It runs against the embedded emulator by default (a "Development"
// project with two datasources and two workbooks on dev-db.example.com):
//
//	go run ./examples/migrate-content -dry-run
//	go run ./examples/migrate-content
//	TABLEAU_SERVER=https://dev.example.com TABLEAU_PAT_NAME=ci TABLEAU_PAT_SECRET=... \
//	TABLEAU_DEST_SERVER=https://prod.example.com TABLEAU_DEST_PAT_NAME=ci TABLEAU_DEST_PAT_SECRET=... \
//	    go run ./examples/migrate-content -from Development -to Production -connections rules.json -overwrite
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"strings"

	"github.com/schollz/progressbar/v3"

	"github.com/tableau-go/sdk/rest"
	"github.com/tableau-go/sdk/tableau"
	"github.com/tableau-go/sdk/tableau/tableautest"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "migrate-content:", err)
		os.Exit(1)
	}
}

// rule rewrites the connections to one database server.
type rule struct {
	Server      string `json:"server"`
	NewServer   string `json:"newServer"`
	NewPort     string `json:"newPort"`
	Username    string `json:"username"`
	PasswordEnv string `json:"passwordEnv"` // the variable holding the password; never in the file
	Embed       bool   `json:"embed"`
}

// envPrefix maps TABLEAU_X to TABLEAU_DEST_X for the destination server.
const envPrefix = "TABLEAU_DEST_"

func run(ctx context.Context, args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("migrate-content", flag.ContinueOnError)
	fs.SetOutput(stdout)
	from := fs.String("from", "Development", "source project path (names separated by /)")
	to := fs.String("to", "Production", "destination project path (created if missing)")
	destSite := fs.String("dest-site", "", "destination site content URL (default: the source site, or TABLEAU_DEST_SITE)")
	rulesFile := fs.String("connections", "", "JSON file of connection rewriting rules")
	overwrite := fs.Bool("overwrite", false, "overwrite items that exist in the destination (default: skip them)")
	dryRun := fs.Bool("dry-run", false, "print what would be done, change nothing")
	progress := fs.Bool("progress", false, "draw a progress bar for each download and publish on standard error")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *from == "" || *to == "" {
		return errors.New("-from and -to must not be empty")
	}
	srcCfg, dstCfg, embeddedRules, cleanup, err := configs(ctx, *destSite)
	if err != nil {
		return err
	}
	defer cleanup()
	rules := embeddedRules
	if *rulesFile != "" {
		if rules, err = readRules(*rulesFile); err != nil {
			return err
		}
	}

	src, err := rest.SignIn(ctx, srcCfg)
	if err != nil {
		return fmt.Errorf("sign in to the source: %w", err)
	}
	defer src.Session.SignOut(context.WithoutCancel(ctx)) //nolint:errcheck
	dst, err := rest.SignIn(ctx, dstCfg)
	if err != nil {
		return fmt.Errorf("sign in to the destination: %w", err)
	}
	defer dst.Session.SignOut(context.WithoutCancel(ctx)) //nolint:errcheck

	srcProject, err := src.Projects.GetByPath(ctx, *from)
	if err != nil {
		return fmt.Errorf("source project %q: %w", *from, err)
	}
	dstProject, err := dst.Projects.GetByPath(ctx, *to)
	switch {
	case errors.Is(err, tableau.ErrNotFound) && *dryRun:
		fmt.Fprintf(stdout, "would create project %q\n", *to)
		dstProject = &rest.Project{ID: "(new)", Name: *to}
	case errors.Is(err, tableau.ErrNotFound):
		if strings.Contains(*to, "/") {
			return fmt.Errorf("destination project %q does not exist (nested paths are not created)", *to)
		}
		if dstProject, err = dst.Projects.Create(ctx, rest.ProjectCreate{Name: *to}); err != nil {
			return fmt.Errorf("create project %q: %w", *to, err)
		}
		fmt.Fprintf(stdout, "created project %q\n", *to)
	case err != nil:
		return fmt.Errorf("destination project %q: %w", *to, err)
	}

	inProject := &tableau.ListOptions{Filters: []tableau.Filter{tableau.Eq("projectName", srcProject.Name)}}
	datasources, err := src.Datasources.List(inProject).Collect(ctx)
	if err != nil {
		return fmt.Errorf("list datasources: %w", err)
	}
	workbooks, err := src.Workbooks.List(inProject).Collect(ctx)
	if err != nil {
		return fmt.Errorf("list workbooks: %w", err)
	}
	tmp, err := os.MkdirTemp("", "migrate-content-*")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	mode := rest.PublishCreateNew
	if *overwrite {
		mode = rest.PublishOverwrite
	}
	m := &migrator{ctx: ctx, src: src, dst: dst, dstProject: dstProject.ID, tmp: tmp, rules: rules, mode: mode, dryRun: *dryRun, progress: *progress, out: stdout}
	// Datasources first: workbooks may connect to them.
	for _, ds := range datasources {
		if ds.Project.ID == srcProject.ID {
			m.item("datasource", ds.ID, ds.Name)
		}
	}
	for _, wb := range workbooks {
		if wb.Project.ID == srcProject.ID {
			m.item("workbook", wb.ID, wb.Name)
		}
	}
	verb := "migrated"
	if *dryRun {
		verb = "would migrate"
	}
	fmt.Fprintf(stdout, "%s %d items, skipped %d, failed %d\n", verb, m.done, m.skipped, len(m.failed))
	if len(m.failed) > 0 {
		return fmt.Errorf("%d items failed:\n  %s", len(m.failed), strings.Join(m.failed, "\n  "))
	}
	return nil
}

type migrator struct {
	ctx              context.Context
	src, dst         *rest.Client
	dstProject, tmp  string
	rules            []rule
	mode             rest.PublishMode
	dryRun, progress bool
	out              io.Writer
	done, skipped    int
	failed           []string
}

// item migrates one workbook or datasource and reports it.
func (m *migrator) item(kind, id, name string) {
	if m.dryRun {
		conns, err := m.connections(m.src, kind, id)
		if err != nil {
			m.fail(kind, name, err)
			return
		}
		fmt.Fprintf(m.out, "would migrate %s %q\n", kind, name)
		for _, c := range conns {
			if r := m.rule(c.ServerAddress); r != nil {
				fmt.Fprintf(m.out, "  would rewrite connection %s:%s -> %s:%s as %q\n", c.ServerAddress, c.ServerPort, or(r.NewServer, c.ServerAddress), or(r.NewPort, c.ServerPort), r.Username)
			}
		}
		m.done++
		return
	}
	var path string
	var err error
	dir, err := os.MkdirTemp(m.tmp, "item-*")
	if err == nil {
		dl := &rest.DownloadOptions{Progress: m.bar("download " + name)}
		if kind == "datasource" {
			path, err = m.src.Datasources.DownloadFile(m.ctx, id, dir, dl)
		} else {
			path, err = m.src.Workbooks.DownloadFile(m.ctx, id, dir, dl)
		}
	}
	if err != nil {
		m.fail(kind, name, fmt.Errorf("download: %w", err))
		return
	}
	opts := &rest.PublishOptions{Name: name, ProjectID: m.dstProject, FileName: filepath.Base(path), Mode: m.mode, SkipConnectionCheck: true,
		Progress: m.bar("publish " + name)}
	var newID string
	if kind == "datasource" {
		var ds *rest.Datasource
		if ds, err = m.dst.Datasources.PublishFile(m.ctx, path, opts); err == nil {
			newID = ds.ID
		}
	} else {
		var wb *rest.Workbook
		if wb, err = m.dst.Workbooks.PublishFile(m.ctx, path, opts); err == nil {
			newID = wb.ID
		}
	}
	os.RemoveAll(dir)
	if errors.Is(err, tableau.ErrConflict) {
		fmt.Fprintf(m.out, "skipped %s %q: it exists in the destination (use -overwrite)\n", kind, name)
		m.skipped++
		return
	}
	if err != nil {
		m.fail(kind, name, fmt.Errorf("publish: %w", err))
		return
	}
	fmt.Fprintf(m.out, "migrated %s %q (new id %s)\n", kind, name, newID)
	conns, err := m.connections(m.dst, kind, newID)
	if err != nil {
		m.fail(kind, name, err)
		return
	}
	for _, c := range conns {
		r := m.rule(c.ServerAddress)
		if r == nil {
			continue
		}
		u := rest.ConnectionUpdate{EmbedPassword: &r.Embed}
		if r.NewServer != "" {
			u.ServerAddress = &r.NewServer
		}
		if r.NewPort != "" {
			u.ServerPort = &r.NewPort
		}
		if r.Username != "" {
			u.Username = &r.Username
		}
		if r.PasswordEnv != "" {
			pw := os.Getenv(r.PasswordEnv)
			u.Password = &pw
		}
		var got *rest.Connection
		if kind == "datasource" {
			got, err = m.dst.Datasources.UpdateConnection(m.ctx, newID, c.ID, u)
		} else {
			got, err = m.dst.Workbooks.UpdateConnection(m.ctx, newID, c.ID, u)
		}
		if err != nil {
			m.fail(kind, name, fmt.Errorf("rewrite connection %s: %w", c.ServerAddress, err))
			return
		}
		fmt.Fprintf(m.out, "  rewrote connection %s:%s -> %s:%s as %q\n", c.ServerAddress, c.ServerPort, got.ServerAddress, got.ServerPort, got.Username)
	}
	m.done++
}

// bar returns a progress callback drawing a bar on standard error, or nil.
func (m *migrator) bar(desc string) rest.Progress {
	if !m.progress {
		return nil
	}
	var bar *progressbar.ProgressBar
	return func(done, total int64) {
		if bar == nil {
			bar = progressbar.NewOptions64(total, progressbar.OptionSetWriter(os.Stderr), progressbar.OptionShowBytes(true),
				progressbar.OptionSetDescription(desc), progressbar.OptionClearOnFinish())
		}
		bar.Set64(done) //nolint:errcheck // drawing only
	}
}

func (m *migrator) connections(c *rest.Client, kind, id string) ([]rest.Connection, error) {
	if kind == "datasource" {
		return c.Datasources.Connections(m.ctx, id)
	}
	return c.Workbooks.Connections(m.ctx, id)
}

func (m *migrator) rule(server string) *rule {
	for i := range m.rules {
		if strings.EqualFold(m.rules[i].Server, server) {
			return &m.rules[i]
		}
	}
	return nil
}

func (m *migrator) fail(kind, name string, err error) {
	fmt.Fprintf(m.out, "FAILED %s %q: %v\n", kind, name, err)
	m.failed = append(m.failed, fmt.Sprintf("%s %q: %v", kind, name, err))
}

func or(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// readRules reads and checks a rules file.
func readRules(path string) ([]rule, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("connections file: %w", err)
	}
	var rules []rule
	if err := json.Unmarshal(b, &rules); err != nil {
		return nil, fmt.Errorf("connections file %s: %w", path, err)
	}
	for i, r := range rules {
		if r.Server == "" {
			return nil, fmt.Errorf("connections file %s: rule %d has no \"server\"", path, i)
		}
		if r.PasswordEnv != "" && os.Getenv(r.PasswordEnv) == "" {
			return nil, fmt.Errorf("connections file %s: rule %d: the variable %s is not set", path, i, r.PasswordEnv)
		}
	}
	return rules, nil
}

// configs returns the source and destination configurations: from the
// environment when TABLEAU_SERVER is set (TABLEAU_DEST_SERVER for another
// server), and otherwise an embedded emulator seeded with a "Development"
// project, with default rules that move dev-db.example.com to prod-db.
func configs(ctx context.Context, destSite string) (src, dst tableau.Config, rules []rule, cleanup func(), err error) {
	if os.Getenv(tableau.EnvServer) != "" {
		if src, err = tableau.ConfigFromEnv(); err != nil {
			return
		}
		dst = src
		if os.Getenv(envPrefix+"SERVER") != "" {
			dst, err = tableau.ConfigFromLookup(func(name string) (string, bool) {
				return os.LookupEnv(envPrefix + strings.TrimPrefix(name, "TABLEAU_"))
			})
			if err != nil {
				return
			}
		}
		if destSite != "" {
			dst.Site = destSite
		}
		return src, dst, nil, func() {}, nil
	}
	srv, err := tableautest.NewServer(nil)
	if err != nil {
		return
	}
	cleanup = func() { srv.Close() }
	creds := srv.Credentials()
	src = tableau.Config{Server: srv.URL(), Credentials: tableau.PersonalAccessToken{Name: creds.PATName, Secret: creds.PATSecret}}
	dst = src
	if destSite != "" {
		if _, err = srv.AddSite(destSite, destSite); err != nil {
			cleanup()
			return
		}
		dst.Site = destSite
	}
	if err = seedDevelopment(ctx, src); err != nil {
		cleanup()
		return
	}
	rules = []rule{{Server: "dev-db.example.com", NewServer: "prod-db.example.com", Username: "prod_reader", Embed: true}}
	return src, dst, rules, cleanup, nil
}

// seedDevelopment publishes two datasources and two workbooks into a new
// "Development" project of the embedded emulator.
func seedDevelopment(ctx context.Context, cfg tableau.Config) error {
	c, err := rest.SignIn(ctx, cfg)
	if err != nil {
		return err
	}
	defer c.Session.SignOut(context.WithoutCancel(ctx)) //nolint:errcheck
	p, err := c.Projects.Create(ctx, rest.ProjectCreate{Name: "Development"})
	if err != nil {
		return err
	}
	const db = "dev-db.example.com"
	for _, name := range []string{"Orders", "Customers"} {
		tdsx := tableautest.SamplePackage(name+".tds", tableautest.SampleTDS(db), tableautest.SampleHyper(4096))
		if _, err := c.Datasources.Publish(ctx, strings.NewReader(string(tdsx)), &rest.PublishOptions{Name: name, ProjectID: p.ID, FileName: name + ".tdsx"}); err != nil {
			return err
		}
	}
	for _, name := range []string{"Sales Overview", "Churn"} {
		if _, err := c.Workbooks.Publish(ctx, strings.NewReader(string(tableautest.SampleTWB(db, "Summary", "Detail"))), &rest.PublishOptions{Name: name, ProjectID: p.ID, FileName: name + ".twb"}); err != nil {
			return err
		}
	}
	return nil
}
