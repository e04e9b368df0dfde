package rest

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/xml"
	"fmt"
	"mime/multipart"
	"net/textproto"
	"strings"
	"time"

	"github.com/tableau-go/sdk/tableau"
)

// BulkJob is the server-side job of a bulk operation (users imported or
// removed with a CSV file, an Active Directory group imported, a task run
// now). The server may answer with a job that is already complete; if not,
// follow it with the jobs service until CompletedAt is set.
type BulkJob struct {
	ID          string    `xml:"id,attr"`
	Mode        string    `xml:"mode,attr"`
	Type        string    `xml:"type,attr"`
	Progress    int       `xml:"progress,attr"`
	FinishCode  int       `xml:"finishCode,attr"` // 0 success, 1 failed, 2 cancelled (once complete)
	CreatedAt   time.Time `xml:"createdAt,attr"`
	StartedAt   time.Time `xml:"startedAt,attr"`
	CompletedAt time.Time `xml:"completedAt,attr"` // zero while the job runs
	Notes       []JobNote `xml:"statusNotes>statusNote"`
}

// JobNote is one status note of a job, such as a CSV line the server refused.
type JobNote struct {
	Type  string `xml:"type,attr"`
	Value string `xml:"value,attr"`
	Text  string `xml:"text,attr"`
}

// Done reports whether the job has completed.
func (j *BulkJob) Done() bool { return !j.CompletedAt.IsZero() }

// Succeeded reports whether the job completed without errors.
func (j *BulkJob) Succeeded() bool { return j.Done() && j.FinishCode == 0 }

type bulkJobResponse struct {
	Job *BulkJob `xml:"job"`
}

// UserImport is one user of [UsersService.Import]. Tableau's CSV format
// has license, administrator and publishing columns; Import derives them
// from SiteRole.
type UserImport struct {
	Name     string // required
	SiteRole string // required: one of SiteRoles except ReadOnly
	Password string // for local authentication; never logged
	FullName string
	Email    string
	// AuthSetting of the user. Default: ServerDefault.
	AuthSetting string
}

// csvColumns returns the license level, administrator level and publishing
// columns of Tableau's user CSV format for a site role.
func csvColumns(role string) (license, admin, publish string, ok bool) {
	switch role {
	case RoleCreator:
		return "Creator", "None", "yes", true
	case RoleExplorer:
		return "Explorer", "None", "no", true
	case RoleExplorerCanPublish:
		return "Explorer", "None", "yes", true
	case RoleSiteAdministratorCreator:
		return "Creator", "Site", "yes", true
	case RoleSiteAdministratorExplorer:
		return "Explorer", "Site", "yes", true
	case RoleServerAdministrator:
		return "Creator", "System", "yes", true
	case RoleViewer:
		return "Viewer", "None", "no", true
	case RoleUnlicensed:
		return "Unlicensed", "None", "no", true
	}
	return "", "", "", false
}

type importPayload struct {
	XMLName xml.Name           `xml:"tsRequest"`
	Users   []importPayloadRow `xml:"user"`
}

type importPayloadRow struct {
	Name        string `xml:"name,attr"`
	AuthSetting string `xml:"authSetting,attr"`
}

// mpPart is one part of a multipart request.
type mpPart struct {
	name, filename, contentType string
	data                        []byte
}

// multipartMixed encodes parts as multipart/mixed, as the REST API's
// uploads want them.
func multipartMixed(parts ...mpPart) ([]byte, string, error) {
	var b bytes.Buffer
	w := multipart.NewWriter(&b)
	for _, p := range parts {
		h := textproto.MIMEHeader{}
		d := fmt.Sprintf("form-data; name=%q", p.name)
		if p.filename != "" {
			d += fmt.Sprintf("; filename=%q", p.filename)
		}
		h.Set("Content-Disposition", d)
		h.Set("Content-Type", p.contentType)
		pw, err := w.CreatePart(h)
		if err != nil {
			return nil, "", err
		}
		if _, err := pw.Write(p.data); err != nil {
			return nil, "", err
		}
	}
	if err := w.Close(); err != nil {
		return nil, "", err
	}
	return b.Bytes(), "multipart/mixed; boundary=" + w.Boundary(), nil
}

