package document

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

func TestRoundTripUnchanged(t *testing.T) {
	for _, name := range []string{"superstore.twb", "orders.tds", "legacy93.tds"} {
		t.Run(name, func(t *testing.T) {
			src := readFixture(t, name)
			d := openBytes(t, src)
			// Read everything: reading must not change anything.
			if w, err := d.Workbook(); err == nil {
				for _, ds := range w.Datasources() {
					for _, f := range ds.Fields() {
						_ = f.Aliases()
						_ = f.Formula()
					}
				}
				_ = w.Styles()
				_ = w.Parameters()
				_ = w.Palettes()
			}
			if d.Changed() {
				t.Fatal("reading marked the document changed")
			}
			out := saveBytes(t, d)
			if diff := xmlDiff(src, out); diff != "" {
				t.Fatalf("XML differs: %s", diff)
			}
			if !bytes.Equal(src, out) {
				t.Fatal("unchanged document is not byte-identical")
			}
		})
	}
}

// changedLines returns the lines of b that are not in a (a line diff good
// enough for small, line-preserving edits).
func changedLines(a, b []byte) []string {
	al := strings.Split(string(a), "\n")
	bl := strings.Split(string(b), "\n")
	var out []string
	if len(al) == len(bl) {
		for i := range al {
			if al[i] != bl[i] {
				out = append(out, strings.TrimSpace(bl[i]))
			}
		}
		return out
	}
	for _, l := range bl {
		if !slices.Contains(al, l) {
			out = append(out, strings.TrimSpace(l))
		}
	}
	return out
}

func TestChangeConnections(t *testing.T) {
	src := readFixture(t, "superstore.twb")
	w, _ := openBytes(t, src).Workbook()
	conns := w.Connections()
	if len(conns) != 2 {
		t.Fatalf("%d connections", len(conns))
	}
	prod := "prod-db.example.com"
	if err := conns[0].Apply(ConnectionChange{Server: &prod, DBName: ptr("sales"), Port: ptr("6543"), Username: ptr("svc"),
		Schema: ptr("public"), Authentication: ptr("oauth"), InitialSQL: ptr("SET ROLE reader"), QueryBand: ptr("team=bi")}); err != nil {
		t.Fatal(err)
	}
	if err := conns[1].SetClass("azure_sql_dw"); err != nil {
		t.Fatal(err)
	}
	if err := conns[1].SetPort(-1); !errors.Is(err, ErrInvalid) {
		t.Fatalf("bad port: %v", err)
	}
	if err := conns[0].Apply(ConnectionChange{Port: ptr("x")}); !errors.Is(err, ErrInvalid) {
		t.Fatalf("bad port string: %v", err)
	}
	out := saveBytes(t, w.Document)
	lines := changedLines(src, out)
	if len(lines) != 2 {
		t.Fatalf("changed lines: %q", lines)
	}
	if lines[0] != "<connection authentication='oauth' class='postgres' dbname='sales' odbc-native-protocol='' one-time-sql='SET ROLE reader' port='6543' query-band-spec='team=bi' schema='public' server='prod-db.example.com' username='svc' />" {
		t.Fatalf("rewritten start tag: %s", lines[0])
	}
	w2, _ := openBytes(t, out).Workbook()
	c := w2.Connections()
	if c[0].Server() != prod || c[0].DBName() != "sales" || c[0].Port() != "6543" || c[0].InitialSQL() != "SET ROLE reader" ||
		c[0].QueryBand() != "team=bi" || c[0].Schema() != "public" || c[0].Authentication() != "oauth" || c[1].Class() != "azure_sql_dw" {
		t.Fatalf("after reopen: %q %q %q", c[0].Server(), c[0].DBName(), c[1].Class())
	}
	c[0].SetInitialSQL("")
	if _, ok := c[0].Attr("one-time-sql"); ok {
		t.Fatal("empty initial SQL should remove the attribute")
	}
}

func ptr(s string) *string { return &s }

