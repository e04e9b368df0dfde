package metadata_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"strings"
	"testing"

	"github.com/tableau-go/sdk/metadata"
	"github.com/tableau-go/sdk/metadata/internal/mdtest"
	"github.com/tableau-go/sdk/rest"
)

func TestDictionary(t *testing.T) {
	st := mdtest.New(t)
	c := newClient(t, st, nil)
	ctx := context.Background()
	d, err := c.Dictionary(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(d.Datasources) != 1 || d.Datasources[0].Name != "Orders" || d.Datasources[0].Embedded {
		t.Fatalf("datasources %+v", d.Datasources)
	}
	ds := d.Datasources[0]
	if ds.Project != "Default" || ds.Owner != "admin" || len(ds.UpstreamTables) != 1 || ds.UpstreamTables[0] != "sales.[public].[orders]" {
		t.Errorf("datasource %+v", ds)
	}
	byName := map[string]metadata.DictionaryField{}
	for _, f := range ds.Fields {
		byName[f.Name] = f
	}
	if f := byName["Amount"]; f.Description != "Order amount in USD, before discount." || f.DataType != "REAL" || f.Role != "MEASURE" || f.Kind != "ColumnField" {
		t.Errorf("Amount %+v", f)
	}
	if f := byName["Big Order"]; f.Formula != "[Calculation_101] > 1000" || f.Kind != "CalculatedField" || f.DataType != "BOOLEAN" ||
		len(f.UpstreamTables) != 1 {
		t.Errorf("Big Order %+v", f)
	}

	d, err = c.Dictionary(ctx, &metadata.DictionaryOptions{Embedded: true})
	if err != nil {
		t.Fatal(err)
	}
	var amount *metadata.DictionaryField
	for _, ds := range d.Datasources {
		if ds.Embedded && ds.Name == "Orders" {
			if ds.Workbook != "Sales" {
				t.Errorf("embedded datasource %+v", ds)
			}
			for i := range ds.Fields {
				if ds.Fields[i].Name == "Amount" {
					amount = &ds.Fields[i]
				}
			}
		}
	}
	if amount == nil || amount.Kind != "DatasourceField" || amount.DescriptionFrom != "published datasource field Amount" ||
		amount.Description == "" || amount.DataType != "REAL" {
		t.Fatalf("inherited field %+v", amount)
	}
	if len(d.Datasources) != 3 || d.Requests < 2 {
		t.Errorf("%d datasources, %d requests", len(d.Datasources), d.Requests)
	}

	var md, cs, html bytes.Buffer
	if err := d.WriteMarkdown(&md); err != nil {
		t.Fatal(err)
	}
	if err := d.WriteCSV(&cs); err != nil {
		t.Fatal(err)
	}
	if err := d.WriteHTML(&html); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(md.String(), "## Sales / Orders (embedded)") || !strings.Contains(md.String(), "`[Calculation_101] > 1000`") {
		t.Errorf("markdown:\n%s", md.String())
	}
	rows, err := csv.NewReader(&cs).ReadAll()
	fields := 0
	for _, ds := range d.Datasources {
		fields += len(ds.Fields)
	}
	if err != nil || len(rows) != fields+1 {
		t.Errorf("csv: %d rows for %d fields, %v", len(rows), fields, err)
	}
	h := html.String()
	if !strings.Contains(h, "<script>") || strings.Contains(h, "src=") || !strings.Contains(h, "[Calculation_101] &gt; 1000") {
		t.Errorf("html not self-contained or formula not escaped")
	}
}

func TestDictionaryFilters(t *testing.T) {
	st := mdtest.New(t)
	c := newClient(t, st, nil)
	d, err := c.Dictionary(context.Background(), &metadata.DictionaryOptions{Projects: []string{"Nope"}, Embedded: true})
	if err != nil || len(d.Datasources) != 0 {
		t.Fatalf("project filter: %v %v", err, d)
	}
}

// TestDictionaryFollowsREST: certifying and describing a datasource through
// REST shows in the dictionary (the graph is rebuilt when items change).
func TestDictionaryFollowsREST(t *testing.T) {
	st := mdtest.New(t)
	c := newClient(t, st, nil)
	ctx := context.Background()
	if _, err := c.Dictionary(ctx, nil); err != nil {
		t.Fatal(err)
	}
	ds, err := st.REST.Datasources.GetByName(ctx, "Orders", "")
	if err != nil {
		t.Fatal(err)
	}
	yes, note, desc := true, "Checked by finance", "All orders since 2020."
	if _, err := st.REST.Datasources.Update(ctx, ds.ID, rest.DatasourceUpdate{IsCertified: &yes, CertificationNote: &note, Description: &desc}); err != nil {
		t.Fatal(err)
	}
	d, err := c.Dictionary(ctx, &metadata.DictionaryOptions{Datasources: []string{"Orders"}})
	if err != nil {
		t.Fatal(err)
	}
	if len(d.Datasources) != 1 || !d.Datasources[0].Certified || d.Datasources[0].CertificationNote != note ||
		d.Datasources[0].Description != desc || d.Datasources[0].LUID != ds.ID {
		t.Fatalf("after update: %+v", d.Datasources)
	}
	var md bytes.Buffer
	if err := d.WriteMarkdown(&md); err != nil || !strings.Contains(md.String(), "- Certified: yes (Checked by finance)") {
		t.Errorf("markdown: %v\n%s", err, md.String())
	}
}
