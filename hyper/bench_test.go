package hyper

import (
	"bufio"
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/tableau-go/sdk/internal/testenv"
)

// reportMem reports the memory the Go runtime obtained from the OS and,
// on Linux, the peak resident set of this process (hyperd, a separate
// process, is not included): the figures that must stay flat whatever b.N.
func reportMem(b *testing.B) {
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	b.ReportMetric(float64(ms.Sys)/(1<<20), "MB-sys")
	if status, err := os.ReadFile("/proc/self/status"); err == nil {
		for _, line := range strings.Split(string(status), "\n") {
			if kb, ok := strings.CutPrefix(line, "VmHWM:"); ok {
				var n float64
				fmt.Sscan(strings.TrimSuffix(strings.TrimSpace(kb), " kB"), &n)
				b.ReportMetric(n/1024, "MB-peak-rss")
			}
		}
	}
}

var wideDef = &TableDefinition{Name: Table("wide"), Columns: []Column{
	{Name: "id", Type: BigInt(), NotNull: true}, {Name: "name", Type: Text()},
	{Name: "day", Type: Date()}, {Name: "at", Type: Timestamp()}, {Name: "amount", Type: Double()},
}}

var wideNames = func() []string {
	names := make([]string, 64)
	for i := range names {
		names[i] = fmt.Sprintf("customer-%03d", i)
	}
	return names
}()

var wideBase = time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)

// addWide adds row i of the wide table: every tenth name is NULL.
func addWide(ins *Inserter, i int) {
	ins.AddInt64(int64(i))
	if i%10 == 0 {
		ins.AddNull()
	} else {
		ins.AddString(wideNames[i%64])
	}
	ts := wideBase.Add(time.Duration(i) * time.Second)
	ins.AddTime(ts)
	ins.AddTime(ts)
	ins.AddFloat64(float64(i))
}

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
	cpu := startCPU(c)
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
	b.StopTimer()
	cpu.report(b, b.N)
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "rows/s")
	reportMem(b)
}

// BenchmarkInsertWide inserts rows with nullable TEXT, DATE and TIMESTAMP.
func BenchmarkInsertWide(b *testing.B) {
	ctx := context.Background()
	c, _ := openDB(b, nil)
	if err := c.CreateTable(ctx, wideDef, false); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	cpu := startCPU(c)
	b.ResetTimer()
	ins, err := c.NewInserter(ctx, wideDef.Name, nil)
	if err != nil {
		b.Fatal(err)
	}
	for i := range b.N {
		addWide(ins, i)
		if err := ins.EndRow(); err != nil {
			b.Fatal(err)
		}
	}
	if _, err := ins.Close(); err != nil {
		b.Fatal(err)
	}
	b.StopTimer()
	cpu.report(b, b.N)
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "rows/s")
	reportMem(b)
}

// copyFileLimit writes b.N rows as a HyperBinary file (untimed), then
// times hyperd's own COPY FROM that file: no client in the loop, the
// ceiling for any client.
func copyFileLimit(b *testing.B, def *TableDefinition, add func(ins *Inserter, i int)) {
	ctx := context.Background()
	c, _ := openDB(b, nil)
	if err := c.CreateTable(ctx, def, false); err != nil {
		b.Fatal(err)
	}
	path := filepath.Join(b.TempDir(), "rows.hbin")
	f, err := os.Create(path)
	if err != nil {
		b.Fatal(err)
	}
	w := bufio.NewWriterSize(f, 1<<20)
	// Encode with an inserter's encoder, writing its buffer to the file.
	enc := &Inserter{flushAt: 1 << 20}
	def2, err := c.TableDefinition(ctx, def.Name)
	if err != nil {
		b.Fatal(err)
	}
	for _, col := range def2.Columns {
		enc.cols = append(enc.cols, insCol{name: col.Name, typ: col.Type, kind: col.Type.Kind, notNull: col.NotNull})
	}
	enc.buf = append(make([]byte, 0, 1<<21), copyHeader[:]...)
	for i := range b.N {
		add(enc, i)
		if enc.rowErr != nil || enc.col != len(enc.cols) {
			b.Fatal("encoding failed")
		}
		enc.col = 0
		if len(enc.buf) >= 1<<20 {
			w.Write(enc.buf)
			enc.buf = enc.buf[:0]
		}
	}
	w.Write(enc.buf)
	if err := w.Flush(); err != nil {
		b.Fatal(err)
	}
	f.Close()
	cpu := startCPU(c)
	b.ResetTimer()
	n, err := c.Exec(ctx, "COPY "+def.Name.String()+" FROM "+QuoteLiteral(path)+" WITH (FORMAT HYPERBINARY)")
	if err != nil || n != int64(b.N) {
		b.Fatalf("COPY FROM file: %d rows, %v", n, err)
	}
	b.StopTimer()
	cpu.report(b, b.N)
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "rows/s")
}

