package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tableau-go/sdk/hyper"
	"github.com/tableau-go/sdk/internal/testenv"
)

func TestRun(t *testing.T) {
	t.Setenv("HYPERD_PATH", testenv.Hyperd(t))
	ctx := context.Background()
	dir := t.TempDir()
	db := filepath.Join(dir, "orders.hyper")
	write := func(name, body string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	day1 := write("day1.csv", "order_id,status,amount,updated_at\n1,open,10.50,2024-05-01T10:00:00Z\n2,open,,2024-05-01T11:00:00Z\n")
	day2 := write("day2.csv", "order_id,status,amount,updated_at\n2,shipped,20.00,2024-05-02T09:00:00Z\n3,open,5.25,2024-05-02T10:00:00Z\n4,open,1.00,2024-05-02T10:30:00Z\n")

	var out bytes.Buffer
	if err := run(ctx, []string{"-db", db, "-source", day1}, &out); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "added 2 new orders, updated 0") {
		t.Fatalf("first run: %q", out.String())
	}
	out.Reset()
	if err := run(ctx, []string{"-db", db, "-source", day2}, &out); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "added 2 new orders, updated 1") || !strings.Contains(out.String(), "4 orders") {
		t.Fatalf("second run: %q", out.String())
	}

	p, err := hyper.Start(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	c, err := p.Connect(ctx, db, hyper.CreateNone)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	var status, amount string
	if err := c.QueryRow(ctx, `SELECT status, amount::text FROM "Extract"."Extract" WHERE order_id = 2`).Scan(&status, &amount); err != nil {
		t.Fatal(err)
	}
	if status != "shipped" || amount != "20.00" {
		t.Fatalf("order 2: %s %s", status, amount)
	}
}

func TestRunErrors(t *testing.T) {
	t.Setenv("HYPERD_PATH", testenv.Hyperd(t))
	dir := t.TempDir()
	var out bytes.Buffer
	if err := run(context.Background(), []string{"-db", filepath.Join(dir, "x.hyper")}, &out); err == nil {
		t.Fatal("missing -source accepted")
	}
	bad := filepath.Join(dir, "bad.csv")
	os.WriteFile(bad, []byte("order_id,status,amount,updated_at\nx,open,1,2024-01-01T00:00:00Z\n"), 0o644)
	err := run(context.Background(), []string{"-db", filepath.Join(dir, "x.hyper"), "-source", bad}, &out)
	if err == nil || !strings.Contains(err.Error(), "line 2") {
		t.Fatalf("bad CSV: %v", err)
	}
}
