package hyper

import (
	"context"
	"errors"
	"math"
	"math/big"
	"reflect"
	"slices"
	"testing"
	"time"
)

// allTypes is a table with one column of every Hyper type.
func allTypesDef(name TableName) *TableDefinition {
	return &TableDefinition{Name: name, Columns: []Column{
		{Name: "id", Type: Int(), NotNull: true},
		{Name: "b", Type: Bool()},
		{Name: "i16", Type: SmallInt()},
		{Name: "i32", Type: Int()},
		{Name: "i64", Type: BigInt()},
		{Name: "f32", Type: Real()},
		{Name: "f64", Type: Double()},
		{Name: "n18", Type: NumericType(18, 4)},
		{Name: "n38", Type: NumericType(38, 10)},
		{Name: "txt", Type: Text()},
		{Name: "vc", Type: Varchar(10)},
		{Name: "ch", Type: Char(3)},
		{Name: "by", Type: Bytes()},
		{Name: "d", Type: Date()},
		{Name: "t", Type: Time()},
		{Name: "ts", Type: Timestamp()},
		{Name: "tstz", Type: TimestampTZ()},
		{Name: "iv", Type: IntervalType()},
		{Name: "js", Type: JSON()},
		{Name: "o", Type: OID()},
	}}
}

func allTypesRow(t *testing.T) []any {
	big38, _ := new(big.Int).SetString("-1234567890123456789012345678", 10)
	n38, err := NumericFromBig(big38, 10)
	if err != nil {
		t.Fatal(err)
	}
	return []any{
		int32(1), true, int16(-7), int32(123456), int64(-9_000_000_000_000), float32(1.5), math.Pi,
		NumericFromInt64(-123456789, 4), n38, "héllo\x00wörld", "vc", "abc", []byte{0, 1, 2, 255},
		time.Date(1999, 12, 31, 0, 0, 0, 0, time.UTC), NewTimeOfDay(23, 59, 58, 999999),
		time.Date(2024, 2, 29, 13, 14, 15, 123456000, time.UTC), time.Date(1969, 7, 20, 20, 17, 40, 0, time.UTC),
		Interval{Months: 14, Days: -3, Micros: 5_000_001}, `{"a": [1, 2]}`, uint32(4000000000),
	}
}

func TestInserterAllTypesRoundTrip(t *testing.T) {
	ctx := context.Background()
	c, _ := openDB(t, &ProcessOptions{DatabaseVersion: 4})
	def := allTypesDef(ExtractTable())
	if err := c.CreateTable(ctx, def, false); err != nil {
		t.Fatal(err)
	}
	got, err := c.TableDefinition(ctx, ExtractTable())
	if err != nil {
		t.Fatal(err)
	}
	for i, col := range got.Columns {
		if col != def.Columns[i] {
			t.Errorf("catalog column %d = %+v, want %+v", i, col, def.Columns[i])
		}
	}
	ins, err := c.NewInserter(ctx, ExtractTable(), nil)
	if err != nil {
		t.Fatal(err)
	}
	row := allTypesRow(t)
	if err := ins.AddRow(row...); err != nil {
		t.Fatal(err)
	}
	nulls := make([]any, len(row))
	nulls[0] = int32(2)
	if err := ins.AddRow(nulls...); err != nil {
		t.Fatal(err)
	}
	n, err := ins.Close()
	if err != nil || n != 2 {
		t.Fatalf("Close = %d, %v", n, err)
	}
	rows, err := c.Query(ctx, "SELECT * FROM "+ExtractTable().String()+" ORDER BY id")
	if err != nil {
		t.Fatal(err)
	}
	var all [][]any
	for v, err := range rows.All() {
		if err != nil {
			t.Fatal(err)
		}
		all = append(all, v)
	}
	if len(all) != 2 {
		t.Fatalf("%d rows", len(all))
	}
	for i, want := range row {
		if b, ok := want.([]byte); ok && reflect.DeepEqual(all[0][i], b) {
			continue
		}
		w := want
		if s, ok := w.(string); ok && def.Columns[i].Type.Kind == KindChar {
			w = s // CHAR(3) of a 3-character value has no padding
		}
		if !reflect.DeepEqual(all[0][i], w) {
			t.Errorf("column %s: got %#v, want %#v", def.Columns[i].Name, all[0][i], w)
		}
		if i > 0 && all[1][i] != nil {
			t.Errorf("column %s: NULL came back as %#v", def.Columns[i].Name, all[1][i])
		}
	}
	// The same row checked by hyperd itself, in SQL text.
	var s string
	if err := c.QueryRow(ctx, `SELECT n38::text || '|' || ts::text || '|' || d::text || '|' || iv::text FROM `+ExtractTable().String()+` WHERE id = 1`).Scan(&s); err != nil {
		t.Fatal(err)
	}
	if want := "-123456789012345678.9012345678|2024-02-29 13:14:15.123456|1999-12-31|P1Y2M-3DT5.000001S"; s != want {
		t.Errorf("hyperd text: %q, want %q", s, want)
	}
}

