package main

import (
	"bytes"
	"context"
	"errors"
	"regexp"
	"strings"
	"testing"

	"github.com/tableau-go/sdk/examples/internal/exampletest"
	"github.com/tableau-go/sdk/tableau"
	"github.com/tableau-go/sdk/tableau/tableautest"
)

func clearEnv(t *testing.T) { exampletest.ClearEnv(t) }

func TestRunEmbedded(t *testing.T) {
	clearEnv(t)
	var out bytes.Buffer
	if err := run(context.Background(), []string{"-wait"}, &out); err != nil {
		t.Fatalf("%v\n%s", err, out.String())
	}
	re := regexp.MustCompile(`(?m)^refresh of datasource "Datasource 1" started: job [0-9a-f-]{36}\njob [0-9a-f-]{36} finished: Success in `)
	if !re.MatchString(out.String()) {
		t.Fatalf("output:\n%s", out.String())
	}
}

// TestRunIncremental: -incremental starts an IncrementExtract job on the
// embedded emulator, and fails before any request on a server older than
// REST API 3.25.
func TestRunIncremental(t *testing.T) {
	clearEnv(t)
	var out bytes.Buffer
	if err := run(context.Background(), []string{"-incremental", "-wait"}, &out); err != nil {
		t.Fatalf("%v\n%s", err, out.String())
	}
	re := regexp.MustCompile(`(?m)^incremental refresh of datasource "Datasource 1" started: job [0-9a-f-]{36}\njob [0-9a-f-]{36} finished: Success in `)
	if !re.MatchString(out.String()) {
		t.Fatalf("output:\n%s", out.String())
	}
	old := tableautest.NewTestServer(t, &tableautest.Options{APIVersion: "3.24"})
	if _, err := old.Seed(tableautest.SeedOptions{Datasources: 1}); err != nil {
		t.Fatal(err)
	}
	c := old.Credentials()
	t.Setenv(tableau.EnvServer, old.URL())
	t.Setenv(tableau.EnvPATName, c.PATName)
	t.Setenv(tableau.EnvPATSecret, c.PATSecret)
	err := run(context.Background(), []string{"-incremental"}, &out)
	if !errors.Is(err, tableau.ErrUnsupportedVersion) || !strings.Contains(err.Error(), "3.25") {
		t.Fatalf("incremental on API 3.24: %v", err)
	}
}

func TestRunFromEnvAndErrors(t *testing.T) {
	clearEnv(t)
	srv := tableautest.NewTestServer(t, nil)
	if _, err := srv.Seed(tableautest.SeedOptions{Datasources: 2}); err != nil {
		t.Fatal(err)
	}
	c := srv.Credentials()
	t.Setenv(tableau.EnvServer, srv.URL())
	t.Setenv(tableau.EnvPATName, c.PATName)
	t.Setenv(tableau.EnvPATSecret, c.PATSecret)
	var out bytes.Buffer
	if err := run(context.Background(), []string{"-datasource", "Datasource 2"}, &out); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), `refresh of datasource "Datasource 2" started: job `) {
		t.Fatalf("output:\n%s", out.String())
	}
	err := run(context.Background(), []string{"-datasource", "Nope"}, &out)
	if err == nil || !strings.Contains(err.Error(), `"Nope"`) {
		t.Fatalf("missing datasource: %v", err)
	}
	srv.FailJobs(1, "Cannot connect to the database")
	srv.SetJobDuration(0)
	err = run(context.Background(), []string{"-wait"}, &out)
	if err == nil || !strings.Contains(err.Error(), "Cannot connect to the database") {
		t.Fatalf("failed refresh: %v", err)
	}
}
