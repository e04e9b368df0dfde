package tableautest_test

import (
	"fmt"
	"net/http"
	"testing"

	"github.com/tableau-go/sdk/tableau/tableautest"
)

func projectBody(name, parent string) string {
	if parent == "" {
		return fmt.Sprintf(`<tsRequest><project name=%q description="d" contentPermissions="LockedToProject"/></tsRequest>`, name)
	}
	return fmt.Sprintf(`<tsRequest><project name=%q parentProjectId=%q/></tsRequest>`, name, parent)
}

func TestProjectsCreateNestedListUpdateDelete(t *testing.T) {
	srv := tableautest.NewTestServer(t, nil)
	c := signedIn(t, srv, "")
	base := "sites/" + c.siteID + "/projects"

	list := c.mustDo("GET", base, "", http.StatusOK)
	projects := list.all("projects")
	if len(projects) != 1 || projects[0].attr("name") != "Default" || projects[0].attr("topLevelProject") != "true" {
		t.Fatalf("a new site should have only the Default project: %+v", projects)
	}

	top := c.mustDo("POST", base, projectBody("Finance", ""), http.StatusCreated).find("project")
	if top.attr("contentPermissions") != "LockedToProject" || top.attr("description") != "d" || top.has("parentProjectId") {
		t.Fatalf("created %+v", top.Attrs)
	}
	if top.find("owner").attr("id") != c.userID {
		t.Errorf("owner %s, want %s", top.find("owner").attr("id"), c.userID)
	}
	child := c.mustDo("POST", base, projectBody("Budgets", top.attr("id")), http.StatusCreated).find("project")
	if child.attr("parentProjectId") != top.attr("id") || child.has("topLevelProject") {
		t.Fatalf("nested project %+v", child.Attrs)
	}
	if child.attr("controllingPermissionsProjectId") != top.attr("id") {
		t.Errorf("a project under a locked parent is controlled by it: %+v", child.Attrs)
	}
	grand := c.mustDo("POST", base, projectBody("2026", child.attr("id")), http.StatusCreated).find("project")

	// The same name under another parent is fine; under the same parent it is 409006.
	c.mustDo("POST", base, projectBody("Budgets", ""), http.StatusCreated)
	c.wantError("POST", base, projectBody("budgets", top.attr("id")), http.StatusConflict, "409006")
	c.wantError("POST", base, projectBody("X", "00000000-0000-4000-8000-000000000000"), http.StatusNotFound, "404005")
	c.wantError("POST", base, `<tsRequest><project description="no name"/></tsRequest>`, http.StatusBadRequest, "400000")
	c.wantError("POST", base, `<tsRequest><project name="Y" contentPermissions="Whatever"/></tsRequest>`, http.StatusBadRequest, "400000")

	// Update: rename, move, and the errors.
	upd := c.mustDo("PUT", base+"/"+child.attr("id"), `<tsRequest><project name="Plans" description="new"/></tsRequest>`, http.StatusOK).find("project")
	if upd.attr("name") != "Plans" || upd.attr("description") != "new" || upd.attr("parentProjectId") != top.attr("id") {
		t.Fatalf("updated %+v", upd.Attrs)
	}
	c.wantError("PUT", base+"/"+top.attr("id"), `<tsRequest><project parentProjectId="`+grand.attr("id")+`"/></tsRequest>`, http.StatusBadRequest, "400000")
	c.wantError("PUT", base+"/"+child.attr("id"), `<tsRequest><project name="FINANCE" parentProjectId=""/></tsRequest>`, http.StatusConflict, "409006")
	moved := c.mustDo("PUT", base+"/"+grand.attr("id"), `<tsRequest><project parentProjectId=""/></tsRequest>`, http.StatusOK).find("project")
	if moved.has("parentProjectId") {
		t.Fatalf("moved to top level: %+v", moved.Attrs)
	}
	for _, p := range c.mustDo("GET", base, "", http.StatusOK).all("projects") {
		if p.attr("id") == grand.attr("id") && p.attr("topLevelProject") != "true" {
			t.Errorf("topLevelProject of a moved project: %+v", p.Attrs)
		}
		if p.attr("id") == child.attr("id") && p.attr("topLevelProject") != "false" {
			t.Errorf("topLevelProject of a nested project: %+v", p.Attrs)
		}
	}
	c.wantError("PUT", base+"/00000000-0000-4000-8000-000000000000", `<tsRequest><project name="Z"/></tsRequest>`, http.StatusNotFound, "404005")
	// An empty update reads the project (the REST API has no GET for one project).
	same := c.mustDo("PUT", base+"/"+top.attr("id"), `<tsRequest><project/></tsRequest>`, http.StatusOK).find("project")
	if same.attr("name") != "Finance" || same.attr("description") != "d" {
		t.Errorf("empty update changed the project: %+v", same.Attrs)
	}
	c.wantError("GET", base+"/"+top.attr("id"), "", http.StatusMethodNotAllowed, "405000")

	// Delete removes nested projects too.
	c.mustDo("DELETE", base+"/"+top.attr("id"), "", http.StatusNoContent)
	c.wantError("DELETE", base+"/"+top.attr("id"), "", http.StatusNotFound, "404005")
	c.wantError("DELETE", base+"/"+projects[0].attr("id"), "", http.StatusForbidden, "403000") // Default
	c.wantError("PUT", base+"/"+child.attr("id"), `<tsRequest><project/></tsRequest>`, http.StatusNotFound, "404005")
	names := map[string]bool{}
	for _, p := range c.mustDo("GET", base, "", http.StatusOK).all("projects") {
		names[p.attr("name")] = true
	}
	if len(names) != 3 || !names["Default"] || !names["Budgets"] || !names["2026"] {
		t.Errorf("after delete: %v", names)
	}
}

