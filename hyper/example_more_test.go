package hyper_test

import (
	"context"
	"database/sql"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"slices"
	"time"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/tableau-go/sdk/hyper"
)

// These examples need hyperd, so they have no Output lines: go test would
// fail on a machine without it. TestExamplesPrint runs each one and checks
// what it prints against the output written under it.

// openExample starts hyperd and creates a fresh database for an example.
// The returned function closes everything and removes the folder.
func openExample(ctx context.Context) (*hyper.Conn, func()) {
	dir, err := os.MkdirTemp("", "hyper-example")
	if err != nil {
		log.Fatal(err)
	}
	p, err := hyper.Start(ctx, nil)
	if err != nil {
		log.Fatal(err)
	}
	c, err := p.Connect(ctx, filepath.Join(dir, "example.hyper"), hyper.CreateAndReplace)
	if err != nil {
		log.Fatal(err)
	}
	return c, func() {
		c.Close()
		p.Close()
		os.RemoveAll(dir)
	}
}

// Stream rows in with typed appends: each row ends with EndRow, and Close
// commits them all at once.
func ExampleConn_NewInserter() {
	ctx := context.Background()
	c, done := openExample(ctx)
	defer done()

	def := hyper.ExtractDefinition(
		hyper.Column{Name: "id", Type: hyper.BigInt(), NotNull: true},
		hyper.Column{Name: "city", Type: hyper.Text()},
		hyper.Column{Name: "day", Type: hyper.Date()},
		hyper.Column{Name: "amount", Type: hyper.Double()},
	)
	if err := c.CreateTable(ctx, def, false); err != nil {
		log.Fatal(err)
	}
	ins, err := c.NewInserter(ctx, def.Name, nil)
	if err != nil {
		log.Fatal(err)
	}
	for i, city := range []string{"Lyon", "Oslo", "Kyiv"} {
		ins.AddInt64(int64(i + 1))
		ins.AddString(city)
		ins.AddTime(time.Date(2026, 12, i+1, 0, 0, 0, 0, time.UTC))
		if i == 2 {
			ins.AddNull() // amount unknown
		} else {
			ins.AddFloat64(float64(10 * (i + 1)))
		}
		if err := ins.EndRow(); err != nil {
			log.Fatal(err) // a value that did not fit its column
		}
	}
	n, err := ins.Close()
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("committed", n, "rows")

	// A value of the wrong type fails its row before anything is sent.
	ins, _ = c.NewInserter(ctx, def.Name, nil)
	err = ins.AddRow("four", "Rome", time.Now(), 1.5)
	fmt.Println(err != nil)
	ins.Abort()
	// committed 3 rows
	// true
}

// Read rows back into Go variables; sql.Null* types take nullable columns.
func ExampleConn_Query() {
	ctx := context.Background()
	c, done := openExample(ctx)
	defer done()

	if _, err := c.Exec(ctx, `CREATE TABLE sales AS SELECT * FROM (VALUES (1, 'pen', 2.5::DOUBLE PRECISION), (2, 'ink', NULL)) v(id, item, price)`); err != nil {
		log.Fatal(err)
	}
	rows, err := c.Query(ctx, "SELECT id, item, price FROM sales WHERE id >= $1 ORDER BY id", 1)
	if err != nil {
		log.Fatal(err)
	}
	for rows.Next() {
		var id int32
		var item string
		var price sql.NullFloat64
		if err := rows.Scan(&id, &item, &price); err != nil {
			log.Fatal(err)
		}
		fmt.Println(id, item, price.Valid, price.Float64)
	}
	if err := rows.Err(); err != nil {
		log.Fatal(err)
	}
	// 1 pen true 2.5
	// 2 ink false 0
}

