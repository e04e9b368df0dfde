package rest

import (
	"context"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/tableau-go/sdk/tableau"
)

// VirtualConnection is a virtual connection (API 3.18): shared connections
// and tables defined by a JSON document.
type VirtualConnection struct {
	ID                string     `xml:"id,attr"`
	Name              string     `xml:"name,attr"`
	IsCertified       bool       `xml:"isCertified,attr"`
	CertificationNote string     `xml:"certificationNote,attr"`
	WebpageURL        string     `xml:"webpageUrl,attr"`
	CreatedAt         time.Time  `xml:"createdAt,attr"`
	UpdatedAt         time.Time  `xml:"updatedAt,attr"`
	Project           ProjectRef `xml:"project"`
	Owner             Owner      `xml:"owner"`
	Tags              []Tag      `xml:"tags>tag"`
	// Content is the JSON definition (filled by Get).
	Content string `xml:"content"`
}

// VirtualConnectionConnection is a database connection of a virtual connection.
type VirtualConnectionConnection struct {
	ID       string `xml:"connectionId,attr"`
	DBClass  string `xml:"dbClass,attr"`
	Server   string `xml:"server,attr"`
	Port     string `xml:"port,attr"`
	UserName string `xml:"userName,attr"`
}

// VirtualConnectionsService manages virtual connections. c.VirtualConnections.
type VirtualConnectionsService struct{ service }

type vcList struct {
	Pagination tableau.Pagination  `xml:"pagination"`
	VCs        []VirtualConnection `xml:"virtualConnections>virtualConnection"`
}

type vcResponse struct {
	VC *VirtualConnection `xml:"virtualConnection"`
}

// List returns a pager over the site's virtual connections.
func (sv *VirtualConnectionsService) List(opts *tableau.ListOptions) *tableau.Pager[VirtualConnection] {
	path, err := sv.sitePath("VirtualConnections.List", "virtualConnections")
	if err != nil {
		return tableau.ErrorPager[VirtualConnection](err)
	}
	return tableau.PagedList(sv.s, path, opts, func(r *vcList) ([]VirtualConnection, tableau.Pagination) {
		return r.VCs, r.Pagination
	})
}

func (sv *VirtualConnectionsService) send(ctx context.Context, m, method string, body any, elem ...string) (*VirtualConnection, error) {
	return sendOne(ctx, sv.service, m, method, "virtualConnection", body, func(r *vcResponse) *VirtualConnection { return r.VC }, elem...)
}

// Get returns the virtual connection with id and its JSON definition.
func (sv *VirtualConnectionsService) Get(ctx context.Context, id string) (*VirtualConnection, error) {
	const m = "VirtualConnections.Get"
	if err := need(m, "id", id); err != nil {
		return nil, err
	}
	return sv.send(ctx, m, "GET", nil, "virtualConnections", id)
}

// VirtualConnectionPublish describes a virtual connection to publish.
type VirtualConnectionPublish struct {
	Name      string // required
	ProjectID string // required
	// OwnerID owns it. Default: the signed-in user.
	OwnerID string
	// Content is the JSON definition; required and checked to be JSON.
	Content string
	// Overwrite replaces the definition of a virtual connection of the
	// same name in the project, as a new revision. Default: false (a name
	// clash fails with tableau.ErrConflict).
	Overwrite bool
}

type vcRequest struct {
	XMLName xml.Name `xml:"tsRequest"`
	VC      struct {
		Name              *string `xml:"name,attr,omitempty"`
		IsCertified       *string `xml:"isCertified,attr,omitempty"`
		CertificationNote *string `xml:"certificationNote,attr,omitempty"`
		Project           *idElem `xml:"project,omitempty"`
		Owner             *idElem `xml:"owner,omitempty"`
		Content           *string `xml:"content,omitempty"`
	} `xml:"virtualConnection"`
}

// Publish publishes a virtual connection.
func (sv *VirtualConnectionsService) Publish(ctx context.Context, in VirtualConnectionPublish) (*VirtualConnection, error) {
	const m = "VirtualConnections.Publish"
	if strings.TrimSpace(in.Name) == "" {
		return nil, fmt.Errorf("rest.%s: %w: Name is empty", m, tableau.ErrInvalidArgument)
	}
	if err := need(m, "ProjectID", in.ProjectID); err != nil {
		return nil, err
	}
	if !json.Valid([]byte(in.Content)) {
		return nil, fmt.Errorf("rest.%s: %w: Content is not JSON", m, tableau.ErrInvalidArgument)
	}
	var req vcRequest
	req.VC.Name, req.VC.Project, req.VC.Content = strp(in.Name), &idElem{ID: in.ProjectID}, strp(in.Content)
	if in.OwnerID != "" {
		req.VC.Owner = &idElem{ID: in.OwnerID}
	}
	if in.Overwrite {
		path, err := sv.sitePath(m, "virtualConnections")
		if err != nil {
			return nil, err
		}
		var r vcResponse
		if err := sv.s.Post(ctx, path, url.Values{"overwrite": {"true"}}, req, &r); err != nil {
			return nil, err
		}
		if r.VC == nil {
			return nil, fmt.Errorf("rest.%s: the response has no <virtualConnection>", m)
		}
		return r.VC, nil
	}
	return sv.send(ctx, m, "POST", req, "virtualConnections")
}