func TestProjectsArePerSite(t *testing.T) {
	srv := tableautest.NewTestServer(t, nil)
	if _, err := srv.AddSite("Sales", "sales"); err != nil {
		t.Fatal(err)
	}
	a := signedIn(t, srv, "")
	b := signedIn(t, srv, "sales")
	p := a.mustDo("POST", "sites/"+a.siteID+"/projects", projectBody("Only on Default", ""), http.StatusCreated).find("project")
	b.wantError("PUT", "sites/"+b.siteID+"/projects/"+p.attr("id"), `<tsRequest><project/></tsRequest>`, http.StatusNotFound, "404005")
	b.wantError("GET", "sites/"+a.siteID+"/projects", "", http.StatusForbidden, "403000")
	b.wantError("GET", "sites/00000000-0000-4000-8000-000000000000/projects", "", http.StatusNotFound, "404000")
	if n := len(b.mustDo("GET", "sites/"+b.siteID+"/projects", "", http.StatusOK).all("projects")); n != 1 {
		t.Errorf("sales has %d projects, want its Default only", n)
	}
}

func TestProjectsNeedAnAdminOrTheOwner(t *testing.T) {
	srv := tableautest.NewTestServer(t, nil)
	admin := signedIn(t, srv, "")
	base := "sites/" + admin.siteID + "/projects"
	p := admin.mustDo("POST", base, projectBody("Team", ""), http.StatusCreated).find("project")
	uid, err := srv.AddUser("", "creator", "Creator")
	if err != nil {
		t.Fatal(err)
	}
	cr := srv.Credentials()
	c := newClient(t, srv)
	c.signIn(fmt.Sprintf(`<tsRequest><credentials personalAccessTokenName=%q personalAccessTokenSecret=%q><site contentUrl=""/><user id=%q/></credentials></tsRequest>`, cr.PATName, cr.PATSecret, uid))
	c.mustDo("GET", base, "", http.StatusOK)
	c.wantError("POST", base, projectBody("Mine", ""), http.StatusForbidden, "403000")
	c.wantError("PUT", base+"/"+p.attr("id"), `<tsRequest><project name="Hijacked"/></tsRequest>`, http.StatusForbidden, "403000")
	c.wantError("DELETE", base+"/"+p.attr("id"), "", http.StatusForbidden, "403000")
	// The owner may change and delete the project.
	admin.mustDo("PUT", base+"/"+p.attr("id"), `<tsRequest><project><owner id="`+uid+`"/></project></tsRequest>`, http.StatusOK)
	c.mustDo("PUT", base+"/"+p.attr("id"), `<tsRequest><project description="ours"/></tsRequest>`, http.StatusOK)
	c.mustDo("DELETE", base+"/"+p.attr("id"), "", http.StatusNoContent)
}
