// Command data-dictionary writes the data dictionary of a site: every
// published datasource (and, with -embedded, the datasources embedded in
// workbooks) with its fields' types, roles, formulas and descriptions
// (inherited from the published datasource or database column when a field
// has none of its own), certification, owner, project and upstream tables.
//
//	data-dictionary -format md > dictionary.md
//	data-dictionary -format html -out dictionary.html -embedded
//	data-dictionary -format csv -project Finance -project Sales > fields.csv
//
// Without TABLEAU_SERVER it runs against the embedded emulator with a
// sample datasource ("Orders") and workbook ("Sales") published; set
// TABLEAU_SERVER and credentials (see tableau.ConfigFromEnv) for a real
// server.
package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/tableau-go/sdk/metadata"
	"github.com/tableau-go/sdk/rest"
	"github.com/tableau-go/sdk/tableau"
	"github.com/tableau-go/sdk/tableau/tableautest"
)

func main() {
	if err := run(context.Background(), os.Args[1:], os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "data-dictionary:", err)
		os.Exit(1)
	}
}

type listFlag []string

func (l *listFlag) String() string     { return strings.Join(*l, ",") }
func (l *listFlag) Set(v string) error { *l = append(*l, v); return nil }

func run(ctx context.Context, args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("data-dictionary", flag.ContinueOnError)
	format := fs.String("format", "md", "output: md, csv or html")
	out := fs.String("out", "", "write to this file instead of standard output")
	embedded := fs.Bool("embedded", false, "include datasources embedded in workbooks")
	hidden := fs.Bool("hidden", false, "include hidden fields")
	var projects listFlag
	fs.Var(&projects, "project", "only this project (repeatable)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() != 0 {
		return errors.New("usage: data-dictionary [-format md|csv|html] [-out FILE] [-embedded] [-hidden] [-project NAME ...]")
	}
	write := map[string]func(*metadata.Dictionary, io.Writer) error{
		"md": (*metadata.Dictionary).WriteMarkdown, "csv": (*metadata.Dictionary).WriteCSV, "html": (*metadata.Dictionary).WriteHTML,
	}[*format]
	if write == nil {
		return fmt.Errorf("unknown -format %q (md, csv, html)", *format)
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
	d, err := md.Dictionary(ctx, &metadata.DictionaryOptions{Embedded: *embedded, IncludeHidden: *hidden, Projects: projects})
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := write(d, &buf); err != nil {
		return err
	}
	if *out != "" {
		return os.WriteFile(*out, buf.Bytes(), 0o644)
	}
	_, err = stdout.Write(buf.Bytes())
	return err
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
