package tableautest_test

import (
	"net/http"
	"os/exec"
	"strings"
	"testing"

	"github.com/tableau-go/sdk/internal/testenv"
	"github.com/tableau-go/sdk/tableau/tableautest"
)

// TestRound2TSCInterop drives the OIDC configuration, the data
// acceleration report, virtual connection revisions, a subscription with a
// Tableau Cloud schedule, chunked flow publishing, governance jobs and the
// revocation of administrators' personal access tokens with
// tableauserverclient.
func TestRound2TSCInterop(t *testing.T) {
	py := testenv.PythonWith(t, "tableauserverclient")
	srv := tableautest.NewTestServer(t, nil)
	seed, err := srv.Seed(tableautest.SeedOptions{Projects: 1, Workbooks: 1})
	if err != nil {
		t.Fatal(err)
	}
	if err := srv.SetDataAccelerationReport("", tableautest.DataAccelerationRecord{SheetURI: "views/Sales/Overview",
		UnacceleratedSessions: 12, AvgNonAcceleratedPLT: 4.5, AcceleratedSessions: 30, AvgAcceleratedPLT: 0.75}); err != nil {
		t.Fatal(err)
	}
	c := signedIn(t, srv, "")
	sub := c.mustDo("POST", "sites/"+c.siteID+"/subscriptions", `<tsRequest><subscription subject="Weekly"><content id="`+seed.WorkbookIDs[0]+
		`" type="Workbook"/><schedule frequency="Weekly"><frequencyDetails start="08:30:00"><intervals><interval weekDay="Monday"/><interval weekDay="Thursday"/></intervals></frequencyDetails></schedule><user id="`+
		c.userID+`"/></subscription></tsRequest>`, http.StatusCreated).find("subscription").attr("id")
	cr := srv.Credentials()
	out, err := exec.Command(py, "testdata/gov_tsc/round2_interop.py", srv.URL(), cr.PATName, cr.PATSecret, seed.ProjectIDs[0], sub, t.TempDir()).CombinedOutput()
	text := strings.ReplaceAll(string(out), cr.PATSecret, "[redacted]")
	if err != nil {
		t.Fatalf("round2_interop.py: %v\n%s", err, text)
	}
	if steps := strings.Count(text, "ok "); steps != 10 {
		t.Fatalf("round2_interop.py passed %d of 10 steps:\n%s", steps, text)
	}
}
