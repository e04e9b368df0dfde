package tableautest

import (
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strconv"
	"strings"
)

// publishPayload is the request_payload part of a publish request.
type publishPayload struct {
	XMLName xml.Name
	Item    *publishItem `xml:",any"`
}

type publishItem struct {
	XMLName     xml.Name
	Name        string  `xml:"name,attr"`
	Description string  `xml:"description,attr"`
	ShowTabs    *string `xml:"showTabs,attr"`
	Project     *struct {
		ID string `xml:"id,attr"`
	} `xml:"project"`
	Credentials *publishCreds `xml:"connectionCredentials"`
	Connections []struct {
		ServerAddress string        `xml:"serverAddress,attr"`
		ServerPort    string        `xml:"serverPort,attr"`
		Credentials   *publishCreds `xml:"connectionCredentials"`
	} `xml:"connections>connection"`
}

type publishCreds struct {
	Name     string `xml:"name,attr"`
	Password string `xml:"password,attr"`
	Embed    string `xml:"embed,attr"`
}

func publishError(detail string) *apiError {
	return newAPIError(http.StatusBadRequest, codePublishFailed, "Bad Request", detail)
}

// publishParams are the query parameters of a publish request.
type publishParams struct {
	overwrite, asJob, skipCheck, appendData bool
	uploadID, fileType                      string
}

func parsePublishParams(r *http.Request, kind resKind) (publishParams, *apiError) {
	q := r.URL.Query()
	var p publishParams
	for _, b := range []struct {
		name string
		dst  *bool
	}{{"overwrite", &p.overwrite}, {"asJob", &p.asJob}, {"skipConnectionCheck", &p.skipCheck}, {"append", &p.appendData}} {
		if v := q.Get(b.name); v != "" {
			x, err := strconv.ParseBool(v)
			if err != nil {
				return p, errBadRequest(fmt.Sprintf("The %s parameter '%s' is not true or false.", b.name, v))
			}
			*b.dst = x
		}
	}
	if p.overwrite && p.appendData {
		return p, errBadRequest("The overwrite and append parameters cannot both be true.")
	}
	p.uploadID = q.Get("uploadSessionId")
	p.fileType = strings.ToLower(q.Get(kind.String() + "Type"))
	if p.fileType != "" && !slices.Contains(fileTypes[kind], p.fileType) {
		return p, publishError(fmt.Sprintf("The %sType '%s' is not one of %s.", kind, p.fileType, strings.Join(fileTypes[kind], ", ")))
	}
	return p, nil
}

// publish handles Publish Workbook and Publish Data Source: a multipart/mixed
// body with a request_payload part and a tableau_workbook (tableau_datasource)
// file part, or only the payload with ?uploadSessionId=.
func (s *Server) publish(kind resKind) sessionHandler {
	return func(w http.ResponseWriter, r *http.Request, sess session) {
		p, aerr := parsePublishParams(r, kind)
		if aerr != nil {
			writeError(w, r, aerr)
			return
		}
		mr, aerr := mixedReader(r)
		if aerr != nil {
			writeError(w, r, aerr)
			return
		}
		var payload *publishItem
		var data *blob
		fileName := ""
		filePart := "tableau_" + kind.String()
		for {
			part, err := mr.NextPart()
			if err == io.EOF {
				break
			}
			if err != nil {
				writeError(w, r, errBadRequest(fmt.Sprintf("The multipart body is malformed: %v.", err)))
				return
			}
			name, fn := partNames(part)
			switch name {
			case "request_payload":
				var doc publishPayload
				if err := xml.NewDecoder(io.LimitReader(part, 1<<20)).Decode(&doc); err != nil {
					writeError(w, r, errBadRequest(fmt.Sprintf("The request_payload part is not a valid tsRequest document: %v.", err)))
					return
				}
				if doc.Item == nil || doc.Item.XMLName.Local != kind.String() {
					writeError(w, r, errBadRequest(fmt.Sprintf("The request_payload part has no %s element.", kind)))
					return
				}
				payload = doc.Item
			case filePart:
				if p.uploadID != "" {
					writeError(w, r, errBadRequest("A publish with uploadSessionId must not carry a file part."))
					return
				}
				fileName = fn
				if data, err = readBlob(part, maxSinglePublish); err != nil {
					detail := fmt.Sprintf("The file part could not be read: %v.", err)
					if errors.Is(err, errTooLarge) {
						detail = "A file larger than 64 MB must be published through an upload session (fileUploads)."
					}
					writeError(w, r, publishError(detail))
					return
				}
			default:
				writeError(w, r, errBadRequest(fmt.Sprintf("The multipart body has a part named '%s'; want request_payload and %s.", name, filePart)))
				return
			}
		}
		if payload == nil {
			writeError(w, r, errBadRequest("The multipart body has no request_payload part."))
			return
		}
		s.finishPublish(w, r, sess, kind, p, payload, data, fileName)
	}
}

