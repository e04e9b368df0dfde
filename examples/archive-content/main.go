// Command archive-content is a monthly housekeeping job:
//
//   - it saves PDF or PNG snapshots of named dashboards (-view
//     "Workbook/View", repeatable) into a dated folder, OUT/snapshots/YYYY-MM;
//   - with -stale-months N, it archives the workbooks nobody viewed for N
//     months: downloads each one to OUT/archive/YYYY-MM-DD/, deletes it from
//     the site, and appends a line to OUT/manifest.csv.
//
// "Not viewed for N months" is measured with the REST API's view counts:
// the job keeps each workbook's total view count in OUT/usage-state.json,
// and a workbook is stale when its count has not changed for N months (a
// workbook never viewed counts from its last publish). -dry-run reports
// what it would archive and changes nothing.
//
// It runs against the embedded emulator by default (three workbooks, last
// published 200 days ago, one of them viewed); set TABLEAU_SERVER and
// credentials (see tableau.ConfigFromEnv) for a real server:
//
//	go run ./examples/archive-content -out /tmp/archive -view "Workbook 2/Sheet 1" -stale-months 3 -dry-run
//	TABLEAU_SERVER=https://tableau.example.com TABLEAU_PAT_NAME=ci TABLEAU_PAT_SECRET=... \
//	    go run ./examples/archive-content -out /srv/tableau-archive -view "Sales/Overview" -format pdf -stale-months 6
package main

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/tableau-go/sdk/rest"
	"github.com/tableau-go/sdk/tableau"
	"github.com/tableau-go/sdk/tableau/tableautest"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "archive-content:", err)
		os.Exit(1)
	}
}

type names []string

func (n *names) String() string     { return strings.Join(*n, ", ") }
func (n *names) Set(v string) error { *n = append(*n, v); return nil }

// usage is what the state file keeps per workbook.
type usage struct {
	Name  string    `json:"name"`
	Total int       `json:"totalViews"`
	Since time.Time `json:"unchangedSince"`
}

