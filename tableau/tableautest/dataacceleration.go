package tableautest

import (
	"errors"
	"fmt"
	"math"
	"net/http"
	"strconv"
)

// DataAccelerationRecord is one row of a site's data acceleration report:
// how often a sheet loaded with and without acceleration and how long it
// took on average (page load time, seconds).
type DataAccelerationRecord struct {
	SheetURI              string // for example "views/Sales/Overview"
	UnacceleratedSessions int
	AvgNonAcceleratedPLT  float64
	AcceleratedSessions   int
	AvgAcceleratedPLT     float64
}

// accelPart holds each site's data acceleration report, by site id; guarded
// by store.mu. A real server measures it; tests set it with
// SetDataAccelerationReport.
type accelPart struct {
	bySite map[string][]DataAccelerationRecord
}

// SetDataAccelerationReport sets what Get Data Acceleration Report answers
// for the site with that content URL ("" is the Default site), replacing
// the records set before. Counts must not be negative, times must be
// finite and not negative.
func (s *Server) SetDataAccelerationReport(siteContentURL string, records ...DataAccelerationRecord) error {
	for i, r := range records {
		if r.SheetURI == "" {
			return fmt.Errorf("tableautest: SetDataAccelerationReport: record %d has no SheetURI", i)
		}
		if r.UnacceleratedSessions < 0 || r.AcceleratedSessions < 0 {
			return fmt.Errorf("tableautest: SetDataAccelerationReport: record %d has a negative session count", i)
		}
		for _, f := range []float64{r.AvgNonAcceleratedPLT, r.AvgAcceleratedPLT} {
			if f < 0 || math.IsNaN(f) || math.IsInf(f, 0) {
				return fmt.Errorf("tableautest: SetDataAccelerationReport: record %d has a page load time of %v", i, f)
			}
		}
	}
	s.store.mu.Lock()
	defer s.store.mu.Unlock()
	site := s.store.sites.byContentURL(siteContentURL)
	if site == nil {
		return errors.New("tableautest: SetDataAccelerationReport: no site with content URL " + strconv.Quote(siteContentURL))
	}
	s.store.accel.bySite[site.ID] = append([]DataAccelerationRecord(nil), records...)
	return nil
}

func (s *Server) routesDataAcceleration(rt *router) {
	rt.site("GET", "dataAccelerationReport", "", s.getDataAccelerationReport)
}

// getDataAccelerationReport answers Get Data Acceleration Report (API 3.8,
// administrators only): <dataAccelerationReport><comparisonRecords>
// <comparisonRecord site sheetURI .../>.
func (s *Server) getDataAccelerationReport(w http.ResponseWriter, r *http.Request, sess session) {
	if !s.requireSiteAdmin(w, r, sess) {
		return
	}
	s.store.mu.RLock()
	recs := s.store.accel.bySite[sess.siteID]
	siteName := ""
	if site := s.store.sites.byID[sess.siteID]; site != nil {
		siteName = site.Name
	}
	s.store.mu.RUnlock()
	list := newElem("comparisonRecords")
	f := func(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) }
	for _, rec := range recs {
		list.add(newElem("comparisonRecord").set("site", siteName).set("sheetURI", rec.SheetURI).
			set("unacceleratedSessionCount", strconv.Itoa(rec.UnacceleratedSessions)).
			set("averageNonAcceleratedPLT", f(rec.AvgNonAcceleratedPLT)).
			set("acceleratedSessionCount", strconv.Itoa(rec.AcceleratedSessions)).
			set("averageAcceleratedPLT", f(rec.AvgAcceleratedPLT)))
	}
	writeXML(w, r, http.StatusOK, newElem("dataAccelerationReport").add(list))
}