// finishPublish validates the publish and stores the item (or starts a job).
func (s *Server) finishPublish(w http.ResponseWriter, r *http.Request, sess session, kind resKind, p publishParams, in *publishItem, data *blob, fileName string) {
	if strings.TrimSpace(in.Name) == "" {
		writeError(w, r, errBadRequest(fmt.Sprintf("The %s element needs a name attribute.", kind)))
		return
	}
	if in.Project == nil || in.Project.ID == "" {
		writeError(w, r, errBadRequest(fmt.Sprintf("The %s element needs a project element with an id.", kind)))
		return
	}
	fileType := p.fileType
	if p.uploadID == "" {
		if data == nil {
			writeError(w, r, errBadRequest(fmt.Sprintf("The multipart body has no tableau_%s part and no uploadSessionId was given.", kind)))
			return
		}
		ext := fileExt(fileName)
		if !slices.Contains(fileTypes[kind], ext) {
			writeError(w, r, publishError(fmt.Sprintf("The file '%s' is not a %s: its extension must be one of .%s.", fileName, kind, strings.Join(fileTypes[kind], ", ."))))
			return
		}
		if fileType != "" && fileType != ext {
			writeError(w, r, publishError(fmt.Sprintf("The %sType '%s' does not match the file '%s'.", kind, fileType, fileName)))
			return
		}
		fileType = ext
	} else if fileType == "" {
		writeError(w, r, publishError(fmt.Sprintf("A publish from an upload session needs the %sType parameter.", kind)))
		return
	}
	showTabs := false
	if in.ShowTabs != nil {
		v, aerr := optBool("showTabs", in.ShowTabs)
		if aerr != nil {
			writeError(w, r, aerr)
			return
		}
		showTabs = v
	}

	s.store.mu.Lock()
	if p.uploadID != "" {
		var aerr *apiError
		data, aerr = s.store.takeUpload(sess.siteID, p.uploadID)
		if aerr != nil {
			s.store.mu.Unlock()
			writeError(w, r, aerr)
			return
		}
		fileName = in.Name + "." + fileType
	}
	s.store.mu.Unlock()

	info, err := inspect(fileType, data)
	if err != nil {
		writeError(w, r, publishError(fmt.Sprintf("The %s '%s' cannot be published: %v.", kind, in.Name, err)))
		return
	}
	conns, aerr := applyPublishCredentials(info.connections, in)
	if aerr != nil {
		writeError(w, r, aerr)
		return
	}
	if !p.skipCheck {
		for _, c := range conns {
			if strings.HasSuffix(strings.ToLower(c.Server), ".invalid") {
				writeError(w, r, publishError(fmt.Sprintf("The connection to server '%s' failed the connection check; fix it or publish with skipConnectionCheck=true.", c.Server)))
				return
			}
		}
	}
	spec := publishSpec{
		kind: kind, siteID: sess.siteID, userID: sess.userID, name: in.Name, description: in.Description,
		projectID: in.Project.ID, showTabs: showTabs, fileType: fileType, fileName: fileName,
		data: data, info: info, conns: conns, overwrite: p.overwrite, appendData: p.appendData,
	}

	s.store.mu.Lock()
	if s.store.projects.get(sess.siteID, spec.projectID) == nil {
		s.store.mu.Unlock()
		writeError(w, r, errNotFound(codeProjectNotFound, "Project", spec.projectID))
		return
	}
	if p.asJob {
		spec.id = newID()
		if o := s.store.itemByName(kind, sess.siteID, spec.projectID, spec.name); o != nil {
			spec.id = o.ID
		}
		if aerr := s.store.checkPublish(&spec); aerr != nil {
			s.store.mu.Unlock()
			writeError(w, r, aerr)
			return
		}
		typ := jobPublishWorkbook
		if kind == resDatasource {
			typ = jobPublishDatasource
		}
		j := &job{SiteID: sess.siteID, Type: typ, resKind: kind, resID: spec.id, resName: spec.name}
		j.onSuccess = func(st *store) ([]event, error) {
			_, evs, aerr := st.storePublish(s, &spec)
			if aerr != nil {
				return nil, errors.New(aerr.detail)
			}
			return evs, nil
		}
		s.startJob(j)
		js := snapJob(j, j.Created)
		s.store.mu.Unlock()
		writeXML(w, r, http.StatusAccepted, jobStartedElem(js))
		return
	}
	if aerr := s.store.checkPublish(&spec); aerr != nil {
		s.store.mu.Unlock()
		writeError(w, r, aerr)
		return
	}
	e, evs, aerr := s.store.storePublish(s, &spec)
	s.store.mu.Unlock()
	if aerr != nil {
		writeError(w, r, aerr)
		return
	}
	for _, ev := range evs {
		s.emit(ev)
	}
	writeXML(w, r, http.StatusCreated, e)
}

