package hyper

import (
	"context"
	"fmt"
	"testing"
	"time"
)

var measurementsDef = &TableDefinition{Name: Table("measurements"), Columns: []Column{
	{Name: "id", Type: Int(), NotNull: true},
	{Name: "sensor_id", Type: Int()},
	{Name: "value", Type: Double()},
	{Name: "timestamp", Type: BigInt()},
}}

// BenchmarkInsertMeasurements inserts b.N rows of the 24-byte
// measurements schema with typed appends, in one COPY.
func BenchmarkInsertMeasurements(b *testing.B) {
	ctx := context.Background()
	c, _ := openDB(b, nil)
	if err := c.CreateTable(ctx, measurementsDef, false); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.ResetTimer()
	ins, err := c.NewInserter(ctx, measurementsDef.Name, nil)
	if err != nil {
		b.Fatal(err)
	}
	for i := range b.N {
		ins.AddInt32(int32(i))
		ins.AddInt32(int32(i % 1000))
		ins.AddFloat64(float64(i) * 0.5)
		ins.AddInt64(1_700_000_000 + int64(i))
		if err := ins.EndRow(); err != nil {
			b.Fatal(err)
		}
	}
	if _, err := ins.Close(); err != nil {
		b.Fatal(err)
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "rows/s")
}

// BenchmarkInsertWide inserts rows with nullable TEXT, DATE and TIMESTAMP.
func BenchmarkInsertWide(b *testing.B) {
	ctx := context.Background()
	c, _ := openDB(b, nil)
	def := &TableDefinition{Name: Table("wide"), Columns: []Column{
		{Name: "id", Type: BigInt(), NotNull: true}, {Name: "name", Type: Text()},
		{Name: "day", Type: Date()}, {Name: "at", Type: Timestamp()}, {Name: "amount", Type: Double()},
	}}
	if err := c.CreateTable(ctx, def, false); err != nil {
		b.Fatal(err)
	}
	names := make([]string, 64)
	for i := range names {
		names[i] = fmt.Sprintf("customer-%03d", i)
	}
	base := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	b.ReportAllocs()
	b.ResetTimer()
	ins, err := c.NewInserter(ctx, def.Name, nil)
	if err != nil {
		b.Fatal(err)
	}
	for i := range b.N {
		ins.AddInt64(int64(i))
		if i%10 == 0 {
			ins.AddNull()
		} else {
			ins.AddString(names[i%64])
		}
		ts := base.Add(time.Duration(i) * time.Second)
		ins.AddTime(ts)
		ins.AddTime(ts)
		ins.AddFloat64(float64(i))
		if err := ins.EndRow(); err != nil {
			b.Fatal(err)
		}
	}
	if _, err := ins.Close(); err != nil {
		b.Fatal(err)
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "rows/s")
}

// BenchmarkQueryMeasurements reads b.N rows back and scans them.
func BenchmarkQueryMeasurements(b *testing.B) {
	ctx := context.Background()
	c, _ := openDB(b, nil)
	if err := c.CreateTable(ctx, measurementsDef, false); err != nil {
		b.Fatal(err)
	}
	if _, err := c.Exec(ctx, `INSERT INTO measurements SELECT i, i % 1000, i * 0.5, i FROM generate_series(1, $1) s(i)`, b.N); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.ResetTimer()
	rows, err := c.Query(ctx, `SELECT * FROM measurements`)
	if err != nil {
		b.Fatal(err)
	}
	var id, sensor int32
	var value float64
	var ts int64
	n := 0
	for rows.Next() {
		if err := rows.Scan(&id, &sensor, &value, &ts); err != nil {
			b.Fatal(err)
		}
		n++
	}
	if err := rows.Err(); err != nil || n != b.N {
		b.Fatalf("%d rows, %v", n, err)
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "rows/s")
}
