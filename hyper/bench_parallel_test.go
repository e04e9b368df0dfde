package hyper

import (
	"context"
	"path/filepath"
	"sync"
	"testing"
)

// BenchmarkInsertWideTwoConnections inserts b.N wide rows through two
// connections to the same database at once, each streaming every other
// row in its own COPY: whether a second stream lets hyperd parse in
// parallel (compare with BenchmarkInsertWide, one stream).
func BenchmarkInsertWideTwoConnections(b *testing.B) {
	const streams = 2
	ctx := context.Background()
	p := startProcess(b, nil)
	path := filepath.Join(b.TempDir(), "parallel.hyper")
	conns := make([]*Conn, streams)
	for j := range conns {
		mode := CreateNone
		if j == 0 {
			mode = CreateAndReplace
		}
		c, err := p.Connect(ctx, path, mode)
		if err != nil {
			b.Fatal(err)
		}
		b.Cleanup(func() { c.Close() })
		conns[j] = c
	}
	if err := conns[0].CreateTable(ctx, wideDef, false); err != nil {
		b.Fatal(err)
	}
	cpu := startCPU(conns[0])
	b.ResetTimer()
	var wg sync.WaitGroup
	errs := make([]error, streams)
	for j, c := range conns {
		wg.Go(func() {
			ins, err := c.NewInserter(ctx, wideDef.Name, nil)
			if err != nil {
				errs[j] = err
				return
			}
			for i := j; i < b.N; i += streams {
				addWide(ins, i)
				if err := ins.EndRow(); err != nil {
					errs[j] = err
					return
				}
			}
			_, errs[j] = ins.Close()
		})
	}
	wg.Wait()
	b.StopTimer()
	cpu.report(b, b.N)
	for _, err := range errs {
		if err != nil {
			b.Fatal(err)
		}
	}
	var n int64
	if err := conns[0].QueryRow(ctx, "SELECT COUNT(*) FROM wide").Scan(&n); err != nil || n != int64(b.N) {
		b.Fatalf("%d rows after the insert, want %d (%v)", n, b.N, err)
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "rows/s")
}
