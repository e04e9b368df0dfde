package tableautest_test

import (
	"os/exec"
	"strings"
	"testing"

	"github.com/tableau-go/sdk/internal/testenv"
	"github.com/tableau-go/sdk/tableau/tableautest"
)

// TestRound3TSCInterop drives the extract methods of workbooks and
// datasources, site extract encryption, bulk connection updates, batch
// schedule state, a schedule's extract refresh tasks, view tags and view
// deletion, the tags of databases and tables, and incremental and full
// extract refreshes with tableauserverclient.
func TestRound3TSCInterop(t *testing.T) {
	py := testenv.PythonWith(t, "tableauserverclient")
	srv := tableautest.NewTestServer(t, &tableautest.Options{APIVersion: "3.27"})
	srv.SetJobDuration(0)
	seed, err := srv.Seed(tableautest.SeedOptions{Workbooks: 1, Datasources: 1})
	if err != nil {
		t.Fatal(err)
	}
	db, tables, err := srv.AddDatabase("", "sales", "postgres", "orders")
	if err != nil {
		t.Fatal(err)
	}
	cr := srv.Credentials()
	out, err := exec.Command(py, "testdata/gov_tsc/round3_interop.py", srv.URL(), cr.PATName, cr.PATSecret,
		seed.WorkbookIDs[0], seed.DatasourceIDs[0], db, tables[0]).CombinedOutput()
	text := strings.ReplaceAll(string(out), cr.PATSecret, "[redacted]")
	if err != nil {
		t.Fatalf("round3_interop.py: %v\n%s", err, text)
	}
	if steps := strings.Count(text, "ok "); steps != 9 {
		t.Fatalf("round3_interop.py passed %d of 9 steps:\n%s", steps, text)
	}
}
