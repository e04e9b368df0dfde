package main

import (
	"bytes"
	"context"
	"encoding/csv"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/tableau-go/sdk/examples/internal/exampletest"
	"github.com/tableau-go/sdk/rest"
	"github.com/tableau-go/sdk/tableau"
	"github.com/tableau-go/sdk/tableau/tableautest"
)

func clearEnv(t *testing.T) { exampletest.ClearEnv(t) }

func TestRunEmbedded(t *testing.T) {
	clearEnv(t)
	out := t.TempDir()
	var buf bytes.Buffer
	args := []string{"-out", out, "-view", "Workbook 2/Sheet 1", "-format", "png", "-stale-months", "3", "-date", "2026-12-01"}
	if err := run(context.Background(), args, &buf); err != nil {
		t.Fatalf("%v\n%s", err, buf.String())
	}
	f, err := os.Open(filepath.Join(out, "snapshots", "2026-12", "Workbook 2", "Sheet 1.png"))
	if err != nil {
		t.Fatalf("%v\n%s", err, buf.String())
	}
	defer f.Close()
	if _, err := png.Decode(f); err != nil {
		t.Fatalf("snapshot is not a PNG: %v", err)
	}
	// Workbook 2 was viewed (exports count as views); 1 and 3 were not since they were published 200 days ago.
	if !strings.Contains(buf.String(), "3 workbooks, 2 not viewed for 3 months, 2 archived") {
		t.Fatalf("output:\n%s", buf.String())
	}
	for _, name := range []string{"Workbook 1.twb", "Workbook 3.twb"} {
		if _, err := os.Stat(filepath.Join(out, "archive", "2026-12-01", "Default", name)); err != nil {
			t.Errorf("archived file: %v", err)
		}
	}
}

// TestRunFromEnvMonthly runs the job as a monthly cron would, against a
// separate emulator: the first run archives the never-viewed workbooks,
// the next months archive the viewed one once its count stops changing.
func TestRunFromEnvMonthly(t *testing.T) {
	clearEnv(t)
	ctx := context.Background()
	srv := tableautest.NewTestServer(t, nil)
	if _, err := srv.Seed(tableautest.SeedOptions{Workbooks: 3, Age: 400 * 24 * time.Hour}); err != nil {
		t.Fatal(err)
	}
	cr := srv.Credentials()
	t.Setenv(tableau.EnvServer, srv.URL())
	t.Setenv(tableau.EnvPATName, cr.PATName)
	t.Setenv(tableau.EnvPATSecret, cr.PATSecret)
	c, err := rest.SignIn(ctx, tableau.Config{Server: srv.URL(), Credentials: tableau.PersonalAccessToken{Name: cr.PATName, Secret: cr.PATSecret}})
	if err != nil {
		t.Fatal(err)
	}
	viewed, err := c.Workbooks.GetByName(ctx, "Workbook 2", "")
	if err != nil {
		t.Fatal(err)
	}
	if err := c.Views.CSV(ctx, viewed.DefaultViewID, &bytes.Buffer{}, nil); err != nil {
		t.Fatal(err)
	}
	out := t.TempDir()
	month := func(date string, extra ...string) string {
		var buf bytes.Buffer
		if err := run(ctx, append([]string{"-out", out, "-stale-months", "6", "-date", date}, extra...), &buf); err != nil {
			t.Fatalf("%s: %v\n%s", date, err, buf.String())
		}
		return buf.String()
	}
	if got := month("2026-12-01", "-dry-run"); !strings.Contains(got, `would archive "Workbook 1"`) || !strings.Contains(got, "0 archived") {
		t.Fatalf("dry run:\n%s", got)
	}
	if wbs, _ := c.Workbooks.List(nil).Collect(ctx); len(wbs) != 3 {
		t.Fatalf("the dry run deleted workbooks: %d left", len(wbs))
	}
	if got := month("2026-12-01"); !strings.Contains(got, "2 archived") {
		t.Fatalf("first month:\n%s", got)
	}
	if got := month("2027-03-01"); !strings.Contains(got, "1 workbooks, 0 not viewed") {
		t.Fatalf("three months later:\n%s", got)
	}
	if got := month("2027-06-02"); !strings.Contains(got, `archived "Workbook 2"`) {
		t.Fatalf("six months later:\n%s", got)
	}
	if wbs, _ := c.Workbooks.List(nil).Collect(ctx); len(wbs) != 0 {
		t.Fatalf("%d workbooks left", len(wbs))
	}
	mf, err := os.Open(filepath.Join(out, "manifest.csv"))
	if err != nil {
		t.Fatal(err)
	}
	defer mf.Close()
	rows, err := csv.NewReader(mf).ReadAll()
	if err != nil || len(rows) != 4 || rows[0][0] != "archived_at" || rows[3][2] != "Workbook 2" || rows[3][6] != "1" {
		t.Fatalf("manifest = %v, %v", rows, err)
	}
	for _, r := range rows[1:] {
		if st, err := os.Stat(r[4]); err != nil || st.Size() == 0 {
			t.Errorf("manifest file %s: %v", r[4], err)
		}
	}
}

func TestRunBadInput(t *testing.T) {
	clearEnv(t)
	for _, tc := range []struct {
		args []string
		want string
	}{
		{nil, "nothing to do"},
		{[]string{"-view", "Workbook 1/Sheet 1", "-format", "gif"}, `"gif"`},
		{[]string{"-view", "NoSlash"}, `"NoSlash"`},
		{[]string{"-view", "Workbook 1/Nope"}, `no view "Nope"`},
		{[]string{"-stale-months", "3", "-date", "12/01/2026"}, "YYYY-MM-DD"},
	} {
		err := run(context.Background(), append([]string{"-out", t.TempDir()}, tc.args...), &bytes.Buffer{})
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%v: err = %v, want %q", tc.args, err, tc.want)
		}
	}
}
