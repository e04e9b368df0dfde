// Command tour is the short tour of tableau-go that `make demo` runs after
// the quickstart: every package at work together, against the embedded
// emulator (tableautest) and a real hyperd.
//
//  1. hyper builds an extract from Go data and reads it back;
//  2. rest publishes it as a datasource, refreshes it and waits for the job;
//  3. webhooks receives the "workbook created" event the emulator sends;
//  4. document repoints a workbook's connections from test to production,
//     and rest publishes it;
//  5. metadata finds what depends on a database column (impact analysis);
//  6. analytics answers a Tableau SCRIPT_REAL call with a Go function.
//
// Run it with `go run ./examples/tour` (hyperd is found as the hyper
// package documents: scripts/install-hyperd.sh installs it).
package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"time"

	"github.com/tableau-go/sdk/analytics"
	"github.com/tableau-go/sdk/document"
	"github.com/tableau-go/sdk/hyper"
	"github.com/tableau-go/sdk/metadata"
	"github.com/tableau-go/sdk/rest"
	"github.com/tableau-go/sdk/tableau"
	"github.com/tableau-go/sdk/tableau/tableautest"
	"github.com/tableau-go/sdk/webhooks"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "tour:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("tour", flag.ContinueOnError)
	fs.SetOutput(stdout)
	rows := fs.Int("rows", 100_000, "rows in the extract the tour builds")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *rows < 1 {
		return fmt.Errorf("-rows must be at least 1, not %d", *rows)
	}
	dir, err := os.MkdirTemp("", "tableau-go-tour")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)

	srv, err := tableautest.NewServer(nil)
	if err != nil {
		return err
	}
	defer srv.Close()
	srv.SetJobDuration(300 * time.Millisecond)
	cr := srv.Credentials()
	c, err := rest.SignIn(ctx, tableau.Config{
		Server:      srv.URL(),
		Credentials: tableau.PersonalAccessToken{Name: cr.PATName, Secret: cr.PATSecret},
	})
	if err != nil {
		return fmt.Errorf("sign in: %w", err)
	}
	defer c.Session.SignOut(context.WithoutCancel(ctx)) //nolint:errcheck // the emulator closes anyway
	fmt.Fprintf(stdout, "emulator:  %s, signed in\n", srv.URL())

	project, err := c.Projects.Create(ctx, rest.ProjectCreate{Name: "Tour"})
	if err != nil {
		return fmt.Errorf("create project: %w", err)
	}

	extract := filepath.Join(dir, "sales.hyper")
	if err := buildExtract(ctx, extract, *rows, stdout); err != nil {
		return fmt.Errorf("hyper: %w", err)
	}
	if err := publishAndRefresh(ctx, c, project.ID, extract, stdout); err != nil {
		return fmt.Errorf("rest: %w", err)
	}
	if err := repointAndPublish(ctx, c, project.ID, stdout); err != nil {
		return err
	}
	if err := impact(ctx, c, project.ID, stdout); err != nil {
		return fmt.Errorf("metadata: %w", err)
	}
	if err := analyticsCall(ctx, stdout); err != nil {
		return fmt.Errorf("analytics: %w", err)
	}
	fmt.Fprintln(stdout, "done:      signing out")
	return nil
}

// buildExtract writes rows of sales into a new .hyper file and reads a
// summary back.
func buildExtract(ctx context.Context, path string, rows int, stdout io.Writer) error {
	p, err := hyper.Start(ctx, nil)
	if err != nil {
		return err
	}
	defer p.Close()
	conn, err := p.Connect(ctx, path, hyper.CreateAndReplace)
	if err != nil {
		return err
	}
	defer conn.Close()
	def := hyper.ExtractDefinition(
		hyper.Column{Name: "id", Type: hyper.Int(), NotNull: true},
		hyper.Column{Name: "region", Type: hyper.Text()},
		hyper.Column{Name: "amount", Type: hyper.Double()},
	)
	if err := conn.CreateTable(ctx, def, false); err != nil {
		return err
	}
	regions := []string{"East", "West", "North", "South"}
	start := time.Now()
	ins, err := conn.NewInserter(ctx, def.Name, nil)
	if err != nil {
		return err
	}
	for i := range rows {
		ins.AddInt32(int32(i))
		ins.AddString(regions[i%len(regions)])
		ins.AddFloat64(float64(i%1000) / 10)
		if err := ins.EndRow(); err != nil {
			ins.Abort()
			return err
		}
	}
	if _, err := ins.Close(); err != nil {
		return err
	}
	elapsed := time.Since(start)
	var n int64
	var total float64
	if err := conn.QueryRow(ctx, `SELECT COUNT(*), SUM(amount) FROM "Extract"."Extract"`).Scan(&n, &total); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "hyper:     inserted %d rows into %s in %s; read back COUNT=%d SUM(amount)=%.1f\n",
		rows, filepath.Base(path), elapsed.Round(time.Millisecond), n, total)
	return nil
}