func TestInserterTypedAppendsAndStructs(t *testing.T) {
	ctx := context.Background()
	c, _ := openDB(t, nil)
	def := &TableDefinition{Name: Table("m"), Columns: []Column{
		{Name: "id", Type: Int(), NotNull: true}, {Name: "sensor_id", Type: Int()},
		{Name: "value", Type: Double()}, {Name: "timestamp", Type: BigInt()}, {Name: "label", Type: Text()},
	}}
	if err := c.CreateTable(ctx, def, false); err != nil {
		t.Fatal(err)
	}
	var reports []int64
	ins, err := c.NewInserter(ctx, def.Name, &InserterOptions{BufferSize: 64, Progress: func(n int64) { reports = append(reports, n) }})
	if err != nil {
		t.Fatal(err)
	}
	for i := range 1000 {
		ins.AddInt32(int32(i))
		ins.AddInt32(int32(i % 7))
		ins.AddFloat64(float64(i) / 2)
		ins.AddInt64(int64(i) * 1000)
		if i%2 == 0 {
			ins.AddNull()
		} else {
			ins.AddString("odd")
		}
		if err := ins.EndRow(); err != nil {
			t.Fatal(err)
		}
	}
	type rec struct {
		ID     int32    `hyper:"id"`
		Sensor *int32   `hyper:"sensor_id"`
		Value  float64  `hyper:"value"`
		TS     int64    `hyper:"timestamp"`
		Label  *string  `hyper:"label"`
		Skip   []string `hyper:"-"`
	}
	if len(reports) < 100 || !slices.IsSorted(reports) || reports[len(reports)-1] > 1000 {
		t.Fatalf("progress reports: %d, last %v", len(reports), reports[len(reports)-1:])
	}
	seven := int32(7)
	if err := ins.AddStruct(rec{ID: 1000, Sensor: &seven, Value: 1.25, TS: 5}); err != nil {
		t.Fatal(err)
	}
	if n, err := ins.Close(); err != nil || n != 1001 {
		t.Fatalf("Close = %d, %v", n, err)
	}
	rows, err := c.Query(ctx, `SELECT * FROM "m" WHERE id >= 998 ORDER BY id`)
	if err != nil {
		t.Fatal(err)
	}
	var got []rec
	for rows.Next() {
		var r rec
		if err := rows.ScanStruct(&r); err != nil {
			t.Fatal(err)
		}
		got = append(got, r)
	}
	if err := rows.Err(); err != nil || len(got) != 3 {
		t.Fatalf("%v %v", got, err)
	}
	if got[0].Label != nil || *got[1].Label != "odd" || *got[2].Sensor != 7 || got[2].Value != 1.25 || got[2].Label != nil {
		t.Fatalf("unexpected rows %+v", got)
	}
	var sum float64
	if err := c.QueryRow(ctx, `SELECT SUM(value) FROM "m"`).Scan(&sum); err != nil || sum != 999*1000/4+1.25 {
		t.Fatalf("sum %v %v", sum, err)
	}
}