// VirtualConnectionUpdate changes a virtual connection; nil fields stay.
type VirtualConnectionUpdate struct {
	Name, CertificationNote *string
	Certified               *bool
	ProjectID, OwnerID      *string
}

// Update changes the virtual connection with id.
func (sv *VirtualConnectionsService) Update(ctx context.Context, id string, in VirtualConnectionUpdate) (*VirtualConnection, error) {
	const m = "VirtualConnections.Update"
	if err := need(m, "id", id); err != nil {
		return nil, err
	}
	var req vcRequest
	req.VC.Name, req.VC.CertificationNote = in.Name, in.CertificationNote
	if in.Certified != nil {
		req.VC.IsCertified = boolStrp(*in.Certified)
	}
	if in.ProjectID != nil {
		req.VC.Project = &idElem{ID: *in.ProjectID}
	}
	if in.OwnerID != nil {
		req.VC.Owner = &idElem{ID: *in.OwnerID}
	}
	return sv.send(ctx, m, "PUT", req, "virtualConnections", id)
}

// Delete deletes the virtual connection with id.
func (sv *VirtualConnectionsService) Delete(ctx context.Context, id string) error {
	const m = "VirtualConnections.Delete"
	if err := need(m, "id", id); err != nil {
		return err
	}
	path, err := sv.sitePath(m, "virtualConnections", id)
	if err != nil {
		return err
	}
	return sv.s.Delete(ctx, path, nil)
}

// Connections returns the database connections of a virtual connection.
func (sv *VirtualConnectionsService) Connections(ctx context.Context, id string) ([]VirtualConnectionConnection, error) {
	const m = "VirtualConnections.Connections"
	if err := need(m, "id", id); err != nil {
		return nil, err
	}
	path, err := sv.sitePath(m, "virtualConnections", id, "connections")
	if err != nil {
		return nil, err
	}
	type list struct {
		Pagination tableau.Pagination            `xml:"pagination"`
		Conns      []VirtualConnectionConnection `xml:"virtualConnectionConnections>connection"`
	}
	return tableau.PagedList(sv.s, path, nil, func(r *list) ([]VirtualConnectionConnection, tableau.Pagination) {
		return r.Conns, r.Pagination
	}).Collect(ctx)
}

// UpdateConnection changes a database connection of a virtual connection.
func (sv *VirtualConnectionsService) UpdateConnection(ctx context.Context, id, connectionID string, in ConnectionUpdate) (*VirtualConnectionConnection, error) {
	const m = "VirtualConnections.UpdateConnection"
	if err := need(m, "id", id); err != nil {
		return nil, err
	}
	if err := need(m, "connectionID", connectionID); err != nil {
		return nil, err
	}
	path, err := sv.sitePath(m, "virtualConnections", id, "connections", connectionID, "modify")
	if err != nil {
		return nil, err
	}
	var r struct {
		Conn *VirtualConnectionConnection `xml:"connection"`
	}
	if err := sv.s.Put(ctx, path, nil, connectionRequest(in), &r); err != nil {
		return nil, err
	}
	if r.Conn == nil {
		return nil, fmt.Errorf("rest.%s: the response has no <connection>", m)
	}
	return r.Conn, nil
}

// Download returns the JSON definition of the virtual connection with id
// (API 3.23), what TSC's download writes.
func (sv *VirtualConnectionsService) Download(ctx context.Context, id string) (json.RawMessage, error) {
	const m = "VirtualConnections.Download"
	if err := need(m, "id", id); err != nil {
		return nil, err
	}
	if err := sv.s.RequireVersion("rest."+m, "3.23"); err != nil {
		return nil, err
	}
	vc, err := sv.send(ctx, m, "GET", nil, "virtualConnections", id)
	if err != nil {
		return nil, err
	}
	return vcJSON(m, vc.Content)
}

func vcJSON(m, content string) (json.RawMessage, error) {
	if !json.Valid([]byte(content)) {
		return nil, fmt.Errorf("rest.%s: the virtual connection's content is not JSON", m)
	}
	return json.RawMessage(content), nil
}

// Revisions returns a pager over the published revisions of the virtual
// connection with id, oldest first (API 3.23).
func (sv *VirtualConnectionsService) Revisions(id string, opts *tableau.ListOptions) *tableau.Pager[Revision] {
	const m = "VirtualConnections.Revisions"
	if err := sv.s.RequireVersion("rest."+m, "3.23"); err != nil {
		return tableau.ErrorPager[Revision](err)
	}
	return sv.revisions(m, "virtualConnections", id, opts)
}

// DownloadRevision returns the JSON definition of revision n of the
// virtual connection with id (API 3.23).
func (sv *VirtualConnectionsService) DownloadRevision(ctx context.Context, id string, n int) (json.RawMessage, error) {
	const m = "VirtualConnections.DownloadRevision"
	if err := need(m, "id", id); err != nil {
		return nil, err
	}
	if n < 1 {
		return nil, fmt.Errorf("rest.%s: %w: revision number %d is not 1 or more", m, tableau.ErrInvalidArgument, n)
	}
	if err := sv.s.RequireVersion("rest."+m, "3.23"); err != nil {
		return nil, err
	}
	vc, err := sv.send(ctx, m, "GET", nil, "virtualConnections", id, "revisions", strconv.Itoa(n))
	if err != nil {
		return nil, err
	}
	return vcJSON(m, vc.Content)
}
