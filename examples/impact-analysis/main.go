// Command impact-analysis lists everything that depends on a database
// column (or table, schema, database, or a field of a published
// datasource) before you change or drop it: the fields and calculated
// fields that use it, the published datasources, sheets, dashboards and
// workbooks downstream, with their projects, owners and the path from the
// column to each. It exits with status 1 when anything depends on the
// target, so it can gate a database migration, and 2 on errors.
//
//	impact-analysis sales.public.orders.amount
//	impact-analysis -format csv ..orders.discount > impact.csv
//	impact-analysis -graph impact.svg -format mermaid sales.public.orders.amount
//	impact-analysis datasource:Orders/Amount
//
// Formats: table (default), csv, json, mermaid, dot. -graph FILE.svg also
// draws the lineage graph (Graphviz, in-process).
//
// Without TABLEAU_SERVER it runs against the embedded emulator with a
// sample datasource ("Orders", on sales.public.orders) and workbook
// ("Sales") published; set TABLEAU_SERVER and credentials (see
// tableau.ConfigFromEnv) for a real server.
package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/tableau-go/sdk/metadata"
	"github.com/tableau-go/sdk/rest"
	"github.com/tableau-go/sdk/tableau"
	"github.com/tableau-go/sdk/tableau/tableautest"
)

// errDependents is returned by run when something depends on the target.
var errDependents = errors.New("impact-analysis: the target has dependents")

func main() {
	err := run(context.Background(), os.Args[1:], os.Stdout)
	switch {
	case errors.Is(err, errDependents):
		os.Exit(1)
	case err != nil:
		fmt.Fprintln(os.Stderr, "impact-analysis:", err)
		os.Exit(2)
	}
}

func run(ctx context.Context, args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("impact-analysis", flag.ContinueOnError)
	format := fs.String("format", "table", "output: table, csv, json, mermaid or dot")
	graph := fs.String("graph", "", "also draw the lineage graph to this SVG file")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return errors.New("usage: impact-analysis [-format table|csv|json|mermaid|dot] [-graph out.svg] database.schema.table.column | datasource:NAME/FIELD")
	}
	target, err := metadata.ParseTarget(fs.Arg(0))
	if err != nil {
		return err
	}
	write := map[string]func(*metadata.Impact, io.Writer) error{
		"table": (*metadata.Impact).WriteTable, "csv": (*metadata.Impact).WriteCSV, "json": (*metadata.Impact).WriteJSON,
		"mermaid": (*metadata.Impact).WriteMermaid, "dot": (*metadata.Impact).WriteDOT,
	}[*format]
	if write == nil {
		return fmt.Errorf("unknown -format %q (table, csv, json, mermaid, dot)", *format)
	}

	cfg, done, err := config(ctx)
	if err != nil {
		return err
	}
	defer done()
	c, err := rest.SignIn(ctx, cfg)
	if err != nil {
		return err
	}
	defer c.Session.SignOut(context.WithoutCancel(ctx)) //nolint:errcheck
	md, err := metadata.New(c.Session, nil)
	if err != nil {
		return err
	}
	im, err := md.Impact(ctx, target, nil)
	if err != nil {
		return err
	}
	if err := write(im, stdout); err != nil {
		return err
	}
	if *graph != "" {
		var svg bytes.Buffer
		if err := im.WriteSVG(ctx, &svg); err != nil {
			return err
		}
		if err := os.WriteFile(*graph, svg.Bytes(), 0o644); err != nil {
			return err
		}
	}
	if len(im.Start) == 0 {
		return fmt.Errorf("nothing on the site matches %s", target)
	}
	if len(im.Dependents()) > 0 {
		return errDependents
	}
	return nil
}

// config reads TABLEAU_* when TABLEAU_SERVER is set, and otherwise starts
// the embedded emulator with the sample datasource and workbook published.
func config(ctx context.Context) (tableau.Config, func(), error) {
	if os.Getenv(tableau.EnvServer) != "" {
		cfg, err := tableau.ConfigFromEnv()
		return cfg, func() {}, err
	}
	srv, err := tableautest.NewServer(nil)
	if err != nil {
		return tableau.Config{}, nil, err
	}
	cr := srv.Credentials()
	cfg := tableau.Config{Server: srv.URL(), Credentials: tableau.PersonalAccessToken{Name: cr.PATName, Secret: cr.PATSecret}}
	if err := publishSamples(ctx, cfg); err != nil {
		srv.Close()
		return tableau.Config{}, nil, err
	}
	return cfg, func() { srv.Close() }, nil
}

// publishSamples publishes the emulator's sample datasource as "Orders"
// and workbook as "Sales" into the Default project.
func publishSamples(ctx context.Context, cfg tableau.Config) error {
	c, err := rest.SignIn(ctx, cfg)
	if err != nil {
		return err
	}
	defer c.Session.SignOut(context.WithoutCancel(ctx)) //nolint:errcheck
	p, err := c.Projects.GetByPath(ctx, "Default")
	if err != nil {
		return err
	}
	if _, err := c.Datasources.Publish(ctx, bytes.NewReader(tableautest.MetadataSampleDatasource()),
		&rest.PublishOptions{Name: "Orders", ProjectID: p.ID, FileName: "orders.tds"}); err != nil {
		return err
	}
	_, err = c.Workbooks.Publish(ctx, bytes.NewReader(tableautest.MetadataSampleWorkbook()),
		&rest.PublishOptions{Name: "Sales", ProjectID: p.ID, FileName: "sales.twb"})
	return err
}
