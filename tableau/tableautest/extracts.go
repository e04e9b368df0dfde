package tableautest

import (
	"fmt"
	"io"
	"net/http"
	"slices"
	"strconv"
	"strings"
)

// This file holds the extract methods of workbooks and datasources (Create
// Extracts for a Workbook, Delete Extracts from a Workbook, Create an
// Extract for a Data Source, Delete the Extract from a Data Source) and the
// encryption of a site's extracts (Encrypt, Decrypt and Reencrypt Extracts
// in a Site).

// Job types of the extract methods.
const (
	jobCreateExtract = "CreateExtract"
	jobDeleteExtract = "DeleteExtract"
)

func (s *Server) routesExtracts(rt *router) {
	for _, kind := range []resKind{resWorkbook, resDatasource} {
		p := kind.String() + "s"
		rt.site("POST", p+"/{id}/createExtract", "tableau:"+p+":update", s.createExtract(kind))
		rt.site("POST", p+"/{id}/deleteExtract", "tableau:"+p+":update", s.deleteExtract(kind))
	}
	for _, action := range []string{"encrypt", "decrypt", "reencrypt"} {
		rt.site("POST", action+"-extracts", "", s.siteExtractEncryption(action))
	}
}

// extractDatasourcesRequest is the body of the workbook extract methods:
// <datasources includeAll="true"/> or <datasources><datasource id/>...</datasources>.
type extractDatasourcesRequest struct {
	Datasources *struct {
		IncludeAll  *string `xml:"includeAll,attr"`
		Datasources []struct {
			ID string `xml:"id,attr"`
		} `xml:"datasource"`
	} `xml:"datasources"`
}

// readExtractDatasources reads the optional body of a workbook extract
// method and returns the embedded datasource ids it names (nil: all).
func readExtractDatasources(r *http.Request) ([]string, *apiError) {
	body, err := io.ReadAll(http.MaxBytesReader(nil, r.Body, 1<<20))
	if err != nil {
		return nil, errBadRequest(fmt.Sprintf("The request body could not be read: %v.", err))
	}
	if strings.TrimSpace(string(body)) == "" {
		return nil, nil
	}
	var req extractDatasourcesRequest
	r.Body = io.NopCloser(strings.NewReader(string(body)))
	if aerr := readRequest(r, &req); aerr != nil {
		return nil, aerr
	}
	d := req.Datasources
	if d == nil {
		return nil, nil
	}
	if d.IncludeAll != nil {
		all, aerr := optBool("includeAll", d.IncludeAll)
		if aerr != nil {
			return nil, aerr
		}
		if all {
			if len(d.Datasources) > 0 {
				return nil, errBadRequest("includeAll=\"true\" and a list of datasources exclude each other.")
			}
			return nil, nil
		}
	}
	if len(d.Datasources) == 0 {
		return nil, errBadRequest("The request names no datasource and does not set includeAll=\"true\".")
	}
	ids := make([]string, 0, len(d.Datasources))
	for _, x := range d.Datasources {
		if x.ID == "" {
			return nil, errBadRequest("A datasource element has no id.")
		}
		ids = append(ids, x.ID)
	}
	return ids, nil
}

// embeddedDatasourceIDs returns the ids of a workbook's embedded
// datasources, as its connections name them.
func embeddedDatasourceIDs(it *item) []string {
	var ids []string
	for _, c := range it.Connections {
		id := it.ID + "-" + urlName(c.DSName)
		if !slices.Contains(ids, id) {
			ids = append(ids, id)
		}
	}
	return ids
}

// mayChangeExtract reports whether the session may create or delete the
// item's extracts: its owner, a site or a server administrator. Callers
// hold store.mu.
func (st *store) mayChangeExtract(sess session, it *item) bool {
	return it.OwnerID == sess.userID || st.isSiteAdmin(sess)
}

// createExtract answers Create Extracts for a Workbook and Create an
// Extract for a Data Source: a job that, when it succeeds, leaves the item
// with an extract, encrypted when ?encrypt=true.
func (s *Server) createExtract(kind resKind) sessionHandler {
	return func(w http.ResponseWriter, r *http.Request, sess session) {
		encrypt := false
		if v := r.URL.Query().Get("encrypt"); v != "" {
			b, err := strconv.ParseBool(v)
			if err != nil {
				writeError(w, r, errBadRequest(fmt.Sprintf("The encrypt parameter '%s' is not true or false.", v)))
				return
			}
			encrypt = b
		}
		var ids []string
		if kind == resWorkbook {
			var aerr *apiError
			if ids, aerr = readExtractDatasources(r); aerr != nil {
				writeError(w, r, aerr)
				return
			}
		}
		s.startExtractJob(w, r, sess, kind, jobCreateExtract, ids, func(it *item) {
			it.HasExtracts = true
			it.Encrypt = strconv.FormatBool(encrypt)
		})
	}
}

