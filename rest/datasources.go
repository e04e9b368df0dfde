package rest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/tableau-go/sdk/tableau"
)

// Datasource is a published datasource.
type Datasource struct {
	ID                string     `xml:"id,attr"`
	Name              string     `xml:"name,attr"`
	Description       string     `xml:"description,attr"`
	ContentURL        string     `xml:"contentUrl,attr"`
	WebpageURL        string     `xml:"webpageUrl,attr"`
	Type              string     `xml:"type,attr"` // the connection class, for example "postgres" or "hyper"
	IsCertified       bool       `xml:"isCertified,attr"`
	CertificationNote string     `xml:"certificationNote,attr"`
	HasExtracts       bool       `xml:"hasExtracts,attr"`
	EncryptExtracts   string     `xml:"encryptExtracts,attr"`
	Size              int64      `xml:"size,attr"` // megabytes, as the server reports
	CreatedAt         time.Time  `xml:"createdAt,attr"`
	UpdatedAt         time.Time  `xml:"updatedAt,attr"`
	Project           ProjectRef `xml:"project"`
	Owner             Owner      `xml:"owner"`
	Tags              []Tag      `xml:"tags>tag"`
}

// TagLabels returns the datasource's tags.
func (d *Datasource) TagLabels() []string { return labels(d.Tags) }

// DatasourcesService publishes, lists, downloads and refreshes datasources
// and updates the data of published extracts. c.Datasources.
type DatasourcesService struct{ service }

type datasourceResponse struct {
	Datasource *Datasource `xml:"datasource"`
}

const datasourcesPath = "datasources"

// List returns a pager over the site's datasources. Filter and sort fields
// include name, contentUrl, createdAt, updatedAt, ownerName, projectName,
// tags, type, isCertified, hasExtracts and size.
func (sv *DatasourcesService) List(opts *tableau.ListOptions) *tableau.Pager[Datasource] {
	return fastList[Datasource](sv.service, "Datasources.List", opts, "datasources", "datasource", datasourcesPath)
}

// Get returns a datasource.
func (sv *DatasourcesService) Get(ctx context.Context, id string) (*Datasource, error) {
	const m = "Datasources.Get"
	path, err := sv.itemPath(m, datasourcesPath, id)
	if err != nil {
		return nil, err
	}
	var resp datasourceResponse
	if err := sv.s.Get(ctx, path, nil, &resp); err != nil {
		return nil, err
	}
	if resp.Datasource == nil {
		return nil, fmt.Errorf("rest.%s: the response has no datasource", m)
	}
	return resp.Datasource, nil
}

// GetByName returns the datasource named name in a project (projectID ""
// for any project: the first found). It fails with tableau.ErrNotFound.
func (sv *DatasourcesService) GetByName(ctx context.Context, name, projectID string) (*Datasource, error) {
	const m = "Datasources.GetByName"
	if err := need(m, "name", name); err != nil {
		return nil, err
	}
	var filters []tableau.Filter
	if !strings.ContainsAny(name, ",&") {
		filters = append(filters, tableau.Eq("name", name))
	}
	for ds, err := range sv.List(&tableau.ListOptions{Filters: filters, PageSize: tableau.MaxPageSize}).All(ctx) {
		if err != nil {
			return nil, err
		}
		if ds.Name == name && (projectID == "" || ds.Project.ID == projectID) {
			return &ds, nil
		}
	}
	return nil, fmt.Errorf("rest.%s: datasource %q: %w", m, name, tableau.ErrNotFound)
}

// Publish publishes a .tds, .tdsx or .hyper read from r (see
// PublishOptions: Name, ProjectID and FileName are required). Large files
// go through an upload session in chunks.
func (sv *DatasourcesService) Publish(ctx context.Context, r io.Reader, opts *PublishOptions) (*Datasource, error) {
	resp, err := sv.publish(ctx, "Datasources.Publish", datasourceKind, r, opts, false)
	if err != nil {
		return nil, err
	}
	if resp.Datasource == nil {
		return nil, fmt.Errorf("rest.Datasources.Publish: the response has no datasource")
	}
	return resp.Datasource, nil
}

// PublishAsJob is Publish with asJob=true; it returns the job.
func (sv *DatasourcesService) PublishAsJob(ctx context.Context, r io.Reader, opts *PublishOptions) (*Job, error) {
	resp, err := sv.publish(ctx, "Datasources.PublishAsJob", datasourceKind, r, opts, true)
	if err != nil {
		return nil, err
	}
	if resp.Job == nil {
		return nil, fmt.Errorf("rest.Datasources.PublishAsJob: the response has no job")
	}
	return resp.Job.job(), nil
}

// PublishFile publishes the datasource file at path (see
// WorkbooksService.PublishFile for the defaults).
func (sv *DatasourcesService) PublishFile(ctx context.Context, path string, opts *PublishOptions) (*Datasource, error) {
	f, o, err := openForPublish("Datasources.PublishFile", path, opts)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return sv.Publish(ctx, f, o)
}

