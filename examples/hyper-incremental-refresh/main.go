// Command hyper-incremental-refresh refreshes an existing extract: it adds
// only the orders that are new and updates the orders that changed.
//
//	go run ./examples/hyper-incremental-refresh -db orders.hyper -source changes.csv
//
// The source is a CSV export of orders (order_id,status,amount,updated_at).
// Rows above the extract's high-water mark (largest order_id) are appended;
// rows for known orders replace them (upsert by key, in one transaction).
// A missing extract is created first.
package main

import (
	"context"
	"encoding/csv"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strconv"
	"time"

	"github.com/tableau-go/sdk/hyper"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "hyper-incremental-refresh:", err)
		os.Exit(1)
	}
}

var ordersDef = hyper.ExtractDefinition(
	hyper.Column{Name: "order_id", Type: hyper.BigInt(), NotNull: true},
	hyper.Column{Name: "status", Type: hyper.Text(), NotNull: true},
	hyper.Column{Name: "amount", Type: hyper.NumericType(12, 2)},
	hyper.Column{Name: "updated_at", Type: hyper.Timestamp(), NotNull: true},
)

// readSource parses the CSV into rows in the extract's column order.
func readSource(path string) ([][]any, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	r := csv.NewReader(f)
	head, err := r.Read()
	if err != nil {
		return nil, fmt.Errorf("%s: header: %w", path, err)
	}
	if len(head) != 4 {
		return nil, fmt.Errorf("%s: want columns order_id,status,amount,updated_at, got %v", path, head)
	}
	var rows [][]any
	for line := 2; ; line++ {
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			return rows, nil
		}
		if err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		id, err := strconv.ParseInt(rec[0], 10, 64)
		if err != nil {
			return nil, fmt.Errorf("%s line %d: order_id: %w", path, line, err)
		}
		var amount any
		if rec[2] != "" {
			amount = rec[2] // NUMERIC accepts decimal text exactly
		}
		at, err := time.Parse(time.RFC3339, rec[3])
		if err != nil {
			return nil, fmt.Errorf("%s line %d: updated_at: %w", path, line, err)
		}
		rows = append(rows, []any{id, rec[1], amount, at})
	}
}

func run(ctx context.Context, args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("hyper-incremental-refresh", flag.ContinueOnError)
	db := fs.String("db", "orders.hyper", "extract to refresh (created if missing)")
	source := fs.String("source", "", "CSV of new and changed orders (required)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *source == "" {
		return errors.New("-source is required")
	}
	rows, err := readSource(*source)
	if err != nil {
		return err
	}

	p, err := hyper.Start(ctx, nil)
	if err != nil {
		return err
	}
	defer p.Close()
	c, err := p.Connect(ctx, *db, hyper.CreateIfMissing)
	if err != nil {
		return err
	}
	defer c.Close()
	if err := c.CreateTable(ctx, ordersDef, true); err != nil {
		return err
	}

	mark, err := c.HighWaterMark(ctx, ordersDef.Name, "order_id")
	if err != nil {
		return err
	}
	var high int64 = -1 << 63
	if mark != nil {
		high = mark.(int64)
	}
	var fresh, changed [][]any
	for _, r := range rows {
		if r[0].(int64) > high {
			fresh = append(fresh, r)
		} else {
			changed = append(changed, r)
		}
	}
	added, err := c.InsertNew(ctx, ordersDef.Name, []string{"order_id"}, hyper.RowsOf(fresh))
	if err != nil {
		return fmt.Errorf("adding new orders: %w", err)
	}
	res, err := c.Upsert(ctx, ordersDef.Name, []string{"order_id"}, hyper.RowsOf(changed))
	if err != nil {
		return fmt.Errorf("updating changed orders: %w", err)
	}
	var total int64
	if err := c.QueryRow(ctx, "SELECT COUNT(*) FROM "+ordersDef.Name.String()).Scan(&total); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "high-water mark %v: added %d new orders, updated %d, inserted %d previously unknown; %d orders in %s\n",
		mark, added, res.Deleted, res.Inserted-res.Deleted, total, *db)
	return nil
}