// deleteExtract answers Delete Extracts from a Workbook (a job) and Delete
// the Extract from a Data Source (done at once, no body).
func (s *Server) deleteExtract(kind resKind) sessionHandler {
	return func(w http.ResponseWriter, r *http.Request, sess session) {
		if kind == resDatasource {
			id := r.PathValue("id")
			s.store.mu.Lock()
			aerr := func() *apiError {
				it := s.store.contentItem(kind, sess.siteID, id)
				if it == nil {
					return notFoundItem(kind, id)
				}
				if !s.store.mayChangeExtract(sess, it) {
					return errForbidden(fmt.Sprintf("Only the owner of the datasource '%s' or an administrator may delete its extract.", it.Name))
				}
				if !it.HasExtracts {
					return errBadRequest(fmt.Sprintf("The datasource '%s' has no extract to delete.", it.Name))
				}
				it.HasExtracts, it.Encrypt, it.Updated = false, "false", s.now()
				return nil
			}()
			s.store.mu.Unlock()
			if aerr != nil {
				writeError(w, r, aerr)
				return
			}
			writeXML(w, r, http.StatusOK)
			return
		}
		ids, aerr := readExtractDatasources(r)
		if aerr != nil {
			writeError(w, r, aerr)
			return
		}
		s.startExtractJob(w, r, sess, kind, jobDeleteExtract, ids, func(it *item) {
			it.HasExtracts, it.Encrypt = false, "false"
		})
	}
}

// startExtractJob checks the item and the datasources named, then starts
// a job that applies change to the item when it succeeds.
func (s *Server) startExtractJob(w http.ResponseWriter, r *http.Request, sess session, kind resKind, typ string, dsIDs []string, change func(*item)) {
	id := r.PathValue("id")
	s.store.mu.Lock()
	var js jobSnap
	aerr := func() *apiError {
		it := s.store.contentItem(kind, sess.siteID, id)
		if it == nil {
			return notFoundItem(kind, id)
		}
		if !s.store.mayChangeExtract(sess, it) {
			return errForbidden(fmt.Sprintf("Only the owner of the %s '%s' or an administrator may change its extracts.", kind, it.Name))
		}
		embedded := embeddedDatasourceIDs(it)
		for _, d := range dsIDs {
			if !slices.Contains(embedded, d) {
				return errNotFound(codeDatasourceNotFound, "Datasource", d)
			}
		}
		if typ == jobDeleteExtract && !it.HasExtracts {
			return errBadRequest(fmt.Sprintf("The %s '%s' has no extract to delete.", kind, it.Name))
		}
		itemID := it.ID
		j := &job{SiteID: sess.siteID, Type: typ, resKind: kind, resID: it.ID, resName: it.Name,
			onSuccess: func(st *store) ([]event, error) {
				x := st.content.items[itemID]
				if x == nil {
					return nil, fmt.Errorf("the %s was deleted while the job ran", kind)
				}
				change(x)
				x.Updated = s.now()
				return nil, nil
			}}
		s.startJob(j)
		js = snapJob(j, j.Created)
		return nil
	}()
	s.store.mu.Unlock()
	if aerr != nil {
		writeError(w, r, aerr)
		return
	}
	writeXML(w, r, http.StatusOK, jobStartedElem(js))
}

// siteExtractEncryption answers Encrypt, Decrypt and Reencrypt Extracts in
// a Site (site and server administrators): every extract of the site is
// encrypted, decrypted, or encrypted again with new keys (which changes
// nothing the REST API shows). The answer is an empty tsResponse.
func (s *Server) siteExtractEncryption(action string) sessionHandler {
	return func(w http.ResponseWriter, r *http.Request, sess session) {
		if !s.requireSiteAdmin(w, r, sess) {
			return
		}
		s.store.mu.Lock()
		now := s.now()
		for _, kind := range []resKind{resWorkbook, resDatasource} {
			for _, it := range s.store.contentItems(kind, sess.siteID) {
				if !it.HasExtracts {
					continue
				}
				switch action {
				case "encrypt":
					it.Encrypt, it.Updated = "true", now
				case "decrypt":
					it.Encrypt, it.Updated = "false", now
				}
			}
		}
		s.store.mu.Unlock()
		writeXML(w, r, http.StatusOK)
	}
}
