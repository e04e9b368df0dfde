package rest_test

import (
	"context"
	"errors"
	"testing"

	"github.com/tableau-go/sdk/tableau"
	"github.com/tableau-go/sdk/tableau/tableautest"
)

// TestDataAccelerationReport reads the records the emulator was given, an
// empty report, and is refused to a non-administrator.
func TestDataAccelerationReport(t *testing.T) {
	ctx := context.Background()
	c, srv := newClient(t, nil, nil)
	recs, err := c.DataAcceleration.Report(ctx)
	if err != nil || len(recs) != 0 {
		t.Fatalf("empty report: %+v %v", recs, err)
	}
	want := []tableautest.DataAccelerationRecord{
		{SheetURI: "views/Sales/Overview", UnacceleratedSessions: 12, AvgNonAcceleratedPLT: 4.5, AcceleratedSessions: 30, AvgAcceleratedPLT: 0.75},
		{SheetURI: "views/Sales/Detail", UnacceleratedSessions: 3, AvgNonAcceleratedPLT: 2, AcceleratedSessions: 0},
	}
	if err := srv.SetDataAccelerationReport(srv.Credentials().SiteContentURL, want...); err != nil {
		t.Fatal(err)
	}
	recs, err = c.DataAcceleration.Report(ctx)
	if err != nil || len(recs) != 2 {
		t.Fatalf("report: %+v %v", recs, err)
	}
	r := recs[0]
	if r.SheetURI != "views/Sales/Overview" || r.UnacceleratedSessions != 12 || r.AvgNonAcceleratedPLT != 4.5 ||
		r.AcceleratedSessions != 30 || r.AvgAcceleratedPLT != 0.75 || r.Site == "" {
		t.Fatalf("record %+v", r)
	}
	if err := srv.SetDataAccelerationReport("", tableautest.DataAccelerationRecord{SheetURI: "x", AcceleratedSessions: -1}); err == nil {
		t.Fatal("a negative session count was accepted")
	}

	v := signInViewer(t, srv, "viewer1", "tableau:content:read")
	if _, err := v.DataAcceleration.Report(ctx); !errors.Is(err, tableau.ErrForbidden) {
		t.Fatalf("a viewer read the report: %v, want ErrForbidden", err)
	}
}
