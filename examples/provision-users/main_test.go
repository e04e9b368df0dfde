package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/tableau-go/sdk/rest"
	"github.com/tableau-go/sdk/tableau"
	"github.com/tableau-go/sdk/tableau/tableautest"
)

// useEmulator starts an emulator, points TABLEAU_* at it (as a real server
// would be configured) and returns a client of it for checks.
func useEmulator(t *testing.T) (*tableautest.Server, *rest.Client) {
	t.Helper()
	for _, v := range []string{tableau.EnvSite, tableau.EnvPATName, tableau.EnvPATSecret, tableau.EnvJWT, tableau.EnvClientID} {
		t.Setenv(v, "")
	}
	srv := tableautest.NewTestServer(t, nil)
	cr := srv.Credentials()
	t.Setenv(tableau.EnvServer, srv.URL())
	t.Setenv(tableau.EnvUsername, cr.Username)
	t.Setenv(tableau.EnvPassword, cr.Password)
	c, err := rest.SignIn(context.Background(), tableau.Config{Server: srv.URL(), Credentials: tableau.PersonalAccessToken{Name: cr.PATName, Secret: cr.PATSecret}})
	if err != nil {
		t.Fatal(err)
	}
	return srv, c
}

// seedSite gives the site users and a group that the HR file changes:
// bob must become an Explorer, zoe left, and zoe is in Analysts.
func seedSite(t *testing.T, c *rest.Client) {
	t.Helper()
	ctx := context.Background()
	bob, err := c.Users.Add(ctx, rest.UserAdd{Name: "bob", SiteRole: rest.RoleViewer})
	if err != nil {
		t.Fatal(err)
	}
	zoe, _ := c.Users.Add(ctx, rest.UserAdd{Name: "zoe", SiteRole: rest.RoleCreator})
	g, _ := c.Groups.Create(ctx, rest.GroupCreate{Name: "Analysts"})
	if _, err := c.Groups.AddUsers(ctx, g.ID, []string{bob.ID, zoe.ID}); err != nil {
		t.Fatal(err)
	}
}

func siteState(t *testing.T, c *rest.Client) (roles map[string]string, emails map[string]string, groups map[string][]string) {
	t.Helper()
	ctx := context.Background()
	roles, emails, groups = map[string]string{}, map[string]string{}, map[string][]string{}
	users, err := c.Users.List(&tableau.ListOptions{Fields: []string{tableau.FieldsAll}}).Collect(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, u := range users {
		roles[u.Name], emails[u.Name] = u.SiteRole, u.Email
	}
	gs, _ := c.Groups.List(nil).Collect(ctx)
	for _, g := range gs {
		members, _ := c.Groups.Users(g.ID, nil).Collect(ctx)
		for _, m := range members {
			groups[g.Name] = append(groups[g.Name], m.Name)
		}
		slices.Sort(groups[g.Name])
	}
	return roles, emails, groups
}

func TestDryRunReportsAndChangesNothing(t *testing.T) {
	_, c := useEmulator(t)
	seedSite(t, c)
	before, _, beforeGroups := siteState(t, c)
	var out bytes.Buffer
	if err := run(context.Background(), []string{"-csv", "testdata/hr.csv"}, &out); err != nil {
		t.Fatalf("%v\n%s", err, out.String())
	}
	got := out.String()
	for _, want := range []string{
		"source: testdata/hr.csv: 4 users, 4 rows refused",
		`skipped line 5: the email "not-an-email" is not an email address`,
		`skipped line 6: the site role "Wizard" is not one of`,
		`skipped line 7: user "alice" already appears on line 2`,
		"skipped line 9:",
		"plan: 3 to add, 1 role changes, 1 email changes, 1 groups to create, 4 membership additions, 1 membership removals, 1 left the source",
		"  role     bob: Viewer -> Explorer",
		"  leave    Analysts: zoe",
		"  left     zoe (reported only; -remove removes)",
		"dry run: nothing changed",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("output lacks %q:\n%s", want, got)
		}
	}
	after, _, afterGroups := siteState(t, c)
	if fmt.Sprint(before) != fmt.Sprint(after) || fmt.Sprint(beforeGroups) != fmt.Sprint(afterGroups) {
		t.Errorf("a dry run changed the site: %v -> %v", before, after)
	}
}

