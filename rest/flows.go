package rest

import (
	"context"
	"encoding/xml"
	"fmt"
	"io"
	"time"

	"github.com/tableau-go/sdk/tableau"
)

// Flow is a published Tableau Prep flow.
type Flow struct {
	ID          string     `xml:"id,attr"`
	Name        string     `xml:"name,attr"`
	Description string     `xml:"description,attr"`
	WebpageURL  string     `xml:"webpageUrl,attr"`
	FileType    string     `xml:"fileType,attr"` // tfl or tflx
	CreatedAt   time.Time  `xml:"createdAt,attr"`
	UpdatedAt   time.Time  `xml:"updatedAt,attr"`
	Project     ProjectRef `xml:"project"`
	Owner       Owner      `xml:"owner"`
	Tags        []Tag      `xml:"tags>tag"`
}

// FlowConnection is a data connection of a flow.
type FlowConnection struct {
	ID            string `xml:"id,attr"`
	Type          string `xml:"type,attr"`
	ServerAddress string `xml:"serverAddress,attr"`
	ServerPort    string `xml:"serverPort,attr"`
	UserName      string `xml:"userName,attr"`
	EmbedPassword bool   `xml:"embedPassword,attr"`
}

// FlowsService manages flows. c.Flows.
type FlowsService struct{ service }

type flowList struct {
	Pagination tableau.Pagination `xml:"pagination"`
	Flows      []Flow             `xml:"flows>flow"`
}

type flowResponse struct {
	Flow *Flow `xml:"flow"`
}

// List returns a pager over the site's flows. Filter fields: name,
// projectName, ownerName, createdAt, updatedAt, tags.
func (sv *FlowsService) List(opts *tableau.ListOptions) *tableau.Pager[Flow] {
	path, err := sv.sitePath("Flows.List", "flows")
	if err != nil {
		return tableau.ErrorPager[Flow](err)
	}
	return tableau.PagedList(sv.s, path, opts, func(r *flowList) ([]Flow, tableau.Pagination) {
		return r.Flows, r.Pagination
	})
}

// Get returns the flow with id.
func (sv *FlowsService) Get(ctx context.Context, id string) (*Flow, error) {
	const m = "Flows.Get"
	if err := need(m, "id", id); err != nil {
		return nil, err
	}
	path, err := sv.sitePath(m, "flows", id)
	if err != nil {
		return nil, err
	}
	var r flowResponse
	if err := sv.s.Get(ctx, path, nil, &r); err != nil {
		return nil, err
	}
	if r.Flow == nil {
		return nil, fmt.Errorf("rest.%s: the response has no <flow>", m)
	}
	return r.Flow, nil
}

// FlowConnectionCredentials are credentials of a flow's connection given
// at publish time.
type FlowConnectionCredentials struct {
	ServerAddress, ServerPort string
	UserName, Password        string // the password is never logged
	Embed                     bool
}

// FlowPublish describes a flow to publish.
type FlowPublish struct {
	Name      string // required
	ProjectID string // required
	// FileName is the flow file's name; its extension (.tfl or .tflx) is
	// the file type. Required.
	FileName    string
	Description string
	// Overwrite replaces a flow of the same name in the project.
	// Default: false (a name clash fails with tableau.ErrConflict).
	Overwrite   bool
	Connections []FlowConnectionCredentials
	// Size is how many bytes the reader holds, exactly. Default: 0,
	// unknown: learned from an io.Seeker, or else the file goes through an
	// upload session.
	Size int64
	// ChunkThreshold is the file size from which the file goes through an
	// upload session in chunks. Default: 64 MB ([DefaultChunkThreshold]).
	ChunkThreshold int64
	// ChunkSize, ChunkRetries: see [UploadOptions]. Defaults: 5 MB and 3.
	ChunkSize    int64
	ChunkRetries int
	// Progress is told the bytes sent as the file goes out. Default: nil.
	Progress Progress
}

// Publish publishes a flow file read from r: in one request below
// ChunkThreshold (64 MB by default) when its size is known, else through
// an upload session in chunks ([FileUploadsService]), as workbooks and
// datasources are published.
func (sv *FlowsService) Publish(ctx context.Context, in FlowPublish, r io.Reader) (*Flow, error) {
	const m = "Flows.Publish"
	o := &PublishOptions{Name: in.Name, ProjectID: in.ProjectID, FileName: in.FileName, Size: in.Size,
		Description: in.Description, ChunkThreshold: in.ChunkThreshold, ChunkSize: in.ChunkSize,
		ChunkRetries: in.ChunkRetries, Progress: in.Progress}
	if in.Overwrite {
		o.Mode = PublishOverwrite
	}
	for _, c := range in.Connections {
		o.Connections = append(o.Connections, ConnectionCredentials{ServerAddress: c.ServerAddress, ServerPort: c.ServerPort,
			Username: c.UserName, Password: c.Password, Embed: c.Embed})
	}
	resp, err := sv.publish(ctx, m, flowKind, r, o, false)
	if err != nil {
		return nil, err
	}
	if resp.Flow == nil {
		return nil, fmt.Errorf("rest.%s: the response has no <flow>", m)
	}
	return resp.Flow, nil
}

// Download writes the flow file to w and returns its size.
func (sv *FlowsService) Download(ctx context.Context, id string, w io.Writer) (int64, error) {
	const m = "Flows.Download"
	if err := need(m, "id", id); err != nil {
		return 0, err
	}
	path, err := sv.sitePath(m, "flows", id, "content")
	if err != nil {
		return 0, err
	}
	resp, err := sv.s.Send(ctx, &tableau.Request{Path: path})
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	n, err := io.Copy(w, resp.Body)
	if err != nil {
		return n, fmt.Errorf("rest.%s: %w", m, err)
	}
	return n, nil
}

