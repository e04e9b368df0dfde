package hyper

import (
	"context"
	"errors"
	"testing"
	"time"
)

func ordersTable(t *testing.T) (*Conn, TableName) {
	t.Helper()
	c, _ := openDB(t, nil)
	def := ExtractDefinition(
		Column{Name: "id", Type: BigInt(), NotNull: true},
		Column{Name: "status", Type: Text()},
		Column{Name: "day", Type: Date()},
	)
	if err := c.CreateTable(context.Background(), def, false); err != nil {
		t.Fatal(err)
	}
	return c, def.Name
}

func day(s string) time.Time {
	d, err := time.Parse("2006-01-02", s)
	if err != nil {
		panic(err)
	}
	return d
}

func TestInsertNewAndHighWaterMark(t *testing.T) {
	ctx := context.Background()
	c, tbl := ordersTable(t)
	if n, err := c.InsertNew(ctx, tbl, []string{"id"}, RowsOf([][]any{{1, "new", day("2024-01-01")}, {2, "new", day("2024-01-02")}})); err != nil || n != 2 {
		t.Fatalf("first InsertNew = %d, %v", n, err)
	}
	if n, err := c.InsertNew(ctx, tbl, []string{"id"}, RowsOf([][]any{{2, "changed", day("2024-01-02")}, {3, "new", day("2024-01-03")}})); err != nil || n != 1 {
		t.Fatalf("second InsertNew = %d, %v", n, err)
	}
	var status string
	if err := c.QueryRow(ctx, `SELECT status FROM "Extract"."Extract" WHERE id = 2`).Scan(&status); err != nil || status != "new" {
		t.Fatalf("existing row changed: %q %v", status, err)
	}
	mark, err := c.HighWaterMark(ctx, tbl, "id")
	if err != nil || mark != int64(3) {
		t.Fatalf("HighWaterMark = %v, %v", mark, err)
	}
	n, err := c.InsertAboveHighWaterMark(ctx, tbl, "id", RowsOf([][]any{{2, "old", nil}, {4, "x", nil}, {5, "y", nil}}))
	if err != nil || n != 2 {
		t.Fatalf("InsertAboveHighWaterMark = %d, %v", n, err)
	}
	if _, err := c.InsertNew(ctx, tbl, []string{"nope"}, RowsOf(nil)); !errors.Is(err, ErrInvalidOptions) {
		t.Fatalf("bad key: %v", err)
	}
}

func TestUpsert(t *testing.T) {
	ctx := context.Background()
	c, tbl := ordersTable(t)
	if _, err := c.Upsert(ctx, tbl, []string{"id"}, RowsOf([][]any{{1, "a", nil}, {2, "b", nil}})); err != nil {
		t.Fatal(err)
	}
	res, err := c.Upsert(ctx, tbl, []string{"id"}, RowsOf([][]any{{2, "B", nil}, {3, "c", nil}}))
	if err != nil || res.Deleted != 1 || res.Inserted != 2 {
		t.Fatalf("Upsert = %+v, %v", res, err)
	}
	type order struct {
		ID     int64
		Status string
	}
	got, err := Collect[order](ctx, c, `SELECT id, status FROM "Extract"."Extract" ORDER BY id`)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 3 || got[1].Status != "B" || got[2].Status != "c" {
		t.Fatalf("rows %+v", got)
	}
	// A bad row fails the upsert and leaves the table as it was.
	if _, err := c.Upsert(ctx, tbl, []string{"id"}, RowsOf([][]any{{1, "z", nil}, {nil, "bad", nil}})); !errors.Is(err, ErrNullNotAllowed) {
		t.Fatalf("bad upsert: %v", err)
	}
	rows, err := c.ReadTable(ctx, tbl)
	if err != nil || len(rows) != 3 {
		t.Fatalf("ReadTable: %d rows, %v", len(rows), err)
	}
	for _, r := range rows {
		if r[0] == int64(1) && r[1] != "a" {
			t.Fatalf("failed upsert changed row 1: %v", r)
		}
	}
}

