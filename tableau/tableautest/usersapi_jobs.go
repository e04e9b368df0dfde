package tableautest

import (
	"encoding/csv"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"
)

// govJob is an asynchronous job started by a governance resource (user
// import, user deletion, Active Directory group import, run-now of a task or
// a flow). The emulator runs them to completion before answering, so a job
// is already finished when the client first asks about it.
type govJob struct {
	ID, SiteID, Type string
	Created, Started time.Time
	Completed        time.Time
	FinishCode       int // 0 success, 1 failure, 2 cancelled
	Notes            []jobNote
	// Target of a refresh or flow run, rendered as a child element.
	TargetKind, TargetID, TargetName string
}

// jobNote is one <statusNote>, for example a CSV line that was refused.
type jobNote struct {
	Type, Value, Text string
}

// addGovJob stores a finished governance job in the content part's job
// store, the one store Query Job, Get Jobs and Cancel Job read, so
// c.Jobs.Get and c.Jobs.Wait see user imports and deletions and group
// imports like refreshes. Callers hold store.mu for writing.
func (st *store) addGovJob(j *govJob) *govJob {
	j.ID = newID()
	cp := &st.content
	cp.init()
	cp.jobs[j.ID] = &job{ID: j.ID, SiteID: j.SiteID, Type: j.Type, Created: j.Created, Started: j.Created, Priority: 50,
		finished: true, Ended: j.Completed, FinishCode: j.FinishCode, gov: j}
	cp.jorder[j.SiteID] = append(cp.jorder[j.SiteID], cp.jobs[j.ID])
	return j
}

func govJobElem(j govJob) *elem {
	e := newElem("job").
		set("id", j.ID).
		set("mode", "Asynchronous").
		set("type", j.Type).
		set("progress", "100").
		set("createdAt", formatTime(j.Created)).
		set("startedAt", formatTime(j.Started)).
		set("completedAt", formatTime(j.Completed)).
		set("finishCode", strconv.Itoa(j.FinishCode))
	if len(j.Notes) > 0 {
		notes := newElem("statusNotes")
		for _, n := range j.Notes {
			notes.add(newElem("statusNote").set("type", n.Type).set("value", n.Value).set("text", n.Text))
		}
		e.add(notes)
	}
	return e
}

// maxCSVBytes bounds the CSV files of user import and deletion.
const maxCSVBytes = 10 << 20

// readMultipart returns the parts of a multipart request by form name.
func readMultipart(r *http.Request) (map[string][]byte, *apiError) {
	parts, _, aerr := readMultipartNamed(r)
	return parts, aerr
}

// readMultipartNamed returns the parts of a multipart request and their
// file names, by form name.
func readMultipartNamed(r *http.Request) (map[string][]byte, map[string]string, *apiError) {
	return readMultipartLimited(r, maxCSVBytes, "The CSV file is larger than 10 MB.")
}

// readMultipartLimited is readMultipartNamed with parts of at most limit
// bytes (and all of them at most 2*limit); tooLarge is the 413 detail.
func readMultipartLimited(r *http.Request, limit int, tooLarge string) (map[string][]byte, map[string]string, *apiError) {
	mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil || !strings.HasPrefix(mt, "multipart/") {
		return nil, nil, errBadRequest("The request must be multipart/mixed or multipart/form-data.")
	}
	mr, err := r.MultipartReader()
	if err != nil {
		return nil, nil, errBadRequest(fmt.Sprintf("The multipart body cannot be read: %v.", err))
	}
	parts := map[string][]byte{}
	names := map[string]string{}
	total := 0
	for {
		p, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, nil, errBadRequest(fmt.Sprintf("The multipart body cannot be read: %v.", err))
		}
		// Tableau documents `name="..."` without a disposition type; TSC
		// sends form-data: partNames reads both.
		name, fileName := partNames(p)
		b, err := io.ReadAll(io.LimitReader(p, int64(limit)+1))
		if err != nil {
			return nil, nil, errBadRequest(fmt.Sprintf("The part '%s' cannot be read: %v.", name, err))
		}
		total += len(b)
		if len(b) > limit || total > 2*limit {
			return nil, nil, newAPIError(http.StatusRequestEntityTooLarge, "413000", "Payload Too Large", tooLarge)
		}
		parts[name] = b
		names[name] = fileName
	}
	return parts, names, nil
}

