package document_test

import (
	"context"
	"fmt"
	"log"
	"os"
	"path/filepath"

	"github.com/tableau-go/sdk/document"
)

func Example() {
	ctx := context.Background()
	w, err := document.OpenWorkbook(ctx, "testdata/superstore.twb", nil)
	if err != nil {
		log.Fatal(err)
	}
	defer w.Close()
	for _, ds := range w.Datasources() {
		fmt.Printf("datasource %q\n", ds.Caption())
		for _, c := range ds.Connections() {
			fmt.Printf("  %s %s/%s\n", c.Class(), c.Server(), c.DBName())
		}
	}
	for _, ws := range w.Worksheets() {
		fmt.Printf("worksheet %q uses %d fields\n", ws.Name(), len(ws.Fields()))
	}
	for _, db := range w.Dashboards() {
		fmt.Printf("dashboard %q shows %v\n", db.Name(), db.Sheets())
	}
	// Output:
	// datasource "Orders (Sales DB)"
	//   postgres test-db.example.com/sales_test
	//   sqlserver test-sql.example.com/Finance_Test
	// worksheet "Sales by Region" uses 2 fields
	// worksheet "Profit Trend" uses 3 fields
	// dashboard "Overview" shows [Sales by Region Profit Trend]
}

func ExampleConnection_Apply() {
	ctx := context.Background()
	w, err := document.OpenWorkbook(ctx, "testdata/superstore.twb", nil)
	if err != nil {
		log.Fatal(err)
	}
	defer w.Close()
	server, db := "prod-db.example.com", "sales"
	for _, c := range w.Connections() {
		if c.Server() == "test-db.example.com" {
			if err := c.Apply(document.ConnectionChange{Server: &server, DBName: &db}); err != nil {
				log.Fatal(err)
			}
		}
	}
	out := filepath.Join(os.TempDir(), "superstore-prod.twb")
	if err := w.SaveAs(ctx, out); err != nil {
		log.Fatal(err)
	}
	defer os.Remove(out)
	w2, err := document.OpenWorkbook(ctx, out, nil)
	if err != nil {
		log.Fatal(err)
	}
	defer w2.Close()
	fmt.Println(w2.Connections()[0].Server(), w2.Connections()[0].DBName())
	// Output:
	// prod-db.example.com sales
}

func ExampleDatasource_AddCalculatedField() {
	ctx := context.Background()
	ds, err := document.OpenDatasource(ctx, "testdata/orders.tds", nil)
	if err != nil {
		log.Fatal(err)
	}
	defer ds.Document().Close()
	f, err := ds.AddCalculatedField("Amount with tax", "[Amount] * 1.2", &document.CalculationOptions{Name: "[Amount Taxed]"})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(f.Name(), f.Formula(), f.ReferencedFields())
	for _, c := range ds.CalculatedFields() {
		fmt.Printf("%s = %s\n", c.DisplayName(), c.Formula())
	}
	// Output:
	// [Amount Taxed] [Amount] * 1.2 [[Amount]]
	// Double Amount = [Amount] * 2
	// Amount with tax = [Amount] * 1.2
}

func ExampleParameter_SetValue() {
	ctx := context.Background()
	w, err := document.OpenWorkbook(ctx, "testdata/superstore.twb", nil)
	if err != nil {
		log.Fatal(err)
	}
	defer w.Close()
	p, err := w.Parameter("Region Choice")
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(p.Value(), p.Allowed())
	fmt.Println(p.SetValue(document.Literal("string", "North")))
	if err := p.SetValue(document.Literal("string", "West")); err != nil {
		log.Fatal(err)
	}
	fmt.Println(p.Value())
	// Output:
	// "East" [{"East" } {"West" } {"Central" }]
	// document: invalid argument: "North" is not an allowed value of parameter "Region Choice"
	// "West"
}

func ExampleWorkbook_Fonts() {
	ctx := context.Background()
	w, err := document.OpenWorkbook(ctx, "testdata/superstore.twb", nil)
	if err != nil {
		log.Fatal(err)
	}
	defer w.Close()
	for _, f := range w.Fonts() {
		fmt.Printf("%-18s %s\n", f.Value, f.Location)
	}
	// Output:
	// Tableau Book       line 21: workbook > style > style-rule[element=all] > format[font-family]
	// Comic Sans MS      line 24: workbook > style > style-rule[element=worksheet] > format[font-family]
	// Arial              line 133: worksheet "Sales by Region" > title > run[fontname]
	// Papyrus            line 152: worksheet "Sales by Region" > style > style-rule[element=cell] > format[font-family]
	// Tableau Semibold   line 215: dashboard "Overview" > style > style-rule[element=dash-title] > format[font-family]
}

func ExampleDocument_ReplaceEntry() {
	ctx := context.Background()
	d, err := document.Open(ctx, "testdata/orders.tdsx", nil)
	if err != nil {
		log.Fatal(err)
	}
	defer d.Close()
	ds, _ := d.Datasource()
	x := ds.Extract()
	fmt.Println(d.EntryName(), x.DBName)
	if err := d.ReplaceEntry(x.DBName, []byte("new extract bytes")); err != nil {
		log.Fatal(err)
	}
	for _, e := range d.Entries() {
		fmt.Println(e.Name, e.Document, e.ReplacementBytes)
	}
	// Output:
	// orders.tds Data/Extracts/Orders.hyper
	// orders.tds true -1
	// Data/Extracts/Orders.hyper false 17
}
