package metadata_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"testing"
	"time"

	"github.com/tableau-go/sdk/metadata"
	"github.com/tableau-go/sdk/metadata/internal/mdtest"
	"github.com/tableau-go/sdk/rest"
	"github.com/tableau-go/sdk/tableau"
	"github.com/tableau-go/sdk/tableau/tableautest"
)

func TestControlStatus(t *testing.T) {
	ctx := context.Background()
	st := mdtest.New(t) // publishes the Orders datasource, then the Sales workbook
	c := newClient(t, st, nil)
	// The emulator keeps times to the second: publish one more datasource
	// in the next second, to be the content indexed last.
	time.Sleep(time.Until(time.Now().Truncate(time.Second).Add(time.Second)))
	if _, err := st.REST.Datasources.Publish(ctx, bytes.NewReader(tableautest.MetadataSampleDatasource()),
		&rest.PublishOptions{Name: "Returns", ProjectID: st.Project, FileName: "returns.tds"}); err != nil {
		t.Fatal(err)
	}

	es, err := c.EventingStatus(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if es.ContentType != "PublishedDatasource" || es.QueueSize != 0 || time.Since(es.CheckpointCreatedTime) > time.Minute || time.Until(es.CheckpointCreatedTime) > time.Second {
		t.Errorf("eventing status %+v", es)
	}

	raw, err := c.BackfillStatus(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var bf struct {
		BackfillComplete *bool `json:"backfillComplete"`
	}
	if err := json.Unmarshal(raw, &bf); err != nil || bf.BackfillComplete == nil || !*bf.BackfillComplete {
		t.Errorf("backfill status %s (%v)", raw, err)
	}

	// Only server administrators may ask.
	cr := st.Server.Credentials()
	if _, err := st.Server.AddUser(cr.SiteContentURL, "viewer", "Viewer"); err != nil {
		t.Fatal(err)
	}
	vs, err := tableau.NewSession(tableau.Config{Server: st.Server.URL(), Site: cr.SiteContentURL,
		Credentials: tableau.ConnectedApp{ClientID: cr.ClientID, SecretID: cr.SecretID, SecretValue: cr.SecretValue, Username: "viewer", Scopes: []string{"tableau:content:read"}}})
	if err != nil {
		t.Fatal(err)
	}
	if err := vs.SignIn(ctx); err != nil {
		t.Fatal(err)
	}
	vc, err := metadata.New(vs, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := vc.EventingStatus(ctx); !errors.Is(err, tableau.ErrForbidden) {
		t.Errorf("a viewer's eventing status: %v", err)
	}
	if _, err := vc.BackfillStatus(ctx); !errors.Is(err, tableau.ErrForbidden) {
		t.Errorf("a viewer's backfill status: %v", err)
	}
}