// importRequest is the request_payload of Import Users to Site from CSV.
type importRequest struct {
	Users []struct {
		Name        string `xml:"name,attr"`
		AuthSetting string `xml:"authSetting,attr"`
	} `xml:"user"`
}

// csvSiteRole derives a site role from the license, administrator and
// publishing columns of Tableau's user CSV format.
func csvSiteRole(license, admin, publish string) (string, error) {
	license, admin = strings.ToLower(strings.TrimSpace(license)), strings.ToLower(strings.TrimSpace(admin))
	// Publishing capability: yes, true or 1 (Tableau's CSV guidelines; TSC writes 1 and 0).
	pub := slices.Contains([]string{"yes", "true", "1"}, strings.ToLower(strings.TrimSpace(publish)))
	switch admin {
	case "system":
		return "ServerAdministrator", nil
	case "site":
		switch license {
		case "creator", "":
			return "SiteAdministratorCreator", nil
		case "explorer":
			return "SiteAdministratorExplorer", nil
		}
		return "", fmt.Errorf("license level %q cannot be a site administrator", license)
	case "none", "":
	default:
		return "", fmt.Errorf("administrator level %q is not System, Site or None", admin)
	}
	switch license {
	case "creator":
		return "Creator", nil
	case "explorer":
		if pub {
			return "ExplorerCanPublish", nil
		}
		return "Explorer", nil
	case "viewer":
		return "Viewer", nil
	case "unlicensed", "":
		return "Unlicensed", nil
	}
	return "", fmt.Errorf("license level %q is not Creator, Explorer, Viewer or Unlicensed", license)
}

// importUsersCSV runs Import Users to Site from CSV: the part
// tableau_user_import holds rows of user name, password, display name,
// license level, administrator level, publishing (yes/no, true/false,
// 1/0), email and, optionally, auth setting; the optional request_payload
// also sets each user's authSetting. Existing users
// are updated. Lines that cannot be imported become status notes of the
// job, whose finish code is then 1.
func (s *Server) importUsersCSV(w http.ResponseWriter, r *http.Request, sess session) {
	if !s.requireSiteAdmin(w, r, sess) {
		return
	}
	parts, aerr := readMultipart(r)
	if aerr != nil {
		writeError(w, r, aerr)
		return
	}
	data, ok := parts["tableau_user_import"]
	if !ok {
		writeError(w, r, errBadRequest("The request has no tableau_user_import part with the CSV file."))
		return
	}
	auth := map[string]string{}
	if p, ok := parts["request_payload"]; ok && len(strings.TrimSpace(string(p))) > 0 {
		var req importRequest
		if err := xml.Unmarshal(p, &req); err != nil {
			writeError(w, r, errBadRequest(fmt.Sprintf("The request_payload is not a valid tsRequest document: %v.", err)))
			return
		}
		for _, u := range req.Users {
			if u.AuthSetting != "" {
				if aerr := checkAuthSetting(u.AuthSetting); aerr != nil {
					writeError(w, r, aerr)
					return
				}
			}
			auth[strings.ToLower(u.Name)] = u.AuthSetting
		}
	}
	cr := csv.NewReader(strings.NewReader(string(data)))
	cr.FieldsPerRecord = -1
	cr.TrimLeadingSpace = true
	now := s.now()
	s.store.mu.Lock()
	job := &govJob{SiteID: sess.siteID, Type: "UserImport", Created: now, Started: now}
	line := 0
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		line++
		if err != nil {
			job.Notes = append(job.Notes, jobNote{Type: "Error", Value: strconv.Itoa(line), Text: fmt.Sprintf("line %d: %v", line, err)})
			continue
		}
		if len(rec) == 0 || (len(rec) == 1 && strings.TrimSpace(rec[0]) == "") {
			continue
		}
		if err := s.importUserRow(sess, rec, auth); err != nil {
			job.Notes = append(job.Notes, jobNote{Type: "Error", Value: strconv.Itoa(line), Text: fmt.Sprintf("line %d: %v", line, err)})
		}
	}
	s.store.gov.groups.syncAllUsers(s.store, sess.siteID)
	if len(job.Notes) > 0 {
		job.FinishCode = 1
	}
	job.Completed = s.now()
	out := *s.store.addGovJob(job)
	s.store.mu.Unlock()
	writeXML(w, r, http.StatusAccepted, govJobElem(out))
}

