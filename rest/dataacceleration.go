package rest

import (
	"context"
	"fmt"
)

// ComparisonRecord is one sheet of a data acceleration report: how often
// it loaded with and without acceleration, and the average page load time
// (seconds) of each.
type ComparisonRecord struct {
	Site                  string  `xml:"site,attr"`
	SheetURI              string  `xml:"sheetURI,attr"`
	UnacceleratedSessions int     `xml:"unacceleratedSessionCount,attr"`
	AvgNonAcceleratedPLT  float64 `xml:"averageNonAcceleratedPLT,attr"`
	AcceleratedSessions   int     `xml:"acceleratedSessionCount,attr"`
	AvgAcceleratedPLT     float64 `xml:"averageAcceleratedPLT,attr"`
}

// DataAccelerationService reads the data acceleration report (API 3.8;
// Tableau has since deprecated data acceleration). c.DataAcceleration.
type DataAccelerationService struct{ service }

// Report returns the site's data acceleration report: one record per
// sheet. Site and server administrators only.
func (sv *DataAccelerationService) Report(ctx context.Context) ([]ComparisonRecord, error) {
	const m = "DataAcceleration.Report"
	if err := sv.s.RequireVersion("rest."+m, "3.8"); err != nil {
		return nil, err
	}
	path, err := sv.sitePath(m, "dataAccelerationReport")
	if err != nil {
		return nil, err
	}
	var r struct {
		Report *struct {
			Records []ComparisonRecord `xml:"comparisonRecords>comparisonRecord"`
		} `xml:"dataAccelerationReport"`
	}
	if err := sv.s.Get(ctx, path, nil, &r); err != nil {
		return nil, err
	}
	if r.Report == nil {
		return nil, fmt.Errorf("rest.%s: the response has no <dataAccelerationReport>", m)
	}
	return r.Report.Records, nil
}
