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
	_, needsFile, err = parseActions(body)
	return needsFile, err
}

// parseActions validates the JSON actions document, returns its actions
// and reports whether an action reads from the uploaded file.
func parseActions(body []byte) (actions []updateAction, needsFile bool, err error) {
	var doc struct {
		Actions []updateAction `json:"actions"`
	}
	if err := json.Unmarshal(body, &doc); err != nil {
		return nil, false, detailf("The body is not a JSON document like {\"actions\": [...]}: %v.", err)
	}
	if len(doc.Actions) == 0 {
		return nil, false, detailf("The actions list is empty.")
	}
	for i, a := range doc.Actions {
		if !slices.Contains(updateActions, a.Action) {
			return nil, false, detailf("Action %d: '%s' is not one of insert, update, upsert, delete, replace.", i, a.Action)
		}
		if a.TargetTable == "" {
			return nil, false, detailf("Action %d (%s) has no target-table.", i, a.Action)
		}
		switch a.Action {
		case "insert", "replace":
			if a.SourceTable == "" {
				return nil, false, detailf("Action %d (%s) needs a source-table.", i, a.Action)
			}
		case "update", "upsert", "delete":
			if len(a.Condition) == 0 || string(a.Condition) == "null" {
				return nil, false, detailf("Action %d (%s) needs a condition.", i, a.Action)
			}
		}
		if a.SourceTable != "" {
			needsFile = true
		}
	}
	return doc.Actions, needsFile, nil
}

// updateData starts an UpdateUploadedFile job that applies the actions
// (insert, update, upsert, delete, replace) to the stored extract, a bare
// .hyper or the .hyper inside a .tdsx, with the uploaded .hyper as the
// source: in order, in one transaction, all or none. The work runs in
// hyperd (found like everywhere in the SDK: HYPERD_PATH, the install
// script's cache, a pip-installed tableauhyperapi, PATH) outside store.mu;
// the new bytes replace the current revision's content when the job
// succeeds, so a download returns the updated extract. A failing action
// fails the job with a note naming the action's index and the reason, and
// leaves the content unchanged; without hyperd every such job fails with a
// note saying the emulator needs hyperd. Updates of one datasource run one
// after the other. A repeated RequestID returns the first request's job.
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
	actions, needsFile, err := parseActions(body)
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
	var started *job
	var prev chan struct{}
	var source *blob
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
			source = data
		}
		// The update waits for the previous unfinished update of the
		// same datasource, so updates apply in the order they came.
		jobs := s.store.content.jorder[sess.siteID]
		for i := len(jobs) - 1; i >= 0; i-- {
			if p := jobs[i]; p.Type == jobUpdateData && p.resID == it.ID && !p.finished && p.done != nil {
				prev = p.done
				break
			}
		}
		j := &job{SiteID: sess.siteID, Type: jobUpdateData, resKind: resDatasource, resID: it.ID, resName: it.Name,
			requestID: reqID, busy: true, done: make(chan struct{})}
		s.startJob(j)
		started = j
		return snapJob(j, j.Created), nil
	}()
	s.store.mu.Unlock()
	if started != nil {
		go s.runUpdateData(started, prev, actions, source)
	}
	if aerr != nil {
		writeError(w, r, aerr)
		return
	}
	writeXML(w, r, http.StatusAccepted, jobStartedElem(js))
}
