// Command refresh-extract is the extract-refresh snippet to start from: it
// signs in, finds a datasource by name, starts a refresh of its extract and
// prints the job id (add -wait to wait for the job, -incremental for an
// incremental refresh, which needs REST API 3.25).
//
// It runs against the embedded emulator (tableautest, seeded with
// "Datasource 1" to "Datasource 3") by default. Set TABLEAU_SERVER and
// credentials (TABLEAU_PAT_NAME and TABLEAU_PAT_SECRET, or the other
// TABLEAU_* variables of tableau.ConfigFromEnv) to run it against a real
// Tableau Server or Tableau Cloud site:
//
//	go run ./examples/refresh-extract
//	TABLEAU_SERVER=https://tableau.example.com TABLEAU_PAT_NAME=ci TABLEAU_PAT_SECRET=... \
//	    go run ./examples/refresh-extract -datasource "Sales" -wait
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"

	"github.com/tableau-go/sdk/rest"
	"github.com/tableau-go/sdk/tableau"
	"github.com/tableau-go/sdk/tableau/tableautest"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "refresh-extract:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("refresh-extract", flag.ContinueOnError)
	fs.SetOutput(stdout)
	name := fs.String("datasource", "Datasource 1", "name of the published datasource to refresh")
	wait := fs.Bool("wait", false, "wait for the refresh to finish")
	incremental := fs.Bool("incremental", false, "refresh incrementally (REST API 3.25 or later)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *name == "" {
		return errors.New("-datasource is empty")
	}
	cfg, cleanup, err := config()
	if err != nil {
		return err
	}
	defer cleanup()

	c, err := rest.SignIn(ctx, cfg)
	if err != nil {
		return fmt.Errorf("sign in: %w", err)
	}
	defer c.Session.SignOut(context.WithoutCancel(ctx)) //nolint:errcheck // best effort

	ds, err := c.Datasources.GetByName(ctx, *name, "")
	if err != nil {
		return fmt.Errorf("find datasource %q: %w", *name, err)
	}
	job, err := c.Datasources.Refresh(ctx, ds.ID, &rest.RefreshOptions{Incremental: *incremental})
	if err != nil {
		return fmt.Errorf("refresh %q: %w", ds.Name, err)
	}
	kind := "refresh"
	if *incremental {
		kind = "incremental refresh"
	}
	fmt.Fprintf(stdout, "%s of datasource %q started: job %s\n", kind, ds.Name, job.ID)
	if !*wait {
		return nil
	}
	done, err := c.Jobs.Wait(ctx, job.ID, nil)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "job %s finished: %s in %s\n", done.ID, done.Status(), done.CompletedAt.Sub(done.CreatedAt))
	return nil
}

// config reads TABLEAU_* from the environment when TABLEAU_SERVER is set,
// and otherwise starts the embedded emulator with three datasources (on REST
// API 3.25, so that -incremental works).
func config() (tableau.Config, func(), error) {
	if os.Getenv(tableau.EnvServer) != "" {
		cfg, err := tableau.ConfigFromEnv()
		return cfg, func() {}, err
	}
	srv, err := tableautest.NewServer(&tableautest.Options{APIVersion: "3.25"})
	if err != nil {
		return tableau.Config{}, nil, err
	}
	if _, err := srv.Seed(tableautest.SeedOptions{Datasources: 3}); err != nil {
		srv.Close()
		return tableau.Config{}, nil, err
	}
	creds := srv.Credentials()
	return tableau.Config{
		Server:      srv.URL(),
		Credentials: tableau.PersonalAccessToken{Name: creds.PATName, Secret: creds.PATSecret},
	}, func() { srv.Close() }, nil
}