func run(ctx context.Context, args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("archive-content", flag.ContinueOnError)
	fs.SetOutput(stdout)
	out := fs.String("out", "tableau-archive", "folder for snapshots, archives, manifest and state")
	var views names
	fs.Var(&views, "view", `dashboard to snapshot, as "Workbook/View" (repeatable)`)
	format := fs.String("format", "pdf", "snapshot format: pdf or png")
	staleMonths := fs.Int("stale-months", 0, "archive workbooks not viewed for this many months (0: do not archive)")
	dryRun := fs.Bool("dry-run", false, "report what would be archived; download and delete nothing")
	date := fs.String("date", "", "the run's date, YYYY-MM-DD (default: today); names the folders and measures staleness")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *format != "pdf" && *format != "png" {
		return fmt.Errorf("-format %q is not pdf or png", *format)
	}
	if *staleMonths < 0 {
		return errors.New("-stale-months must not be negative")
	}
	now := time.Now().UTC()
	if *date != "" {
		d, err := time.Parse(time.DateOnly, *date)
		if err != nil {
			return fmt.Errorf("-date %q is not YYYY-MM-DD", *date)
		}
		now = d.Add(12 * time.Hour)
	}
	if len(views) == 0 && *staleMonths == 0 {
		return errors.New("nothing to do: give -view or -stale-months")
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
	defer c.Session.SignOut(context.WithoutCancel(ctx)) //nolint:errcheck

	for _, v := range views {
		if err := snapshot(ctx, c, v, *format, filepath.Join(*out, "snapshots", now.Format("2006-01")), stdout); err != nil {
			return err
		}
	}
	if *staleMonths > 0 {
		return archive(ctx, c, *out, now, *staleMonths, *dryRun, stdout)
	}
	return nil
}

// safeName makes a name usable as a file name.
func safeName(s string) string {
	return strings.Map(func(r rune) rune {
		if strings.ContainsRune(`/\:*?"<>|`, r) || r < 32 {
			return '_'
		}
		return r
	}, s)
}

// snapshot saves one view as PDF or PNG into dir/Workbook/View.ext.
func snapshot(ctx context.Context, c *rest.Client, ref, format, dir string, stdout io.Writer) error {
	wbName, viewName, ok := strings.Cut(ref, "/")
	if !ok || wbName == "" || viewName == "" {
		return fmt.Errorf("-view %q is not \"Workbook/View\"", ref)
	}
	wb, err := c.Workbooks.GetByName(ctx, wbName, "")
	if err != nil {
		return fmt.Errorf("workbook %q: %w", wbName, err)
	}
	vs, err := c.Workbooks.Views(ctx, wb.ID, false)
	if err != nil {
		return err
	}
	var view *rest.View
	for i := range vs {
		if vs[i].Name == viewName {
			view = &vs[i]
		}
	}
	if view == nil {
		return fmt.Errorf("workbook %q has no view %q", wbName, viewName)
	}
	target := filepath.Join(dir, safeName(wb.Name), safeName(view.Name)+"."+format)
	if err := os.MkdirAll(filepath.Dir(target), 0o755); err != nil {
		return err
	}
	f, err := os.CreateTemp(filepath.Dir(target), ".snapshot-*")
	if err != nil {
		return err
	}
	if format == "pdf" {
		err = c.Views.PDF(ctx, view.ID, f, &rest.PDFOptions{PageType: "A4", Orientation: "Landscape"})
	} else {
		err = c.Views.Image(ctx, view.ID, f, &rest.ImageOptions{HighResolution: true})
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(f.Name(), target)
	}
	if err != nil {
		os.Remove(f.Name())
		return fmt.Errorf("snapshot of %q: %w", ref, err)
	}
	fmt.Fprintf(stdout, "snapshot %s\n", target)
	return nil
}

// archive downloads and deletes the workbooks not viewed for months.
func archive(ctx context.Context, c *rest.Client, out string, now time.Time, months int, dryRun bool, stdout io.Writer) error {
	statePath := filepath.Join(out, "usage-state.json")
	state := map[string]usage{}
	if b, err := os.ReadFile(statePath); err == nil {
		if err := json.Unmarshal(b, &state); err != nil {
			return fmt.Errorf("%s: %w", statePath, err)
		}
	} else if !errors.Is(err, os.ErrNotExist) {
		return err
	}
	totals := map[string]int{}
	for v, err := range c.Views.List(&rest.ViewListOptions{Usage: true, ListOptions: tableau.ListOptions{PageSize: tableau.MaxPageSize, Parallel: 4}}).All(ctx) {
		if err != nil {
			return fmt.Errorf("list views: %w", err)
		}
		totals[v.Workbook.ID] += v.TotalViews()
	}
	workbooks, err := c.Workbooks.List(&tableau.ListOptions{PageSize: tableau.MaxPageSize, Parallel: 4}).Collect(ctx)
	if err != nil {
		return fmt.Errorf("list workbooks: %w", err)
	}
	cutoff := now.AddDate(0, -months, 0)
	next := map[string]usage{}
	var stale []rest.Workbook
	for _, wb := range workbooks {
		u := usage{Name: wb.Name, Total: totals[wb.ID], Since: now}
		prev, seen := state[wb.ID]
		switch {
		case seen && prev.Total == u.Total:
			u.Since = prev.Since
		case !seen && u.Total == 0:
			u.Since = wb.UpdatedAt // never viewed since it was published
		}
		if !u.Since.After(cutoff) {
			stale = append(stale, wb)
			continue
		}
		next[wb.ID] = u
	}
	dir := filepath.Join(out, "archive", now.Format(time.DateOnly))
	archived := 0
	for _, wb := range stale {
		since := state[wb.ID].Since
		if since.IsZero() {
			since = wb.UpdatedAt
		}
		if dryRun {
			fmt.Fprintf(stdout, "would archive %q (project %q): %d views, unchanged since %s\n", wb.Name, wb.Project.Name, totals[wb.ID], since.Format(time.DateOnly))
			next[wb.ID] = state[wb.ID]
			continue
		}
		// One folder per project: the file keeps the server's name and extension.
		target := filepath.Join(dir, safeName(wb.Project.Name))
		if err := os.MkdirAll(target, 0o755); err != nil {
			return err
		}
		path, err := c.Workbooks.DownloadFile(ctx, wb.ID, target, nil)
		if err != nil {
			return fmt.Errorf("download %q: %w", wb.Name, err)
		}
		st, err := os.Stat(path)
		if err != nil {
			return err
		}
		if err := appendManifest(filepath.Join(out, "manifest.csv"), []string{
			now.Format(time.RFC3339), wb.ID, wb.Name, wb.Project.Name, path, strconv.FormatInt(st.Size(), 10),
			strconv.Itoa(totals[wb.ID]), since.Format(time.RFC3339)}); err != nil {
			return err
		}
		if err := c.Workbooks.Delete(ctx, wb.ID); err != nil {
			return fmt.Errorf("delete %q (downloaded to %s): %w", wb.Name, path, err)
		}
		archived++
		fmt.Fprintf(stdout, "archived %q to %s and deleted it\n", wb.Name, path)
	}
	b, err := json.MarshalIndent(next, "", "  ")
	if err != nil {
		return err
	}
	if err := os.MkdirAll(out, 0o755); err != nil {
		return err
	}
	if err := os.WriteFile(statePath, b, 0o644); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "%d workbooks, %d not viewed for %d months, %d archived\n", len(workbooks), len(stale), months, archived)
	return nil
}