// importUserRow adds or updates the user of one CSV row. Callers hold store.mu.
func (s *Server) importUserRow(sess session, rec []string, auth map[string]string) error {
	for len(rec) < 8 {
		rec = append(rec, "")
	}
	name := localName(strings.TrimSpace(rec[0]))
	if name == "" {
		return errors.New("the user name (column 1) is empty")
	}
	role, err := csvSiteRole(rec[3], rec[4], rec[5])
	if err != nil {
		return err
	}
	if role == "ServerAdministrator" && !s.isServerAdminLocked(sess) {
		return errors.New("only server administrators may import server administrators")
	}
	email := strings.TrimSpace(rec[6])
	if email != "" && !validEmail(email) {
		return fmt.Errorf("the email address %q is not valid", email)
	}
	u := s.store.users.byName(sess.siteID, name)
	if u == nil {
		u = s.store.users.add(sess.siteID, name, role, s.now())
	} else {
		u.SiteRole = role
	}
	info := s.store.gov.info(u.ID)
	info.Domain, _ = splitDomain(name)
	if v := strings.TrimSpace(rec[1]); v != "" {
		info.Password = v
	}
	if v := strings.TrimSpace(rec[2]); v != "" {
		info.FullName = v
	}
	if email != "" {
		info.Email = email
	}
	if a := strings.TrimSpace(rec[7]); a != "" {
		if aerr := checkAuthSetting(a); aerr != nil {
			return errors.New(aerr.detail)
		}
		info.AuthSetting = a
	}
	if a := auth[strings.ToLower(name)]; a != "" {
		info.AuthSetting = a
	}
	return nil
}

// deleteUsersCSV runs Delete Users from Site with CSV: the part
// tableau_user_delete holds one user name per line. Users who own content
// are not removed (their role becomes Unlicensed) and become status notes.
func (s *Server) deleteUsersCSV(w http.ResponseWriter, r *http.Request, sess session) {
	if !s.requireSiteAdmin(w, r, sess) {
		return
	}
	parts, aerr := readMultipart(r)
	if aerr != nil {
		writeError(w, r, aerr)
		return
	}
	data, ok := parts["tableau_user_delete"]
	if !ok {
		writeError(w, r, errBadRequest("The request has no tableau_user_delete part with the CSV file."))
		return
	}
	cr := csv.NewReader(strings.NewReader(string(data)))
	cr.FieldsPerRecord = -1
	now := s.now()
	var events []event
	s.store.mu.Lock()
	job := &govJob{SiteID: sess.siteID, Type: "UserDelete", Created: now, Started: now}
	line := 0
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		line++
		note := func(text string) {
			job.Notes = append(job.Notes, jobNote{Type: "Error", Value: strconv.Itoa(line), Text: fmt.Sprintf("line %d: %s", line, text)})
		}
		if err != nil {
			note(err.Error())
			continue
		}
		if len(rec) == 0 || strings.TrimSpace(rec[0]) == "" {
			continue
		}
		name := localName(strings.TrimSpace(rec[0]))
		u := s.store.users.byName(sess.siteID, name)
		switch {
		case u == nil:
			note(fmt.Sprintf("no user named %q on this site", name))
		case u.ID == sess.userID:
			note("a user cannot remove itself")
		case s.store.ownedCount(sess.siteID, u.ID) > 0:
			u.SiteRole = "Unlicensed"
			note(fmt.Sprintf("user %q owns content; its site role is now Unlicensed", name))
		default:
			events = append(events, event{SiteID: sess.siteID, Type: eventUserDeleted, ResourceType: "user", ResourceID: u.ID, ResourceName: u.Name})
			s.store.deleteUser(u.ID)
		}
	}
	if len(job.Notes) > 0 {
		job.FinishCode = 1
	}
	job.Completed = s.now()
	out := *s.store.addGovJob(job)
	s.store.mu.Unlock()
	for _, e := range events {
		s.emit(e)
	}
	writeXML(w, r, http.StatusAccepted, govJobElem(out))
}

// localName drops the "local\" domain prefix TSC writes for local users.
func localName(name string) string {
	if d, n, ok := strings.Cut(name, `\`); ok && strings.EqualFold(d, "local") {
		return n
	}
	return name
}
