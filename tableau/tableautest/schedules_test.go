package tableautest_test

import (
	"net/http"
	"testing"
	"time"

	"github.com/tableau-go/sdk/tableau/tableautest"
)

func TestSchedulesEveryFrequency(t *testing.T) {
	srv := tableautest.NewTestServer(t, nil)
	c := signedIn(t, srv, "")
	bodies := map[string]string{
		"Hourly":  `<tsRequest><schedule name="h" priority="40" type="Extract" frequency="Hourly" executionOrder="Serial"><frequencyDetails start="08:00:00" end="18:00:00"><intervals><interval hours="2"/></intervals></frequencyDetails></schedule></tsRequest>`,
		"Daily":   `<tsRequest><schedule name="d" type="Subscription" frequency="Daily"><frequencyDetails start="05:30:00"/></schedule></tsRequest>`,
		"Weekly":  `<tsRequest><schedule name="w" type="Extract" frequency="Weekly"><frequencyDetails start="23:00:00"><intervals><interval weekDay="Monday"/><interval weekDay="Friday"/></intervals></frequencyDetails></schedule></tsRequest>`,
		"Monthly": `<tsRequest><schedule name="m" type="Flow" frequency="Monthly"><frequencyDetails start="01:00:00"><intervals><interval monthDay="LastDay"/></intervals></frequencyDetails></schedule></tsRequest>`,
	}
	ids := map[string]string{}
	for freq, b := range bodies {
		sc := c.mustDo("POST", "schedules", b, http.StatusCreated).find("schedule")
		if sc.attr("frequency") != freq || sc.attr("state") != "Active" {
			t.Fatalf("%s: %+v", freq, sc.Attrs)
		}
		next, err := time.Parse(time.RFC3339, sc.attr("nextRunAt"))
		if err != nil || !next.After(time.Now().Add(-time.Second)) {
			t.Errorf("%s: nextRunAt %q", freq, sc.attr("nextRunAt"))
		}
		ids[freq] = sc.attr("id")
	}
	h := c.mustDo("GET", "schedules/"+ids["Hourly"], "", http.StatusOK).find("schedule")
	if h.attr("priority") != "40" || h.attr("executionOrder") != "Serial" || h.find("interval").attr("hours") != "2" || h.find("frequencyDetails").attr("end") != "18:00:00" {
		t.Errorf("hourly %+v", h)
	}
	w := c.mustDo("GET", "schedules/"+ids["Weekly"], "", http.StatusOK).find("schedule")
	if next, _ := time.Parse(time.RFC3339, w.attr("nextRunAt")); next.Weekday() != time.Monday && next.Weekday() != time.Friday {
		t.Errorf("weekly schedule next run on %s", next.Weekday())
	}
	bad := []string{
		`<tsRequest><schedule name="x" type="Extract" frequency="Hourly"><frequencyDetails start="08:00:00"><intervals><interval hours="2"/></intervals></frequencyDetails></schedule></tsRequest>`,
		`<tsRequest><schedule name="x" type="Extract" frequency="Hourly"><frequencyDetails start="08:00:00" end="09:00:00"><intervals><interval hours="3"/></intervals></frequencyDetails></schedule></tsRequest>`,
		`<tsRequest><schedule name="x" type="Extract" frequency="Weekly"><frequencyDetails start="08:00:00"/></schedule></tsRequest>`,
		`<tsRequest><schedule name="x" type="Extract" frequency="Weekly"><frequencyDetails start="08:00:00"><intervals><interval weekDay="Caturday"/></intervals></frequencyDetails></schedule></tsRequest>`,
		`<tsRequest><schedule name="x" type="Extract" frequency="Monthly"><frequencyDetails start="08:00:00"><intervals><interval monthDay="32"/></intervals></frequencyDetails></schedule></tsRequest>`,
		`<tsRequest><schedule name="x" type="Extract" frequency="Daily"><frequencyDetails start="25:00:00"/></schedule></tsRequest>`,
		`<tsRequest><schedule name="x" type="Extract" frequency="Yearly"><frequencyDetails start="08:00:00"/></schedule></tsRequest>`,
		`<tsRequest><schedule name="x" type="Extract" priority="0" frequency="Daily"><frequencyDetails start="08:00:00"/></schedule></tsRequest>`,
	}
	for _, b := range bad {
		c.wantError("POST", "schedules", b, http.StatusBadRequest, "400035")
	}
	c.wantError("POST", "schedules", bodies["Daily"], http.StatusConflict, "409021")

	upd := c.mustDo("PUT", "schedules/"+ids["Daily"], `<tsRequest><schedule state="Suspended" frequency="Weekly"><frequencyDetails start="06:00:00"><intervals><interval weekDay="Sunday"/></intervals></frequencyDetails></schedule></tsRequest>`, http.StatusOK).find("schedule")
	if upd.attr("state") != "Suspended" || upd.attr("frequency") != "Weekly" || upd.has("nextRunAt") {
		t.Errorf("updated %+v", upd.Attrs)
	}
	list := c.mustDo("GET", "schedules?filter=type:eq:Extract", "", http.StatusOK).all("schedules")
	if len(list) != 2 {
		t.Errorf("%d extract schedules", len(list))
	}
	c.mustDo("DELETE", "schedules/"+ids["Daily"], "", http.StatusNoContent)
	c.wantError("GET", "schedules/"+ids["Daily"], "", http.StatusNotFound, "404010")

	// Adding content that does not exist to a schedule, and tasks on it.
	site := "sites/" + c.siteID
	c.wantError("PUT", site+"/schedules/"+ids["Weekly"]+"/workbooks", `<tsRequest><task><extractRefresh><workbook id="00000000-0000-4000-8000-000000000000"/></extractRefresh></task></tsRequest>`, http.StatusNotFound, "404006")
	c.wantError("PUT", site+"/schedules/"+ids["Weekly"]+"/datasources", `<tsRequest><task><extractRefresh><workbook id="x"/></extractRefresh></task></tsRequest>`, http.StatusBadRequest, "400000")
	if n := len(c.mustDo("GET", site+"/tasks/extractRefreshes", "", http.StatusOK).all("tasks")); n != 0 {
		t.Errorf("%d tasks on a new site", n)
	}
	c.wantError("POST", site+"/tasks/extractRefreshes", `<tsRequest><extractRefresh type="FullRefresh"><datasource id="00000000-0000-4000-8000-000000000000"/></extractRefresh><schedule frequency="Daily"><frequencyDetails start="01:00:00"/></schedule></tsRequest>`, http.StatusNotFound, "404011")
	c.wantError("POST", site+"/tasks/extractRefreshes/00000000-0000-4000-8000-000000000000/runNow", `<tsRequest/>`, http.StatusNotFound, "404009")
}