// postMultipart sends a multipart body and decodes the answer's job.
func (sv service) postJob(ctx context.Context, m, path string, parts ...mpPart) (*BulkJob, error) {
	body, ct, err := multipartMixed(parts...)
	if err != nil {
		return nil, fmt.Errorf("rest.%s: encoding the request: %w", m, err)
	}
	var r bulkJobResponse
	req := &tableau.Request{Method: methodPost, Path: path, GetBody: tableau.BytesBody(body), ContentLength: int64(len(body)), ContentType: ct}
	if err := sv.s.Do(ctx, req, &r); err != nil {
		return nil, err
	}
	if r.Job == nil {
		return nil, fmt.Errorf("rest.%s: the response has no <job>", m)
	}
	return r.Job, nil
}

// Import adds or updates users in bulk with Tableau's CSV import (API
// 3.15): one request, one server-side job. Every row is checked before the
// request; the first bad row fails the call with its index. The job's
// notes list the rows the server refused.
func (sv *UsersService) Import(ctx context.Context, users []UserImport) (*BulkJob, error) {
	const m = "Users.Import"
	if len(users) == 0 {
		return nil, fmt.Errorf("rest.%s: %w: no users", m, tableau.ErrInvalidArgument)
	}
	var buf bytes.Buffer
	cw := csv.NewWriter(&buf)
	payload := importPayload{}
	seen := map[string]bool{}
	for i, u := range users {
		if strings.TrimSpace(u.Name) == "" {
			return nil, fmt.Errorf("rest.%s: %w: user %d has no name", m, tableau.ErrInvalidArgument, i)
		}
		if strings.ContainsAny(u.Name, "\r\n") {
			return nil, fmt.Errorf("rest.%s: %w: user %d: name %q contains a line break", m, tableau.ErrInvalidArgument, i, u.Name)
		}
		key := strings.ToLower(u.Name)
		if seen[key] {
			return nil, fmt.Errorf("rest.%s: %w: user %q appears twice", m, tableau.ErrInvalidArgument, u.Name)
		}
		seen[key] = true
		lic, adm, pub, ok := csvColumns(u.SiteRole)
		if !ok {
			return nil, fmt.Errorf("rest.%s: %w: user %q: site role %q cannot be imported (one of %s except ReadOnly)", m, tableau.ErrInvalidArgument, u.Name, u.SiteRole, strings.Join(SiteRoles, ", "))
		}
		if u.Email != "" && !ValidEmail(u.Email) {
			return nil, fmt.Errorf("rest.%s: %w: user %q: email %q is not an email address", m, tableau.ErrInvalidArgument, u.Name, u.Email)
		}
		auth := u.AuthSetting
		if auth == "" {
			auth = AuthServerDefault
		}
		if err := checkAuth(m, auth); err != nil {
			return nil, err
		}
		if err := cw.Write([]string{u.Name, u.Password, u.FullName, lic, adm, pub, u.Email}); err != nil {
			return nil, fmt.Errorf("rest.%s: writing CSV: %w", m, err)
		}
		payload.Users = append(payload.Users, importPayloadRow{Name: u.Name, AuthSetting: auth})
	}
	cw.Flush()
	x, err := xml.Marshal(payload)
	if err != nil {
		return nil, fmt.Errorf("rest.%s: encoding the request: %w", m, err)
	}
	path, err := sv.sitePath(m, "users", "import")
	if err != nil {
		return nil, err
	}
	return sv.postJob(ctx, m, path,
		mpPart{name: "tableau_user_import", filename: "users.csv", contentType: "file", data: buf.Bytes()},
		mpPart{name: "request_payload", contentType: "text/xml", data: x})
}

// RemoveByName removes users by name in bulk with Tableau's CSV deletion
// (API 3.15): one request, one server-side job. Users who own content are
// not removed (the server makes them Unlicensed and notes it in the job).
func (sv *UsersService) RemoveByName(ctx context.Context, names []string) (*BulkJob, error) {
	const m = "Users.RemoveByName"
	if len(names) == 0 {
		return nil, fmt.Errorf("rest.%s: %w: no users", m, tableau.ErrInvalidArgument)
	}
	var buf bytes.Buffer
	cw := csv.NewWriter(&buf)
	for i, n := range names {
		if strings.TrimSpace(n) == "" || strings.ContainsAny(n, "\r\n") {
			return nil, fmt.Errorf("rest.%s: %w: name %d (%q) is empty or has a line break", m, tableau.ErrInvalidArgument, i, n)
		}
		if err := cw.Write([]string{n}); err != nil {
			return nil, fmt.Errorf("rest.%s: writing CSV: %w", m, err)
		}
	}
	cw.Flush()
	path, err := sv.sitePath(m, "users", "delete")
	if err != nil {
		return nil, err
	}
	return sv.postJob(ctx, m, path, mpPart{name: "tableau_user_delete", filename: "users.csv", contentType: "file", data: buf.Bytes()})
}