func TestApplyMakesTheSiteMatch(t *testing.T) {
	_, c := useEmulator(t)
	seedSite(t, c)
	var out bytes.Buffer
	if err := run(context.Background(), []string{"-csv", "testdata/hr.csv", "-apply", "-remove", "-progress"}, &out); err != nil {
		t.Fatalf("%v\n%s", err, out.String())
	}
	if !strings.Contains(out.String(), "100%") || !strings.Contains(out.String(), "applied: 13 of 13 changes") {
		t.Errorf("no progress bar or summary:\n%s", out.String())
	}
	roles, emails, groups := siteState(t, c)
	want := map[string]string{"admin": rest.RoleServerAdministrator, "alice": rest.RoleCreator, "bob": rest.RoleExplorer, "carol": rest.RoleViewer, "frank": rest.RoleViewer}
	if fmt.Sprint(roles) != fmt.Sprint(want) {
		t.Errorf("roles %v, want %v", roles, want)
	}
	if emails["bob"] != "bob@example.com" || emails["alice"] != "alice@example.com" {
		t.Errorf("emails %v", emails)
	}
	if fmt.Sprint(groups["Analysts"]) != "[alice bob]" || fmt.Sprint(groups["Finance"]) != "[alice carol frank]" {
		t.Errorf("groups %v", groups)
	}
	// The malformed rows were not applied at all.
	for _, n := range []string{"dave", "erin", "grace"} {
		if _, ok := roles[n]; ok {
			t.Errorf("%s from a refused row is on the site", n)
		}
	}
	// A second run has nothing left to do.
	out.Reset()
	if err := run(context.Background(), []string{"-csv", "testdata/hr.csv", "-apply", "-remove"}, &out); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "plan: 0 to add, 0 role changes, 0 email changes, 0 groups to create, 0 membership additions, 0 membership removals, 0 left the source") {
		t.Errorf("second run:\n%s", out.String())
	}
}

func TestRemoveOwnerNeedsMapAssetsTo(t *testing.T) {
	_, c := useEmulator(t)
	ctx := context.Background()
	zoe, _ := c.Users.Add(ctx, rest.UserAdd{Name: "zoe", SiteRole: rest.RoleCreator})
	p, _ := c.Projects.Create(ctx, rest.ProjectCreate{Name: "Zoe's"})
	c.Projects.Update(ctx, p.ID, rest.ProjectUpdate{OwnerID: &zoe.ID})
	dir := t.TempDir()
	file := filepath.Join(dir, "hr.csv")
	os.WriteFile(file, []byte("user,email,site_role,groups\nalice,alice@example.com,Creator,\n"), 0o600)
	var out bytes.Buffer
	err := run(ctx, []string{"-csv", file, "-apply", "-remove"}, &out)
	if err == nil || !strings.Contains(out.String(), "use -map-assets-to") {
		t.Fatalf("removing an owner: %v\n%s", err, out.String())
	}
	out.Reset()
	if err := run(ctx, []string{"-csv", file, "-apply", "-remove", "-map-assets-to", "alice"}, &out); err != nil {
		t.Fatalf("%v\n%s", err, out.String())
	}
	got, _ := c.Projects.Get(ctx, p.ID)
	alice, _ := c.Users.GetByName(ctx, "alice")
	if got.Owner.ID != alice.ID {
		t.Errorf("the project went to %s, want alice", got.Owner.ID)
	}
}

func TestLargeFileWithProgress(t *testing.T) {
	_, c := useEmulator(t)
	var b strings.Builder
	b.WriteString("user,email,site_role,groups\n")
	const n = 1500
	for i := range n {
		fmt.Fprintf(&b, "user%04d,user%04d@example.com,Viewer,Team %d\n", i, i, i%10)
	}
	file := filepath.Join(t.TempDir(), "big.csv")
	os.WriteFile(file, []byte(b.String()), 0o600)
	var out bytes.Buffer
	if err := run(context.Background(), []string{"-csv", file, "-apply", "-progress"}, &out); err != nil {
		t.Fatalf("%v\n%s", err, out.String()[:min(out.Len(), 2000)])
	}
	users, _ := c.Users.List(nil).Collect(context.Background())
	if len(users) != n+1 {
		t.Errorf("%d users, want %d", len(users), n+1)
	}
	if !strings.Contains(out.String(), fmt.Sprintf("applied: %d of %d changes", 2*n+20, 2*n+20)) {
		t.Errorf("summary: %s", out.String()[max(0, out.Len()-300):])
	}
}

func TestBadArguments(t *testing.T) {
	for _, args := range [][]string{nil, {"-csv", "a.csv", "-ldap-url", "ldap://x"}, {"-csv", "testdata/missing.csv"}} {
		var out bytes.Buffer
		if err := run(context.Background(), args, &out); err == nil {
			t.Errorf("%v: no error", args)
		}
	}
	for _, tc := range []struct{ in, want string }{
		{"", "empty"},
		{"name,email\nx,y\n", `lacks the column "user"`},
	} {
		if _, _, err := readCSV(strings.NewReader(tc.in)); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%q: %v", tc.in, err)
		}
	}
}

func FuzzReadCSV(f *testing.F) {
	seed, _ := os.ReadFile("testdata/hr.csv")
	f.Add(seed)
	f.Add([]byte("user,email,site_role,groups\n\"a\"\"b\",,Viewer,x;;y\n"))
	f.Add([]byte("\ufeffUSER,GROUPS,SITE_ROLE,EMAIL\nz,,Creator,\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		people, bad, err := readCSV(bytes.NewReader(data))
		if err != nil {
			return
		}
		seen := map[string]bool{}
		for _, p := range people {
			if p.check() != nil {
				t.Fatalf("an invalid person was accepted: %+v", p)
			}
			if seen[strings.ToLower(p.Name)] {
				t.Fatalf("duplicate %q accepted", p.Name)
			}
			seen[strings.ToLower(p.Name)] = true
		}
		for _, b := range bad {
			if b.Err == nil {
				t.Fatalf("a refused row without a reason: %+v", b)
			}
		}
	})
}
