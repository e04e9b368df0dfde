package main

import (
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tableau-go/sdk/examples/internal/exampletest"
	"github.com/tableau-go/sdk/tableau"
	"github.com/tableau-go/sdk/tableau/tableautest"
)

func clearEnv(t *testing.T) { exampletest.ClearEnv(t) }

// pointAt makes run use srv, as TABLEAU_* would point it at a real server.
func pointAt(t *testing.T, srv *tableautest.Server) {
	clearEnv(t)
	cr := srv.Credentials()
	t.Setenv(tableau.EnvServer, srv.URL())
	t.Setenv(tableau.EnvPATName, cr.PATName)
	t.Setenv(tableau.EnvPATSecret, cr.PATSecret)
}

func readRows(t *testing.T, dir string) [][]string {
	t.Helper()
	f, err := os.Open(filepath.Join(dir, "permissions.csv"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	return rows
}

func TestAuditEffectivePermissions(t *testing.T) {
	clearEnv(t)
	dir := t.TempDir()
	var out bytes.Buffer
	if err := run(context.Background(), []string{"-out", dir, "-seed", "200", "-concurrency", "4"}, &out); err != nil {
		t.Fatalf("%v\n%s", err, out.String())
	}
	if !strings.Contains(out.String(), "audited Default (embedded emulator): 3 projects, 78 workbooks, 78 views, 41 data sources, 4 users, 2 groups") {
		t.Errorf("summary:\n%s", out.String())
	}
	rows := readRows(t, dir)
	has := func(kind, item, user, capName, mode, source string) bool {
		for _, r := range rows {
			if r[0] == kind && r[2] == item && r[4] == user && r[5] == capName && r[6] == mode && r[7] == source {
				return true
			}
		}
		return false
	}
	for _, want := range [][6]string{
		{"workbook", "Workbook 78", "ana", "ExportData", "Allow", "group Analysts"},
		{"workbook", "Workbook 78", "ben", "ExportData", "Deny", "user rule"}, // the user's rule beats the group's
		{"workbook", "Workbook 78", "ben", "Read", "Allow", "group Analysts"},
		{"view", "Sheet 1", "ana", "Read", "Allow", "workbook Workbook 78 (group Analysts)"},
		{"datasource", "Datasource 1", "ana", "Connect", "Allow", "locked to project Project 1 (group Analysts)"},
		{"workbook", "Workbook 1", "admin", "*", "Allow", "owner"},
	} {
		if !has(want[0], want[1], want[2], want[3], want[4], want[5]) {
			t.Errorf("no row %v", want)
		}
	}
	for _, r := range rows {
		if r[4] == "cy" {
			t.Errorf("cy has no rule but appears: %v", r)
		}
	}
	html, err := os.ReadFile(filepath.Join(dir, "permissions.html"))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(html, []byte("Permission audit of Default")) || bytes.Contains(html, []byte("<script")) || bytes.Contains(html, []byte("http://")) {
		t.Errorf("the HTML report is not a self-contained page")
	}
	if n := bytes.Count(html, []byte("<tr class=")); n != len(rows)-1 {
		t.Errorf("HTML has %d rows, CSV %d", n, len(rows)-1)
	}
}

// TestAuditSurvivesRateLimits makes the server answer 429 to the
// permission reads; the audit waits them out and finishes with the same
// result.
func TestAuditSurvivesRateLimits(t *testing.T) {
	srv := tableautest.NewTestServer(t, nil)
	cr := srv.Credentials()
	if err := seedSite(context.Background(), srv, tableau.Config{Server: srv.URL(), Credentials: tableau.PersonalAccessToken{Name: cr.PATName, Secret: cr.PATSecret}}, 60); err != nil {
		t.Fatal(err)
	}
	pointAt(t, srv)
	calm := t.TempDir()
	if err := run(context.Background(), []string{"-out", calm, "-concurrency", "8"}, &bytes.Buffer{}); err != nil {
		t.Fatal(err)
	}
	srv.Faults().OnlyPath("/permissions").RateLimit(6, "1")
	busy := t.TempDir()
	var out bytes.Buffer
	if err := run(context.Background(), []string{"-out", busy, "-concurrency", "8", "-rps", "200"}, &out); err != nil {
		t.Fatalf("%v\n%s", err, out.String())
	}
	a, b := readRows(t, calm), readRows(t, busy)
	if fmt.Sprint(a) != fmt.Sprint(b) {
		t.Errorf("the audit under 429s differs: %d rows vs %d", len(a), len(b))
	}
}

// TestAudit10000Items audits a seeded site of 10,000 items.
func TestAudit10000Items(t *testing.T) {
	if testing.Short() {
		t.Skip("10,000 items: skipped with -short")
	}
	srv := tableautest.NewTestServer(t, nil)
	cr := srv.Credentials()
	if err := seedSite(context.Background(), srv, tableau.Config{Server: srv.URL(), Credentials: tableau.PersonalAccessToken{Name: cr.PATName, Secret: cr.PATSecret}}, 10000); err != nil {
		t.Fatal(err)
	}
	pointAt(t, srv)
	var out bytes.Buffer
	if err := run(context.Background(), []string{"-out", t.TempDir(), "-concurrency", "16"}, &out); err != nil {
		t.Fatalf("%v\n%s", err, out.String())
	}
	if !strings.Contains(out.String(), "100 projects, 3960 workbooks, 3960 views, 1980 data sources") {
		t.Errorf("summary:\n%s", out.String())
	}
}

func TestBadFlags(t *testing.T) {
	clearEnv(t)
	for _, args := range [][]string{{"-concurrency", "0"}, {"-concurrency", "1000"}, {"-rps", "-1"}, {"-nope"}} {
		if err := run(context.Background(), args, &bytes.Buffer{}); err == nil {
			t.Errorf("%v: no error", args)
		}
	}
}
