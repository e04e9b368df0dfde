package rest_test

import (
	"context"
	"encoding/json"
	"errors"
	"testing"

	"github.com/tableau-go/sdk/rest"
	"github.com/tableau-go/sdk/tableau"
	"github.com/tableau-go/sdk/tableau/tableautest"
)

// TestVirtualConnectionRevisionsAndDownload: publishing again with
// Overwrite makes revision 2; each revision's definition downloads; a name
// clash without Overwrite is a conflict.
func TestVirtualConnectionRevisionsAndDownload(t *testing.T) {
	ctx := context.Background()
	c, srv := newClient(t, nil, nil)
	seed, err := srv.Seed(tableautest.SeedOptions{Projects: 1})
	if err != nil {
		t.Fatal(err)
	}
	v1 := `{"connections":[{"dbClass":"postgres","server":"db1.example.com","port":"5432","username":"r"}]}`
	v2 := `{"connections":[{"dbClass":"postgres","server":"db2.example.com","port":"5432","username":"r"}]}`
	in := rest.VirtualConnectionPublish{Name: "Warehouse", ProjectID: seed.ProjectIDs[0], Content: v1}
	vc, err := c.VirtualConnections.Publish(ctx, in)
	if err != nil {
		t.Fatal(err)
	}
	in.Content = v2
	if _, err := c.VirtualConnections.Publish(ctx, in); !errors.Is(err, tableau.ErrConflict) {
		t.Fatalf("publishing a taken name: %v, want a conflict", err)
	}
	in.Overwrite = true
	again, err := c.VirtualConnections.Publish(ctx, in)
	if err != nil || again.ID != vc.ID {
		t.Fatalf("overwrite: %+v %v (want the same id %s)", again, err, vc.ID)
	}
	revs, err := c.VirtualConnections.Revisions(vc.ID, nil).Collect(ctx)
	if err != nil || len(revs) != 2 || revs[0].Number != 1 || revs[1].Number != 2 || revs[0].Current || !revs[1].Current ||
		revs[1].Publisher.ID == "" || revs[1].PublishedAt.IsZero() {
		t.Fatalf("revisions %+v %v", revs, err)
	}
	same := func(a json.RawMessage, b string) bool {
		var x, y any
		return json.Unmarshal(a, &x) == nil && json.Unmarshal([]byte(b), &y) == nil && jsonEqual(x, y)
	}
	if got, err := c.VirtualConnections.DownloadRevision(ctx, vc.ID, 1); err != nil || !same(got, v1) {
		t.Fatalf("revision 1: %s %v", got, err)
	}
	if got, err := c.VirtualConnections.Download(ctx, vc.ID); err != nil || !same(got, v2) {
		t.Fatalf("download: %s %v", got, err)
	}
	if conns, err := c.VirtualConnections.Connections(ctx, vc.ID); err != nil || len(conns) != 1 || conns[0].Server != "db2.example.com" {
		t.Fatalf("connections after overwrite %+v %v", conns, err)
	}
	if _, err := c.VirtualConnections.DownloadRevision(ctx, vc.ID, 3); !errors.Is(err, tableau.ErrNotFound) {
		t.Fatalf("revision 3: %v", err)
	}
	if _, err := c.VirtualConnections.DownloadRevision(ctx, vc.ID, 0); !errors.Is(err, tableau.ErrInvalidArgument) {
		t.Fatalf("revision 0: %v", err)
	}

	old, _ := newClient(t, &tableautest.Options{APIVersion: "3.22"}, nil)
	if _, err := old.VirtualConnections.Revisions(vc.ID, nil).Collect(ctx); !errors.Is(err, tableau.ErrUnsupportedVersion) {
		t.Fatalf("API 3.22: %v, want ErrUnsupportedVersion", err)
	}
}

func jsonEqual(a, b any) bool {
	x, _ := json.Marshal(a)
	y, _ := json.Marshal(b)
	return string(x) == string(y)
}
