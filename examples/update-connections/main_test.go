package main

import (
	"archive/zip"
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tableau-go/sdk/document"
)

func fixture(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "..", "document", "testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestRun(t *testing.T) {
	ctx := context.Background()
	in, out := t.TempDir(), t.TempDir()
	twb := filepath.Join(in, "superstore.twb")
	os.WriteFile(twb, fixture(t, "superstore.twb"), 0o644)
	tds := filepath.Join(in, "orders.tds")
	os.WriteFile(tds, fixture(t, "orders.tds"), 0o644)
	legacy := filepath.Join(in, "legacy.tds")
	os.WriteFile(legacy, fixture(t, "legacy93.tds"), 0o644)
	// A packaged copy of the workbook.
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	w, _ := zw.Create("superstore.twb")
	w.Write(fixture(t, "superstore.twb"))
	w, _ = zw.Create("Data/Extracts/x.hyper")
	w.Write([]byte("extract bytes"))
	zw.Close()
	twbx := filepath.Join(in, "packaged.twbx")
	os.WriteFile(twbx, buf.Bytes(), 0o644)

	var stdout bytes.Buffer
	err := run(ctx, []string{"-map", "testdata/mapping.json", "-out", out, twb, tds, legacy, twbx}, &stdout)
	if err != nil {
		t.Fatal(err)
	}
	got := stdout.String()
	for _, want := range []string{
		`superstore.twb: datasource "Orders (Sales DB)" connection postgres.1k2j3h4g5f: server "test-db.example.com" -> "prod-db.example.com"`,
		`superstore.twb: datasource "Orders (Sales DB)" connection postgres.1k2j3h4g5f: dbname "sales_test" -> "sales"`,
		`superstore.twb: datasource "Orders (Sales DB)" connection sqlserver.0z9y8x7w6v: port "" -> "1433"`,
		`orders.tds: datasource "federated.1abc2def3ghi" connection postgres.0qwerty: username "analyst" -> "svc_prod"`,
		"legacy.tds: no connection matched",
		"packaged.twbx: wrote " + filepath.Join(out, "packaged.twbx"),
		"5 connection(s) changed in 4 file(s)",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("output lacks %q:\n%s", want, got)
		}
	}
	for _, name := range []string{"superstore.twb", "packaged.twbx"} {
		w, err := document.OpenWorkbook(ctx, filepath.Join(out, name), nil)
		if err != nil {
			t.Fatal(err)
		}
		c := w.Connections()
		if c[0].Server() != "prod-db.example.com" || c[0].DBName() != "sales" || c[1].Port() != "1433" || c[1].DBName() != "Finance" {
			t.Fatalf("%s: connections not changed: %s %s", name, c[0].Server(), c[1].Port())
		}
		w.Close()
	}
	if _, err := os.Stat(filepath.Join(out, "legacy.tds")); !os.IsNotExist(err) {
		t.Fatal("unchanged file was copied")
	}
	// The originals are untouched.
	if b, _ := os.ReadFile(twb); !bytes.Equal(b, fixture(t, "superstore.twb")) {
		t.Fatal("original changed")
	}
}

func TestRunErrors(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.json")
	os.WriteFile(bad, []byte(`[{"match": {"host": "x"}, "set": {"server": "y"}}]`), 0o644)
	var out bytes.Buffer
	if err := run(ctx, []string{"-map", bad, "-out", dir, "x.twb"}, &out); err == nil || !strings.Contains(err.Error(), `unknown attribute "host"`) {
		t.Fatalf("bad mapping: %v", err)
	}
	if err := run(ctx, []string{"-map", "testdata/mapping.json"}, &out); err == nil || !strings.Contains(err.Error(), "usage") {
		t.Fatalf("no files: %v", err)
	}
	if err := run(ctx, []string{"-map", "testdata/mapping.json", "-out", dir, filepath.Join(dir, "missing.twb")}, &out); err == nil {
		t.Fatal("missing file accepted")
	}
}