// BenchmarkCopyFileLimitMeasurements is the limit for the measurements insert.
func BenchmarkCopyFileLimitMeasurements(b *testing.B) {
	copyFileLimit(b, measurementsDef, addMeasurements)
}

// addMeasurements adds measurements row i.
func addMeasurements(ins *Inserter, i int) {
	ins.AddInt32(int32(i))
	ins.AddInt32(int32(i % 1000))
	ins.AddFloat64(float64(i) * 0.5)
	ins.AddInt64(1_700_000_000 + int64(i))
}

// BenchmarkCopyFileLimitWide is the limit for the wide insert.
func BenchmarkCopyFileLimitWide(b *testing.B) { copyFileLimit(b, wideDef, addWide) }

// BenchmarkQueryMeasurements reads b.N rows back and scans them.
func BenchmarkQueryMeasurements(b *testing.B) {
	ctx := context.Background()
	c, _ := openDB(b, nil)
	if err := c.CreateTable(ctx, measurementsDef, false); err != nil {
		b.Fatal(err)
	}
	if _, err := c.Exec(ctx, `INSERT INTO measurements SELECT i, i % 1000, i * 0.5, 1700000000 + i FROM generate_series(1, $1) s(i)`, b.N); err != nil {
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
	reportMem(b)
}

// fillWide fills the wide table with n rows by SQL.
func fillWide(b *testing.B, c *Conn, n int) {
	ctx := context.Background()
	if err := c.CreateTable(ctx, wideDef, false); err != nil {
		b.Fatal(err)
	}
	_, err := c.Exec(ctx, `INSERT INTO wide SELECT i, CASE WHEN i % 10 = 0 THEN NULL ELSE 'customer-' || lpad((i % 64)::text, 3, '0') END,
		(TIMESTAMP '2024-01-01' + i * INTERVAL '1 second')::date, TIMESTAMP '2024-01-01' + i * INTERVAL '1 second', i::double precision
		FROM generate_series(0, $1 - 1) s(i)`, n)
	if err != nil {
		b.Fatal(err)
	}
}

// BenchmarkQueryWide reads b.N wide rows and scans them into Go values
// (*string and *time.Time for the nullable columns: three allocations a row).
func BenchmarkQueryWide(b *testing.B) {
	var id int64
	var name *string
	var day, at *time.Time
	var amount float64
	benchmarkQueryWide(b, &id, &name, &day, &at, &amount)
}

// BenchmarkQueryWideSQLNull reads b.N wide rows into sql.NullString and
// sql.NullTime (one allocation a row: the string).
func BenchmarkQueryWideSQLNull(b *testing.B) {
	var id int64
	var name sql.NullString
	var day, at sql.NullTime
	var amount float64
	benchmarkQueryWide(b, &id, &name, &day, &at, &amount)
}

// benchmarkQueryWide reads b.N wide rows, scanning each into dest.
func benchmarkQueryWide(b *testing.B, dest ...any) {
	ctx := context.Background()
	c, _ := openDB(b, nil)
	fillWide(b, c, b.N)
	b.ReportAllocs()
	b.ResetTimer()
	rows, err := c.Query(ctx, `SELECT * FROM wide`)
	if err != nil {
		b.Fatal(err)
	}
	n := 0
	for rows.Next() {
		if err := rows.Scan(dest...); err != nil {
			b.Fatal(err)
		}
		n++
	}
	if err := rows.Err(); err != nil || n != b.N {
		b.Fatalf("%d rows, %v", n, err)
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "rows/s")
	reportMem(b)
}

// BenchmarkQueryArrowMeasurements reads b.N rows as Arrow record batches.
func BenchmarkQueryArrowMeasurements(b *testing.B) {
	ctx := context.Background()
	c, _ := openDB(b, nil)
	if err := c.CreateTable(ctx, measurementsDef, false); err != nil {
		b.Fatal(err)
	}
	if _, err := c.Exec(ctx, `INSERT INTO measurements SELECT i, i % 1000, i * 0.5, 1700000000 + i FROM generate_series(1, $1) s(i)`, b.N); err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	var n int64
	err := c.QueryArrow(ctx, `SELECT * FROM measurements`, func(rec arrow.RecordBatch) error {
		n += rec.NumRows()
		return nil
	})
	if err != nil || n != int64(b.N) {
		b.Fatalf("%d rows, %v", n, err)
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "rows/s")
	reportMem(b)
}

// BenchmarkQueryArrowWide reads b.N wide rows as Arrow record batches
// (columnar, like pantab's frame_from_hyper).
func BenchmarkQueryArrowWide(b *testing.B) {
	ctx := context.Background()
	c, _ := openDB(b, nil)
	fillWide(b, c, b.N)
	b.ResetTimer()
	var n int64
	err := c.QueryArrow(ctx, `SELECT * FROM wide`, func(rec arrow.RecordBatch) error {
		n += rec.NumRows()
		return nil
	})
	if err != nil || n != int64(b.N) {
		b.Fatalf("%d rows, %v", n, err)
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "rows/s")
	reportMem(b)
}

// BenchmarkEndToEndMeasurements times what pantab's frame_to_hyper does in
// one call: start hyperd, create the file and the table, insert b.N
// measurements rows, close the connection and hyperd (the file is then
// complete on disk). The insert benchmarks time the insert alone.
func BenchmarkEndToEndMeasurements(b *testing.B) { endToEnd(b, measurementsDef, addMeasurements) }

// BenchmarkEndToEndWide is BenchmarkEndToEndMeasurements for the wide table.
func BenchmarkEndToEndWide(b *testing.B) { endToEnd(b, wideDef, addWide) }

func endToEnd(b *testing.B, def *TableDefinition, add func(ins *Inserter, i int)) {
	ctx := context.Background()
	path := filepath.Join(b.TempDir(), "e2e.hyper")
	hyperd := testenv.Hyperd(b)
	b.ReportAllocs()
	b.ResetTimer()
	p, err := Start(ctx, &ProcessOptions{Path: hyperd})
	if err != nil {
		b.Fatal(err)
	}
	c, err := p.Connect(ctx, path, CreateAndReplace)
	if err != nil {
		b.Fatal(err)
	}
	if err := c.CreateTable(ctx, def, false); err != nil {
		b.Fatal(err)
	}
	ins, err := c.NewInserter(ctx, def.Name, nil)
	if err != nil {
		b.Fatal(err)
	}
	for i := range b.N {
		add(ins, i)
		if err := ins.EndRow(); err != nil {
			b.Fatal(err)
		}
	}
	if _, err := ins.Close(); err != nil {
		b.Fatal(err)
	}
	if err := c.Close(); err != nil {
		b.Fatal(err)
	}
	if err := p.Close(); err != nil {
		b.Fatal(err)
	}
	b.StopTimer()
	if st, err := os.Stat(path); err != nil || st.Size() == 0 {
		b.Fatalf("no file after the run: %v", err)
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "rows/s")
	reportMem(b)
}
