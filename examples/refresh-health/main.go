// Command refresh-health reports what is wrong with a site's extract
// refreshes, for a morning check or a monitoring job: the extract refresh
// tasks that failed several times in a row, and the refresh jobs that failed
// recently, with Tableau's reason. It exits with status 2 when it finds a
// problem (1 on an error), so a scheduler can alert on it.
//
// It runs against the embedded emulator by default, where a nightly
// schedule refreshes three datasources and the database of one of them is
// down. Set TABLEAU_SERVER and credentials (TABLEAU_PAT_NAME and
// TABLEAU_PAT_SECRET, or the other TABLEAU_* variables of
// tableau.ConfigFromEnv) to check a real site:
//
//	go run ./examples/refresh-health
//	TABLEAU_SERVER=https://tableau.example.com TABLEAU_PAT_NAME=ops TABLEAU_PAT_SECRET=... \
//	    go run ./examples/refresh-health -failures 3 -since 12h -format json
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
	"strings"
	"text/tabwriter"
	"time"

	"github.com/tableau-go/sdk/rest"
	"github.com/tableau-go/sdk/tableau"
	"github.com/tableau-go/sdk/tableau/tableautest"
)

// errProblems is returned when the report found something wrong.
var errProblems = errors.New("problems found")

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	err := run(ctx, os.Args[1:], os.Stdout)
	switch {
	case errors.Is(err, errProblems):
		os.Exit(2)
	case err != nil:
		fmt.Fprintln(os.Stderr, "refresh-health:", err)
		os.Exit(1)
	}
}

// FailingTask is an extract refresh task that failed several times in a row.
type FailingTask struct {
	TaskID   string `json:"taskId"`
	Kind     string `json:"kind"` // workbook or datasource
	Name     string `json:"name"`
	Schedule string `json:"schedule"`
	Failures int    `json:"consecutiveFailures"`
}

// FailedJob is a refresh job that failed within the window.
type FailedJob struct {
	JobID  string    `json:"jobId"`
	Name   string    `json:"name"`
	At     time.Time `json:"at"`
	Reason string    `json:"reason"`
}

// Report is what the check found.
type Report struct {
	Since        time.Time     `json:"since"`
	FailingTasks []FailingTask `json:"failingTasks"`
	FailedJobs   []FailedJob   `json:"failedJobs"`
}

func run(ctx context.Context, args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("refresh-health", flag.ContinueOnError)
	fs.SetOutput(stdout)
	failures := fs.Int("failures", 2, "report tasks that failed at least this many times in a row")
	since := fs.Duration("since", 24*time.Hour, "report refresh jobs that failed within this window")
	format := fs.String("format", "table", "output: table or json")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *failures < 1 || *since <= 0 {
		return errors.New("-failures must be at least 1 and -since positive")
	}
	if *format != "table" && *format != "json" {
		return fmt.Errorf("-format %q is not table or json", *format)
	}
	cfg, cleanup, err := config(ctx)
	if err != nil {
		return err
	}
	defer cleanup()
	c, err := rest.SignIn(ctx, cfg)
	if err != nil {
		return fmt.Errorf("sign in: %w", err)
	}
	defer c.Session.SignOut(context.WithoutCancel(ctx)) //nolint:errcheck // best effort

	rep, err := check(ctx, c, *failures, time.Now().Add(-*since))
	if err != nil {
		return err
	}
	if *format == "json" {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(rep); err != nil {
			return err
		}
	} else {
		printTable(stdout, rep, *failures)
	}
	if len(rep.FailingTasks)+len(rep.FailedJobs) > 0 {
		return errProblems
	}
	return nil
}

// check builds the report.
func check(ctx context.Context, c *rest.Client, failures int, since time.Time) (*Report, error) {
	rep := &Report{Since: since.UTC().Truncate(time.Second), FailingTasks: []FailingTask{}, FailedJobs: []FailedJob{}}
	tasks, err := c.Tasks.ListRefreshes(ctx)
	if err != nil {
		return nil, fmt.Errorf("list extract refresh tasks: %w", err)
	}
	for _, t := range tasks {
		if t.ConsecutiveFailedCount < failures {
			continue
		}
		ft := FailingTask{TaskID: t.ID, Kind: t.TargetKind, Name: t.TargetID, Schedule: t.Schedule.Name, Failures: t.ConsecutiveFailedCount}
		if ft.Schedule == "" {
			ft.Schedule = t.Schedule.Frequency // a Tableau Cloud task's own schedule
		}
		if name, err := itemName(ctx, c, t.TargetKind, t.TargetID); err == nil {
			ft.Name = name
		}
		rep.FailingTasks = append(rep.FailingTasks, ft)
	}
	filters := []tableau.Filter{
		tableau.In("jobType", "refresh_extracts", "increment_extract"),
		tableau.Eq("status", rest.JobFailed),
		tableau.Gte("createdAt", rep.Since.Format(time.RFC3339)),
	}
	for j, err := range c.Jobs.List(&tableau.ListOptions{Filters: filters}).All(ctx) {
		if err != nil {
			return nil, fmt.Errorf("list failed refresh jobs: %w", err)
		}
		fj := FailedJob{JobID: j.ID, Name: j.Title, At: j.CreatedAt}
		if full, err := c.Jobs.Get(ctx, j.ID); err == nil {
			fj.Reason = strings.Join(full.Notes, "; ")
		}
		rep.FailedJobs = append(rep.FailedJobs, fj)
	}
	return rep, nil
}