// applyPublishCredentials sets the credentials of the payload on the file's
// connections: per connection by server address (and port), or, for a
// datasource, one connectionCredentials for all of them.
func applyPublishCredentials(fileConns []connection, in *publishItem) ([]*connection, *apiError) {
	conns := make([]*connection, len(fileConns))
	for i := range fileConns {
		c := fileConns[i]
		c.ID = newID()
		conns[i] = &c
	}
	set := func(c *connection, cr *publishCreds) *apiError {
		c.Username, c.Password = cr.Name, cr.Password
		if cr.Embed != "" {
			b, aerr := optBool("embed", &cr.Embed)
			if aerr != nil {
				return aerr
			}
			c.Embed = b
		}
		return nil
	}
	if in.Credentials != nil {
		for _, c := range conns {
			if aerr := set(c, in.Credentials); aerr != nil {
				return nil, aerr
			}
		}
	}
	for _, pc := range in.Connections {
		if pc.Credentials == nil {
			continue
		}
		matched := false
		for _, c := range conns {
			if strings.EqualFold(c.Server, pc.ServerAddress) && (pc.ServerPort == "" || pc.ServerPort == c.Port) {
				if aerr := set(c, pc.Credentials); aerr != nil {
					return nil, aerr
				}
				matched = true
			}
		}
		if !matched {
			return nil, publishError(fmt.Sprintf("The credentials for server '%s' port '%s' match no connection of the file.", pc.ServerAddress, pc.ServerPort))
		}
	}
	return conns, nil
}

// publishSpec is a validated publish.
type publishSpec struct {
	kind                  resKind
	id                    string // for publish as a job: the id the item will have
	siteID, userID        string
	name, description     string
	projectID             string
	showTabs              bool
	fileType, fileName    string
	data                  *blob
	info                  fileInfo
	conns                 []*connection
	overwrite, appendData bool
}

// checkPublish reports a name clash without overwrite. Callers hold store.mu.
func (st *store) checkPublish(sp *publishSpec) *apiError {
	o := st.itemByName(sp.kind, sp.siteID, sp.projectID, sp.name)
	if o != nil && !sp.overwrite && !sp.appendData {
		return errConflict(codeContentConflict, fmt.Sprintf("A %s named '%s' already exists in the project; publish with overwrite=true to replace it.", sp.kind, o.Name))
	}
	if sp.appendData && (o == nil || sp.fileType != "hyper") {
		return publishError("Append needs an existing datasource with a .hyper extract and a .hyper file.")
	}
	return nil
}

// storePublish creates the item or adds a revision to the existing one,
// and returns its element and events. Callers hold store.mu for writing.
func (st *store) storePublish(s *Server, sp *publishSpec) (*elem, []event, *apiError) {
	if st.projects.get(sp.siteID, sp.projectID) == nil {
		return nil, nil, errNotFound(codeProjectNotFound, "Project", sp.projectID)
	}
	if aerr := st.checkPublish(sp); aerr != nil {
		return nil, nil, aerr
	}
	now := s.now()
	it := st.itemByName(sp.kind, sp.siteID, sp.projectID, sp.name)
	created := it == nil
	if created {
		id := sp.id
		if id == "" {
			id = newID()
		}
		it = &item{
			kind: sp.kind, ID: id, SiteID: sp.siteID, ProjectID: sp.projectID, OwnerID: sp.userID,
			Name: sp.name, ContentURL: st.contentURLFor(sp.kind, sp.siteID, sp.name),
			Created: now, Encrypt: "false",
		}
		st.addItem(it)
	}
	it.Description = sp.description
	it.ShowTabs = sp.showTabs
	it.FileType = sp.fileType
	it.DSType = sp.info.dsType
	it.HasExtracts = sp.info.hasExtract
	it.Connections = sp.conns
	it.Updated = now
	data := sp.data
	if sp.appendData {
		// Appending rows to an extract: the emulator keeps the new file's bytes
		// after the old ones, so a download shows both were received.
		merged := &blob{}
		merged.appendBlob(it.current().Data)
		merged.appendBlob(sp.data)
		data = merged
	}
	rev := &revision{Number: 1, Published: now, PublisherID: sp.userID, Data: data, Size: data.size, FileName: sp.fileName}
	if n := len(it.Revisions); n > 0 {
		rev.Number = it.Revisions[n-1].Number + 1
	}
	it.Revisions = append(it.Revisions, rev)
	st.trimRevisions(it)
	if sp.kind == resWorkbook {
		st.removeViews(it)
		for _, sh := range sp.info.sheets {
			st.addView(it, &view{
				ID: newID(), SiteID: it.SiteID, WorkbookID: it.ID, Name: sh.name, URLName: urlName(sh.name),
				SheetType: sh.kind, Created: now, Updated: now,
			})
		}
	}
	typ := map[bool]map[resKind]string{
		true:  {resWorkbook: eventWorkbookCreated, resDatasource: eventDatasourceCreated},
		false: {resWorkbook: eventWorkbookUpdated, resDatasource: eventDatasourceUpdated},
	}[created][sp.kind]
	ev := contentEvent(st, typ, sp.kind, it.SiteID, it.ID, it.Name)
	return defaultFields.prune(itemElem(st.snap(it, sp.kind == resWorkbook))), []event{ev}, nil
}
