package rest

import (
	"context"
	"encoding/xml"
	"fmt"
	"io"
	"net/url"
	"path/filepath"
	"strings"
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
}

// Publish publishes a flow file read from r (at most 64 MiB in one
// request, which is what the REST API accepts without an upload session).
func (sv *FlowsService) Publish(ctx context.Context, in FlowPublish, r io.Reader) (*Flow, error) {
	const m = "Flows.Publish"
	if strings.TrimSpace(in.Name) == "" {
		return nil, fmt.Errorf("rest.%s: %w: Name is empty", m, tableau.ErrInvalidArgument)
	}
	if err := need(m, "ProjectID", in.ProjectID); err != nil {
		return nil, err
	}
	ext := strings.ToLower(strings.TrimPrefix(filepath.Ext(in.FileName), "."))
	if ext != "tfl" && ext != "tflx" {
		return nil, fmt.Errorf("rest.%s: %w: FileName %q must end in .tfl or .tflx", m, tableau.ErrInvalidArgument, in.FileName)
	}
	const maxInline = 64 << 20
	data, err := io.ReadAll(io.LimitReader(r, maxInline+1))
	if err != nil {
		return nil, fmt.Errorf("rest.%s: reading the flow file: %w", m, err)
	}
	if len(data) > maxInline {
		return nil, fmt.Errorf("rest.%s: %w: the flow file is larger than 64 MiB", m, tableau.ErrInvalidArgument)
	}
	if len(data) == 0 {
		return nil, fmt.Errorf("rest.%s: %w: the flow file is empty", m, tableau.ErrInvalidArgument)
	}
	type credXML struct {
		Name     string `xml:"name,attr"`
		Password string `xml:"password,attr"`
		Embed    string `xml:"embed,attr"`
	}
	type connXML struct {
		ServerAddress string   `xml:"serverAddress,attr"`
		ServerPort    string   `xml:"serverPort,attr,omitempty"`
		Credentials   *credXML `xml:"connectionCredentials,omitempty"`
	}
	req := struct {
		XMLName xml.Name `xml:"tsRequest"`
		Flow    struct {
			Name        string    `xml:"name,attr"`
			Description string    `xml:"description,attr,omitempty"`
			Project     idElem    `xml:"project"`
			Connections []connXML `xml:"connections>connection,omitempty"`
		} `xml:"flow"`
	}{}
	req.Flow.Name, req.Flow.Description, req.Flow.Project = in.Name, in.Description, idElem{ID: in.ProjectID}
	for i, c := range in.Connections {
		if c.ServerAddress == "" {
			return nil, fmt.Errorf("rest.%s: %w: connection %d has no ServerAddress", m, tableau.ErrInvalidArgument, i)
		}
		cx := connXML{ServerAddress: c.ServerAddress, ServerPort: c.ServerPort}
		if c.UserName != "" || c.Password != "" {
			cx.Credentials = &credXML{Name: c.UserName, Password: c.Password, Embed: fmt.Sprint(c.Embed)}
		}
		req.Flow.Connections = append(req.Flow.Connections, cx)
	}
	x, err := xml.Marshal(req)
	if err != nil {
		return nil, fmt.Errorf("rest.%s: encoding the request: %w", m, err)
	}
	body, ct, err := multipartMixed(
		mpPart{name: "request_payload", contentType: "text/xml", data: x},
		mpPart{name: "tableau_flow", filename: filepath.Base(in.FileName), contentType: "application/octet-stream", data: data})
	if err != nil {
		return nil, fmt.Errorf("rest.%s: encoding the request: %w", m, err)
	}
	path, err := sv.sitePath(m, "flows")
	if err != nil {
		return nil, err
	}
	q := url.Values{"flowType": {ext}}
	if in.Overwrite {
		q.Set("overwrite", "true")
	}
	var resp flowResponse
	if err := sv.s.Do(ctx, &tableau.Request{Method: "POST", Path: path, Query: q, GetBody: tableau.BytesBody(body), ContentLength: int64(len(body)), ContentType: ct}, &resp); err != nil {
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
