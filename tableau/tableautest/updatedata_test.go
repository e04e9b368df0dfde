package tableautest_test

import (
	"archive/zip"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/tableau-go/sdk/hyper"
	"github.com/tableau-go/sdk/internal/testenv"
	"github.com/tableau-go/sdk/rest"
	"github.com/tableau-go/sdk/tableau"
	"github.com/tableau-go/sdk/tableau/tableautest"
)

// hyperFiles makes and reads .hyper files for the update-data tests with
// one hyperd.
type hyperFiles struct {
	t    *testing.T
	dir  string
	conn *hyper.Conn
	n    int
}

func newHyperFiles(t *testing.T) *hyperFiles {
	t.Helper()
	path := testenv.Hyperd(t)
	ctx := context.Background()
	proc, err := hyper.Start(ctx, &hyper.ProcessOptions{Path: path})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { proc.Close() })
	c, err := proc.Connect(ctx, "", hyper.CreateNone)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return &hyperFiles{t: t, dir: t.TempDir(), conn: c}
}

// row is one row of the test tables: id, name, qty.
type row struct {
	ID   int32
	Name string
	Qty  int64
}

var rowColumns = []hyper.Column{
	{Name: "id", Type: hyper.Int(), NotNull: true},
	{Name: "name", Type: hyper.Text()},
	{Name: "qty", Type: hyper.BigInt()},
}

// make writes a .hyper with tables in schema "Extract" and returns its bytes.
// A table with columns nil gets id, name and qty.
func (h *hyperFiles) make(tables map[string][]row, columns map[string][]hyper.Column) []byte {
	h.t.Helper()
	ctx := context.Background()
	h.n++
	p := filepath.Join(h.dir, fmt.Sprintf("f%d.hyper", h.n))
	c := h.conn
	must := func(err error) {
		h.t.Helper()
		if err != nil {
			h.t.Fatal(err)
		}
	}
	must(c.CreateDatabase(ctx, p, hyper.CreateAndReplace))
	must(c.Attach(ctx, p, "db"))
	must(c.CreateSchema(ctx, "db", "Extract"))
	for name, rows := range tables {
		cols := rowColumns
		if columns[name] != nil {
			cols = columns[name]
		}
		def := &hyper.TableDefinition{Name: hyper.TableName{Database: "db", Schema: "Extract", Table: name}, Columns: cols}
		must(c.CreateTable(ctx, def, false))
		var vals [][]any
		for _, r := range rows {
			byName := map[string]any{"id": r.ID, "name": r.Name, "qty": r.Qty}
			var v []any
			for _, col := range cols {
				v = append(v, byName[col.Name])
			}
			vals = append(vals, v)
		}
		if len(vals) > 0 {
			_, err := c.InsertRows(ctx, def.Name, hyper.RowsOf(vals), nil)
			must(err)
		}
	}
	must(c.Detach(ctx, "db"))
	b, err := os.ReadFile(p)
	must(err)
	return b
}

// rows reads table Extract.<table> of a .hyper given as bytes, by id.
func (h *hyperFiles) rows(data []byte, table string) []row {
	h.t.Helper()
	ctx := context.Background()
	h.n++
	p := filepath.Join(h.dir, fmt.Sprintf("r%d.hyper", h.n))
	if err := os.WriteFile(p, data, 0o600); err != nil {
		h.t.Fatal(err)
	}
	if err := h.conn.Attach(ctx, p, "rd"); err != nil {
		h.t.Fatal(err)
	}
	defer h.conn.Detach(ctx, "rd") //nolint:errcheck // read only
	rs, err := h.conn.Query(ctx, `SELECT id, name, qty FROM "rd"."Extract".`+hyper.QuoteIdent(table)+` ORDER BY id`)
	if err != nil {
		h.t.Fatal(err)
	}
	defer rs.Close()
	var out []row
	for rs.Next() {
		var r row
		if err := rs.Scan(&r.ID, &r.Name, &r.Qty); err != nil {
			h.t.Fatal(err)
		}
		out = append(out, r)
	}
	if err := rs.Err(); err != nil {
		h.t.Fatal(err)
	}
	return out
}