// Download writes the datasource's file to w.
func (sv *DatasourcesService) Download(ctx context.Context, id string, w io.Writer, opts *DownloadOptions) (*Download, error) {
	return sv.download(ctx, "Datasources.Download", datasourcesPath, id, w, opts)
}

// DownloadFile downloads the datasource to path (or into the directory
// path) and returns the file's path; the file appears only once complete.
func (sv *DatasourcesService) DownloadFile(ctx context.Context, id, path string, opts *DownloadOptions) (string, error) {
	p, _, err := toFile("Datasources.DownloadFile", path, id+".tdsx", func(w io.Writer) (*Download, error) {
		return sv.Download(ctx, id, w, opts)
	})
	return p, err
}

// DatasourceUpdate changes a datasource; nil fields stay as they are.
type DatasourceUpdate struct {
	Name              *string
	Description       *string
	ProjectID         *string
	OwnerID           *string
	IsCertified       *bool
	CertificationNote *string
}

// Update changes a datasource's name, description, project, owner or certification.
func (sv *DatasourcesService) Update(ctx context.Context, id string, u DatasourceUpdate) (*Datasource, error) {
	const m = "Datasources.Update"
	if u.Name != nil && strings.TrimSpace(*u.Name) == "" {
		return nil, fmt.Errorf("rest.%s: %w: Name is empty", m, tableau.ErrInvalidArgument)
	}
	path, err := sv.itemPath(m, datasourcesPath, id)
	if err != nil {
		return nil, err
	}
	req := struct {
		XMLName    xml.Name `xml:"tsRequest"`
		Datasource struct {
			Name              *string `xml:"name,attr,omitempty"`
			Description       *string `xml:"description,attr,omitempty"`
			IsCertified       *bool   `xml:"isCertified,attr,omitempty"`
			CertificationNote *string `xml:"certificationNote,attr,omitempty"`
			Project           *idElem `xml:"project,omitempty"`
			Owner             *idElem `xml:"owner,omitempty"`
		} `xml:"datasource"`
	}{}
	d := &req.Datasource
	d.Name, d.Description, d.IsCertified, d.CertificationNote = u.Name, u.Description, u.IsCertified, u.CertificationNote
	if u.ProjectID != nil {
		d.Project = &idElem{ID: *u.ProjectID}
	}
	if u.OwnerID != nil {
		d.Owner = &idElem{ID: *u.OwnerID}
	}
	var resp datasourceResponse
	if err := sv.s.Put(ctx, path, nil, &req, &resp); err != nil {
		return nil, err
	}
	if resp.Datasource == nil {
		return nil, fmt.Errorf("rest.%s: the response has no datasource", m)
	}
	return resp.Datasource, nil
}

// Delete deletes a datasource.
func (sv *DatasourcesService) Delete(ctx context.Context, id string) error {
	path, err := sv.itemPath("Datasources.Delete", datasourcesPath, id)
	if err != nil {
		return err
	}
	return sv.s.Delete(ctx, path, nil)
}

// Refresh starts a refresh of the datasource's extract (full, or
// incremental with opts.Incremental) and returns the job.
func (sv *DatasourcesService) Refresh(ctx context.Context, id string, opts *RefreshOptions) (*Job, error) {
	return sv.refresh(ctx, "Datasources.Refresh", datasourcesPath, id, opts)
}

// Connections returns the datasource's connections.
func (sv *DatasourcesService) Connections(ctx context.Context, id string) ([]Connection, error) {
	return sv.itemConnections(ctx, "Datasources.Connections", datasourcesPath, id)
}

// UpdateConnection changes a connection's server, port, user name,
// password or embedding.
func (sv *DatasourcesService) UpdateConnection(ctx context.Context, id, connectionID string, u ConnectionUpdate) (*Connection, error) {
	return sv.updateConnection(ctx, "Datasources.UpdateConnection", datasourcesPath, id, connectionID, u)
}

// UpdateConnections changes the authentication type, user name, password
// or embedding of several of the datasource's connections in one request
// (API 3.26) and returns them.
func (sv *DatasourcesService) UpdateConnections(ctx context.Context, id string, connectionIDs []string, u ConnectionsUpdate) ([]Connection, error) {
	return sv.updateConnections(ctx, "Datasources.UpdateConnections", datasourcesPath, id, connectionIDs, u)
}

// AddTags adds tags and returns the datasource's tags.
func (sv *DatasourcesService) AddTags(ctx context.Context, id string, tags ...string) ([]string, error) {
	return sv.addTags(ctx, "Datasources.AddTags", datasourcesPath, id, tags)
}

// DeleteTag removes a tag.
func (sv *DatasourcesService) DeleteTag(ctx context.Context, id, tag string) error {
	return sv.deleteTag(ctx, "Datasources.DeleteTag", datasourcesPath, id, tag)
}

