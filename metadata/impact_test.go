package metadata_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/tableau-go/sdk/metadata"
	"github.com/tableau-go/sdk/metadata/internal/mdtest"
)

// names returns "kind:name" of every dependent.
func names(im *metadata.Impact) []string {
	var out []string
	for _, n := range im.Dependents() {
		out = append(out, string(n.Kind)+":"+n.Name)
	}
	slices.Sort(out)
	return out
}

func TestImpactOfColumn(t *testing.T) {
	st := mdtest.New(t)
	st.Server.SetMetadataNodeLimit(15) // force small pages
	c := newClient(t, st, &metadata.Options{PageSize: 10})
	im, err := c.Impact(context.Background(), metadata.Target{Database: "SALES", Table: "orders", Column: "amount"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		"calculated field:Amount per Order", "calculated field:Big Order", "calculated field:Net Amount",
		"dashboard:Sales Overview", "field:Amount", "field:Amount", "field:Net Amount",
		"published datasource:Orders", "sheet:Order Size", "sheet:Revenue by Region", "workbook:Sales",
	}
	if got := names(im); !slices.Equal(got, want) {
		t.Errorf("dependents:\n got %v\nwant %v", got, want)
	}
	for _, n := range im.Dependents() {
		if n.Path[0] != "public.orders.amount" || n.Path[len(n.Path)-1] != n.Name {
			t.Errorf("%s %q: path %v", n.Kind, n.Name, n.Path)
		}
		if n.Kind == metadata.KindWorkbook && (n.Project != "Default" || n.Owner != "admin" || n.LUID == "") {
			t.Errorf("workbook node %+v", n)
		}
		if n.Name == "Big Order" && !strings.Contains(n.Formula, "> 1000") {
			t.Errorf("Big Order formula %q", n.Formula)
		}
	}
	if im.Count()[metadata.KindSheet] != 2 {
		t.Errorf("count %v", im.Count())
	}
}

func TestImpactOfUnusedColumnAndOtherTargets(t *testing.T) {
	st := mdtest.New(t)
	c := newClient(t, st, nil)
	ctx := context.Background()
	// region feeds one sheet; the custom SQL's columns are not database tables.
	im, err := c.Impact(ctx, metadata.Target{Table: "orders", Column: "region"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if got := names(im); !slices.Contains(got, "sheet:Revenue by Region") || slices.Contains(got, "sheet:Order Size") {
		t.Errorf("region dependents %v", got)
	}
	im, err = c.Impact(ctx, metadata.Target{Table: "orders", Column: "no_such_column"}, nil)
	if err != nil || len(im.Dependents()) != 0 || len(im.Start) != 0 {
		t.Fatalf("missing column: %v, %v", err, im)
	}
	im, err = c.Impact(ctx, metadata.Target{Database: "sales"}, nil)
	if err != nil || !slices.Contains(names(im), "workbook:Sales") || len(im.Start) != 1 {
		t.Fatalf("database: %v %v %v", err, names(im), im.Start)
	}
	im, err = c.Impact(ctx, metadata.Target{Database: "sales", Schema: "PUBLIC"}, nil)
	if err != nil || !slices.Contains(names(im), "sheet:Order Size") || slices.Contains(names(im), "sheet:Customers") {
		t.Fatalf("schema: %v %v", err, names(im))
	}
	ds, err := st.REST.Datasources.GetByName(ctx, "Orders", "")
	if err != nil {
		t.Fatal(err)
	}
	im, err = c.Impact(ctx, metadata.Target{Datasource: ds.ID, Field: "Region"}, nil)
	if err != nil || !slices.Equal(names(im), []string{"dashboard:Sales Overview", "field:Region", "sheet:Revenue by Region", "workbook:Sales"}) {
		t.Fatalf("field by LUID: %v %v", err, names(im))
	}
	im, err = c.Impact(ctx, metadata.Target{Datasource: "orders", Field: "net amount"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	got := names(im)
	if !slices.Contains(got, "calculated field:Big Order") || !slices.Contains(got, "sheet:Order Size") || slices.Contains(got, "sheet:Revenue by Region") {
		t.Errorf("field dependents %v", got)
	}
}

func TestParseTarget(t *testing.T) {
	for in, want := range map[string]metadata.Target{
		"sales.public.orders.amount": {Database: "sales", Schema: "public", Table: "orders", Column: "amount"},
		"..orders":                   {Table: "orders"},
		"sales":                      {Database: "sales"},
		"datasource:Orders/Amount":   {Datasource: "Orders", Field: "Amount"},
	} {
		got, err := metadata.ParseTarget(in)
		if err != nil || got != want {
			t.Errorf("ParseTarget(%q) = %+v, %v", in, got, err)
		}
		if got.String() != in && in != "..orders" {
			t.Errorf("String() = %q, want %q", got.String(), in)
		}
	}
	for _, bad := range []string{"", "a.b.c.d.e", "datasource:Orders", "...amount"} {
		if _, err := metadata.ParseTarget(bad); !errors.Is(err, metadata.ErrBadTarget) {
			t.Errorf("ParseTarget(%q): err = %v", bad, err)
		}
	}
}

func TestImpactOutputs(t *testing.T) {
	st := mdtest.New(t)
	c := newClient(t, st, nil)
	ctx := context.Background()
	im, err := c.Impact(ctx, metadata.Target{Table: "orders", Column: "discount"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	var tbl, csvOut, js, mm, dot, svg bytes.Buffer
	for name, f := range map[string]func() error{
		"table": func() error { return im.WriteTable(&tbl) }, "csv": func() error { return im.WriteCSV(&csvOut) },
		"json": func() error { return im.WriteJSON(&js) }, "mermaid": func() error { return im.WriteMermaid(&mm) },
		"dot": func() error { return im.WriteDOT(&dot) }, "svg": func() error { return im.WriteSVG(ctx, &svg) },
	} {
		if err := f(); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
	}
	rows, err := csv.NewReader(&csvOut).ReadAll()
	if err != nil || len(rows) != len(im.Dependents())+1 || rows[0][0] != "kind" {
		t.Errorf("csv: %v rows, %v", len(rows), err)
	}
	if !strings.Contains(tbl.String(), "Big Order") || !strings.HasPrefix(tbl.String(), "KIND") {
		t.Errorf("table:\n%s", tbl.String())
	}
	var back metadata.Impact
	if err := json.Unmarshal(js.Bytes(), &back); err != nil || len(back.Nodes) != len(im.Nodes) || len(back.Edges) != len(im.Edges) {
		t.Errorf("json round trip: %v", err)
	}
	if !strings.HasPrefix(mm.String(), "flowchart LR\n") || strings.Count(mm.String(), "-->") != len(im.Edges) {
		t.Errorf("mermaid:\n%s", mm.String())
	}
	if !strings.HasPrefix(dot.String(), "digraph lineage {") || strings.Count(dot.String(), "->") != len(im.Edges) {
		t.Errorf("dot:\n%s", dot.String())
	}
	if !bytes.Contains(svg.Bytes(), []byte("<svg")) || !bytes.Contains(svg.Bytes(), []byte("Net Amount")) {
		t.Errorf("svg: %.300s", svg.String())
	}
}

func TestImpactBadInput(t *testing.T) {
	st := mdtest.New(t)
	c := newClient(t, st, nil)
	if _, err := c.Impact(context.Background(), metadata.Target{Column: "amount"}, nil); !errors.Is(err, metadata.ErrBadTarget) {
		t.Errorf("column without table: %v", err)
	}
	if _, err := c.Impact(context.Background(), metadata.Target{Table: "orders"}, &metadata.ImpactOptions{MaxFields: 1}); err == nil {
		t.Error("MaxFields 1: no error")
	}
	if err := metadata.RenderSVG(context.Background(), []byte("digraph { a -> "), &bytes.Buffer{}); err == nil {
		t.Error("bad DOT: no error")
	}
}
