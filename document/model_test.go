package document

import (
	"errors"
	"maps"
	"slices"
	"testing"
)

func TestWorkbookModel(t *testing.T) {
	w := openWorkbookFixture(t)
	if w.Kind() != KindWorkbook || w.Version() != "18.1" || w.Packaged() {
		t.Fatalf("kind %v version %q packaged %v", w.Kind(), w.Version(), w.Packaged())
	}
	dss := w.Datasources()
	if len(dss) != 1 || dss[0].Name() != "federated.0a1b2c3d4e5f6g" || dss[0].Caption() != "Orders (Sales DB)" {
		t.Fatalf("datasources: %d %v", len(dss), dss)
	}
	var sheets []string
	for _, ws := range w.Worksheets() {
		sheets = append(sheets, ws.Name())
	}
	if !slices.Equal(sheets, []string{"Sales by Region", "Profit Trend"}) {
		t.Fatalf("worksheets %v", sheets)
	}
	dbs := w.Dashboards()
	if len(dbs) != 1 || dbs[0].Name() != "Overview" {
		t.Fatalf("dashboards %v", dbs)
	}
	if got := dbs[0].Sheets(); !slices.Equal(got, []string{"Sales by Region", "Profit Trend"}) {
		t.Fatalf("dashboard sheets %v", got)
	}
	ws, err := w.Worksheet("Profit Trend")
	if err != nil {
		t.Fatal(err)
	}
	if got := ws.Datasources(); !slices.Equal(got, []string{"federated.0a1b2c3d4e5f6g", "Parameters"}) {
		t.Fatalf("worksheet datasources %v", got)
	}
	want := []FieldUse{
		{Datasource: "Parameters", Field: "[Parameter 2]", Caption: "Top N"},
		{Datasource: "federated.0a1b2c3d4e5f6g", Field: "[Calculation_1368249927221915648]", Caption: "Profit Ratio"},
		{Datasource: "federated.0a1b2c3d4e5f6g", Field: "[Order Date]"},
	}
	if got := ws.Fields(); !slices.Equal(got, want) {
		t.Fatalf("worksheet fields\n got %v\nwant %v", got, want)
	}
	f, err := dss[0].Field("Sales Region")
	if err != nil {
		t.Fatal(err)
	}
	if got := f.Worksheets(); !slices.Equal(got, []string{"Sales by Region"}) {
		t.Fatalf("field worksheets %v", got)
	}
	if _, err := w.Worksheet("nope"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("missing worksheet: %v", err)
	}
	if _, err := w.Document.Datasource(); !errors.Is(err, ErrWrongKind) {
		t.Fatalf("workbook as datasource: %v", err)
	}
}

func TestParametersModel(t *testing.T) {
	w := openWorkbookFixture(t)
	ps := w.Parameters()
	if len(ps) != 2 {
		t.Fatalf("%d parameters", len(ps))
	}
	p := ps[0]
	if p.Name() != "[Parameter 1]" || p.Caption() != "Region Choice" || p.Datatype() != "string" || p.Domain() != "list" || p.Value() != `"East"` {
		t.Fatalf("parameter 1: %q %q %q %q %q", p.Name(), p.Caption(), p.Datatype(), p.Domain(), p.Value())
	}
	want := []ParameterMember{{Value: `"East"`}, {Value: `"West"`}, {Value: `"Central"`}}
	if got := p.Allowed(); !slices.Equal(got, want) {
		t.Fatalf("allowed %v", got)
	}
	q, err := w.Parameter("Top N")
	if err != nil {
		t.Fatal(err)
	}
	if q.Domain() != "range" || q.Value() != "10" || q.Range() != (ParameterRange{Min: "1", Max: "50", Granularity: "1"}) {
		t.Fatalf("parameter 2: %q %q %v", q.Domain(), q.Value(), q.Range())
	}
}

