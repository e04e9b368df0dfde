package main

import (
	"bytes"
	"context"
	"regexp"
	"strings"
	"testing"

	"github.com/tableau-go/sdk/examples/internal/exampletest"
	"github.com/tableau-go/sdk/tableau"
	"github.com/tableau-go/sdk/tableau/tableautest"
)

// clearEnv makes the run use the embedded emulator whatever the machine has set.
func clearEnv(t *testing.T) { exampletest.ClearEnv(t) }

func TestRunEmbedded(t *testing.T) {
	clearEnv(t)
	var out bytes.Buffer
	if err := run(context.Background(), nil, &out); err != nil {
		t.Fatalf("%v\n%s", err, out.String())
	}
	got := out.String()
	for _, re := range []string{
		`(?m)^server: +http://127\.0\.0\.1:\d+ \(embedded emulator\)$`,
		`(?m)^product: +Tableau 2024\.2\.0 \(build .*\), REST API 3\.24$`,
		`(?m)^signed in: +site Default \(id [0-9a-f-]{36}\) as user [0-9a-f-]{36}, API 3\.24, token valid for 4h0m0s$`,
		`(?m)^projects: +1\n  - Default\n`,
		`(?m)^created: +project "tableau-go quickstart" \(id [0-9a-f-]{36}\)$`,
		`(?m)^created: +project "tableau-go quickstart/Reports" \(id [0-9a-f-]{36}\)$`,
		`(?m)^projects: +3\n  - Default\n  - Reports \(nested\)\n  - tableau-go quickstart\n`,
		`(?m)^signed out\n\z`,
	} {
		if !regexp.MustCompile(re).MatchString(got) {
			t.Errorf("output does not match %s:\n%s", re, got)
		}
	}
}

// TestRunFromEnv points TABLEAU_SERVER at a separate emulator, as a real
// server would be configured, and runs twice: the second run finds the
// projects the first created.
func TestRunFromEnv(t *testing.T) {
	clearEnv(t)
	srv := tableautest.NewTestServer(t, nil)
	c := srv.Credentials()
	t.Setenv(tableau.EnvServer, srv.URL())
	t.Setenv(tableau.EnvUsername, c.Username)
	t.Setenv(tableau.EnvPassword, c.Password)
	for i, want := range []string{`created:     project "Sales"`, `exists:      project "Sales"`} {
		var out bytes.Buffer
		if err := run(context.Background(), []string{"-project", "Sales"}, &out); err != nil {
			t.Fatalf("run %d: %v\n%s", i, err, out.String())
		}
		if !strings.Contains(out.String(), "(from TABLEAU_SERVER)") || !strings.Contains(out.String(), want) {
			t.Fatalf("run %d output:\n%s", i, out.String())
		}
		if strings.Contains(out.String(), c.Password) {
			t.Fatal("the password was printed")
		}
	}
	if srv.Stats().SignOuts != 2 {
		t.Fatalf("sign-outs = %d", srv.Stats().SignOuts)
	}
}

func TestRunBadEnv(t *testing.T) {
	clearEnv(t)
	t.Setenv(tableau.EnvServer, "https://tableau.example.com")
	t.Setenv(tableau.EnvPATName, "ci")
	err := run(context.Background(), nil, &bytes.Buffer{})
	if err == nil || !strings.Contains(err.Error(), tableau.EnvPATSecret) {
		t.Fatalf("err = %v", err)
	}
	if err := run(context.Background(), []string{"-project", ""}, &bytes.Buffer{}); err == nil {
		t.Fatal("empty -project accepted")
	}
}
