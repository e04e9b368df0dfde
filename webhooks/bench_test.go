package webhooks_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/tableau-go/sdk/webhooks"
)

// benchClient keeps connections alive for parallel posters.
func benchClient() *http.Client {
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.MaxIdleConns = 256
	tr.MaxIdleConnsPerHost = 256
	return &http.Client{Transport: tr, Timeout: 30 * time.Second}
}

// postLoop posts unique DatasourceRefreshFailed payloads to url until pb ends.
func postLoop(b *testing.B, c *http.Client, url string, seq *atomic.Int64, next func() bool) {
	for next() {
		p := payload(webhooks.DatasourceRefreshFailed, fmt.Sprintf("ds-%d", seq.Add(1)))
		resp, err := c.Post(url, "application/json", strings.NewReader(p))
		if err != nil {
			b.Error(err)
			return
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			b.Errorf("status %d", resp.StatusCode)
			return
		}
	}
}

// BenchmarkAccept measures events accepted per second over loopback HTTP with
// persistence on: each 200 answer follows an fsync'd bbolt commit (bbolt's
// Batch lets concurrent requests share one). A no-op receiver is registered
// and Run is delivering (and deleting delivered events) at the same time.
func BenchmarkAccept(b *testing.B) {
	for _, clients := range []int{1, 16, 64} {
		b.Run(fmt.Sprintf("clients=%d", clients), func(b *testing.B) {
			h, err := webhooks.NewHandler(&webhooks.Options{
				StorePath: filepath.Join(b.TempDir(), "events.db"),
				Token:     testToken,
			})
			if err != nil {
				b.Fatal(err)
			}
			var delivered atomic.Int64
			_ = h.HandleFunc("noop", func(context.Context, *webhooks.Event) error { delivered.Add(1); return nil })
			ctx, cancel := context.WithCancel(context.Background())
			go h.Run(ctx)
			srv := httptest.NewServer(h)
			defer func() {
				srv.Close()
				_ = h.Close(context.Background())
				cancel()
			}()
			url := srv.URL + "/hook?token=" + testToken
			c := benchClient()
			var seq atomic.Int64
			b.SetParallelism(max(1, clients/2)) // 2 cores: GOMAXPROCS·p goroutines
			start := time.Now()
			b.ResetTimer()
			if clients == 1 {
				i := 0
				postLoop(b, c, url, &seq, func() bool { i++; return i <= b.N })
			} else {
				b.RunParallel(func(pb *testing.PB) { postLoop(b, c, url, &seq, pb.Next) })
			}
			b.StopTimer()
			b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "events/s")
		})
	}
}

// BenchmarkAcceptBaseline is the ceiling: the same requests to a handler that
// only reads the body and answers 200 (no checks, no decoding, no storage).
func BenchmarkAcceptBaseline(b *testing.B) {
	for _, clients := range []int{1, 16, 64} {
		b.Run(fmt.Sprintf("clients=%d", clients), func(b *testing.B) {
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				io.Copy(io.Discard, r.Body)
				w.Header().Set("Content-Type", "application/json")
				io.WriteString(w, `{"status":"accepted"}`)
			}))
			defer srv.Close()
			c := benchClient()
			var seq atomic.Int64
			b.SetParallelism(max(1, clients/2))
			start := time.Now()
			b.ResetTimer()
			if clients == 1 {
				i := 0
				postLoop(b, c, srv.URL, &seq, func() bool { i++; return i <= b.N })
			} else {
				b.RunParallel(func(pb *testing.PB) { postLoop(b, c, srv.URL, &seq, pb.Next) })
			}
			b.StopTimer()
			b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "events/s")
		})
	}
}

// BenchmarkDiskFsync is the floor under every accepted event: one 4 KiB
// write and fsync on the disk of the store (a bbolt commit does two).
func BenchmarkDiskFsync(b *testing.B) {
	f, err := os.Create(filepath.Join(b.TempDir(), "fsync"))
	if err != nil {
		b.Fatal(err)
	}
	defer f.Close()
	buf := make([]byte, 4096)
	for i := 0; b.Loop(); i++ {
		if _, err := f.WriteAt(buf, int64(i%16)*4096); err != nil {
			b.Fatal(err)
		}
		if err := f.Sync(); err != nil {
			b.Fatal(err)
		}
	}
}
