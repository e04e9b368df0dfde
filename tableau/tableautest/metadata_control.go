package tableautest

import (
	"encoding/json"
	"net/http"
	"time"
)

// metadataControlPath is where Tableau Server serves the Metadata API's
// control endpoints (the Backfill and Eventing APIs), for server
// administrators.
const metadataControlPath = "/api/metadata/v1/control"

// routesMetadataControl registers the Backfill and Eventing APIs. The
// emulator indexes content the moment it changes, so the initial
// ingestion is always complete and the indexing queue always empty.
func (s *Server) routesMetadataControl(rt *router) {
	rt.mux.HandleFunc("GET "+metadataControlPath+"/eventing/status", s.adminJSON(s.eventingStatus))
	rt.mux.HandleFunc("GET "+metadataControlPath+"/backfill/status", s.adminJSON(s.backfillStatus))
}

// adminJSON serves a server administrator's JSON answer.
func (s *Server) adminJSON(answer func() any) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		sess, aerr := s.authenticate(r, "")
		if aerr != nil {
			writeError(w, r, aerr)
			return
		}
		if !s.requireServerAdmin(w, r, sess) {
			return
		}
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(answer())
	}
}

// eventingStatus is the Eventing API's answer: the content type indexed
// last (the newest published or changed workbook or datasource), an empty
// queue, and when that item was indexed.
func (s *Server) eventingStatus() any {
	s.store.mu.RLock()
	defer s.store.mu.RUnlock()
	kind, at := "Workbook", s.started
	var newest time.Time
	for _, it := range s.store.content.items {
		if it.Updated.After(newest) {
			newest = it.Updated
			kind = "Workbook"
			if it.kind == resDatasource {
				kind = "PublishedDatasource"
			}
		}
	}
	if !newest.IsZero() {
		at = newest
	}
	return map[string]any{"contentType": kind, "queueSize": 0, "checkpointCreatedTime": at.UTC().Format("2006-01-02T15:04:05.000Z")}
}

// backfillStatus is the Backfill API's answer for a finished initial
// ingestion: its summary fields (the per-content-type details a real
// server adds while content is being indexed are not emulated).
func (s *Server) backfillStatus() any {
	return map[string]any{"backfillComplete": true, "contentBackfillTotalDurationSeconds": 0, "lineageBackfillTotalDurationSeconds": 0}
}
