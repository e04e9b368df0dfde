package rest_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/tableau-go/sdk/rest"
	"github.com/tableau-go/sdk/tableau"
)

// TestJobsKnowGovernanceJobs: the jobs that user CSV import, user
// deletion and Active Directory group import start are found by Query Job,
// waited for, listed with Get Jobs, and cannot be cancelled once done.
func TestJobsKnowGovernanceJobs(t *testing.T) {
	ctx := context.Background()
	c, srv := newClient(t, nil, nil)
	imp, err := c.Users.Import(ctx, []rest.UserImport{{Name: "gina", SiteRole: rest.RoleViewer}, {Name: "hal", SiteRole: rest.RoleCreator}})
	if err != nil {
		t.Fatal(err)
	}
	j, err := c.Jobs.Get(ctx, imp.ID)
	if err != nil {
		t.Fatalf("Jobs.Get of a user import job: %v", err)
	}
	if j.Type != "UserImport" || !j.Finished || j.FinishCode != rest.FinishSuccess || j.Status() != rest.JobSuccess {
		t.Fatalf("import job %+v", j)
	}
	if _, err := c.Jobs.Wait(ctx, imp.ID, nil); err != nil {
		t.Fatalf("Jobs.Wait of a user import job: %v", err)
	}

	del, err := c.Users.RemoveByName(ctx, []string{"gina", "nobody"})
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.Jobs.Wait(ctx, del.ID, nil)
	var jerr *rest.JobError
	if !errors.Is(err, rest.ErrJobFailed) || !errors.As(err, &jerr) || len(jerr.Job.Notes) != 1 || !strings.Contains(jerr.Job.Notes[0], "nobody") {
		t.Fatalf("Wait of a delete job with a refused line: %v", err)
	}

	srv.SetDirectoryGroup("example.com", "Ops", "ivy")
	ad, err := c.Groups.ImportADAsJob(ctx, rest.ADGroup{Name: "Ops", Domain: "example.com", SiteRole: rest.RoleViewer})
	if err != nil {
		t.Fatal(err)
	}
	if j, err := c.Jobs.Get(ctx, ad.ID); err != nil || j.Type != "GroupImport" || j.Status() != rest.JobSuccess {
		t.Fatalf("Jobs.Get of an AD import job: %+v %v", j, err)
	}
	if err := c.Jobs.Cancel(ctx, ad.ID); !errors.Is(err, tableau.ErrConflict) {
		t.Fatalf("cancelling a finished AD import job: %v, want a conflict", err)
	}

	all, err := c.Jobs.List(nil).Collect(ctx)
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]rest.BackgroundJob{}
	for _, b := range all {
		seen[b.ID] = b
	}
	for id, typ := range map[string]string{imp.ID: "import_users", del.ID: "delete_users", ad.ID: "sync_ad_group"} {
		b, ok := seen[id]
		if !ok || b.JobType != typ {
			t.Errorf("Get Jobs: job %s is %+v (listed %v), want type %s", id, b, ok, typ)
		}
	}
	if b := seen[del.ID]; b.Status != rest.JobFailed {
		t.Errorf("delete job status %s, want Failed", b.Status)
	}
	imports, err := c.Jobs.List(&tableau.ListOptions{Filters: []tableau.Filter{tableau.Eq("jobType", "import_users")}}).Collect(ctx)
	if err != nil || len(imports) != 1 || imports[0].ID != imp.ID {
		t.Fatalf("filter jobType:eq:import_users: %+v %v", imports, err)
	}
}