// Revisions returns a pager over the datasource's revisions.
func (sv *DatasourcesService) Revisions(id string, opts *tableau.ListOptions) *tableau.Pager[Revision] {
	return sv.revisions("Datasources.Revisions", datasourcesPath, id, opts)
}

// DownloadRevision writes revision n of the datasource to w.
func (sv *DatasourcesService) DownloadRevision(ctx context.Context, id string, n int, w io.Writer, progress Progress) (*Download, error) {
	return sv.downloadRevision(ctx, "Datasources.DownloadRevision", datasourcesPath, id, n, w, progress)
}

// DeleteRevision removes revision n's file (not the current revision).
func (sv *DatasourcesService) DeleteRevision(ctx context.Context, id string, n int) error {
	return sv.deleteRevision(ctx, "Datasources.DeleteRevision", datasourcesPath, id, n)
}

// UpdateAction is one action of [DatasourcesService.UpdateData]: insert,
// update, upsert, delete or replace rows of a table of the published
// extract, usually from a table of the uploaded .hyper file.
type UpdateAction struct {
	Action       string `json:"action"` // insert, update, upsert, delete or replace
	TargetSchema string `json:"target-schema,omitempty"`
	TargetTable  string `json:"target-table"`
	SourceSchema string `json:"source-schema,omitempty"`
	SourceTable  string `json:"source-table,omitempty"`
	// Condition is the row condition of update, upsert and delete, as the
	// REST API's JSON expression, for example
	// {"op":"eq","target-col":"id","source-col":"id"}.
	Condition any `json:"condition,omitempty"`
}

// UpdateDataOptions configure [DatasourcesService.UpdateData].
type UpdateDataOptions struct {
	// RequestID makes the request idempotent: the server answers a repeated
	// RequestID with the first request's job. Default: a random id.
	RequestID string
	// Upload configures the upload of the .hyper file. Default: nil.
	Upload *UploadOptions
}

// UpdateData changes the rows of a published extract: it uploads the .hyper
// file read from r (nil when no action reads a source table) through an
// upload session, then sends the actions, and returns the job that applies
// them.
func (sv *DatasourcesService) UpdateData(ctx context.Context, id string, r io.Reader, actions []UpdateAction, opts *UpdateDataOptions) (*Job, error) {
	const m = "Datasources.UpdateData"
	if len(actions) == 0 {
		return nil, fmt.Errorf("rest.%s: %w: no actions", m, tableau.ErrInvalidArgument)
	}
	needsFile := false
	for i, a := range actions {
		switch a.Action {
		case "insert", "replace":
			if a.SourceTable == "" {
				return nil, fmt.Errorf("rest.%s: %w: action %d (%s) needs a SourceTable", m, tableau.ErrInvalidArgument, i, a.Action)
			}
		case "update", "upsert", "delete":
			if a.Condition == nil {
				return nil, fmt.Errorf("rest.%s: %w: action %d (%s) needs a Condition", m, tableau.ErrInvalidArgument, i, a.Action)
			}
		default:
			return nil, fmt.Errorf("rest.%s: %w: action %d: %q is not insert, update, upsert, delete or replace", m, tableau.ErrInvalidArgument, i, a.Action)
		}
		if a.TargetTable == "" {
			return nil, fmt.Errorf("rest.%s: %w: action %d has no TargetTable", m, tableau.ErrInvalidArgument, i)
		}
		needsFile = needsFile || a.SourceTable != ""
	}
	if needsFile && r == nil {
		return nil, fmt.Errorf("rest.%s: %w: an action reads a source table but no .hyper file was given", m, tableau.ErrInvalidArgument)
	}
	path, err := sv.itemPath(m, datasourcesPath, id, "data")
	if err != nil {
		return nil, err
	}
	body, err := json.Marshal(map[string]any{"actions": actions})
	if err != nil {
		return nil, fmt.Errorf("rest.%s: encoding the actions: %w", m, err)
	}
	o := UpdateDataOptions{}
	if opts != nil {
		o = *opts
	}
	if o.RequestID == "" {
		var b [16]byte
		rand.Read(b[:]) //nolint:errcheck // never fails
		o.RequestID = hex.EncodeToString(b[:])
	}
	q := url.Values{}
	if r != nil {
		id, err := (&FileUploadsService{sv.service}).Upload(ctx, r, o.Upload)
		if err != nil {
			return nil, err
		}
		q.Set("uploadSessionId", id)
	}
	req := &tableau.Request{
		Method: http.MethodPatch, Path: path, Query: q, ContentType: "application/json",
		Header:  http.Header{"RequestID": {o.RequestID}},
		GetBody: tableau.BytesBody(body), ContentLength: int64(len(body)),
		// The RequestID makes a repeat safe.
		Idempotent: true,
	}
	var resp jobResponse
	if err := sv.s.Do(ctx, req, &resp); err != nil {
		return nil, err
	}
	if resp.Job == nil {
		return nil, fmt.Errorf("rest.%s: the response has no job", m)
	}
	return resp.Job.job(), nil
}
