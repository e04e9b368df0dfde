// Package mdtest starts an emulator with published sample content for the
// tests and examples of package metadata.
package mdtest

import (
	"bytes"
	"context"
	"testing"

	"github.com/tableau-go/sdk/rest"
	"github.com/tableau-go/sdk/tableau"
	"github.com/tableau-go/sdk/tableau/tableautest"
)

// Site is an emulator with a signed-in session.
type Site struct {
	Server  *tableautest.Server
	Session *tableau.Session
	REST    *rest.Client
	Project string // the Default project's id
}

// SignIn signs in to srv with its personal access token.
func SignIn(ctx context.Context, srv *tableautest.Server) (*Site, error) {
	cr := srv.Credentials()
	s, err := tableau.NewSession(tableau.Config{Server: srv.URL(),
		Credentials: tableau.PersonalAccessToken{Name: cr.PATName, Secret: cr.PATSecret}})
	if err != nil {
		return nil, err
	}
	if err := s.SignIn(ctx); err != nil {
		return nil, err
	}
	c := rest.NewClient(s)
	p, err := c.Projects.GetByPath(ctx, "Default")
	if err != nil {
		return nil, err
	}
	return &Site{Server: srv, Session: s, REST: c, Project: p.ID}, nil
}

// PublishSamples publishes tableautest's sample datasource as "Orders" and
// workbook as "Sales" through REST.
func (st *Site) PublishSamples(ctx context.Context) error {
	if _, err := st.REST.Datasources.Publish(ctx, bytes.NewReader(tableautest.MetadataSampleDatasource()),
		&rest.PublishOptions{Name: "Orders", ProjectID: st.Project, FileName: "orders.tds"}); err != nil {
		return err
	}
	_, err := st.REST.Workbooks.Publish(ctx, bytes.NewReader(tableautest.MetadataSampleWorkbook()),
		&rest.PublishOptions{Name: "Sales", ProjectID: st.Project, FileName: "sales.twb"})
	return err
}

// New starts an emulator for a test, signs in and publishes the samples.
func New(t testing.TB) *Site {
	t.Helper()
	srv := tableautest.NewTestServer(t, nil)
	st, err := SignIn(context.Background(), srv)
	if err != nil {
		t.Fatal(err)
	}
	if err := st.PublishSamples(context.Background()); err != nil {
		t.Fatal(err)
	}
	return st
}
