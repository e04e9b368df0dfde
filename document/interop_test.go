package document

import (
	"archive/zip"
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/tableau-go/sdk/internal/testenv"
)

type pyField struct {
	Caption     *string `json:"caption"`
	Calculation *string `json:"calculation"`
	Datatype    *string `json:"datatype"`
}

type pyDatasource struct {
	Name        string `json:"name"`
	Caption     string `json:"caption"`
	Connections []struct {
		Server     *string `json:"server"`
		DBName     *string `json:"dbname"`
		Port       *string `json:"port"`
		Username   *string `json:"username"`
		Class      *string `json:"class"`
		Schema     *string `json:"schema"`
		InitialSQL *string `json:"initial_sql"`
		QueryBand  *string `json:"query_band"`
	} `json:"connections"`
	Fields map[string]pyField `json:"fields"`
}

type pyDoc struct {
	Worksheets  []string       `json:"worksheets"`
	Dashboards  []string       `json:"dashboards"`
	Datasources []pyDatasource `json:"datasources"`
}

func readWithPython(t *testing.T, kind, path string) pyDoc {
	t.Helper()
	py := testenv.Python(t)
	cmd := exec.Command(py, filepath.Join("testdata", "interop_read.py"), kind, path)
	out, err := cmd.Output()
	if err != nil {
		var stderr []byte
		if ee, ok := err.(*exec.ExitError); ok {
			stderr = ee.Stderr
		}
		t.Fatalf("tableaudocumentapi could not read %s: %v\n%s", path, err, stderr)
	}
	var d pyDoc
	if err := json.Unmarshal(out, &d); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	return d
}

func str(p *string) string {
	if p == nil {
		return "<nil>"
	}
	return *p
}

func TestInteropWorkbook(t *testing.T) {
	testenv.Python(t)
	ctx := context.Background()
	dir := t.TempDir()
	src := filepath.Join(dir, "superstore.twbx")
	if err := os.WriteFile(src, superstoreTWBX(t), 0o644); err != nil {
		t.Fatal(err)
	}
	w, err := OpenWorkbook(ctx, src, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	c := w.Connections()[0]
	c.SetServer("prod-db.example.com")
	c.SetDBName("sales")
	if err := c.SetPort(6543); err != nil {
		t.Fatal(err)
	}
	c.SetInitialSQL("SET ROLE reader")
	ds := w.Datasources()[0]
	sales, _ := ds.Field("[Sales]")
	if err := sales.SetCaption("Revenue"); err != nil {
		t.Fatal(err)
	}
	if _, err := ds.AddCalculatedField("Margin", "SUM([Profit]) / SUM([Sales])", &CalculationOptions{Name: "[Margin]"}); err != nil {
		t.Fatal(err)
	}
	p, _ := w.Parameter("Top N")
	if err := p.SetValue("20"); err != nil {
		t.Fatal(err)
	}
	// Style changes must not disturb the peer either.
	if err := w.Fonts()[0].Set("Tableau Semibold"); err != nil {
		t.Fatal(err)
	}
	if _, err := w.AddPalette("Brand", "", []string{"#112233", "#445566"}); err != nil {
		t.Fatal(err)
	}
	dst := filepath.Join(dir, "changed.twbx")
	if err := w.SaveAs(ctx, dst); err != nil {
		t.Fatal(err)
	}

	got := readWithPython(t, "workbook", dst)
	if len(got.Worksheets) != 2 || got.Worksheets[0] != "Sales by Region" || len(got.Dashboards) != 1 {
		t.Fatalf("python sees worksheets %v dashboards %v", got.Worksheets, got.Dashboards)
	}
	var orders *pyDatasource
	for i := range got.Datasources {
		if got.Datasources[i].Name == "federated.0a1b2c3d4e5f6g" {
			orders = &got.Datasources[i]
		}
	}
	if orders == nil || len(orders.Connections) != 2 {
		t.Fatalf("python sees datasources %+v", got.Datasources)
	}
	pc := orders.Connections[0]
	if str(pc.Server) != "prod-db.example.com" || str(pc.DBName) != "sales" || str(pc.Port) != "6543" || str(pc.InitialSQL) != "SET ROLE reader" {
		t.Fatalf("python sees connection server %s dbname %s port %s", str(pc.Server), str(pc.DBName), str(pc.Port))
	}
	if f := orders.Fields["[Sales]"]; str(f.Caption) != "Revenue" {
		t.Fatalf("python sees [Sales] caption %s", str(f.Caption))
	}
	if f := orders.Fields["[Margin]"]; str(f.Calculation) != "SUM([Profit]) / SUM([Sales])" || str(f.Caption) != "Margin" {
		t.Fatalf("python sees [Margin] %+v", f)
	}
	for _, d := range got.Datasources {
		if d.Name == "Parameters" {
			if f := d.Fields["[Parameter 2]"]; str(f.Calculation) != "20" {
				t.Fatalf("python sees parameter formula %s", str(f.Calculation))
			}
		}
	}
}

func TestInteropDatasource(t *testing.T) {
	testenv.Python(t)
	ctx := context.Background()
	dir := t.TempDir()
	// A plain .tds and a packaged .tdsx.
	plain := filepath.Join(dir, "orders.tds")
	os.WriteFile(plain, readFixture(t, "orders.tds"), 0o644)
	packaged := filepath.Join(dir, "orders.tdsx")
	os.WriteFile(packaged, buildZip(t, []zipEntry{
		{name: "orders.tds", data: readFixture(t, "orders.tds"), method: zip.Deflate},
		{name: "Data/Extracts/Orders.hyper", data: fakeHyper(3, 4096), method: zip.Store},
	}), 0o644)
	for _, path := range []string{plain, packaged} {
		ds, err := OpenDatasource(ctx, path, nil)
		if err != nil {
			t.Fatal(err)
		}
		c := ds.Connections()[0]
		c.SetServer("prod-db.example.com")
		c.SetUsername("svc_prod")
		c.SetQueryBand("app=tableau-go")
		if err := c.SetClass("redshift"); err != nil {
			t.Fatal(err)
		}
		calc, _ := ds.Field("Double Amount")
		if err := calc.SetFormula("[Amount] * 3"); err != nil {
			t.Fatal(err)
		}
		ds.SetCaption("Orders (prod)")
		if err := ds.Document().Save(ctx); err != nil {
			t.Fatal(err)
		}
		ds.Document().Close()

		got := readWithPython(t, "datasource", path)
		d := got.Datasources[0]
		pc := d.Connections[0]
		if str(pc.Server) != "prod-db.example.com" || str(pc.Username) != "svc_prod" || str(pc.QueryBand) != "app=tableau-go" || str(pc.Class) != "redshift" {
			t.Fatalf("%s: python sees %s %s %s %s", path, str(pc.Server), str(pc.Username), str(pc.QueryBand), str(pc.Class))
		}
		if f := d.Fields["[Calculation_77]"]; str(f.Calculation) != "[Amount] * 3" {
			t.Fatalf("%s: python sees formula %s", path, str(f.Calculation))
		}
		if d.Caption != "Orders (prod)" {
			t.Fatalf("%s: python sees caption %q", path, d.Caption)
		}
	}
}
