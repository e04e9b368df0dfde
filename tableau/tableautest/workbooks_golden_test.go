package tableautest_test

import (
	"net/http"
	"testing"
	"time"

	"github.com/tableau-go/sdk/tableau/tableautest"
)

func init() {
	shapeRules["startedAt"] = timeRE
	shapeRules["completedAt"] = timeRE
	shapeRules["uploadSessionId"] = uuidRE
}

func TestGoldenContent(t *testing.T) {
	srv := tableautest.NewTestServer(t, nil)
	srv.SetJobDuration(0)
	res, err := srv.Seed(tableautest.SeedOptions{Workbooks: 1, WorkbookExtracts: true, Datasources: 1})
	if err != nil {
		t.Fatal(err)
	}
	c := signedIn(t, srv, "")
	site := "sites/" + c.siteID + "/"
	compareGolden(t, "../content_golden/initiate_file_upload.xml", c.raw("POST", site+"fileUploads", "", http.StatusCreated))
	compareGolden(t, "../content_golden/add_tags_to_workbook.xml",
		c.raw("PUT", site+"workbooks/"+res.WorkbookIDs[0]+"/tags", `<tsRequest><tags><tag label="finance"/><tag label="q4"/></tags></tsRequest>`, http.StatusOK))
	compareGolden(t, "../content_golden/update_workbook_now.xml",
		c.raw("POST", site+"workbooks/"+res.WorkbookIDs[0]+"/refresh", "<tsRequest/>", http.StatusAccepted))
	job := parseXML(t, c.raw("POST", site+"datasources/"+res.DatasourceIDs[0]+"/refresh", "<tsRequest/>", http.StatusAccepted)).find("job").attr("id")
	time.Sleep(20 * time.Millisecond)
	compareGolden(t, "../content_golden/query_job.xml", c.raw("GET", site+"jobs/"+job, "", http.StatusOK))
}
