package tableautest_test

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/tableau-go/sdk/tableau/tableautest"
)

func TestTasksOnSchedulesRunAndWebhooks(t *testing.T) {
	srv := tableautest.NewTestServer(t, nil)
	srv.SetJobDuration(0)
	srv.SetWebhookRetry(1, 0)
	seed, err := srv.Seed(tableautest.SeedOptions{Workbooks: 1, Datasources: 2})
	if err != nil {
		t.Fatal(err)
	}
	c := signedIn(t, srv, "")
	site := "sites/" + c.siteID
	rc := newReceiver(t, 0)
	c.mustDo("POST", site+"/webhooks", webhookBody("failed", "webhook-source-event-datasource-refresh-failed", rc.URL), http.StatusCreated)

	sched := c.mustDo("POST", "schedules", `<tsRequest><schedule name="nightly" type="Extract" frequency="Daily"><frequencyDetails start="02:00:00"/></schedule></tsRequest>`, http.StatusCreated).find("schedule").attr("id")
	flowSched := c.mustDo("POST", "schedules", `<tsRequest><schedule name="flows" type="Flow" frequency="Daily"><frequencyDetails start="03:00:00"/></schedule></tsRequest>`, http.StatusCreated).find("schedule").attr("id")
	ds := seed.DatasourceIDs[0]
	task := c.mustDo("PUT", site+"/schedules/"+sched+"/datasources", `<tsRequest><task><extractRefresh><datasource id="`+ds+`"/></extractRefresh></task></tsRequest>`, http.StatusOK).find("extractRefresh")
	if task.find("datasource").attr("id") != ds || task.find("schedule").attr("id") != sched {
		t.Fatalf("task %+v", task)
	}
	c.wantError("PUT", site+"/schedules/"+sched+"/datasources", `<tsRequest><task><extractRefresh><datasource id="`+ds+`"/></extractRefresh></task></tsRequest>`, http.StatusConflict, "409036")
	c.wantError("PUT", site+"/schedules/"+flowSched+"/datasources", `<tsRequest><task><extractRefresh><datasource id="`+ds+`"/></extractRefresh></task></tsRequest>`, http.StatusBadRequest, "400035")
	c.mustDo("PUT", site+"/schedules/"+sched+"/workbooks", `<tsRequest><task><extractRefresh><workbook id="`+seed.WorkbookIDs[0]+`"/></extractRefresh></task></tsRequest>`, http.StatusOK)
	extracts := c.mustDo("GET", site+"/schedules/"+sched+"/extracts", "", http.StatusOK).all("extracts")
	if len(extracts) != 2 {
		t.Fatalf("%d extracts on the schedule", len(extracts))
	}

	// A Tableau Cloud task with its own schedule.
	cloud := c.mustDo("POST", site+"/tasks/extractRefreshes", `<tsRequest><extractRefresh type="FullRefresh"><datasource id="`+seed.DatasourceIDs[1]+`"/></extractRefresh><schedule frequency="Weekly"><frequencyDetails start="18:30:00"><intervals><interval weekDay="Monday"/></intervals></frequencyDetails></schedule></tsRequest>`, http.StatusOK)
	cloudID := cloud.find("extractRefresh").attr("id")
	if cloud.find("extractRefresh").find("schedule").attr("frequency") != "Weekly" {
		t.Fatalf("cloud task %+v", cloud)
	}
	tasks := c.mustDo("GET", site+"/tasks/extractRefreshes", "", http.StatusOK).all("tasks")
	if len(tasks) != 3 {
		t.Fatalf("%d tasks", len(tasks))
	}

	// Run now: a refresh job; a failing refresh fires the webhook and counts.
	srv.FailRefreshesOf("Datasource 1", "the database is down")
	id := task.attr("id")
	job := c.mustDo("POST", site+"/tasks/extractRefreshes/"+id+"/runNow", `<tsRequest/>`, http.StatusOK).find("job")
	if job.attr("type") != "RefreshExtract" {
		t.Fatalf("job %+v", job.Attrs)
	}
	got := c.mustDo("GET", site+"/jobs/"+job.attr("id"), "", http.StatusOK).find("job")
	if got.attr("finishCode") != "1" {
		t.Fatalf("the refresh should fail: %+v", got.Attrs)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := srv.WaitWebhooks(ctx); err != nil {
		t.Fatal(err)
	}
	if b := rc.got(); len(b) != 1 || b[0]["event_type"] != "DatasourceRefreshFailed" || b[0]["resource_luid"] != ds {
		t.Fatalf("webhook deliveries %v", b)
	}
	after := c.mustDo("GET", site+"/tasks/extractRefreshes/"+id, "", http.StatusOK).find("extractRefresh")
	if after.attr("consecutiveFailedCount") != "1" {
		t.Errorf("consecutiveFailedCount %s", after.attr("consecutiveFailedCount"))
	}
	c.mustDo("DELETE", site+"/tasks/extractRefreshes/"+cloudID, "", http.StatusNoContent)
	c.wantError("GET", site+"/tasks/extractRefreshes/"+cloudID, "", http.StatusNotFound, "404009")
	// Deleting the schedule deletes its tasks.
	c.mustDo("DELETE", "schedules/"+sched, "", http.StatusNoContent)
	if n := len(c.mustDo("GET", site+"/tasks/extractRefreshes", "", http.StatusOK).all("tasks")); n != 0 {
		t.Errorf("%d tasks left", n)
	}
}

func TestPermissionsOnContent(t *testing.T) {
	srv := tableautest.NewTestServer(t, nil)
	seed, err := srv.Seed(tableautest.SeedOptions{Projects: 1, Workbooks: 1, Datasources: 1})
	if err != nil {
		t.Fatal(err)
	}
	c := signedIn(t, srv, "")
	site := "sites/" + c.siteID
	g := c.mustDo("POST", site+"/groups", `<tsRequest><group name="G"/></tsRequest>`, http.StatusCreated).find("group").attr("id")
	for _, it := range []struct{ seg, id, capName string }{
		{"workbooks", seed.WorkbookIDs[0], "ExportData"},
		{"datasources", seed.DatasourceIDs[0], "Connect"},
		{"views", seed.ViewIDs[0], "ExportImage"},
	} {
		c.mustDo("PUT", site+"/"+it.seg+"/"+it.id+"/permissions", grantBody("group", g, it.capName, "Allow"), http.StatusOK)
		p := c.mustDo("GET", site+"/"+it.seg+"/"+it.id+"/permissions", "", http.StatusOK).find("permissions")
		if p.find("capability").attr("name") != it.capName || p.Nodes[0].attr("id") != it.id {
			t.Errorf("%s: %+v", it.seg, p)
		}
		c.mustDo("DELETE", site+"/"+it.seg+"/"+it.id+"/permissions/groups/"+g+"/"+it.capName+"/Allow", "", http.StatusNoContent)
		c.wantError("GET", site+"/"+it.seg+"/00000000-0000-4000-8000-000000000000/permissions", "", http.StatusNotFound, map[string]string{"workbooks": "404006", "datasources": "404011", "views": "404011"}[it.seg])
	}
	// A project locked to its permissions refuses changes to its content's.
	c.mustDo("PUT", site+"/projects/"+seed.ProjectIDs[0], `<tsRequest><project contentPermissions="LockedToProject"/></tsRequest>`, http.StatusOK)
	c.wantError("PUT", site+"/workbooks/"+seed.WorkbookIDs[0]+"/permissions", grantBody("group", g, "Read", "Allow"), http.StatusForbidden, "403004")
}