// publishAndRefresh publishes the extract as a datasource, refreshes it and
// waits for the refresh job.
func publishAndRefresh(ctx context.Context, c *rest.Client, projectID, extract string, stdout io.Writer) error {
	ds, err := c.Datasources.PublishFile(ctx, extract, &rest.PublishOptions{Name: "Sales extract", ProjectID: projectID})
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "rest:      published datasource %q (id %s)\n", ds.Name, ds.ID)
	job, err := c.Datasources.Refresh(ctx, ds.ID, nil)
	if err != nil {
		return err
	}
	done, err := c.Jobs.Wait(ctx, job.ID, nil)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "rest:      refresh job %s finished: %s\n", done.ID, done.Status())
	return nil
}

// repointAndPublish subscribes to "workbook created", repoints a test
// workbook to production with document, publishes it, and prints the event
// the emulator delivers.
func repointAndPublish(ctx context.Context, c *rest.Client, projectID string, stdout io.Writer) error {
	events, stopReceiver, err := receiveEvents(ctx, c)
	if err != nil {
		return fmt.Errorf("webhooks: %w", err)
	}
	defer stopReceiver()

	doc, err := document.Read(ctx, bytes.NewReader(tableautest.SampleTWB("test-db.example.com", "Overview", "By region")), nil)
	if err != nil {
		return fmt.Errorf("document: %w", err)
	}
	defer doc.Close()
	wb, err := doc.Workbook()
	if err != nil {
		return fmt.Errorf("document: %w", err)
	}
	changed := 0
	for _, conn := range wb.Connections() {
		if conn.Server() == "test-db.example.com" {
			conn.SetServer("prod-db.example.com")
			changed++
		}
	}
	var out bytes.Buffer
	if err := doc.Write(ctx, &out); err != nil {
		return fmt.Errorf("document: %w", err)
	}
	fmt.Fprintf(stdout, "document:  repointed %d connection(s) of a workbook with %d sheet(s) to prod-db.example.com\n",
		changed, len(wb.Worksheets()))

	published, err := c.Workbooks.Publish(ctx, &out, &rest.PublishOptions{Name: "Regional sales", ProjectID: projectID, FileName: "regional-sales.twb"})
	if err != nil {
		return fmt.Errorf("rest: %w", err)
	}
	fmt.Fprintf(stdout, "rest:      published workbook %q (id %s)\n", published.Name, published.ID)
	select {
	case e := <-events:
		fmt.Fprintf(stdout, "webhooks:  received %s for %q\n", e.Type, e.ResourceName)
	case <-time.After(20 * time.Second):
		return errors.New("webhooks: no event within 20s")
	case <-ctx.Done():
		return ctx.Err()
	}
	return nil
}

