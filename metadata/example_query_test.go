package metadata_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"log"

	"github.com/tableau-go/sdk/metadata"
	"github.com/tableau-go/sdk/rest"
	"github.com/tableau-go/sdk/tableau"
	"github.com/tableau-go/sdk/tableau/tableautest"
)

// signedInWithOrders starts the emulator, publishes the sample "Orders"
// datasource and returns a Metadata API client for it.
func signedInWithOrders(ctx context.Context) (*metadata.Client, func()) {
	srv, err := tableautest.NewServer(nil)
	if err != nil {
		log.Fatal(err)
	}
	cr := srv.Credentials()
	c, err := rest.SignIn(ctx, tableau.Config{Server: srv.URL(), Credentials: tableau.PersonalAccessToken{Name: cr.PATName, Secret: cr.PATSecret}})
	if err != nil {
		log.Fatal(err)
	}
	p, err := c.Projects.GetByPath(ctx, "Default")
	if err != nil {
		log.Fatal(err)
	}
	if _, err := c.Datasources.Publish(ctx, bytes.NewReader(tableautest.MetadataSampleDatasource()), &rest.PublishOptions{Name: "Orders", ProjectID: p.ID, FileName: "orders.tds"}); err != nil {
		log.Fatal(err)
	}
	md, err := metadata.New(c.Session, nil)
	if err != nil {
		log.Fatal(err)
	}
	return md, func() { srv.Close() }
}

// ExampleClient_Query sends an ad hoc GraphQL query and decodes its data
// into a struct of your own.
func ExampleClient_Query() {
	ctx := context.Background()
	md, done := signedInWithOrders(ctx)
	defer done()

	var data struct {
		PublishedDatasources []struct {
			Name   string
			Fields []struct{ Name string }
		}
	}
	err := md.Query(ctx, `query($name: String) {
		publishedDatasources(filter: {name: $name}) { name fields { name } }
	}`, map[string]any{"name": "Orders"}, &data)
	if err != nil {
		log.Fatal(err)
	}
	for _, ds := range data.PublishedDatasources {
		fmt.Println(ds.Name, "has", len(ds.Fields), "fields")
	}
	// Output:
	// Orders has 6 fields
}

// ExampleClient_Connection walks a ...Connection field page by page; the
// pager passes $first and $after and halves the page when the server says
// a page is too big.
func ExampleClient_Connection() {
	ctx := context.Background()
	md, done := signedInWithOrders(ctx)
	defer done()

	pager := md.Connection(`query($first: Int, $after: String) {
		fieldsConnection(first: $first, after: $after) {
			nodes { name } pageInfo { hasNextPage endCursor } totalCount
		}
	}`, nil, "fieldsConnection")
	for node, err := range pager.All(ctx) {
		if err != nil {
			log.Fatal(err)
		}
		var f struct{ Name string }
		if err := json.Unmarshal(node, &f); err != nil {
			log.Fatal(err)
		}
		fmt.Println(f.Name)
	}
	// Output:
	// Order ID
	// Amount
	// Discount
	// Region
	// Net Amount
	// Big Order
}