// updateDataClient signs a rest client in to a new emulator.
func updateDataClient(t *testing.T) (*rest.Client, string, *tableautest.Server) {
	t.Helper()
	srv := tableautest.NewTestServer(t, nil)
	srv.SetJobDuration(0)
	cr := srv.Credentials()
	c, err := rest.SignIn(context.Background(), tableau.Config{Server: srv.URL(), Site: cr.SiteContentURL,
		Credentials: tableau.PersonalAccessToken{Name: cr.PATName, Secret: cr.PATSecret}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = c.Session.SignOut(context.Background()) })
	p, err := c.Projects.GetByPath(context.Background(), "Default")
	if err != nil {
		t.Fatal(err)
	}
	return c, p.ID, srv
}

func publishBytes(t *testing.T, c *rest.Client, projectID, fileName string, data []byte) string {
	t.Helper()
	ds, err := c.Datasources.Publish(context.Background(), bytes.NewReader(data),
		&rest.PublishOptions{Name: strings.TrimSuffix(fileName, filepath.Ext(fileName)), ProjectID: projectID, FileName: fileName})
	if err != nil {
		t.Fatal(err)
	}
	return ds.ID
}

func download(t *testing.T, c *rest.Client, id string) []byte {
	t.Helper()
	var buf bytes.Buffer
	if _, err := c.Datasources.Download(context.Background(), id, &buf, nil); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func waitJob(c *rest.Client, j *rest.Job) (*rest.Job, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	return c.Jobs.Wait(ctx, j.ID, &rest.WaitOptions{Interval: 20 * time.Millisecond})
}

func eq(col string, v any, typ string) map[string]any {
	return map[string]any{"op": "eq", "target-col": col, "const": map[string]any{"type": typ, "v": v}}
}

var startRows = []row{{1, "a", 10}, {2, "b", 20}, {3, "c", 30}, {4, "d", 40}}

func TestUpdateDataAppliesActionsInOrder(t *testing.T) {
	h := newHyperFiles(t)
	c, pid, _ := updateDataClient(t)
	ctx := context.Background()
	id := publishBytes(t, c, pid, "Stock.hyper", h.make(map[string][]row{"Extract": startRows}, nil))
	source := h.make(map[string][]row{
		"changes": {{2, "B", 21}, {5, "e", 50}},
		"gone":    {{ID: 3}},
		"extra":   {{6, "f", 60}},
		"fix":     {{ID: 1, Qty: 11}},
	}, map[string][]hyper.Column{"gone": rowColumns[:1], "fix": {rowColumns[0], rowColumns[2]}})
	byID := map[string]any{"op": "eq", "target-col": "id", "source-col": "id"}
	actions := []rest.UpdateAction{
		{Action: "upsert", TargetSchema: "Extract", TargetTable: "Extract", SourceSchema: "Extract", SourceTable: "changes", Condition: byID},
		{Action: "delete", TargetSchema: "Extract", TargetTable: "Extract", SourceSchema: "Extract", SourceTable: "gone", Condition: byID},
		// qty >= 40 and not name = 'e': removes (4, d, 40), keeps (5, e, 50).
		{Action: "delete", TargetSchema: "Extract", TargetTable: "Extract", Condition: map[string]any{"op": "and", "args": []any{
			map[string]any{"op": "gte", "target-col": "qty", "const": map[string]any{"type": "integer", "v": 40}},
			map[string]any{"op": "not", "arg": eq("name", "e", "string")},
		}}},
		// No schemas: the tables are each in one schema only.
		{Action: "insert", TargetTable: "Extract", SourceTable: "extra"},
		// fix has only id and qty: name stays.
		{Action: "update", TargetSchema: "Extract", TargetTable: "Extract", SourceSchema: "Extract", SourceTable: "fix", Condition: byID},
	}
	j1, err := c.Datasources.UpdateData(ctx, id, bytes.NewReader(source), actions, nil)
	if err != nil {
		t.Fatal(err)
	}
	// A second update sent at once applies after the first: it deletes
	// the row the first one inserts.
	j2, err := c.Datasources.UpdateData(ctx, id, nil, []rest.UpdateAction{
		{Action: "delete", TargetTable: "Extract", Condition: eq("qty", 60, "integer")},
	}, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, j := range []*rest.Job{j1, j2} {
		if done, err := waitJob(c, j); err != nil || done.FinishCode != rest.FinishSuccess {
			t.Fatalf("job %s: %+v, %v", j.ID, done, err)
		}
	}
	if got, want := h.rows(download(t, c, id), "Extract"), []row{{1, "a", 11}, {2, "B", 21}, {5, "e", 50}}; !reflect.DeepEqual(got, want) {
		t.Fatalf("rows = %+v, want %+v", got, want)
	}

	// replace empties the table and fills it from the source.
	j3, err := c.Datasources.UpdateData(ctx, id, bytes.NewReader(source), []rest.UpdateAction{
		{Action: "replace", TargetSchema: "Extract", TargetTable: "Extract", SourceSchema: "Extract", SourceTable: "changes"},
	}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := waitJob(c, j3); err != nil {
		t.Fatal(err)
	}
	if got := h.rows(download(t, c, id), "Extract"); !reflect.DeepEqual(got, []row{{2, "B", 21}, {5, "e", 50}}) {
		t.Fatalf("after replace: %+v", got)
	}
}

func TestUpdateDataFailingActionChangesNothing(t *testing.T) {
	h := newHyperFiles(t)
	c, pid, _ := updateDataClient(t)
	ctx := context.Background()
	id := publishBytes(t, c, pid, "Stock.hyper", h.make(map[string][]row{"Extract": startRows}, nil))
	before := download(t, c, id)
	source := h.make(map[string][]row{"extra": {{6, "f", 60}}}, nil)
	cases := []struct {
		name   string
		action rest.UpdateAction
		note   string
	}{
		{"unknown column", rest.UpdateAction{Action: "delete", TargetTable: "Extract", Condition: eq("colour", "red", "string")},
			`Action 1 (delete) failed: bad condition: the target table has no column "colour"`},
		{"unknown operator", rest.UpdateAction{Action: "delete", TargetTable: "Extract",
			Condition: map[string]any{"op": "like", "target-col": "name", "const": map[string]any{"type": "string", "v": "a%"}}},
			`Action 1 (delete) failed: bad condition: "like" is not an operator`},
		{"unknown table", rest.UpdateAction{Action: "insert", TargetTable: "Nope", SourceTable: "extra"},
			`Action 1 (insert) failed: the target table "Nope" does not exist`},
		{"SQL error", rest.UpdateAction{Action: "delete", TargetTable: "Extract", Condition: eq("qty", "lots", "date")},
			`Action 1 (delete) failed: `},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			// Action 0 succeeds on its own; the failure of action 1 undoes it.
			j, err := c.Datasources.UpdateData(ctx, id, bytes.NewReader(source), []rest.UpdateAction{
				{Action: "insert", TargetTable: "Extract", SourceTable: "extra"}, tc.action}, nil)
			if err != nil {
				t.Fatal(err)
			}
			_, err = waitJob(c, j)
			var je *rest.JobError
			if !errors.Is(err, rest.ErrJobFailed) || !errors.As(err, &je) || len(je.Job.Notes) != 1 || !strings.HasPrefix(je.Job.Notes[0], tc.note) {
				t.Fatalf("wait = %v (%+v), want a failure with a note starting %q", err, je, tc.note)
			}
			t.Logf("note: %s", je.Job.Notes[0])
			if after := download(t, c, id); !bytes.Equal(after, before) {
				t.Fatal("a failed update changed the stored extract")
			}
		})
	}
	if got := h.rows(before, "Extract"); !reflect.DeepEqual(got, startRows) {
		t.Fatalf("rows = %+v", got)
	}
}

func TestUpdateDataInPackagedExtract(t *testing.T) {
	h := newHyperFiles(t)
	c, pid, srv := updateDataClient(t)
	srv.SetJobDuration(time.Second)
	ctx := context.Background()
	tds := tableautest.SampleTDS("db.example.com")
	pkg := tableautest.SamplePackage("Stock.tds", tds, h.make(map[string][]row{"Extract": startRows}, nil))
	id := publishBytes(t, c, pid, "Stock.tdsx", pkg)
	source := h.make(map[string][]row{"extra": {{6, "f", 60}}}, nil)
	j, err := c.Datasources.UpdateData(ctx, id, bytes.NewReader(source), []rest.UpdateAction{
		{Action: "insert", TargetTable: "Extract", SourceTable: "extra"},
		{Action: "delete", TargetTable: "Extract", Condition: map[string]any{"op": "lt", "target-col": "qty", "const": map[string]any{"type": "integer", "v": 25}}},
	}, nil)
	if err != nil {
		t.Fatal(err)
	}
	// Until the job succeeds, downloads return the old package.
	early := download(t, c, id)
	if now, err := c.Jobs.Get(ctx, j.ID); err != nil {
		t.Fatal(err)
	} else if !now.Finished && !bytes.Equal(early, pkg) {
		t.Fatal("the content changed before the job finished")
	}
	if _, err := waitJob(c, j); err != nil {
		t.Fatal(err)
	}
	data := download(t, c, id)
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	files := map[string][]byte{}
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		b, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			t.Fatal(err)
		}
		files[f.Name] = b
	}
	if len(files) != 2 || !bytes.Equal(files["Stock.tds"], tds) {
		t.Fatalf("package entries: %d, Stock.tds unchanged: %v", len(files), bytes.Equal(files["Stock.tds"], tds))
	}
	got := h.rows(files["Data/Extracts/extract.hyper"], "Extract")
	if want := []row{{3, "c", 30}, {4, "d", 40}, {6, "f", 60}}; !reflect.DeepEqual(got, want) {
		t.Fatalf("rows = %+v, want %+v", got, want)
	}
}