func TestRollingWindow(t *testing.T) {
	ctx := context.Background()
	c, tbl := ordersTable(t)
	var seed [][]any
	for i := range 10 {
		seed = append(seed, []any{i, "x", day("2024-03-01").AddDate(0, 0, i)})
	}
	if _, err := c.InsertRows(ctx, tbl, RowsOf(seed), nil); err != nil {
		t.Fatal(err)
	}
	// Keep 7 days up to 2024-03-11: 03-05 .. 03-11.
	res, err := c.RollingWindow(ctx, tbl, "day", 7, day("2024-03-11"), RowsOf([][]any{{100, "today", day("2024-03-11")}}))
	if err != nil || res.Deleted != 4 || res.Inserted != 1 {
		t.Fatalf("RollingWindow = %+v, %v", res, err)
	}
	var minDay time.Time
	if err := c.QueryRow(ctx, `SELECT MIN(day) FROM "Extract"."Extract"`).Scan(&minDay); err != nil || !minDay.Equal(day("2024-03-05")) {
		t.Fatalf("min day %v %v", minDay, err)
	}
	// A failing append rolls the delete back too.
	_, err = c.RollingWindow(ctx, tbl, "day", 1, day("2024-03-11"), RowsOf([][]any{{nil, "bad", nil}}))
	if err == nil {
		t.Fatal("bad row accepted")
	}
	if n, _ := c.QueryScalar(ctx, `SELECT COUNT(*) FROM "Extract"."Extract"`); n != int64(7) {
		t.Fatalf("rows after failed window: %v", n)
	}
}

func TestStreamStopsEarlyWithContext(t *testing.T) {
	c, _ := openDB(t, nil)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	type row struct{ I int64 }
	start := time.Now()
	n := 0
	var serr error
	for r, err := range Stream[row](ctx, c, `SELECT i FROM generate_series(1, 20000000000) s(i)`) {
		if err != nil {
			serr = err
			break
		}
		if n++; r.I < 1 {
			t.Errorf("row %d is %d", n, r.I)
		}
		if n == 10 {
			cancel() // stop the query on the server, then leave the loop
		}
	}
	if !errors.Is(serr, context.Canceled) {
		t.Fatalf("stream after cancel: %v", serr)
	}
	if d := time.Since(start); d > 10*time.Second {
		t.Fatalf("stopping took %s", d)
	}
	if v, err := c.QueryScalar(context.Background(), "SELECT 7"); err != nil || v != int32(7) {
		t.Fatalf("connection after cancel: %v %v", v, err)
	}
}

func TestStreamStopsEarly(t *testing.T) {
	ctx := context.Background()
	c, _ := openDB(t, nil)
	type row struct{ I int64 }
	start := time.Now()
	n := 0
	for _, err := range Stream[row](ctx, c, `SELECT i FROM generate_series(1, 20000000000) s(i)`) {
		if err != nil {
			t.Fatal(err)
		}
		if n++; n == 10 {
			break
		}
	}
	if d := time.Since(start); d > 10*time.Second {
		t.Fatalf("stopping early took %s", d)
	}
	t.Logf("stream stop took %s", time.Since(start))
	for i := range 5 {
		if v, err := c.QueryScalar(ctx, "SELECT $1::int", i); err != nil || v != int32(i) {
			t.Fatalf("statement %d after early stop: %v %v", i, v, err)
		}
	}
	// Stop on rows read by hand.
	rows, err := c.Query(ctx, `SELECT i FROM generate_series(1, 20000000000) s(i)`)
	if err != nil {
		t.Fatal(err)
	}
	rows.Next()
	if err := rows.Stop(); err != nil {
		t.Fatal(err)
	}
	for i := range 20 {
		if v, err := c.QueryScalar(ctx, "SELECT $1::int", i); err != nil || v != int32(i) {
			t.Fatalf("statement %d after Stop: %v %v", i, v, err)
		}
	}
}
