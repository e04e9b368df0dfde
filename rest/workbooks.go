package rest

import (
	"context"
	"encoding/xml"
	"fmt"
	"io"
	"net/url"
	"strings"
	"time"

	"github.com/tableau-go/sdk/tableau"
)

// Workbook is a published workbook.
type Workbook struct {
	ID              string     `xml:"id,attr"`
	Name            string     `xml:"name,attr"`
	Description     string     `xml:"description,attr"`
	ContentURL      string     `xml:"contentUrl,attr"`
	WebpageURL      string     `xml:"webpageUrl,attr"`
	ShowTabs        bool       `xml:"showTabs,attr"`
	Size            int64      `xml:"size,attr"` // megabytes, as the server reports
	CreatedAt       time.Time  `xml:"createdAt,attr"`
	UpdatedAt       time.Time  `xml:"updatedAt,attr"`
	EncryptExtracts string     `xml:"encryptExtracts,attr"`
	DefaultViewID   string     `xml:"defaultViewId,attr"`
	Project         ProjectRef `xml:"project"`
	Owner           Owner      `xml:"owner"`
	Tags            []Tag      `xml:"tags>tag"`
	// Views are filled by Get (not by List): id, name and content URL.
	Views []View `xml:"views>view"`
}

// TagLabels returns the workbook's tags.
func (w *Workbook) TagLabels() []string { return labels(w.Tags) }

// WorkbooksService publishes, lists, downloads, refreshes and exports
// workbooks. c.Workbooks.
type WorkbooksService struct{ service }

type workbookResponse struct {
	Workbook *Workbook `xml:"workbook"`
}

const workbooksPath = "workbooks"

// List returns a pager over the site's workbooks. Filter and sort fields
// include name, contentUrl, createdAt, updatedAt, ownerName, projectName,
// tags, showTabs and size; for example tableau.Eq("projectName", "Finance").
func (sv *WorkbooksService) List(opts *tableau.ListOptions) *tableau.Pager[Workbook] {
	return fastList[Workbook](sv.service, "Workbooks.List", opts, "workbooks", "workbook", workbooksPath)
}

// Get returns a workbook with its views.
func (sv *WorkbooksService) Get(ctx context.Context, id string) (*Workbook, error) {
	const m = "Workbooks.Get"
	path, err := sv.itemPath(m, workbooksPath, id)
	if err != nil {
		return nil, err
	}
	var resp workbookResponse
	if err := sv.s.Get(ctx, path, nil, &resp); err != nil {
		return nil, err
	}
	if resp.Workbook == nil {
		return nil, fmt.Errorf("rest.%s: the response has no workbook", m)
	}
	return resp.Workbook, nil
}

// GetByName returns the workbook named name in a project (projectID "" for
// any project: the first found). It fails with tableau.ErrNotFound.
func (sv *WorkbooksService) GetByName(ctx context.Context, name, projectID string) (*Workbook, error) {
	const m = "Workbooks.GetByName"
	if err := need(m, "name", name); err != nil {
		return nil, err
	}
	var filters []tableau.Filter
	if !strings.ContainsAny(name, ",&") {
		filters = append(filters, tableau.Eq("name", name))
	}
	for wb, err := range sv.List(&tableau.ListOptions{Filters: filters, PageSize: tableau.MaxPageSize}).All(ctx) {
		if err != nil {
			return nil, err
		}
		if wb.Name == name && (projectID == "" || wb.Project.ID == projectID) {
			return &wb, nil
		}
	}
	return nil, fmt.Errorf("rest.%s: workbook %q: %w", m, name, tableau.ErrNotFound)
}

// Publish publishes a .twb or .twbx read from r (see PublishOptions:
// Name, ProjectID and FileName are required). Files of ChunkThreshold or
// more, or of unknown size, go through an upload session in chunks; memory
// stays flat whatever the size.
func (sv *WorkbooksService) Publish(ctx context.Context, r io.Reader, opts *PublishOptions) (*Workbook, error) {
	resp, err := sv.publish(ctx, "Workbooks.Publish", workbookKind, r, opts, false)
	if err != nil {
		return nil, err
	}
	if resp.Workbook == nil {
		return nil, fmt.Errorf("rest.Workbooks.Publish: the response has no workbook")
	}
	return resp.Workbook, nil
}