func TestDatasourceModel(t *testing.T) {
	w := openWorkbookFixture(t)
	ds := w.Datasources()[0]
	conns := ds.Connections()
	if len(conns) != 2 {
		t.Fatalf("%d connections", len(conns))
	}
	c := conns[0]
	if c.Name() != "postgres.1k2j3h4g5f" || c.Caption() != "test-db.example.com" || c.Class() != "postgres" ||
		c.Server() != "test-db.example.com" || c.Port() != "5432" || c.DBName() != "sales_test" || c.Username() != "analyst" ||
		c.Authentication() != "username-password" {
		t.Fatalf("connection 0: %+v", c)
	}
	if conns[1].Schema() != "dbo" || conns[1].Class() != "sqlserver" {
		t.Fatalf("connection 1 schema %q class %q", conns[1].Schema(), conns[1].Class())
	}
	var names []string
	for _, f := range ds.Fields() {
		names = append(names, f.Name())
	}
	wantNames := []string{"[Calculation_1368249927221915648]", "[Region]", "[Sales]", "[Calculation_2]", "[Order Date]"}
	if !slices.Equal(names, wantNames) {
		t.Fatalf("fields %v", names)
	}
	region, _ := ds.Field("[Region]")
	if region.Caption() != "Sales Region" || region.Alias() != "region" || region.Datatype() != "string" || region.Role() != "dimension" ||
		region.Type() != "nominal" || region.Hidden() || region.DefaultAggregation() != "Count" || region.Description() != "Sales region of the order." ||
		region.RemoteName() != "region" || region.DisplayName() != "Sales Region" {
		t.Fatalf("region: %q %q %q %q %q %v %q %q", region.Caption(), region.Alias(), region.Datatype(), region.Role(), region.Type(), region.Hidden(), region.DefaultAggregation(), region.Description())
	}
	if got := region.Aliases(); !maps.Equal(got, map[string]string{`"East"`: "Eastern"}) {
		t.Fatalf("aliases %v", got)
	}
	od, _ := ds.Field("Order Date")
	if od.Datatype() != "date" || od.DefaultAggregation() != "Year" || od.Caption() != "" || od.DisplayName() != "Order Date" {
		t.Fatalf("metadata-only field: %q %q", od.Datatype(), od.DefaultAggregation())
	}
	calcs := ds.CalculatedFields()
	if len(calcs) != 2 {
		t.Fatalf("%d calculations", len(calcs))
	}
	if got := calcs[0].ReferencedFields(); !slices.Equal(got, []string{"[Profit]", "[Sales]"}) {
		t.Fatalf("refs %v", got)
	}
	if got := calcs[1].Formula(); got != "[Sales] > [Parameters].[Parameter 2] AND [Region] = 'East'" {
		t.Fatalf("formula %q", got)
	}
	if got := calcs[1].ReferencedFields(); !slices.Equal(got, []string{"[Sales]", "[Parameters].[Parameter 2]", "[Region]"}) {
		t.Fatalf("refs %v", got)
	}
	if !calcs[1].Hidden() {
		t.Fatal("Above Target should be hidden")
	}
	sql := ds.CustomSQL()
	if len(sql) != 1 || sql[0].Connection != "sqlserver.0z9y8x7w6v" || sql[0].Query != `SELECT region AS "Region", target FROM dbo.targets WHERE year >= 2020 AND kind <> 'x'` {
		t.Fatalf("custom SQL %+v", sql)
	}
	if ds.Extract() != nil {
		t.Fatal("no extract expected")
	}
}

func TestDatasourceFileModel(t *testing.T) {
	d := openBytes(t, readFixture(t, "orders.tds"))
	ds, err := d.Datasource()
	if err != nil {
		t.Fatal(err)
	}
	if ds.Name() != "federated.1abc2def3ghi" || d.Kind() != KindDatasource {
		t.Fatalf("name %q", ds.Name())
	}
	c := ds.Connections()
	if len(c) != 1 || c[0].InitialSQL() != "SET search_path TO staging" || c[0].QueryBand() != "app=tableau" {
		t.Fatalf("connections %v", c)
	}
	x := ds.Extract()
	if x == nil || !x.Enabled || x.Class != "hyper" || x.DBName != "Data/Extracts/Orders.hyper" {
		t.Fatalf("extract %+v", x)
	}
	sql := ds.CustomSQL()
	if len(sql) != 1 || sql[0].Name != "Custom SQL Query" || sql[0].Query != `SELECT o.id, o.amount AS "Amount" FROM orders o WHERE o.amount > 0` {
		t.Fatalf("custom SQL %+v", sql)
	}
	amount, err := ds.Field("Amount")
	if err != nil {
		t.Fatal(err)
	}
	if amount.Alias() != "Amount" || amount.Datatype() != "real" {
		t.Fatalf("amount %q %q", amount.Alias(), amount.Datatype())
	}
	if _, err := d.Workbook(); !errors.Is(err, ErrWrongKind) {
		t.Fatalf("datasource as workbook: %v", err)
	}
}

func TestLegacyDatasource(t *testing.T) {
	d := openBytes(t, readFixture(t, "legacy93.tds"))
	ds, _ := d.Datasource()
	c := ds.Connections()
	if len(c) != 1 || c[0].Class() != "mysql" || c[0].Name() != "" || c[0].Port() != "3306" {
		t.Fatalf("legacy connections %+v", c)
	}
	c[0].SetServer("mysql.prod.local")
	out := saveBytes(t, d)
	d2 := openBytes(t, out)
	ds2, _ := d2.Datasource()
	if got := ds2.Connections()[0].Server(); got != "mysql.prod.local" {
		t.Fatalf("server after save %q", got)
	}
}
