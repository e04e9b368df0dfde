package main

import (
	"bytes"
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/tableau-go/sdk/hyper"
	"github.com/tableau-go/sdk/internal/testenv"
)

// makeExtract writes a small extract with a NULL and known ranges.
func makeExtract(t *testing.T) string {
	t.Helper()
	t.Setenv("HYPERD_PATH", testenv.Hyperd(t))
	ctx := context.Background()
	db := filepath.Join(t.TempDir(), "orders.hyper")
	p, err := hyper.Start(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	c, err := p.Connect(ctx, db, hyper.CreateAndReplace)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	def := hyper.ExtractDefinition(
		hyper.Column{Name: "order_id", Type: hyper.BigInt(), NotNull: true},
		hyper.Column{Name: "customer", Type: hyper.Text()},
		hyper.Column{Name: "amount", Type: hyper.NumericType(10, 2)},
		hyper.Column{Name: "day", Type: hyper.Date()},
	)
	if err := c.CreateTable(ctx, def, false); err != nil {
		t.Fatal(err)
	}
	d := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	_, err = c.InsertRows(ctx, def.Name, hyper.RowsOf([][]any{
		{1, "ann", "10.00", d}, {2, nil, "250.50", d.AddDate(0, 0, 1)}, {3, "bo", "99.99", d.AddDate(0, 0, 2)},
	}), nil)
	if err != nil {
		t.Fatal(err)
	}
	return db
}

func TestRunReportsAndValidates(t *testing.T) {
	db := makeExtract(t)
	ctx := context.Background()
	var out bytes.Buffer
	err := run(ctx, []string{"-db", db, "-min-rows", "3", "-not-null", "order_id", "-range", "amount=0:1000"}, &out)
	if err != nil {
		t.Fatalf("%v\n%s", err, out.String())
	}
	for _, want := range []string{"3 rows", "customer  TEXT           1", "10.00", "250.50", "2024-01-03", "validation passed"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("report lacks %q:\n%s", want, out.String())
		}
	}
	out.Reset()
	err = run(ctx, []string{"-db", db, "-min-rows", "5", "-not-null", "customer", "-range", "amount=0:100"}, &out)
	if err == nil {
		t.Fatal("failing checks passed")
	}
	for _, want := range []string{"3 rows, want at least 5", "customer has 1 NULLs", "amount spans 10..250.5"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error lacks %q: %v", want, err)
		}
	}
}

func TestRunBadInput(t *testing.T) {
	db := makeExtract(t)
	ctx := context.Background()
	var out bytes.Buffer
	for _, args := range [][]string{
		{"-db", filepath.Join(t.TempDir(), "missing.hyper")},
		{"-db", db, "-range", "amount=9:1"},
		{"-db", db, "-range", "nope=0:1"},
		{"-db", db, "-range", "customer=0:1"},
		{"-db", db, "-table", "Extract.Nope"},
	} {
		if err := run(ctx, args, &out); err == nil {
			t.Errorf("%v accepted", args)
		}
	}
}