// receiveEvents runs a webhooks.Handler on loopback and subscribes it to
// "workbook created" through REST.
func receiveEvents(ctx context.Context, c *rest.Client) (<-chan *webhooks.Event, func(), error) {
	dir, err := os.MkdirTemp("", "tableau-go-tour-events")
	if err != nil {
		return nil, nil, err
	}
	const token = "tour-token-0123456789abcdef"
	h, err := webhooks.NewHandler(&webhooks.Options{StorePath: filepath.Join(dir, "events.db"), Token: token})
	if err != nil {
		os.RemoveAll(dir)
		return nil, nil, err
	}
	events := make(chan *webhooks.Event, 4)
	if err := h.HandleFunc("tour", func(_ context.Context, e *webhooks.Event) error {
		select {
		case events <- e:
		default:
		}
		return nil
	}, webhooks.WorkbookCreated); err != nil {
		return nil, nil, err
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, nil, err
	}
	hs := &http.Server{Handler: h, ReadHeaderTimeout: 5 * time.Second}
	go hs.Serve(ln) //nolint:errcheck // ends with Shutdown
	runCtx, cancel := context.WithCancel(ctx)
	go h.Run(runCtx) //nolint:errcheck // ends with cancel
	stop := func() {
		cancel()
		shut, done := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
		defer done()
		hs.Shutdown(shut) //nolint:errcheck
		h.Close(shut)     //nolint:errcheck
		os.RemoveAll(dir)
	}
	dest, err := webhooks.DestinationURL("http://"+ln.Addr().String()+"/", token)
	if err != nil {
		stop()
		return nil, nil, err
	}
	if _, err := webhooks.Subscribe(ctx, c.Webhooks, "tour", dest, webhooks.WorkbookCreated); err != nil {
		stop()
		return nil, nil, err
	}
	return events, stop, nil
}

// impact publishes the emulator's sample datasource and workbook and asks
// the Metadata API what depends on a column.
func impact(ctx context.Context, c *rest.Client, projectID string, stdout io.Writer) error {
	if _, err := c.Datasources.Publish(ctx, bytes.NewReader(tableautest.MetadataSampleDatasource()),
		&rest.PublishOptions{Name: "Orders", ProjectID: projectID, FileName: "orders.tds"}); err != nil {
		return err
	}
	if _, err := c.Workbooks.Publish(ctx, bytes.NewReader(tableautest.MetadataSampleWorkbook()),
		&rest.PublishOptions{Name: "Sales", ProjectID: projectID, FileName: "sales.twb"}); err != nil {
		return err
	}
	md, err := metadata.New(c.Session, nil)
	if err != nil {
		return err
	}
	target := metadata.Target{Database: "sales", Schema: "public", Table: "orders", Column: "amount"}
	im, err := md.Impact(ctx, target, nil)
	if err != nil {
		return err
	}
	counts := im.Count()
	var parts []string
	for _, kind := range []metadata.NodeKind{metadata.KindField, metadata.KindCalculatedField, metadata.KindPublishedDatasource, metadata.KindSheet, metadata.KindDashboard, metadata.KindWorkbook} {
		if n := counts[kind]; n > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", n, kind))
		}
	}
	fmt.Fprintf(stdout, "metadata:  %s is used by %d items downstream (%s)\n", target, len(im.Dependents()), strings.Join(parts, ", "))
	return nil
}

// analyticsCall serves a Go function as a TabPy endpoint and calls it the
// way Tableau's SCRIPT_REAL does.
func analyticsCall(ctx context.Context, stdout io.Writer) error {
	s := analytics.New(nil)
	if err := s.Register("margin", func(sales, profit []float64) ([]float64, error) {
		out := make([]float64, len(sales))
		for i := range sales {
			out[i] = profit[i] / sales[i]
		}
		return out, nil
	}, nil); err != nil {
		return err
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	serveCtx, cancel := context.WithCancel(ctx)
	served := make(chan error, 1)
	go func() { served <- s.Serve(serveCtx, ln) }()
	defer func() { cancel(); <-served }()

	body := `{"script": "return tabpy.query('margin', _arg1, _arg2)['response']", "data": {"_arg1": [200, 50, 80], "_arg2": [40, 5, 20]}}`
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, "http://"+ln.Addr().String()+"/evaluate", strings.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		msg, _ := io.ReadAll(io.LimitReader(resp.Body, 1<<10))
		return fmt.Errorf("evaluate answered %s: %s", resp.Status, msg)
	}
	var margins []float64
	if err := json.NewDecoder(resp.Body).Decode(&margins); err != nil {
		return err
	}
	field, err := s.CalculatedField("margin", "SUM([Sales])", "SUM([Profit])")
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "analytics: %s -> %v\n", field, margins)
	return nil
}
