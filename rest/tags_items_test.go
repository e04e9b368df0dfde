package rest_test

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/tableau-go/sdk/rest"
	"github.com/tableau-go/sdk/tableau"
	"github.com/tableau-go/sdk/tableau/tableautest"
)

// TestItemTagsEveryKind adds two tags to a flow, a virtual connection, a
// table, a database and a metric, removes one, and reads the item back;
// removing the tag again and tagging an unknown item are not found.
func TestItemTagsEveryKind(t *testing.T) {
	ctx := context.Background()
	c, srv := newClient(t, nil, nil)
	seed, err := srv.Seed(tableautest.SeedOptions{Projects: 1, Workbooks: 1})
	if err != nil {
		t.Fatal(err)
	}
	proj := seed.ProjectIDs[0]
	flow, err := c.Flows.Publish(ctx, rest.FlowPublish{Name: "Tagged", ProjectID: proj, FileName: "tagged.tfl"}, strings.NewReader(`{"nodes":{}}`))
	if err != nil {
		t.Fatal(err)
	}
	vc, err := c.VirtualConnections.Publish(ctx, rest.VirtualConnectionPublish{Name: "Tagged", ProjectID: proj,
		Content: `{"connections":[{"dbClass":"postgres","server":"wh.example.com","port":"5432","username":"reader"}]}`})
	if err != nil {
		t.Fatal(err)
	}
	db, tables, err := srv.AddDatabase("", "sales", "postgres", "orders")
	if err != nil {
		t.Fatal(err)
	}
	metric, err := srv.AddMetric("", proj, "Revenue", seed.ViewIDs[0])
	if err != nil {
		t.Fatal(err)
	}
	type tagger struct {
		name   string
		add    func(id string, tags ...string) ([]string, error)
		delete func(id, tag string) error
		read   func(id string) ([]rest.Tag, error)
		id     string
	}
	for _, k := range []tagger{
		{"flow", func(id string, tags ...string) ([]string, error) { return c.Flows.AddTags(ctx, id, tags...) },
			func(id, tag string) error { return c.Flows.DeleteTag(ctx, id, tag) },
			func(id string) ([]rest.Tag, error) {
				x, err := c.Flows.Get(ctx, id)
				if err != nil {
					return nil, err
				}
				return x.Tags, nil
			}, flow.ID},
		{"virtual connection", func(id string, tags ...string) ([]string, error) {
			return c.VirtualConnections.AddTags(ctx, id, tags...)
		},
			func(id, tag string) error { return c.VirtualConnections.DeleteTag(ctx, id, tag) },
			func(id string) ([]rest.Tag, error) {
				x, err := c.VirtualConnections.Get(ctx, id)
				if err != nil {
					return nil, err
				}
				return x.Tags, nil
			}, vc.ID},
		{"table", func(id string, tags ...string) ([]string, error) { return c.Tables.AddTags(ctx, id, tags...) },
			func(id, tag string) error { return c.Tables.DeleteTag(ctx, id, tag) },
			func(id string) ([]rest.Tag, error) {
				x, err := c.Tables.Get(ctx, id)
				if err != nil {
					return nil, err
				}
				return x.Tags, nil
			}, tables[0]},
		{"database", func(id string, tags ...string) ([]string, error) { return c.Databases.AddTags(ctx, id, tags...) },
			func(id, tag string) error { return c.Databases.DeleteTag(ctx, id, tag) },
			func(id string) ([]rest.Tag, error) {
				x, err := c.Databases.Get(ctx, id)
				if err != nil {
					return nil, err
				}
				return x.Tags, nil
			}, db},
		{"metric", func(id string, tags ...string) ([]string, error) { return c.Metrics.AddTags(ctx, id, tags...) },
			func(id, tag string) error { return c.Metrics.DeleteTag(ctx, id, tag) },
			func(id string) ([]rest.Tag, error) {
				x, err := c.Metrics.Get(ctx, id)
				if err != nil {
					return nil, err
				}
				return x.Tags, nil
			}, metric},
	} {
		tags, err := k.add(k.id, "gold", "pii")
		if err != nil || !slices.Equal(sortedCopy(tags), []string{"gold", "pii"}) {
			t.Fatalf("%s: add tags %v %v", k.name, tags, err)
		}
		if err := k.delete(k.id, "pii"); err != nil {
			t.Fatalf("%s: delete tag: %v", k.name, err)
		}
		got, err := k.read(k.id)
		if err != nil || len(got) != 1 || got[0].Label != "gold" {
			t.Fatalf("%s: tags after the delete %+v %v", k.name, got, err)
		}
		if err := k.delete(k.id, "pii"); !errors.Is(err, tableau.ErrNotFound) {
			t.Fatalf("%s: second delete: %v, want ErrNotFound", k.name, err)
		}
		if _, err := k.add("no-such-item", "gold"); !errors.Is(err, tableau.ErrNotFound) {
			t.Fatalf("%s: unknown item: %v, want ErrNotFound", k.name, err)
		}
		if _, err := k.add(k.id); !errors.Is(err, tableau.ErrInvalidArgument) {
			t.Fatalf("%s: no tags: %v, want ErrInvalidArgument", k.name, err)
		}
	}
}
