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
	dir := t.TempDir()
	out := filepath.Join(dir, "orders.hyper")
	csv := filepath.Join(dir, "regions.csv")
	if err := os.WriteFile(csv, []byte("region,manager\nWest,Ana\nSouth,\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	var stdout bytes.Buffer
	if err := run(context.Background(), []string{"-out", out, "-csv", csv, "-rows", "500"}, &stdout); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"inserted 500 orders", "loaded 2 regions"} {
		if !strings.Contains(stdout.String(), want) {
			t.Errorf("output %q lacks %q", stdout.String(), want)
		}
	}
	// The file opens in a fresh hyperd with the expected content.
	ctx := context.Background()
	p, err := hyper.Start(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	c, err := p.Connect(ctx, out, hyper.CreateNone)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	var n, nullRegions int64
	if err := c.QueryRow(ctx, `SELECT COUNT(*), COUNT(*) - COUNT(region) FROM "Extract"."Extract"`).Scan(&n, &nullRegions); err != nil {
		t.Fatal(err)
	}
	if n != 500 || nullRegions != 50 {
		t.Fatalf("%d orders, %d without region", n, nullRegions)
	}
	var manager *string
	if err := c.QueryRow(ctx, `SELECT manager FROM "Extract"."Regions" WHERE region = 'South'`).Scan(&manager); err != nil || manager != nil {
		t.Fatalf("South manager %v, %v", manager, err)
	}
}

func TestRunDefaultSampleAndBadFlag(t *testing.T) {
	t.Setenv("HYPERD_PATH", testenv.Hyperd(t))
	var stdout bytes.Buffer
	if err := run(context.Background(), []string{"-out", filepath.Join(t.TempDir(), "x.hyper"), "-rows", "200000", "-progress"}, &stdout); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(stdout.String(), "loaded 3 regions") || !strings.Contains(stdout.String(), "orders") || !strings.Contains(stdout.String(), "100%") {
		t.Fatalf("output %q", stdout.String())
	}
	if err := run(context.Background(), []string{"-nope"}, &stdout); err == nil {
		t.Fatal("bad flag accepted")
	}
}
