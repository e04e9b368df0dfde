// Command quickstart signs in to Tableau, prints the server info, lists the
// projects, creates a project with a nested one, lists again and signs out,
// printing what it did.
//
// It runs against the embedded emulator (tableautest) by default. Set
// TABLEAU_SERVER and credentials (TABLEAU_PAT_NAME and TABLEAU_PAT_SECRET,
// or the other TABLEAU_* variables of tableau.ConfigFromEnv) to run it
// against a real Tableau Server or Tableau Cloud site:
//
//	go run ./examples/quickstart
//	TABLEAU_SERVER=https://tableau.example.com TABLEAU_SITE=finance \
//	TABLEAU_PAT_NAME=ci TABLEAU_PAT_SECRET=... go run ./examples/quickstart -project "Quickstart"
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"time"

	"github.com/tableau-go/sdk/rest"
	"github.com/tableau-go/sdk/tableau"
	"github.com/tableau-go/sdk/tableau/tableautest"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "quickstart:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("quickstart", flag.ContinueOnError)
	fs.SetOutput(stdout)
	project := fs.String("project", "tableau-go quickstart", "name of the project to create (with a nested \"Reports\" project)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *project == "" {
		return errors.New("-project is empty")
	}

	cfg, where, cleanup, err := config()
	if err != nil {
		return err
	}
	defer cleanup()

	s, err := tableau.NewSession(cfg)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "server:      %s (%s)\n", cfg.Server, where)
	info, err := s.ServerInfo(ctx)
	if err != nil {
		return fmt.Errorf("server info: %w", err)
	}
	fmt.Fprintf(stdout, "product:     Tableau %s (build %s), REST API %s\n", info.ProductVersion, info.Build, info.RESTAPIVersion)

	if err := s.SignIn(ctx); err != nil {
		return fmt.Errorf("sign in: %w", err)
	}
	st := s.State()
	site := st.SiteContentURL
	if site == "" {
		site = "Default"
	}
	fmt.Fprintf(stdout, "signed in:   site %s (id %s) as user %s, API %s", site, st.SiteID, st.UserID, st.APIVersion)
	if !st.Expires.IsZero() {
		fmt.Fprintf(stdout, ", token valid for %s", time.Until(st.Expires).Round(time.Minute))
	}
	fmt.Fprintln(stdout)
	defer func() {
		if err := s.SignOut(context.WithoutCancel(ctx)); err != nil {
			fmt.Fprintf(stdout, "sign out failed: %v\n", err)
			return
		}
		fmt.Fprintln(stdout, "signed out")
	}()

	c := rest.NewClient(s)
	if err := printProjects(ctx, c, stdout); err != nil {
		return err
	}

	parent, err := c.Projects.Create(ctx, rest.ProjectCreate{Name: *project, Description: "Created by the tableau-go quickstart."})
	switch {
	case errors.Is(err, tableau.ErrConflict):
		parent, err = c.Projects.GetByPath(ctx, *project)
		if err != nil {
			return fmt.Errorf("project %q exists but cannot be read: %w", *project, err)
		}
		fmt.Fprintf(stdout, "exists:      project %q (id %s)\n", parent.Name, parent.ID)
	case err != nil:
		return fmt.Errorf("create project: %w", err)
	default:
		fmt.Fprintf(stdout, "created:     project %q (id %s)\n", parent.Name, parent.ID)
	}
	child, err := c.Projects.Create(ctx, rest.ProjectCreate{Name: "Reports", ParentProjectID: parent.ID})
	switch {
	case errors.Is(err, tableau.ErrConflict):
		fmt.Fprintf(stdout, "exists:      project %q\n", parent.Name+"/Reports")
	case err != nil:
		return fmt.Errorf("create nested project: %w", err)
	default:
		fmt.Fprintf(stdout, "created:     project %q (id %s)\n", parent.Name+"/"+child.Name, child.ID)
	}
	return printProjects(ctx, c, stdout)
}

// config reads TABLEAU_* from the environment when TABLEAU_SERVER is set,
// and otherwise starts the embedded emulator.
func config() (cfg tableau.Config, where string, cleanup func(), err error) {
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
	return cfg, "embedded emulator", func() { srv.Close() }, nil
}

// printProjects lists the site's projects, sorted by name, 100 a page.
func printProjects(ctx context.Context, c *rest.Client, w io.Writer) error {
	opts := &tableau.ListOptions{Sorts: []tableau.Sort{tableau.Asc("name")}, Parallel: 4}
	var lines []string
	for p, err := range c.Projects.List(opts).All(ctx) {
		if err != nil {
			return fmt.Errorf("list projects: %w", err)
		}
		line := "  - " + p.Name
		if p.ParentProjectID != "" {
			line += " (nested)"
		}
		lines = append(lines, line)
	}
	fmt.Fprintf(w, "projects:    %d\n", len(lines))
	for _, l := range lines {
		fmt.Fprintln(w, l)
	}
	return nil
}
