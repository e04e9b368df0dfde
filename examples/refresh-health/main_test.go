package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/tableau-go/sdk/examples/internal/exampletest"
	"github.com/tableau-go/sdk/tableau"
	"github.com/tableau-go/sdk/tableau/tableautest"
)

func clearEnv(t *testing.T) { exampletest.ClearEnv(t) }

func TestReportFindsTheFailingRefreshes(t *testing.T) {
	clearEnv(t)
	var out bytes.Buffer
	err := run(context.Background(), nil, &out)
	if !errors.Is(err, errProblems) {
		t.Fatalf("run = %v, want errProblems\n%s", err, out.String())
	}
	text := out.String()
	for _, want := range []string{
		"TASKS FAILING 2+ TIMES IN A ROW", "Datasource 2", "Nightly extracts",
		"REFRESHES FAILED SINCE", `Unable to connect to the server "warehouse.example.com": connection refused`,
	} {
		if !strings.Contains(text, want) {
			t.Errorf("output lacks %q:\n%s", want, text)
		}
	}
	if strings.Contains(text, "Datasource 1") || strings.Contains(text, "Datasource 3") {
		t.Errorf("healthy datasources reported:\n%s", text)
	}
}

func TestReportAsJSON(t *testing.T) {
	clearEnv(t)
	var out bytes.Buffer
	if err := run(context.Background(), []string{"-format", "json"}, &out); !errors.Is(err, errProblems) {
		t.Fatalf("run = %v\n%s", err, out.String())
	}
	var rep Report
	if err := json.Unmarshal(out.Bytes(), &rep); err != nil {
		t.Fatalf("%v\n%s", err, out.String())
	}
	if len(rep.FailingTasks) != 1 || rep.FailingTasks[0].Name != "Datasource 2" || rep.FailingTasks[0].Failures != 2 || rep.FailingTasks[0].Kind != "datasource" {
		t.Errorf("failing tasks %+v", rep.FailingTasks)
	}
	if len(rep.FailedJobs) != 2 || rep.FailedJobs[0].Name != "Datasource 2" || !strings.Contains(rep.FailedJobs[0].Reason, "connection refused") {
		t.Errorf("failed jobs %+v", rep.FailedJobs)
	}
}

// TestHealthyExitsZero checks a site (through TABLEAU_*) whose refreshes
// all succeed: nothing is reported and run returns nil.
func TestHealthyExitsZero(t *testing.T) {
	clearEnv(t)
	srv := tableautest.NewTestServer(t, nil)
	srv.SetJobDuration(0)
	if _, err := srv.Seed(tableautest.SeedOptions{Datasources: 2}); err != nil {
		t.Fatal(err)
	}
	cr := srv.Credentials()
	t.Setenv(tableau.EnvServer, srv.URL())
	t.Setenv(tableau.EnvPATName, cr.PATName)
	t.Setenv(tableau.EnvPATSecret, cr.PATSecret)
	var out bytes.Buffer
	if err := run(context.Background(), nil, &out); err != nil {
		t.Fatalf("run = %v\n%s", err, out.String())
	}
	if !strings.HasPrefix(out.String(), "all extract refreshes healthy") {
		t.Errorf("output:\n%s", out.String())
	}
}

func TestBadFlags(t *testing.T) {
	clearEnv(t)
	for _, args := range [][]string{{"-failures", "0"}, {"-since", "-1h"}, {"-format", "xml"}, {"-nope"}} {
		if err := run(context.Background(), args, &bytes.Buffer{}); err == nil || errors.Is(err, errProblems) {
			t.Errorf("run(%q) = %v", args, err)
		}
	}
}
