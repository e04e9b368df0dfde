package rest_test

import (
	"bytes"
	"context"
	"errors"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/tableau-go/sdk/rest"
	"github.com/tableau-go/sdk/tableau"
	"github.com/tableau-go/sdk/tableau/tableautest"
)

func TestDatasourcesPublishEveryTypeAndCRUD(t *testing.T) {
	c, _ := newClient(t, nil, nil)
	ctx := context.Background()
	pid := defaultProject(t, c)
	tds := tableautest.SampleTDS("db.example.com")
	files := map[string][]byte{
		"Orders.tds":   tds,
		"Returns.tdsx": tableautest.SamplePackage("Returns.tds", tds, tableautest.SampleHyper(1000)),
		"People.hyper": tableautest.SampleHyper(2000),
	}
	ids := map[string]string{}
	for name, data := range files {
		ds, err := c.Datasources.Publish(ctx, bytes.NewReader(data), &rest.PublishOptions{
			Name: strings.TrimSuffix(name, filepath.Ext(name)), ProjectID: pid, FileName: name,
			Connections: []rest.ConnectionCredentials{{Username: "etl", Password: "pw", Embed: true}},
		})
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if !ds.HasExtracts {
			t.Errorf("%s: hasExtracts = false", name)
		}
		ids[name] = ds.ID
		var buf bytes.Buffer
		if _, err := c.Datasources.Download(ctx, ds.ID, &buf, nil); err != nil || !bytes.Equal(buf.Bytes(), data) {
			t.Fatalf("%s: download differs: %v", name, err)
		}
	}
	conns, err := c.Datasources.Connections(ctx, ids["Orders.tds"])
	if err != nil || len(conns) != 2 || conns[0].Username != "etl" || !conns[0].EmbedPassword {
		t.Fatalf("connections = %+v, %v", conns, err)
	}
	hyper, err := c.Datasources.Get(ctx, ids["People.hyper"])
	if err != nil || hyper.Type != "hyper" {
		t.Fatalf("get = %+v, %v", hyper, err)
	}
	yes, note := true, "checked by finance"
	upd, err := c.Datasources.Update(ctx, hyper.ID, rest.DatasourceUpdate{IsCertified: &yes, CertificationNote: &note})
	if err != nil || !upd.IsCertified || upd.CertificationNote != note {
		t.Fatalf("update = %+v, %v", upd, err)
	}
	certified, err := c.Datasources.List(&tableau.ListOptions{Filters: []tableau.Filter{tableau.Eq("isCertified", "true")}}).Collect(ctx)
	if err != nil || len(certified) != 1 || certified[0].ID != hyper.ID {
		t.Fatalf("certified = %+v, %v", certified, err)
	}
	byName, err := c.Datasources.GetByName(ctx, "Orders", pid)
	if err != nil || byName.ID != ids["Orders.tds"] {
		t.Fatalf("by name = %+v, %v", byName, err)
	}
	// Append rows from a .hyper to the .hyper datasource.
	more := tableautest.SampleHyper(500)
	if _, err := c.Datasources.Publish(ctx, bytes.NewReader(more), &rest.PublishOptions{Name: "People", ProjectID: pid, FileName: "more.hyper", Mode: rest.PublishAppend}); err != nil {
		t.Fatal(err)
	}
	revs, err := c.Datasources.Revisions(hyper.ID, nil).Collect(ctx)
	if err != nil || len(revs) != 2 || revs[1].SizeInBytes != 2500 {
		t.Fatalf("revisions after append = %+v, %v", revs, err)
	}
	if tags, err := c.Datasources.AddTags(ctx, hyper.ID, "hr"); err != nil || len(tags) != 1 {
		t.Fatalf("tags: %v %v", tags, err)
	}
	if err := c.Datasources.Delete(ctx, hyper.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Datasources.Get(ctx, hyper.ID); !errors.Is(err, tableau.ErrNotFound) {
		t.Fatalf("after delete: %v", err)
	}
}

func TestDatasourcesRefreshAndUpdateData(t *testing.T) {
	c, srv := newClient(t, nil, nil)
	srv.SetJobDuration(100 * time.Millisecond)
	ctx := context.Background()
	seed, err := srv.Seed(tableautest.SeedOptions{Datasources: 1})
	if err != nil {
		t.Fatal(err)
	}
	id := seed.DatasourceIDs[0]
	job, err := c.Datasources.Refresh(ctx, id, nil)
	if err != nil || job.DatasourceID != id || job.Type != "RefreshExtract" {
		t.Fatalf("refresh = %+v, %v", job, err)
	}
	if _, err := c.Jobs.Wait(ctx, job.ID, &rest.WaitOptions{Interval: 20 * time.Millisecond}); err != nil {
		t.Fatal(err)
	}
	actions := []rest.UpdateAction{
		{Action: "insert", TargetTable: "Extract", SourceTable: "new_rows"},
		{Action: "delete", TargetTable: "Extract", Condition: map[string]any{"op": "lt", "target-col": "day", "const": map[string]any{"type": "datetime", "v": "2020-01-01T00:00:00Z"}}},
	}
	uj, err := c.Datasources.UpdateData(ctx, id, bytes.NewReader(tableautest.SampleHyper(3000)), actions,
		&rest.UpdateDataOptions{RequestID: "req-1", Upload: &rest.UploadOptions{ChunkSize: 1000}})
	if err != nil || uj.Type != "UpdateUploadedFile" || uj.DatasourceID != id {
		t.Fatalf("update data = %+v, %v", uj, err)
	}
	// The same RequestID answers the same job.
	again, err := c.Datasources.UpdateData(ctx, id, nil, actions[1:], &rest.UpdateDataOptions{RequestID: "req-1"})
	if err != nil || again.ID != uj.ID {
		t.Fatalf("repeat = %+v, %v", again, err)
	}
	// Bad actions are refused before any request.
	if _, err := c.Datasources.UpdateData(ctx, id, nil, []rest.UpdateAction{{Action: "merge", TargetTable: "t"}}, nil); !errors.Is(err, tableau.ErrInvalidArgument) {
		t.Fatalf("bad action: %v", err)
	}
	if _, err := c.Datasources.UpdateData(ctx, id, nil, actions[:1], nil); !errors.Is(err, tableau.ErrInvalidArgument) {
		t.Fatalf("insert without file: %v", err)
	}
	// The server checks the uploaded file too.
	_, err = c.Datasources.UpdateData(ctx, id, bytes.NewReader([]byte("not a hyper file")), actions[:1], nil)
	if !errors.Is(err, tableau.ErrBadRequest) {
		t.Fatalf("not a hyper file: %v", err)
	}
}