func TestUpdateDataConstTypes(t *testing.T) {
	h := newHyperFiles(t)
	c, pid, _ := updateDataClient(t)
	ctx := context.Background()
	p := filepath.Join(h.dir, "typed.hyper")
	for _, q := range []string{
		"CREATE DATABASE " + hyper.QuoteIdent(p),
		"ATTACH DATABASE " + hyper.QuoteIdent(p) + " AS db",
		`CREATE SCHEMA db."Extract"`,
		`CREATE TABLE db."Extract"."Extract" (id INT NOT NULL, day DATE, at TIMESTAMP, price DOUBLE PRECISION, ok BOOL, name TEXT, qty BIGINT)`,
		`INSERT INTO db."Extract"."Extract" VALUES
			(1, DATE '2020-01-01', TIMESTAMP '2020-01-01 08:00:00', 1.5, true, 'a', 1),
			(2, DATE '2021-06-01', TIMESTAMP '2021-06-01 08:00:00', 2.5, false, 'it''s', 2),
			(3, DATE '2022-01-01', TIMESTAMP '2022-01-01 08:00:00', 3.5, true, 'c', 3),
			(4, DATE '2023-01-01', TIMESTAMP '2023-01-01 08:00:00', 4.5, true, 'd', 4),
			(5, DATE '2024-01-01', TIMESTAMP '2024-01-01 08:00:00', 5.5, true, 'e', 5)`,
		"DETACH DATABASE db",
	} {
		if _, err := h.conn.Exec(ctx, q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	data, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	id := publishBytes(t, c, pid, "Typed.hyper", data)
	cond := func(op, col, typ string, v any) map[string]any {
		return map[string]any{"op": op, "target-col": col, "const": map[string]any{"type": typ, "v": v}}
	}
	j, err := c.Datasources.UpdateData(ctx, id, nil, []rest.UpdateAction{
		{Action: "delete", TargetTable: "Extract", Condition: map[string]any{"op": "or", "args": []any{
			cond("lt", "day", "date", "2020-06-01"),             // 1
			cond("eq", "name", "string", "it's"),                // 2: quoted
			cond("eq", "at", "datetime", "2022-01-01T08:00:00"), // 3
			cond("gte", "price", "double", 5.25),                // 5
		}}},
		// ok is true for 4 only now; ok = false matches nothing left.
		{Action: "delete", TargetTable: "Extract", Condition: cond("eq", "ok", "boolean", false)},
	}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := waitJob(c, j); err != nil {
		t.Fatal(err)
	}
	if got := h.rows(download(t, c, id), "Extract"); !reflect.DeepEqual(got, []row{{4, "d", 4}}) {
		t.Fatalf("rows = %+v, want only id 4", got)
	}
}

func TestUpdateDataWithoutHyperd(t *testing.T) {
	t.Setenv("HYPERD_PATH", filepath.Join(t.TempDir(), "no-hyperd"))
	c, pid, _ := updateDataClient(t)
	data := tableautest.SampleHyper(500)
	id := publishBytes(t, c, pid, "Stock.hyper", data)
	j, err := c.Datasources.UpdateData(context.Background(), id, nil, []rest.UpdateAction{
		{Action: "delete", TargetTable: "Extract", Condition: eq("id", 1, "integer")},
	}, nil)
	if err != nil {
		t.Fatal(err)
	}
	_, err = waitJob(c, j)
	var je *rest.JobError
	if !errors.As(err, &je) || len(je.Job.Notes) != 1 || !strings.Contains(je.Job.Notes[0], "The emulator needs hyperd to apply update-data actions") {
		t.Fatalf("wait = %v, want a failure saying hyperd is needed", err)
	}
	if !bytes.Equal(download(t, c, id), data) {
		t.Fatal("the content changed")
	}
}
