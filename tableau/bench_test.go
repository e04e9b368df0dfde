package tableau_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/tableau-go/sdk/internal/testenv"
	"github.com/tableau-go/sdk/tableau"
	"github.com/tableau-go/sdk/tableau/tableautest"
)

// benchItems is the site size of the paging benchmarks: 2,000 projects in
// pages of 100 (20 pages). Enough to show the effect of latency; small
// enough to populate in a second.
const (
	benchItems    = 2000
	benchPageSize = 100
)

// populatedLatency starts an emulator holding benchItems projects (the
// Default one included) and returns the URL of a front that adds latency
// before every response of the emulator's handler (the store is filled
// first, without it), the emulator's credentials and a session signed in
// through the front.
func populatedLatency(b *testing.B, latency time.Duration) (string, tableautest.Credentials, *tableau.Session) {
	b.Helper()
	srv := tableautest.NewTestServer(b, nil)
	c := srv.Credentials()
	ctx := context.Background()
	fill, err := tableau.NewSession(tableau.Config{Server: srv.URL(), Credentials: tableau.PersonalAccessToken{Name: c.PATName, Secret: c.PATSecret}})
	if err != nil {
		b.Fatal(err)
	}
	if err := fill.SignIn(ctx); err != nil {
		b.Fatal(err)
	}
	var wg sync.WaitGroup
	errs := make(chan error, benchItems)
	sem := make(chan struct{}, 8)
	for i := 1; i < benchItems; i++ {
		sem <- struct{}{}
		wg.Go(func() {
			defer func() { <-sem }()
			if err := createProject(ctx, fill, fmt.Sprintf("project %05d", i)); err != nil {
				errs <- err
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		b.Fatal(err)
	}
	h := srv.Handler()
	front := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		time.Sleep(latency)
		h.ServeHTTP(w, r)
	}))
	b.Cleanup(front.Close)
	s, err := tableau.NewSession(tableau.Config{Server: front.URL, Credentials: tableau.PersonalAccessToken{Name: c.PATName, Secret: c.PATSecret}})
	if err != nil {
		b.Fatal(err)
	}
	if err := s.SignIn(ctx); err != nil {
		b.Fatal(err)
	}
	return front.URL, c, s
}

// BenchmarkPagerListProjects lists benchItems projects through
// tableau.PagedList, one page at a time and 8 or 16 pages at a time, with the
// emulator answering at once and after 50 ms per request.
func BenchmarkPagerListProjects(b *testing.B) {
	for _, latency := range []time.Duration{0, 50 * time.Millisecond} {
		for _, parallel := range []int{1, 8, 16} {
			b.Run(fmt.Sprintf("latency=%s/parallel=%d", latency, parallel), func(b *testing.B) {
				_, _, s := populatedLatency(b, latency)
				path, _ := s.SitePath("projects")
				type item = struct {
					ID   string `xml:"id,attr"`
					Name string `xml:"name,attr"`
				}
				opts := &tableau.ListOptions{PageSize: benchPageSize, Parallel: parallel}
				pager := tableau.PagedList(s, path, opts, func(r *projectList) ([]item, tableau.Pagination) { return r.Projects, r.Pagination })
				ctx := context.Background()
				b.ResetTimer()
				for b.Loop() {
					n := 0
					for _, err := range pager.All(ctx) {
						if err != nil {
							b.Fatal(err)
						}
						n++
					}
					if n != benchItems {
						b.Fatalf("listed %d items, want %d", n, benchItems)
					}
				}
				b.ReportMetric(float64(benchItems)*float64(b.N)/b.Elapsed().Seconds(), "items/s")
			})
		}
	}
}

// BenchmarkTSCPagerListProjects lists the same projects with
// tableauserverclient's Pager (testdata/tsc_paging.py), timing only the walk.
func BenchmarkTSCPagerListProjects(b *testing.B) {
	py := testenv.Python(b)
	script, err := filepath.Abs("testdata/tsc_paging.py")
	if err != nil {
		b.Fatal(err)
	}
	for _, latency := range []time.Duration{0, 50 * time.Millisecond} {
		b.Run(fmt.Sprintf("latency=%s", latency), func(b *testing.B) {
			url, c, _ := populatedLatency(b, latency)
			b.ResetTimer()
			out, err := exec.Command(py, script, url, c.PATName, c.PATSecret, strconv.Itoa(benchPageSize), strconv.Itoa(b.N)).CombinedOutput()
			if err != nil {
				b.Fatalf("%v\n%s", err, out)
			}
			b.StopTimer()
			var items int
			var secs float64
			if _, err := fmt.Sscan(strings.TrimSpace(string(out)), &items, &secs); err != nil || items != benchItems {
				b.Fatalf("script output %q: %v", out, err)
			}
			b.ReportMetric(secs/float64(b.N)*1e9, "walk-ns/op")
			b.ReportMetric(float64(items)*float64(b.N)/secs, "items/s")
		})
	}
}
