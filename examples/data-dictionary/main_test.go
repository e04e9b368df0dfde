package main

import (
	"bytes"
	"context"
	"encoding/csv"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tableau-go/sdk/examples/internal/exampletest"
)

func clearEnv(t *testing.T) { exampletest.ClearEnv(t) }

func TestMarkdown(t *testing.T) {
	clearEnv(t)
	var out bytes.Buffer
	if err := run(context.Background(), nil, &out); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"## Orders", "| Amount | REAL | MEASURE | ColumnField | Order amount in USD, before discount.",
		"`[amount] - [discount]`", "Upstream tables: sales.[public].[orders]", "- Owner: admin"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("markdown lacks %q:\n%s", want, out.String())
		}
	}
	if strings.Contains(out.String(), "(embedded)") {
		t.Error("embedded datasources without -embedded")
	}
}

func TestCSVAndHTML(t *testing.T) {
	clearEnv(t)
	var out bytes.Buffer
	if err := run(context.Background(), []string{"-format", "csv", "-embedded"}, &out); err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(&out).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	inherited := false
	for _, r := range rows[1:] {
		if r[1] == "true" && r[6] == "Amount" && r[11] == "published datasource field Amount" {
			inherited = true
		}
	}
	if !inherited || rows[0][0] != "datasource" {
		t.Errorf("csv has no inherited description: %v", rows)
	}
	path := filepath.Join(t.TempDir(), "d.html")
	if err := run(context.Background(), []string{"-format", "html", "-out", path, "-embedded"}, &out); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(path)
	if err != nil || !bytes.Contains(b, []byte(`type="search"`)) || !bytes.Contains(b, []byte("Sales / ")) {
		t.Errorf("html: %v", err)
	}
}

func TestBadArguments(t *testing.T) {
	clearEnv(t)
	for _, args := range [][]string{{"-format", "pdf"}, {"extra"}} {
		if err := run(context.Background(), args, &bytes.Buffer{}); err == nil {
			t.Errorf("run(%v): no error", args)
		}
	}
}
