package tableautest_test

import (
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/tableau-go/sdk/internal/testenv"
	"github.com/tableau-go/sdk/tableau/tableautest"
)

// TestGovernanceTSCInterop drives users, groups, group sets, permissions,
// webhooks, schedules, tasks, favorites and subscriptions with
// tableauserverclient: TSC's requests and parsers, which real servers have
// exercised, agree with the emulator.
func TestGovernanceTSCInterop(t *testing.T) {
	py := testenv.PythonWith(t, "tableauserverclient")
	srv := tableautest.NewTestServer(t, nil)
	srv.SetWebhookRetry(1, 0)
	seed, err := srv.Seed(tableautest.SeedOptions{Workbooks: 1})
	if err != nil {
		t.Fatal(err)
	}
	rc := newReceiver(t, 0)
	cr := srv.Credentials()
	out, err := exec.Command(py, "testdata/gov_tsc/gov_interop.py", srv.URL(), cr.PATName, cr.PATSecret, seed.WorkbookIDs[0], rc.URL+"/hook").CombinedOutput()
	text := strings.ReplaceAll(string(out), cr.PATSecret, "[redacted]")
	if err != nil {
		t.Fatalf("gov_interop.py: %v\n%s", err, text)
	}
	if steps := strings.Count(text, "ok "); steps != 9 {
		t.Fatalf("gov_interop.py passed %d of 9 steps:\n%s", steps, text)
	}
}

// TestGovernanceTSCInterop2 drives flows, flow runs, data quality
// warnings, alerts, custom views, Catalog assets, metrics and virtual
// connections with tableauserverclient.
func TestGovernanceTSCInterop2(t *testing.T) {
	py := testenv.PythonWith(t, "tableauserverclient")
	srv := tableautest.NewTestServer(t, nil)
	srv.SetJobDuration(100 * time.Millisecond)
	seed, err := srv.Seed(tableautest.SeedOptions{Projects: 1, Workbooks: 1, Datasources: 1})
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := srv.AddDatabase("", "sales", "postgres", "orders", "customers"); err != nil {
		t.Fatal(err)
	}
	if _, err := srv.AddMetric("", seed.ProjectIDs[0], "Revenue", seed.ViewIDs[0]); err != nil {
		t.Fatal(err)
	}
	c := signedIn(t, srv, "")
	site := "sites/" + c.siteID
	c.mustDo("POST", site+"/dataAlerts", `<tsRequest><dataAlertCreateAlert subject="Low" alertCondition="below" alertThreshold="1" frequency="daily" visibility="private"><view id="`+seed.ViewIDs[0]+`"/></dataAlertCreateAlert></tsRequest>`, http.StatusOK)
	c.mustDo("POST", site+"/virtualConnections", `<tsRequest><virtualConnection name="VC"><project id="`+seed.ProjectIDs[0]+`"/><content>{"connections":[]}</content></virtualConnection></tsRequest>`, http.StatusCreated)
	body, ct := multipartBody(t, [2]string{"request_payload", `<tsRequest><customView name="Mine" shared="true"><workbook id="` + seed.WorkbookIDs[0] + `"/></customView></tsRequest>`}, [2]string{"tableau_customview", "{}"})
	if status, b := c.doCT("POST", site+"/customviews", body, ct); status != http.StatusCreated {
		t.Fatalf("custom view: %d %s", status, b)
	}
	tfl := filepath.Join(t.TempDir(), "flow.tfl")
	if err := os.WriteFile(tfl, []byte(`{"nodes":{},"connections":{}}`), 0o600); err != nil {
		t.Fatal(err)
	}
	srv.SetDirectoryGroup("example.com", "Sales", "ann", "ben")
	cr := srv.Credentials()
	// Linked tasks are made in Tableau's UI: publish a flow and link it here.
	fb, fct := flowBody(t, seed.ProjectIDs[0])
	status, b := c.doCT("POST", site+"/flows?flowType=tfl", fb, fct)
	if status != http.StatusCreated {
		t.Fatalf("publish flow: %d %s", status, b)
	}
	flowID := parseXML(t, b).find("flow").attr("id")
	sched := c.mustDo("POST", "schedules", `<tsRequest><schedule name="linked" type="Flow" frequency="Daily"><frequencyDetails start="03:00:00"/></schedule></tsRequest>`, http.StatusCreated).find("schedule").attr("id")
	linked, err := srv.AddLinkedTask("", sched, flowID)
	if err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(py, "testdata/gov_tsc/gov_interop2.py", srv.URL(), cr.PATName, cr.PATSecret, seed.ProjectIDs[0], seed.DatasourceIDs[0], tfl, linked).CombinedOutput()
	text := strings.ReplaceAll(string(out), cr.PATSecret, "[redacted]")
	if err != nil {
		t.Fatalf("gov_interop2.py: %v\n%s", err, text)
	}
	if steps := strings.Count(text, "ok "); steps != 8 {
		t.Fatalf("gov_interop2.py passed %d of 8 steps:\n%s", steps, text)
	}
}

// flowBody is a Publish Flow request (multipart) and its content type.
func flowBody(t *testing.T, projectID string) (string, string) {
	return multipartBody(t, [2]string{"request_payload", `<tsRequest><flow name="Linked flow"><project id="` + projectID + `"/></flow></tsRequest>`},
		[2]string{"tableau_flow", `{"nodes":{}}`})
}