// PublishAsJob is Publish with asJob=true: the server publishes in the
// background and returns the job (wait for it with c.Jobs.Wait; the job's
// WorkbookID names the workbook).
func (sv *WorkbooksService) PublishAsJob(ctx context.Context, r io.Reader, opts *PublishOptions) (*Job, error) {
	resp, err := sv.publish(ctx, "Workbooks.PublishAsJob", workbookKind, r, opts, true)
	if err != nil {
		return nil, err
	}
	if resp.Job == nil {
		return nil, fmt.Errorf("rest.Workbooks.PublishAsJob: the response has no job")
	}
	return resp.Job.job(), nil
}

// PublishFile publishes the workbook file at path. opts may be nil or
// leave Name (default: the file name without extension) and FileName
// empty; ProjectID is required.
func (sv *WorkbooksService) PublishFile(ctx context.Context, path string, opts *PublishOptions) (*Workbook, error) {
	f, o, err := openForPublish("Workbooks.PublishFile", path, opts)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return sv.Publish(ctx, f, o)
}

// Download writes the workbook's file (.twb or .twbx) to w.
func (sv *WorkbooksService) Download(ctx context.Context, id string, w io.Writer, opts *DownloadOptions) (*Download, error) {
	return sv.download(ctx, "Workbooks.Download", workbooksPath, id, w, opts)
}

// DownloadFile downloads the workbook to path (or into path under the
// server's file name when path is a directory) and returns the file's
// path. The file appears only once complete.
func (sv *WorkbooksService) DownloadFile(ctx context.Context, id, path string, opts *DownloadOptions) (string, error) {
	p, _, err := toFile("Workbooks.DownloadFile", path, id+".twbx", func(w io.Writer) (*Download, error) {
		return sv.Download(ctx, id, w, opts)
	})
	return p, err
}

// WorkbookUpdate changes a workbook; nil fields stay as they are.
type WorkbookUpdate struct {
	Name        *string
	Description *string
	ShowTabs    *bool
	ProjectID   *string
	OwnerID     *string
}

// Update changes a workbook's name, description, tabs, project or owner.
func (sv *WorkbooksService) Update(ctx context.Context, id string, u WorkbookUpdate) (*Workbook, error) {
	const m = "Workbooks.Update"
	if u.Name != nil && strings.TrimSpace(*u.Name) == "" {
		return nil, fmt.Errorf("rest.%s: %w: Name is empty", m, tableau.ErrInvalidArgument)
	}
	path, err := sv.itemPath(m, workbooksPath, id)
	if err != nil {
		return nil, err
	}
	req := struct {
		XMLName  xml.Name `xml:"tsRequest"`
		Workbook struct {
			Name        *string `xml:"name,attr,omitempty"`
			Description *string `xml:"description,attr,omitempty"`
			ShowTabs    *bool   `xml:"showTabs,attr,omitempty"`
			Project     *idElem `xml:"project,omitempty"`
			Owner       *idElem `xml:"owner,omitempty"`
		} `xml:"workbook"`
	}{}
	w := &req.Workbook
	w.Name, w.Description, w.ShowTabs = u.Name, u.Description, u.ShowTabs
	if u.ProjectID != nil {
		w.Project = &idElem{ID: *u.ProjectID}
	}
	if u.OwnerID != nil {
		w.Owner = &idElem{ID: *u.OwnerID}
	}
	var resp workbookResponse
	if err := sv.s.Put(ctx, path, nil, &req, &resp); err != nil {
		return nil, err
	}
	if resp.Workbook == nil {
		return nil, fmt.Errorf("rest.%s: the response has no workbook", m)
	}
	return resp.Workbook, nil
}

// Delete deletes a workbook.
func (sv *WorkbooksService) Delete(ctx context.Context, id string) error {
	path, err := sv.itemPath("Workbooks.Delete", workbooksPath, id)
	if err != nil {
		return err
	}
	return sv.s.Delete(ctx, path, nil)
}

// Refresh starts a refresh of the workbook's extracts (full, or incremental
// with opts.Incremental) and returns the job.
func (sv *WorkbooksService) Refresh(ctx context.Context, id string, opts *RefreshOptions) (*Job, error) {
	return sv.refresh(ctx, "Workbooks.Refresh", workbooksPath, id, opts)
}

// Connections returns the workbook's data connections.
func (sv *WorkbooksService) Connections(ctx context.Context, id string) ([]Connection, error) {
	return sv.itemConnections(ctx, "Workbooks.Connections", workbooksPath, id)
}