// Insert structs and read them back as structs: the hyper tag names the
// column, a nil pointer is NULL.
func ExampleCollect() {
	ctx := context.Background()
	c, done := openExample(ctx)
	defer done()

	type order struct {
		ID       int64   `hyper:"id"`
		Customer string  `hyper:"customer"`
		Discount *string `hyper:"discount_code"`
	}
	def := &hyper.TableDefinition{Name: hyper.Table("orders"), Columns: []hyper.Column{
		{Name: "id", Type: hyper.BigInt(), NotNull: true},
		{Name: "customer", Type: hyper.Text()},
		{Name: "discount_code", Type: hyper.Text()},
	}}
	if err := c.CreateTable(ctx, def, false); err != nil {
		log.Fatal(err)
	}
	code := "WINTER"
	orders := []order{{1, "Ada", nil}, {2, "Linus", &code}}
	if _, err := hyper.InsertStructs(ctx, c, def.Name, slices.Values(orders), nil); err != nil {
		log.Fatal(err)
	}

	got, err := hyper.Collect[order](ctx, c, "SELECT * FROM orders ORDER BY id")
	if err != nil {
		log.Fatal(err)
	}
	for _, o := range got {
		fmt.Println(o.ID, o.Customer, o.Discount != nil)
	}
	// 1 Ada false
	// 2 Linus true
}

// Update changed records and add new ones by key, all in one transaction.
func ExampleConn_Upsert() {
	ctx := context.Background()
	c, done := openExample(ctx)
	defer done()

	if _, err := c.Exec(ctx, `CREATE TABLE stock AS SELECT * FROM (VALUES (1, 10), (2, 20)) v(sku, qty)`); err != nil {
		log.Fatal(err)
	}
	changes := hyper.RowsOf([][]any{{2, 25}, {3, 30}}) // sku 2 changed, sku 3 is new
	res, err := c.Upsert(ctx, hyper.Table("stock"), []string{"sku"}, changes)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("replaced %d, wrote %d\n", res.Deleted, res.Inserted)

	total, err := c.QueryScalar(ctx, "SELECT SUM(qty) FROM stock")
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("total", total)
	// replaced 1, wrote 2
	// total 65
}

// Keep the last seven days: delete what has fallen out of the window and
// append today's rows, in one transaction.
func ExampleConn_RollingWindow() {
	ctx := context.Background()
	c, done := openExample(ctx)
	defer done()

	if _, err := c.Exec(ctx, `CREATE TABLE visits (day DATE NOT NULL, hits INT)`); err != nil {
		log.Fatal(err)
	}
	if _, err := c.Exec(ctx, `INSERT INTO visits VALUES (DATE '2026-11-20', 5), (DATE '2026-11-28', 7), (DATE '2026-12-02', 9)`); err != nil {
		log.Fatal(err)
	}
	today := time.Date(2026, 12, 4, 0, 0, 0, 0, time.UTC)
	res, err := c.RollingWindow(ctx, hyper.Table("visits"), "day", 7, today,
		hyper.RowsOf([][]any{{today, 11}}))
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("deleted %d, appended %d\n", res.Deleted, res.Inserted)
	// deleted 1, appended 1
}

// Let hyperd load a CSV file itself: no row passes through this process.
func ExampleConn_CopyFromFile() {
	ctx := context.Background()
	c, done := openExample(ctx)
	defer done()

	csv := filepath.Join(os.TempDir(), fmt.Sprintf("hyper-example-%d.csv", os.Getpid()))
	if err := os.WriteFile(csv, []byte("id;name\n1;pen\n2;\n"), 0o644); err != nil {
		log.Fatal(err)
	}
	defer os.Remove(csv)

	if _, err := c.Exec(ctx, `CREATE TABLE items (id INT NOT NULL, name TEXT)`); err != nil {
		log.Fatal(err)
	}
	n, err := c.CopyFromFile(ctx, hyper.Table("items"), csv, &hyper.FileOptions{Delimiter: ";"})
	if err != nil {
		log.Fatal(err)
	}
	nulls, _ := c.QueryScalar(ctx, "SELECT COUNT(*) FROM items WHERE name IS NULL")
	fmt.Println(n, "rows loaded,", nulls, "without a name")
	// 2 rows loaded, 1 without a name
}

// Read a query's result as Arrow record batches, ready for Arrow tools.
func ExampleConn_QueryArrow() {
	ctx := context.Background()
	c, done := openExample(ctx)
	defer done()

	var rows int64
	err := c.QueryArrow(ctx, "SELECT i, i * 0.5 AS half FROM generate_series(1, 1000) s(i)",
		func(rec arrow.RecordBatch) error {
			rows += rec.NumRows()
			return nil
		})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(rows, "rows as Arrow")
	// 1000 rows as Arrow
}