// FlowUpdate changes a flow; nil fields stay as they are.
type FlowUpdate struct {
	Name, Description  *string
	ProjectID, OwnerID *string
}

// Update changes the flow with id.
func (sv *FlowsService) Update(ctx context.Context, id string, in FlowUpdate) (*Flow, error) {
	const m = "Flows.Update"
	if err := need(m, "id", id); err != nil {
		return nil, err
	}
	req := struct {
		XMLName xml.Name `xml:"tsRequest"`
		Flow    struct {
			Name        *string `xml:"name,attr,omitempty"`
			Description *string `xml:"description,attr,omitempty"`
			Project     *idElem `xml:"project,omitempty"`
			Owner       *idElem `xml:"owner,omitempty"`
		} `xml:"flow"`
	}{}
	req.Flow.Name, req.Flow.Description = in.Name, in.Description
	if in.ProjectID != nil {
		req.Flow.Project = &idElem{ID: *in.ProjectID}
	}
	if in.OwnerID != nil {
		req.Flow.Owner = &idElem{ID: *in.OwnerID}
	}
	path, err := sv.sitePath(m, "flows", id)
	if err != nil {
		return nil, err
	}
	var r flowResponse
	if err := sv.s.Put(ctx, path, nil, req, &r); err != nil {
		return nil, err
	}
	if r.Flow == nil {
		return nil, fmt.Errorf("rest.%s: the response has no <flow>", m)
	}
	return r.Flow, nil
}

// Delete deletes the flow with id.
func (sv *FlowsService) Delete(ctx context.Context, id string) error {
	const m = "Flows.Delete"
	if err := need(m, "id", id); err != nil {
		return err
	}
	path, err := sv.sitePath(m, "flows", id)
	if err != nil {
		return err
	}
	return sv.s.Delete(ctx, path, nil)
}

// Connections returns the flow's data connections.
func (sv *FlowsService) Connections(ctx context.Context, id string) ([]FlowConnection, error) {
	const m = "Flows.Connections"
	if err := need(m, "id", id); err != nil {
		return nil, err
	}
	path, err := sv.sitePath(m, "flows", id, "connections")
	if err != nil {
		return nil, err
	}
	var r struct {
		Conns []FlowConnection `xml:"connections>connection"`
	}
	if err := sv.s.Get(ctx, path, nil, &r); err != nil {
		return nil, err
	}
	return r.Conns, nil
}

// UpdateConnection changes a connection of a flow.
func (sv *FlowsService) UpdateConnection(ctx context.Context, id, connectionID string, in ConnectionUpdate) (*FlowConnection, error) {
	const m = "Flows.UpdateConnection"
	if err := need(m, "id", id); err != nil {
		return nil, err
	}
	if err := need(m, "connectionID", connectionID); err != nil {
		return nil, err
	}
	path, err := sv.sitePath(m, "flows", id, "connections", connectionID)
	if err != nil {
		return nil, err
	}
	var r struct {
		Conn *FlowConnection `xml:"connection"`
	}
	if err := sv.s.Put(ctx, path, nil, connectionRequest(in), &r); err != nil {
		return nil, err
	}
	if r.Conn == nil {
		return nil, fmt.Errorf("rest.%s: the response has no <connection>", m)
	}
	return r.Conn, nil
}

type connectionRequestXML struct {
	XMLName    xml.Name `xml:"tsRequest"`
	Connection struct {
		ServerAddress *string `xml:"serverAddress,attr,omitempty"`
		ServerPort    *string `xml:"serverPort,attr,omitempty"`
		UserName      *string `xml:"userName,attr,omitempty"`
		Password      *string `xml:"password,attr,omitempty"`
		EmbedPassword *string `xml:"embedPassword,attr,omitempty"`
	} `xml:"connection"`
}

func connectionRequest(in ConnectionUpdate) connectionRequestXML {
	var req connectionRequestXML
	c := &req.Connection
	c.ServerAddress, c.ServerPort, c.UserName, c.Password = in.ServerAddress, in.ServerPort, in.Username, in.Password
	if in.EmbedPassword != nil {
		c.EmbedPassword = boolStrp(*in.EmbedPassword)
	}
	return req
}

// FlowRunJob is the job a flow run starts.
type FlowRunJob struct {
	ID        string    `xml:"id,attr"`
	Type      string    `xml:"type,attr"`
	CreatedAt time.Time `xml:"createdAt,attr"`
	RunFlow   struct {
		FlowRunID string `xml:"flowRunId,attr"`
		Flow      Owner  `xml:"flow"`
	} `xml:"runFlowJobType"`
}

// Run runs the flow with id now; follow the run with c.FlowRuns.
func (sv *FlowsService) Run(ctx context.Context, id string) (*FlowRunJob, error) {
	const m = "Flows.Run"
	if err := need(m, "id", id); err != nil {
		return nil, err
	}
	path, err := sv.sitePath(m, "flows", id, "run")
	if err != nil {
		return nil, err
	}
	var r struct {
		Job *FlowRunJob `xml:"job"`
	}
	if err := sv.s.Post(ctx, path, nil, struct {
		XMLName xml.Name `xml:"tsRequest"`
	}{}, &r); err != nil {
		return nil, err
	}
	if r.Job == nil {
		return nil, fmt.Errorf("rest.%s: the response has no <job>", m)
	}
	return r.Job, nil
}
