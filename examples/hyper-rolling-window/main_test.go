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

func TestRunKeepsWindow(t *testing.T) {
	t.Setenv("HYPERD_PATH", testenv.Hyperd(t))
	ctx := context.Background()
	db := filepath.Join(t.TempDir(), "sensors.hyper")
	start := time.Date(2024, 6, 1, 0, 0, 0, 0, time.UTC)
	var out bytes.Buffer
	for i := range 10 {
		out.Reset()
		d := start.AddDate(0, 0, i).Format(time.DateOnly)
		if err := run(ctx, []string{"-db", db, "-days", "3", "-date", d, "-sensors", "2"}, &out); err != nil {
			t.Fatal(err)
		}
	}
	if !strings.Contains(out.String(), "deleted 48 rows") || !strings.Contains(out.String(), "2024-06-08..2024-06-10 (144 rows)") {
		t.Fatalf("last run: %q", out.String())
	}
	// Re-running the same day replaces it instead of duplicating it.
	out.Reset()
	if err := run(ctx, []string{"-db", db, "-days", "3", "-date", "2024-06-10", "-sensors", "2"}, &out); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "(144 rows)") {
		t.Fatalf("rerun: %q", out.String())
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
	var days int64
	if err := c.QueryRow(ctx, `SELECT COUNT(DISTINCT "day") FROM "Extract"."Extract"`).Scan(&days); err != nil || days != 3 {
		t.Fatalf("%d distinct days, %v", days, err)
	}
}

func TestRunBadFlags(t *testing.T) {
	var out bytes.Buffer
	for _, args := range [][]string{{"-date", "June 1"}, {"-days", "0"}} {
		if err := run(context.Background(), args, &out); err == nil {
			t.Errorf("%v accepted", args)
		}
	}
}
