package hyper

import (
	"context"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os/exec"
	"path/filepath"
	"reflect"
	"strconv"
	"testing"
	"time"

	"github.com/tableau-go/sdk/internal/testenv"
)

// canon renders a decoded value as the interop scripts' canon() does.
func canon(v any) string {
	switch x := v.(type) {
	case nil:
		return "NULL"
	case bool:
		return strconv.FormatBool(x)
	case int16, int32, int64, uint32:
		return fmt.Sprint(x)
	case float32:
		return strconv.FormatFloat(float64(x), 'g', -1, 64)
	case float64:
		return strconv.FormatFloat(x, 'g', -1, 64)
	case Numeric:
		return x.String()
	case string:
		return x
	case []byte:
		return hex.EncodeToString(x)
	case time.Time:
		return x.Format("2006-01-02 15:04:05.000000")
	case TimeOfDay:
		us := int64(x)
		return fmt.Sprintf("%02d:%02d:%02d.%06d", us/3_600_000_000, us/60_000_000%60, us/1_000_000%60, us%1_000_000)
	case Interval:
		return fmt.Sprintf("%d/%d/%d", x.Months, x.Days, x.Micros)
	}
	return fmt.Sprintf("unexpected %T", v)
}

// canonRow renders a row; DATE columns drop the time of day.
func canonRow(def *TableDefinition, row []any) []string {
	out := make([]string, len(row))
	for i, v := range row {
		out[i] = canon(v)
		if def.Columns[i].Type.Kind == KindDate && v != nil {
			out[i] = out[i][:10]
		}
	}
	return out
}

func interopDef() *TableDefinition {
	def := allTypesDef(ExtractTable())
	def.Columns = append(def.Columns, Column{Name: "g", Type: Geography()})
	return def
}

func runPython(t *testing.T, args ...string) []byte {
	t.Helper()
	py := testenv.Python(t)
	cmd := exec.Command(py, args...)
	cmd.Dir = "testdata"
	out, err := cmd.Output()
	if err != nil {
		if ee, ok := err.(*exec.ExitError); ok {
			t.Fatalf("%v: %v\n%s", args, err, ee.Stderr)
		}
		t.Fatal(err)
	}
	return out
}

// A file written here opens with tableauhyperapi and gives the same rows,
// every type included.
func TestInteropGoWritesPythonReads(t *testing.T) {
	testenv.Python(t)
	ctx := context.Background()
	p := startProcess(t, &ProcessOptions{DatabaseVersion: 4})
	path := filepath.Join(t.TempDir(), "go.hyper")
	c, err := p.Connect(ctx, path, CreateAndReplace)
	if err != nil {
		t.Fatal(err)
	}
	def := interopDef()
	if err := c.CreateTable(ctx, def, false); err != nil {
		t.Fatal(err)
	}
	// Every column straight from Go, GEOGRAPHY computed from WKT text.
	staging := append([]Column(nil), def.Columns[:len(def.Columns)-1]...)
	staging = append(staging, Column{Name: "g_wkt", Type: Text()})
	var maps []ColumnMapping
	for _, col := range def.Columns[:len(def.Columns)-1] {
		maps = append(maps, ColumnMapping{Column: col.Name})
	}
	maps = append(maps, ColumnMapping{Column: "g", Expr: `CAST("g_wkt" AS GEOGRAPHY)`})
	ins, err := c.NewInserter(ctx, def.Name, &InserterOptions{Staging: staging, Mappings: maps})
	if err != nil {
		t.Fatal(err)
	}
	row := append(allTypesRow(t), "POINT(2.35 48.86)")
	if err := ins.AddRow(row...); err != nil {
		t.Fatal(err)
	}
	nulls := make([]any, len(row))
	nulls[0] = int32(2)
	if err := ins.AddRow(nulls...); err != nil {
		t.Fatal(err)
	}
	if _, err := ins.Close(); err != nil {
		t.Fatal(err)
	}
	goRows, err := c.ReadTable(ctx, def.Name)
	if err != nil {
		t.Fatal(err)
	}
	c.Close()
	p.Close()

	var got struct {
		Columns [][]any    `json:"columns"`
		Rows    [][]string `json:"rows"`
	}
	if err := json.Unmarshal(runPython(t, "interop_read.py", path, "Extract", "Extract"), &got); err != nil {
		t.Fatal(err)
	}
	if len(got.Columns) != len(def.Columns) || len(got.Rows) != 2 {
		t.Fatalf("python saw %d columns, %d rows", len(got.Columns), len(got.Rows))
	}
	for i, col := range def.Columns {
		if got.Columns[i][0] != col.Name || got.Columns[i][2] != !col.NotNull {
			t.Errorf("column %d: python saw %v, want %s nullable=%v", i, got.Columns[i], col.Name, !col.NotNull)
		}
	}
	want := canonRow(def, row)
	want[len(want)-1] = canon(goRows[0][len(row)-1]) // GEOGRAPHY bytes as hyperd encoded them
	if len(want[len(want)-1]) < 10 {
		t.Fatalf("geography read back as %q", want[len(want)-1])
	}
	for r, w := range [][]string{want, canonRow(def, nulls)} {
		if !reflect.DeepEqual(got.Rows[r], w) {
			for i := range w {
				if got.Rows[r][i] != w[i] {
					t.Errorf("row %d column %s: python %q, go %q", r, def.Columns[i].Name, got.Rows[r][i], w[i])
				}
			}
		}
	}
}

// A file tableauhyperapi writes opens here with the same rows.
func TestInteropPythonWritesGoReads(t *testing.T) {
	testenv.Python(t)
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "py.hyper")
	var py struct {
		Rows [][]string `json:"rows"`
	}
	if err := json.Unmarshal(runPython(t, "interop_write.py", path), &py); err != nil {
		t.Fatal(err)
	}
	p := startProcess(t, nil)
	c, err := p.Connect(ctx, path, CreateNone)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	def, err := c.TableDefinition(ctx, ExtractTable())
	if err != nil {
		t.Fatal(err)
	}
	if want := interopDef(); !reflect.DeepEqual(def.Columns, want.Columns) {
		t.Errorf("table definition:\n got %+v\nwant %+v", def.Columns, want.Columns)
	}
	rows, err := c.Query(ctx, `SELECT * FROM "Extract"."Extract" ORDER BY 1`)
	if err != nil {
		t.Fatal(err)
	}
	var got [][]string
	for v, err := range rows.All() {
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, canonRow(def, v))
	}
	if len(got) != len(py.Rows) {
		t.Fatalf("%d rows here, %d written", len(got), len(py.Rows))
	}
	for r := range got {
		for i := range got[r] {
			if got[r][i] != py.Rows[r][i] {
				t.Errorf("row %d column %s: go %q, python %q", r, def.Columns[i].Name, got[r][i], py.Rows[r][i])
			}
		}
	}
}