func TestFieldChanges(t *testing.T) {
	src := readFixture(t, "superstore.twb")
	w, _ := openBytes(t, src).Workbook()
	ds := w.Datasources()[0]
	sales, _ := ds.Field("[Sales]")
	if err := sales.SetCaption("Revenue"); err != nil {
		t.Fatal(err)
	}
	region, _ := ds.Field("Sales Region")
	if err := region.SetAlias(`"West"`, "Western"); err != nil {
		t.Fatal(err)
	}
	// A metadata-only field gets a <column> when changed.
	od, _ := ds.Field("[Order Date]")
	if err := od.SetCaption("Ordered On"); err != nil {
		t.Fatal(err)
	}
	// Rename a calculation: formulas referring to it follow.
	above, _ := ds.Field("Above Target")
	if err := above.Rename("[Above Target]"); err != nil {
		t.Fatal(err)
	}
	calc, err := ds.AddCalculatedField("Uses Above", "IF [Above Target] THEN 1 ELSE 0 END", &CalculationOptions{Datatype: "integer"})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(calc.Name(), "[Calculation_") || calc.Role() != "measure" {
		t.Fatalf("new calc %q %q", calc.Name(), calc.Role())
	}
	if err := calc.Rename("Uses Above Flag"); err != nil {
		t.Fatal(err)
	}
	ratio, _ := ds.Field("Profit Ratio")
	if err := ratio.Rename("[Ratio]"); !errors.Is(err, ErrInvalid) {
		t.Fatalf("renaming a field worksheets use: %v", err)
	}
	if err := ratio.SetFormula("SUM([Profit]) / SUM([Sales])"); err != nil {
		t.Fatal(err)
	}
	if _, err := ds.AddCalculatedField("Dup", "1", &CalculationOptions{Name: "[Sales]"}); !errors.Is(err, ErrInvalid) {
		t.Fatalf("duplicate name: %v", err)
	}
	if _, err := ds.AddCalculatedField("Empty", " ", nil); !errors.Is(err, ErrInvalid) {
		t.Fatalf("empty formula: %v", err)
	}
	tmp, err := ds.AddCalculatedField("Temp", "1", nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := ds.RemoveField(tmp.Name()); err != nil {
		t.Fatal(err)
	}
	if err := ds.RemoveField("[Order Date]"); err != nil {
		t.Fatal(err) // it has a <column> now; removing it leaves the metadata-only field
	}
	if err := ds.RemoveField("[Order Date]"); !errors.Is(err, ErrInvalid) {
		t.Fatalf("removing a database column: %v", err)
	}

	out := saveBytes(t, w.Document)
	w2, err := openBytes(t, out).Workbook()
	if err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	ds2 := w2.Datasources()[0]
	get := func(name string) *Field {
		t.Helper()
		f, err := ds2.Field(name)
		if err != nil {
			t.Fatal(err)
		}
		return f
	}
	if get("[Sales]").Caption() != "Revenue" {
		t.Fatal("caption not saved")
	}
	if a := get("[Region]").Aliases(); a[`"West"`] != "Western" || a[`"East"`] != "Eastern" {
		t.Fatalf("aliases %v", a)
	}
	if get("[Above Target]").Formula() == "" {
		t.Fatal("renamed calculation lost")
	}
	uses := get("[Uses Above Flag]")
	if uses.Formula() != "IF [Above Target] THEN 1 ELSE 0 END" || uses.Caption() != "Uses Above" || uses.Datatype() != "integer" {
		t.Fatalf("added calculation: %q %q", uses.Formula(), uses.Caption())
	}
	if get("Profit Ratio").Formula() != "SUM([Profit]) / SUM([Sales])" {
		t.Fatal("formula not changed")
	}
	if _, err := ds2.Field("Temp"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("removed field still there: %v", err)
	}
	if od := get("[Order Date]"); od.Caption() != "" {
		t.Fatalf("order date caption %q", od.Caption())
	}
	// Untouched parts keep their bytes: everything from the dashboards on.
	i, j := bytes.Index(src, []byte("<dashboards>")), bytes.Index(out, []byte("<dashboards>"))
	if !bytes.Equal(src[i:], out[j:]) {
		t.Fatal("bytes after the worksheets changed")
	}
	// The worksheet's copy of [Sales] got the new caption.
	if !bytes.Contains(out, []byte("<column caption='Revenue' datatype='real' name='[Sales]' role='measure' type='quantitative' />\n            <column-instance")) {
		t.Fatal("worksheet copy of [Sales] not recaptioned")
	}
}

func TestParameterChanges(t *testing.T) {
	w := openWorkbookFixture(t)
	p, _ := w.Parameter("Region Choice")
	if err := p.SetValue(`"North"`); !errors.Is(err, ErrInvalid) {
		t.Fatalf("value outside the list: %v", err)
	}
	if err := p.SetValue(Literal("string", "West")); err != nil {
		t.Fatal(err)
	}
	q, _ := w.Parameter("[Parameter 2]")
	if err := q.SetValue("51"); !errors.Is(err, ErrInvalid) {
		t.Fatalf("above max: %v", err)
	}
	if err := q.SetValue("abc"); !errors.Is(err, ErrInvalid) {
		t.Fatalf("not a number: %v", err)
	}
	if err := q.SetValue("25"); err != nil {
		t.Fatal(err)
	}
	w2, _ := openBytes(t, saveBytes(t, w.Document)).Workbook()
	p2, _ := w2.Parameter("Region Choice")
	q2, _ := w2.Parameter("Top N")
	if p2.Value() != `"West"` || p2.f.Formula() != `"West"` || q2.Value() != "25" {
		t.Fatalf("values after save: %s %s", p2.Value(), q2.Value())
	}
	out := string(saveBytes(t, w.Document))
	want := "          <datasource-dependencies datasource='Parameters'>\n            <column caption='Top N' datatype='integer' name='[Parameter 2]' param-domain-type='range' role='measure' type='quantitative' value='25'>\n              <calculation class='tableau' formula='25' />"
	if !strings.Contains(out, want) {
		t.Fatalf("worksheet copy of the parameter not updated:\n%s", out)
	}
}

func TestStyles(t *testing.T) {
	w := openWorkbookFixture(t)
	var fonts []string
	for _, s := range w.Fonts() {
		fonts = append(fonts, s.Value+"@"+s.Scope+"/"+s.Element)
	}
	want := []string{
		"Tableau Book@workbook/all", "Comic Sans MS@workbook/worksheet",
		`Arial@worksheet "Sales by Region"/text`, `Papyrus@worksheet "Sales by Region"/cell`,
		`Tableau Semibold@dashboard "Overview"/dash-title`,
	}
	if !slices.Equal(fonts, want) {
		t.Fatalf("fonts\n got %q\nwant %q", fonts, want)
	}
	var colors []string
	for _, s := range w.Colors() {
		colors = append(colors, s.Attr+"="+s.Value)
	}
	wantColors := []string{"color=#333333", "fontcolor=#ff0000", "color=#abcdef", "map=#4e79a7", "background-color=#ffffff", "border-color=#000000"}
	if !slices.Equal(colors, wantColors) {
		t.Fatalf("colors\n got %q\nwant %q", colors, wantColors)
	}
	styles := w.Styles()
	var pal *StyleSetting
	for _, s := range styles {
		if s.Kind == StylePalette {
			pal = s
		}
	}
	if pal == nil || pal.Value != "tableau-10" {
		t.Fatalf("palette reference %+v", pal)
	}
	papyrus := w.Fonts()[3]
	if papyrus.Location.Line != 152 {
		t.Fatalf("location %v", papyrus.Location)
	}
	if !strings.Contains(papyrus.Location.Path, `worksheet "Sales by Region" > style > style-rule[element=cell] > format[font-family]`) {
		t.Fatalf("path %q", papyrus.Location.Path)
	}
	if err := papyrus.Set("Tableau Book"); err != nil {
		t.Fatal(err)
	}
	if err := w.Colors()[1].Set("red"); !errors.Is(err, ErrInvalid) {
		t.Fatalf("bad color: %v", err)
	}
	if err := w.Colors()[1].Set("#1f77b4"); err != nil {
		t.Fatal(err)
	}
	if err := pal.Set("Corporate"); err != nil {
		t.Fatal(err)
	}
	ps := w.Palettes()
	if len(ps) != 1 || ps[0].Name() != "Corporate" || ps[0].Type() != "regular" || !slices.Equal(ps[0].Colors(), []string{"#1f77b4", "#ff7f0e", "#2ca02c"}) {
		t.Fatalf("palettes %+v", ps)
	}
	if err := ps[0].SetColors([]string{"#000000", "#ffffff"}); err != nil {
		t.Fatal(err)
	}
	if _, err := w.AddPalette("Corporate", "", []string{"#000000"}); !errors.Is(err, ErrInvalid) {
		t.Fatalf("duplicate palette: %v", err)
	}
	if _, err := w.AddPalette("Diverging", "ordered-diverging", []string{"#ff0000", "#0000ff"}); err != nil {
		t.Fatal(err)
	}
	out := saveBytes(t, w.Document)
	w2, err := openBytes(t, out).Workbook()
	if err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	if got := w2.Fonts()[3].Value; got != "Tableau Book" {
		t.Fatalf("font after save %q", got)
	}
	if got := w2.Colors()[1].Value; got != "#1f77b4" {
		t.Fatalf("run color after save %q", got)
	}
	p2, _ := w2.Palette("Corporate")
	if !slices.Equal(p2.Colors(), []string{"#000000", "#ffffff"}) {
		t.Fatalf("palette colors %v", p2.Colors())
	}
	d2, err := w2.Palette("Diverging")
	if err != nil || d2.Type() != "ordered-diverging" || len(d2.Colors()) != 2 {
		t.Fatalf("added palette %v %v", d2, err)
	}
}

func TestAddPaletteWithoutPreferences(t *testing.T) {
	src := []byte("<?xml version='1.0' encoding='utf-8' ?>\n<workbook version='18.1'>\n  <document-format-change-manifest />\n  <datasources />\n</workbook>\n")
	w, _ := openBytes(t, src).Workbook()
	if _, err := w.AddPalette("P", "", []string{"#123456"}); err != nil {
		t.Fatal(err)
	}
	if _, err := w.AddPalette("Q", "", []string{"#654321"}); err != nil {
		t.Fatal(err)
	}
	out := saveBytes(t, w.Document)
	want := "<?xml version='1.0' encoding='utf-8' ?>\n<workbook version='18.1'>\n  <document-format-change-manifest />\n  <preferences>\n    <color-palette name='P' type='regular'>\n      <color>#123456</color>\n    </color-palette>\n    <color-palette name='Q' type='regular'>\n      <color>#654321</color>\n    </color-palette>\n  </preferences>\n  <datasources />\n</workbook>\n"
	if string(out) != want {
		t.Fatalf("got\n%s", out)
	}
}

func TestSaveFiles(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	p := filepath.Join(dir, "w.twb")
	if err := os.WriteFile(p, readFixture(t, "superstore.twb"), 0o644); err != nil {
		t.Fatal(err)
	}
	w, err := OpenWorkbook(ctx, p, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	w.Connections()[0].SetServer("a.example.com")
	if err := w.Save(ctx); err != nil {
		t.Fatal(err)
	}
	w.Connections()[0].SetServer("b.example.com")
	if err := w.SaveAs(ctx, filepath.Join(dir, "copy.twb")); err != nil {
		t.Fatal(err)
	}
	for file, want := range map[string]string{"w.twb": "a.example.com", "copy.twb": "b.example.com"} {
		w2, err := OpenWorkbook(ctx, filepath.Join(dir, file), nil)
		if err != nil {
			t.Fatal(err)
		}
		if got := w2.Connections()[0].Server(); got != want {
			t.Fatalf("%s: server %q, want %q", file, got, want)
		}
		w2.Close()
	}
	rd := openBytes(t, readFixture(t, "orders.tds"))
	if err := rd.Save(ctx); !errors.Is(err, ErrInvalid) {
		t.Fatalf("Save after Read: %v", err)
	}
	if _, err := OpenDatasource(ctx, p, nil); !errors.Is(err, ErrWrongKind) {
		t.Fatalf("workbook as datasource: %v", err)
	}
	if _, err := Open(ctx, filepath.Join(dir, "missing.twb"), nil); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("missing file: %v", err)
	}
}

func TestChangeLayout(t *testing.T) {
	src := readFixture(t, "superstore.twb")
	w, _ := openBytes(t, src).Workbook()
	ds := w.Datasources()[0]
	region, _ := ds.Field("[Region]")
	if err := region.SetFormula("UPPER([Region])"); err != nil {
		t.Fatal(err)
	}
	if err := region.SetAlias(`"Central"`, "Middle"); err != nil {
		t.Fatal(err)
	}
	sales, _ := ds.Field("[Sales]")
	if err := sales.SetAlias("1", "one"); err != nil {
		t.Fatal(err)
	}
	out := string(saveBytes(t, w.Document))
	for _, want := range []string{
		"      <column caption='Sales Region' datatype='string' name='[Region]' role='dimension' type='nominal'>\n        <calculation class='tableau' formula='UPPER([Region])' />\n        <desc>\n",
		"          <alias key='&quot;East&quot;' value='Eastern' />\n          <alias key='&quot;Central&quot;' value='Middle' />\n        </aliases>\n",
		"      <column datatype='real' name='[Sales]' role='measure' type='quantitative'>\n        <aliases>\n          <alias key='1' value='one' />\n        </aliases>\n      </column>\n",
	} {
		if !strings.Contains(out, want) {
			t.Fatalf("missing\n%s\nin\n%s", want, out)
		}
	}
}

func TestCRLFDocument(t *testing.T) {
	src := bytes.ReplaceAll(readFixture(t, "orders.tds"), []byte("\n"), []byte("\r\n"))
	d := openBytes(t, src)
	if out := saveBytes(t, d); !bytes.Equal(out, src) {
		t.Fatal("unchanged CRLF document not byte-identical")
	}
	ds, _ := d.Datasource()
	if _, err := ds.AddCalculatedField("Triple", "[Amount] * 3", &CalculationOptions{Name: "[Triple]"}); err != nil {
		t.Fatal(err)
	}
	f, _ := ds.Field("Order ID")
	if err := f.SetAlias("1", "first"); err != nil {
		t.Fatal(err)
	}
	ds.Connections()[0].SetServer("prod")
	out := saveBytes(t, d)
	if bytes.Contains(bytes.ReplaceAll(out, []byte("\r\n"), nil), []byte("\n")) {
		t.Fatalf("bare LF written into a CRLF document:\n%q", out)
	}
	d2 := openBytes(t, out)
	ds2, _ := d2.Datasource()
	if f, err := ds2.Field("[Triple]"); err != nil || f.Formula() != "[Amount] * 3" {
		t.Fatalf("added field: %v", err)
	}
}

func TestSetCustomSQL(t *testing.T) {
	src := readFixture(t, "orders.tds")
	d := openBytes(t, src)
	ds, _ := d.Datasource()
	q := `SELECT o.id, o.amount AS "Amount" FROM prod.orders o WHERE o.amount > 0 AND o.kind <> 'test'`
	if err := ds.SetCustomSQL("Custom SQL Query", q); err != nil {
		t.Fatal(err)
	}
	if err := ds.SetCustomSQL("Nope", q); !errors.Is(err, ErrNotFound) {
		t.Fatalf("missing relation: %v", err)
	}
	if err := ds.SetCustomSQL("Custom SQL Query", " "); !errors.Is(err, ErrInvalid) {
		t.Fatalf("empty query: %v", err)
	}
	if got := ds.CustomSQL()[0].Query; got != q {
		t.Fatalf("before save %q", got)
	}
	out := saveBytes(t, d)
	lines := changedLines(src, out)
	if len(lines) != 2 || !strings.Contains(lines[0], "FROM prod.orders o WHERE o.amount &gt; 0 AND o.kind &lt;&gt; 'test'</_.fcp.ObjectModelEncapsulateLegacy.false...relation>") ||
		!strings.Contains(lines[1], "FROM prod.orders o WHERE o.amount &gt; 0 AND o.kind &lt;&gt; 'test'</_.fcp.ObjectModelEncapsulateLegacy.true...relation>") {
		t.Fatalf("changed lines %q", lines)
	}
	ds2, _ := openBytes(t, out).Datasource()
	if got := ds2.CustomSQL()[0].Query; got != q {
		t.Fatalf("after save %q", got)
	}
}

func TestFieldChangesReachWorksheetCopies(t *testing.T) {
	w := openWorkbookFixture(t)
	ds := w.Datasources()[0]
	ratio, _ := ds.Field("Profit Ratio")
	if err := ratio.SetCaption("Margin"); err != nil {
		t.Fatal(err)
	}
	if err := ratio.SetFormula("SUM([Profit]) / SUM([Sales])"); err != nil {
		t.Fatal(err)
	}
	region, _ := ds.Field("[Region]")
	if err := region.SetCaption(""); err != nil {
		t.Fatal(err)
	}
	w2, _ := openBytes(t, saveBytes(t, w.Document)).Workbook()
	ws, _ := w2.Worksheet("Profit Trend")
	found := false
	for _, u := range ws.Fields() {
		if u.Field == "[Calculation_1368249927221915648]" {
			found = true
			if u.Caption != "Margin" {
				t.Fatalf("worksheet copy caption %q", u.Caption)
			}
		}
	}
	if !found {
		t.Fatal("dependency missing")
	}
	ws1, _ := w2.Worksheet("Sales by Region")
	for _, u := range ws1.Fields() {
		if u.Field == "[Region]" && u.Caption != "" {
			t.Fatalf("removed caption still in worksheet copy: %q", u.Caption)
		}
	}
	out := string(saveBytes(t, w2.Document))
	if strings.Count(out, "formula='SUM([Profit]) / SUM([Sales])'") != 2 {
		t.Fatal("formula copy not updated")
	}
}

func TestFeatureFlaggedStyleRule(t *testing.T) {
	src := "<workbook version='18.1'>\n  <style>\n    <_.fcp.MarkAnimation.true...style-rule element='title'>\n      <format attr='font-family' value='Georgia' />\n    </_.fcp.MarkAnimation.true...style-rule>\n  </style>\n</workbook>\n"
	w, _ := openBytes(t, []byte(src)).Workbook()
	f := w.Fonts()
	if len(f) != 1 || f[0].Element != "title" || f[0].Location.String() != "line 4: workbook > style > style-rule[element=title] > format[font-family]" {
		t.Fatalf("fonts %+v", f)
	}
}
