package rest_test

import (
	"context"
	"errors"
	"testing"

	"github.com/tableau-go/sdk/rest"
	"github.com/tableau-go/sdk/tableau"
	"github.com/tableau-go/sdk/tableau/tableautest"
)

// TestUpdateConnectionsBulk changes several connections of a workbook and
// one of a datasource in one request each; an unknown connection changes
// nothing; a session on API 3.24 and invalid input send nothing.
func TestUpdateConnectionsBulk(t *testing.T) {
	ctx := context.Background()
	c, srv := newClient(t, &tableautest.Options{APIVersion: "3.27"}, nil)
	seed, err := srv.Seed(tableautest.SeedOptions{Workbooks: 1, Datasources: 1})
	if err != nil {
		t.Fatal(err)
	}
	wb, ds := seed.WorkbookIDs[0], seed.DatasourceIDs[0]
	conns, err := c.Workbooks.Connections(ctx, wb)
	if err != nil || len(conns) == 0 {
		t.Fatalf("connections %+v %v", conns, err)
	}
	var ids []string
	for _, x := range conns {
		ids = append(ids, x.ID)
	}
	auth, user, pw, embed := "auth-keypair", "svc-reader", "s3cret", true
	got, err := c.Workbooks.UpdateConnections(ctx, wb, ids, rest.ConnectionsUpdate{AuthenticationType: &auth, Username: &user, Password: &pw, EmbedPassword: &embed})
	if err != nil || len(got) != len(ids) {
		t.Fatalf("update %+v %v", got, err)
	}
	again, err := c.Workbooks.Connections(ctx, wb)
	if err != nil {
		t.Fatal(err)
	}
	for i, x := range append(got, again...) {
		if x.AuthenticationType != auth || x.Username != user || !x.EmbedPassword || x.ID != ids[i%len(ids)] {
			t.Fatalf("connection %d after the update: %+v", i, x)
		}
	}

	dconns, err := c.Datasources.Connections(ctx, ds)
	if err != nil || len(dconns) == 0 {
		t.Fatalf("datasource connections %+v %v", dconns, err)
	}
	first := dconns[0]
	bad := "nobody"
	if _, err := c.Datasources.UpdateConnections(ctx, ds, []string{first.ID, "no-such-connection"}, rest.ConnectionsUpdate{Username: &bad}); !errors.Is(err, tableau.ErrNotFound) {
		t.Fatalf("unknown connection: %v, want ErrNotFound", err)
	}
	if now, _ := c.Datasources.Connections(ctx, ds); now[0].Username != first.Username {
		t.Fatalf("a refused update changed the connection: %+v", now[0])
	}
	other := "etl"
	dgot, err := c.Datasources.UpdateConnections(ctx, ds, []string{first.ID}, rest.ConnectionsUpdate{Username: &other})
	if err != nil || len(dgot) != 1 || dgot[0].Username != "etl" || dgot[0].ServerAddress != first.ServerAddress || dgot[0].EmbedPassword != first.EmbedPassword {
		t.Fatalf("datasource update %+v %v", dgot, err)
	}

	empty := " "
	before := srv.Stats().Requests
	for i, err := range []error{
		func() error {
			_, err := c.Workbooks.UpdateConnections(ctx, wb, nil, rest.ConnectionsUpdate{Username: &user})
			return err
		}(),
		func() error {
			_, err := c.Workbooks.UpdateConnections(ctx, wb, []string{""}, rest.ConnectionsUpdate{Username: &user})
			return err
		}(),
		func() error {
			_, err := c.Datasources.UpdateConnections(ctx, ds, ids, rest.ConnectionsUpdate{AuthenticationType: &empty})
			return err
		}(),
		func() error {
			_, err := c.Datasources.UpdateConnections(ctx, "", ids, rest.ConnectionsUpdate{})
			return err
		}(),
	} {
		if !errors.Is(err, tableau.ErrInvalidArgument) {
			t.Errorf("check %d: %v, want ErrInvalidArgument", i, err)
		}
	}
	if n := srv.Stats().Requests - before; n != 0 {
		t.Errorf("%d requests for invalid input", n)
	}

	old, _ := newClient(t, nil, nil)
	if _, err := old.Workbooks.UpdateConnections(ctx, wb, ids, rest.ConnectionsUpdate{Username: &user}); !errors.Is(err, tableau.ErrUnsupportedVersion) {
		t.Fatalf("API 3.24: %v, want ErrUnsupportedVersion", err)
	}
}