// UpdateConnection changes a connection's server, port, user name,
// password or embedding.
func (sv *WorkbooksService) UpdateConnection(ctx context.Context, id, connectionID string, u ConnectionUpdate) (*Connection, error) {
	return sv.updateConnection(ctx, "Workbooks.UpdateConnection", workbooksPath, id, connectionID, u)
}

// UpdateConnections changes the authentication type, user name, password
// or embedding of several of the workbook's connections in one request
// (API 3.26) and returns them.
func (sv *WorkbooksService) UpdateConnections(ctx context.Context, id string, connectionIDs []string, u ConnectionsUpdate) ([]Connection, error) {
	return sv.updateConnections(ctx, "Workbooks.UpdateConnections", workbooksPath, id, connectionIDs, u)
}

// AddTags adds tags and returns the workbook's tags.
func (sv *WorkbooksService) AddTags(ctx context.Context, id string, tags ...string) ([]string, error) {
	return sv.addTags(ctx, "Workbooks.AddTags", workbooksPath, id, tags)
}

// DeleteTag removes a tag.
func (sv *WorkbooksService) DeleteTag(ctx context.Context, id, tag string) error {
	return sv.deleteTag(ctx, "Workbooks.DeleteTag", workbooksPath, id, tag)
}

// Revisions returns a pager over the workbook's revisions.
func (sv *WorkbooksService) Revisions(id string, opts *tableau.ListOptions) *tableau.Pager[Revision] {
	return sv.revisions("Workbooks.Revisions", workbooksPath, id, opts)
}

// DownloadRevision writes revision n of the workbook to w.
func (sv *WorkbooksService) DownloadRevision(ctx context.Context, id string, n int, w io.Writer, progress Progress) (*Download, error) {
	return sv.downloadRevision(ctx, "Workbooks.DownloadRevision", workbooksPath, id, n, w, progress)
}

// DeleteRevision removes revision n's file (not the current revision).
func (sv *WorkbooksService) DeleteRevision(ctx context.Context, id string, n int) error {
	return sv.deleteRevision(ctx, "Workbooks.DeleteRevision", workbooksPath, id, n)
}

// Views returns the workbook's views; usage adds their view counts.
func (sv *WorkbooksService) Views(ctx context.Context, id string, usage bool) ([]View, error) {
	const m = "Workbooks.Views"
	path, err := sv.itemPath(m, workbooksPath, id, "views")
	if err != nil {
		return nil, err
	}
	q := url.Values{}
	if usage {
		q.Set("includeUsageStatistics", "true")
	}
	var resp viewList
	if err := sv.s.Get(ctx, path, q, &resp); err != nil {
		return nil, err
	}
	return resp.Views, nil
}

// PreviewImage writes the workbook's thumbnail (PNG) to w.
func (sv *WorkbooksService) PreviewImage(ctx context.Context, id string, w io.Writer) error {
	const m = "Workbooks.PreviewImage"
	path, err := sv.itemPath(m, workbooksPath, id, "previewImage")
	if err != nil {
		return err
	}
	_, err = sv.fetchTo(ctx, m, path, nil, w, nil)
	return err
}

// PDF writes the workbook as a PDF (one page per sheet) to w.
func (sv *WorkbooksService) PDF(ctx context.Context, id string, w io.Writer, opts *PDFOptions) error {
	const m = "Workbooks.PDF"
	q, err := opts.query()
	if err != nil {
		return fmt.Errorf("rest.%s: %w", m, err)
	}
	path, err := sv.itemPath(m, workbooksPath, id, "pdf")
	if err != nil {
		return err
	}
	_, err = sv.fetchTo(ctx, m, path, q, w, nil)
	return err
}

// PowerPoint writes the workbook as a PowerPoint presentation (.pptx) to w.
func (sv *WorkbooksService) PowerPoint(ctx context.Context, id string, w io.Writer, maxAgeMinutes int) error {
	const m = "Workbooks.PowerPoint"
	if maxAgeMinutes < 0 {
		return fmt.Errorf("rest.%s: %w: maxAge %d is negative", m, tableau.ErrInvalidArgument, maxAgeMinutes)
	}
	path, err := sv.itemPath(m, workbooksPath, id, "powerpoint")
	if err != nil {
		return err
	}
	q := url.Values{}
	if maxAgeMinutes > 0 {
		q.Set("maxAge", fmt.Sprint(maxAgeMinutes))
	}
	_, err = sv.fetchTo(ctx, m, path, q, w, nil)
	return err
}
