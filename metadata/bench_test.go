package metadata_test

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/sync/errgroup"

	"github.com/tableau-go/sdk/internal/testenv"
	"github.com/tableau-go/sdk/metadata"
	"github.com/tableau-go/sdk/metadata/internal/mdtest"
	"github.com/tableau-go/sdk/rest"
	"github.com/tableau-go/sdk/tableau/tableautest"
)

// benchTDS returns a .tds on table t<i> with cols columns and calcs
// calculated fields (each using two columns).
func benchTDS(i, cols, calcs int) []byte {
	var b strings.Builder
	fmt.Fprintf(&b, "<?xml version='1.0' encoding='utf-8' ?>\n<datasource inline='true' version='18.1'>\n<connection class='federated'><named-connections><named-connection name='pg'><connection class='postgres' dbname='warehouse' port='5432' server='pg.example.com' username='etl'/></named-connection></named-connections>\n")
	fmt.Fprintf(&b, "<relation connection='pg' name='t%d' table='[public].[t%d]' type='table'/>\n<metadata-records>\n", i, i)
	for c := 0; c < cols; c++ {
		fmt.Fprintf(&b, "<metadata-record class='column'><remote-name>c%d</remote-name><remote-type>5</remote-type><local-name>[c%d]</local-name><parent-name>[t%d]</parent-name></metadata-record>\n", c, c, i)
	}
	b.WriteString("</metadata-records></connection>\n")
	for c := 0; c < cols; c++ {
		fmt.Fprintf(&b, "<column caption='Column %d' datatype='real' name='[c%d]' role='measure' type='quantitative'><desc><formatted-text><run>Column %d of table %d.</run></formatted-text></desc></column>\n", c, c, c, i)
	}
	for c := 0; c < calcs; c++ {
		fmt.Fprintf(&b, "<column caption='Calc %d' datatype='real' name='[Calculation_%d]' role='measure' type='quantitative'><calculation class='tableau' formula='[c%d] + [c%d]'/></column>\n", c, c, c, (c+1)%cols)
	}
	b.WriteString("</datasource>\n")
	return []byte(b.String())
}

var (
	benchOnce sync.Once
	benchSite *mdtest.Site
	benchErr  error
)

// seededSite publishes 1,000 datasources of 50 fields (40 columns, 10
// calculations) through REST, once per process.
func seededSite(b *testing.B) *mdtest.Site {
	benchOnce.Do(func() {
		srv, err := tableautest.NewServer(nil)
		if err != nil {
			benchErr = err
			return
		}
		ctx := context.Background()
		st, err := mdtest.SignIn(ctx, srv)
		if err != nil {
			benchErr = err
			return
		}
		var g errgroup.Group
		g.SetLimit(4)
		for i := range 1000 {
			g.Go(func() error {
				_, err := st.REST.Datasources.Publish(ctx, bytes.NewReader(benchTDS(i, 40, 10)),
					&rest.PublishOptions{Name: "Datasource " + strconv.Itoa(i), ProjectID: st.Project, FileName: "d.tds"})
				return err
			})
		}
		benchErr = g.Wait()
		benchSite = st
	})
	if benchErr != nil {
		b.Fatal(benchErr)
	}
	return benchSite
}

// BenchmarkDictionary builds the dictionary of 1,000 datasources × 50
// fields; requests/op is the page count.
func BenchmarkDictionary(b *testing.B) {
	st := seededSite(b)
	c, err := metadata.New(st.Session, nil)
	if err != nil {
		b.Fatal(err)
	}
	start := time.Now()
	d, err := c.Dictionary(context.Background(), nil) // warms the emulator's parse cache
	if err != nil {
		b.Fatal(err)
	}
	b.Logf("first run (emulator parses 1,000 files): %v, %d requests", time.Since(start), d.Requests)
	b.ResetTimer()
	for b.Loop() {
		d, err = c.Dictionary(context.Background(), nil)
		if err != nil {
			b.Fatal(err)
		}
	}
	fields := 0
	for _, ds := range d.Datasources {
		fields += len(ds.Fields)
	}
	if len(d.Datasources) != 1000 || fields != 50000 {
		b.Fatalf("%d datasources, %d fields", len(d.Datasources), fields)
	}
	b.ReportMetric(float64(d.Requests), "requests/op")
}

// BenchmarkDictionaryTSC runs the same query with TSC's paginated_query
// (testdata/dictionary_tsc.py) against the same seeded emulator.
func BenchmarkDictionaryTSC(b *testing.B) {
	py := testenv.Python(b)
	st := seededSite(b)
	cr := st.Server.Credentials()
	var secs float64
	var pages int
	for b.Loop() {
		out, err := exec.Command(py, "testdata/dictionary_tsc.py", st.Server.URL(), cr.PATName, cr.PATSecret, metadata.PublishedDatasourcesPage_Operation).CombinedOutput()
		if err != nil {
			b.Fatalf("dictionary_tsc.py: %v\n%s", err, strings.ReplaceAll(string(out), cr.PATSecret, "[redacted]"))
		}
		var nodes int
		if _, err := fmt.Sscanf(string(out), "%f %d %d", &secs, &pages, &nodes); err != nil || nodes != 1000 {
			b.Fatalf("output %q: %v", out, err)
		}
	}
	b.ReportMetric(secs, "query-s/op")
	b.ReportMetric(float64(pages), "requests/op")
}

func TestMain(m *testing.M) {
	code := m.Run()
	if benchSite != nil {
		benchSite.Server.Close()
	}
	os.Exit(code)
}
