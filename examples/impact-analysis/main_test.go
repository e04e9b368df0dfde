package main

import (
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tableau-go/sdk/examples/internal/exampletest"
	"github.com/tableau-go/sdk/tableau"
	"github.com/tableau-go/sdk/tableau/tableautest"
)

func clearEnv(t *testing.T) { exampletest.ClearEnv(t) }

func TestDependentsExitOne(t *testing.T) {
	clearEnv(t)
	var out bytes.Buffer
	svg := filepath.Join(t.TempDir(), "impact.svg")
	err := run(context.Background(), []string{"-graph", svg, "sales.public.orders.amount"}, &out)
	if !errors.Is(err, errDependents) {
		t.Fatalf("err = %v, want errDependents\n%s", err, out.String())
	}
	for _, want := range []string{"Sales Overview", "Big Order", "Amount per Order", "Revenue by Region", "public.orders.amount > Amount"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, out.String())
		}
	}
	b, err := os.ReadFile(svg)
	if err != nil || !bytes.Contains(b, []byte("<svg")) {
		t.Errorf("graph: %v", err)
	}
}

func envServer(t *testing.T) {
	srv := tableautest.NewTestServer(t, nil)
	cr := srv.Credentials()
	cfg := tableau.Config{Server: srv.URL(), Credentials: tableau.PersonalAccessToken{Name: cr.PATName, Secret: cr.PATSecret}}
	if err := publishSamples(context.Background(), cfg); err != nil {
		t.Fatal(err)
	}
	t.Setenv(tableau.EnvServer, srv.URL())
	t.Setenv(tableau.EnvPATName, cr.PATName)
	t.Setenv(tableau.EnvPATSecret, cr.PATSecret)
}

// TestRunFromEnv runs against a server named by TABLEAU_SERVER.
func TestRunFromEnv(t *testing.T) {
	clearEnv(t)
	envServer(t)
	var out bytes.Buffer
	if err := run(context.Background(), []string{"-format", "csv", "sales.public.orders.discount"}, &out); !errors.Is(err, errDependents) {
		t.Fatalf("discount: %v", err)
	}
	rows, err := csv.NewReader(&out).ReadAll()
	if err != nil || len(rows) < 3 || rows[0][0] != "kind" {
		t.Fatalf("csv rows %d, %v", len(rows), err)
	}
	out.Reset()
	if err := run(context.Background(), []string{"-format", "mermaid", "sales.public.orders.order_id"}, &out); !errors.Is(err, errDependents) || !strings.HasPrefix(out.String(), "flowchart LR") {
		t.Fatalf("order_id: %v\n%s", err, out.String())
	}
	// A table no datasource uses matches nothing: an error, not "safe".
	if err := run(context.Background(), []string{"sales.public.no_such_table"}, &bytes.Buffer{}); err == nil || errors.Is(err, errDependents) {
		t.Fatalf("unknown table: %v", err)
	}
}

// TestExitZeroWhenUnused: nothing downstream uses the Big Order calculation.
func TestExitZeroWhenUnused(t *testing.T) {
	clearEnv(t)
	envServer(t)
	var out bytes.Buffer
	if err := run(context.Background(), []string{"-format", "json", "datasource:Orders/Big Order"}, &out); err != nil {
		t.Fatalf("Big Order: %v\n%s", err, out.String())
	}
	if !strings.Contains(out.String(), `"kind": "calculated field"`) {
		t.Errorf("json:\n%s", out.String())
	}
}

func TestBadArguments(t *testing.T) {
	clearEnv(t)
	for _, args := range [][]string{{}, {"-format", "xml", "a.b.c.d"}, {"a.b.c.d.e"}} {
		if err := run(context.Background(), args, &bytes.Buffer{}); err == nil || errors.Is(err, errDependents) {
			t.Errorf("run(%v) = %v", args, err)
		}
	}
}
