package main

import (
	"context"
	"fmt"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/tableau-go/sdk/internal/testenv"

	"github.com/tableau-go/sdk/rest"
	"github.com/tableau-go/sdk/tableau"
	"github.com/tableau-go/sdk/tableau/tableautest"
)

// BenchmarkAudit10000 audits a seeded site of 10,000 items (100 projects,
// 3,960 workbooks with a view each, 1,980 data sources) sequentially and
// with bounded concurrency, against an emulator that adds 2 ms to every
// response (a fast real server; real ones take tens of milliseconds).
// Run with -benchtime=1x: one audit is some 10,000 requests.
func BenchmarkAudit10000(b *testing.B) {
	srv := tableautest.NewTestServer(b, nil)
	cr := srv.Credentials()
	cfg := tableau.Config{Server: srv.URL(), Credentials: tableau.PersonalAccessToken{Name: cr.PATName, Secret: cr.PATSecret}}
	if err := seedSite(context.Background(), srv, cfg, 10000); err != nil {
		b.Fatal(err)
	}
	slow, err := tableautest.NewServer(&tableautest.Options{Latency: 2 * time.Millisecond})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { slow.Close() })
	scr := slow.Credentials()
	if err := seedSite(context.Background(), slow, tableau.Config{Server: slow.URL(), Credentials: tableau.PersonalAccessToken{Name: scr.PATName, Secret: scr.PATSecret}}, 10000); err != nil {
		b.Fatal(err)
	}
	for _, lat := range []struct {
		name string
		srv  *tableautest.Server
	}{{"latency=0", srv}, {"latency=2ms", slow}} {
		c2 := lat.srv.Credentials()
		for _, conc := range []int{1, 4, 16} {
			b.Run(fmt.Sprintf("%s/concurrency=%d", lat.name, conc), func(b *testing.B) {
				ctx := context.Background()
				c, err := rest.SignIn(ctx, tableau.Config{Server: lat.srv.URL(), Credentials: tableau.PersonalAccessToken{Name: c2.PATName, Secret: c2.PATSecret}})
				if err != nil {
					b.Fatal(err)
				}
				b.ResetTimer()
				for range b.N {
					s, err := collect(ctx, c, auditOptions{Concurrency: conc})
					if err != nil {
						b.Fatal(err)
					}
					if len(s.Items) != 10000 {
						b.Fatalf("%d items", len(s.Items))
					}
					_ = effective(s)
				}
				b.ReportMetric(float64(10000*b.N)/b.Elapsed().Seconds(), "items/s")
			})
		}
	}
}

// BenchmarkAuditTSC10000 does the audit's reads with tableauserverclient
// (examples/permission-audit/testdata/tsc_audit.py) on the same kind of
// site and latency, for comparison. Run with -benchtime=1x.
func BenchmarkAuditTSC10000(b *testing.B) {
	py := testenv.PythonWith(b, "tableauserverclient")
	for _, lat := range []time.Duration{0, 2 * time.Millisecond} {
		b.Run(fmt.Sprintf("latency=%s", lat), func(b *testing.B) {
			srv, err := tableautest.NewServer(&tableautest.Options{Latency: lat})
			if err != nil {
				b.Fatal(err)
			}
			defer srv.Close()
			cr := srv.Credentials()
			if err := seedSite(context.Background(), srv, tableau.Config{Server: srv.URL(), Credentials: tableau.PersonalAccessToken{Name: cr.PATName, Secret: cr.PATSecret}}, 10000); err != nil {
				b.Fatal(err)
			}
			b.ResetTimer()
			for range b.N {
				out, err := exec.Command(py, "testdata/tsc_audit.py", srv.URL(), cr.PATName, cr.PATSecret).CombinedOutput()
				if err != nil {
					b.Fatalf("tsc_audit.py: %v\n%s", err, out)
				}
				if !strings.HasPrefix(string(out), "items 10000 ") {
					b.Fatalf("tsc_audit.py: %s", out)
				}
			}
			b.ReportMetric(float64(10000*b.N)/b.Elapsed().Seconds(), "items/s")
		})
	}
}
