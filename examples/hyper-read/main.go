// Command hyper-read reads an extract back and validates it for downstream
// use: row count, NULLs per column, and value ranges.
//
//	go run ./examples/hyper-read -db orders.hyper [-table Extract.Extract] \
//	    [-min-rows 1] [-not-null order_id,customer] [-range amount=0:1000]
//
// It streams every row through Go (no row is held in memory beyond the
// current one), prints a profile of each column, and fails when a check
// fails.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/tableau-go/sdk/hyper"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "hyper-read:", err)
		os.Exit(1)
	}
}

// profile is what the report says about one column.
type profile struct {
	col      hyper.Column
	nulls    int64
	min, max any
}

// less orders values of the same column type.
func less(a, b any) bool {
	switch x := a.(type) {
	case int16:
		return x < b.(int16)
	case int32:
		return x < b.(int32)
	case int64:
		return x < b.(int64)
	case float32:
		return x < b.(float32)
	case float64:
		return x < b.(float64)
	case string:
		return x < b.(string)
	case time.Time:
		return x.Before(b.(time.Time))
	case hyper.Numeric:
		return x.BigInt().Cmp(b.(hyper.Numeric).BigInt()) < 0 // same scale within a column
	case bool:
		return !x && b.(bool)
	}
	return false
}

func asFloat(v any) (float64, bool) {
	switch x := v.(type) {
	case int16:
		return float64(x), true
	case int32:
		return float64(x), true
	case int64:
		return float64(x), true
	case float32:
		return float64(x), true
	case float64:
		return x, true
	case hyper.Numeric:
		return x.Float64(), true
	}
	return 0, false
}

func format(v any) string {
	switch x := v.(type) {
	case nil:
		return "-"
	case time.Time:
		if x.Hour() == 0 && x.Minute() == 0 && x.Second() == 0 && x.Nanosecond() == 0 {
			return x.Format(time.DateOnly)
		}
		return x.Format("2006-01-02 15:04:05")
	case []byte:
		return fmt.Sprintf("%d bytes", len(x))
	}
	return fmt.Sprint(v)
}

func parseTable(s string) hyper.TableName {
	if schema, table, ok := strings.Cut(s, "."); ok {
		return hyper.TableName{Schema: schema, Table: table}
	}
	return hyper.Table(s)
}

func run(ctx context.Context, args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("hyper-read", flag.ContinueOnError)
	db := fs.String("db", "orders.hyper", "extract to read")
	table := fs.String("table", "Extract.Extract", "table as schema.table")
	minRows := fs.Int64("min-rows", 1, "fail with fewer rows")
	notNull := fs.String("not-null", "", "comma-separated columns that must hold no NULL")
	ranges := fs.String("range", "", "comma-separated column=min:max numeric bounds")
	if err := fs.Parse(args); err != nil {
		return err
	}
	type bound struct{ lo, hi float64 }
	bounds := map[string]bound{}
	if *ranges != "" {
		for _, r := range strings.Split(*ranges, ",") {
			col, span, ok1 := strings.Cut(r, "=")
			los, his, ok2 := strings.Cut(span, ":")
			lo, err1 := strconv.ParseFloat(los, 64)
			hi, err2 := strconv.ParseFloat(his, 64)
			if !ok1 || !ok2 || err1 != nil || err2 != nil || lo > hi {
				return fmt.Errorf("-range %q: want column=min:max", r)
			}
			bounds[col] = bound{lo, hi}
		}
	}
	if _, err := os.Stat(*db); err != nil {
		return err
	}

	p, err := hyper.Start(ctx, nil)
	if err != nil {
		return err
	}
	defer p.Close()
	c, err := p.Connect(ctx, *db, hyper.CreateNone)
	if err != nil {
		return err
	}
	defer c.Close()
	name := parseTable(*table)
	def, err := c.TableDefinition(ctx, name)
	if err != nil {
		return err
	}
	profs := make([]profile, len(def.Columns))
	idx := map[string]int{}
	for i, col := range def.Columns {
		profs[i].col = col
		idx[col.Name] = i
	}
	for col := range bounds {
		if _, ok := idx[col]; !ok {
			return fmt.Errorf("-range: table %s has no column %q", name, col)
		}
	}
	var problems []string
	var rows int64
	for row, err := range c.StreamTable(ctx, name) {
		if err != nil {
			return err
		}
		rows++
		for i, v := range row {
			pr := &profs[i]
			if v == nil {
				pr.nulls++
				continue
			}
			if pr.min == nil || less(v, pr.min) {
				pr.min = v
			}
			if pr.max == nil || less(pr.max, v) {
				pr.max = v
			}
		}
	}

	tw := tabwriter.NewWriter(stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintf(stdout, "%s in %s: %d rows\n", name, *db, rows)
	fmt.Fprintln(tw, "column\ttype\tnulls\tmin\tmax")
	for _, pr := range profs {
		fmt.Fprintf(tw, "%s\t%s\t%d\t%s\t%s\n", pr.col.Name, pr.col.Type, pr.nulls, format(pr.min), format(pr.max))
	}
	tw.Flush()

	if rows < *minRows {
		problems = append(problems, fmt.Sprintf("%d rows, want at least %d", rows, *minRows))
	}
	if *notNull != "" {
		for _, col := range strings.Split(*notNull, ",") {
			i, ok := idx[col]
			if !ok {
				return fmt.Errorf("-not-null: table %s has no column %q", name, col)
			}
			if profs[i].nulls > 0 {
				problems = append(problems, fmt.Sprintf("column %s has %d NULLs", col, profs[i].nulls))
			}
		}
	}
	for col, b := range bounds {
		pr := profs[idx[col]]
		lo, ok1 := asFloat(pr.min)
		hi, ok2 := asFloat(pr.max)
		if pr.min != nil && (!ok1 || !ok2) {
			return fmt.Errorf("-range: column %s (%s) is not numeric", col, pr.col.Type)
		}
		if pr.min != nil && (lo < b.lo || hi > b.hi) {
			problems = append(problems, fmt.Sprintf("column %s spans %v..%v, outside %v..%v", col, lo, hi, b.lo, b.hi))
		}
	}
	if len(problems) > 0 {
		return errors.New("validation failed: " + strings.Join(problems, "; "))
	}
	fmt.Fprintln(stdout, "validation passed")
	return nil
}
