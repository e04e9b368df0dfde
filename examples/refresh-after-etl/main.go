// Command refresh-after-etl refreshes the extracts of named datasources and
// workbooks right after an ETL job finishes. Put it as the last step of the
// pipeline, or give it the ETL command after "--": it runs the command
// first and refreshes only if the command succeeds. It starts every
// refresh, waits for all the jobs and exits non-zero, printing each failed
// job's notes, if one fails.
//
// It runs against the embedded emulator (seeded with "Datasource 1",
// "Datasource 2" and "Workbook 1") by default; set TABLEAU_SERVER and
// credentials (see tableau.ConfigFromEnv) for a real server:
//
//	go run ./examples/refresh-after-etl
//	TABLEAU_SERVER=https://tableau.example.com TABLEAU_PAT_NAME=ci TABLEAU_PAT_SECRET=... \
//	    go run ./examples/refresh-after-etl -datasource Orders -datasource Returns -workbook Sales \
//	    -timeout 2h -- ./load-warehouse.sh
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"os/signal"
	"strings"
	"sync"
	"time"

	"github.com/tableau-go/sdk/rest"
	"github.com/tableau-go/sdk/tableau"
	"github.com/tableau-go/sdk/tableau/tableautest"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "refresh-after-etl:", err)
		os.Exit(1)
	}
}

// names is a repeatable string flag.
type names []string

func (n *names) String() string     { return strings.Join(*n, ", ") }
func (n *names) Set(v string) error { *n = append(*n, v); return nil }

// target is one item to refresh.
type target struct {
	kind, name, id string
	job            *rest.Job
}

func run(ctx context.Context, args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("refresh-after-etl", flag.ContinueOnError)
	fs.SetOutput(stdout)
	var datasources, workbooks names
	fs.Var(&datasources, "datasource", "name of a datasource to refresh (repeatable)")
	fs.Var(&workbooks, "workbook", "name of a workbook to refresh (repeatable)")
	timeout := fs.Duration("timeout", 2*time.Hour, "how long to wait for all the refreshes")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *timeout <= 0 {
		return errors.New("-timeout must be positive")
	}
	cfg, embedded, cleanup, err := config()
	if err != nil {
		return err
	}
	defer cleanup()
	if embedded && len(datasources) == 0 && len(workbooks) == 0 {
		datasources, workbooks = names{"Datasource 1", "Datasource 2"}, names{"Workbook 1"}
	}
	if len(datasources) == 0 && len(workbooks) == 0 {
		return errors.New("nothing to refresh: give -datasource or -workbook")
	}

	if etl := fs.Args(); len(etl) > 0 {
		fmt.Fprintf(stdout, "running ETL: %s\n", strings.Join(etl, " "))
		cmd := exec.CommandContext(ctx, etl[0], etl[1:]...)
		cmd.Stdout, cmd.Stderr = stdout, os.Stderr
		if err := cmd.Run(); err != nil {
			return fmt.Errorf("the ETL command failed, nothing refreshed: %w", err)
		}
	}

	c, err := rest.SignIn(ctx, cfg)
	if err != nil {
		return fmt.Errorf("sign in: %w", err)
	}
	defer c.Session.SignOut(context.WithoutCancel(ctx)) //nolint:errcheck // best effort

	// Resolve every name before starting anything, so a typo refreshes nothing.
	var targets []*target
	for _, n := range datasources {
		ds, err := c.Datasources.GetByName(ctx, n, "")
		if err != nil {
			return fmt.Errorf("datasource %q: %w", n, err)
		}
		targets = append(targets, &target{kind: "datasource", name: ds.Name, id: ds.ID})
	}
	for _, n := range workbooks {
		wb, err := c.Workbooks.GetByName(ctx, n, "")
		if err != nil {
			return fmt.Errorf("workbook %q: %w", n, err)
		}
		targets = append(targets, &target{kind: "workbook", name: wb.Name, id: wb.ID})
	}
	for _, t := range targets {
		if t.kind == "datasource" {
			t.job, err = c.Datasources.Refresh(ctx, t.id, nil)
		} else {
			t.job, err = c.Workbooks.Refresh(ctx, t.id, nil)
		}
		if err != nil {
			return fmt.Errorf("refresh %s %q: %w", t.kind, t.name, err)
		}
		fmt.Fprintf(stdout, "started  %-10s %-30q job %s\n", t.kind, t.name, t.job.ID)
	}

	ctx, cancel := context.WithTimeout(ctx, *timeout)
	defer cancel()
	var wg sync.WaitGroup
	var mu sync.Mutex
	var failed []string
	for _, t := range targets {
		wg.Go(func() {
			done, err := c.Jobs.Wait(ctx, t.job.ID, nil)
			mu.Lock()
			defer mu.Unlock()
			var je *rest.JobError
			switch {
			case errors.As(err, &je):
				fmt.Fprintf(stdout, "FAILED   %-10s %-30q %s: %s\n", t.kind, t.name, je.Job.Status(), strings.Join(je.Job.Notes, "; "))
				failed = append(failed, fmt.Sprintf("%s %q: %s", t.kind, t.name, strings.Join(je.Job.Notes, "; ")))
			case err != nil:
				fmt.Fprintf(stdout, "UNKNOWN  %-10s %-30q %v\n", t.kind, t.name, err)
				failed = append(failed, fmt.Sprintf("%s %q: %v", t.kind, t.name, err))
			default:
				fmt.Fprintf(stdout, "done     %-10s %-30q in %s\n", t.kind, t.name, done.CompletedAt.Sub(done.CreatedAt))
			}
		})
	}
	wg.Wait()
	if len(failed) > 0 {
		return fmt.Errorf("%d of %d refreshes failed:\n  %s", len(failed), len(targets), strings.Join(failed, "\n  "))
	}
	fmt.Fprintf(stdout, "all %d refreshes succeeded\n", len(targets))
	return nil
}

// config reads TABLEAU_* when TABLEAU_SERVER is set, and otherwise starts
// the embedded emulator with two datasources and a workbook with an extract.
func config() (cfg tableau.Config, embedded bool, cleanup func(), err error) {
	if os.Getenv(tableau.EnvServer) != "" {
		cfg, err = tableau.ConfigFromEnv()
		return cfg, false, func() {}, err
	}
	srv, err := tableautest.NewServer(nil)
	if err != nil {
		return cfg, true, nil, err
	}
	if _, err := srv.Seed(tableautest.SeedOptions{Datasources: 2, Workbooks: 1, WorkbookExtracts: true}); err != nil {
		srv.Close()
		return cfg, true, nil, err
	}
	creds := srv.Credentials()
	cfg = tableau.Config{Server: srv.URL(), Credentials: tableau.PersonalAccessToken{Name: creds.PATName, Secret: creds.PATSecret}}
	return cfg, true, func() { srv.Close() }, nil
}
