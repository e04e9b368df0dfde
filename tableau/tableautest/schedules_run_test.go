package tableautest_test

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/tableau-go/sdk/tableau/tableautest"
)

// TestSerialScheduleStartedEvents: the refresh-started webhook of a task
// queued on a Serial schedule fires when its turn comes, not when the
// schedule runs; a queued job cancelled before then never starts.
func TestSerialScheduleStartedEvents(t *testing.T) {
	srv := tableautest.NewTestServer(t, nil)
	srv.SetJobDuration(400 * time.Millisecond)
	srv.SetWebhookRetry(1, 0)
	seed, err := srv.Seed(tableautest.SeedOptions{Datasources: 3})
	if err != nil {
		t.Fatal(err)
	}
	c := signedIn(t, srv, "")
	site := "sites/" + c.siteID
	rc := newReceiver(t, 0)
	c.mustDo("POST", site+"/webhooks", webhookBody("started", "webhook-source-event-datasource-refresh-started", rc.URL), http.StatusCreated)
	sched := c.mustDo("POST", "schedules", `<tsRequest><schedule name="serial" type="Extract" frequency="Daily" executionOrder="Serial"><frequencyDetails start="02:00:00"/></schedule></tsRequest>`, http.StatusCreated).find("schedule").attr("id")
	for _, ds := range seed.DatasourceIDs {
		c.mustDo("PUT", site+"/schedules/"+sched+"/datasources", `<tsRequest><task><extractRefresh><datasource id="`+ds+`"/></extractRefresh></task></tsRequest>`, http.StatusOK)
	}
	run, err := srv.RunSchedule(sched)
	if err != nil || len(run.JobIDs) != 3 {
		t.Fatalf("RunSchedule = %+v, %v", run, err)
	}
	c.mustDo("PUT", site+"/jobs/"+run.JobIDs[2], "", http.StatusOK) // cancel the last, still queued

	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := srv.WaitWebhooks(ctx); err != nil {
		t.Fatal(err)
	}
	if got := rc.got(); len(got) != 1 || got[0]["resource_luid"] != seed.DatasourceIDs[0] {
		t.Fatalf("started events right after the run: %v", got)
	}
	time.Sleep(1200 * time.Millisecond) // the second job's turn, and the third's had it not been cancelled
	if err := srv.WaitWebhooks(ctx); err != nil {
		t.Fatal(err)
	}
	got := rc.got()
	if len(got) != 2 || got[1]["resource_luid"] != seed.DatasourceIDs[1] {
		t.Fatalf("started events after the first job: %v", got)
	}
}