// itemName names a task's workbook or datasource.
func itemName(ctx context.Context, c *rest.Client, kind, id string) (string, error) {
	if kind == rest.TargetWorkbook {
		wb, err := c.Workbooks.Get(ctx, id)
		if err != nil {
			return "", err
		}
		return wb.Name, nil
	}
	ds, err := c.Datasources.Get(ctx, id)
	if err != nil {
		return "", err
	}
	return ds.Name, nil
}

func printTable(w io.Writer, rep *Report, failures int) {
	if len(rep.FailingTasks)+len(rep.FailedJobs) == 0 {
		fmt.Fprintf(w, "all extract refreshes healthy (no task failing %d times in a row, no failed refresh since %s)\n", failures, rep.Since.Format(time.RFC3339))
		return
	}
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	if len(rep.FailingTasks) > 0 {
		fmt.Fprintf(tw, "TASKS FAILING %d+ TIMES IN A ROW\tKIND\tSCHEDULE\tFAILURES\n", failures)
		for _, t := range rep.FailingTasks {
			fmt.Fprintf(tw, "%s\t%s\t%s\t%d\n", t.Name, t.Kind, t.Schedule, t.Failures)
		}
		fmt.Fprintln(tw)
	}
	if len(rep.FailedJobs) > 0 {
		fmt.Fprintf(tw, "REFRESHES FAILED SINCE %s\tAT\tREASON\n", rep.Since.Format(time.RFC3339))
		for _, j := range rep.FailedJobs {
			fmt.Fprintf(tw, "%s\t%s\t%s\n", j.Name, j.At.Format(time.RFC3339), j.Reason)
		}
	}
	tw.Flush()
}

// config reads TABLEAU_* when TABLEAU_SERVER is set, and otherwise starts
// the embedded emulator with a nightly schedule that refreshes three
// datasources and has run twice, with the database of "Datasource 2" down.
func config(ctx context.Context) (tableau.Config, func(), error) {
	if os.Getenv(tableau.EnvServer) != "" {
		cfg, err := tableau.ConfigFromEnv()
		return cfg, func() {}, err
	}
	srv, err := tableautest.NewServer(nil)
	if err != nil {
		return tableau.Config{}, nil, err
	}
	creds := srv.Credentials()
	cfg := tableau.Config{Server: srv.URL(), Credentials: tableau.PersonalAccessToken{Name: creds.PATName, Secret: creds.PATSecret}}
	if err := demoNights(ctx, srv, cfg); err != nil {
		srv.Close()
		return tableau.Config{}, nil, err
	}
	return cfg, func() { srv.Close() }, nil
}

// demoNights sets up the demo site and runs its nightly schedule twice.
func demoNights(ctx context.Context, srv *tableautest.Server, cfg tableau.Config) error {
	seed, err := srv.Seed(tableautest.SeedOptions{Datasources: 3})
	if err != nil {
		return err
	}
	srv.SetJobDuration(0)
	srv.FailRefreshesOf("Datasource 2", "Unable to connect to the server \"warehouse.example.com\": connection refused")
	c, err := rest.SignIn(ctx, cfg)
	if err != nil {
		return err
	}
	defer c.Session.SignOut(context.WithoutCancel(ctx)) //nolint:errcheck // best effort
	nightly, err := c.Schedules.Create(ctx, rest.ScheduleCreate{Name: "Nightly extracts", Type: rest.ScheduleExtract, Recurrence: rest.DailyRecurrence("02:00:00")})
	if err != nil {
		return err
	}
	for _, id := range seed.DatasourceIDs {
		if _, err := c.Schedules.Add(ctx, nightly.ID, rest.TargetDatasource, id); err != nil {
			return err
		}
	}
	for range 2 {
		run, err := srv.RunSchedule(nightly.ID)
		if err != nil {
			return err
		}
		for _, id := range run.JobIDs {
			_, err := c.Jobs.Wait(ctx, id, &rest.WaitOptions{Interval: 10 * time.Millisecond})
			if err != nil && !errors.Is(err, rest.ErrJobFailed) {
				return err
			}
		}
	}
	return nil
}
