package main

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	"github.com/tableau-go/sdk/examples/internal/exampletest"
	"github.com/tableau-go/sdk/tableau"
	"github.com/tableau-go/sdk/tableau/tableautest"
)

func clearEnv(t *testing.T) { exampletest.ClearEnv(t) }

func TestRunEmbedded(t *testing.T) {
	clearEnv(t)
	var out bytes.Buffer
	if err := run(context.Background(), nil, &out); err != nil {
		t.Fatalf("%v\n%s", err, out.String())
	}
	for _, want := range []string{`started  datasource "Datasource 1"`, `started  workbook   "Workbook 1"`, `done     datasource "Datasource 2"`, "all 3 refreshes succeeded"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, out.String())
		}
	}
}

// external starts an emulator the run reaches through TABLEAU_SERVER.
func external(t *testing.T) *tableautest.Server {
	clearEnv(t)
	srv := tableautest.NewTestServer(t, nil)
	srv.SetJobDuration(20 * time.Millisecond)
	if _, err := srv.Seed(tableautest.SeedOptions{Datasources: 3, Workbooks: 1, WorkbookExtracts: true}); err != nil {
		t.Fatal(err)
	}
	c := srv.Credentials()
	t.Setenv(tableau.EnvServer, srv.URL())
	t.Setenv(tableau.EnvPATName, c.PATName)
	t.Setenv(tableau.EnvPATSecret, c.PATSecret)
	return srv
}

func TestRunFailureExitsWithNotes(t *testing.T) {
	srv := external(t)
	srv.FailRefreshesOf("Datasource 3", "Timeout limit exceeded: the refresh took longer than 7200 seconds")
	var out bytes.Buffer
	err := run(context.Background(), []string{"-datasource", "Datasource 1", "-datasource", "Datasource 3", "-workbook", "Workbook 1"}, &out)
	if err == nil || !strings.Contains(err.Error(), "1 of 3 refreshes failed") || !strings.Contains(err.Error(), "7200 seconds") {
		t.Fatalf("err = %v\n%s", err, out.String())
	}
	if !strings.Contains(out.String(), `FAILED   datasource "Datasource 3"`) || !strings.Contains(out.String(), `done     workbook   "Workbook 1"`) {
		t.Fatalf("output:\n%s", out.String())
	}
}

func TestRunAfterETLCommand(t *testing.T) {
	external(t)
	var out bytes.Buffer
	if err := run(context.Background(), []string{"-datasource", "Datasource 2", "--", "sh", "-c", "echo loaded 42 rows"}, &out); err != nil {
		t.Fatalf("%v\n%s", err, out.String())
	}
	if !strings.Contains(out.String(), "loaded 42 rows") || !strings.Contains(out.String(), "all 1 refreshes succeeded") {
		t.Fatalf("output:\n%s", out.String())
	}
	out.Reset()
	err := run(context.Background(), []string{"-datasource", "Datasource 2", "--", "sh", "-c", "exit 3"}, &out)
	if err == nil || !strings.Contains(err.Error(), "nothing refreshed") || strings.Contains(out.String(), "started") {
		t.Fatalf("failed ETL: %v\n%s", err, out.String())
	}
}

func TestRunUnknownNameRefreshesNothing(t *testing.T) {
	external(t)
	var out bytes.Buffer
	err := run(context.Background(), []string{"-datasource", "Datasource 1", "-workbook", "Missing"}, &out)
	if err == nil || !strings.Contains(err.Error(), `workbook "Missing"`) {
		t.Fatalf("err = %v", err)
	}
	if strings.Contains(out.String(), "started") {
		t.Fatalf("something was refreshed:\n%s", out.String())
	}
	if err := run(context.Background(), nil, &out); err == nil || !strings.Contains(err.Error(), "nothing to refresh") {
		t.Fatalf("no names: %v", err)
	}
}
