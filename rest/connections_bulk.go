package rest

import (
	"context"
	"encoding/xml"
	"fmt"
	"strings"

	"github.com/tableau-go/sdk/tableau"
)

// ConnectionsUpdate changes several connections of a workbook or
// datasource at once ([WorkbooksService.UpdateConnections],
// [DatasourcesService.UpdateConnections]); nil fields stay as they are.
type ConnectionsUpdate struct {
	// AuthenticationType is the connections' authentication, for example
	// "auth-keypair" or "AD Service Principal".
	AuthenticationType *string
	Username           *string
	Password           *string
	EmbedPassword      *bool
}

type connectionsUpdateRequest struct {
	XMLName    xml.Name `xml:"tsRequest"`
	IDs        []string `xml:"connectionLUIDs>connectionLUID"`
	Connection struct {
		AuthenticationType *string `xml:"authenticationType,attr,omitempty"`
		Username           *string `xml:"userName,attr,omitempty"`
		Password           *string `xml:"password,attr,omitempty"`
		EmbedPassword      *bool   `xml:"embedPassword,attr,omitempty"`
	} `xml:"connection"`
}

// updateConnections sends Update Workbook Connections or Update Data
// Source Connections (API 3.26) and returns the changed connections.
func (sv service) updateConnections(ctx context.Context, m, plural, id string, connectionIDs []string, u ConnectionsUpdate) ([]Connection, error) {
	if len(connectionIDs) == 0 {
		return nil, fmt.Errorf("rest.%s: %w: no connection ids", m, tableau.ErrInvalidArgument)
	}
	for _, c := range connectionIDs {
		if strings.TrimSpace(c) == "" {
			return nil, fmt.Errorf("rest.%s: %w: a connection id is empty", m, tableau.ErrInvalidArgument)
		}
	}
	if u.AuthenticationType != nil && strings.TrimSpace(*u.AuthenticationType) == "" {
		return nil, fmt.Errorf("rest.%s: %w: AuthenticationType is empty", m, tableau.ErrInvalidArgument)
	}
	if err := sv.s.RequireVersion("rest."+m, "3.26"); err != nil {
		return nil, err
	}
	path, err := sv.itemPath(m, plural, id, "connections")
	if err != nil {
		return nil, err
	}
	req := connectionsUpdateRequest{IDs: connectionIDs}
	c := &req.Connection
	c.AuthenticationType, c.Username, c.Password, c.EmbedPassword = u.AuthenticationType, u.Username, u.Password, u.EmbedPassword
	var resp connectionList
	if err := sv.s.Put(ctx, path, nil, &req, &resp); err != nil {
		return nil, err
	}
	return resp.Connections, nil
}