func TestInserterValueErrors(t *testing.T) {
	ctx := context.Background()
	c, _ := openDB(t, nil)
	def := &TableDefinition{Name: Table("t"), Columns: []Column{
		{Name: "a", Type: Int(), NotNull: true}, {Name: "b", Type: Varchar(3)}, {Name: "n", Type: NumericType(5, 2)},
	}}
	if err := c.CreateTable(ctx, def, false); err != nil {
		t.Fatal(err)
	}
	ins, err := c.NewInserter(ctx, def.Name, nil)
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		row  []any
		want error
		col  string
	}{
		{[]any{nil, "x", nil}, ErrNullNotAllowed, "a"},
		{[]any{"one", "x", nil}, ErrWrongType, "a"},
		{[]any{1, "toolong", nil}, ErrWrongType, "b"},
		{[]any{1, "x"}, ErrRowLength, "n"},
		{[]any{1, "x", nil, 4}, ErrRowLength, ""},
		{[]any{int64(math.MaxInt64), "x", nil}, ErrWrongType, "a"},
		{[]any{1, "x", "1000.00"}, ErrWrongType, "n"},
		{[]any{1, "x", "1.001"}, ErrWrongType, "n"},
		{[]any{1, "\xff", nil}, ErrWrongType, "b"},
		{[]any{1, struct{}{}, nil}, ErrWrongType, "b"},
	}
	for _, tc := range cases {
		err := ins.AddRow(tc.row...)
		var ve *ValueError
		if !errors.Is(err, tc.want) || !errors.As(err, &ve) || ve.Column != tc.col {
			t.Errorf("AddRow(%v) = %v, want %v on column %q", tc.row, err, tc.want, tc.col)
		}
	}
	// The inserter stays usable after bad rows; only good rows land.
	if err := ins.AddRow(1, "ok", "123.45"); err != nil {
		t.Fatal(err)
	}
	if n, err := ins.Close(); err != nil || n != 1 {
		t.Fatalf("Close = %d, %v", n, err)
	}
	var s string
	if err := c.QueryRow(ctx, `SELECT a::text || b || n::text FROM t`).Scan(&s); err != nil || s != "1ok123.45" {
		t.Fatalf("%q %v", s, err)
	}
}

func TestInserterAbortLeavesNothing(t *testing.T) {
	ctx := context.Background()
	c, _ := openDB(t, nil)
	if _, err := c.Exec(ctx, "CREATE TABLE t (a INT NOT NULL)"); err != nil {
		t.Fatal(err)
	}
	ins, err := c.NewInserter(ctx, Table("t"), &InserterOptions{BufferSize: 128})
	if err != nil {
		t.Fatal(err)
	}
	for i := range 10000 {
		if err := ins.AddRow(i); err != nil {
			t.Fatal(err)
		}
	}
	ins.Abort()
	if n, err := c.QueryScalar(ctx, "SELECT COUNT(*) FROM t"); err != nil || n != int64(0) {
		t.Fatalf("after Abort: %v rows, %v", n, err)
	}
	// A partial row at Close fails the whole insert.
	ins, err = c.NewInserter(ctx, Table("t"), nil)
	if err != nil {
		t.Fatal(err)
	}
	ins.AddRow(1)
	ins.AddInt32(2)
	if _, err := ins.Close(); !errors.Is(err, ErrRowLength) {
		t.Fatalf("Close with a partial row: %v", err)
	}
	if n, err := c.QueryScalar(ctx, "SELECT COUNT(*) FROM t"); err != nil || n != int64(0) {
		t.Fatalf("after failed Close: %v rows, %v", n, err)
	}
}

