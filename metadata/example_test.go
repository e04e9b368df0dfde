package metadata_test

import (
	"bytes"
	"context"
	"fmt"
	"log"
	"strings"

	"github.com/tableau-go/sdk/metadata"
	"github.com/tableau-go/sdk/rest"
	"github.com/tableau-go/sdk/tableau"
	"github.com/tableau-go/sdk/tableau/tableautest"
)

// Example finds what depends on a database column before it is dropped,
// against the emulator with a datasource and a workbook published.
func Example() {
	ctx := context.Background()
	srv, err := tableautest.NewServer(nil)
	if err != nil {
		log.Fatal(err)
	}
	defer srv.Close()
	cr := srv.Credentials()
	c, err := rest.SignIn(ctx, tableau.Config{Server: srv.URL(), Credentials: tableau.PersonalAccessToken{Name: cr.PATName, Secret: cr.PATSecret}})
	if err != nil {
		log.Fatal(err)
	}
	p, _ := c.Projects.GetByPath(ctx, "Default")
	c.Datasources.Publish(ctx, bytes.NewReader(tableautest.MetadataSampleDatasource()), &rest.PublishOptions{Name: "Orders", ProjectID: p.ID, FileName: "orders.tds"}) //nolint:errcheck
	c.Workbooks.Publish(ctx, bytes.NewReader(tableautest.MetadataSampleWorkbook()), &rest.PublishOptions{Name: "Sales", ProjectID: p.ID, FileName: "sales.twb"})       //nolint:errcheck

	md, err := metadata.New(c.Session, nil)
	if err != nil {
		log.Fatal(err)
	}
	im, err := md.Impact(ctx, metadata.Target{Database: "sales", Schema: "public", Table: "orders", Column: "discount"}, nil)
	if err != nil {
		log.Fatal(err)
	}
	// im.WriteTable(os.Stdout) prints them with projects, owners and paths;
	// WriteCSV, WriteJSON, WriteMermaid, WriteDOT and WriteSVG draw them.
	for _, n := range im.Dependents() {
		fmt.Printf("%s %q\n", n.Kind, n.Name)
	}
	// Output:
	// field "Discount"
	// published datasource "Orders"
	// calculated field "Net Amount"
	// calculated field "Big Order"
	// field "Net Amount"
	// workbook "Sales"
	// sheet "Order Size"
	// dashboard "Sales Overview"
}

// ExampleClient_Dictionary lists the fields of the published datasources
// with their types and where an inherited description comes from.
func ExampleClient_Dictionary() {
	ctx := context.Background()
	srv, err := tableautest.NewServer(nil)
	if err != nil {
		log.Fatal(err)
	}
	defer srv.Close()
	cr := srv.Credentials()
	c, err := rest.SignIn(ctx, tableau.Config{Server: srv.URL(), Credentials: tableau.PersonalAccessToken{Name: cr.PATName, Secret: cr.PATSecret}})
	if err != nil {
		log.Fatal(err)
	}
	p, _ := c.Projects.GetByPath(ctx, "Default")
	c.Datasources.Publish(ctx, bytes.NewReader(tableautest.MetadataSampleDatasource()), &rest.PublishOptions{Name: "Orders", ProjectID: p.ID, FileName: "orders.tds"}) //nolint:errcheck

	md, _ := metadata.New(c.Session, nil)
	d, err := md.Dictionary(ctx, nil) // d.WriteMarkdown, WriteCSV, WriteHTML
	if err != nil {
		log.Fatal(err)
	}
	for _, ds := range d.Datasources {
		fmt.Println(ds.Name, ds.Project, ds.Owner, ds.UpstreamTables)
		for _, f := range ds.Fields {
			fmt.Println(strings.TrimSpace(fmt.Sprintf("  %s %s %s %s", f.Name, f.DataType, f.Role, f.Formula)))
		}
	}
	// Output:
	// Orders Default admin [sales.[public].[orders]]
	// Order ID INTEGER DIMENSION
	// Amount REAL MEASURE
	// Discount REAL MEASURE
	// Region STRING DIMENSION
	// Net Amount REAL MEASURE [amount] - [discount]
	// Big Order BOOLEAN DIMENSION [Calculation_101] > 1000
}
