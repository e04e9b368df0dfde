package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tableau-go/sdk/examples/internal/exampletest"
	"github.com/tableau-go/sdk/rest"
	"github.com/tableau-go/sdk/tableau"
	"github.com/tableau-go/sdk/tableau/tableautest"
)

func clearEnv(t *testing.T) {
	exampletest.ClearEnv(t)
	for _, v := range []string{tableau.EnvServer, tableau.EnvSite, tableau.EnvAPIVersion, tableau.EnvPATName, tableau.EnvPATSecret,
		tableau.EnvUsername, tableau.EnvPassword, tableau.EnvJWT, tableau.EnvClientID, tableau.EnvSecretID, tableau.EnvSecretValue,
		tableau.EnvJWTUser, tableau.EnvJWTScopes, tableau.EnvImpersonateUserID} {
		t.Setenv(envPrefix+strings.TrimPrefix(v, "TABLEAU_"), "") // the destination's variables
	}
}

func TestRunEmbeddedDryRunAndReal(t *testing.T) {
	clearEnv(t)
	var out bytes.Buffer
	if err := run(context.Background(), []string{"-dry-run"}, &out); err != nil {
		t.Fatalf("%v\n%s", err, out.String())
	}
	for _, want := range []string{`would create project "Production"`, `would migrate datasource "Orders"`, `would migrate workbook "Churn"`,
		"would rewrite connection dev-db.example.com:5432 -> prod-db.example.com:5432", "would migrate 4 items"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("dry run lacks %q:\n%s", want, out.String())
		}
	}
	out.Reset()
	if err := run(context.Background(), []string{"-dest-site", "prod", "-progress"}, &out); err != nil {
		t.Fatalf("%v\n%s", err, out.String())
	}
	for _, want := range []string{`created project "Production"`, `migrated datasource "Customers"`, `migrated workbook "Sales Overview"`,
		`rewrote connection dev-db.example.com:5432 -> prod-db.example.com:5432 as "prod_reader"`, "migrated 4 items, skipped 0, failed 0"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("run lacks %q:\n%s", want, out.String())
		}
	}
}

// TestRunAcrossServers migrates between two emulators, as between a
// development and a production server, twice: the second run skips what
// exists, and -overwrite replaces it.
func TestRunAcrossServers(t *testing.T) {
	clearEnv(t)
	ctx := context.Background()
	dev := tableautest.NewTestServer(t, nil)
	prod := tableautest.NewTestServer(t, nil)
	dc, pc := dev.Credentials(), prod.Credentials()
	t.Setenv(tableau.EnvServer, dev.URL())
	t.Setenv(tableau.EnvPATName, dc.PATName)
	t.Setenv(tableau.EnvPATSecret, dc.PATSecret)
	t.Setenv(envPrefix+"SERVER", prod.URL())
	t.Setenv(envPrefix+"USERNAME", pc.Username)
	t.Setenv(envPrefix+"PASSWORD", pc.Password)
	srcCfg := tableau.Config{Server: dev.URL(), Credentials: tableau.PersonalAccessToken{Name: dc.PATName, Secret: dc.PATSecret}}
	if err := seedDevelopment(ctx, srcCfg); err != nil {
		t.Fatal(err)
	}
	rules := filepath.Join(t.TempDir(), "rules.json")
	t.Setenv("PROD_DB_PASSWORD", "pr0d-s3cret")
	if err := os.WriteFile(rules, []byte(`[{"server":"dev-db.example.com","newServer":"prod-db.example.com","newPort":"6432","username":"reader","passwordEnv":"PROD_DB_PASSWORD","embed":true}]`), 0o600); err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	if err := run(ctx, []string{"-connections", rules}, &out); err != nil {
		t.Fatalf("%v\n%s", err, out.String())
	}
	if strings.Contains(out.String(), "pr0d-s3cret") {
		t.Fatal("the password was printed")
	}
	// The production server has the items, with rewritten connections.
	c, err := rest.SignIn(ctx, tableau.Config{Server: prod.URL(), Credentials: tableau.Password{Username: pc.Username, Password: pc.Password}})
	if err != nil {
		t.Fatal(err)
	}
	ds, err := c.Datasources.GetByName(ctx, "Orders", "")
	if err != nil || ds.Project.Name != "Production" {
		t.Fatalf("Orders on prod: %+v, %v", ds, err)
	}
	conns, err := c.Datasources.Connections(ctx, ds.ID)
	if err != nil || conns[0].ServerAddress != "prod-db.example.com" || conns[0].ServerPort != "6432" || conns[0].Username != "reader" || !conns[0].EmbedPassword {
		t.Fatalf("connections on prod: %+v, %v", conns, err)
	}
	out.Reset()
	if err := run(ctx, []string{"-connections", rules}, &out); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "migrated 0 items, skipped 4, failed 0") {
		t.Fatalf("second run:\n%s", out.String())
	}
	out.Reset()
	if err := run(ctx, []string{"-connections", rules, "-overwrite"}, &out); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "migrated 4 items") {
		t.Fatalf("overwrite run:\n%s", out.String())
	}
	revs, err := c.Datasources.Revisions(ds.ID, nil).Collect(ctx)
	if err != nil || len(revs) != 2 {
		t.Fatalf("revisions after overwrite: %d, %v", len(revs), err)
	}
	// Bad input names the problem.
	if err := run(ctx, []string{"-from", "Nope"}, &out); err == nil || !strings.Contains(err.Error(), `"Nope"`) {
		t.Fatalf("missing source project: %v", err)
	}
	t.Setenv("PROD_DB_PASSWORD", "")
	if err := run(ctx, []string{"-connections", rules}, &out); err == nil || !strings.Contains(err.Error(), "PROD_DB_PASSWORD") {
		t.Fatalf("unset password variable: %v", err)
	}
}