func TestInserterComputedColumns(t *testing.T) {
	ctx := context.Background()
	c, _ := openDB(t, nil)
	if _, err := c.Exec(ctx, `CREATE TABLE places (name TEXT, loc GEOGRAPHY, name_len INT)`); err != nil {
		t.Fatal(err)
	}
	ins, err := c.NewInserter(ctx, Table("places"), &InserterOptions{
		Staging: []Column{{Name: "name", Type: Text()}, {Name: "wkt", Type: Text()}},
		Mappings: []ColumnMapping{
			{Column: "name"},
			{Column: "loc", Expr: `CAST("wkt" AS GEOGRAPHY)`},
			{Column: "name_len", Expr: `LENGTH("name")`},
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	ins.AddRow("Seattle", "POINT(-122.33 47.61)")
	ins.AddRow("Paris", "POINT(2.35 48.86)")
	if n, err := ins.Close(); err != nil || n != 2 {
		t.Fatalf("Close = %d, %v", n, err)
	}
	rows, err := c.Query(ctx, `SELECT name, CAST(loc AS TEXT), name_len FROM places ORDER BY name`)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for rows.Next() {
		var name, loc string
		var n int32
		if err := rows.Scan(&name, &loc, &n); err != nil {
			t.Fatal(err)
		}
		got = append(got, name+" "+loc+" "+string(rune('0'+n)))
	}
	want := []string{"Paris POINT(2.3500000 48.8600000) 5", "Seattle POINT(-122.3300000 47.6100000) 7"}
	if !slices.Equal(got, want) {
		t.Fatalf("got %q, want %q", got, want)
	}
	// A failed computed insert leaves neither rows nor the staging table.
	ins, err = c.NewInserter(ctx, Table("places"), &InserterOptions{
		Staging:  []Column{{Name: "wkt", Type: Text()}},
		Mappings: []ColumnMapping{{Column: "loc", Expr: `CAST("wkt" AS GEOGRAPHY)`}},
	})
	if err != nil {
		t.Fatal(err)
	}
	ins.AddRow("NOT WKT")
	if _, err := ins.Close(); err == nil {
		t.Fatal("bad WKT accepted")
	}
	if n, _ := c.QueryScalar(ctx, "SELECT COUNT(*) FROM places"); n != int64(2) {
		t.Fatalf("rows after failed insert: %v", n)
	}
	if c.InTransaction() {
		t.Fatal("transaction left open")
	}
}

func TestInserterContextCancelled(t *testing.T) {
	c, _ := openDB(t, nil)
	if _, err := c.Exec(context.Background(), "CREATE TABLE t (a INT NOT NULL)"); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	ins, err := c.NewInserter(ctx, Table("t"), &InserterOptions{BufferSize: 1024})
	if err != nil {
		t.Fatal(err)
	}
	for i := range 10_000 {
		if err := ins.AddRow(i); err != nil {
			t.Fatal(err)
		}
	}
	cancel()
	var ierr error
	for i := 0; i < 1_000_000 && ierr == nil; i++ {
		ierr = ins.AddRow(i)
	}
	if ierr == nil {
		_, ierr = ins.Close()
	} else {
		ins.Abort()
	}
	if !errors.Is(ierr, context.Canceled) {
		t.Fatalf("insert after cancel: %v, want context.Canceled", ierr)
	}
	if n, err := c.QueryScalar(context.Background(), "SELECT COUNT(*) FROM t"); err != nil || n != int64(0) {
		t.Fatalf("after cancelled insert: %v rows, %v", n, err)
	}
}

func TestCatalogSchemasAndCollation(t *testing.T) {
	ctx := context.Background()
	c, _ := openDB(t, nil)
	def := &TableDefinition{Name: TableName{Schema: "Extract", Table: "Extract"}, Columns: []Column{
		{Name: "name", Type: Text(), Collation: "en_US_CI"}, {Name: "code", Type: Char(2), NotNull: true}}}
	if err := c.CreateTable(ctx, def, false); err != nil {
		t.Fatal(err)
	}
	schemas, err := c.Schemas(ctx, "")
	if err != nil || !slices.Contains(schemas, "Extract") || !slices.Contains(schemas, "public") {
		t.Fatalf("Schemas = %v, %v", schemas, err)
	}
	got, err := c.TableDefinition(ctx, def.Name)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got.Columns, def.Columns) {
		t.Fatalf("definition %+v, want %+v", got.Columns, def.Columns)
	}
	if _, err := c.InsertRows(ctx, def.Name, RowsOf([][]any{{"Zoë", "ab"}, {"zoë", "cd"}}), nil); err != nil {
		t.Fatal(err)
	}
	if n, err := c.QueryScalar(ctx, `SELECT COUNT(DISTINCT name) FROM "Extract"."Extract"`); err != nil || n != int64(1) {
		t.Fatalf("case-insensitive collation: %v distinct, %v", n, err)
	}
	if _, err := c.TableDefinition(ctx, Table("missing")); err == nil {
		t.Fatal("definition of a missing table")
	}
}

func TestInserterColumnSubset(t *testing.T) {
	ctx := context.Background()
	c, _ := openDB(t, nil)
	if _, err := c.Exec(ctx, `CREATE TABLE t (a INT, b TEXT, c DOUBLE PRECISION)`); err != nil {
		t.Fatal(err)
	}
	ins, err := c.NewInserter(ctx, Table("t"), &InserterOptions{Columns: []string{"b", "a"}})
	if err != nil {
		t.Fatal(err)
	}
	if got := ins.Columns(); !slices.Equal(got, []string{"b", "a"}) {
		t.Fatalf("Columns() = %v", got)
	}
	if err := ins.AddRow("x", 1); err != nil {
		t.Fatal(err)
	}
	if _, err := ins.Close(); err != nil {
		t.Fatal(err)
	}
	var a int32
	var b string
	var cv *float64
	if err := c.QueryRow(ctx, `SELECT a, b, c FROM t`).Scan(&a, &b, &cv); err != nil || a != 1 || b != "x" || cv != nil {
		t.Fatalf("%d %q %v %v", a, b, cv, err)
	}
	if _, err := c.NewInserter(ctx, Table("t"), &InserterOptions{Columns: []string{"nope"}}); !errors.Is(err, ErrInvalidOptions) {
		t.Fatalf("unknown column: %v", err)
	}
	if _, err := c.NewInserter(ctx, Table("missing"), nil); err == nil {
		t.Fatal("inserter on a missing table")
	}
}

// TestInserterServerErrorMidCopy: hyperd rejects a value while rows are
// still going out (JSON that does not parse, then megabytes of good rows): the insert fails with hyperd's error, nothing is left in
// the table, and the connection stays usable.
func TestInserterServerErrorMidCopy(t *testing.T) {
	ctx := context.Background()
	c, _ := openDB(t, nil)
	if _, err := c.Exec(ctx, "CREATE TABLE g (id INT NOT NULL, s JSON)"); err != nil {
		t.Fatal(err)
	}
	for _, bufSize := range []int{0, 64 << 10} {
		ins, err := c.NewInserter(ctx, Table("g"), &InserterOptions{BufferSize: bufSize})
		if err != nil {
			t.Fatal(err)
		}
		ins.AddInt32(0)
		ins.AddString("{not json")
		err = ins.EndRow()
		for i := 1; i < 3_000_000 && err == nil; i++ {
			ins.AddInt32(int32(i))
			ins.AddNull()
			err = ins.EndRow()
		}
		if err == nil {
			_, err = ins.Close()
		} else {
			ins.Abort()
		}
		var se *SQLError
		if !errors.As(err, &se) {
			t.Fatalf("BufferSize %d: insert of bad JSON: %v, want an *SQLError", bufSize, err)
		}
		t.Logf("BufferSize %d: %v", bufSize, err)
		if n, err := c.QueryScalar(ctx, "SELECT COUNT(*) FROM g"); err != nil || n != int64(0) {
			t.Fatalf("after the failed insert: %v rows, %v", n, err)
		}
	}
}

// TestInserterTextAndTimeAppends covers AddString and AddTime on TEXT,
// DATE and TIMESTAMP columns through every path: buffers with room and
// without (a tiny BufferSize), NOT NULL and nullable columns, times in
// another zone, invalid UTF-8, a value after a failed one in the same row,
// and a time for a TEXT column.
func TestInserterTextAndTimeAppends(t *testing.T) {
	ctx := context.Background()
	c, _ := openDB(t, nil)
	def := &TableDefinition{Name: Table("t"), Columns: []Column{
		{Name: "id", Type: Int(), NotNull: true},
		{Name: "s", Type: Text(), NotNull: true}, {Name: "u", Type: Text()},
		{Name: "d", Type: Date(), NotNull: true}, {Name: "ts", Type: Timestamp()},
	}}
	if err := c.CreateTable(ctx, def, false); err != nil {
		t.Fatal(err)
	}
	zone := time.FixedZone("UTC+10", 10*3600)
	// 23:30 UTC on 1 March is 09:30 on 2 March in UTC+10.
	at := func(i int) time.Time {
		base := time.Date(2024, 3, 1, 23, 30, 0, 0, time.UTC).Add(time.Duration(i) * time.Hour)
		if i%2 == 1 {
			return base.In(zone)
		}
		return base
	}
	for _, size := range []int{20, 0} { // 20 bytes: most appends find the buffer full
		if _, err := c.Exec(ctx, "DELETE FROM t"); err != nil {
			t.Fatal(err)
		}
		ins, err := c.NewInserter(ctx, def.Name, &InserterOptions{BufferSize: size})
		if err != nil {
			t.Fatal(err)
		}
		for i := range 500 {
			ins.AddInt32(int32(i))
			ins.AddString("name-" + string(rune('a'+i%26)))
			if i%3 == 0 {
				ins.AddNull()
			} else {
				ins.AddString("é")
			}
			ins.AddTime(at(i))
			ins.AddTime(at(i))
			if err := ins.EndRow(); err != nil {
				t.Fatalf("size %d, row %d: %v", size, i, err)
			}
		}
		bad := []struct {
			add  func()
			want error
			col  string
		}{
			{func() { ins.AddInt32(1); ins.AddString("\xff"); ins.AddNull(); ins.AddTime(at(0)); ins.AddTime(at(0)) }, ErrWrongType, "s"},
			{func() {
				ins.AddInt32(1)
				ins.AddString("x")
				ins.AddString("ok\xc3")
				ins.AddTime(at(0))
				ins.AddTime(at(0))
			}, ErrWrongType, "u"},
			{func() { ins.AddInt32(1); ins.AddTime(at(0)); ins.AddNull(); ins.AddTime(at(0)); ins.AddTime(at(0)) }, ErrWrongType, "s"},
			{func() { ins.AddInt32(1); ins.AddNull(); ins.AddString("x"); ins.AddTime(at(0)); ins.AddTime(at(0)) }, ErrNullNotAllowed, "s"},
			{func() {
				ins.AddInt32(1)
				ins.AddString("x")
				ins.AddNull()
				ins.AddString("2024-03-01")
				ins.AddTime(at(0))
			}, ErrWrongType, "d"},
			{func() { ins.AddInt32(1); ins.AddString("x"); ins.AddNull(); ins.AddTime(at(0)) }, ErrRowLength, "ts"},
		}
		for j, b := range bad {
			b.add()
			err := ins.EndRow()
			var ve *ValueError
			if !errors.Is(err, b.want) || !errors.As(err, &ve) || ve.Column != b.col {
				t.Errorf("size %d, bad row %d: %v, want %v on %q", size, j, err, b.want, b.col)
			}
		}
		if n, err := ins.Close(); err != nil || n != 500 {
			t.Fatalf("size %d: Close = %d, %v", size, n, err)
		}
		rows, err := c.Query(ctx, "SELECT id, s, u, d, ts FROM t ORDER BY id")
		if err != nil {
			t.Fatal(err)
		}
		i := 0
		for rows.Next() {
			var id int32
			var s string
			var u *string
			var d, ts time.Time
			if err := rows.Scan(&id, &s, &u, &d, &ts); err != nil {
				t.Fatal(err)
			}
			tm := at(i)
			y, m, day := tm.Date() // DATE: the calendar date in the time's own zone
			wall := time.Date(y, m, day, tm.Hour(), tm.Minute(), tm.Second(), 0, time.UTC)
			wantU := i%3 != 0
			if int(id) != i || s != "name-"+string(rune('a'+i%26)) || (u != nil) != wantU || (wantU && *u != "é") ||
				!d.Equal(time.Date(y, m, day, 0, 0, 0, 0, time.UTC)) || !ts.Equal(wall) {
				t.Fatalf("size %d, row %d: %d %q %v %v %v (want date %v, wall %v)", size, i, id, s, u, d, ts, tm.Format("2006-01-02"), wall)
			}
			i++
		}
		if err := rows.Err(); err != nil || i != 500 {
			t.Fatalf("size %d: %d rows, %v", size, i, err)
		}
	}
}