// appendManifest appends one CSV record, writing the header first.
func appendManifest(path string, record []string) error {
	_, err := os.Stat(path)
	fresh := errors.Is(err, os.ErrNotExist)
	f, err := os.OpenFile(path, os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o644)
	if err != nil {
		return err
	}
	w := csv.NewWriter(f)
	if fresh {
		w.Write([]string{"archived_at", "workbook_id", "name", "project", "file", "bytes", "total_views", "unchanged_since"}) //nolint:errcheck // checked by Flush
	}
	w.Write(record) //nolint:errcheck
	w.Flush()
	if err := w.Error(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// config reads TABLEAU_* when TABLEAU_SERVER is set, and otherwise starts
// the embedded emulator with three workbooks published 200 days ago, the
// second of them viewed once.
func config() (tableau.Config, func(), error) {
	if os.Getenv(tableau.EnvServer) != "" {
		cfg, err := tableau.ConfigFromEnv()
		return cfg, func() {}, err
	}
	srv, err := tableautest.NewServer(nil)
	if err != nil {
		return tableau.Config{}, nil, err
	}
	if _, err := srv.Seed(tableautest.SeedOptions{Workbooks: 3, Age: 200 * 24 * time.Hour}); err != nil {
		srv.Close()
		return tableau.Config{}, nil, err
	}
	creds := srv.Credentials()
	cfg := tableau.Config{Server: srv.URL(), Credentials: tableau.PersonalAccessToken{Name: creds.PATName, Secret: creds.PATSecret}}
	// Someone looked at Workbook 2.
	c, err := rest.SignIn(context.Background(), cfg)
	if err == nil {
		var wb *rest.Workbook
		if wb, err = c.Workbooks.GetByName(context.Background(), "Workbook 2", ""); err == nil {
			err = c.Views.CSV(context.Background(), wb.DefaultViewID, io.Discard, nil)
		}
		c.Session.SignOut(context.Background()) //nolint:errcheck
	}
	if err != nil {
		srv.Close()
		return tableau.Config{}, nil, err
	}
	return cfg, func() { srv.Close() }, nil
}
