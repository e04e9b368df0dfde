// Command hyper-rolling-window keeps the last N days of data in an
// extract: it deletes the rows older than the window and appends the new
// day, in one transaction.
//
//	go run ./examples/hyper-rolling-window -db sensors.hyper -days 7 -date 2024-06-30
//
// The new day's readings are generated (one per sensor and hour); in a real
// job they would come from the source system.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"os"
	"os/signal"
	"time"

	"github.com/tableau-go/sdk/hyper"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "hyper-rolling-window:", err)
		os.Exit(1)
	}
}

var readingsDef = hyper.ExtractDefinition(
	hyper.Column{Name: "day", Type: hyper.Date(), NotNull: true},
	hyper.Column{Name: "at", Type: hyper.Timestamp(), NotNull: true},
	hyper.Column{Name: "sensor_id", Type: hyper.Int(), NotNull: true},
	hyper.Column{Name: "value", Type: hyper.Double()},
)

// readings yields one reading per sensor and hour of day.
func readings(day time.Time, sensors int) func(yield func([]any, error) bool) {
	return func(yield func([]any, error) bool) {
		for h := range 24 {
			at := day.Add(time.Duration(h) * time.Hour)
			for s := range sensors {
				var v any = 20 + 5*math.Sin(float64(h)/24*2*math.Pi) + float64(s)
				if (h+s)%17 == 0 {
					v = nil // a missed reading
				}
				if !yield([]any{day, at, int32(s), v}, nil) {
					return
				}
			}
		}
	}
}

func run(ctx context.Context, args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("hyper-rolling-window", flag.ContinueOnError)
	db := fs.String("db", "sensors.hyper", "extract to maintain (created if missing)")
	days := fs.Int("days", 7, "days to keep, the new day included")
	date := fs.String("date", time.Now().UTC().Format(time.DateOnly), "the new day, YYYY-MM-DD")
	sensors := fs.Int("sensors", 10, "number of sensors")
	if err := fs.Parse(args); err != nil {
		return err
	}
	day, err := time.Parse(time.DateOnly, *date)
	if err != nil {
		return fmt.Errorf("-date: %w", err)
	}
	if *days < 1 {
		return errors.New("-days must be at least 1")
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
	if err := c.CreateTable(ctx, readingsDef, true); err != nil {
		return err
	}
	// Running twice for the same day must not duplicate it.
	if _, err := c.Exec(ctx, `DELETE FROM `+readingsDef.Name.String()+` WHERE "day" = $1`, day); err != nil {
		return err
	}
	res, err := c.RollingWindow(ctx, readingsDef.Name, "day", *days, day, readings(day, *sensors))
	if err != nil {
		return err
	}
	var first, last time.Time
	var n int64
	if err := c.QueryRow(ctx, `SELECT MIN("day"), MAX("day"), COUNT(*) FROM `+readingsDef.Name.String()).Scan(&first, &last, &n); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "deleted %d rows before the window, appended %d for %s; %s keeps %s..%s (%d rows)\n",
		res.Deleted, res.Inserted, day.Format(time.DateOnly), *db, first.Format(time.DateOnly), last.Format(time.DateOnly), n)
	return nil
}
