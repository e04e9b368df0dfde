package rest

import (
	"context"
	"encoding/xml"
	"fmt"
	"io"
	"net/url"
	"strconv"

	"github.com/tableau-go/sdk/tableau"
)

// This file holds what workbooks and datasources share.

// Tag is a tag on a content item.
type Tag struct {
	Label string `xml:"label,attr"`
}

// ProjectRef names the project of a content item.
type ProjectRef struct {
	ID   string `xml:"id,attr"`
	Name string `xml:"name,attr"`
}

// Connection is a data connection of a workbook or datasource.
type Connection struct {
	ID                  string `xml:"id,attr"`
	Type                string `xml:"type,attr"` // for example "postgres", "hyper"
	ServerAddress       string `xml:"serverAddress,attr"`
	ServerPort          string `xml:"serverPort,attr"`
	Username            string `xml:"userName,attr"`
	EmbedPassword       bool   `xml:"embedPassword,attr"`
	QueryTaggingEnabled bool   `xml:"queryTaggingEnabled,attr"`
	// AuthenticationType is the connection's authentication, when the server reports it.
	AuthenticationType string `xml:"authenticationType,attr"`
	Datasource         struct {
		ID   string `xml:"id,attr"`
		Name string `xml:"name,attr"`
	} `xml:"datasource"`
}

// ConnectionUpdate changes a connection; nil fields stay as they are.
type ConnectionUpdate struct {
	ServerAddress       *string
	ServerPort          *string
	Username            *string
	Password            *string
	EmbedPassword       *bool
	QueryTaggingEnabled *bool
}

type connectionList struct {
	Connections []Connection `xml:"connections>connection"`
}

type connectionResponse struct {
	Connection *Connection `xml:"connection"`
}

type tagList struct {
	Tags []Tag `xml:"tags>tag"`
}

// labels returns the tags' labels.
func labels(tags []Tag) []string {
	out := make([]string, len(tags))
	for i, t := range tags {
		out[i] = t.Label
	}
	return out
}

// itemPath returns sites/{site}/{plural}/{id}/elem... after checking id.
func (sv service) itemPath(m, plural, id string, elem ...string) (string, error) {
	if err := need(m, "id", id); err != nil {
		return "", err
	}
	return sv.sitePath(m, append([]string{plural, id}, elem...)...)
}

func (sv service) itemConnections(ctx context.Context, m, plural, id string) ([]Connection, error) {
	path, err := sv.itemPath(m, plural, id, "connections")
	if err != nil {
		return nil, err
	}
	var resp connectionList
	if err := sv.s.Get(ctx, path, nil, &resp); err != nil {
		return nil, err
	}
	return resp.Connections, nil
}

func (sv service) updateConnection(ctx context.Context, m, plural, id, connID string, u ConnectionUpdate) (*Connection, error) {
	if err := need(m, "connectionID", connID); err != nil {
		return nil, err
	}
	if u.ServerPort != nil && *u.ServerPort != "" {
		if p, err := strconv.Atoi(*u.ServerPort); err != nil || p < 1 || p > 65535 {
			return nil, fmt.Errorf("rest.%s: %w: ServerPort %q is not a port number", m, tableau.ErrInvalidArgument, *u.ServerPort)
		}
	}
	path, err := sv.itemPath(m, plural, id, "connections", connID)
	if err != nil {
		return nil, err
	}
	req := struct {
		XMLName    xml.Name `xml:"tsRequest"`
		Connection struct {
			ServerAddress *string `xml:"serverAddress,attr,omitempty"`
			ServerPort    *string `xml:"serverPort,attr,omitempty"`
			Username      *string `xml:"userName,attr,omitempty"`
			Password      *string `xml:"password,attr,omitempty"`
			EmbedPassword *bool   `xml:"embedPassword,attr,omitempty"`
			QueryTagging  *bool   `xml:"queryTaggingEnabled,attr,omitempty"`
		} `xml:"connection"`
	}{}
	c := &req.Connection
	c.ServerAddress, c.ServerPort, c.Username, c.Password = u.ServerAddress, u.ServerPort, u.Username, u.Password
	c.EmbedPassword, c.QueryTagging = u.EmbedPassword, u.QueryTaggingEnabled
	var resp connectionResponse
	if err := sv.s.Put(ctx, path, nil, &req, &resp); err != nil {
		return nil, err
	}
	if resp.Connection == nil {
		return nil, fmt.Errorf("rest.%s: the response has no connection", m)
	}
	return resp.Connection, nil
}

func (sv service) addTags(ctx context.Context, m, plural, id string, tags []string) ([]string, error) {
	if len(tags) == 0 {
		return nil, fmt.Errorf("rest.%s: %w: no tags", m, tableau.ErrInvalidArgument)
	}
	req := struct {
		XMLName xml.Name `xml:"tsRequest"`
		Tags    []Tag    `xml:"tags>tag"`
	}{}
	for _, t := range tags {
		if t == "" {
			return nil, fmt.Errorf("rest.%s: %w: a tag is empty", m, tableau.ErrInvalidArgument)
		}
		req.Tags = append(req.Tags, Tag{Label: t})
	}
	path, err := sv.itemPath(m, plural, id, "tags")
	if err != nil {
		return nil, err
	}
	var resp tagList
	if err := sv.s.Put(ctx, path, nil, &req, &resp); err != nil {
		return nil, err
	}
	return labels(resp.Tags), nil
}

func (sv service) deleteTag(ctx context.Context, m, plural, id, tag string) error {
	if err := need(m, "tag", tag); err != nil {
		return err
	}
	path, err := sv.itemPath(m, plural, id, "tags", tag)
	if err != nil {
		return err
	}
	return sv.s.Delete(ctx, path, nil)
}

// RefreshOptions are the options of Workbooks.Refresh and
// Datasources.Refresh. A nil *RefreshOptions is a full refresh.
type RefreshOptions struct {
	// Incremental asks for an incremental refresh: only the rows the
	// extract's incremental refresh settings select are added (API 3.25).
	// Default: a full refresh.
	Incremental bool
}

func (sv service) refresh(ctx context.Context, m, plural, id string, opts *RefreshOptions) (*Job, error) {
	path, err := sv.itemPath(m, plural, id, "refresh")
	if err != nil {
		return nil, err
	}
	type extractRefresh struct {
		Incremental bool `xml:"incremental,attr,omitempty"`
	}
	in := struct {
		XMLName        xml.Name        `xml:"tsRequest"`
		ExtractRefresh *extractRefresh `xml:"extractRefresh"`
	}{}
	if opts != nil && opts.Incremental {
		if err := sv.s.RequireVersion("rest."+m+" (incremental)", "3.25"); err != nil {
			return nil, err
		}
		in.ExtractRefresh = &extractRefresh{Incremental: true}
	}
	var resp jobResponse
	if err := sv.s.Post(ctx, path, nil, &in, &resp); err != nil {
		return nil, err
	}
	if resp.Job == nil {
		return nil, fmt.Errorf("rest.%s: the response has no job", m)
	}
	return resp.Job.job(), nil
}

func (sv service) download(ctx context.Context, m, plural, id string, w io.Writer, opts *DownloadOptions) (*Download, error) {
	path, err := sv.itemPath(m, plural, id, "content")
	if err != nil {
		return nil, err
	}
	q := url.Values{}
	var progress Progress
	if opts != nil {
		progress = opts.Progress
		if opts.NoExtract {
			q.Set("includeExtract", "false")
		}
	}
	return sv.fetchTo(ctx, m, path, q, w, progress)
}
