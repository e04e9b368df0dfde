package tableautest

import (
	"encoding/json"
	"fmt"
	"io"
	"mime"
	"net/http"
	"slices"
)

// routesDatasourceExtras registers what only datasources have: updating
// the data of a published extract ("Update Data in Hyper Data Source").
func (s *Server) routesDatasourceExtras(rt *router) {
	rt.site("PATCH", "datasources/{id}/data", "tableau:datasources:data:update", s.updateData)
}

// updateAction is one action of an update-data request.
type updateAction struct {
	Action       string          `json:"action"`
	TargetSchema string          `json:"target-schema"`
	TargetTable  string          `json:"target-table"`
	SourceSchema string          `json:"source-schema"`
	SourceTable  string          `json:"source-table"`
	Condition    json.RawMessage `json:"condition"`
}

var updateActions = []string{"insert", "update", "upsert", "delete", "replace"}

// checkActions validates the JSON actions document and reports whether an
// action reads from the uploaded file.
func checkActions(body []byte) (needsFile bool, err error) {
	var doc struct {
		Actions []updateAction `json:"actions"`
	}
	if err := json.Unmarshal(body, &doc); err != nil {
		return false, detailf("The body is not a JSON document like {\"actions\": [...]}: %v.", err)
	}
	if len(doc.Actions) == 0 {
		return false, detailf("The actions list is empty.")
	}
	for i, a := range doc.Actions {
		if !slices.Contains(updateActions, a.Action) {
			return false, detailf("Action %d: '%s' is not one of insert, update, upsert, delete, replace.", i, a.Action)
		}
		if a.TargetTable == "" {
			return false, detailf("Action %d (%s) has no target-table.", i, a.Action)
		}
		switch a.Action {
		case "insert", "replace":
			if a.SourceTable == "" {
				return false, detailf("Action %d (%s) needs a source-table.", i, a.Action)
			}
		case "update", "upsert", "delete":
			if len(a.Condition) == 0 || string(a.Condition) == "null" {
				return false, detailf("Action %d (%s) needs a condition.", i, a.Action)
			}
		}
		if a.SourceTable != "" {
			needsFile = true
		}
	}
	return needsFile, nil
}

// updateData starts an UpdateUploadedFile job. The emulator validates the
// actions and the uploaded .hyper file but does not apply the actions to
// the stored extract. A repeated RequestID returns the first request's job.
func (s *Server) updateData(w http.ResponseWriter, r *http.Request, sess session) {
	if mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); mt != "application/json" {
		writeError(w, r, newAPIError(http.StatusUnsupportedMediaType, codeUnsupportedMedia, "Unsupported Media Type",
			fmt.Sprintf("The Content-Type '%s' is not application/json.", r.Header.Get("Content-Type"))))
		return
	}
	reqID := r.Header.Get("RequestID")
	if reqID == "" {
		writeError(w, r, newAPIError(http.StatusBadRequest, codeBadUpdateData, "Bad Request", "The request has no RequestID header."))
		return
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, 1<<20))
	if err != nil {
		writeError(w, r, errBadRequest("The body could not be read."))
		return
	}
	needsFile, err := checkActions(body)
	if err != nil {
		writeError(w, r, newAPIError(http.StatusBadRequest, codeBadUpdateData, "Bad Request", err.Error()))
		return
	}
	uploadID := r.URL.Query().Get("uploadSessionId")
	if needsFile && uploadID == "" {
		writeError(w, r, newAPIError(http.StatusBadRequest, codeBadUpdateData, "Bad Request", "An action reads a source-table, so the request needs the uploadSessionId of an uploaded .hyper file."))
		return
	}
	id := r.PathValue("id")
	s.store.mu.Lock()
	js, aerr := func() (jobSnap, *apiError) {
		it := s.store.contentItem(resDatasource, sess.siteID, id)
		if it == nil {
			return jobSnap{}, notFoundItem(resDatasource, id)
		}
		for _, j := range s.store.content.jorder[sess.siteID] {
			if j.Type == jobUpdateData && j.requestID == reqID && j.resID == id {
				return snapJob(j, j.Created), nil
			}
		}
		if !it.HasExtracts {
			return jobSnap{}, newAPIError(http.StatusBadRequest, codeBadUpdateData, "Bad Request",
				fmt.Sprintf("The datasource '%s' is not a published extract; only extracts can be updated.", it.Name))
		}
		if uploadID != "" {
			data, aerr := s.store.takeUpload(sess.siteID, uploadID)
			if aerr != nil {
				return jobSnap{}, aerr
			}
			if _, err := inspect("hyper", data); err != nil {
				return jobSnap{}, newAPIError(http.StatusBadRequest, codeBadUpdateData, "Bad Request",
					fmt.Sprintf("The uploaded file is not a .hyper file: %v.", err))
			}
		}
		j := &job{SiteID: sess.siteID, Type: jobUpdateData, resKind: resDatasource, resID: it.ID, resName: it.Name, requestID: reqID}
		s.startJob(j)
		return snapJob(j, j.Created), nil
	}()
	s.store.mu.Unlock()
	if aerr != nil {
		writeError(w, r, aerr)
		return
	}
	writeXML(w, r, http.StatusAccepted, jobStartedElem(js))
}
