// Command hyper-create-extract builds a .hyper extract, ready to publish,
// from Go data and from a CSV file.
//
//	go run ./examples/hyper-create-extract -out orders.hyper [-csv regions.csv] [-rows N] [-progress]
//
// The orders go into "Extract"."Extract" through the Inserter (struct
// rows); the regions CSV is read by hyperd itself into
// "Extract"."Regions". Without -csv a small sample CSV is used.
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"time"

	"github.com/schollz/progressbar/v3"
	"github.com/tableau-go/sdk/hyper"
)

// Order is one row of the extract; tags name the columns.
type Order struct {
	ID       int64     `hyper:"order_id"`
	Customer string    `hyper:"customer"`
	Region   *string   `hyper:"region"`
	Amount   float64   `hyper:"amount"`
	Ordered  time.Time `hyper:"order_date"`
}

const sampleCSV = "region,manager\nWest,Ana\nEast,Bo\nNorth,\n"

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "hyper-create-extract:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("hyper-create-extract", flag.ContinueOnError)
	out := fs.String("out", "orders.hyper", "extract file to create (replaced if it exists)")
	csvPath := fs.String("csv", "", "CSV file of regions with a header line (default: a small sample)")
	rows := fs.Int("rows", 1000, "number of generated orders")
	showProgress := fs.Bool("progress", false, "draw a progress bar while inserting")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *csvPath == "" {
		dir, err := os.MkdirTemp("", "regions")
		if err != nil {
			return err
		}
		defer os.RemoveAll(dir)
		*csvPath = filepath.Join(dir, "regions.csv")
		if err := os.WriteFile(*csvPath, []byte(sampleCSV), 0o644); err != nil {
			return err
		}
	}

	p, err := hyper.Start(ctx, nil)
	if err != nil {
		return err
	}
	defer p.Close()
	c, err := p.Connect(ctx, *out, hyper.CreateAndReplace)
	if err != nil {
		return err
	}
	defer c.Close()

	// 1. Go data, through the Inserter.
	orders := hyper.ExtractDefinition(
		hyper.Column{Name: "order_id", Type: hyper.BigInt(), NotNull: true},
		hyper.Column{Name: "customer", Type: hyper.Text(), NotNull: true},
		hyper.Column{Name: "region", Type: hyper.Text()},
		hyper.Column{Name: "amount", Type: hyper.Double(), NotNull: true},
		hyper.Column{Name: "order_date", Type: hyper.Date(), NotNull: true},
	)
	if err := c.CreateTable(ctx, orders, false); err != nil {
		return err
	}
	var opts *hyper.InserterOptions
	if *showProgress {
		bar := progressbar.NewOptions64(int64(*rows), progressbar.OptionSetWriter(stdout), progressbar.OptionSetDescription("orders"))
		opts = &hyper.InserterOptions{Progress: func(n int64) { _ = bar.Set64(n) }}
		defer func() { _ = bar.Finish(); fmt.Fprintln(stdout) }()
	}
	regions := []string{"West", "East", "North"}
	start := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	n, err := hyper.InsertStructs(ctx, c, orders.Name, func(yield func(Order) bool) {
		for i := range *rows {
			o := Order{ID: int64(i + 1), Customer: fmt.Sprintf("customer-%d", i%50), Amount: float64(i%97) * 1.25,
				Ordered: start.AddDate(0, 0, i%365)}
			if i%10 != 0 { // every tenth order has no region
				o.Region = &regions[i%len(regions)]
			}
			if !yield(o) {
				return
			}
		}
	}, opts)
	if err != nil {
		return fmt.Errorf("inserting orders: %w", err)
	}
	fmt.Fprintf(stdout, "inserted %d orders into %s\n", n, orders.Name)

	// 2. A CSV file, read by hyperd itself.
	regionDef := &hyper.TableDefinition{Name: hyper.TableName{Schema: "Extract", Table: "Regions"}, Columns: []hyper.Column{
		{Name: "region", Type: hyper.Text(), NotNull: true},
		{Name: "manager", Type: hyper.Text()},
	}}
	if err := c.CreateTable(ctx, regionDef, false); err != nil {
		return err
	}
	m, err := c.CopyFromFile(ctx, regionDef.Name, *csvPath, nil)
	if err != nil {
		return fmt.Errorf("loading %s: %w", *csvPath, err)
	}
	fmt.Fprintf(stdout, "loaded %d regions from %s into %s\n", m, filepath.Base(*csvPath), regionDef.Name)

	// Closing the connection writes the file; the extract is ready to publish.
	if err := c.Close(); err != nil {
		return err
	}
	if err := p.Close(); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "wrote %s\n", *out)
	return nil
}
