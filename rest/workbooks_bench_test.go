package rest_test

import (
	"context"
	"fmt"
	"io"
	"os"
	"runtime"
	"strconv"
	"syscall"
	"testing"
	"time"

	"github.com/tableau-go/sdk/rest"
	"github.com/tableau-go/sdk/tableau"
	"github.com/tableau-go/sdk/tableau/tableautest"
)

// benchClient returns a client of the emulator named by BENCH_TABLEAU_URL,
// BENCH_TABLEAU_PAT_NAME and BENCH_TABLEAU_PAT_SECRET (a separate process
// started by scripts/bench-rest-content.sh, so that the numbers below are
// the client's alone), or of an in-process emulator seeded with workbooks.
func benchClient(b *testing.B, workbooks int) *rest.Client {
	b.Helper()
	url, name, secret := os.Getenv("BENCH_TABLEAU_URL"), os.Getenv("BENCH_TABLEAU_PAT_NAME"), os.Getenv("BENCH_TABLEAU_PAT_SECRET")
	if url == "" {
		srv := tableautest.NewTestServer(b, nil)
		if _, err := srv.Seed(tableautest.SeedOptions{Projects: 10, Workbooks: workbooks, ViewsPerWorkbook: 1}); err != nil {
			b.Fatal(err)
		}
		cr := srv.Credentials()
		url, name, secret = srv.URL(), cr.PATName, cr.PATSecret
	}
	c, err := rest.SignIn(context.Background(), tableau.Config{Server: url, Credentials: tableau.PersonalAccessToken{Name: name, Secret: secret}})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { c.Session.SignOut(context.Background()) }) //nolint:errcheck
	return c
}

// cpuTime returns the process's user plus system CPU time.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru) //nolint:errcheck
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// BenchmarkListWorkbooks lists every workbook (20,000 when the benchmark
// seeds its own emulator) in pages of 100, one page at a time, 8 and 16
// at a time. Besides ns/op it reports the client's CPU per listing and its
// allocations per workbook.
func BenchmarkListWorkbooks(b *testing.B) {
	c := benchClient(b, 20000)
	ctx := context.Background()
	for _, parallel := range []int{1, 8, 16} {
		b.Run("parallel="+strconv.Itoa(parallel), func(b *testing.B) {
			opts := &tableau.ListOptions{PageSize: 100, Parallel: parallel}
			var items int
			var ms0, ms1 runtime.MemStats
			runtime.ReadMemStats(&ms0)
			cpu0 := cpuTime()
			b.ResetTimer()
			for b.Loop() {
				items = 0
				for _, err := range c.Workbooks.List(opts).All(ctx) {
					if err != nil {
						b.Fatal(err)
					}
					items++
				}
			}
			b.StopTimer()
			cpu := cpuTime() - cpu0
			runtime.ReadMemStats(&ms1)
			b.ReportMetric(float64(items), "items/op")
			b.ReportMetric(float64(cpu.Milliseconds())/float64(b.N), "cpu-ms/op")
			b.ReportMetric(float64(ms1.Mallocs-ms0.Mallocs)/float64(b.N)/float64(items), "allocs/item")
			b.ReportMetric(float64(cpu.Microseconds())/float64(b.N)/float64(items), "cpu-µs/item")
		})
	}
}

// patternReader yields n bytes that start with the Hyper signature, without
// holding them in memory.
type patternReader struct{ off, n int64 }

func (p *patternReader) Read(b []byte) (int, error) {
	if p.off >= p.n {
		return 0, io.EOF
	}
	k := int(min(int64(len(b)), p.n-p.off))
	for i := 0; i < k; i++ {
		o := p.off + int64(i)
		if o < 5 {
			b[i] = "Hyper"[o]
		} else {
			b[i] = byte(o * 31)
		}
	}
	p.off += int64(k)
	return k, nil
}

// BenchmarkPublishChunked publishes a .hyper of BENCH_PUBLISH_BYTES bytes
// (default 64 MiB) through an upload session in 5 MB chunks, streamed from
// a reader that holds nothing, downloads it back to io.Discard, and reports
// the process's peak RSS over both. Run it alone, against a separate
// emulator, for a meaningful peak.
func BenchmarkPublishChunked(b *testing.B) {
	size := int64(64 << 20)
	if v := os.Getenv("BENCH_PUBLISH_BYTES"); v != "" {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil || n < 1 {
			b.Fatalf("BENCH_PUBLISH_BYTES=%q is not a positive byte count", v)
		}
		size = n
	}
	c := benchClient(b, 0)
	ctx := context.Background()
	p, err := c.Projects.GetByPath(ctx, "Default")
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(size)
	i := 0
	var id string
	for b.Loop() {
		i++
		ds, err := c.Datasources.Publish(ctx, &patternReader{n: size}, &rest.PublishOptions{
			Name: fmt.Sprintf("Big %d", i), ProjectID: p.ID, FileName: "big.hyper", Size: size,
		})
		if err != nil {
			b.Fatal(err)
		}
		id = ds.ID
	}
	b.StopTimer()
	// Download it back to a writer that keeps nothing: memory stays flat too.
	start := time.Now()
	d, err := c.Datasources.Download(ctx, id, io.Discard, nil)
	if err != nil || d.Size != size {
		b.Fatalf("download: %v (%d of %d bytes)", err, d.Size, size)
	}
	b.ReportMetric(float64(size)/(1<<20)/time.Since(start).Seconds(), "download-MiB/s")
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru) //nolint:errcheck
	b.ReportMetric(float64(ru.Maxrss)/1024, "peak-rss-MB")
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	b.ReportMetric(float64(ms.HeapSys)/(1<<20), "heap-sys-MB")
}
